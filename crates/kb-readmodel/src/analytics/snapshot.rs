//! The whole graph one viewer sees, as ids only: what exports write out node by node.
//! It is taken under one read of the projection, so its nodes and edges agree with each
//! other; the labels and attributes of its nodes are loaded by whoever writes it, in
//! batches, so that a whole export is never held in memory as text.

use kb_domain::{EventId, InitiativeId, OrganisationId, Viewer};
use kb_store::StoreError;

use super::graph::{Edge, EdgeTypes, NodeRef, View};
use crate::ReadModel;
use crate::projection::Projection;

/// Every node a viewer sees and every edge among them, each edge once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphSnapshot {
    /// Themes, topics, organisations, events, then initiatives; each kind in id order.
    pub nodes: Vec<NodeRef>,
    /// The edges going out of each node, in the order of `nodes`.
    pub edges: Vec<Edge>,
}

impl ReadModel {
    /// The graph `viewer` sees, with every edge type.
    pub async fn graph_snapshot(&self, viewer: Viewer) -> Result<GraphSnapshot, StoreError> {
        self.blocking(move |p, _| Ok(snapshot(p, viewer))).await
    }

    /// The ids of the initiatives `viewer` sees, lowest first.
    pub async fn visible_initiatives(&self, viewer: Viewer) -> Vec<InitiativeId> {
        let p = self.inner.projection.read().await;
        p.visible(viewer)
            .iter()
            .map(|m| InitiativeId(i64::from(m)))
            .collect()
    }
}

/// The graph `viewer` sees in `p`.
fn snapshot(p: &Projection, viewer: Viewer) -> GraphSnapshot {
    let view = View::new(p, viewer, EdgeTypes::all());
    let mut themes: Vec<NodeRef> = p.themes.iter().map(|t| NodeRef::Theme(t.id)).collect();
    themes.sort();
    let mut topics: Vec<NodeRef> = p.topics.iter().map(|t| NodeRef::Topic(t.id)).collect();
    topics.sort();
    let mut organisations: Vec<NodeRef> = p
        .organisations
        .keys()
        .map(|o: &OrganisationId| NodeRef::Organisation(*o))
        .filter(|n| view.contains(*n))
        .collect();
    organisations.sort();
    let mut events: Vec<NodeRef> = p
        .graph
        .events
        .keys()
        .map(|e: &EventId| NodeRef::Event(*e))
        .filter(|n| view.contains(*n))
        .collect();
    events.sort();
    let initiatives = view
        .visible
        .iter()
        .map(|m| NodeRef::Initiative(InitiativeId(i64::from(m))));
    let nodes: Vec<NodeRef> = themes
        .into_iter()
        .chain(topics)
        .chain(organisations)
        .chain(events)
        .chain(initiatives)
        .collect();
    let mut edges = Vec::new();
    for n in &nodes {
        edges.extend(view.edges(*n).into_iter().filter(|e| e.from == *n));
    }
    GraphSnapshot { nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::super::graph::EdgeType;
    use super::super::graph::tests::small;
    use super::*;
    use kb_domain::ThemeId;

    #[test]
    fn a_snapshot_holds_what_the_viewer_sees_and_each_edge_once() {
        let s = snapshot(&small(), Viewer::Anonymous);
        let i = |id| NodeRef::Initiative(InitiativeId(id));
        assert_eq!(
            s.nodes,
            vec![
                NodeRef::Theme(ThemeId(1)),
                NodeRef::Organisation(OrganisationId(1)),
                NodeRef::Organisation(OrganisationId(2)),
                NodeRef::Event(EventId(1)),
                i(1),
                i(2),
                i(3),
            ]
        );
        // 1, 2, 3 THEMED; 1, 2 BY org1; 2 BUILDS_ON 3; ev1 FEATURES 3; org2 PART_OF org1.
        assert_eq!(s.edges.len(), 8);
        let count = |k| s.edges.iter().filter(|e| e.kind == k).count();
        assert_eq!(count(EdgeType::Themed), 3);
        assert_eq!(count(EdgeType::By), 2);
        assert_eq!(count(EdgeType::BuildsOn), 1);
        assert_eq!(count(EdgeType::Features), 1);
        assert_eq!(count(EdgeType::PartOf), 1);
        // The draft and its edges are there for an editor.
        let all = snapshot(&small(), Viewer::Editor);
        assert_eq!(all.nodes.len(), 8);
        assert_eq!(all.edges.len(), 10);
    }
}
