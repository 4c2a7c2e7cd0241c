//! The analytics of the read model: each question runs on a blocking thread over the
//! projection as it stands. Centrality scores are kept until the projection moves past
//! the change-log position they were computed at: PageRank over the whole graph takes a
//! good part of a second at 100,000 initiatives, and the graph changes far less often
//! than it is asked about. Co-occurrence tables of the whole published knowledge bank
//! (no filter, for the viewers who see the published view only, who all get the same
//! answer) are kept the same way, with every cell: a filter's table is counted anew.

use std::sync::Arc;

use kb_domain::{DomainError, InitiativeFilter, Viewer};
use kb_store::StoreError;
use kb_store::access::sees_published_only;

use super::cache::{Audience, Key, map_key};
use super::centrality::{self, Measure};
use super::cooccurrence::{Cooccurrence, Dimension};
use super::graph::{EdgeTypes, MAX_DEPTH, MAX_NODES, MAX_PATH, NodeRef, NodeType, Subgraph, View};
use super::map::{Map, MapSettings};
use super::seriation::Order;
use super::trend::TrendYear;
use crate::ReadModel;

fn bad(e: DomainError) -> StoreError {
    StoreError::from(e)
}

/// `value` of the argument `field` must be 1 to `max`; anything else is LIMIT_EXCEEDED.
fn within(field: &str, value: usize, max: usize) -> Result<(), StoreError> {
    if value == 0 || value > max {
        return Err(bad(
            DomainError::limit(format!("{field} is 1 to {max}")).with_field(field)
        ));
    }
    Ok(())
}

impl ReadModel {
    /// The co-occurrence of two dimensions among the initiatives `filter` holds for
    /// `viewer`, every cell, rows and columns in `order`.
    pub async fn cooccurrence(
        &self,
        viewer: Viewer,
        rows: Dimension,
        columns: Dimension,
        filter: &InitiativeFilter,
        order: Order,
    ) -> Result<Arc<Cooccurrence>, StoreError> {
        let table = self.whole_table(viewer, rows, columns, filter).await?;
        Ok(match order {
            Order::Taxonomy => table,
            Order::Similarity => Arc::new(table.seriated()),
        })
    }

    /// Every cell of the co-occurrence of `rows` × `columns` among the initiatives
    /// `filter` holds for `viewer`: the published view's unfiltered tables kept until
    /// the next change, others counted.
    async fn whole_table(
        &self,
        viewer: Viewer,
        rows: Dimension,
        columns: Dimension,
        filter: &InitiativeFilter,
    ) -> Result<Arc<Cooccurrence>, StoreError> {
        let filter = filter.clone();
        // Read before the projection, as for centrality, but without waiting for the
        // follower (which holds `applied` while it asks the change log for changes): a
        // table is never kept under a position newer than the projection it counts.
        let position = self.applied_at();
        if !(sees_published_only(viewer) && filter == InitiativeFilter::default()) {
            return self
                .blocking(move |p, _| {
                    let population = p.select(viewer, &filter)?;
                    Ok(Arc::new(
                        p.cooccurrence(viewer, rows, columns, &population, 0)
                            .map_err(bad)?,
                    ))
                })
                .await;
        };
        let key = (rows, columns);
        let kept = &self.inner.analytics;
        if let Some(t) = kept.table(position, key) {
            return Ok(t);
        }
        kept.tables_counted
            .once(position, key, || async {
                let t = self
                    .blocking(move |p, _| {
                        let population = p.select(viewer, &filter)?;
                        p.cooccurrence(viewer, rows, columns, &population, 0)
                            .map_err(bad)
                    })
                    .await?;
                let t = Arc::new(t);
                kept.keep_table(position, key, t.clone());
                Ok(t)
            })
            .await
    }

    /// The map of `settings` among the initiatives `filter` holds for `viewer`; the
    /// published view's maps without a filter kept until the next change.
    pub async fn map(
        &self,
        viewer: Viewer,
        settings: MapSettings,
        filter: &InitiativeFilter,
    ) -> Result<Arc<Map>, StoreError> {
        let filter = filter.clone();
        let position = self.applied_at();
        let draw = |filter: InitiativeFilter| async move {
            let m = self
                .blocking(move |p, _| {
                    let population = p.select(viewer, &filter)?;
                    p.map(viewer, settings, &population).map_err(bad)
                })
                .await?;
            Ok::<_, StoreError>(Arc::new(m))
        };
        if !(sees_published_only(viewer) && filter == InitiativeFilter::default()) {
            return draw(filter).await;
        }
        let kept = &self.inner.analytics;
        if let Some(m) = kept.map(position, &settings) {
            return Ok(m);
        }
        kept.maps_drawn
            .once(position, map_key(&settings), || async {
                let m = draw(filter).await?;
                kept.keep_map(position, m.clone());
                Ok(m)
            })
            .await
    }

    /// Whether the published view's map of `settings` is kept at the position the model
    /// stands at (for tests and diagnostics).
    pub async fn map_cached(&self, settings: MapSettings) -> bool {
        let position = self.position().await;
        self.inner.analytics.map(position, &settings).is_some()
    }

    /// Whether the published view's table of `rows` × `columns` is kept at the position
    /// the model stands at (for tests and diagnostics).
    pub async fn cooccurrence_cached(&self, rows: Dimension, columns: Dimension) -> bool {
        let position = self.position().await;
        self.inner
            .analytics
            .table(position, (rows, columns))
            .is_some()
    }

    /// Counts per start year and value of `dimension` among the initiatives `filter`
    /// holds for `viewer`.
    pub async fn trend(
        &self,
        viewer: Viewer,
        dimension: Dimension,
        from: Option<i32>,
        to: Option<i32>,
        filter: &InitiativeFilter,
    ) -> Result<Vec<TrendYear>, StoreError> {
        let filter = filter.clone();
        self.blocking(move |p, _| {
            let population = p.select(viewer, &filter)?;
            p.trend(viewer, dimension, from, to, &population)
                .map_err(bad)
        })
        .await
    }

    /// The nodes within `depth` links of `start` and the edges among them; `None` when
    /// `viewer` does not see `start`.
    pub async fn neighbourhood(
        &self,
        viewer: Viewer,
        start: NodeRef,
        depth: u32,
        types: EdgeTypes,
        limit: usize,
    ) -> Result<Option<Subgraph>, StoreError> {
        within("depth", depth as usize, MAX_DEPTH as usize)?;
        within("limit", limit, MAX_NODES)?;
        self.blocking(move |p, _| {
            View::new(p, viewer, types)
                .neighbourhood(start, depth, limit)
                .map_err(bad)
        })
        .await
    }

    /// A shortest path between two nodes, of at most `max_length` edges.
    pub async fn path(
        &self,
        viewer: Viewer,
        from: NodeRef,
        to: NodeRef,
        types: EdgeTypes,
        max_length: u32,
    ) -> Result<Option<Subgraph>, StoreError> {
        within("maxLength", max_length as usize, MAX_PATH as usize)?;
        self.blocking(move |p, _| Ok(View::new(p, viewer, types).path(from, to, max_length)))
            .await
    }

    /// The `first` nodes of `node_type` with the highest `measure`, highest first.
    pub async fn centrality(
        &self,
        viewer: Viewer,
        node_type: NodeType,
        measure: Measure,
        types: EdgeTypes,
        first: usize,
    ) -> Result<Vec<(NodeRef, f64)>, StoreError> {
        // Read before the projection: scores are never kept under a position older than
        // the projection they were computed from.
        let position = self.position().await;
        let key: Key = (
            Audience::of(viewer),
            types,
            measure,
            (measure == Measure::Betweenness).then_some(node_type),
        );
        let kept = &self.inner.analytics;
        let scores = match kept.get(position, &key) {
            Some(s) => s,
            None => {
                kept.scores_computed
                    .once(position, key, || async {
                        let s = self
                            .blocking(move |p, _| {
                                centrality::scores(&View::new(p, viewer, types), measure, node_type)
                                    .map_err(bad)
                            })
                            .await?;
                        let s = Arc::new(s);
                        kept.put(position, key, s.clone());
                        Ok::<_, StoreError>(s)
                    })
                    .await?
            }
        };
        Ok(centrality::top(&scores, node_type, first))
    }

    /// Whether centrality scores are kept for this viewer, measure and edge types at the
    /// position the model stands at (for tests and diagnostics).
    pub async fn centrality_cached(
        &self,
        viewer: Viewer,
        node_type: NodeType,
        measure: Measure,
        types: EdgeTypes,
    ) -> bool {
        let position = self.position().await;
        let key: Key = (
            Audience::of(viewer),
            types,
            measure,
            (measure == Measure::Betweenness).then_some(node_type),
        );
        self.inner.analytics.get(position, &key).is_some()
    }
}
