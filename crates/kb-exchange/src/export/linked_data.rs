//! `kennisbank.jsonld`: the published knowledge bank as linked data, one JSON-LD
//! document with an inline context (no remote context to fetch). Initiatives are
//! schema.org `CreativeWork`s, organisations `Organization`s, events `Event`s; themes
//! and topics are SKOS `Concept`s in two concept schemes, with their labels in Dutch
//! and English, topics with their alternative labels and `broader` topic.
//!
//! Every node's IRI is `urn:kennisbank:<type>:<row id>`; its `identifier` is the global
//! id the GraphQL API knows it by.

use kb_domain::{OrganisationRole, Vocabulary};
use kb_readmodel::ReadModel;
use kb_readmodel::analytics::{Edge, EdgeType, NodeRef};
use kb_store::Store;
use serde_json::{Map, Value, json};

use super::nodes::{self, Node, Taxonomy, global_id};
use super::{BATCH, Sink, VIEWER, records};

const THEMES: &str = "urn:kennisbank:themes";
const TOPICS: &str = "urn:kennisbank:topics";

/// The IRI of a node.
fn iri(n: NodeRef) -> String {
    match n {
        NodeRef::Initiative(i) => format!("urn:kennisbank:initiative:{}", i.0),
        NodeRef::Theme(t) => format!("urn:kennisbank:theme:{}", t.0),
        NodeRef::Topic(t) => format!("urn:kennisbank:topic:{}", t.0),
        NodeRef::Organisation(o) => format!("urn:kennisbank:organisation:{}", o.0),
        NodeRef::Event(e) => format!("urn:kennisbank:event:{}", e.0),
    }
}

fn reference(n: NodeRef) -> Value {
    json!({ "@id": iri(n) })
}

/// References to the far ends of `edges` of these types.
fn targets(edges: &[Edge], types: &[EdgeType]) -> Vec<Value> {
    edges
        .iter()
        .filter(|e| types.contains(&e.kind))
        .map(|e| reference(e.to))
        .collect()
}

/// Dutch and, where there is one, English text.
fn both(nl: &str, en: Option<&str>) -> Vec<Value> {
    let mut out = vec![json!({ "@language": "nl", "@value": nl })];
    if let Some(en) = en.filter(|e| !e.is_empty()) {
        out.push(json!({ "@language": "en", "@value": en }));
    }
    out
}

/// Sets `key` when the value says something.
fn put(o: &mut Map<String, Value>, key: &str, v: Value) {
    let empty = match &v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    if !empty {
        o.insert(key.to_owned(), v);
    }
}

fn describe(r: NodeRef, n: &Node, out_edges: &[Edge]) -> Value {
    let mut o = Map::new();
    o.insert("@id".into(), Value::String(iri(r)));
    match n {
        // Initiatives are described from their records, below.
        Node::Initiative(_) => {}
        Node::Theme(t) => {
            o.insert("@type".into(), json!("skos:Concept"));
            o.insert("skos:notation".into(), json!(t.code));
            o.insert(
                "skos:prefLabel".into(),
                json!(both(&t.label.nl, t.label.en.as_deref())),
            );
            if !t.definition.nl.is_empty() {
                put(
                    &mut o,
                    "skos:definition",
                    json!(both(&t.definition.nl, t.definition.en.as_deref())),
                );
            }
            o.insert("skos:inScheme".into(), json!({ "@id": THEMES }));
            o.insert("skos:topConceptOf".into(), json!({ "@id": THEMES }));
        }
        Node::Topic(t) => {
            o.insert("@type".into(), json!("skos:Concept"));
            o.insert("skos:notation".into(), json!(t.code));
            o.insert(
                "skos:prefLabel".into(),
                json!(both(&t.label.nl, t.label.en.as_deref())),
            );
            put(&mut o, "skos:altLabel", json!(t.alt_labels));
            if !t.description.nl.is_empty() {
                put(
                    &mut o,
                    "skos:definition",
                    json!(both(&t.description.nl, t.description.en.as_deref())),
                );
            }
            o.insert("skos:inScheme".into(), json!({ "@id": TOPICS }));
            let broader = targets(out_edges, &[EdgeType::Broader]);
            if broader.is_empty() {
                o.insert("skos:topConceptOf".into(), json!({ "@id": TOPICS }));
            }
            put(&mut o, "skos:broader", json!(broader));
        }
        Node::Organisation(org) => {
            o.insert("@type".into(), json!("Organization"));
            o.insert("identifier".into(), json!(global_id(r)));
            o.insert("name".into(), json!(org.name));
            put(&mut o, "description", json!(org.description.nl));
            put(&mut o, "url", json!(org.website));
            put(&mut o, "address", json!(org.city));
            o.insert("additionalType".into(), json!(org.kind.code()));
            put(
                &mut o,
                "parentOrganization",
                json!(targets(out_edges, &[EdgeType::PartOf])),
            );
        }
        Node::Event(e) => {
            o.insert("@type".into(), json!("Event"));
            o.insert("identifier".into(), json!(global_id(r)));
            o.insert("name".into(), json!(e.title));
            put(&mut o, "description", json!(e.summary));
            o.insert("startDate".into(), json!(e.starts_at.to_rfc3339()));
            o.insert("endDate".into(), json!(e.ends_at.to_rfc3339()));
            put(&mut o, "location", json!(e.location));
            put(&mut o, "url", json!(e.website));
            o.insert("additionalType".into(), json!(e.kind.code()));
            put(
                &mut o,
                "about",
                json!(targets(out_edges, &[EdgeType::Themed, EdgeType::About])),
            );
            put(
                &mut o,
                "organizer",
                json!(targets(out_edges, &[EdgeType::OrganisedBy])),
            );
            put(
                &mut o,
                "workFeatured",
                json!(targets(out_edges, &[EdgeType::Features])),
            );
        }
    }
    Value::Object(o)
}

fn initiative(r: &records::Record, out_edges: &[Edge]) -> Value {
    let i = &r.initiative;
    let node = NodeRef::Initiative(i.id);
    let mut o = Map::new();
    o.insert("@id".into(), Value::String(iri(node)));
    o.insert("@type".into(), json!("CreativeWork"));
    o.insert("identifier".into(), json!(global_id(node)));
    // A plain string in Dutch, or language-tagged values when there is English too.
    match i.title_en.as_deref() {
        Some(en) => o.insert("name".into(), json!(both(&i.title, Some(en)))),
        None => o.insert("name".into(), json!(i.title)),
    };
    match i.summary_en.as_deref() {
        Some(en) if !i.summary.is_empty() => {
            o.insert("description".into(), json!(both(&i.summary, Some(en))));
        }
        _ => put(&mut o, "description", json!(i.summary)),
    }
    o.insert("genre".into(), json!(i.kind.code()));
    put(
        &mut o,
        "about",
        json!(targets(out_edges, &[EdgeType::Themed, EdgeType::About])),
    );
    for (role, key) in [
        (OrganisationRole::Lead, "creator"),
        (OrganisationRole::Partner, "contributor"),
        (OrganisationRole::Funder, "funder"),
    ] {
        let orgs: Vec<Value> = r
            .organisations
            .iter()
            .filter(|(x, _)| *x == role)
            .map(|(_, org)| reference(NodeRef::Organisation(org.id)))
            .collect();
        put(&mut o, key, json!(orgs));
    }
    put(&mut o, "inLanguage", json!(r.terms.languages));
    put(&mut o, "url", json!(i.website));
    put(
        &mut o,
        "datePublished",
        json!(i.published_at.map(|t| t.to_rfc3339())),
    );
    o.insert("dateModified".into(), json!(i.updated_at.to_rfc3339()));
    if let Some(start) = i.start_year {
        let end = i.end_year.map_or("..".to_owned(), |e| e.to_string());
        o.insert("temporalCoverage".into(), json!(format!("{start}/{end}")));
    }
    put(
        &mut o,
        "isBasedOn",
        json!(targets(out_edges, &[EdgeType::BuildsOn])),
    );
    put(
        &mut o,
        "kb:inspiredBy",
        json!(targets(out_edges, &[EdgeType::InspiredBy])),
    );
    put(
        &mut o,
        "kb:relatedTo",
        json!(targets(out_edges, &[EdgeType::RelatedTo])),
    );
    Value::Object(o)
}

/// The edges going out of each node of `batch`, which the snapshot lists in the order
/// of its nodes, from `cursor` on.
fn out_edges<'a>(edges: &'a [Edge], cursor: &mut usize, node: NodeRef) -> &'a [Edge] {
    let start = *cursor;
    while edges.get(*cursor).is_some_and(|e| e.from == node) {
        *cursor += 1;
    }
    &edges[start..*cursor]
}

/// `kennisbank.jsonld`.
pub(super) async fn jsonld(
    store: &Store,
    model: &ReadModel,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    let graph = model.graph_snapshot(VIEWER).await?;
    let taxonomy = Taxonomy::of(model).await;
    let context = json!({
        "@vocab": "https://schema.org/",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "kb": "urn:kennisbank:vocabulary:",
    });
    let schemes = [
        json!({
            "@id": THEMES, "@type": "skos:ConceptScheme",
            "skos:prefLabel": both("Thema's", Some("Themes")),
        }),
        json!({
            "@id": TOPICS, "@type": "skos:ConceptScheme",
            "skos:prefLabel": both("Onderwerpen", Some("Topics")),
        }),
    ];
    sink.text("{\"@context\":");
    serde_json::to_writer(&mut *sink.buf(), &context)?;
    sink.text(",\n\"@graph\":[\n");
    for (k, s) in schemes.iter().enumerate() {
        if k > 0 {
            sink.text(",\n");
        }
        serde_json::to_writer(&mut *sink.buf(), s)?;
    }
    let mut cursor = 0;
    for batch in graph.nodes.chunks(BATCH) {
        let initiative_ids: Vec<_> = batch
            .iter()
            .filter_map(|n| match n {
                NodeRef::Initiative(i) => Some(*i),
                _ => None,
            })
            .collect();
        let others: Vec<NodeRef> = batch
            .iter()
            .copied()
            .filter(|n| !matches!(n, NodeRef::Initiative(_)))
            .collect();
        let loaded = nodes::load(store, &taxonomy, &others).await?;
        let mut rows = records::load(store, &initiative_ids)
            .await?
            .into_iter()
            .peekable();
        for n in batch {
            let edges = out_edges(&graph.edges, &mut cursor, *n);
            let value = match n {
                NodeRef::Initiative(id) => {
                    // Both lists are in id order; an initiative no longer published is
                    // not among the records.
                    match rows.next_if(|r| r.initiative.id == *id) {
                        Some(r) => initiative(&r, edges),
                        None => continue,
                    }
                }
                _ => match loaded.get(n) {
                    Some(node) => describe(*n, node, edges),
                    None => continue,
                },
            };
            sink.text(",\n");
            serde_json::to_writer(&mut *sink.buf(), &value)?;
        }
        sink.flush_if_full().await?;
    }
    sink.text("\n]}\n");
    Ok(())
}
