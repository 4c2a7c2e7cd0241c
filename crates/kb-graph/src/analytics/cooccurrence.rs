//! Co-occurrence of the values of two dimensions, and trends of one dimension per year,
//! counted as intersections of the projection's bitmaps within a population (the
//! initiatives a filter holds for a viewer).
//!
//! A dimension's values are those held by at least one initiative of the population, in
//! the taxonomy's order (themes, topics, vocabularies), by name (organisations), by code
//! (languages) or oldest first (years). As in the facets, a root topic counts the
//! initiatives of its whole subtree, a narrower topic those filed under it; an
//! organisation kind counts the initiatives of the organisations of that kind the viewer
//! sees; the year is the start year.

use std::collections::HashMap;

use kb_domain::lang::Localised;
use kb_domain::{
    DomainError, EducationLevel, EvidenceLevel, InitiativeKind, NodeId, OrganisationKind, Region,
    TargetGroup, TopicId, Viewer, Vocabulary,
};
use kb_store::access::sees_organisation;
use roaring::RoaringBitmap;

use super::stats::{CellMeasures, cell};
use crate::projection::{Index, Projection};

/// What initiatives are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Theme,
    Topic,
    Kind,
    Organisation,
    OrganisationKind,
    TargetGroup,
    EducationLevel,
    Region,
    EvidenceLevel,
    Language,
    Year,
}

/// One value of a dimension: its code (a theme's or topic's code, a vocabulary code, a
/// language code, a year, or an organisation's global id) and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionValue {
    pub value: String,
    pub label: Localised,
}

/// A value and how many initiatives of the population hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    pub value: DimensionValue,
    pub total: u64,
}

/// One cell: indexes into the rows and columns, and its measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: usize,
    pub column: usize,
    pub measures: CellMeasures,
}

/// A co-occurrence table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cooccurrence {
    /// How many initiatives were counted.
    pub population: u64,
    pub rows: Vec<Margin>,
    pub columns: Vec<Margin>,
    /// Every row × column pair, row by row, except those below the minimum count asked.
    pub cells: Vec<Cell>,
}

/// One value's count in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendValue {
    pub value: DimensionValue,
    pub count: u64,
    /// `count / total` of the year; 0 in a year without initiatives.
    pub share: f64,
}

/// The counts of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendYear {
    pub year: i32,
    /// Initiatives of the population that started that year.
    pub total: u64,
    pub values: Vec<TrendValue>,
}

/// The most years a trend spans.
pub const MAX_TREND_YEARS: i32 = 200;

fn vocabulary<V: Vocabulary>(
    p: &Projection,
    index: &Index<&'static str>,
    population: &RoaringBitmap,
) -> Vec<(DimensionValue, RoaringBitmap)> {
    V::ALL
        .iter()
        .filter_map(|v| {
            let code = v.code();
            let b = index.by.get(&code)? & population;
            Some((label_of(p, V::NAME, code), b))
        })
        .collect()
}

fn label_of(p: &Projection, vocabulary: &str, code: &str) -> DimensionValue {
    let label = p
        .terms
        .get(&(vocabulary.to_owned(), code.to_owned()))
        .cloned()
        .unwrap_or_else(|| Localised::new(code, None));
    DimensionValue {
        value: code.to_owned(),
        label,
    }
}

impl Projection {
    /// The values of `d` within `population`, each with the initiatives of the population
    /// holding it; values no initiative of the population holds are left out.
    pub(crate) fn dimension(
        &self,
        viewer: Viewer,
        d: Dimension,
        population: &RoaringBitmap,
    ) -> Vec<(DimensionValue, RoaringBitmap)> {
        let mut out = match d {
            Dimension::Theme => {
                let mut themes: Vec<&kb_domain::Theme> = self.themes.iter().collect();
                themes.sort_by_key(|t| (t.position, t.id));
                themes
                    .into_iter()
                    .filter_map(|t| {
                        let b = self.theme.by.get(&t.id)? & population;
                        Some((
                            DimensionValue {
                                value: t.code.clone(),
                                label: t.label.clone(),
                            },
                            b,
                        ))
                    })
                    .collect()
            }
            Dimension::Topic => self.topic_values(population),
            Dimension::Kind => vocabulary::<InitiativeKind>(self, &self.kind, population),
            Dimension::TargetGroup => {
                vocabulary::<TargetGroup>(self, &self.target_group, population)
            }
            Dimension::EducationLevel => {
                vocabulary::<EducationLevel>(self, &self.education_level, population)
            }
            Dimension::Region => vocabulary::<Region>(self, &self.region, population),
            Dimension::EvidenceLevel => {
                vocabulary::<EvidenceLevel>(self, &self.evidence_level, population)
            }
            Dimension::Language => {
                let mut codes: Vec<&String> = self.language.by.keys().collect();
                codes.sort();
                codes
                    .into_iter()
                    .filter_map(|c| {
                        let b = self.language.by.get(c)? & population;
                        Some((label_of(self, "language", c), b))
                    })
                    .collect()
            }
            Dimension::Year => self
                .start_year
                .iter()
                .map(|(y, b)| {
                    (
                        DimensionValue {
                            value: y.to_string(),
                            label: Localised::new(y.to_string(), None),
                        },
                        b & population,
                    )
                })
                .collect(),
            Dimension::Organisation => {
                let mut orgs: Vec<&kb_store::OrganisationFacts> = self
                    .organisations
                    .values()
                    .filter(|o| sees_organisation(viewer, o.id, o.status))
                    .collect();
                orgs.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
                orgs.into_iter()
                    .filter_map(|o| {
                        let b = self.organisation.by.get(&o.id)? & population;
                        Some((
                            DimensionValue {
                                value: o.id.global().encode(),
                                label: Localised::new(o.name.clone(), None),
                            },
                            b,
                        ))
                    })
                    .collect()
            }
            Dimension::OrganisationKind => {
                let mut by_kind: HashMap<OrganisationKind, RoaringBitmap> = HashMap::new();
                for o in self.organisations.values() {
                    if sees_organisation(viewer, o.id, o.status)
                        && let Some(b) = self.organisation.by.get(&o.id)
                    {
                        *by_kind.entry(o.kind).or_default() |= b & population;
                    }
                }
                OrganisationKind::ALL
                    .iter()
                    .filter_map(|k| {
                        let b = by_kind.remove(k)?;
                        Some((label_of(self, OrganisationKind::NAME, k.code()), b))
                    })
                    .collect()
            }
        };
        out.retain(|(_, b): &(DimensionValue, RoaringBitmap)| !b.is_empty());
        out
    }

    /// Topics in the taxonomy's order; a root counts its subtree.
    fn topic_values(&self, population: &RoaringBitmap) -> Vec<(DimensionValue, RoaringBitmap)> {
        let mut children: HashMap<TopicId, Vec<TopicId>> = HashMap::new();
        for t in &self.topics {
            if let Some(b) = t.broader_id {
                children.entry(b).or_default().push(t.id);
            }
        }
        let mut topics: Vec<&kb_domain::Topic> = self.topics.iter().collect();
        topics.sort_by_key(|t| (t.position, t.id));
        topics
            .into_iter()
            .map(|t| {
                let mut b = RoaringBitmap::new();
                if t.broader_id.is_none() {
                    // The subtree, each topic once however the tree is drawn.
                    let mut seen = vec![t.id];
                    let mut stack = vec![t.id];
                    while let Some(at) = stack.pop() {
                        if let Some(x) = self.topic.by.get(&at) {
                            b |= x;
                        }
                        for c in children.get(&at).into_iter().flatten() {
                            if !seen.contains(c) {
                                seen.push(*c);
                                stack.push(*c);
                            }
                        }
                    }
                } else if let Some(x) = self.topic.by.get(&t.id) {
                    b |= x;
                }
                (
                    DimensionValue {
                        value: t.code.clone(),
                        label: t.label.clone(),
                    },
                    b & population,
                )
            })
            .collect()
    }

    /// The co-occurrence of the values of `rows` and `columns` within `population`;
    /// cells counting fewer than `min_count` are left out.
    pub fn cooccurrence(
        &self,
        viewer: Viewer,
        rows: Dimension,
        columns: Dimension,
        population: &RoaringBitmap,
        min_count: u64,
    ) -> Cooccurrence {
        let n = population.len();
        let r = self.dimension(viewer, rows, population);
        let c = self.dimension(viewer, columns, population);
        let row_sets: Vec<&RoaringBitmap> = r.iter().map(|(_, b)| b).collect();
        let column_sets: Vec<&RoaringBitmap> = c.iter().map(|(_, b)| b).collect();
        let counts = counts(&row_sets, &column_sets);
        let mut cells = Vec::with_capacity(r.len() * c.len());
        for (i, rb) in row_sets.iter().enumerate() {
            let rt = rb.len();
            for (j, cb) in column_sets.iter().enumerate() {
                let a = counts.get(i * column_sets.len() + j).copied().unwrap_or(0);
                if a >= min_count {
                    cells.push(Cell {
                        row: i,
                        column: j,
                        measures: cell(a, rt, cb.len(), n),
                    });
                }
            }
        }
        let margins = |v: Vec<(DimensionValue, RoaringBitmap)>| {
            v.into_iter()
                .map(|(value, b)| Margin {
                    value,
                    total: b.len(),
                })
                .collect()
        };
        Cooccurrence {
            population: n,
            rows: margins(r),
            columns: margins(c),
            cells,
        }
    }

    /// The initiatives of `population` per start year and value of `d`, from `from` to
    /// `to` (the population's first and last start years when absent), each year with
    /// every value of `d` the population holds in the range.
    pub fn trend(
        &self,
        viewer: Viewer,
        d: Dimension,
        from: Option<i32>,
        to: Option<i32>,
        population: &RoaringBitmap,
    ) -> Result<Vec<TrendYear>, DomainError> {
        let held = || {
            self.start_year
                .iter()
                .filter(|(_, b)| !b.is_disjoint(population))
                .map(|(y, _)| *y)
        };
        let (Some(from), Some(to)) = (
            from.or_else(|| held().next()),
            to.or_else(|| held().next_back()),
        ) else {
            return Ok(Vec::new());
        };
        if from > to {
            return Err(DomainError::bad_input(
                "yearFrom",
                "yearFrom comes after yearTo",
            ));
        }
        if to - from >= MAX_TREND_YEARS {
            return Err(DomainError::limit(format!(
                "a trend spans at most {MAX_TREND_YEARS} years"
            ))
            .with_field("yearTo"));
        }
        let mut in_range = RoaringBitmap::new();
        for (_, b) in self.start_year.range(from..=to) {
            in_range |= b;
        }
        in_range &= population;
        let values = self.dimension(viewer, d, &in_range);
        Ok((from..=to)
            .map(|year| {
                let of_year = self
                    .start_year
                    .get(&year)
                    .map(|b| b & &in_range)
                    .unwrap_or_default();
                let total = of_year.len();
                TrendYear {
                    year,
                    total,
                    values: values
                        .iter()
                        .map(|(v, b)| {
                            let count = b.intersection_len(&of_year);
                            TrendValue {
                                value: v.clone(),
                                count,
                                share: if total == 0 {
                                    0.0
                                } else {
                                    count as f64 / total as f64
                                },
                            }
                        })
                        .collect(),
                }
            })
            .collect())
    }
}

/// Past this many cells a table is counted member by member instead of one
/// intersection per cell: topic × organisation has some 150,000 cells, most of them
/// empty, while each initiative holds a few pairs.
const DENSE_CELLS: usize = 4_096;

/// `|rows[i] ∩ columns[j]|` for every pair, row by row.
fn counts(rows: &[&RoaringBitmap], columns: &[&RoaringBitmap]) -> Vec<u64> {
    let width = columns.len();
    let mut out = vec![0u64; rows.len() * width];
    if rows.len() * width <= DENSE_CELLS {
        for (i, rb) in rows.iter().enumerate() {
            for (j, cb) in columns.iter().enumerate() {
                out[i * width + j] = rb.intersection_len(cb);
            }
        }
        return out;
    }
    // The rows of each member, compressed: `starts[m]..starts[m + 1]` of `in_rows`. Then
    // each column's members add one to the cells of their rows.
    let size = rows
        .iter()
        .filter_map(|b| b.max())
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut starts = vec![0usize; size + 1];
    for rb in rows {
        for m in rb.iter() {
            starts[m as usize + 1] += 1;
        }
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut fill = starts.clone();
    let mut in_rows = vec![0u32; starts[size]];
    for (i, rb) in rows.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        for m in rb.iter() {
            let at = &mut fill[m as usize];
            in_rows[*at] = i;
            *at += 1;
        }
    }
    for (j, cb) in columns.iter().enumerate() {
        for m in cb.iter() {
            let m = m as usize;
            if m >= size {
                continue;
            }
            for &i in &in_rows[starts[m]..starts[m + 1]] {
                out[i as usize * width + j] += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::tests::facts;
    use kb_domain::{InitiativeFilter, OrganisationId, Status, Theme, ThemeId};

    #[test]
    fn wide_tables_count_member_by_member_as_intersections_do() {
        // 100 rows × 60 columns, members spread by a fixed pattern; one column reaches
        // past every row's largest member.
        let rows: Vec<RoaringBitmap> = (0..100u32)
            .map(|i| (0..2_000u32).filter(|m| (m * 7 + i) % 13 < 3).collect())
            .collect();
        let mut columns: Vec<RoaringBitmap> = (0..60u32)
            .map(|j| {
                (0..2_000u32)
                    .filter(|m| (m * 11 + j * 3) % 17 < 2)
                    .collect()
            })
            .collect();
        columns[0].insert(5_000);
        let r: Vec<&RoaringBitmap> = rows.iter().collect();
        let c: Vec<&RoaringBitmap> = columns.iter().collect();
        assert!(r.len() * c.len() > DENSE_CELLS);
        let sparse = counts(&r, &c);
        for (i, rb) in r.iter().enumerate() {
            for (j, cb) in c.iter().enumerate() {
                assert_eq!(
                    sparse[i * c.len() + j],
                    rb.intersection_len(cb),
                    "{i} × {j}"
                );
            }
        }
        assert!(sparse.iter().any(|n| *n > 0));
    }

    fn theme(id: i64, code: &str) -> Theme {
        Theme {
            id: ThemeId(id),
            code: code.into(),
            label: Localised::new(code, None),
            definition: Localised::new("", None),
            position: id as i32,
        }
    }

    /// Six published initiatives and a draft: themes 1 and 2, kinds, start years.
    fn small() -> Projection {
        let rows: [(i64, &[i64], InitiativeKind, i32); 6] = [
            (1, &[1], InitiativeKind::Guide, 2020),
            (2, &[1, 2], InitiativeKind::Guide, 2020),
            (3, &[1, 2], InitiativeKind::Tool, 2021),
            (4, &[2], InitiativeKind::Tool, 2021),
            (5, &[2], InitiativeKind::Tool, 2021),
            (6, &[1], InitiativeKind::Research, 2023),
        ];
        let mut all: Vec<kb_store::InitiativeFacts> = rows
            .iter()
            .map(|(id, themes, kind, year)| {
                let mut f = facts(*id);
                f.themes = themes.iter().map(|t| ThemeId(*t)).collect();
                f.kind = *kind;
                f.start_year = Some(*year);
                f
            })
            .collect();
        let mut draft = facts(7);
        draft.status = Status::Draft;
        draft.themes = vec![ThemeId(1), ThemeId(2)];
        draft.organisations = vec![OrganisationId(9)];
        draft.start_year = Some(2020);
        all.push(draft);
        Projection::new(
            all,
            vec![],
            vec![theme(1, "policy"), theme(2, "support")],
            vec![],
        )
    }

    fn public(p: &Projection) -> RoaringBitmap {
        p.select(Viewer::Anonymous, &InitiativeFilter::default())
            .expect("select")
    }

    #[test]
    fn theme_by_kind_counts_each_cell_and_its_margins() {
        let p = small();
        let t = p.cooccurrence(
            Viewer::Anonymous,
            Dimension::Theme,
            Dimension::Kind,
            &public(&p),
            0,
        );
        assert_eq!(t.population, 6);
        let names = |m: &[Margin]| {
            m.iter()
                .map(|m| (m.value.value.clone(), m.total))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&t.rows),
            vec![("policy".into(), 4), ("support".into(), 4)]
        );
        assert_eq!(
            names(&t.columns),
            vec![
                ("guide".into(), 2),
                ("research".into(), 1),
                ("tool".into(), 3)
            ]
        );
        let counts: Vec<u64> = t.cells.iter().map(|c| c.measures.count).collect();
        assert_eq!(counts, vec![2, 1, 1, 1, 0, 3]);
        // support × tool: 3 of 6, row 4, column 3.
        let m = t.cells[5].measures;
        assert_eq!(m.expected, 2.0);
        assert_eq!(m.lift, 1.5);
        assert_eq!(m.jaccard, 0.75);
        // P(X ≥ 3) with 6 items, 4 successes, 3 drawn: C(4,3)·C(2,0) / C(6,3) = 4/20.
        assert!((m.p_value - 0.2).abs() < 1e-15);
        let only_common = p.cooccurrence(
            Viewer::Anonymous,
            Dimension::Theme,
            Dimension::Kind,
            &public(&p),
            2,
        );
        assert_eq!(only_common.cells.len(), 2);
    }

    #[test]
    fn a_draft_counts_only_for_those_who_see_it() {
        let p = small();
        let all = InitiativeFilter {
            statuses: Status::ALL.to_vec(),
            ..Default::default()
        };
        let editor = p.select(Viewer::Editor, &all).expect("select");
        let t = p.cooccurrence(
            Viewer::Editor,
            Dimension::Theme,
            Dimension::Theme,
            &editor,
            0,
        );
        assert_eq!(t.population, 7);
        assert_eq!(t.cells[1].measures.count, 3);
        let public = p.select(Viewer::Anonymous, &all).expect("select");
        let t = p.cooccurrence(
            Viewer::Anonymous,
            Dimension::Theme,
            Dimension::Theme,
            &public,
            0,
        );
        assert_eq!(t.population, 6);
        assert_eq!(t.cells[1].measures.count, 2);
    }

    #[test]
    fn a_trend_gives_every_year_of_the_range_with_shares() {
        let p = small();
        let years = p
            .trend(Viewer::Anonymous, Dimension::Kind, None, None, &public(&p))
            .expect("trend");
        assert_eq!(
            years.iter().map(|y| (y.year, y.total)).collect::<Vec<_>>(),
            vec![(2020, 2), (2021, 3), (2022, 0), (2023, 1)]
        );
        let y2021: Vec<(String, u64, f64)> = years[1]
            .values
            .iter()
            .map(|v| (v.value.value.clone(), v.count, v.share))
            .collect();
        assert_eq!(
            y2021,
            vec![
                ("guide".into(), 0, 0.0),
                ("research".into(), 0, 0.0),
                ("tool".into(), 3, 1.0)
            ]
        );
        assert!(years[2].values.iter().all(|v| v.share == 0.0));
        let narrow = p
            .trend(
                Viewer::Anonymous,
                Dimension::Theme,
                Some(2021),
                Some(2021),
                &public(&p),
            )
            .expect("trend");
        let shares: Vec<f64> = narrow[0].values.iter().map(|v| v.share).collect();
        assert_eq!(shares, vec![1.0 / 3.0, 1.0]);
        assert!(
            p.trend(
                Viewer::Anonymous,
                Dimension::Kind,
                Some(2022),
                Some(2020),
                &public(&p)
            )
            .is_err()
        );
    }
}
