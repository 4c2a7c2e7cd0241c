//! `Query.analytics`: co-occurrence, trends, neighbourhoods, paths and centrality, for
//! analysts. Every answer comes from the read model (bitmap intersections and graph
//! walks, no SQL scans) within what the viewer may see; the nodes of graph answers are
//! loaded by id through the request's loaders like any other node.

/// Nodes, edges and scores of graph answers.
mod graph;
/// Maps: nodes with clusters and positions, links and clusters.
mod map;
/// Trend series: a few values followed through a window of years.
mod series;
/// Co-occurrence tables: cells and totals resolved from one plan of their fields.
mod table;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use kb_domain::{ErrorCode, GlobalId, NodeKind};
use kb_readmodel::analytics as a;

use super::InitiativeFilter;
use crate::context::{domain as domain_err, read_model, viewer};
use crate::error::{StoreResultExt, coded};
use crate::types::vocab::{Language, lang_of};
use graph::{CentralityScore, GraphPath, Subgraph};
use map::{Map, MapKind};
use series::TrendSeries;
use table::Cooccurrence;

/// What initiatives are counted by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "a::Dimension")]
pub enum Dimension {
    /// The themes.
    Theme,
    /// Every topic: a root topic counts its whole subtree.
    Topic,
    /// The first level of the topic tree: the root topics, each counting its subtree.
    BroadTopic,
    /// The second level of the topic tree: the narrower topics.
    NarrowTopic,
    /// The kind of initiative.
    Kind,
    /// The organisations behind them.
    Organisation,
    /// The kinds of the organisations behind them.
    OrganisationKind,
    /// The target groups.
    TargetGroup,
    /// The levels of education.
    EducationLevel,
    /// The region.
    Region,
    /// The level of evidence.
    EvidenceLevel,
    /// The languages (ISO 639-1 codes).
    Language,
    /// The start year.
    Year,
}

/// How the rows and columns of a co-occurrence table are ordered.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "a::Order")]
pub enum TableOrder {
    /// As the dimension lists its values: the taxonomy's order, names, codes or years.
    Taxonomy,
    /// By similarity (seriation): both sides sorted by their score on the first axis of
    /// correspondence analysis, so that values that go together stand together.
    Similarity,
}

/// The typed edges of the graph (from → to).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "a::EdgeType")]
pub enum EdgeType {
    /// Initiative or event → theme.
    Themed,
    /// Initiative or event → topic.
    About,
    /// Initiative → organisation.
    By,
    /// Initiative → initiative.
    BuildsOn,
    /// Initiative → initiative.
    InspiredBy,
    /// Initiative → initiative.
    RelatedTo,
    /// Event → initiative.
    Features,
    /// Event → organisation.
    OrganisedBy,
    /// Topic → broader topic.
    Broader,
    /// Organisation → the organisation it is part of.
    PartOf,
}

/// The kinds of node of the graph.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "a::NodeType")]
pub enum NodeType {
    /// An initiative.
    Initiative,
    /// A theme.
    Theme,
    /// A topic.
    Topic,
    /// An organisation.
    Organisation,
    /// An event.
    Event,
}

/// How central a node is (see docs/analytics.md for the definitions).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "a::Measure")]
pub enum CentralityMeasure {
    /// How many nodes it is adjacent to.
    Degree,
    /// The stationary share of a random walk (damping 0.85) over the whole graph.
    #[graphql(name = "PAGERANK")]
    PageRank,
    /// The shortest paths through it, on the graph of its own kind of node.
    Betweenness,
}

/// One value's count in one year.
#[derive(Debug, Clone)]
pub struct TrendValue(a::TrendValue);

/// One value's count in one year.
#[Object]
impl TrendValue {
    /// The code, as in `DimensionTotal.value`.
    async fn value(&self) -> &str {
        &self.0.value.value
    }
    /// The value's label in `lang` (by default the request's language).
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language of the label; by default the request's.")] lang: Option<
            Language,
        >,
    ) -> String {
        self.0.value.label.get(lang_of(ctx, lang)).to_owned()
    }
    /// Initiatives of the population that started that year and hold the value.
    async fn count(&self) -> i64 {
        self.0.count as i64
    }
    /// `count / total` of the year; 0 in a year without initiatives.
    async fn share(&self) -> f64 {
        self.0.share
    }
}

/// The counts of one start year.
#[derive(SimpleObject, Debug, Clone)]
pub struct TrendYear {
    /// The start year.
    pub year: i32,
    /// Initiatives of the population that started that year.
    pub total: i64,
    /// Every value the population holds in the range, in the dimension's order.
    pub values: Vec<TrendValue>,
}

/// A node of the graph by its global id.
fn node_ref(field: &str, id: &ID) -> async_graphql::Result<a::NodeRef> {
    let gid = GlobalId::decode(field, id).map_err(domain_err)?;
    Ok(match gid.kind {
        NodeKind::Initiative => a::NodeRef::Initiative(kb_domain::InitiativeId(gid.id)),
        NodeKind::Theme => a::NodeRef::Theme(kb_domain::ThemeId(gid.id)),
        NodeKind::Topic => a::NodeRef::Topic(kb_domain::TopicId(gid.id)),
        NodeKind::Organisation => a::NodeRef::Organisation(kb_domain::OrganisationId(gid.id)),
        NodeKind::Event => a::NodeRef::Event(kb_domain::EventId(gid.id)),
    })
}

/// A count argument that must lie in `range`.
fn bounded(
    field: &str,
    value: i32,
    range: std::ops::RangeInclusive<usize>,
) -> async_graphql::Result<usize> {
    usize::try_from(value)
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            coded(
                ErrorCode::BadUserInput,
                format!("{field} is {} to {}", range.start(), range.end()),
                Some(field),
            )
        })
}

/// A count argument that must not be negative (its upper bound is the read model's).
fn natural(field: &str, value: i32) -> async_graphql::Result<u32> {
    u32::try_from(value).map_err(|_| {
        coded(
            ErrorCode::BadUserInput,
            format!("{field} must not be negative"),
            Some(field),
        )
    })
}

fn allowed(types: Option<Vec<EdgeType>>) -> a::EdgeTypes {
    let list: Vec<a::EdgeType> = types.into_iter().flatten().map(Into::into).collect();
    a::EdgeTypes::of(&list)
}

/// The most nodes a centrality answer lists.
const MAX_FIRST: usize = 100;

/// Analytics over the knowledge graph, within what the viewer may see.
#[derive(Debug, Default, Clone, Copy)]
pub struct Analytics;

/// Analytics over the knowledge graph, within what the viewer may see.
#[Object]
impl Analytics {
    /// How the values of two dimensions occur together among the initiatives the filter
    /// holds: every cell with its count and measures of association, the row and
    /// column totals and the population. Cells counting fewer than `minCount` (0 by
    /// default) are left out.
    async fn cooccurrence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The dimension whose values are the table's rows.")] rows: Dimension,
        #[graphql(desc = "The dimension whose values are the table's columns.")] columns: Dimension,
        #[graphql(
            desc = "Narrows the population first, as in `initiatives`; none: every initiative the viewer sees."
        )]
        filter: Option<InitiativeFilter>,
        #[graphql(
            desc = "Cells counting fewer initiatives are left out; 0 (keep all) by default."
        )]
        min_count: Option<i32>,
        #[graphql(
            desc = "The order of rows and columns: the dimension's own (TAXONOMY, the default) or by similarity."
        )]
        order: Option<TableOrder>,
    ) -> async_graphql::Result<Cooccurrence> {
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let min_count = natural("minCount", min_count.unwrap_or(0))?;
        let t = read_model(ctx)?
            .cooccurrence(
                viewer(ctx)?,
                rows.into(),
                columns.into(),
                &filter,
                order.unwrap_or(TableOrder::Taxonomy).into(),
            )
            .await
            .gql()?;
        Ok(Cooccurrence::new(t, u64::from(min_count)))
    }

    /// Initiatives per start year and value of a dimension, from `yearFrom` to `yearTo`
    /// (the population's first and last start years by default), with each value's
    /// share of the year.
    async fn trend(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The dimension whose values are counted per year.")] dimension: Dimension,
        #[graphql(
            desc = "The first start year; by default the population's first. A trend spans at most 200 years."
        )]
        year_from: Option<i32>,
        #[graphql(desc = "The last start year; by default the population's last.")] year_to: Option<
            i32,
        >,
        #[graphql(desc = "Narrows the population first, as in `initiatives`.")] filter: Option<
            InitiativeFilter,
        >,
    ) -> async_graphql::Result<Vec<TrendYear>> {
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let years = read_model(ctx)?
            .trend(viewer(ctx)?, dimension.into(), year_from, year_to, &filter)
            .await
            .gql()?;
        Ok(years
            .into_iter()
            .map(|y| TrendYear {
                year: y.year,
                total: y.total as i64,
                values: y.values.into_iter().map(TrendValue).collect(),
            })
            .collect())
    }

    /// Up to six values of a dimension followed year by year from `yearFrom` to
    /// `yearTo` (the population's first and last start years by default), as counts and
    /// shares of each year, with their change over the window. Without `values`, the
    /// `first` values with the most initiatives in the window.
    #[allow(clippy::too_many_arguments)] // the schema's arguments: dimension, values, window, filter
    async fn trend_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The dimension whose values are followed.")] dimension: Dimension,
        #[graphql(
            desc = "The codes of the values followed (as in `DimensionTotal.value`), at most 6; codes the window does not hold give no series."
        )]
        values: Option<Vec<String>>,
        #[graphql(desc = "Without `values`: how many of the largest, 1 to 6 (6 by default).")]
        first: Option<i32>,
        #[graphql(desc = "The first start year; by default the population's first.")]
        year_from: Option<i32>,
        #[graphql(desc = "The last start year; by default the population's last.")] year_to: Option<
            i32,
        >,
        #[graphql(desc = "Narrows the population first, as in `initiatives`.")] filter: Option<
            InitiativeFilter,
        >,
    ) -> async_graphql::Result<Vec<TrendSeries>> {
        let values = values.unwrap_or_default();
        if values.len() > a::MAX_SERIES {
            return Err(coded(
                ErrorCode::LimitExceeded,
                format!("at most {} values are compared", a::MAX_SERIES),
                Some("values"),
            ));
        }
        let first = bounded("first", first.unwrap_or(6), 1..=a::MAX_SERIES)?;
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let years = read_model(ctx)?
            .trend(viewer(ctx)?, dimension.into(), year_from, year_to, &filter)
            .await
            .gql()?;
        Ok(a::series(&years, &values, first)
            .into_iter()
            .map(TrendSeries)
            .collect())
    }

    /// A map of the field as VOSviewer draws one: the co-occurrence map of topics (or
    /// of themes and topics), or the collaboration map of organisations, over the
    /// initiatives the filter holds. Nodes are sized by their initiatives, links weighed
    /// by association strength, clusters found with the Leiden algorithm and positions
    /// by the VOS mapping technique; the same data gives the same map. The published
    /// view's maps without a filter are kept until the next change.
    async fn map(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the map shows.")] kind: MapKind,
        #[graphql(desc = "Narrows the population first, as in `initiatives`.")] filter: Option<
            InitiativeFilter,
        >,
        #[graphql(
            desc = "The clustering's resolution, above 0 and at most 100: higher finds more, smaller clusters; 1 by default."
        )]
        resolution: Option<f64>,
        #[graphql(
            desc = "The most nodes, those with the greatest total link count: 1 to 500, 100 by default."
        )]
        max_nodes: Option<i32>,
        #[graphql(desc = "Links of fewer initiatives are left out; 1 by default.")]
        min_link_count: Option<i32>,
    ) -> async_graphql::Result<Map> {
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let settings = a::MapSettings {
            kind: kind.into(),
            resolution: resolution.unwrap_or(a::RESOLUTION),
            max_nodes: bounded("maxNodes", max_nodes.unwrap_or(100), 1..=a::MAX_MAP_NODES)?,
            min_link_count: u64::from(natural("minLinkCount", min_link_count.unwrap_or(1))?),
        };
        let map = read_model(ctx)?
            .map(viewer(ctx)?, settings, &filter)
            .await
            .gql()?;
        Ok(Map(map))
    }

    /// The nodes within `depth` links (1 to 3, 1 by default) of a node, and every edge among them,
    /// following edges of `edgeTypes` (all by default) either way; null when the node
    /// does not exist or is not visible. More than `limit` nodes (200 by default, at
    /// most 2,000) is LIMIT_EXCEEDED.
    async fn neighbourhood(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The node at the centre: an initiative, organisation, event, theme or topic."
        )]
        id: ID,
        #[graphql(desc = "How many links away to go: 1 to 3, 1 by default.")] depth: Option<i32>,
        #[graphql(desc = "The kinds of edges followed, either way; all by default.")]
        edge_types: Option<Vec<EdgeType>>,
        #[graphql(
            desc = "The most nodes returned: 1 to 2,000, 200 by default; more is LIMIT_EXCEEDED."
        )]
        limit: Option<i32>,
    ) -> async_graphql::Result<Option<Subgraph>> {
        let start = node_ref("id", &id)?;
        let depth = natural("depth", depth.unwrap_or(1))?;
        let limit = natural("limit", limit.unwrap_or(200))? as usize;
        Ok(read_model(ctx)?
            .neighbourhood(viewer(ctx)?, start, depth, allowed(edge_types), limit)
            .await
            .gql()?
            .map(Subgraph))
    }

    /// A shortest path from one node to another of at most `maxLength` edges (1 to 8,
    /// 6 by default),
    /// following edges of `edgeTypes` (all by default) either way; null when there is
    /// none.
    async fn path(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node the path starts at.")] from: ID,
        #[graphql(desc = "The node the path ends at.")] to: ID,
        #[graphql(desc = "The kinds of edges the path may follow, either way; all by default.")]
        edge_types: Option<Vec<EdgeType>>,
        #[graphql(desc = "The most edges on the path: 1 to 8, 6 by default.")] max_length: Option<
            i32,
        >,
    ) -> async_graphql::Result<Option<GraphPath>> {
        let (from, to) = (node_ref("from", &from)?, node_ref("to", &to)?);
        let max_length = natural("maxLength", max_length.unwrap_or(6))?;
        Ok(read_model(ctx)?
            .path(viewer(ctx)?, from, to, allowed(edge_types), max_length)
            .await
            .gql()?
            .map(GraphPath))
    }

    /// The `first` (1 to 100, 10 by default) nodes of a type with the highest score, highest first
    /// (ties by id), over the graph of `edgeTypes` (all by default).
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The type of the nodes ranked.")] node_type: NodeType,
        #[graphql(desc = "How a node's importance is measured.")] measure: CentralityMeasure,
        #[graphql(desc = "The kinds of edges of the graph measured; all by default.")]
        edge_types: Option<Vec<EdgeType>>,
        #[graphql(desc = "How many nodes: 1 to 100, 10 by default.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<CentralityScore>> {
        let first = bounded("first", first.unwrap_or(10), 1..=MAX_FIRST)?;
        let top = read_model(ctx)?
            .centrality(
                viewer(ctx)?,
                node_type.into(),
                measure.into(),
                allowed(edge_types),
                first,
            )
            .await
            .gql()?;
        Ok(top
            .into_iter()
            .map(|(node, score)| CentralityScore { node, score })
            .collect())
    }
}

/// Analytics.
#[derive(Debug, Default, Clone, Copy)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// Analytics over the knowledge graph: co-occurrence, trends, neighbourhoods, paths
    /// and centrality, within what the viewer may see.
    async fn analytics(&self) -> Analytics {
        Analytics
    }
}
