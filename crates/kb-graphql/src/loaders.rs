//! Batch loaders: every relation of a list resolves in one store call per level, with
//! the request's viewer, whatever the number of parent rows.
//!
//! What the store answers is kept in [`Memos`] shared by all requests until the read
//! model applies the next change, each answer for the viewers the store answers alike
//! (the public and partners, one organisation's contributors, editors, admins: see
//! `kb_store::access::Reading`); the taxonomy and an initiative's own themes, topics and
//! terms, the same for every viewer, are kept for all. So a page costs no SQL after its
//! first reading by someone of the same kind, whether it shows published work or drafts.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use kb_domain::{
    Event, EventId, Initiative, InitiativeId, InitiativeTerms, LinkType, Organisation,
    OrganisationId, OrganisationRole, Page, PageRequest, Theme, ThemeId, Topic, TopicId, Viewer,
};
use kb_readmodel::{Direction, LineageStep, Memo, Parent, ReadModel, Related};
use kb_store::access::Reading;
use kb_store::{EventFilter, Store};

use crate::error::store_error;

/// The history of an initiative: its revisions and rejection reason.
mod history;
/// Pages of initiatives and events nested under a parent.
mod pages;
/// Related initiatives and lineage, ranked by the read model.
mod ranked;
/// Related rows of a parent: themes, topics, organisations, terms, parts, narrower
/// topics, links.
mod relations;
/// Rows by id or slug: initiatives, organisations, events, themes, topics.
mod rows;

pub use ranked::{LineageOf, RelatedOf};

/// How many answers each memo keeps before it starts afresh: about the published
/// initiatives a busy day reads, a few tens of megabytes in all.
const MEMO_CAPACITY: usize = 20_000;

/// How many revision histories are kept: each holds every revision's snapshot, so fewer.
const HISTORY_CAPACITY: usize = 1_000;

/// A memo of answers for one audience each.
type Kept<K, V> = Memo<(Audience, K), V>;

/// The answers kept between requests, one memo per kind of question.
pub struct Memos {
    initiatives: Kept<InitiativeId, Initiative>,
    initiative_slugs: Kept<InitiativeSlug, Initiative>,
    organisation_slugs: Kept<OrganisationSlug, Organisation>,
    event_slugs: Kept<EventSlug, Event>,
    organisations: Kept<OrganisationId, Organisation>,
    events: Kept<EventId, Event>,
    themes: Kept<ThemeId, Theme>,
    topics: Kept<TopicId, Topic>,
    themes_of_initiative: Kept<ThemesOfInitiative, Vec<Theme>>,
    topics_of_initiative: Kept<TopicsOfInitiative, Vec<Topic>>,
    organisations_of_initiative:
        Kept<OrganisationsOfInitiative, Vec<(OrganisationRole, Organisation)>>,
    terms_of_initiative: Kept<TermsOfInitiative, InitiativeTerms>,
    themes_of_event: Kept<ThemesOfEvent, Vec<Theme>>,
    topics_of_event: Kept<TopicsOfEvent, Vec<Topic>>,
    organisers_of_event: Kept<OrganisersOfEvent, Vec<Organisation>>,
    parts_of_organisation: Kept<PartsOfOrganisation, Vec<Organisation>>,
    narrower_of_topic: Kept<NarrowerOfTopic, Vec<Topic>>,
    links: Kept<LinksOf, Vec<(Option<String>, Initiative)>>,
    events_of: Kept<EventsOf, Page<Event>>,
    vocabulary_terms: Kept<VocabularyTerms, Arc<Vec<kb_domain::Term>>>,
    event_lists: Kept<EventList, Page<Event>>,
    event_totals: Kept<EventTotal, u64>,
    revisions: Kept<RevisionsOfInitiative, Option<Vec<kb_store::Revision>>>,
    rejection_reasons: Kept<RejectionReasonOf, Option<String>>,
    last_changes: Kept<LastChangeOf, Option<(String, chrono::DateTime<chrono::Utc>)>>,
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
            vocabulary_terms: Memo::new(1),
            event_lists: Memo::new(c),
            event_totals: Memo::new(c),
            revisions: Memo::new(HISTORY_CAPACITY),
            rejection_reasons: Memo::new(c),
            last_changes: Memo::new(c),
        }
    }
}

/// Whose answers a memo may give: those of viewers the store answers alike, or
/// everyone's (answers that do not depend on the viewer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shared {
    Alike,
    Everyone,
}

/// Whom a kept answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Audience {
    Everyone,
    Alike(Reading),
}

/// The loaders of one request, bound to its viewer.
pub struct Loaders {
    store: Store,
    model: Option<ReadModel>,
    memos: Arc<Memos>,
    viewer: Viewer,
    /// The viewers whose answers this one shares.
    reading: Reading,
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
            reading: kb_store::access::reading(viewer),
        }
    }

    /// The answers for `keys`: those kept in `memo` for this viewer's audience, the rest
    /// from `fetch`, kept for the next request of that audience.
    async fn through<K, V, Fut>(
        &self,
        memo: &Kept<K, V>,
        shared: Shared,
        keys: &[K],
        fetch: impl FnOnce(Vec<K>) -> Fut,
    ) -> LoadResult<K, V>
    where
        K: Hash + Eq + Clone,
        V: Clone,
        Fut: std::future::Future<Output = LoadResult<K, V>>,
    {
        let Some(model) = &self.model else {
            return fetch(keys.to_vec()).await;
        };
        let audience = match shared {
            Shared::Everyone => Audience::Everyone,
            Shared::Alike => Audience::Alike(self.reading),
        };
        let generation = model.generation();
        let asked: Vec<(Audience, K)> = keys.iter().map(|k| (audience, k.clone())).collect();
        let (kept, missing) = memo.get(generation, &asked);
        let mut found: HashMap<K, V> = kept.into_iter().map(|((_, k), v)| (k, v)).collect();
        if !missing.is_empty() {
            let fetched = fetch(missing.into_iter().map(|(_, k)| k).collect()).await?;
            memo.keep(
                generation,
                || model.generation(),
                fetched
                    .iter()
                    .map(|(k, v)| ((audience, k.clone()), v.clone())),
            );
            found.extend(fetched);
        }
        Ok(found)
    }

    /// As [`Self::through`], for answers that may be absent (a history the viewer may not
    /// read, an initiative without a rejection reason): absences are kept too.
    async fn through_absent<K, V, Fut>(
        &self,
        memo: &Kept<K, Option<V>>,
        keys: &[K],
        fetch: impl FnOnce(Vec<K>) -> Fut,
    ) -> LoadResult<K, V>
    where
        K: Hash + Eq + Clone,
        V: Clone,
        Fut: std::future::Future<Output = LoadResult<K, V>>,
    {
        let found = self
            .through(memo, Shared::Alike, keys, |keys| async move {
                let mut fetched = fetch(keys.clone()).await?;
                Ok(keys
                    .into_iter()
                    .map(|k| {
                        let v = fetched.remove(&k);
                        (k, v)
                    })
                    .collect())
            })
            .await?;
        Ok(found
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect())
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
            Shared::Alike,
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
    /// Who changed an initiative last and when, for those who may read its history.
    LastChangeOf(InitiativeId),
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

/// Every label of the flat vocabularies, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VocabularyTerms;

/// A page of a top-level list of events.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventList {
    pub filter: EventFilter,
    pub page: PageRequest,
}

/// How many events a top-level list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventTotal(pub EventFilter);

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
