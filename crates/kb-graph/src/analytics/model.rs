//! The analytics of the read model: each question runs on a blocking thread over the
//! projection as it stands. Centrality scores are kept until the projection moves past
//! the change-log position they were computed at: PageRank over the whole graph takes a
//! good part of a second at 100,000 initiatives, and the graph changes far less often
//! than it is asked about. Co-occurrence tables of the whole published knowledge bank
//! (no filter, for the viewers who see the published view only, who all get the same
//! answer) are kept the same way, with every cell: a filter's table is counted anew.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kb_domain::{DomainError, InitiativeFilter, OrganisationId, Viewer};
use kb_store::StoreError;
use kb_store::access::sees_published_only;

use super::centrality::{self, Measure};
use super::cooccurrence::{Cooccurrence, Dimension, TrendYear};
use super::graph::{EdgeTypes, MAX_DEPTH, MAX_NODES, MAX_PATH, NodeRef, NodeType, Subgraph, View};
use crate::ReadModel;

/// Who sees the same graph: the public (anonymous readers and partners), one
/// organisation's contributors, or editors and admins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Audience {
    Public,
    Organisation(OrganisationId),
    Everyone,
}

impl Audience {
    fn of(viewer: Viewer) -> Self {
        match viewer {
            Viewer::Anonymous | Viewer::Partner => Audience::Public,
            Viewer::Contributor { organisation_id } => Audience::Organisation(organisation_id),
            Viewer::Editor | Viewer::Admin => Audience::Everyone,
        }
    }
}

type Key = (Audience, EdgeTypes, Measure, Option<NodeType>);
type Scores = Arc<Vec<(NodeRef, f64)>>;
/// A table's rows and columns.
type Axes = (Dimension, Dimension);

/// The most score lists kept at one position.
const CACHED: usize = 64;

/// The most cells of the published view's tables kept at one position (a cell is 64
/// bytes: 16 MiB). Topic × organisation has some 40,000; a table too large to fit is
/// counted for each request.
const CACHED_CELLS: usize = 1 << 18;

/// Centrality scores by audience, edge types and measure, and the published view's
/// co-occurrence tables by rows and columns, valid at one change-log position.
#[derive(Debug, Default)]
pub struct Cache {
    at: Mutex<(i64, HashMap<Key, Scores>)>,
    tables: Mutex<(i64, HashMap<Axes, Arc<Cooccurrence>>)>,
}

impl Cache {
    /// The table kept for `key` at `position`.
    fn table(&self, position: i64, key: Axes) -> Option<Arc<Cooccurrence>> {
        let held = self.tables.lock().ok()?;
        if held.0 != position {
            return None;
        }
        held.1.get(&key).cloned()
    }

    /// Keeps `table` for `key` at `position`, forgetting those of other positions; not
    /// when the tables kept would hold more than [`CACHED_CELLS`] cells.
    fn keep_table(&self, position: i64, key: Axes, table: Arc<Cooccurrence>) {
        let Ok(mut held) = self.tables.lock() else {
            return;
        };
        if held.0 != position {
            *held = (position, HashMap::new());
        }
        let cells: usize = held.1.values().map(|t| t.cells.len()).sum();
        if cells + table.cells.len() <= CACHED_CELLS {
            held.1.insert(key, table);
        }
    }

    /// The scores kept for `key` at `position`.
    fn get(&self, position: i64, key: &Key) -> Option<Scores> {
        let held = self.at.lock().ok()?;
        if held.0 != position {
            return None;
        }
        held.1.get(key).cloned()
    }

    /// Keeps `scores` for `key` at `position`, forgetting those of other positions.
    fn put(&self, position: i64, key: Key, scores: Scores) {
        let Ok(mut held) = self.at.lock() else {
            return;
        };
        if held.0 != position || held.1.len() >= CACHED {
            *held = (position, HashMap::new());
        }
        held.1.insert(key, scores);
    }
}

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
    /// `viewer`; cells under `min_count` left out.
    pub async fn cooccurrence(
        &self,
        viewer: Viewer,
        rows: Dimension,
        columns: Dimension,
        filter: &InitiativeFilter,
        min_count: u64,
    ) -> Result<Cooccurrence, StoreError> {
        let filter = filter.clone();
        // Read before the projection, as for centrality, but without waiting: while the
        // follower applies changes (or asks the change log for them), the table is
        // counted and not kept, so a request never waits for the database.
        let position = self.inner.applied.try_lock().ok().map(|p| *p);
        let (true, Some(position)) = (
            sees_published_only(viewer) && filter == InitiativeFilter::default(),
            position,
        ) else {
            return self
                .blocking(move |p, _| {
                    let population = p.select(viewer, &filter)?;
                    Ok(p.cooccurrence(viewer, rows, columns, &population, min_count))
                })
                .await;
        };
        let key = (rows, columns);
        let table = match self.inner.analytics.table(position, key) {
            Some(t) => t,
            None => {
                let t = self
                    .blocking(move |p, _| {
                        let population = p.select(viewer, &filter)?;
                        Ok(p.cooccurrence(viewer, rows, columns, &population, 0))
                    })
                    .await?;
                let t = Arc::new(t);
                self.inner.analytics.keep_table(position, key, t.clone());
                t
            }
        };
        Ok(table.at_least(min_count))
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
        let scores = match self.inner.analytics.get(position, &key) {
            Some(s) => s,
            None => {
                let s = self
                    .blocking(move |p, _| {
                        centrality::scores(&View::new(p, viewer, types), measure, node_type)
                            .map_err(bad)
                    })
                    .await?;
                let s = Arc::new(s);
                self.inner.analytics.put(position, key, s.clone());
                s
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_kept_until_the_position_moves() {
        let c = Cache::default();
        let key: Key = (Audience::Public, EdgeTypes::all(), Measure::PageRank, None);
        let scores: Scores = Arc::new(vec![]);
        c.put(7, key, scores.clone());
        assert!(c.get(7, &key).is_some_and(|s| Arc::ptr_eq(&s, &scores)));
        let other: Key = (
            Audience::Everyone,
            EdgeTypes::all(),
            Measure::PageRank,
            None,
        );
        assert!(c.get(7, &other).is_none());
        assert!(c.get(8, &key).is_none());
        c.put(8, other, scores);
        assert!(c.get(7, &key).is_none() && c.get(8, &key).is_none());
    }

    fn table(cells: usize) -> Arc<Cooccurrence> {
        let cell = super::super::Cell {
            row: 0,
            column: 0,
            measures: crate::analytics::CellMeasures {
                count: 1,
                expected: 1.0,
                lift: 1.0,
                jaccard: 1.0,
                npmi: 1.0,
                p_value: 1.0,
            },
        };
        Arc::new(Cooccurrence {
            population: 1,
            rows: vec![],
            columns: vec![],
            cells: vec![cell; cells],
        })
    }

    #[test]
    fn tables_are_kept_until_the_position_moves_and_within_their_bound() {
        let c = Cache::default();
        let key = (Dimension::Theme, Dimension::Topic);
        let t = table(10);
        c.keep_table(3, key, t.clone());
        assert!(c.table(3, key).is_some_and(|k| Arc::ptr_eq(&k, &t)));
        assert!(c.table(3, (Dimension::Topic, Dimension::Theme)).is_none());
        assert!(c.table(4, key).is_none());
        // Past the bound a table is not kept; the others stay.
        let wide = (Dimension::Organisation, Dimension::Organisation);
        c.keep_table(3, wide, table(CACHED_CELLS));
        assert!(c.table(3, wide).is_none() && c.table(3, key).is_some());
        c.keep_table(4, wide, table(CACHED_CELLS));
        assert!(c.table(4, wide).is_some() && c.table(4, key).is_none());
    }
}
