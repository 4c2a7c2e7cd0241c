//! Every initiative's filterable values as compressed bitmaps of initiative row ids: one
//! bitmap per value of every dimension, plus what orderings and the access rule need.
//! Replacing one initiative touches only the bitmaps of its old and new values.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use kb_domain::{
    InitiativeId, LinkType, OrganisationId, Status, Theme, ThemeId, Topic, TopicId, Vocabulary,
};
use kb_store::{InitiativeFacts, OrganisationFacts};
use roaring::RoaringBitmap;

/// Bitmaps keyed by the values of one dimension.
#[derive(Debug, Clone)]
pub(crate) struct Index<K: std::hash::Hash + Eq> {
    pub(crate) by: HashMap<K, RoaringBitmap>,
}

impl<K: std::hash::Hash + Eq> Default for Index<K> {
    fn default() -> Self {
        Self { by: HashMap::new() }
    }
}

impl<K: std::hash::Hash + Eq + Clone> Index<K> {
    fn add(&mut self, key: &K, id: u32) {
        self.by.entry(key.clone()).or_default().insert(id);
    }

    fn remove(&mut self, key: &K, id: u32) {
        if let Some(b) = self.by.get_mut(key) {
            b.remove(id);
            if b.is_empty() {
                self.by.remove(key);
            }
        }
    }

    /// The union of the bitmaps of `keys`.
    pub(crate) fn any<'a>(&'a self, keys: impl IntoIterator<Item = &'a K>) -> RoaringBitmap
    where
        K: 'a,
    {
        let mut out = RoaringBitmap::new();
        for k in keys {
            if let Some(b) = self.by.get(k) {
                out |= b;
            }
        }
        out
    }
}

/// What an ordering compares, kept per initiative.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SortFacts {
    pub(crate) published_at: Option<DateTime<Utc>>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) sort_key: String,
}

/// What is derived from the bitmaps and kept until the next change: every initiative in
/// each list order, each root topic's subtree, and the initiatives per kind of published
/// organisation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Orders {
    pub(crate) newest: OnceLock<Vec<u32>>,
    pub(crate) title: OnceLock<Vec<u32>>,
    pub(crate) updated: OnceLock<Vec<u32>>,
    pub(crate) least_updated: OnceLock<Vec<u32>>,
    pub(crate) subtrees: OnceLock<HashMap<TopicId, RoaringBitmap>>,
    pub(crate) published_organisation_kinds: OnceLock<BTreeMap<&'static str, RoaringBitmap>>,
}

/// The bitmaps of every initiative, and the taxonomy and organisations they refer to.
#[derive(Debug, Clone, Default)]
pub struct Projection {
    pub(crate) all: RoaringBitmap,
    pub(crate) status: Index<Status>,
    pub(crate) kind: Index<&'static str>,
    pub(crate) region: Index<&'static str>,
    pub(crate) evidence_level: Index<&'static str>,
    pub(crate) target_group: Index<&'static str>,
    pub(crate) education_level: Index<&'static str>,
    pub(crate) language: Index<String>,
    pub(crate) theme: Index<ThemeId>,
    /// By the topics an initiative is filed under directly.
    pub(crate) topic: Index<TopicId>,
    pub(crate) organisation: Index<OrganisationId>,
    pub(crate) start_year: BTreeMap<i32, RoaringBitmap>,
    pub(crate) end_year: BTreeMap<i32, RoaringBitmap>,
    /// Initiatives without an end year.
    pub(crate) open_ended: RoaringBitmap,
    pub(crate) facts: HashMap<u32, InitiativeFacts>,
    /// Links into each initiative: where they come from, and their type (the links out
    /// are in its facts).
    pub(crate) links_in: HashMap<u32, Vec<(u32, LinkType)>>,
    pub(crate) sort: HashMap<u32, SortFacts>,
    /// Every initiative in each order, computed on first use after a change.
    pub(crate) ordered: Orders,
    pub(crate) organisations: HashMap<OrganisationId, OrganisationFacts>,
    pub(crate) themes: Vec<Theme>,
    pub(crate) topics: Vec<Topic>,
    /// Labels of the flat vocabularies, by vocabulary and code: what search finds an
    /// initiative's kind, target groups and education levels by.
    pub(crate) terms: HashMap<(String, String), kb_domain::lang::Localised>,
    /// Events and the organisation hierarchy: the rest of the graph.
    pub(crate) graph: crate::graph_edges::GraphEdges,
    /// The completions of labels and names, built on first use after the taxonomy, the
    /// terms or the organisations change.
    pub(crate) completions: OnceLock<crate::completions::Completions>,
}

/// An initiative's row id as a bitmap member. Row ids are positive and, for any
/// knowledge bank this serves, far below 2³².
pub(crate) fn member(id: InitiativeId) -> Option<u32> {
    u32::try_from(id.0).ok()
}

fn year_add(map: &mut BTreeMap<i32, RoaringBitmap>, year: Option<i32>, id: u32) {
    if let Some(y) = year {
        map.entry(y).or_default().insert(id);
    }
}

fn year_remove(map: &mut BTreeMap<i32, RoaringBitmap>, year: Option<i32>, id: u32) {
    if let Some(y) = year
        && let Some(b) = map.get_mut(&y)
    {
        b.remove(id);
        if b.is_empty() {
            map.remove(&y);
        }
    }
}

impl Projection {
    /// A projection of these initiatives, organisations and taxonomy.
    pub fn new(
        initiatives: Vec<InitiativeFacts>,
        organisations: Vec<OrganisationFacts>,
        themes: Vec<Theme>,
        topics: Vec<Topic>,
    ) -> Self {
        let mut p = Projection {
            themes,
            topics,
            organisations: organisations.into_iter().map(|o| (o.id, o)).collect(),
            ..Default::default()
        };
        for f in initiatives {
            p.upsert(f);
        }
        p
    }

    /// How many initiatives it holds, of every status.
    pub fn len(&self) -> u64 {
        self.all.len()
    }

    /// Whether it holds no initiative.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Puts an initiative in, replacing what it held of it before.
    pub fn upsert(&mut self, f: InitiativeFacts) {
        let Some(id) = member(f.id) else {
            tracing::error!(
                id = f.id.0,
                "an initiative id beyond the read model's range"
            );
            return;
        };
        self.remove_member(id);
        self.ordered = Orders::default();
        self.all.insert(id);
        self.status.add(&f.status, id);
        self.kind.add(&f.kind.code(), id);
        if let Some(r) = f.region {
            self.region.add(&r.code(), id);
        }
        if let Some(e) = f.evidence_level {
            self.evidence_level.add(&e.code(), id);
        }
        for t in &f.target_groups {
            self.target_group.add(&t.code(), id);
        }
        for e in &f.education_levels {
            self.education_level.add(&e.code(), id);
        }
        for l in &f.languages {
            self.language.add(l, id);
        }
        for t in &f.themes {
            self.theme.add(t, id);
        }
        for t in &f.topics {
            self.topic.add(t, id);
        }
        for o in &f.organisations {
            self.organisation.add(o, id);
        }
        year_add(&mut self.start_year, f.start_year, id);
        year_add(&mut self.end_year, f.end_year, id);
        if f.end_year.is_none() {
            self.open_ended.insert(id);
        }
        for (to, t) in &f.links {
            if let Some(to) = member(*to) {
                self.links_in.entry(to).or_default().push((id, *t));
            }
        }
        self.sort.insert(
            id,
            SortFacts {
                published_at: f.published_at,
                updated_at: f.updated_at,
                sort_key: f.sort_key.clone(),
            },
        );
        self.facts.insert(id, f);
    }

    /// Takes an initiative out (it no longer exists).
    pub fn remove(&mut self, id: InitiativeId) {
        if let Some(id) = member(id) {
            self.remove_member(id);
        }
    }

    fn remove_member(&mut self, id: u32) {
        let Some(f) = self.facts.remove(&id) else {
            return;
        };
        self.ordered = Orders::default();
        self.all.remove(id);
        self.status.remove(&f.status, id);
        self.kind.remove(&f.kind.code(), id);
        if let Some(r) = f.region {
            self.region.remove(&r.code(), id);
        }
        if let Some(e) = f.evidence_level {
            self.evidence_level.remove(&e.code(), id);
        }
        for t in &f.target_groups {
            self.target_group.remove(&t.code(), id);
        }
        for e in &f.education_levels {
            self.education_level.remove(&e.code(), id);
        }
        for l in &f.languages {
            self.language.remove(l, id);
        }
        for t in &f.themes {
            self.theme.remove(t, id);
        }
        for t in &f.topics {
            self.topic.remove(t, id);
        }
        for o in &f.organisations {
            self.organisation.remove(o, id);
        }
        year_remove(&mut self.start_year, f.start_year, id);
        year_remove(&mut self.end_year, f.end_year, id);
        self.open_ended.remove(id);
        self.sort.remove(&id);
        for (to, _) in &f.links {
            if let Some(to) = member(*to)
                && let Some(list) = self.links_in.get_mut(&to)
            {
                list.retain(|(from, _)| *from != id);
                if list.is_empty() {
                    self.links_in.remove(&to);
                }
            }
        }
    }

    /// Replaces the organisations (their kind and status decide organisation-kind
    /// filters).
    pub fn set_organisations(&mut self, organisations: Vec<OrganisationFacts>) {
        self.ordered = Orders::default();
        self.completions = OnceLock::new();
        self.organisations = organisations.into_iter().map(|o| (o.id, o)).collect();
    }

    /// Replaces the taxonomy (themes, and the topic tree that topic filters roll up).
    pub fn set_taxonomy(&mut self, themes: Vec<Theme>, topics: Vec<Topic>) {
        self.ordered = Orders::default();
        self.completions = OnceLock::new();
        self.themes = themes;
        self.topics = topics;
    }

    /// Replaces the labels of the flat vocabularies.
    pub fn set_terms(&mut self, terms: Vec<kb_domain::Term>) {
        self.completions = OnceLock::new();
        self.terms = terms
            .into_iter()
            .map(|t| ((t.vocabulary, t.code), t.label))
            .collect();
    }

    /// The facts held of an initiative.
    pub fn facts(&self, id: InitiativeId) -> Option<&InitiativeFacts> {
        member(id).and_then(|m| self.facts.get(&m))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use kb_domain::InitiativeKind;

    pub(crate) fn facts(id: i64) -> InitiativeFacts {
        InitiativeFacts {
            id: InitiativeId(id),
            status: Status::Published,
            kind: InitiativeKind::Guide,
            region: None,
            evidence_level: None,
            start_year: None,
            end_year: None,
            published_at: None,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
            sort_key: format!("initiative {id}"),
            themes: vec![ThemeId(1)],
            topics: vec![],
            organisations: vec![OrganisationId(1)],
            languages: vec!["nl".into()],
            target_groups: vec![],
            education_levels: vec![],
            links: vec![],
        }
    }

    #[test]
    fn replacing_an_initiative_leaves_nothing_of_its_old_values() {
        let mut p = Projection::default();
        p.upsert(facts(1));
        let mut changed = facts(1);
        changed.themes = vec![ThemeId(2)];
        changed.status = Status::Archived;
        p.upsert(changed);
        assert_eq!(p.len(), 1);
        assert!(!p.theme.by.contains_key(&ThemeId(1)));
        assert_eq!(p.theme.by[&ThemeId(2)].len(), 1);
        assert!(!p.status.by.contains_key(&Status::Published));
        p.remove(InitiativeId(1));
        assert!(p.is_empty());
        assert!(p.theme.by.is_empty() && p.organisation.by.is_empty() && p.language.by.is_empty());
    }
}
