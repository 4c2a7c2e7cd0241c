//! The nodes, edges and scores of graph answers. A node carries its global id and type
//! for drawing, and the node itself, loaded by id through the request's loaders (which
//! apply the access rule once more).

use async_graphql::{Context, ID, Object};
use kb_domain::{GlobalId, NodeId};
use kb_readmodel::analytics as a;

use super::{EdgeType, NodeType};
use crate::query::node::load_node;
use crate::types::Node;

/// The global id of a node of the read model's graph.
pub(super) fn global(n: a::NodeRef) -> GlobalId {
    match n {
        a::NodeRef::Initiative(i) => i.global(),
        a::NodeRef::Theme(t) => t.global(),
        a::NodeRef::Topic(t) => t.global(),
        a::NodeRef::Organisation(o) => o.global(),
        a::NodeRef::Event(e) => e.global(),
    }
}

/// A node of a graph answer.
#[derive(Debug, Clone, Copy)]
pub struct GraphNode {
    node: a::NodeRef,
    depth: u32,
}

/// A node of a graph answer.
#[Object]
impl GraphNode {
    /// The node's global id.
    async fn id(&self) -> ID {
        ID(global(self.node).encode())
    }
    /// The kind of node.
    #[graphql(name = "type")]
    async fn node_type(&self) -> NodeType {
        self.node.node_type().into()
    }
    /// Links from the start of the neighbourhood, or the position on the path.
    async fn depth(&self) -> i64 {
        i64::from(self.depth)
    }
    /// The node itself.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        load_node(ctx, global(self.node)).await
    }
}

/// A typed edge between two nodes of an answer, in its domain direction.
#[derive(Debug, Clone, Copy)]
pub struct GraphEdge(a::Edge);

/// A typed edge between two nodes of an answer, in its domain direction.
#[Object]
impl GraphEdge {
    /// The type of the edge.
    #[graphql(name = "type")]
    async fn edge_type(&self) -> EdgeType {
        self.0.kind.into()
    }
    /// The global id of the node the edge goes out from.
    async fn from(&self) -> ID {
        ID(global(self.0.from).encode())
    }
    /// The global id of the node the edge goes to.
    async fn to(&self) -> ID {
        ID(global(self.0.to).encode())
    }
}

fn parts(s: &a::Subgraph) -> (Vec<GraphNode>, Vec<GraphEdge>) {
    (
        s.nodes
            .iter()
            .map(|(node, depth)| GraphNode {
                node: *node,
                depth: *depth,
            })
            .collect(),
        s.edges.iter().copied().map(GraphEdge).collect(),
    )
}

/// Nodes around a start and the edges among them, nearest first.
#[derive(Debug, Clone)]
pub struct Subgraph(pub(super) a::Subgraph);

/// Nodes around a start and the edges among them, nearest first.
#[Object(name = "Neighbourhood")]
impl Subgraph {
    /// The nodes, nearest first.
    async fn nodes(&self) -> Vec<GraphNode> {
        parts(&self.0).0
    }
    /// Every edge among the nodes.
    async fn edges(&self) -> Vec<GraphEdge> {
        parts(&self.0).1
    }
}

/// A shortest path: its nodes from start to end and the edges between them.
#[derive(Debug, Clone)]
pub struct GraphPath(pub(super) a::Subgraph);

/// A shortest path: its nodes from start to end and the edges between them.
#[Object]
impl GraphPath {
    /// The number of edges.
    async fn length(&self) -> i64 {
        self.0.edges.len() as i64
    }
    /// The nodes from start to end.
    async fn nodes(&self) -> Vec<GraphNode> {
        parts(&self.0).0
    }
    /// The edges between consecutive nodes, in order.
    async fn edges(&self) -> Vec<GraphEdge> {
        parts(&self.0).1
    }
}

/// A node and its centrality score.
#[derive(Debug, Clone, Copy)]
pub struct CentralityScore {
    pub(super) node: a::NodeRef,
    pub(super) score: f64,
}

/// A node and its centrality score.
#[Object]
impl CentralityScore {
    /// The score under the measure asked for (see docs/analytics.md): the number of
    /// adjacent nodes for DEGREE, a share of 1 for PAGERANK, an unnormalised sum of path
    /// shares for BETWEENNESS.
    async fn score(&self) -> f64 {
        self.score
    }
    /// The node's global id.
    async fn id(&self) -> ID {
        ID(global(self.node).encode())
    }
    /// The kind of node.
    #[graphql(name = "type")]
    async fn node_type(&self) -> NodeType {
        self.node.node_type().into()
    }
    /// The node itself.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        load_node(ctx, global(self.node)).await
    }
}
