//! Building the read model: the projection loaded from the store as of the change log's
//! head, and the search index reused, caught up or rebuilt to stand at the same place.

use std::path::Path;
use std::sync::Arc;

use kb_search::SearchIndex;
use kb_store::{Store, StoreError};
use tokio::sync::{Mutex, RwLock};

use crate::projection::Projection;
use crate::read_model::Inner;
use crate::{ReadModel, analytics, lexicon, published, search};

/// Past this many changes behind, a start rebuilds the index instead of catching up.
const CATCH_UP_LIMIT: i64 = 50_000;

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
        lexicon::load_lexicon(&store, &index).await?;
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
                applied_at: std::sync::atomic::AtomicI64::new(head),
                generation: std::sync::atomic::AtomicU64::new(1),
                analytics: analytics::Cache::default(),
                published: tokio::sync::broadcast::channel(published::CAPACITY).0,
                index_behind: std::sync::Mutex::new(None),
                facets: crate::Memo::new(crate::read_model::FACETS_KEPT),
            }),
        };
        match model.inner.index.watermark() {
            Some(w) if w == head => {
                tracing::info!(documents = model.inner.index.len(), "search index reused");
            }
            Some(w) if w < head && head - w <= CATCH_UP_LIMIT => {
                // An index that cannot be written now (a full disk) is caught up by the
                // follower later; the store's data is served meanwhile.
                match model.catch_up_index(w, head).await {
                    Ok(()) => tracing::info!(from = w, to = head, "search index caught up"),
                    Err(e) => model.index_failed(w, &e),
                }
            }
            _ => {
                model.reindex_at(head).await?;
            }
        }
        Ok(model)
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
