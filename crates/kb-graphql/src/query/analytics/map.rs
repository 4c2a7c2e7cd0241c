//! Maps in the API: nodes with their cluster and position, links, clusters.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use kb_domain::ErrorCode;
use kb_readmodel::analytics as a;

use super::NodeType;
use super::graph::global;
use crate::error::coded;
use crate::query::node::load_node;
use crate::types::Node;
use crate::types::vocab::{Language, lang_of};

/// What a map shows.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "a::MapKind")]
pub enum MapKind {
    /// Topics, linked by the initiatives filed under both (each topic with what is filed
    /// under it, not its subtree).
    Topics,
    /// Themes and topics together, linked by the initiatives holding both.
    ThemesAndTopics,
    /// Organisations, linked by the initiatives they share.
    Organisations,
}

/// A map of the field: nodes with their cluster and position, the links between them,
/// and the clusters.
#[derive(Debug, Clone)]
pub struct Map(pub Arc<a::Map>);

/// A map of the field: nodes with their cluster and position, the links between them,
/// and the clusters.
#[Object]
impl Map {
    /// Initiatives counted: those the filter holds for the viewer.
    async fn population(&self) -> i64 {
        self.0.population as i64
    }
    /// The clustering's resolution.
    async fn resolution(&self) -> f64 {
        self.0.settings.resolution
    }
    /// The clustering's quality: `Σ (s_ij − resolution)` over the pairs of nodes in one
    /// cluster, `s_ij` their association strength (see docs/analytics.md).
    async fn quality(&self) -> f64 {
        self.0.quality
    }
    /// The nodes, in the dimension's order (themes, then topics, in the taxonomy's
    /// order; organisations by name).
    async fn nodes(&self) -> Vec<MapNode> {
        (0..self.0.nodes.len())
            .map(|i| MapNode(self.0.clone(), i))
            .collect()
    }
    /// The `first` links with the most initiatives (1 to 10,000; 1,000 by default,
    /// VOSviewer's number of lines drawn), ties by their nodes' indexes; every link
    /// counts in the clusters, the positions and the nodes' `links` and
    /// `totalLinkCount`.
    async fn links(
        &self,
        #[graphql(desc = "How many links: 1 to 10,000, 1,000 by default.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<MapLink>> {
        let first = match first.unwrap_or(1_000) {
            n @ 1..=10_000 => n as usize,
            _ => {
                return Err(coded(
                    ErrorCode::BadUserInput,
                    "first is 1 to 10,000",
                    Some("first"),
                ));
            }
        };
        let links = &self.0.links;
        let mut order: Vec<usize> = (0..links.len()).collect();
        if order.len() > first {
            order.sort_by(|&a, &b| {
                links[b]
                    .count
                    .cmp(&links[a].count)
                    .then((links[a].from, links[a].to).cmp(&(links[b].from, links[b].to)))
            });
            order.truncate(first);
            order.sort_unstable();
        }
        Ok(order
            .into_iter()
            .map(|i| MapLink(self.0.clone(), i))
            .collect())
    }
    /// The clusters in the order of their ids.
    async fn clusters(&self) -> Vec<MapCluster> {
        (0..self.0.clusters.len())
            .map(|i| MapCluster(self.0.clone(), i))
            .collect()
    }
}

/// A node of a map.
#[derive(Debug, Clone)]
pub struct MapNode(Arc<a::Map>, usize);

impl MapNode {
    fn get(&self) -> Option<&a::MapNode> {
        self.0.nodes.get(self.1)
    }
}

/// A node of a map.
#[Object]
impl MapNode {
    /// Its place in `nodes`, as links and clusters refer to it.
    async fn index(&self) -> i32 {
        self.1 as i32
    }
    /// The node's global id.
    async fn id(&self) -> Option<ID> {
        self.get().map(|n| ID(global(n.node).encode()))
    }
    /// The kind of node.
    #[graphql(name = "type")]
    async fn node_type(&self) -> Option<NodeType> {
        self.get().map(|n| n.node.node_type().into())
    }
    /// A theme's or topic's code, or an organisation's id.
    async fn value(&self) -> Option<&str> {
        self.get().map(|n| n.value.value.as_str())
    }
    /// Its label or name in `lang` (by default the request's language).
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language of the label; by default the request's.")] lang: Option<
            Language,
        >,
    ) -> Option<String> {
        let lang = lang_of(ctx, lang);
        self.get().map(|n| n.value.label.get(lang).to_owned())
    }
    /// Initiatives of the population holding it.
    async fn weight(&self) -> i64 {
        self.get().map_or(0, |n| n.weight as i64)
    }
    /// How many nodes of the map it is linked to.
    async fn links(&self) -> i32 {
        self.get().map_or(0, |n| n.links as i32)
    }
    /// The sum of the counts of its links.
    async fn total_link_count(&self) -> i64 {
        self.get().map_or(0, |n| n.total_link_count as i64)
    }
    /// Its cluster's id.
    async fn cluster(&self) -> i32 {
        self.get().map_or(0, |n| n.cluster as i32)
    }
    /// Its position: the map is centred on 0, the mean distance between nodes is 1.
    async fn x(&self) -> f64 {
        self.get().map_or(0.0, |n| n.x)
    }
    /// Its position (see `x`).
    async fn y(&self) -> f64 {
        self.get().map_or(0.0, |n| n.y)
    }
    /// The theme, topic or organisation itself.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        match self.get() {
            Some(n) => load_node(ctx, global(n.node)).await,
            None => Ok(None),
        }
    }
}

/// A link between two nodes of a map.
#[derive(Debug, Clone)]
pub struct MapLink(Arc<a::Map>, usize);

impl MapLink {
    fn get(&self) -> Option<&a::MapLink> {
        self.0.links.get(self.1)
    }
}

/// A link between two nodes of a map.
#[Object]
impl MapLink {
    /// The index of one node (the lower).
    async fn from(&self) -> i32 {
        self.get().map_or(0, |l| l.from as i32)
    }
    /// The index of the other node.
    async fn to(&self) -> i32 {
        self.get().map_or(0, |l| l.to as i32)
    }
    /// Initiatives holding both.
    async fn count(&self) -> i64 {
        self.get().map_or(0, |l| l.count as i64)
    }
    /// Association strength, `2m · count / (k_from · k_to)` with `k` a node's total link
    /// count and `m` the sum of all links' counts: 1 when the two are linked as often as
    /// their total link counts predict.
    async fn strength(&self) -> f64 {
        self.get().map_or(0.0, |l| l.strength)
    }
}

/// A cluster of a map.
#[derive(Debug, Clone)]
pub struct MapCluster(Arc<a::Map>, usize);

impl MapCluster {
    fn get(&self) -> Option<&a::MapCluster> {
        self.0.clusters.get(self.1)
    }
}

/// A theme held by a cluster's initiatives.
#[derive(Debug, Clone)]
pub struct ClusterTheme(a::DimensionValue, u64);

/// A theme held by a cluster's initiatives.
#[Object]
impl ClusterTheme {
    /// The theme's code.
    async fn value(&self) -> &str {
        &self.0.value
    }
    /// The theme's label in `lang` (by default the request's language).
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language of the label; by default the request's.")] lang: Option<
            Language,
        >,
    ) -> String {
        self.0.label.get(lang_of(ctx, lang)).to_owned()
    }
    /// The cluster's initiatives holding it.
    async fn count(&self) -> i64 {
        self.1 as i64
    }
}

/// A cluster of a map.
#[Object]
impl MapCluster {
    /// Its id: clusters are numbered from 0 by the sum of their nodes' weights, largest
    /// first (ties by their smallest node).
    async fn id(&self) -> i32 {
        self.get().map_or(0, |c| c.id as i32)
    }
    /// The indexes of its nodes, the heaviest first.
    async fn members(&self) -> Vec<i32> {
        self.get()
            .map(|c| c.members.iter().map(|&m| m as i32).collect())
            .unwrap_or_default()
    }
    /// How many nodes it has.
    async fn size(&self) -> i32 {
        self.get().map_or(0, |c| c.members.len() as i32)
    }
    /// Initiatives holding at least one of its nodes.
    async fn weight(&self) -> i64 {
        self.get().map_or(0, |c| c.weight as i64)
    }
    /// The themes most of those initiatives hold (at most three), with their counts.
    async fn themes(&self) -> Vec<ClusterTheme> {
        self.get()
            .map(|c| {
                c.themes
                    .iter()
                    .map(|(v, n)| ClusterTheme(v.clone(), *n))
                    .collect()
            })
            .unwrap_or_default()
    }
}
