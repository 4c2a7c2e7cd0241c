//! The read model of Kennisbank: every initiative's filterable values as compressed
//! bitmaps in memory, so lists, totals and facets are bitmap intersections instead of SQL
//! scans. SQL stays the source of truth: the model is built from the store, follows the
//! store's change log, and is tested against the store's SQL as its oracle.
//!
//! Depends on the store (for facts and the change log, never for SQL of its own) and the
//! domain; knows nothing of GraphQL or HTTP.

/// The bitmaps and what orderings and the access rule need.
mod projection;
/// Selecting, paging, counting and faceting.
mod query;
/// Related initiatives and lineage.
mod related;

use std::sync::Arc;
use std::time::Duration;

use kb_domain::{InitiativeFilter, InitiativeId, InitiativeOrder, Page, PageRequest, Viewer};
use kb_store::{InitiativeFacets, Store, StoreError};
use tokio::sync::{Mutex, RwLock};

pub use projection::Projection;
pub use query::Parent;
pub use related::{Direction, LineageStep, Related};

/// How many change-log rows one read takes.
const BATCH: u64 = 1_000;

/// The projection of one instance and where in the change log it stands. Cheap to clone;
/// clones share the projection.
#[derive(Clone)]
pub struct ReadModel {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    projection: RwLock<Projection>,
    /// The last change applied; held while applying, so one follower runs at a time.
    applied: Mutex<i64>,
}

impl std::fmt::Debug for ReadModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadModel").finish_non_exhaustive()
    }
}

impl ReadModel {
    /// Builds the projection from the database, as of the change log's head.
    #[tracing::instrument(skip(store))]
    pub async fn build(store: &Store) -> Result<Self, StoreError> {
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
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                projection: RwLock::new(projection),
                applied: Mutex::new(head),
            }),
        })
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
            let mut initiatives: Vec<InitiativeId> = Vec::new();
            let mut organisations = false;
            let mut taxonomy = false;
            for c in &changes {
                match c.entity_type.as_str() {
                    // A link's change names the initiative it goes out from.
                    "initiative" | "initiative_link" => initiatives.push(InitiativeId(c.entity_id)),
                    "organisation" => organisations = true,
                    "topic" | "theme" => taxonomy = true,
                    // Events and keys do not change what lists filter by.
                    _ => {}
                }
            }
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
            let orgs = if organisations {
                Some(self.inner.store.organisation_facts().await?)
            } else {
                None
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
            for id in &initiatives {
                if !facts.iter().any(|f| f.id == *id) {
                    p.remove(*id);
                }
            }
            for f in facts {
                p.upsert(f);
            }
            if let Some(o) = orgs {
                p.set_organisations(o);
            }
            if let Some((themes, topics)) = tax {
                p.set_taxonomy(themes, topics);
            }
            *applied = last;
        }
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
    Ok(Projection::new(initiatives, organisations, themes, topics))
}
