//! Co-occurrence of the values of two dimensions, counted as intersections of the
//! projection's bitmaps within a population (the initiatives a filter holds for a
//! viewer); the values of a dimension, which trends count too.
//!
//! A dimension's values are those held by at least one initiative of the population, in
//! the taxonomy's order (themes, topics, vocabularies), by name (organisations), by code
//! (languages) or oldest first (years). As in the facets, a root topic counts the
//! initiatives of its whole subtree, a narrower topic those filed under it; an
//! organisation kind counts the initiatives of the organisations of that kind the viewer
//! sees; the year is the start year.

use kb_domain::lang::Localised;
use kb_domain::{
    DomainError, EducationLevel, EvidenceLevel, InitiativeKind, NodeId, OrganisationKind, Region,
    TargetGroup, Viewer, Vocabulary,
};
use kb_store::access::sees_organisation;
use roaring::RoaringBitmap;

use super::counting::{Members, counts};
use super::fdr::benjamini_hochberg;
use super::stats::{CellMeasures, LnFactorials, cell_with};
use crate::projection::{Index, Projection};

/// What initiatives are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Theme,
    /// Every topic: a root counts its subtree, a narrower topic what is filed under it.
    Topic,
    /// The first level of the topic tree: the roots, each counting its subtree.
    BroadTopic,
    /// The second level: the narrower topics, each counting what is filed under it.
    NarrowTopic,
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

/// The most cells a table may have (rows × columns): every cell is measured, so a
/// table of two dimensions of thousands of values each is refused rather than counted.
pub const MAX_CELLS: usize = 1_000_000;

/// One cell: indexes into the rows and columns, its measures, and the false discovery
/// rates of its p-values over every cell of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: usize,
    pub column: usize,
    pub measures: CellMeasures,
    /// The Benjamini–Hochberg q-value of `p_value` among all rows × columns cells.
    pub q_value: f64,
    /// The Benjamini–Hochberg q-value of `p_under` among all rows × columns cells.
    pub q_under: f64,
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

impl Cooccurrence {
    /// The table with only the cells counting at least `min_count`: what counting with
    /// that minimum gives.
    pub fn at_least(&self, min_count: u64) -> Cooccurrence {
        Cooccurrence {
            population: self.population,
            rows: self.rows.clone(),
            columns: self.columns.clone(),
            cells: self
                .cells
                .iter()
                .filter(|c| c.measures.count >= min_count)
                .cloned()
                .collect(),
        }
    }

    /// The places in `cells` of the cells with fewer initiatives than chance predicts,
    /// at a false discovery rate under `max_q`: the most surprising first (lowest
    /// `q_under`, then the largest shortfall `expected − count`, then row by row).
    pub fn gaps(&self, max_q: f64) -> Vec<usize> {
        let cells = &self.cells;
        let mut gaps: Vec<usize> = (0..cells.len())
            .filter(|&i| cells[i].q_under < max_q)
            .collect();
        let shortfall = |c: &Cell| c.measures.expected - c.measures.count as f64;
        gaps.sort_by(|&a, &b| {
            let (a, b) = (&cells[a], &cells[b]);
            a.q_under
                .total_cmp(&b.q_under)
                .then(shortfall(b).total_cmp(&shortfall(a)))
                .then((a.row, a.column).cmp(&(b.row, b.column)))
        });
        gaps
    }
}

fn vocabulary<'a, V: Vocabulary>(
    p: &Projection,
    index: &Index<&'static str>,
    population: &RoaringBitmap,
) -> Vec<(DimensionValue, Members<'a>)> {
    V::ALL
        .iter()
        .filter_map(|v| {
            let code = v.code();
            let b = index.by.get(&code)? & population;
            Some((label_of(p, V::NAME, code), Members::Within(b)))
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
    ) -> Vec<(DimensionValue, Members<'_>)> {
        let within = |b: RoaringBitmap| Members::Within(b);
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
                            within(b),
                        ))
                    })
                    .collect()
            }
            Dimension::Topic => self.topic_values(population, |_| true),
            Dimension::BroadTopic => self.topic_values(population, |t| t.broader_id.is_none()),
            Dimension::NarrowTopic => self.topic_values(population, |t| t.broader_id.is_some()),
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
                        Some((label_of(self, "language", c), within(b)))
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
                        within(b & population),
                    )
                })
                .collect(),
            Dimension::Organisation => {
                // Counted before anything else: a filter leaves most organisations
                // without initiatives, and those are never named or sorted.
                let mut orgs: Vec<(&kb_store::OrganisationFacts, &RoaringBitmap, u64)> = self
                    .organisations
                    .values()
                    .filter(|o| sees_organisation(viewer, o.id, o.status))
                    .filter_map(|o| {
                        let all = self.organisation.by.get(&o.id)?;
                        let total = all.intersection_len(population);
                        (total > 0).then_some((o, all, total))
                    })
                    .collect();
                orgs.sort_by(|(a, ..), (b, ..)| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
                orgs.into_iter()
                    .map(|(o, all, total)| {
                        (
                            DimensionValue {
                                value: o.id.global().encode(),
                                label: Localised::new(o.name.clone(), None),
                            },
                            Members::Whole { all, total },
                        )
                    })
                    .collect()
            }
            Dimension::OrganisationKind => {
                let by_kind = self.organisation_kinds(viewer);
                OrganisationKind::ALL
                    .iter()
                    .filter_map(|k| {
                        let b = by_kind.get(&k.code())? & population;
                        Some((label_of(self, OrganisationKind::NAME, k.code()), within(b)))
                    })
                    .collect()
            }
        };
        out.retain(|(_, m)| m.total() > 0);
        out
    }

    /// The topics `level` holds, in the taxonomy's order; a root counts its subtree.
    fn topic_values(
        &self,
        population: &RoaringBitmap,
        level: impl Fn(&kb_domain::Topic) -> bool,
    ) -> Vec<(DimensionValue, Members<'_>)> {
        let subtrees = self.subtrees();
        let mut topics: Vec<&kb_domain::Topic> = self.topics.iter().filter(|t| level(t)).collect();
        topics.sort_by_key(|t| (t.position, t.id));
        topics
            .into_iter()
            .map(|t| {
                let all = if t.broader_id.is_none() {
                    subtrees.get(&t.id)
                } else {
                    self.topic.by.get(&t.id)
                };
                (
                    DimensionValue {
                        value: t.code.clone(),
                        label: t.label.clone(),
                    },
                    Members::Within(all.map(|b| b & population).unwrap_or_default()),
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
    ) -> Result<Cooccurrence, DomainError> {
        let n = population.len();
        let r = self.dimension(viewer, rows, population);
        let c = self.dimension(viewer, columns, population);
        if r.len().saturating_mul(c.len()) > MAX_CELLS {
            return Err(DomainError::limit(format!(
                "a table has at most {MAX_CELLS} cells; {} × {} is more",
                r.len(),
                c.len()
            ))
            .with_field("columns"));
        }
        let row_sets: Vec<&Members> = r.iter().map(|(_, m)| m).collect();
        let column_sets: Vec<&Members> = c.iter().map(|(_, m)| m).collect();
        let counts = counts(&row_sets, &column_sets, population);
        let column_totals: Vec<u64> = column_sets.iter().map(|m| m.total()).collect();
        let ln = LnFactorials::upto(n);
        // Every cell is measured, those under `min_count` too: the false discovery rate
        // is over the whole table, whatever part of it is answered.
        let mut cells = Vec::with_capacity(counts.len());
        let by_row = counts.chunks(column_totals.len().max(1));
        for (i, (rm, row)) in row_sets.iter().zip(by_row).enumerate() {
            let rt = rm.total();
            for (j, (a, ct)) in row.iter().zip(&column_totals).enumerate() {
                cells.push(Cell {
                    row: i,
                    column: j,
                    measures: cell_with(&ln, u64::from(*a), rt, *ct, n),
                    q_value: 1.0,
                    q_under: 1.0,
                });
            }
        }
        let over: Vec<f64> = cells.iter().map(|c| c.measures.p_value).collect();
        let under: Vec<f64> = cells.iter().map(|c| c.measures.p_under).collect();
        for ((c, q), qu) in cells
            .iter_mut()
            .zip(benjamini_hochberg(&over))
            .zip(benjamini_hochberg(&under))
        {
            c.q_value = q;
            c.q_under = qu;
        }
        cells.retain(|c| c.measures.count >= min_count);
        let margins = |v: Vec<(DimensionValue, Members)>| {
            v.into_iter()
                .map(|(value, m)| Margin {
                    total: m.total(),
                    value,
                })
                .collect()
        };
        Ok(Cooccurrence {
            population: n,
            rows: margins(r),
            columns: margins(c),
            cells,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::tests::facts;
    use kb_domain::{InitiativeFilter, OrganisationId, Status, Theme, ThemeId};

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
        let t = p
            .cooccurrence(
                Viewer::Anonymous,
                Dimension::Theme,
                Dimension::Kind,
                &public(&p),
                0,
            )
            .expect("a table");
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
        let only_common = p
            .cooccurrence(
                Viewer::Anonymous,
                Dimension::Theme,
                Dimension::Kind,
                &public(&p),
                2,
            )
            .expect("a table");
        assert_eq!(only_common.cells.len(), 2);
    }

    #[test]
    fn a_table_cut_to_a_minimum_is_the_table_counted_with_it() {
        let p = small();
        let all = p
            .cooccurrence(
                Viewer::Anonymous,
                Dimension::Theme,
                Dimension::Kind,
                &public(&p),
                0,
            )
            .expect("a table");
        for min_count in 0..5 {
            let counted = p
                .cooccurrence(
                    Viewer::Anonymous,
                    Dimension::Theme,
                    Dimension::Kind,
                    &public(&p),
                    min_count,
                )
                .expect("a table");
            assert_eq!(all.at_least(min_count), counted, "{min_count}");
        }
        assert_eq!(all.at_least(3).cells.len(), 1);
    }

    #[test]
    fn a_draft_counts_only_for_those_who_see_it() {
        let p = small();
        let all = InitiativeFilter {
            statuses: Status::ALL.to_vec(),
            ..Default::default()
        };
        let editor = p.select(Viewer::Editor, &all).expect("select");
        let t = p
            .cooccurrence(
                Viewer::Editor,
                Dimension::Theme,
                Dimension::Theme,
                &editor,
                0,
            )
            .expect("a table");
        assert_eq!(t.population, 7);
        assert_eq!(t.cells[1].measures.count, 3);
        let public = p.select(Viewer::Anonymous, &all).expect("select");
        let t = p
            .cooccurrence(
                Viewer::Anonymous,
                Dimension::Theme,
                Dimension::Theme,
                &public,
                0,
            )
            .expect("a table");
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
