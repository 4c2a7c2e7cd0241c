//! Batch loaders: every relation of a list resolves in one store call per level, with
//! the request's viewer, whatever the number of parent rows.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use kb_domain::{
    Event, Initiative, InitiativeTerms, LinkType, Organisation, OrganisationRole, Page,
    PageRequest, Theme, Topic, Viewer,
};
use kb_store::Store;

use crate::error::store_error;

/// The loaders of one request, bound to its viewer.
pub struct Loaders {
    store: Store,
    viewer: Viewer,
}

impl Loaders {
    pub fn new(store: Store, viewer: Viewer) -> Self {
        Self { store, viewer }
    }
}

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<async_graphql::Error>>;

fn fail(e: kb_store::StoreError) -> Arc<async_graphql::Error> {
    Arc::new(store_error(e))
}

/// Groups `(parent, value)` rows into lists per requested parent; parents without rows
/// get an empty list.
fn group<K: Hash + Eq + Clone, V>(
    keys: &[K],
    rows: impl IntoIterator<Item = (K, V)>,
) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = keys.iter().cloned().map(|k| (k, Vec::new())).collect();
    for (k, v) in rows {
        if let Some(list) = out.get_mut(&k) {
            list.push(v);
        }
    }
    out
}

macro_rules! id_key {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(pub i64);
    )+};
}

id_key!(
    /// An initiative by row id.
    InitiativeId,
    /// An organisation by row id.
    OrganisationId,
    /// An event by row id.
    EventId,
    /// A theme by row id.
    ThemeId,
    /// A topic by row id.
    TopicId,
    /// The themes of an initiative.
    ThemesOfInitiative,
    /// The topics of an initiative.
    TopicsOfInitiative,
    /// The organisations of an initiative with their roles.
    OrganisationsOfInitiative,
    /// Languages, target groups and education levels of an initiative.
    TermsOfInitiative,
    /// The themes of an event.
    ThemesOfEvent,
    /// The topics of an event.
    TopicsOfEvent,
    /// The organisers of an event.
    OrganisersOfEvent,
    /// The parts of an organisation.
    PartsOfOrganisation,
    /// The narrower topics of a topic.
    NarrowerOfTopic,
);

/// Initiatives linked from (or to, `reverse`) an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinksOf {
    pub id: i64,
    pub link_type: LinkType,
    pub reverse: bool,
}

/// The parent of a nested connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parent {
    Theme(i64),
    Topic(i64),
    Organisation(i64),
    Event(i64),
    Initiative(i64),
}

/// A page of the initiatives under a parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InitiativesOf {
    pub parent: Parent,
    pub page: PageRequest,
}

/// A page of the events of a parent (an initiative, organisation, theme or topic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventsOf {
    pub parent: Parent,
    pub page: PageRequest,
}

impl Loader<InitiativeId> for Loaders {
    type Value = Initiative;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[InitiativeId]) -> LoadResult<InitiativeId, Initiative> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = self
            .store
            .initiatives_by_ids(self.viewer, &ids)
            .await
            .map_err(fail)?;
        Ok(rows.into_iter().map(|r| (InitiativeId(r.id), r)).collect())
    }
}

impl Loader<OrganisationId> for Loaders {
    type Value = Organisation;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[OrganisationId]) -> LoadResult<OrganisationId, Organisation> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = self
            .store
            .organisations_by_ids(self.viewer, &ids)
            .await
            .map_err(fail)?;
        Ok(rows
            .into_iter()
            .map(|r| (OrganisationId(r.id), r))
            .collect())
    }
}

impl Loader<EventId> for Loaders {
    type Value = Event;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[EventId]) -> LoadResult<EventId, Event> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = self
            .store
            .events_by_ids(self.viewer, &ids)
            .await
            .map_err(fail)?;
        Ok(rows.into_iter().map(|r| (EventId(r.id), r)).collect())
    }
}

impl Loader<ThemeId> for Loaders {
    type Value = Theme;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[ThemeId]) -> LoadResult<ThemeId, Theme> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = self.store.themes_by_ids(&ids).await.map_err(fail)?;
        Ok(rows.into_iter().map(|r| (ThemeId(r.id), r)).collect())
    }
}

impl Loader<TopicId> for Loaders {
    type Value = Topic;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[TopicId]) -> LoadResult<TopicId, Topic> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = self.store.topics_by_ids(&ids).await.map_err(fail)?;
        Ok(rows.into_iter().map(|r| (TopicId(r.id), r)).collect())
    }
}

/// Loaders whose store call takes parent ids and returns `(parent, value)` rows.
macro_rules! list_loader {
    ($key:ident, $value:ty, |$this:ident, $ids:ident| $call:expr) => {
        impl Loader<$key> for Loaders {
            type Value = Vec<$value>;
            type Error = Arc<async_graphql::Error>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Vec<$value>> {
                let $this = self;
                let $ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows = $call.await.map_err(fail)?;
                Ok(group(
                    keys,
                    rows.into_iter().map(|(parent, v)| ($key(parent), v)),
                ))
            }
        }
    };
}

list_loader!(ThemesOfInitiative, Theme, |s, ids| s
    .store
    .themes_of_initiatives(&ids));
list_loader!(TopicsOfInitiative, Topic, |s, ids| s
    .store
    .topics_of_initiatives(&ids));
list_loader!(ThemesOfEvent, Theme, |s, ids| s
    .store
    .themes_of_events(&ids));
list_loader!(TopicsOfEvent, Topic, |s, ids| s
    .store
    .topics_of_events(&ids));
list_loader!(OrganisersOfEvent, Organisation, |s, ids| s
    .store
    .organisers_of_events(s.viewer, &ids));

impl Loader<OrganisationsOfInitiative> for Loaders {
    type Value = Vec<(OrganisationRole, Organisation)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[OrganisationsOfInitiative],
    ) -> LoadResult<OrganisationsOfInitiative, Vec<(OrganisationRole, Organisation)>> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = self
            .store
            .organisations_of_initiatives(self.viewer, &ids)
            .await
            .map_err(fail)?;
        Ok(group(
            keys,
            rows.into_iter()
                .map(|(p, role, o)| (OrganisationsOfInitiative(p), (role, o))),
        ))
    }
}

impl Loader<TermsOfInitiative> for Loaders {
    type Value = InitiativeTerms;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[TermsOfInitiative],
    ) -> LoadResult<TermsOfInitiative, InitiativeTerms> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut terms = self.store.initiative_terms(&ids).await.map_err(fail)?;
        Ok(keys
            .iter()
            .map(|k| (*k, terms.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

impl Loader<PartsOfOrganisation> for Loaders {
    type Value = Vec<Organisation>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[PartsOfOrganisation],
    ) -> LoadResult<PartsOfOrganisation, Vec<Organisation>> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut parts = self
            .store
            .parts_of_organisations(self.viewer, &ids)
            .await
            .map_err(fail)?;
        Ok(keys
            .iter()
            .map(|k| (*k, parts.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

impl Loader<NarrowerOfTopic> for Loaders {
    type Value = Vec<Topic>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[NarrowerOfTopic]) -> LoadResult<NarrowerOfTopic, Vec<Topic>> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut narrower = self.store.narrower_topics(&ids).await.map_err(fail)?;
        Ok(keys
            .iter()
            .map(|k| (*k, narrower.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

impl Loader<LinksOf> for Loaders {
    type Value = Vec<(Option<String>, Initiative)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[LinksOf],
    ) -> LoadResult<LinksOf, Vec<(Option<String>, Initiative)>> {
        let mut out: HashMap<LinksOf, Vec<(Option<String>, Initiative)>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        // One statement per (type, direction) asked for in this batch.
        let mut shapes: Vec<(LinkType, bool)> =
            keys.iter().map(|k| (k.link_type, k.reverse)).collect();
        shapes.sort_by_key(|(t, r)| (*t, *r));
        shapes.dedup();
        for (link_type, reverse) in shapes {
            let ids: Vec<i64> = keys
                .iter()
                .filter(|k| k.link_type == link_type && k.reverse == reverse)
                .map(|k| k.id)
                .collect();
            let rows = self
                .store
                .linked_initiatives(self.viewer, &ids, link_type, reverse)
                .await
                .map_err(fail)?;
            for (parent, note, initiative) in rows {
                if let Some(list) = out.get_mut(&LinksOf {
                    id: parent,
                    link_type,
                    reverse,
                }) {
                    list.push((note, initiative));
                }
            }
        }
        Ok(out)
    }
}

/// Splits keys by page request and parent kind, so that each group is one store call.
fn groups<K: Copy>(
    keys: &[K],
    split: impl Fn(&K) -> (PageRequest, u8, i64),
) -> Vec<((PageRequest, u8), Vec<i64>)> {
    let mut out: Vec<((PageRequest, u8), Vec<i64>)> = Vec::new();
    for k in keys {
        let (page, kind, id) = split(k);
        match out.iter_mut().find(|(g, _)| *g == (page, kind)) {
            Some((_, ids)) => ids.push(id),
            None => out.push(((page, kind), vec![id])),
        }
    }
    out
}

fn parent_parts(p: Parent) -> (u8, i64) {
    match p {
        Parent::Theme(id) => (0, id),
        Parent::Topic(id) => (1, id),
        Parent::Organisation(id) => (2, id),
        Parent::Event(id) => (3, id),
        Parent::Initiative(id) => (4, id),
    }
}

fn rebuild(kind: u8, id: i64) -> Parent {
    match kind {
        0 => Parent::Theme(id),
        1 => Parent::Topic(id),
        2 => Parent::Organisation(id),
        3 => Parent::Event(id),
        _ => Parent::Initiative(id),
    }
}

impl Loader<InitiativesOf> for Loaders {
    type Value = Page<Initiative>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[InitiativesOf]) -> LoadResult<InitiativesOf, Page<Initiative>> {
        let mut out = HashMap::new();
        for ((page, kind), ids) in groups(keys, |k| {
            let (kind, id) = parent_parts(k.parent);
            (k.page, kind, id)
        }) {
            let mut pages = match kind {
                0 => {
                    self.store
                        .initiatives_of_themes(self.viewer, &ids, page)
                        .await
                }
                1 => {
                    self.store
                        .initiatives_of_topics(self.viewer, &ids, page)
                        .await
                }
                2 => {
                    self.store
                        .initiatives_of_organisations(self.viewer, &ids, page)
                        .await
                }
                _ => {
                    self.store
                        .initiatives_of_events(self.viewer, &ids, page)
                        .await
                }
            }
            .map_err(fail)?;
            for id in ids {
                let p = pages.remove(&id).unwrap_or_else(|| Page::empty(page));
                out.insert(
                    InitiativesOf {
                        parent: rebuild(kind, id),
                        page,
                    },
                    p,
                );
            }
        }
        Ok(out)
    }
}

impl Loader<EventsOf> for Loaders {
    type Value = Page<Event>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[EventsOf]) -> LoadResult<EventsOf, Page<Event>> {
        let mut out = HashMap::new();
        for ((page, kind), ids) in groups(keys, |k| {
            let (kind, id) = parent_parts(k.parent);
            (k.page, kind, id)
        }) {
            let mut pages = match kind {
                0 => self.store.events_of_themes(self.viewer, &ids, page).await,
                1 => self.store.events_of_topics(self.viewer, &ids, page).await,
                2 => {
                    self.store
                        .events_of_organisations(self.viewer, &ids, page)
                        .await
                }
                _ => {
                    self.store
                        .events_of_initiatives(self.viewer, &ids, page)
                        .await
                }
            }
            .map_err(fail)?;
            for id in ids {
                let p = pages.remove(&id).unwrap_or_else(|| Page::empty(page));
                out.insert(
                    EventsOf {
                        parent: rebuild(kind, id),
                        page,
                    },
                    p,
                );
            }
        }
        Ok(out)
    }
}
