//! The read model's handle, and the reads it answers from memory: lists, counts, nested
//! pages, related initiatives, lineage, facets and the taxonomy, and full-text search and
//! suggestions on a thread for blocking work.

use std::collections::HashMap;
use std::sync::Arc;

use kb_domain::lang::Language;
use kb_domain::{
    EventId, InitiativeFilter, InitiativeId, InitiativeOrder, OrganisationId, Page, PageRequest,
    Viewer,
};
use kb_search::{SearchIndex, Subject, Suggestion};
use kb_store::access::{self, Reading};
use kb_store::{InitiativeFacets, Store, StoreError};
use roaring::RoaringBitmap;
use tokio::sync::{Mutex, RwLock};

use crate::Memo;
use crate::analytics;
use crate::projection::{self, Projection};
use crate::published::Published;
use crate::query::Parent;
use crate::related::{Direction, LineageStep, Related};
use crate::search::{self, Found, HitPage, SearchPage, SearchParts};

/// The projection of one instance and where in the change log it stands. Cheap to clone;
/// clones share the projection.
#[derive(Clone)]
pub struct ReadModel {
    pub(crate) inner: Arc<Inner>,
}

/// What the clones of a read model share.
pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) projection: RwLock<Projection>,
    /// The full-text index, following the change log with the projection.
    pub(crate) index: SearchIndex,
    /// The last change applied; held while applying, so one follower runs at a time.
    pub(crate) applied: Mutex<i64>,
    /// The same position, set with it once a batch is in the projection: read without
    /// waiting, even while the follower holds `applied` for a round trip to the change
    /// log, by what keeps answers per position (tables, maps).
    pub(crate) applied_at: std::sync::atomic::AtomicI64,
    /// Counts the batches of changes applied: what [`crate::Memo`]s of the published view
    /// are valid for.
    pub(crate) generation: std::sync::atomic::AtomicU64,
    /// Centrality scores, kept until the next change.
    pub(crate) analytics: analytics::Cache,
    /// What each applied batch newly published, sent to live subscribers.
    pub(crate) published: tokio::sync::broadcast::Sender<Arc<Published>>,
    /// Where the search index stands when an update of it failed (a full disk, say): it
    /// holds every change up to this position, and is caught up from the change log at
    /// the next sync. `None` while it follows.
    pub(crate) index_behind: std::sync::Mutex<Option<i64>>,
    /// The facets of filtered lists, by kind of reader and filter, kept until the next
    /// change (see [`ReadModel::facets`]).
    pub(crate) facets: Memo<(Reading, InitiativeFilter), InitiativeFacets>,
}

/// How many filtered lists' facets are kept: the list pages asked for most (the search
/// page without words, a theme's page) stay.
pub(crate) const FACETS_KEPT: usize = 256;

impl std::fmt::Debug for ReadModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadModel").finish_non_exhaustive()
    }
}

impl ReadModel {
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

    /// The position of the last change in the projection, read without waiting for the
    /// follower: stored once the projection holds the change, so an answer computed from
    /// the projection between two equal readings of it is the answer at that position.
    pub fn applied_at(&self) -> i64 {
        self.inner
            .applied_at
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// The change-log position the projection stands at.
    pub async fn position(&self) -> i64 {
        *self.inner.applied.lock().await
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
    /// under `filter`, best first, with the `parts` asked for: one pass over the index
    /// and the projection for ids, scores, snippets and facets together.
    pub async fn search(
        &self,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        filter: &InitiativeFilter,
        page: PageRequest,
        parts: SearchParts,
    ) -> Result<SearchPage, StoreError> {
        let (text, filter) = (text.to_owned(), filter.clone());
        self.blocking(move |p, index| {
            let mut found = p.search_page(index, viewer, &text, lang, &filter, page)?;
            if parts.snippets {
                let ids: Vec<InitiativeId> = found.page.hits.iter().map(|(id, _)| *id).collect();
                found.snippets = search::snippets_in(index, &text, lang, parts.shown, &ids)?;
            }
            if parts.facets {
                found.facets = Some(p.facets_of_matches(viewer, &filter, &found.matched)?);
            }
            // A word read as its nearest spelling is said, as a correction is.
            if parts.suggestions && (found.page.total < search::ENOUGH as u64 || found.respelled) {
                found.suggestions = p.spelling(index, viewer, &text, lang, &filter)?;
            }
            Ok(found)
        })
        .await
    }

    /// A page of the events matching `text` that `viewer` may see, best first, with their
    /// snippets when `snippets` asks for them.
    pub async fn search_events(
        &self,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        page: PageRequest,
        snippets: bool,
    ) -> Result<Found<EventId>, StoreError> {
        let text = text.to_owned();
        self.blocking(move |p, index| {
            let page = p.search_events(index, viewer, &text, lang, page)?;
            with_snippets(index, &text, lang, page, snippets)
        })
        .await
    }

    /// A page of the organisations matching `text` that `viewer` may see, best first,
    /// with their snippets when `snippets` asks for them.
    pub async fn search_organisations(
        &self,
        viewer: Viewer,
        text: &str,
        lang: Option<Language>,
        page: PageRequest,
        snippets: bool,
    ) -> Result<Found<OrganisationId>, StoreError> {
        let text = text.to_owned();
        self.blocking(move |p, index| {
            let page = p.search_organisations(index, viewer, &text, lang, page)?;
            with_snippets(index, &text, lang, page, snippets)
        })
        .await
    }

    /// Runs `work` on the projection and the index on a thread for blocking work: the
    /// index reads files and computes for milliseconds, which async workers must not.
    pub(crate) async fn blocking<T: Send + 'static>(
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

    /// The facets of the filtered list for `viewer`. They are the same for every viewer
    /// of its kind (`kb_store::access::Reading`) until the next change, so they are kept
    /// that long: the search page without words counts the whole list once per change,
    /// not once per visitor. An answer is kept only if no change was applied while it
    /// was counted, under the position read before counting.
    pub async fn facets(
        &self,
        viewer: Viewer,
        filter: &InitiativeFilter,
    ) -> Result<InitiativeFacets, StoreError> {
        let key = (access::reading(viewer), filter.clone());
        let position = kept_position(self.applied_at());
        let (mut kept, _) = self.inner.facets.get(position, std::slice::from_ref(&key));
        if let Some(facets) = kept.remove(&key) {
            return Ok(facets);
        }
        let facets = {
            let p = self.inner.projection.read().await;
            let ids = p.select(viewer, filter)?;
            p.facets(viewer, &ids)
        };
        self.inner.facets.keep(
            position,
            || kept_position(self.applied_at()),
            [(key, facets.clone())],
        );
        Ok(facets)
    }
}

/// A change-log position as a [`Memo`]'s generation: positions only grow.
fn kept_position(position: i64) -> u64 {
    u64::try_from(position).unwrap_or(0)
}

/// A page of hits with the snippets of its hits, if `wanted`.
fn with_snippets<S: Subject>(
    index: &SearchIndex,
    text: &str,
    lang: Option<Language>,
    page: HitPage<S>,
    wanted: bool,
) -> Result<Found<S>, StoreError> {
    let snippets = if wanted {
        let ids: Vec<S> = page.hits.iter().map(|(id, _)| *id).collect();
        search::snippets(index, text, lang, &ids)?
    } else {
        HashMap::new()
    };
    Ok(Found { page, snippets })
}

/// Those of `ids` in the bitmap `selected`, in their order.
pub(crate) fn among(selected: &RoaringBitmap, ids: &[InitiativeId]) -> Vec<InitiativeId> {
    ids.iter()
        .copied()
        .filter(|id| projection::member(*id).is_some_and(|m| selected.contains(m)))
        .collect()
}
