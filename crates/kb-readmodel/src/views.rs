//! The initiatives of a saved view: its filter in its order, or its search text's hits
//! best first; always as the store's access module says a view is read
//! (`kb_store::access::view_reader`: the published knowledge bank, whoever asks). The
//! API's `View.initiatives` and the server's feeds both page through here.

use kb_domain::view::View;
use kb_domain::{InitiativeId, Page, PageRequest, Viewer};
use kb_store::{EventFilter, StoreError};
use roaring::RoaringBitmap;

use crate::ReadModel;
use crate::search::SearchParts;

/// The most initiatives of a view whose events are looked up (its first ones in its
/// order): keeps the statement's list of ids within every database's limits.
pub const VIEW_EVENT_INITIATIVES: u64 = 1_000;

/// A page of a view's initiatives.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewPage {
    /// The ids of the page, with the total of the whole list.
    pub ids: Page<InitiativeId>,
    /// What the search text matched, when the view has one: its facets count over it.
    pub matched: Option<RoaringBitmap>,
    /// Whom the view was read for.
    pub reader: Viewer,
}

impl ReadModel {
    /// A page of the initiatives of `view` as `viewer` may read them.
    pub async fn view_page(
        &self,
        viewer: Viewer,
        view: &View,
        page: PageRequest,
    ) -> Result<ViewPage, StoreError> {
        let reader = kb_store::access::view_reader(viewer);
        let Some(text) = &view.search else {
            let ids = self.list(reader, &view.filter, view.order, page).await?;
            return Ok(ViewPage {
                ids,
                matched: None,
                reader,
            });
        };
        let found = self
            .search(
                reader,
                text,
                None,
                &view.filter,
                page,
                SearchParts::default(),
            )
            .await?;
        Ok(ViewPage {
            ids: Page {
                items: found.page.hits.iter().map(|(id, _)| *id).collect(),
                offset: found.page.offset,
                total: Some(found.page.total),
                has_next: found.page.has_next,
            },
            matched: Some(found.matched),
            reader,
        })
    }

    /// Which events a view shows: those still to come (not ended at `now`) featuring
    /// its first [`VIEW_EVENT_INITIATIVES`] initiatives that `viewer` may read. The
    /// store lists and counts them (published only, for the view's reader).
    pub async fn view_events(
        &self,
        viewer: Viewer,
        view: &View,
    ) -> Result<EventFilter, StoreError> {
        let all = PageRequest {
            offset: 0,
            limit: VIEW_EVENT_INITIATIVES,
            count: false,
        };
        let found = self.view_page(viewer, view, all).await?;
        Ok(EventFilter {
            from: Some(chrono::Utc::now()),
            initiatives: Some(found.ids.items),
            ..Default::default()
        })
    }
}

impl ReadModel {
    /// Those of `ids` that are among the initiatives of `view` as `viewer` may read
    /// them, in their order: they pass the view's filter and, when the view has search
    /// text, match it. One selection (and one search) for all of them.
    pub async fn view_select_among(
        &self,
        viewer: Viewer,
        view: &View,
        ids: &[InitiativeId],
    ) -> Result<Vec<InitiativeId>, StoreError> {
        let reader = kb_store::access::view_reader(viewer);
        let selected = self.select_among(reader, &view.filter, ids).await?;
        let Some(text) = &view.search else {
            return Ok(selected);
        };
        if selected.is_empty() {
            return Ok(selected);
        }
        let none = PageRequest {
            offset: 0,
            limit: 0,
            count: false,
        };
        let found = self
            .search(
                reader,
                text,
                None,
                &view.filter,
                none,
                SearchParts::default(),
            )
            .await?;
        Ok(crate::read_model::among(&found.matched, &selected))
    }

    /// The initiatives the event `id` features, as the read model holds them.
    pub async fn event_initiatives(&self, id: kb_domain::EventId) -> Vec<InitiativeId> {
        let p = self.inner.projection.read().await;
        p.graph
            .events
            .get(&id)
            .map(|e| e.initiatives.clone())
            .unwrap_or_default()
    }
}
