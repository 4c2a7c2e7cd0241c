//! The read model of Kennisbank: every initiative's filterable values as compressed
//! bitmaps in memory, so lists, totals and facets are bitmap intersections instead of SQL
//! scans. SQL stays the source of truth: the model is built from the store, follows the
//! store's change log, and is tested against the store's SQL as its oracle.
//!
//! Depends on the store (for facts and the change log, never for SQL of its own) and the
//! domain; knows nothing of GraphQL or HTTP.

/// Co-occurrence, trends, neighbourhoods, paths and centrality.
pub mod analytics;
/// Completions of labels and organisation names, from memory.
mod completions;
/// Events and the organisation hierarchy: the edges beyond initiatives' bitmaps.
mod graph_facts;
/// Answers of the published view kept until the next change.
mod memo;
/// The bitmaps and what orderings and the access rule need.
mod projection;
/// What each batch of changes newly published, for live subscribers.
mod published;
/// Selecting, paging, counting and faceting.
mod query;
/// Related initiatives and lineage.
mod related;
/// Full-text search through the index, filtered, paged and faceted by the projection.
mod search;
/// The initiatives of saved views, for the API and the feeds alike.
mod views;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kb_domain::lang::Language;
use kb_domain::{
    EventId, InitiativeFilter, InitiativeId, InitiativeOrder, OrganisationId, Page, PageRequest,
    ThemeId, TopicId, Viewer,
};
use kb_search::{SearchIndex, Snippet, Subject, Suggestion};
use kb_store::{InitiativeFacets, Store, StoreError};
use roaring::RoaringBitmap;
use tokio::sync::{Mutex, RwLock};

pub use kb_search::{
    Snippet as SearchSnippet, Subject as SearchSubject, Suggestion as SearchSuggestion,
    SuggestionKind,
};
pub use memo::Memo;
pub use projection::Projection;
pub use published::Published;
pub use query::Parent;
pub use related::{Direction, LineageStep, Related};
pub use search::{HitPage, SearchPage};
pub use views::{VIEW_EVENT_INITIATIVES, ViewPage};

/// How many change-log rows one read takes.
const BATCH: u64 = 1_000;

/// Past this many changes behind, a start rebuilds the index instead of catching up.
const CATCH_UP_LIMIT: i64 = 50_000;

/// The projection of one instance and where in the change log it stands. Cheap to clone;
/// clones share the projection.
#[derive(Clone)]
pub struct ReadModel {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    projection: RwLock<Projection>,
    /// The full-text index, following the change log with the projection.
    index: SearchIndex,
    /// The last change applied; held while applying, so one follower runs at a time.
    applied: Mutex<i64>,
    /// Counts the batches of changes applied: what [`Memo`]s of the published view are
    /// valid for.
    generation: std::sync::atomic::AtomicU64,
    /// Centrality scores, kept until the next change.
    analytics: analytics::Cache,
    /// What each applied batch newly published, sent to live subscribers.
    published: tokio::sync::broadcast::Sender<Arc<Published>>,
}

impl std::fmt::Debug for ReadModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadModel").finish_non_exhaustive()
    }
}

impl ReadModel {
    /// Builds the projection from the database, as of the change log's head, with a
    /// search index in memory.
    pub async fn build(store: &Store) -> Result<Self, StoreError> {
        let index = SearchIndex::in_memory().map_err(search::store_error)?;
        Self::build_with(store, index).await
    }

    /// Builds the projection, with the search index kept in `dir`: reused when it stands
    /// at the change log's head, rebuilt otherwise.
    pub async fn build_on_disk(store: &Store, dir: &Path) -> Result<Self, StoreError> {
        let index = SearchIndex::open_or_create(dir).map_err(search::store_error)?;
        Self::build_with(store, index).await
    }

    #[tracing::instrument(skip(store, index))]
    async fn build_with(store: &Store, index: SearchIndex) -> Result<Self, StoreError> {
        let started = std::time::Instant::now();
        // Its statements are its own, never among a request's, on a pool of its own.
        let store = store.with_own_pool().await?;
        // The head is read first: a change committed while building is applied again by
        // the first sync, which is harmless (applying reads current facts).
        let head = store.change_log_head().await?;
        let projection = load(&store).await?;
        tracing::info!(
            initiatives = projection.len(),
            seconds = started.elapsed().as_secs_f64(),
            "read model built"
        );
        let model = Self {
            inner: Arc::new(Inner {
                store,
                projection: RwLock::new(projection),
                index,
                applied: Mutex::new(head),
                generation: std::sync::atomic::AtomicU64::new(1),
                analytics: analytics::Cache::default(),
                published: tokio::sync::broadcast::channel(published::CAPACITY).0,
            }),
        };
        match model.inner.index.watermark() {
            Some(w) if w == head => {
                tracing::info!(documents = model.inner.index.len(), "search index reused");
            }
            Some(w) if w < head && head - w <= CATCH_UP_LIMIT => {
                model.catch_up_index(w, head).await?;
                tracing::info!(from = w, to = head, "search index caught up");
            }
            _ => {
                model.reindex_at(head).await?;
            }
        }
        Ok(model)
    }

    /// Re-indexes what changed between `from` and `to` in the change log, with the
    /// projection already at `to`.
    async fn catch_up_index(&self, from: i64, to: i64) -> Result<(), StoreError> {
        let mut touched = search::Touched::default();
        let mut at = from;
        while at < to {
            let changes = self.inner.store.changes_since(at, BATCH).await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let p = self.inner.projection.read().await;
            for c in changes.iter().filter(|c| c.seq <= to) {
                touched.add(&p, &c.entity_type, c.entity_id);
            }
            at = last;
        }
        self.index_changes(touched, to).await
    }

    /// Rebuilds the search index from the database.
    pub async fn reindex(&self) -> Result<u64, StoreError> {
        let applied = *self.inner.applied.lock().await;
        self.reindex_at(applied).await
    }

    async fn reindex_at(&self, head: i64) -> Result<u64, StoreError> {
        let started = std::time::Instant::now();
        let store = &self.inner.store;
        let texts = store.initiative_texts(None).await?;
        let events = store.event_texts(None).await?;
        let organisations = store.organisation_texts(None).await?;
        self.blocking(move |p, index| {
            index.clear().map_err(search::store_error)?;
            for chunk in texts.chunks(search::CHUNK) {
                index
                    .upsert(search::documents(p, chunk.to_vec()))
                    .map_err(search::store_error)?;
            }
            index
                .upsert(search::event_documents(p, events))
                .map_err(search::store_error)?;
            index
                .upsert(search::organisation_documents(p, organisations))
                .map_err(search::store_error)?;
            index.commit(head).map_err(search::store_error)
        })
        .await?;
        let index = &self.inner.index;
        tracing::info!(
            documents = index.len(),
            seconds = started.elapsed().as_secs_f64(),
            "search index built"
        );
        Ok(index.len())
    }

    /// Applies every change committed since the last one applied, and returns the
    /// position it stands at. Mutations call this before they answer, so the next read
    /// on this instance sees them.
    pub async fn sync(&self) -> Result<i64, StoreError> {
        let mut applied = self.inner.applied.lock().await;
        loop {
            let changes = self.inner.store.changes_since(*applied, BATCH).await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                return Ok(*applied);
            };
            // What the published view answered before these changes is forgotten; what
            // is read from now on already includes them.
            self.inner
                .generation
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            let mut initiatives: Vec<InitiativeId> = Vec::new();
            let mut organisations: Vec<OrganisationId> = Vec::new();
            let mut topics: Vec<TopicId> = Vec::new();
            let mut themes: Vec<ThemeId> = Vec::new();
            let mut events: Vec<EventId> = Vec::new();
            for c in &changes {
                match c.entity_type.as_str() {
                    // A link's change names the initiative it goes out from.
                    "initiative" | "initiative_link" => initiatives.push(InitiativeId(c.entity_id)),
                    "organisation" => organisations.push(OrganisationId(c.entity_id)),
                    "topic" => topics.push(TopicId(c.entity_id)),
                    "theme" => themes.push(ThemeId(c.entity_id)),
                    // Events change the graph and their own documents, not lists.
                    "event" => events.push(EventId(c.entity_id)),
                    _ => {}
                }
            }
            let (organisations_changed, taxonomy) = (
                !organisations.is_empty(),
                !(topics.is_empty() && themes.is_empty()),
            );
            initiatives.sort();
            initiatives.dedup();
            let facts = if initiatives.is_empty() {
                Vec::new()
            } else {
                self.inner
                    .store
                    .initiative_facts(Some(&initiatives))
                    .await?
            };
            let orgs = if organisations_changed {
                Some((
                    self.inner.store.organisation_facts().await?,
                    self.inner.store.organisation_parents().await?,
                ))
            } else {
                None
            };
            events.sort();
            events.dedup();
            let event_facts = if events.is_empty() {
                Vec::new()
            } else {
                self.inner.store.event_facts(Some(&events)).await?
            };
            let tax = if taxonomy {
                Some((
                    self.inner.store.themes().await?,
                    self.inner.store.topics(false).await?,
                ))
            } else {
                None
            };
            let mut p = self.inner.projection.write().await;
            let news = Published::of_batch(&p, last, &facts, &event_facts);
            for id in &initiatives {
                if !facts.iter().any(|f| f.id == *id) {
                    p.remove(*id);
                }
            }
            for f in facts {
                p.upsert(f);
            }
            if let Some((o, parents)) = orgs {
                p.set_organisations(o);
                p.graph.set_part_of(parents);
            }
            p.graph.apply_events(&events, event_facts);
            if let Some((all_themes, all_topics)) = tax {
                p.set_taxonomy(all_themes, all_topics);
            }
            // The orders are computed here, by the follower, not by the next reader.
            p.warm_orders();
            // The index: the changed documents, and those whose labels or organisation
            // names changed with the taxonomy or an organisation.
            let mut touched = search::Touched::default();
            for c in &changes {
                touched.add(&p, &c.entity_type, c.entity_id);
            }
            drop(p);
            // The index is committed only when a change touches it; a lagging
            // watermark is caught up from the change log at the next start.
            if !touched.is_empty() {
                self.index_changes(touched, last).await?;
            }
            *applied = last;
            // Sent once the batch can be read: a subscriber that loads what it is told
            // of finds it. Nobody listening is not an error.
            if !news.is_empty() {
                let _ = self.inner.published.send(Arc::new(news));
            }
        }
    }

    /// What every batch of changes applied from now on newly published: initiatives and
    /// events that were not published before it and are after it. Each instance sends
    /// what its own follower applies, so a subscriber hears of another instance's writes
    /// within the follow interval. A receiver that falls more than a few hundred batches
    /// behind loses the oldest (`Lagged`).
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<Published>> {
        self.inner.published.subscribe()
    }

    /// Those of `ids` that `viewer` may see and that pass `filter`, in their order: the
    /// same selection that lists them, made once for all of them.
    pub async fn select_among(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
        ids: &[InitiativeId],
    ) -> Result<Vec<InitiativeId>, StoreError> {
        let p = self.inner.projection.read().await;
        let selected = p.select(viewer, filter)?;
        Ok(among(&selected, ids))
    }

    /// Re-indexes the documents `touched` (removing those that no longer exist) and
    /// commits the index at `position`.
    async fn index_changes(
        &self,
        touched: search::Touched,
        position: i64,
    ) -> Result<(), StoreError> {
        let store = &self.inner.store;
        let ids: Vec<InitiativeId> = touched
            .initiatives
            .iter()
            .map(|m| InitiativeId(i64::from(m)))
            .collect();
        let mut texts = Vec::new();
        for chunk in ids.chunks(search::CHUNK) {
            texts.extend(store.initiative_texts(Some(chunk)).await?);
        }
        let events: Vec<EventId> = touched.events.into_iter().collect();
        let mut event_texts = Vec::new();
        for chunk in events.chunks(search::CHUNK) {
            event_texts.extend(store.event_texts(Some(chunk)).await?);
        }
        let organisations: Vec<OrganisationId> = touched.organisations.into_iter().collect();
        let mut organisation_texts = Vec::new();
        for chunk in organisations.chunks(search::CHUNK) {
            organisation_texts.extend(store.organisation_texts(Some(chunk)).await?);
        }
        self.blocking(move |p, index| {
            let gone = search::gone(&ids, texts.iter().map(|t| t.id));
            index.delete(&gone).map_err(search::store_error)?;
            let gone = search::gone(&events, event_texts.iter().map(|t| t.id));
            index.delete(&gone).map_err(search::store_error)?;
            let gone = search::gone(&organisations, organisation_texts.iter().map(|t| t.id));
            index.delete(&gone).map_err(search::store_error)?;
            let mut docs = search::documents(p, texts);
            docs.extend(search::event_documents(p, event_texts));
            docs.extend(search::organisation_documents(p, organisation_texts));
            index.upsert(docs).map_err(search::store_error)?;
            index.commit(position).map_err(search::store_error)
        })
        .await
    }

    /// The generation of the published view: a new one starts with every batch of
    /// changes applied. See [`Memo`].
    pub fn generation(&self) -> u64 {
        self.inner
            .generation
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// The themes in order, as the store lists them, as of the last change applied.
    pub async fn themes(&self) -> Vec<kb_domain::Theme> {
        self.inner.projection.read().await.themes.clone()
    }

    /// The topics in the taxonomy's order (only those without a broader topic with
    /// `roots_only`), as the store lists them, as of the last change applied.
    pub async fn topics(&self, roots_only: bool) -> Vec<kb_domain::Topic> {
        let p = self.inner.projection.read().await;
        p.topics
            .iter()
            .filter(|t| !roots_only || t.broader_id.is_none())
            .cloned()
            .collect()
    }

    /// The change-log position the projection stands at.
    pub async fn position(&self) -> i64 {
        *self.inner.applied.lock().await
    }

    /// Follows the change log every `every` until the process ends; other instances'
    /// writes arrive within that time.
    pub fn follow(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let model = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = model.sync().await {
                    tracing::warn!(error = %e, "the read model could not follow the change log");
                }
            }
        })
    }

    /// A page of the filtered list for `viewer`, in `order`, with its total when asked.
    pub async fn list(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
        order: InitiativeOrder,
        page: PageRequest,
    ) -> Result<Page<InitiativeId>, StoreError> {
        let p = self.inner.projection.read().await;
        let ids = p.select(viewer, filter)?;
        Ok(p.page(&ids, order, page))
    }

    /// How many initiatives the filtered list holds for `viewer`.
    pub async fn count(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
    ) -> Result<u64, StoreError> {
        let p = self.inner.projection.read().await;
        Ok(p.select(viewer, filter)?.len())
    }

    /// A page (newest first) of the initiatives under each parent that `viewer` may see,
    /// with its total when asked.
    pub async fn nested(
        &self,
        viewer: Viewer,
        parents: &[Parent],
        page: PageRequest,
    ) -> Vec<(Parent, Page<InitiativeId>)> {
        let p = self.inner.projection.read().await;
        parents
            .iter()
            .map(|parent| {
                let ids = p.under(viewer, *parent);
                (*parent, p.page(&ids, InitiativeOrder::Newest, page))
            })
            .collect()
    }

    /// The `first` initiatives most related to each of `ids` that `viewer` may see.
    pub async fn related(
        &self,
        viewer: Viewer,
        ids: &[InitiativeId],
        first: usize,
    ) -> Vec<(InitiativeId, Vec<Related>)> {
        let p = self.inner.projection.read().await;
        ids.iter()
            .map(|id| (*id, p.related(viewer, *id, first)))
            .collect()
    }

    /// The lineage of each of `ids` in `direction`, up to `depth` links.
    pub async fn lineage(
        &self,
        viewer: Viewer,
        ids: &[InitiativeId],
        direction: Direction,
        depth: u32,
    ) -> Vec<(InitiativeId, Vec<LineageStep>)> {
        let p = self.inner.projection.read().await;
        ids.iter()
            .map(|id| (*id, p.lineage(viewer, *id, direction, depth)))
            .collect()
    }

    /// A page of the hits of `text` (written in `lang`, if given) that `viewer` may see
    /// under `filter`, best first.
    pub async fn search(
        &self,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        filter: &InitiativeFilter,
        page: PageRequest,
    ) -> Result<SearchPage, StoreError> {
        let (text, filter) = (text.to_owned(), filter.clone());
        self.blocking(move |p, index| p.search_page(index, viewer, &text, lang, &filter, page))
            .await
    }

    /// A page of the events matching `text` that `viewer` may see, best first.
    pub async fn search_events(
        &self,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        page: PageRequest,
    ) -> Result<HitPage<EventId>, StoreError> {
        let text = text.to_owned();
        self.blocking(move |p, index| p.search_events(index, viewer, &text, lang, page))
            .await
    }

    /// A page of the organisations matching `text` that `viewer` may see, best first.
    pub async fn search_organisations(
        &self,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        page: PageRequest,
    ) -> Result<HitPage<OrganisationId>, StoreError> {
        let text = text.to_owned();
        self.blocking(move |p, index| p.search_organisations(index, viewer, &text, lang, page))
            .await
    }

    /// Runs `work` on the projection and the index on a thread for blocking work: the
    /// index reads files and computes for milliseconds, which async workers must not.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Projection, &SearchIndex) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let model = self.clone();
        tokio::task::spawn_blocking(move || {
            let p = model.inner.projection.blocking_read();
            work(&p, &model.inner.index)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("a search task failed: {e}")))?
    }

    /// Disjunctive facets of what a search matched (its page's `matched`) for `viewer`
    /// under `filter`.
    pub async fn search_facets(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
        matched: &RoaringBitmap,
    ) -> Result<InitiativeFacets, StoreError> {
        let p = self.inner.projection.read().await;
        p.facets_of_matches(viewer, filter, matched)
    }

    /// Highlighted snippets of the initiatives, events or organisations `ids` for `text`
    /// (written in `lang`, if given).
    pub async fn snippets<S: Subject>(
        &self,
        text: &str,
        lang: Option<Language>,
        ids: &[S],
    ) -> Result<HashMap<S, Snippet>, StoreError> {
        let (text, ids) = (text.to_owned(), ids.to_vec());
        self.blocking(move |_, index| search::snippets(index, &text, lang, &ids))
            .await
    }

    /// Completions of `prefix` for a search box; initiatives only where `viewer` may see
    /// them.
    pub async fn suggest(
        &self,
        viewer: Viewer,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, StoreError> {
        let prefix = prefix.to_owned();
        self.blocking(move |p, index| p.suggestions(index, viewer, &prefix, limit))
            .await
    }

    /// The facets of the filtered list for `viewer`.
    pub async fn facets(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
    ) -> Result<InitiativeFacets, StoreError> {
        let p = self.inner.projection.read().await;
        let ids = p.select(viewer, filter)?;
        Ok(p.facets(viewer, &ids))
    }
}

/// Everything the projection holds, read from the store.
async fn load(store: &Store) -> Result<Projection, StoreError> {
    let initiatives = store.initiative_facts(None).await?;
    let organisations = store.organisation_facts().await?;
    let themes = store.themes().await?;
    let topics = store.topics(false).await?;
    let mut p = Projection::new(initiatives, organisations, themes, topics);
    p.set_terms(store.vocabulary_terms().await?);
    p.graph.set_events(store.event_facts(None).await?);
    p.graph.set_part_of(store.organisation_parents().await?);
    p.warm_orders();
    Ok(p)
}

/// Those of `ids` in the bitmap `selected`, in their order.
fn among(selected: &RoaringBitmap, ids: &[InitiativeId]) -> Vec<InitiativeId> {
    ids.iter()
        .copied()
        .filter(|id| projection::member(*id).is_some_and(|m| selected.contains(m)))
        .collect()
}
