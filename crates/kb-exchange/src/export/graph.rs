//! The graph the public sees, for graph tools: GraphML (Gephi, networkx, yEd) and
//! networkx's node-link JSON. Nodes are keyed by their global id (as the GraphQL API
//! gives it) and carry their type, code or slug, label and kind; edges carry their type
//! and keep their domain direction. Between two nodes several edges of different types
//! may run (an initiative can build on and be related to another), so both describe a
//! directed multigraph.

use std::collections::HashSet;

use kb_readmodel::ReadModel;
use kb_readmodel::analytics::{Edge, EdgeType, NodeRef};
use kb_store::Store;
use serde_json::json;

use super::nodes::{self, Node, Taxonomy, global_id};
use super::text::xml;
use super::{BATCH, Sink, VIEWER};

/// An edge type as the GraphQL API names it.
pub(super) fn edge_name(t: EdgeType) -> &'static str {
    match t {
        EdgeType::Themed => "THEMED",
        EdgeType::About => "ABOUT",
        EdgeType::By => "BY",
        EdgeType::BuildsOn => "BUILDS_ON",
        EdgeType::InspiredBy => "INSPIRED_BY",
        EdgeType::RelatedTo => "RELATED_TO",
        EdgeType::Features => "FEATURES",
        EdgeType::OrganisedBy => "ORGANISED_BY",
        EdgeType::Broader => "BROADER",
        EdgeType::PartOf => "PART_OF",
    }
}

/// Writes every node the public sees, a batch at a time, with `node`; returns the
/// nodes that stopped being visible while the export ran, whose edges are left out.
async fn each_node(
    store: &Store,
    model: &ReadModel,
    refs: &[NodeRef],
    sink: &mut Sink,
    mut node: impl FnMut(&mut Vec<u8>, NodeRef, &Node) -> anyhow::Result<()>,
) -> anyhow::Result<HashSet<NodeRef>> {
    let taxonomy = Taxonomy::of(model).await;
    let mut gone = HashSet::new();
    for batch in refs.chunks(BATCH) {
        let loaded = nodes::load(store, &taxonomy, batch).await?;
        for r in batch {
            match loaded.get(r) {
                Some(n) => node(sink.buf(), *r, n)?,
                None => {
                    gone.insert(*r);
                }
            }
        }
        sink.flush_if_full().await?;
    }
    Ok(gone)
}

fn kept<'a>(edges: &'a [Edge], gone: &'a HashSet<NodeRef>) -> impl Iterator<Item = &'a Edge> {
    edges
        .iter()
        .filter(|e| !gone.contains(&e.from) && !gone.contains(&e.to))
}

/// `graph.graphml`.
pub(super) async fn graphml(
    store: &Store,
    model: &ReadModel,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    let graph = model.graph_snapshot(VIEWER).await?;
    sink.text(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ",
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n",
        "  <key id=\"code\" for=\"node\" attr.name=\"code\" attr.type=\"string\"/>\n",
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"label_en\" for=\"node\" attr.name=\"label_en\" attr.type=\"string\"/>\n",
        "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"edge_type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n",
        "  <graph id=\"kennisbank\" edgedefault=\"directed\">\n",
    ));
    let gone = each_node(store, model, &graph.nodes, sink, |out, r, n| {
        out.extend_from_slice(b"    <node id=\"");
        xml(out, &global_id(r));
        out.extend_from_slice(b"\">");
        let mut data = |key: &str, value: &str| {
            out.extend_from_slice(b"<data key=\"");
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\">");
            xml(out, value);
            out.extend_from_slice(b"</data>");
        };
        data("type", n.type_name());
        data("code", n.code());
        data("label", n.label());
        if let Some(en) = n.label_en() {
            data("label_en", en);
        }
        if let Some(kind) = n.kind() {
            data("kind", kind);
        }
        out.extend_from_slice(b"</node>\n");
        Ok(())
    })
    .await?;
    for (k, e) in kept(&graph.edges, &gone).enumerate() {
        let out = sink.buf();
        out.extend_from_slice(format!("    <edge id=\"e{k}\" source=\"").as_bytes());
        xml(out, &global_id(e.from));
        out.extend_from_slice(b"\" target=\"");
        xml(out, &global_id(e.to));
        out.extend_from_slice(b"\"><data key=\"edge_type\">");
        out.extend_from_slice(edge_name(e.kind).as_bytes());
        out.extend_from_slice(b"</data></edge>\n");
        sink.flush_if_full().await?;
    }
    sink.text("  </graph>\n</graphml>\n");
    Ok(())
}

/// `graph.json`: `{"directed", "multigraph", "graph", "nodes", "links"}`, as
/// `networkx.node_link_graph` reads it (each link's `key` is its type).
pub(super) async fn node_link(
    store: &Store,
    model: &ReadModel,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    let graph = model.graph_snapshot(VIEWER).await?;
    sink.text(
        "{\"directed\":true,\"multigraph\":true,\"graph\":{\"name\":\"kennisbank\"},\"nodes\":[\n",
    );
    let mut first = true;
    let gone = each_node(store, model, &graph.nodes, sink, |out, r, n| {
        if !std::mem::take(&mut first) {
            out.extend_from_slice(b",\n");
        }
        serde_json::to_writer(
            &mut *out,
            &json!({
                "id": global_id(r),
                "type": n.type_name(),
                "code": n.code(),
                "label": n.label(),
                "label_en": n.label_en(),
                "kind": n.kind(),
            }),
        )?;
        Ok(())
    })
    .await?;
    sink.text("\n],\"links\":[\n");
    for (k, e) in kept(&graph.edges, &gone).enumerate() {
        let out = sink.buf();
        if k > 0 {
            out.extend_from_slice(b",\n");
        }
        serde_json::to_writer(
            &mut *out,
            &json!({
                "source": global_id(e.from),
                "target": global_id(e.to),
                "key": edge_name(e.kind),
                "type": edge_name(e.kind),
            }),
        )?;
        sink.flush_if_full().await?;
    }
    sink.text("\n]}\n");
    Ok(())
}
