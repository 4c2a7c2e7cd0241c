//! What the analytics keep between requests: centrality scores per audience and the
//! published view's co-occurrence tables, each valid at one change-log position and
//! forgotten when the projection moves past it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kb_domain::{OrganisationId, Viewer};

use super::centrality::Measure;
use super::cooccurrence::{Cooccurrence, Dimension};
use super::flight::Flights;
use super::graph::{EdgeTypes, NodeRef, NodeType};
use super::map::{Map, MapKind, MapSettings};

/// Who sees the same graph: the public (anonymous readers and partners), one
/// organisation's contributors, or editors and admins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Audience {
    Public,
    Organisation(OrganisationId),
    Everyone,
}

impl Audience {
    pub(super) fn of(viewer: Viewer) -> Self {
        match viewer {
            Viewer::Anonymous | Viewer::Partner => Audience::Public,
            Viewer::Contributor { organisation_id } => Audience::Organisation(organisation_id),
            Viewer::Editor | Viewer::Admin => Audience::Everyone,
        }
    }
}

pub(super) type Key = (Audience, EdgeTypes, Measure, Option<NodeType>);
pub(super) type Scores = Arc<Vec<(NodeRef, f64)>>;
/// A table's rows and columns.
pub(super) type Axes = (Dimension, Dimension);

/// A map's settings as a key: the resolution by its bits.
pub(super) type MapKey = (MapKind, u64, usize, u64);

pub(super) fn map_key(s: &MapSettings) -> MapKey {
    (
        s.kind,
        s.resolution.to_bits(),
        s.max_nodes,
        s.min_link_count,
    )
}

/// The most maps kept at one position.
const CACHED_MAPS: usize = 16;

/// The most score lists kept at one position.
const CACHED: usize = 64;

/// The most cells of the published view's tables kept at one position (a cell is 64
/// bytes: 16 MiB). Topic × organisation has some 40,000; a table too large to fit is
/// counted for each request.
const CACHED_CELLS: usize = 1 << 18;

/// Centrality scores by audience, edge types and measure, and the published view's
/// co-occurrence tables by rows and columns, valid at one change-log position.
/// What is not kept yet is computed once for everyone who asks meanwhile.
#[derive(Debug, Default)]
pub struct Cache {
    at: Mutex<(i64, HashMap<Key, Scores>)>,
    tables: Mutex<(i64, HashMap<Axes, Arc<Cooccurrence>>)>,
    maps: Mutex<(i64, HashMap<MapKey, Arc<Map>>)>,
    pub(super) scores_computed: Flights<Key, Scores>,
    pub(super) tables_counted: Flights<Axes, Arc<Cooccurrence>>,
    pub(super) maps_drawn: Flights<MapKey, Arc<Map>>,
}

impl Cache {
    /// The published view's map of `settings` kept at `position`.
    pub(super) fn map(&self, position: i64, settings: &MapSettings) -> Option<Arc<Map>> {
        let held = self.maps.lock().ok()?;
        if held.0 != position {
            return None;
        }
        held.1.get(&map_key(settings)).cloned()
    }

    /// Keeps `map` at `position`, forgetting those of other positions (and all of them
    /// when [`CACHED_MAPS`] are kept).
    pub(super) fn keep_map(&self, position: i64, map: Arc<Map>) {
        let Ok(mut held) = self.maps.lock() else {
            return;
        };
        if held.0 != position || held.1.len() >= CACHED_MAPS {
            *held = (position, HashMap::new());
        }
        held.1.insert(map_key(&map.settings), map);
    }

    /// The table kept for `key` at `position`.
    pub(super) fn table(&self, position: i64, key: Axes) -> Option<Arc<Cooccurrence>> {
        let held = self.tables.lock().ok()?;
        if held.0 != position {
            return None;
        }
        held.1.get(&key).cloned()
    }

    /// Keeps `table` for `key` at `position`, forgetting those of other positions; not
    /// when the tables kept would hold more than [`CACHED_CELLS`] cells.
    pub(super) fn keep_table(&self, position: i64, key: Axes, table: Arc<Cooccurrence>) {
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
    pub(super) fn get(&self, position: i64, key: &Key) -> Option<Scores> {
        let held = self.at.lock().ok()?;
        if held.0 != position {
            return None;
        }
        held.1.get(key).cloned()
    }

    /// Keeps `scores` for `key` at `position`, forgetting those of other positions.
    pub(super) fn put(&self, position: i64, key: Key, scores: Scores) {
        let Ok(mut held) = self.at.lock() else {
            return;
        };
        if held.0 != position || held.1.len() >= CACHED {
            *held = (position, HashMap::new());
        }
        held.1.insert(key, scores);
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
        let cell = crate::analytics::Cell {
            row: 0,
            column: 0,
            measures: crate::analytics::CellMeasures {
                count: 1,
                expected: 1.0,
                lift: 1.0,
                jaccard: 1.0,
                npmi: 1.0,
                p_value: 1.0,
                p_under: 1.0,
            },
            q_value: 1.0,
            q_under: 1.0,
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
