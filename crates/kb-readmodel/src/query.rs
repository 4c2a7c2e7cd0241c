//! Questions the projection answers: which initiatives a filter holds for a viewer, a page
//! of them in an order, how many, and how they spread over every facet. Filters mean
//! exactly what the store's SQL means (AND across fields, OR within one; a topic includes
//! its narrower topics; visibility by the store's access rule), which the oracle tests
//! hold it to.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use kb_domain::{
    DomainError, InitiativeFilter, InitiativeId, InitiativeOrder, Page, PageRequest, Status,
    TopicId, Viewer, Vocabulary,
};
use kb_store::access::{InitiativeAccess, initiative_access, sees_organisation, statuses};
use kb_store::{FacetCount, InitiativeFacets, InitiativeFacts};
use roaring::RoaringBitmap;

use crate::projection::{Projection, SortFacts};

/// The facets of initiative lists, each tied to the filter field it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Facet {
    Themes,
    Topics,
    Kinds,
    OrganisationKinds,
    TargetGroups,
    EducationLevels,
    Regions,
    EvidenceLevels,
    Languages,
    Years,
}

impl Facet {
    const ALL: [Facet; 10] = [
        Facet::Themes,
        Facet::Topics,
        Facet::Kinds,
        Facet::OrganisationKinds,
        Facet::TargetGroups,
        Facet::EducationLevels,
        Facet::Regions,
        Facet::EvidenceLevels,
        Facet::Languages,
        Facet::Years,
    ];

    /// Drops this facet's own field from a filter.
    fn clear(self, f: &mut InitiativeFilter) {
        match self {
            Facet::Themes => f.themes.clear(),
            Facet::Topics => f.topics.clear(),
            Facet::Kinds => f.kinds.clear(),
            Facet::OrganisationKinds => f.organisation_kinds.clear(),
            Facet::TargetGroups => f.target_groups.clear(),
            Facet::EducationLevels => f.education_levels.clear(),
            Facet::Regions => f.regions.clear(),
            Facet::EvidenceLevels => f.evidence_levels.clear(),
            Facet::Languages => f.languages.clear(),
            Facet::Years => {
                f.year_from = None;
                f.year_to = None;
            }
        }
    }
}

/// What a nested list of initiatives hangs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parent {
    Theme(kb_domain::ThemeId),
    Topic(TopicId),
    Organisation(kb_domain::OrganisationId),
    /// The initiatives an event features.
    Event(kb_domain::EventId),
}

fn codes<V: Vocabulary>(values: &[V]) -> Vec<&'static str> {
    values.iter().map(|v| v.code()).collect()
}

/// Refuses the first code that names nothing, as the store does.
fn known(
    field: &str,
    what: &str,
    codes: &[String],
    found: &HashSet<&str>,
) -> Result<(), DomainError> {
    match codes.iter().find(|c| !found.contains(c.as_str())) {
        Some(bad) => Err(DomainError::bad_input(
            field,
            format!("unknown {what} `{bad}`"),
        )),
        None => Ok(()),
    }
}

impl Projection {
    /// The initiatives `viewer` may see, by the store's access rule.
    pub fn visible(&self, viewer: Viewer) -> RoaringBitmap {
        match initiative_access(viewer) {
            InitiativeAccess::Everything => self.all.clone(),
            InitiativeAccess::Published { also_of } => {
                let mut b = self.status.any([&Status::Published]);
                if let Some(org) = also_of
                    && let Some(own) = self.organisation.by.get(&org)
                {
                    b |= own;
                }
                b
            }
        }
    }

    /// The topics with these ids and every topic below them.
    fn subtree(&self, roots: &[TopicId]) -> Vec<TopicId> {
        let tree: Vec<(TopicId, Option<TopicId>)> =
            self.topics.iter().map(|t| (t.id, t.broader_id)).collect();
        kb_domain::with_narrower(&tree, roots.to_vec())
    }

    /// The initiatives of a filter for a viewer: the bitmap a list, its count and its
    /// facets are cut from. Unknown theme or topic codes are bad input.
    pub fn select(
        &self,
        viewer: Viewer,
        f: &InitiativeFilter,
    ) -> Result<RoaringBitmap, DomainError> {
        f.validate()?;
        let mut b = self.visible(viewer);
        b &= self.status.any(&statuses(viewer, &f.statuses));
        if !f.themes.is_empty() {
            let found: HashSet<&str> = self.themes.iter().map(|t| t.code.as_str()).collect();
            known("filter.themes", "theme", &f.themes, &found)?;
            let ids: Vec<_> = self
                .themes
                .iter()
                .filter(|t| f.themes.contains(&t.code))
                .map(|t| t.id)
                .collect();
            b &= self.theme.any(&ids);
        }
        if !f.topics.is_empty() {
            let found: HashSet<&str> = self.topics.iter().map(|t| t.code.as_str()).collect();
            known("filter.topics", "topic", &f.topics, &found)?;
            let roots: Vec<TopicId> = self
                .topics
                .iter()
                .filter(|t| f.topics.contains(&t.code))
                .map(|t| t.id)
                .collect();
            b &= self.topic.any(&self.subtree(&roots));
        }
        if !f.every_topic.is_empty() {
            let found: HashSet<&str> = self.topics.iter().map(|t| t.code.as_str()).collect();
            known("filter.everyTopic", "topic", &f.every_topic, &found)?;
            for code in &f.every_topic {
                let root: Vec<TopicId> = self
                    .topics
                    .iter()
                    .filter(|t| t.code == *code)
                    .map(|t| t.id)
                    .collect();
                b &= self.topic.any(&self.subtree(&root));
            }
        }
        if !f.kinds.is_empty() {
            b &= self.kind.any(&codes(&f.kinds));
        }
        if !f.organisations.is_empty() {
            b &= self.organisation.any(&f.organisations);
        }
        for o in &f.every_organisation {
            b &= self.organisation.any(std::slice::from_ref(o));
        }
        if !f.organisation_kinds.is_empty() {
            let orgs: Vec<_> = self
                .organisations
                .values()
                .filter(|o| {
                    f.organisation_kinds.contains(&o.kind)
                        && sees_organisation(viewer, o.id, o.status)
                })
                .map(|o| o.id)
                .collect();
            b &= self.organisation.any(&orgs);
        }
        if !f.target_groups.is_empty() {
            b &= self.target_group.any(&codes(&f.target_groups));
        }
        if !f.education_levels.is_empty() {
            b &= self.education_level.any(&codes(&f.education_levels));
        }
        if !f.languages.is_empty() {
            b &= self.language.any(&f.languages);
        }
        if !f.regions.is_empty() {
            b &= self.region.any(&codes(&f.regions));
        }
        if !f.evidence_levels.is_empty() {
            b &= self.evidence_level.any(&codes(&f.evidence_levels));
        }
        // A year range keeps initiatives active in it: started (a start year is known) by
        // its end, and not ended before its start.
        if let Some(from) = f.year_from {
            let mut not_ended = self.open_ended.clone();
            for (_, ended) in self.end_year.range(from..) {
                not_ended |= ended;
            }
            b &= not_ended;
            let mut started = RoaringBitmap::new();
            for ids in self.start_year.values() {
                started |= ids;
            }
            b &= started;
        }
        if let Some(to) = f.year_to {
            let mut started = RoaringBitmap::new();
            for (_, ids) in self.start_year.range(..=to) {
                started |= ids;
            }
            b &= started;
        }
        Ok(b)
    }

    /// The initiatives under each root topic, its narrower topics included.
    pub(crate) fn subtrees(&self) -> &HashMap<TopicId, RoaringBitmap> {
        self.ordered.subtrees.get_or_init(|| {
            self.topics
                .iter()
                .filter(|t| t.broader_id.is_none())
                .map(|t| (t.id, self.topic.any(&self.subtree(&[t.id]))))
                .collect()
        })
    }

    /// The initiatives per kind of organisation `viewer` may see; for those who see
    /// published organisations only, computed once after each change.
    pub(crate) fn organisation_kinds(
        &self,
        viewer: Viewer,
    ) -> Cow<'_, BTreeMap<&'static str, RoaringBitmap>> {
        let compute = |viewer: Viewer| {
            let mut by_kind: BTreeMap<&'static str, RoaringBitmap> = BTreeMap::new();
            for o in self.organisations.values() {
                if sees_organisation(viewer, o.id, o.status)
                    && let Some(b) = self.organisation.by.get(&o.id)
                {
                    *by_kind.entry(o.kind.code()).or_default() |= b;
                }
            }
            by_kind
        };
        match viewer {
            Viewer::Anonymous | Viewer::Partner => Cow::Borrowed(
                self.ordered
                    .published_organisation_kinds
                    .get_or_init(|| compute(Viewer::Anonymous)),
            ),
            _ => Cow::Owned(compute(viewer)),
        }
    }

    /// Every initiative in `order`, computed once after each change.
    pub(crate) fn ordered(&self, order: InitiativeOrder) -> &[u32] {
        let cell = match order {
            InitiativeOrder::Newest => &self.ordered.newest,
            InitiativeOrder::Title => &self.ordered.title,
            InitiativeOrder::RecentlyUpdated => &self.ordered.updated,
            InitiativeOrder::LeastRecentlyUpdated => &self.ordered.least_updated,
        };
        cell.get_or_init(|| {
            if order == InitiativeOrder::LeastRecentlyUpdated {
                // The exact reverse of the most recently changed first, ties included.
                let mut all = self.ordered(InitiativeOrder::RecentlyUpdated).to_vec();
                all.reverse();
                return all;
            }
            let mut all: Vec<u32> = self.all.iter().collect();
            all.sort_unstable_by(|a, b| self.compare(order, *a, *b));
            all
        })
    }

    /// Computes every order ahead of the next reader (after a change).
    pub fn warm_orders(&self) {
        for order in [
            InitiativeOrder::Newest,
            InitiativeOrder::Title,
            InitiativeOrder::RecentlyUpdated,
            InitiativeOrder::LeastRecentlyUpdated,
        ] {
            self.ordered(order);
        }
        self.subtrees();
        self.organisation_kinds(Viewer::Anonymous);
    }

    /// How two initiatives compare in `order`; ties go by id as in SQL.
    fn compare(&self, order: InitiativeOrder, a: u32, b: u32) -> Ordering {
        let (Some(x), Some(y)) = (self.sort.get(&a), self.sort.get(&b)) else {
            return a.cmp(&b);
        };
        let by = |x: &SortFacts, y: &SortFacts| match order {
            // Newest first, the never published last.
            InitiativeOrder::Newest => match (x.published_at, y.published_at) {
                (Some(p), Some(q)) => q.cmp(&p),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            InitiativeOrder::Title => x.sort_key.as_bytes().cmp(y.sort_key.as_bytes()),
            InitiativeOrder::RecentlyUpdated => y.updated_at.cmp(&x.updated_at),
            InitiativeOrder::LeastRecentlyUpdated => x.updated_at.cmp(&y.updated_at),
        };
        by(x, y).then_with(|| match order {
            InitiativeOrder::Title | InitiativeOrder::LeastRecentlyUpdated => a.cmp(&b),
            InitiativeOrder::Newest | InitiativeOrder::RecentlyUpdated => b.cmp(&a),
        })
    }

    /// A window of `ids` in `order`, with the total when asked for. Only the window is
    /// ordered in full: a partial selection finds the first `offset + limit + 1`.
    pub fn page(
        &self,
        ids: &RoaringBitmap,
        order: InitiativeOrder,
        page: PageRequest,
    ) -> Page<InitiativeId> {
        let wanted = (page.offset + page.limit + 1).min(ids.len()) as usize;
        let ordered = self.ordered(order);
        // A large selection is read off the list held in order, stopping at the page's
        // end; a small one is sorted by itself.
        let all: Vec<u32> = if ids.len().saturating_mul(16) >= ordered.len() as u64 {
            ordered
                .iter()
                .copied()
                .filter(|m| ids.contains(*m))
                .take(wanted)
                .collect()
        } else {
            let mut all: Vec<u32> = ids.iter().collect();
            if wanted < all.len() && wanted > 0 {
                all.select_nth_unstable_by(wanted - 1, |a, b| self.compare(order, *a, *b));
                all.truncate(wanted);
            }
            all.sort_unstable_by(|a, b| self.compare(order, *a, *b));
            all
        };
        let start = (page.offset as usize).min(all.len());
        let end = (start + page.limit as usize).min(all.len());
        let has_next = all.len() > end;
        Page {
            items: all[start..end]
                .iter()
                .map(|i| InitiativeId(i64::from(*i)))
                .collect(),
            offset: page.offset,
            total: page.count.then(|| ids.len()),
            has_next,
        }
    }

    /// Counts of `ids` per value of every facet, as the store reports them: most
    /// frequent first; themes and topics then in the taxonomy's order, a root topic
    /// counting its subtree (each initiative once); years oldest first.
    pub fn facets(&self, viewer: Viewer, ids: &RoaringBitmap) -> InitiativeFacets {
        self.facets_within(viewer, &|_| Cow::Borrowed(ids))
    }

    /// Facets as users of faceted search expect them: each facet's counts honour every
    /// other field of the filter but not its own (choosing a second kind must not hide
    /// the first), within `within` (the hits of a search).
    pub fn disjunctive_facets(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
        within: &RoaringBitmap,
    ) -> Result<InitiativeFacets, DomainError> {
        // Facets whose field the filter leaves empty all count over the filter itself.
        let base = self.select(viewer, filter)? & within;
        let mut per: HashMap<Facet, RoaringBitmap> = HashMap::new();
        for facet in Facet::ALL {
            let mut f = filter.clone();
            facet.clear(&mut f);
            if f != *filter {
                per.insert(facet, self.select(viewer, &f)? & within);
            }
        }
        Ok(self.facets_within(viewer, &|facet| {
            Cow::Borrowed(per.get(&facet).unwrap_or(&base))
        }))
    }

    /// Facet counts, each over the initiatives `within` gives for it.
    fn facets_within<'b>(
        &self,
        viewer: Viewer,
        within: &dyn Fn(Facet) -> Cow<'b, RoaringBitmap>,
    ) -> InitiativeFacets {
        fn counts<K: Clone + std::hash::Hash + Eq>(
            index: &crate::projection::Index<K>,
            ids: &RoaringBitmap,
        ) -> Vec<(K, u64)> {
            index
                .by
                .iter()
                .map(|(k, b)| (k.clone(), b.intersection_len(ids)))
                .filter(|(_, n)| *n > 0)
                .collect()
        }
        fn sorted(list: Vec<(String, u64)>) -> Vec<FacetCount<String>> {
            let mut v: Vec<FacetCount<String>> = list
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v
        }
        let owned = |list: Vec<(&'static str, u64)>| -> Vec<(String, u64)> {
            list.into_iter().map(|(k, n)| (k.to_owned(), n)).collect()
        };
        let ids = within(Facet::Years);
        let years = self
            .start_year
            .iter()
            .map(|(y, b)| (*y, b.intersection_len(&ids)))
            .filter(|(_, n)| *n > 0)
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        let by_kind = self.organisation_kinds(viewer);
        let ids = within(Facet::OrganisationKinds);
        let organisation_kinds = by_kind
            .iter()
            .map(|(k, b)| ((*k).to_owned(), b.intersection_len(&ids)))
            .filter(|(_, n)| *n > 0)
            .collect();
        let ids = within(Facet::Themes);
        let mut themes: Vec<FacetCount<kb_domain::Theme>> = self
            .themes
            .iter()
            .filter_map(|t| {
                let n = self.theme.by.get(&t.id)?.intersection_len(&ids);
                (n > 0).then(|| FacetCount {
                    value: t.clone(),
                    count: n,
                })
            })
            .collect();
        themes.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.value.position.cmp(&b.value.position))
        });
        let ids = within(Facet::Topics);
        let mut topics: Vec<FacetCount<kb_domain::Topic>> = self
            .topics
            .iter()
            .filter_map(|t| {
                let n = if t.broader_id.is_none() {
                    self.subtrees().get(&t.id)?.intersection_len(&ids)
                } else {
                    self.topic.by.get(&t.id)?.intersection_len(&ids)
                };
                (n > 0).then(|| FacetCount {
                    value: t.clone(),
                    count: n,
                })
            })
            .collect();
        topics.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.value.position.cmp(&b.value.position))
        });
        InitiativeFacets {
            themes,
            topics,
            kinds: sorted(owned(counts(&self.kind, &within(Facet::Kinds)))),
            organisation_kinds: sorted(organisation_kinds),
            target_groups: sorted(owned(counts(
                &self.target_group,
                &within(Facet::TargetGroups),
            ))),
            education_levels: sorted(owned(counts(
                &self.education_level,
                &within(Facet::EducationLevels),
            ))),
            regions: sorted(owned(counts(&self.region, &within(Facet::Regions)))),
            evidence_levels: sorted(owned(counts(
                &self.evidence_level,
                &within(Facet::EvidenceLevels),
            ))),
            languages: sorted(counts(&self.language, &within(Facet::Languages))),
            years,
        }
    }

    /// The initiatives `viewer` may see directly under a theme, topic or organisation.
    pub fn under(&self, viewer: Viewer, parent: Parent) -> RoaringBitmap {
        let b = match parent {
            Parent::Theme(id) => self.theme.by.get(&id),
            Parent::Topic(id) => self.topic.by.get(&id),
            Parent::Organisation(id) => self.organisation.by.get(&id),
            Parent::Event(id) => {
                let featured: RoaringBitmap = self
                    .graph
                    .events
                    .get(&id)
                    .map(|e| {
                        e.initiatives
                            .iter()
                            .filter_map(|i| crate::projection::member(*i))
                            .collect()
                    })
                    .unwrap_or_default();
                return featured & self.visible(viewer);
            }
        };
        b.map_or_else(RoaringBitmap::new, |b| b & self.visible(viewer))
    }

    /// The facts of the initiatives of a page, in its order (for callers that show
    /// values the projection holds without a database round trip).
    pub fn facts_of(&self, ids: &[InitiativeId]) -> Vec<&InitiativeFacts> {
        ids.iter().filter_map(|id| self.facts(*id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::tests::facts;
    use chrono::{DateTime, Utc};
    use kb_domain::{OrganisationId, OrganisationKind};
    use kb_store::OrganisationFacts;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }

    fn small() -> Projection {
        let mut a = facts(1);
        a.published_at = at("2026-01-01T00:00:00Z");
        a.sort_key = "zebra".into();
        a.start_year = Some(2020);
        a.end_year = Some(2022);
        let mut b = facts(2);
        b.published_at = at("2026-06-01T00:00:00Z");
        b.sort_key = "aap".into();
        b.start_year = Some(2024);
        b.organisations = vec![OrganisationId(2)];
        let mut c = facts(3);
        c.status = Status::Draft;
        c.organisations = vec![OrganisationId(2)];
        c.start_year = Some(2021);
        let orgs = vec![
            OrganisationFacts {
                id: OrganisationId(1),
                kind: OrganisationKind::University,
                status: Status::Published,
                name: "Universiteit".into(),
            },
            OrganisationFacts {
                id: OrganisationId(2),
                kind: OrganisationKind::Other,
                status: Status::Published,
                name: "Netwerk".into(),
            },
        ];
        Projection::new(vec![a, b, c], orgs, vec![], vec![])
    }

    fn ids(p: &Page<InitiativeId>) -> Vec<i64> {
        p.items.iter().map(|i| i.0).collect()
    }

    #[test]
    fn drafts_are_seen_by_their_organisation_and_editors_only() {
        let p = small();
        let all = InitiativeFilter {
            statuses: Status::ALL.to_vec(),
            ..Default::default()
        };
        assert_eq!(p.select(Viewer::Anonymous, &all).expect("select").len(), 2);
        let own = Viewer::Contributor {
            organisation_id: OrganisationId(2),
        };
        assert_eq!(p.select(own, &all).expect("select").len(), 3);
        let other = Viewer::Contributor {
            organisation_id: OrganisationId(1),
        };
        assert_eq!(p.select(other, &all).expect("select").len(), 2);
        assert_eq!(p.select(Viewer::Editor, &all).expect("select").len(), 3);
    }

    #[test]
    fn a_year_range_keeps_initiatives_active_in_it() {
        let p = small();
        let f = |from, to| InitiativeFilter {
            year_from: from,
            year_to: to,
            statuses: Status::ALL.to_vec(),
            ..Default::default()
        };
        let got = |from, to| {
            p.select(Viewer::Editor, &f(from, to))
                .expect("select")
                .iter()
                .collect::<Vec<_>>()
        };
        assert_eq!(got(Some(2023), None), vec![2, 3]);
        assert_eq!(got(None, Some(2021)), vec![1, 3]);
        assert_eq!(got(Some(2021), Some(2022)), vec![1, 3]);
    }

    #[test]
    fn pages_follow_the_order_with_ties_by_id() {
        let p = small();
        let every = p
            .select(
                Viewer::Editor,
                &InitiativeFilter {
                    statuses: Status::ALL.to_vec(),
                    ..Default::default()
                },
            )
            .expect("select");
        let first = PageRequest {
            offset: 0,
            limit: 2,
            count: true,
        };
        let page = p.page(&every, InitiativeOrder::Newest, first);
        assert_eq!(ids(&page), vec![2, 1]);
        assert!(page.has_next);
        assert_eq!(page.total, Some(3));
        let rest = p.page(
            &every,
            InitiativeOrder::Newest,
            PageRequest {
                offset: 2,
                limit: 2,
                count: false,
            },
        );
        assert_eq!(ids(&rest), vec![3]);
        assert!(!rest.has_next);
        let title = p.page(
            &every,
            InitiativeOrder::Title,
            PageRequest {
                offset: 0,
                limit: 10,
                count: false,
            },
        );
        assert_eq!(ids(&title), vec![2, 3, 1]);
    }

    #[test]
    fn facets_count_each_value_within_the_selection() {
        let p = small();
        let public = p
            .select(Viewer::Anonymous, &InitiativeFilter::default())
            .expect("select");
        let f = p.facets(Viewer::Anonymous, &public);
        assert_eq!(
            f.kinds,
            vec![FacetCount {
                value: "guide".to_owned(),
                count: 2
            }]
        );
        assert_eq!(
            f.organisation_kinds,
            vec![
                FacetCount {
                    value: "other".to_owned(),
                    count: 1
                },
                FacetCount {
                    value: "university".to_owned(),
                    count: 1
                }
            ]
        );
        assert_eq!(
            f.years
                .iter()
                .map(|y| (y.value, y.count))
                .collect::<Vec<_>>(),
            vec![(2020, 1), (2024, 1)]
        );
    }

    #[test]
    fn a_disjunctive_facet_ignores_its_own_field_and_honours_the_others() {
        use kb_domain::{InitiativeKind, Region, Theme, ThemeId};
        let make = |id, kind, region| {
            let mut f = facts(id);
            f.kind = kind;
            f.region = Some(region);
            f
        };
        let theme = Theme {
            id: ThemeId(1),
            code: "support".into(),
            label: kb_domain::lang::Localised::new("Ondersteuning", Some("Support".to_owned())),
            definition: kb_domain::lang::Localised::new("", None),
            position: 1,
        };
        let p = Projection::new(
            vec![
                make(1, InitiativeKind::Guide, Region::Zeeland),
                make(2, InitiativeKind::Tool, Region::Zeeland),
                make(3, InitiativeKind::Tool, Region::Friesland),
            ],
            vec![],
            vec![theme],
            vec![],
        );
        let filter = InitiativeFilter {
            kinds: vec![InitiativeKind::Tool],
            regions: vec![Region::Zeeland],
            ..Default::default()
        };
        let every = p.all.clone();
        let f = p
            .disjunctive_facets(Viewer::Anonymous, &filter, &every)
            .expect("facets");
        let pairs = |v: &[FacetCount<String>]| {
            v.iter()
                .map(|c| (c.value.clone(), c.count))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            pairs(&f.kinds),
            vec![("guide".into(), 1), ("tool".into(), 1)]
        );
        assert_eq!(
            pairs(&f.regions),
            vec![("friesland".into(), 1), ("zeeland".into(), 1)]
        );
        assert_eq!(
            f.themes.iter().map(|c| c.count).collect::<Vec<_>>(),
            vec![1]
        );
        // Within a search's hits only.
        let hits: RoaringBitmap = [1u32, 3].into_iter().collect();
        let f = p
            .disjunctive_facets(Viewer::Anonymous, &filter, &hits)
            .expect("facets");
        assert_eq!(pairs(&f.kinds), vec![("guide".into(), 1)]);
        assert_eq!(pairs(&f.regions), vec![("friesland".into(), 1)]);
        assert!(f.themes.is_empty());
    }
}
