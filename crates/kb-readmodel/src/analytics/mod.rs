//! Analytics over the read model, for network staff and researchers: co-occurrence of
//! two dimensions with measures of association, trends per year, neighbourhoods and
//! shortest paths in the graph, and centrality. Pure functions over the projection
//! (no I/O), each within what one viewer may see: every count starts from the
//! population a filter holds for the viewer, and an edge to a node the viewer may not
//! see does not exist for that viewer.

/// Centrality scores and co-occurrence tables kept until the change log moves on.
mod cache;
/// Degree, PageRank and betweenness.
mod centrality;
/// Co-occurrence tables from bitmap intersections, and the values of a dimension.
mod cooccurrence;
/// Counting a table's cells, narrow tables by intersections, wide ones member by member.
mod counting;
/// The Benjamini–Hochberg false discovery rate over a table's cells.
mod fdr;
/// One computation per question at a time, shared by everyone who asks meanwhile.
mod flight;
/// The graph of nodes and typed edges one viewer sees; neighbourhoods and paths.
mod graph;
/// Positions for the analyst's maps by the VOS mapping technique.
mod layout;
/// Clusters for the analyst's maps by the Leiden algorithm (CPM quality).
mod leiden;
/// Maps of topics, themes and organisations: clusters and positions.
mod map;
/// The read model's analytics, with centrality cached per change-log position.
mod model;
/// The weighted networks the maps are drawn from, and association strength.
mod network;
/// A small seeded generator, so the maps come out the same for the same data.
mod prng;
/// Rows and columns ordered by similarity.
mod seriation;
/// A few values of a dimension followed through a window of years.
mod series;
/// The whole graph one viewer sees, as ids, for exports.
mod snapshot;
/// The measures of a co-occurrence cell, the hypergeometric tail among them.
mod stats;
/// Initiatives per start year and value of a dimension.
mod trend;

pub use cache::Cache;
pub use centrality::{BETWEENNESS_BUDGET, DAMPING, Measure};
pub use cooccurrence::{Cell, Cooccurrence, Dimension, DimensionValue, Margin};
pub use fdr::benjamini_hochberg;
pub use graph::{
    Edge, EdgeType, EdgeTypes, MAX_DEPTH, MAX_NODES, MAX_PATH, NodeRef, NodeType, Subgraph,
};
pub use layout::vos_layout;
pub use leiden::{Partition, leiden, quality};
pub use map::{MAX_MAP_NODES, Map, MapCluster, MapKind, MapLink, MapNode, MapSettings, RESOLUTION};
pub use network::Network;
pub use seriation::Order;
pub use series::{MAX_SERIES, Point, Series, series};
pub use snapshot::GraphSnapshot;
pub use stats::{CellMeasures, hypergeometric_lower_tail, hypergeometric_upper_tail, ln_factorial};
pub use trend::{MAX_TREND_YEARS, TrendValue, TrendYear};
