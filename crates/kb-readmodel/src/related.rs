//! Related initiatives and lineage, from the typed edges the projection holds.
//!
//! Relatedness scores another initiative by what it shares with this one, each shared
//! value weighted by its rarity (inverse document frequency over the published
//! initiatives, `ln(1 + N / df)`): a rare topic shared says more than a common one.
//!
//! | shared            | weight × idf |
//! | ----------------- | ------------ |
//! | topic             | 1.0          |
//! | theme             | 0.5          |
//! | organisation      | 0.75         |
//! | explicit link (either direction, any type) | 2.0 (flat) |
//!
//! Ties go to the lower id, so the order is the same on every run.

use std::collections::{HashMap, HashSet, VecDeque};

use kb_domain::{InitiativeId, LinkType, OrganisationId, Status, ThemeId, TopicId, Viewer};
use roaring::RoaringBitmap;

use crate::projection::{Projection, member};

/// Weight of a shared topic, per unit of its idf.
pub const TOPIC_WEIGHT: f64 = 1.0;
/// Weight of a shared theme, per unit of its idf.
pub const THEME_WEIGHT: f64 = 0.5;
/// Weight of a shared organisation, per unit of its idf.
pub const ORGANISATION_WEIGHT: f64 = 0.75;
/// What an explicit link between the two adds.
pub const LINK_WEIGHT: f64 = 2.0;

/// Another initiative, how related it is, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub id: InitiativeId,
    pub score: f64,
    pub topics: Vec<TopicId>,
    pub themes: Vec<ThemeId>,
    pub organisations: Vec<OrganisationId>,
    /// The types of the links between the two, either direction.
    pub links: Vec<LinkType>,
}

/// Collecting into a sorted vector.
trait Sorted<T: Ord>: Iterator<Item = T> + Sized {
    fn sorted(self) -> Vec<T> {
        let mut v: Vec<T> = self.collect();
        v.sort();
        v
    }
}

impl<T: Ord, I: Iterator<Item = T>> Sorted<T> for I {}

/// Which way lineage goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What this initiative builds on or was inspired by, and so on.
    Up,
    /// What builds on or was inspired by this initiative, and so on.
    Down,
}

/// An initiative reached by lineage, with the way there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageStep {
    pub id: InitiativeId,
    /// How many links from the start.
    pub depth: u32,
    /// The initiatives between the start (excluded) and this one (included).
    pub path: Vec<InitiativeId>,
    /// The type of the last link of the path.
    pub via: LinkType,
}

fn idf(bitmap: &RoaringBitmap, published: &RoaringBitmap) -> f64 {
    let n = published.len() as f64;
    let df = bitmap.intersection_len(published) as f64;
    if df == 0.0 {
        return 0.0;
    }
    (1.0 + n / df).ln()
}

impl Projection {
    /// The `first` initiatives most related to `id` that `viewer` may see, best first.
    pub fn related(&self, viewer: Viewer, id: InitiativeId, first: usize) -> Vec<Related> {
        let Some(me) = member(id) else {
            return Vec::new();
        };
        let Some(f) = self.facts.get(&me) else {
            return Vec::new();
        };
        let visible = self.visible(viewer);
        let published = self.status.any([&Status::Published]);
        // Scores accumulate in a dense array indexed by row id: broad themes touch tens of
        // thousands of initiatives, and a map would cost more than the sums.
        let size = self.all.max().map_or(0, |m| m as usize + 1);
        let mut score = vec![0f64; size];
        let mut candidates = RoaringBitmap::new();
        let features: Vec<(&RoaringBitmap, f64)> = f
            .topics
            .iter()
            .filter_map(|t| self.topic.by.get(t).map(|b| (b, TOPIC_WEIGHT)))
            .chain(
                f.themes
                    .iter()
                    .filter_map(|t| self.theme.by.get(t).map(|b| (b, THEME_WEIGHT))),
            )
            .chain(f.organisations.iter().filter_map(|o| {
                self.organisation
                    .by
                    .get(o)
                    .map(|b| (b, ORGANISATION_WEIGHT))
            }))
            .collect();
        for (b, weight) in &features {
            let w = weight * idf(b, &published);
            let shared = *b & &visible;
            for other in &shared {
                if let Some(s) = score.get_mut(other as usize) {
                    *s += w;
                }
            }
            candidates |= shared;
        }
        let mut linked: HashMap<u32, Vec<LinkType>> = HashMap::new();
        let links = f
            .links
            .iter()
            .filter_map(|(to, t)| member(*to).map(|m| (m, *t)))
            .chain(self.links_in.get(&me).into_iter().flatten().copied());
        for (other, t) in links {
            if other == me || !visible.contains(other) {
                continue;
            }
            let types = linked.entry(other).or_default();
            if types.is_empty()
                && let Some(s) = score.get_mut(other as usize)
            {
                *s += LINK_WEIGHT;
            }
            if !types.contains(&t) {
                types.push(t);
            }
            candidates.insert(other);
        }
        candidates.remove(me);
        let at = |m: u32| score.get(m as usize).copied().unwrap_or(0.0);
        let better = |a: &u32, b: &u32| at(*b).total_cmp(&at(*a)).then(a.cmp(b));
        let mut best: Vec<u32> = candidates.iter().filter(|m| at(*m) > 0.0).collect();
        if first < best.len() && first > 0 {
            best.select_nth_unstable_by(first - 1, better);
        }
        best.truncate(first);
        best.sort_unstable_by(better);
        // The reasons, for the few that are shown.
        best.into_iter()
            .map(|m| {
                let has = |b: Option<&RoaringBitmap>| b.is_some_and(|b| b.contains(m));
                let mut links = linked.remove(&m).unwrap_or_default();
                links.sort();
                Related {
                    id: InitiativeId(i64::from(m)),
                    score: at(m),
                    topics: f
                        .topics
                        .iter()
                        .copied()
                        .filter(|t| has(self.topic.by.get(t)))
                        .sorted(),
                    themes: f
                        .themes
                        .iter()
                        .copied()
                        .filter(|t| has(self.theme.by.get(t)))
                        .sorted(),
                    organisations: f
                        .organisations
                        .iter()
                        .copied()
                        .filter(|o| has(self.organisation.by.get(o)))
                        .sorted(),
                    links,
                }
            })
            .collect()
    }

    /// The initiatives reached from `id` by BUILDS_ON and INSPIRED_BY links in
    /// `direction`, up to `depth` links away, nearest first; each once, by its shortest
    /// path, through initiatives `viewer` may see only. Safe against cycles.
    pub fn lineage(
        &self,
        viewer: Viewer,
        id: InitiativeId,
        direction: Direction,
        depth: u32,
    ) -> Vec<LineageStep> {
        let Some(start) = member(id) else {
            return Vec::new();
        };
        let visible = self.visible(viewer);
        if !visible.contains(start) {
            return Vec::new();
        }
        let lineal = |t: &LinkType| matches!(t, LinkType::BuildsOn | LinkType::InspiredBy);
        let next = |at: u32| -> Vec<(u32, LinkType)> {
            let mut out: Vec<(u32, LinkType)> = match direction {
                Direction::Up => self
                    .facts
                    .get(&at)
                    .map(|f| {
                        f.links
                            .iter()
                            .filter_map(|(to, t)| member(*to).map(|m| (m, *t)))
                            .collect()
                    })
                    .unwrap_or_default(),
                Direction::Down => self.links_in.get(&at).cloned().unwrap_or_default(),
            };
            out.retain(|(_, t)| lineal(t));
            out.sort();
            out
        };
        let mut seen: HashSet<u32> = HashSet::from([start]);
        let mut queue: VecDeque<(u32, Vec<InitiativeId>)> = VecDeque::from([(start, Vec::new())]);
        let mut steps = Vec::new();
        while let Some((at, path)) = queue.pop_front() {
            if path.len() as u32 >= depth {
                continue;
            }
            for (other, via) in next(at) {
                if !visible.contains(other) || !seen.insert(other) {
                    continue;
                }
                let mut p = path.clone();
                p.push(InitiativeId(i64::from(other)));
                steps.push(LineageStep {
                    id: InitiativeId(i64::from(other)),
                    depth: p.len() as u32,
                    path: p.clone(),
                    via,
                });
                queue.push_back((other, p));
            }
        }
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::tests::facts;

    fn initiative(
        id: i64,
        topic: i64,
        theme: i64,
        org: i64,
        links: Vec<(i64, LinkType)>,
    ) -> kb_store::InitiativeFacts {
        let mut f = facts(id);
        f.topics = vec![TopicId(topic)];
        f.themes = vec![ThemeId(theme)];
        f.organisations = vec![OrganisationId(org)];
        f.links = links
            .into_iter()
            .map(|(to, t)| (InitiativeId(to), t))
            .collect();
        f
    }

    fn related_graph() -> Projection {
        let mut draft = initiative(5, 2, 2, 3, vec![]);
        draft.status = Status::Draft;
        Projection::new(
            vec![
                initiative(1, 1, 1, 1, vec![]),
                initiative(2, 1, 1, 2, vec![]),
                initiative(3, 2, 1, 1, vec![]),
                initiative(4, 2, 1, 2, vec![(1, LinkType::BuildsOn)]),
                draft,
            ],
            vec![],
            vec![],
            vec![],
        )
    }

    #[test]
    fn related_initiatives_are_scored_by_rarity_and_links() {
        let p = related_graph();
        let got = p.related(Viewer::Anonymous, InitiativeId(1), 10);
        let ln3 = 3f64.ln();
        let ln2 = 2f64.ln();
        let expected = [
            (4, 0.5 * ln2 + LINK_WEIGHT),
            (2, 1.0 * ln3 + 0.5 * ln2),
            (3, 0.5 * ln2 + 0.75 * ln3),
        ];
        assert_eq!(got.len(), 3, "{got:?}");
        for (r, (id, score)) in got.iter().zip(expected) {
            assert_eq!(r.id, InitiativeId(id));
            assert!((r.score - score).abs() < 1e-9, "{} vs {score}", r.score);
        }
        assert_eq!(got[0].links, vec![LinkType::BuildsOn]);
        assert_eq!(got[1].topics, vec![TopicId(1)]);
        assert_eq!(got[2].organisations, vec![OrganisationId(1)]);
        assert_eq!(got[2].themes, vec![ThemeId(1)]);
        // The draft shares nothing with 1 and is never shown to the public anyway.
        assert!(
            p.related(Viewer::Editor, InitiativeId(1), 10)
                .iter()
                .all(|r| r.id != InitiativeId(5))
        );
        assert_eq!(p.related(Viewer::Anonymous, InitiativeId(1), 2).len(), 2);
    }

    #[test]
    fn a_draft_is_related_only_for_those_who_may_see_it() {
        let p = related_graph();
        let ids = |v| {
            p.related(v, InitiativeId(3), 10)
                .into_iter()
                .map(|r| r.id.0)
                .collect::<Vec<_>>()
        };
        assert!(!ids(Viewer::Anonymous).contains(&5));
        assert!(ids(Viewer::Editor).contains(&5));
    }

    #[test]
    fn lineage_follows_builds_on_and_inspired_by_and_stops_at_cycles() {
        let p = Projection::new(
            vec![
                initiative(1, 1, 1, 1, vec![(2, LinkType::BuildsOn)]),
                initiative(2, 1, 1, 1, vec![(4, LinkType::InspiredBy)]),
                initiative(3, 1, 1, 1, vec![(4, LinkType::RelatedTo)]),
                initiative(4, 1, 1, 1, vec![(1, LinkType::BuildsOn)]),
            ],
            vec![],
            vec![],
            vec![],
        );
        let up = p.lineage(Viewer::Anonymous, InitiativeId(4), Direction::Up, 5);
        let path = |s: &LineageStep| s.path.iter().map(|i| i.0).collect::<Vec<_>>();
        assert_eq!(
            up.iter().map(path).collect::<Vec<_>>(),
            vec![vec![1], vec![1, 2]]
        );
        assert_eq!(up[0].via, LinkType::BuildsOn);
        assert_eq!(up[1].depth, 2);
        let down = p.lineage(Viewer::Anonymous, InitiativeId(4), Direction::Down, 5);
        assert_eq!(
            down.iter().map(path).collect::<Vec<_>>(),
            vec![vec![2], vec![2, 1]]
        );
        assert_eq!(down[0].via, LinkType::InspiredBy);
        // RELATED_TO is no lineage; depth bounds the walk.
        assert_eq!(
            p.lineage(Viewer::Anonymous, InitiativeId(4), Direction::Down, 1)
                .len(),
            1
        );
        assert!(
            p.lineage(Viewer::Anonymous, InitiativeId(3), Direction::Up, 5)
                .is_empty()
        );
    }
}
