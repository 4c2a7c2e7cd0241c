//! The parts of the knowledge graph that initiatives' bitmaps do not hold: events with
//! their edges (THEMED, ABOUT, ORGANISED_BY, FEATURES) and the organisation hierarchy
//! (PART_OF), each indexed both ways so a walk finds a node's neighbours without a scan.

use std::collections::HashMap;

use kb_domain::{EventId, InitiativeId, OrganisationId, ThemeId, TopicId};
use kb_store::EventFacts;

/// An initiative's bitmap member (as the projection numbers them).
fn member(id: InitiativeId) -> Option<u32> {
    u32::try_from(id.0).ok()
}

/// Events and the organisation hierarchy, indexed from either end of each edge.
#[derive(Debug, Clone, Default)]
pub(crate) struct GraphEdges {
    pub(crate) events: HashMap<EventId, EventFacts>,
    /// The events featuring each initiative (by bitmap member).
    pub(crate) featured_in: HashMap<u32, Vec<EventId>>,
    pub(crate) by_theme: HashMap<ThemeId, Vec<EventId>>,
    pub(crate) by_topic: HashMap<TopicId, Vec<EventId>>,
    pub(crate) by_organiser: HashMap<OrganisationId, Vec<EventId>>,
    /// The organisation each organisation is part of.
    pub(crate) part_of: HashMap<OrganisationId, OrganisationId>,
    /// The organisations that are part of each organisation, in id order.
    pub(crate) parts: HashMap<OrganisationId, Vec<OrganisationId>>,
}

fn push<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<EventId>>, key: K, id: EventId) {
    let list = map.entry(key).or_default();
    if let Err(at) = list.binary_search(&id) {
        list.insert(at, id);
    }
}

fn pull<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<EventId>>, key: &K, id: EventId) {
    if let Some(list) = map.get_mut(key) {
        list.retain(|e| *e != id);
        if list.is_empty() {
            map.remove(key);
        }
    }
}

impl GraphEdges {
    fn remove_event(&mut self, id: EventId) {
        let Some(old) = self.events.remove(&id) else {
            return;
        };
        for t in &old.themes {
            pull(&mut self.by_theme, t, id);
        }
        for t in &old.topics {
            pull(&mut self.by_topic, t, id);
        }
        for o in &old.organisers {
            pull(&mut self.by_organiser, o, id);
        }
        for i in old.initiatives.iter().filter_map(|i| member(*i)) {
            pull(&mut self.featured_in, &i, id);
        }
    }

    fn upsert_event(&mut self, f: EventFacts) {
        let id = f.id;
        self.remove_event(id);
        for t in &f.themes {
            push(&mut self.by_theme, *t, id);
        }
        for t in &f.topics {
            push(&mut self.by_topic, *t, id);
        }
        for o in &f.organisers {
            push(&mut self.by_organiser, *o, id);
        }
        for i in f.initiatives.iter().filter_map(|i| member(*i)) {
            push(&mut self.featured_in, i, id);
        }
        self.events.insert(id, f);
    }
}

impl GraphEdges {
    /// Replaces what it holds of the events `changed`: those in `facts` are put in, the
    /// others no longer exist.
    pub(crate) fn apply_events(&mut self, changed: &[EventId], facts: Vec<EventFacts>) {
        for id in changed {
            if !facts.iter().any(|f| f.id == *id) {
                self.remove_event(*id);
            }
        }
        for f in facts {
            self.upsert_event(f);
        }
    }

    /// Replaces every event.
    pub(crate) fn set_events(&mut self, facts: Vec<EventFacts>) {
        let ids: Vec<EventId> = self.events.keys().copied().collect();
        self.apply_events(&ids, facts);
    }

    /// Replaces the organisation hierarchy: `(part, whole)` pairs.
    pub(crate) fn set_part_of(&mut self, pairs: Vec<(OrganisationId, OrganisationId)>) {
        let mut parts: HashMap<OrganisationId, Vec<OrganisationId>> = HashMap::new();
        for (part, whole) in &pairs {
            parts.entry(*whole).or_default().push(*part);
        }
        for list in parts.values_mut() {
            list.sort();
        }
        self.parts = parts;
        self.part_of = pairs.into_iter().collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_domain::Status;

    fn event(id: i64, theme: i64, initiatives: &[i64]) -> EventFacts {
        EventFacts {
            id: EventId(id),
            status: Status::Published,
            themes: vec![ThemeId(theme)],
            topics: vec![],
            organisers: vec![OrganisationId(1)],
            initiatives: initiatives.iter().map(|i| InitiativeId(*i)).collect(),
        }
    }

    #[test]
    fn replacing_an_event_leaves_nothing_of_its_old_edges() {
        let mut g = GraphEdges::default();
        g.set_events(vec![event(1, 1, &[10, 11]), event(2, 1, &[10])]);
        assert_eq!(g.featured_in[&10], vec![EventId(1), EventId(2)]);
        g.apply_events(&[EventId(1)], vec![event(1, 2, &[12])]);
        assert_eq!(g.featured_in[&10], vec![EventId(2)]);
        assert!(!g.featured_in.contains_key(&11));
        assert_eq!(g.by_theme[&ThemeId(1)], vec![EventId(2)]);
        assert_eq!(g.by_theme[&ThemeId(2)], vec![EventId(1)]);
        g.apply_events(&[EventId(1), EventId(2)], vec![]);
        assert!(g.events.is_empty() && g.featured_in.is_empty());
        assert!(g.by_organiser.is_empty());
    }
}
