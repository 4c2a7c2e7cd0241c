//! Batch loaders: every relation of a list resolves in one store call per level, with
//! the request's viewer, whatever the number of parent rows.
//!
//! What the store answers the published view (anonymous readers and partners) is kept in
//! [`Memos`] shared by all requests until the read model applies the next change; the
//! taxonomy and an initiative's own themes, topics and terms, the same for every viewer,
//! are kept for all. So a page most people read costs no SQL after its first reading.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use kb_domain::{
    Event, EventId, Initiative, InitiativeId, InitiativeTerms, LinkType, Organisation,
    OrganisationId, OrganisationRole, Page, PageRequest, Theme, ThemeId, Topic, TopicId, Viewer,
};
use kb_graph::{Direction, LineageStep, Memo, Parent, ReadModel, Related};
use kb_store::Store;

use crate::error::store_error;

/// How many answers each memo keeps before it starts afresh: about the published
/// initiatives a busy day reads, a few tens of megabytes in all.
const MEMO_CAPACITY: usize = 20_000;

/// The answers kept between requests, one memo per kind of question.
pub struct Memos {
    initiatives: Memo<InitiativeId, Initiative>,
    initiative_slugs: Memo<InitiativeSlug, Initiative>,
    organisation_slugs: Memo<OrganisationSlug, Organisation>,
    event_slugs: Memo<EventSlug, Event>,
    organisations: Memo<OrganisationId, Organisation>,
    events: Memo<EventId, Event>,
    themes: Memo<ThemeId, Theme>,
    topics: Memo<TopicId, Topic>,
    themes_of_initiative: Memo<ThemesOfInitiative, Vec<Theme>>,
    topics_of_initiative: Memo<TopicsOfInitiative, Vec<Topic>>,
    organisations_of_initiative:
        Memo<OrganisationsOfInitiative, Vec<(OrganisationRole, Organisation)>>,
    terms_of_initiative: Memo<TermsOfInitiative, InitiativeTerms>,
    themes_of_event: Memo<ThemesOfEvent, Vec<Theme>>,
    topics_of_event: Memo<TopicsOfEvent, Vec<Topic>>,
    organisers_of_event: Memo<OrganisersOfEvent, Vec<Organisation>>,
    parts_of_organisation: Memo<PartsOfOrganisation, Vec<Organisation>>,
    narrower_of_topic: Memo<NarrowerOfTopic, Vec<Topic>>,
    links: Memo<LinksOf, Vec<(Option<String>, Initiative)>>,
    events_of: Memo<EventsOf, Page<Event>>,
}

impl Default for Memos {
    fn default() -> Self {
        let c = MEMO_CAPACITY;
        Self {
            initiatives: Memo::new(c),
            initiative_slugs: Memo::new(c),
            organisation_slugs: Memo::new(c),
            event_slugs: Memo::new(c),
            organisations: Memo::new(c),
            events: Memo::new(c),
            themes: Memo::new(c),
            topics: Memo::new(c),
            themes_of_initiative: Memo::new(c),
            topics_of_initiative: Memo::new(c),
            organisations_of_initiative: Memo::new(c),
            terms_of_initiative: Memo::new(c),
            themes_of_event: Memo::new(c),
            topics_of_event: Memo::new(c),
            organisers_of_event: Memo::new(c),
            parts_of_organisation: Memo::new(c),
            narrower_of_topic: Memo::new(c),
            links: Memo::new(c),
            events_of: Memo::new(c),
        }
    }
}

/// Whose answers a memo may give: the published view's, or everyone's (answers that do
/// not depend on the viewer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shared {
    Published,
    Everyone,
}

/// The loaders of one request, bound to its viewer.
pub struct Loaders {
    store: Store,
    model: Option<ReadModel>,
    memos: Arc<Memos>,
    viewer: Viewer,
    /// Whether the viewer sees the published view, whose answers memos share.
    published_view: bool,
}

impl Loaders {
    /// Loaders for `viewer`; relatedness and lineage need the read model, and memos
    /// follow its generations.
    pub fn new(store: Store, model: Option<ReadModel>, memos: Arc<Memos>, viewer: Viewer) -> Self {
        Self {
            store,
            model,
            memos,
            viewer,
            published_view: kb_store::access::sees_published_only(viewer),
        }
    }

    /// The answers for `keys`: those kept in `memo` (when this viewer may share them),
    /// the rest from `fetch`, kept for the next request.
    async fn through<K, V, Fut>(
        &self,
        memo: &Memo<K, V>,
        shared: Shared,
        keys: &[K],
        fetch: impl FnOnce(Vec<K>) -> Fut,
    ) -> LoadResult<K, V>
    where
        K: Hash + Eq + Clone,
        V: Clone,
        Fut: std::future::Future<Output = LoadResult<K, V>>,
    {
        let model = match &self.model {
            Some(m) if shared == Shared::Everyone || self.published_view => m,
            _ => return fetch(keys.to_vec()).await,
        };
        let generation = model.generation();
        let (mut found, missing) = memo.get(generation, keys);
        if !missing.is_empty() {
            let fetched = fetch(missing).await?;
            memo.keep(generation, || model.generation(), fetched.iter());
            found.extend(fetched);
        }
        Ok(found)
    }

    fn model(&self) -> Result<&ReadModel, Arc<async_graphql::Error>> {
        self.model.as_ref().ok_or_else(|| {
            Arc::new(crate::error::coded(
                kb_domain::ErrorCode::Internal,
                "internal error",
                None,
            ))
        })
    }

    /// Rows of the initiatives the model named, visible to the viewer (SQL applies the
    /// access rule once more), by id.
    async fn rows(
        &self,
        ids: Vec<InitiativeId>,
    ) -> Result<HashMap<InitiativeId, Initiative>, Arc<async_graphql::Error>> {
        let mut ids = ids;
        ids.sort();
        ids.dedup();
        self.initiatives(&ids).await
    }

    /// Initiative rows by id, visible to the viewer.
    async fn initiatives(&self, ids: &[InitiativeId]) -> LoadResult<InitiativeId, Initiative> {
        self.through(
            &self.memos.initiatives,
            Shared::Published,
            ids,
            |ids| async move {
                let rows = self
                    .store
                    .initiatives_by_ids(self.viewer, &ids)
                    .await
                    .map_err(fail)?;
                Ok(rows.into_iter().map(|r| (r.id, r)).collect())
            },
        )
        .await
    }
}

/// The initiatives most related to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RelatedOf {
    pub id: InitiativeId,
    pub first: usize,
}

/// The lineage of an initiative in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineageOf {
    pub id: InitiativeId,
    pub up: bool,
    pub depth: u32,
}

impl Loader<RelatedOf> for Loaders {
    type Value = Vec<(Related, Initiative)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[RelatedOf]) -> LoadResult<RelatedOf, Vec<(Related, Initiative)>> {
        crate::observe::batch(keys);
        let model = self.model()?;
        let mut found = Vec::new();
        for first in keys
            .iter()
            .map(|k| k.first)
            .collect::<std::collections::BTreeSet<_>>()
        {
            let ids: Vec<InitiativeId> = keys
                .iter()
                .filter(|k| k.first == first)
                .map(|k| k.id)
                .collect();
            for (id, list) in model.related(self.viewer, &ids, first).await {
                found.push((RelatedOf { id, first }, list));
            }
        }
        let rows = self
            .rows(
                found
                    .iter()
                    .flat_map(|(_, l)| l.iter().map(|r| r.id))
                    .collect(),
            )
            .await?;
        Ok(found
            .into_iter()
            .map(|(k, list)| {
                let list = list
                    .into_iter()
                    .filter_map(|r| rows.get(&r.id).cloned().map(|i| (r, i)))
                    .collect();
                (k, list)
            })
            .collect())
    }
}

impl Loader<LineageOf> for Loaders {
    type Value = Vec<(LineageStep, Vec<Initiative>)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[LineageOf],
    ) -> LoadResult<LineageOf, Vec<(LineageStep, Vec<Initiative>)>> {
        crate::observe::batch(keys);
        let model = self.model()?;
        let mut found = Vec::new();
        let shapes: std::collections::BTreeSet<(bool, u32)> =
            keys.iter().map(|k| (k.up, k.depth)).collect();
        for (up, depth) in shapes {
            let ids: Vec<InitiativeId> = keys
                .iter()
                .filter(|k| k.up == up && k.depth == depth)
                .map(|k| k.id)
                .collect();
            let direction = if up { Direction::Up } else { Direction::Down };
            for (id, steps) in model.lineage(self.viewer, &ids, direction, depth).await {
                found.push((LineageOf { id, up, depth }, steps));
            }
        }
        let rows = self
            .rows(
                found
                    .iter()
                    .flat_map(|(_, s)| s.iter().flat_map(|s| s.path.iter().copied()))
                    .collect(),
            )
            .await?;
        Ok(found
            .into_iter()
            .map(|(k, steps)| {
                let steps = steps
                    .into_iter()
                    .filter_map(|s| {
                        let path: Option<Vec<Initiative>> =
                            s.path.iter().map(|id| rows.get(id).cloned()).collect();
                        path.map(|p| (s, p))
                    })
                    .collect();
                (k, steps)
            })
            .collect())
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

/// Relation keys: the parent whose related rows are loaded, typed by what it is.
macro_rules! relation_key {
    ($($(#[$meta:meta])* $name:ident($id:ty)),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(pub $id);
    )+};
}

relation_key!(
    /// The themes of an initiative.
    ThemesOfInitiative(InitiativeId),
    /// The topics of an initiative.
    TopicsOfInitiative(InitiativeId),
    /// The organisations of an initiative with their roles.
    OrganisationsOfInitiative(InitiativeId),
    /// Languages, target groups and education levels of an initiative.
    TermsOfInitiative(InitiativeId),
    /// The revisions of an initiative, for those who may read its history.
    RevisionsOfInitiative(InitiativeId),
    /// The rejection reason of an initiative, for those who may read its history.
    RejectionReasonOf(InitiativeId),
    /// The themes of an event.
    ThemesOfEvent(EventId),
    /// The topics of an event.
    TopicsOfEvent(EventId),
    /// The organisers of an event.
    OrganisersOfEvent(EventId),
    /// The parts of an organisation.
    PartsOfOrganisation(OrganisationId),
    /// The narrower topics of a topic.
    NarrowerOfTopic(TopicId),
);

/// Initiatives linked from (or to, `reverse`) an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinksOf {
    pub id: InitiativeId,
    pub link_type: LinkType,
    pub reverse: bool,
}

/// What a nested connection of initiatives hangs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InitiativeParent {
    Theme(ThemeId),
    Topic(TopicId),
    Organisation(OrganisationId),
    Event(EventId),
}

/// What a nested connection of events hangs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventParent {
    Theme(ThemeId),
    Topic(TopicId),
    Organisation(OrganisationId),
    Initiative(InitiativeId),
}

/// A page of the initiatives under a parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InitiativesOf {
    pub parent: InitiativeParent,
    pub page: PageRequest,
}

/// A page of the events of a parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventsOf {
    pub parent: EventParent,
    pub page: PageRequest,
}

impl Loader<InitiativeId> for Loaders {
    type Value = Initiative;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[InitiativeId]) -> LoadResult<InitiativeId, Initiative> {
        crate::observe::batch(keys);
        self.initiatives(keys).await
    }
}

/// An initiative by its slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InitiativeSlug(pub String);

/// An organisation by its slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrganisationSlug(pub String);

/// An event by its slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventSlug(pub String);

/// The slugs of slug keys, for a store call.
fn slugs<K>(keys: &[K], slug: impl Fn(&K) -> &String) -> Vec<String> {
    keys.iter().map(|k| slug(k).clone()).collect()
}

/// Loaders of rows by id (or by another key of the row): the store call, the memo and
/// whose answers it keeps.
macro_rules! row_loader {
    ($key:ident, $value:ty, $memo:ident, $shared:expr, |$this:ident, $ids:ident| $call:expr) => {
        row_loader!($key, $value, $memo, $shared, |$this, $ids| $call, |r| r.id);
    };
    ($key:ident, $value:ty, $memo:ident, $shared:expr, |$this:ident, $ids:ident| $call:expr,
     |$row:ident| $key_of:expr) => {
        impl Loader<$key> for Loaders {
            type Value = $value;
            type Error = Arc<async_graphql::Error>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, $value> {
                crate::observe::batch(keys);
                let $this = self;
                self.through(&self.memos.$memo, $shared, keys, |$ids| async move {
                    let rows = $call.await.map_err(fail)?;
                    Ok(rows.into_iter().map(|$row| ($key_of, $row)).collect())
                })
                .await
            }
        }
    };
}

row_loader!(
    OrganisationId,
    Organisation,
    organisations,
    Shared::Published,
    |s, ids| s.store.organisations_by_ids(s.viewer, &ids)
);
row_loader!(
    InitiativeSlug,
    Initiative,
    initiative_slugs,
    Shared::Published,
    |s, keys| s
        .store
        .initiatives_by_slugs(s.viewer, &slugs(&keys, |k| &k.0)),
    |r| InitiativeSlug(r.slug.clone())
);
row_loader!(
    OrganisationSlug,
    Organisation,
    organisation_slugs,
    Shared::Published,
    |s, keys| s
        .store
        .organisations_by_slugs(s.viewer, &slugs(&keys, |k| &k.0)),
    |r| OrganisationSlug(r.slug.clone())
);
row_loader!(
    EventSlug,
    Event,
    event_slugs,
    Shared::Published,
    |s, keys| s.store.events_by_slugs(s.viewer, &slugs(&keys, |k| &k.0)),
    |r| EventSlug(r.slug.clone())
);
row_loader!(EventId, Event, events, Shared::Published, |s, ids| s
    .store
    .events_by_ids(s.viewer, &ids));
row_loader!(ThemeId, Theme, themes, Shared::Everyone, |s, ids| s
    .store
    .themes_by_ids(&ids));
row_loader!(TopicId, Topic, topics, Shared::Everyone, |s, ids| s
    .store
    .topics_by_ids(&ids));

/// Loaders whose store call takes parent ids and returns `(parent, value)` rows.
macro_rules! list_loader {
    ($key:ident, $value:ty, $memo:ident, $shared:expr, |$this:ident, $ids:ident| $call:expr) => {
        impl Loader<$key> for Loaders {
            type Value = Vec<$value>;
            type Error = Arc<async_graphql::Error>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Vec<$value>> {
                crate::observe::batch(keys);
                let $this = self;
                self.through(&self.memos.$memo, $shared, keys, |keys| async move {
                    let $ids: Vec<_> = keys.iter().map(|k| k.0).collect();
                    let rows = $call.await.map_err(fail)?;
                    Ok(group(
                        &keys,
                        rows.into_iter().map(|(parent, v)| ($key(parent), v)),
                    ))
                })
                .await
            }
        }
    };
}

// An initiative's themes and topics are the same whoever asks (who may ask is decided
// when the initiative is loaded).
list_loader!(
    ThemesOfInitiative,
    Theme,
    themes_of_initiative,
    Shared::Everyone,
    |s, ids| s.store.themes_of_initiatives(&ids)
);
list_loader!(
    TopicsOfInitiative,
    Topic,
    topics_of_initiative,
    Shared::Everyone,
    |s, ids| s.store.topics_of_initiatives(&ids)
);
list_loader!(
    ThemesOfEvent,
    Theme,
    themes_of_event,
    Shared::Everyone,
    |s, ids| s.store.themes_of_events(&ids)
);
list_loader!(
    TopicsOfEvent,
    Topic,
    topics_of_event,
    Shared::Everyone,
    |s, ids| s.store.topics_of_events(&ids)
);
list_loader!(
    OrganisersOfEvent,
    Organisation,
    organisers_of_event,
    Shared::Published,
    |s, ids| s.store.organisers_of_events(s.viewer, &ids)
);

impl Loader<OrganisationsOfInitiative> for Loaders {
    type Value = Vec<(OrganisationRole, Organisation)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[OrganisationsOfInitiative],
    ) -> LoadResult<OrganisationsOfInitiative, Vec<(OrganisationRole, Organisation)>> {
        crate::observe::batch(keys);
        let memo = &self.memos.organisations_of_initiative;
        self.through(memo, Shared::Published, keys, |keys| async move {
            let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
            let rows = self
                .store
                .organisations_of_initiatives(self.viewer, &ids)
                .await
                .map_err(fail)?;
            Ok(group(
                &keys,
                rows.into_iter()
                    .map(|(p, role, o)| (OrganisationsOfInitiative(p), (role, o))),
            ))
        })
        .await
    }
}

impl Loader<TermsOfInitiative> for Loaders {
    type Value = InitiativeTerms;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[TermsOfInitiative],
    ) -> LoadResult<TermsOfInitiative, InitiativeTerms> {
        crate::observe::batch(keys);
        let memo = &self.memos.terms_of_initiative;
        self.through(memo, Shared::Everyone, keys, |keys| async move {
            let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
            let mut terms = self.store.initiative_terms(&ids).await.map_err(fail)?;
            Ok(keys
                .iter()
                .map(|k| (*k, terms.remove(&k.0).unwrap_or_default()))
                .collect())
        })
        .await
    }
}

impl Loader<PartsOfOrganisation> for Loaders {
    type Value = Vec<Organisation>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[PartsOfOrganisation],
    ) -> LoadResult<PartsOfOrganisation, Vec<Organisation>> {
        crate::observe::batch(keys);
        let memo = &self.memos.parts_of_organisation;
        self.through(memo, Shared::Published, keys, |keys| async move {
            let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
            let mut parts = self
                .store
                .parts_of_organisations(self.viewer, &ids)
                .await
                .map_err(fail)?;
            Ok(keys
                .iter()
                .map(|k| (*k, parts.remove(&k.0).unwrap_or_default()))
                .collect())
        })
        .await
    }
}

impl Loader<NarrowerOfTopic> for Loaders {
    type Value = Vec<Topic>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[NarrowerOfTopic]) -> LoadResult<NarrowerOfTopic, Vec<Topic>> {
        crate::observe::batch(keys);
        let memo = &self.memos.narrower_of_topic;
        self.through(memo, Shared::Everyone, keys, |keys| async move {
            let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
            let mut narrower = self.store.narrower_topics(&ids).await.map_err(fail)?;
            Ok(keys
                .iter()
                .map(|k| (*k, narrower.remove(&k.0).unwrap_or_default()))
                .collect())
        })
        .await
    }
}

impl Loader<LinksOf> for Loaders {
    type Value = Vec<(Option<String>, Initiative)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[LinksOf],
    ) -> LoadResult<LinksOf, Vec<(Option<String>, Initiative)>> {
        crate::observe::batch(keys);
        let memo = &self.memos.links;
        self.through(memo, Shared::Published, keys, |keys| async move {
            self.links(&keys).await
        })
        .await
    }
}

impl Loaders {
    async fn links(
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
            let ids: Vec<InitiativeId> = keys
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

/// Groups keys by page request and by the kind of parent, so each group is one store
/// call; `split` says which group a key joins and with which id.
fn groups<K: Copy, G: PartialEq + Copy, I>(
    keys: &[K],
    split: impl Fn(&K) -> (G, I),
) -> Vec<(G, Vec<I>)> {
    let mut out: Vec<(G, Vec<I>)> = Vec::new();
    for k in keys {
        let (group, id) = split(k);
        match out.iter_mut().find(|(g, _)| *g == group) {
            Some((_, ids)) => ids.push(id),
            None => out.push((group, vec![id])),
        }
    }
    out
}

/// Files each requested parent's page under its key; parents without rows get an empty
/// page.
fn file_pages<P: Copy + Eq + std::hash::Hash, K: Eq + std::hash::Hash, V>(
    out: &mut HashMap<K, Page<V>>,
    ids: Vec<P>,
    mut pages: HashMap<P, Page<V>>,
    page: PageRequest,
    key: impl Fn(P) -> K,
) {
    for id in ids {
        let p = pages.remove(&id).unwrap_or_else(|| Page::empty(page));
        out.insert(key(id), p);
    }
}

impl Loader<InitiativesOf> for Loaders {
    type Value = Page<Initiative>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[InitiativesOf]) -> LoadResult<InitiativesOf, Page<Initiative>> {
        crate::observe::batch(keys);
        let mut out = HashMap::new();
        // The read model picks each page's ids and counts, one statement (or the memo)
        // loads the rows of all pages.
        let mut picked: Vec<(InitiativesOf, Page<InitiativeId>)> = Vec::new();
        for (page, parents) in groups(keys, |k| (k.page, k.parent)) {
            let in_model: Vec<Parent> = parents
                .into_iter()
                .map(|parent| match parent {
                    InitiativeParent::Theme(id) => Parent::Theme(id),
                    InitiativeParent::Topic(id) => Parent::Topic(id),
                    InitiativeParent::Organisation(id) => Parent::Organisation(id),
                    InitiativeParent::Event(id) => Parent::Event(id),
                })
                .collect();
            for (parent, ids) in self.model()?.nested(self.viewer, &in_model, page).await {
                let parent = match parent {
                    Parent::Theme(id) => InitiativeParent::Theme(id),
                    Parent::Topic(id) => InitiativeParent::Topic(id),
                    Parent::Organisation(id) => InitiativeParent::Organisation(id),
                    Parent::Event(id) => InitiativeParent::Event(id),
                };
                picked.push((InitiativesOf { parent, page }, ids));
            }
        }
        if !picked.is_empty() {
            let rows = self
                .rows(
                    picked
                        .iter()
                        .flat_map(|(_, p)| p.items.iter().copied())
                        .collect(),
                )
                .await?;
            for (key, ids) in picked {
                let items = ids
                    .items
                    .iter()
                    .filter_map(|id| rows.get(id).cloned())
                    .collect();
                out.insert(
                    key,
                    Page {
                        items,
                        offset: ids.offset,
                        total: ids.total,
                        has_next: ids.has_next,
                    },
                );
            }
        }
        Ok(out)
    }
}

/// The kinds of parent a nested connection of events can hang under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventParentKind {
    Theme,
    Topic,
    Organisation,
    Initiative,
}

impl Loader<EventsOf> for Loaders {
    type Value = Page<Event>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[EventsOf]) -> LoadResult<EventsOf, Page<Event>> {
        crate::observe::batch(keys);
        let memo = &self.memos.events_of;
        self.through(memo, Shared::Published, keys, |keys| async move {
            self.events_of(&keys).await
        })
        .await
    }
}

impl Loaders {
    async fn events_of(&self, keys: &[EventsOf]) -> LoadResult<EventsOf, Page<Event>> {
        use EventParentKind as K;
        let mut out = HashMap::new();
        for ((page, kind), ids) in groups(keys, |k| match k.parent {
            EventParent::Theme(id) => ((k.page, K::Theme), id.0),
            EventParent::Topic(id) => ((k.page, K::Topic), id.0),
            EventParent::Organisation(id) => ((k.page, K::Organisation), id.0),
            EventParent::Initiative(id) => ((k.page, K::Initiative), id.0),
        }) {
            let key = |parent| EventsOf { parent, page };
            let s = &self.store;
            let v = self.viewer;
            match kind {
                K::Theme => {
                    let ids: Vec<ThemeId> = ids.into_iter().map(ThemeId).collect();
                    let pages = s.events_of_themes(v, &ids, page).await.map_err(fail)?;
                    file_pages(&mut out, ids, pages, page, |id| key(EventParent::Theme(id)));
                }
                K::Topic => {
                    let ids: Vec<TopicId> = ids.into_iter().map(TopicId).collect();
                    let pages = s.events_of_topics(v, &ids, page).await.map_err(fail)?;
                    file_pages(&mut out, ids, pages, page, |id| key(EventParent::Topic(id)));
                }
                K::Organisation => {
                    let ids: Vec<OrganisationId> = ids.into_iter().map(OrganisationId).collect();
                    let pages = s
                        .events_of_organisations(v, &ids, page)
                        .await
                        .map_err(fail)?;
                    file_pages(&mut out, ids, pages, page, |id| {
                        key(EventParent::Organisation(id))
                    });
                }
                K::Initiative => {
                    let ids: Vec<InitiativeId> = ids.into_iter().map(InitiativeId).collect();
                    let pages = s.events_of_initiatives(v, &ids, page).await.map_err(fail)?;
                    file_pages(&mut out, ids, pages, page, |id| {
                        key(EventParent::Initiative(id))
                    });
                }
            }
        }
        Ok(out)
    }
}

impl Loader<RevisionsOfInitiative> for Loaders {
    type Value = Vec<kb_store::Revision>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[RevisionsOfInitiative],
    ) -> LoadResult<RevisionsOfInitiative, Vec<kb_store::Revision>> {
        crate::observe::batch(keys);
        let ids: Vec<InitiativeId> = keys.iter().map(|k| k.0).collect();
        let found = self
            .store
            .revisions_of_initiatives(self.viewer, &ids)
            .await
            .map_err(fail)?;
        // Initiatives whose history the viewer may not read stay absent: null.
        Ok(found
            .into_iter()
            .map(|(id, list)| (RevisionsOfInitiative(id), list))
            .collect())
    }
}

impl Loader<RejectionReasonOf> for Loaders {
    type Value = String;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[RejectionReasonOf]) -> LoadResult<RejectionReasonOf, String> {
        crate::observe::batch(keys);
        let ids: Vec<InitiativeId> = keys.iter().map(|k| k.0).collect();
        let found = self
            .store
            .rejection_reasons(self.viewer, &ids)
            .await
            .map_err(fail)?;
        Ok(found
            .into_iter()
            .map(|(id, reason)| (RejectionReasonOf(id), reason))
            .collect())
    }
}
