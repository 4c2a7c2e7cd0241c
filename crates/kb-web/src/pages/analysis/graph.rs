//! The graph part of the analysis page: the most connected initiatives, and the
//! neighbourhood of an initiative or organisation (`?initiatief=slug`,
//! `?organisatie=slug`) drawn and listed.

use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::bilingual::{Shown, shown};
use crate::client::{Failure, nullable};
use crate::context::Ctx;

/// The selection of a [`Node`].
const NODE: &str = "node {
    __typename
    ... on Initiative { slug title titleEn }
    ... on Theme { code label }
    ... on Topic { code label }
    ... on Organisation { slug name }
    ... on Event { slug title } }";

/// A node of the graph, by its `__typename`, with what names and links it.
#[derive(Debug, Deserialize)]
#[serde(tag = "__typename")]
enum Node {
    Initiative {
        slug: String,
        title: String,
        #[serde(rename = "titleEn", default, deserialize_with = "nullable")]
        title_en: Option<String>,
    },
    Theme {
        code: String,
        label: String,
    },
    Topic {
        code: String,
        label: String,
    },
    Organisation {
        slug: String,
        name: String,
    },
    Event {
        slug: String,
        title: String,
    },
}

impl Node {
    /// Its title, label or name, in the page's language (`english` or Dutch): an
    /// initiative's English title where it has one, with the language to mark on a Dutch
    /// fallback.
    fn name(&self, english: bool) -> Shown<'_> {
        let plain = |text| Shown { text, lang: None };
        match self {
            Node::Initiative {
                title, title_en, ..
            } => shown(english, title, title_en.as_deref()),
            Node::Event { title, .. } => plain(title),
            Node::Theme { label, .. } | Node::Topic { label, .. } => plain(label),
            Node::Organisation { name, .. } => plain(name),
        }
    }

    /// Its slug or code: the last part of its page's address.
    fn key(&self) -> &str {
        match self {
            Node::Initiative { slug, .. }
            | Node::Event { slug, .. }
            | Node::Organisation { slug, .. } => slug,
            Node::Theme { code, .. } | Node::Topic { code, .. } => code,
        }
    }
}

/// The answer to the document of the most connected initiatives.
#[derive(Debug, Deserialize)]
struct Answer {
    analytics: Analytics,
}

#[derive(Debug, Deserialize)]
struct Analytics {
    centrality: Vec<Central>,
}

/// One of the most connected initiatives.
#[derive(Debug, Deserialize)]
struct Central {
    score: f64,
    #[serde(deserialize_with = "nullable")]
    node: Option<Node>,
}

/// The answer to the document that finds the centre of a neighbourhood by its slug.
#[derive(Debug, Deserialize)]
struct Centre {
    #[serde(deserialize_with = "nullable")]
    centre: Option<Id>,
}

#[derive(Debug, Deserialize)]
struct Id {
    id: String,
}

/// The answer to the document that reads a neighbourhood.
#[derive(Debug, Deserialize)]
struct Around {
    analytics: AroundAnalytics,
}

#[derive(Debug, Deserialize)]
struct AroundAnalytics {
    #[serde(deserialize_with = "nullable")]
    neighbourhood: Option<Neighbourhood>,
}

#[derive(Debug, Default, Deserialize)]
struct Neighbourhood {
    nodes: Vec<GraphNode>,
    edges: Vec<GraphEdge>,
}

#[derive(Debug, Deserialize)]
struct GraphNode {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    depth: i64,
    #[serde(deserialize_with = "nullable")]
    node: Option<Node>,
}

#[derive(Debug, Deserialize)]
struct GraphEdge {
    #[serde(rename = "type")]
    kind: String,
    from: String,
    to: String,
}

/// The most connected initiatives and, when the address names one, the neighbourhood
/// of an initiative or organisation.
pub(super) async fn connections(site: &Site, ctx: &Ctx) -> Result<Markup, Failure> {
    let document = format!(
        "{{ analytics {{ centrality(nodeType: INITIATIVE, measure: DEGREE, first: 10) {{ score {NODE} }} }} }}"
    );
    let data: Answer = site.query(ctx.lang, &document, json!({})).await?;
    let centre = neighbourhood(site, ctx).await?;
    Ok(html! {
        @if let Some(c) = centre { (c) }
        h2 { (ctx.t("Meest verbonden initiatieven", "Most connected initiatives")) }
        ol {
            @for c in &data.analytics.centrality {
                @let (slug, title) = c.node.as_ref().map_or(("", shown(false, "", None)), |n| (n.key(), n.name(ctx.en())));
                li {
                    a href=(ctx.href(&format!("/analyse?initiatief={slug}#omgeving"))) lang=[title.lang] { (title.text) }
                    " (" (c.score) " " (ctx.t("verbindingen", "connections")) ")"
                }
            }
        }
        p { (ctx.t("Paden, centraliteit en meer staan in de ", "Paths, centrality and more are in the "))
            a href="/graphiql" { (ctx.t("GraphQL-API", "GraphQL API")) } "." }
    })
}

/// The neighbourhood of the initiative or organisation the address names, if any.
async fn neighbourhood(site: &Site, ctx: &Ctx) -> Result<Option<Markup>, Failure> {
    let (field, slug) = match (ctx.param("initiatief"), ctx.param("organisatie")) {
        (Some(s), _) if !s.is_empty() => ("initiative", s),
        (_, Some(s)) if !s.is_empty() => ("organisation", s),
        _ => return Ok(None),
    };
    let found: Centre = site
        .query(
            ctx.lang,
            &format!("query Centre($slug: String!) {{ centre: {field}(slug: $slug) {{ id }} }}"),
            json!({ "slug": slug }),
        )
        .await?;
    let Some(Id { id }) = found.centre else {
        return Err(Failure::NotFound);
    };
    let data: Around = site
        .query(
            ctx.lang,
            &format!("query Around($id: ID!) {{ analytics {{ neighbourhood(id: $id, depth: 1, limit: 500) {{
                 nodes {{ id type depth {NODE} }} edges {{ type from to }} }} }} }}"),
            json!({ "id": id }),
        )
        .await?;
    let around = data.analytics.neighbourhood.unwrap_or_default();
    let nodes = &around.nodes;
    let centre = nodes.iter().find(|n| n.depth == 0);
    let name = |n: &GraphNode| {
        let (text, key) = n
            .node
            .as_ref()
            .map_or(("", ""), |node| (node.name(ctx.en()).text, node.key()));
        let href = match n.kind.as_str() {
            "INITIATIVE" => format!("/initiatieven/{key}"),
            "THEME" => format!("/themas/{key}"),
            "TOPIC" => format!("/onderwerpen/{key}"),
            "ORGANISATION" => format!("/organisaties/{key}"),
            _ => format!("/evenementen/{key}"),
        };
        (text.to_owned(), ctx.href(&href))
    };
    let edge_of = |other: &str| -> Vec<&str> {
        around
            .edges
            .iter()
            .filter(|e| (e.from == id && e.to == other) || (e.to == id && e.from == other))
            .map(|e| edge_label(ctx, &e.kind, e.from == id))
            .collect()
    };
    let groups = [
        ("INITIATIVE", ctx.t("Initiatieven", "Initiatives")),
        ("ORGANISATION", ctx.t("Organisaties", "Organisations")),
        ("THEME", ctx.t("Thema's", "Themes")),
        ("TOPIC", ctx.t("Onderwerpen", "Topics")),
        ("EVENT", ctx.t("Evenementen", "Events")),
    ];
    let (centre_name, centre_href) = centre.map(name).unwrap_or_default();
    Ok(Some(html! {
        h2 id="omgeving" { (ctx.t("Omgeving van", "Neighbourhood of")) " " a href=(centre_href) { (centre_name) } }
        p { (nodes.len().saturating_sub(1)) " " (ctx.t("directe buren in de kennisgraaf.", "direct neighbours in the knowledge graph.")) }
        (drawing(&centre_name, &nodes.iter().filter(|n| n.depth == 1).map(|n| (n.kind.as_str(), name(n).0)).collect::<Vec<_>>()))
        @for (ty, heading) in groups {
            @let members: Vec<&GraphNode> = nodes.iter().filter(|n| n.depth == 1 && n.kind == ty).collect();
            @if !members.is_empty() {
                h3 { span class=(format!("dot {}", dot(ty))) {} (heading) " (" (members.len()) ")" }
                ul {
                    @for m in members {
                        @let (text, href) = name(m);
                        li { a href=(href) { (text) } " — " span.meta { (edge_of(&m.id).join(", ")) } }
                    }
                }
            }
        }
    }))
}

/// The class of a node type's dot before its heading, which the style sheet colours as
/// [`colour`] does.
fn dot(ty: &str) -> &'static str {
    match ty {
        "INITIATIVE" => "dot-initiative",
        "ORGANISATION" => "dot-organisation",
        "THEME" => "dot-theme",
        "TOPIC" => "dot-topic",
        _ => "dot-event",
    }
}

/// The colour of a node type in the drawing (each at least 3:1 against white); the
/// style sheet gives the dots of [`dot`] the same.
fn colour(ty: &str) -> &'static str {
    match ty {
        "INITIATIVE" => "#0b5563",
        "ORGANISATION" => "#8a4b00",
        "THEME" => "#6a3d9a",
        "TOPIC" => "#2e6b2e",
        _ => "#9b1c4a",
    }
}

/// The neighbourhood drawn without script: the centre in the middle, its neighbours on a
/// circle around it, coloured by type. The lists below say the same for screen readers,
/// so the drawing is hidden from them.
fn drawing(centre: &str, neighbours: &[(&str, String)]) -> Markup {
    const WIDTH: f64 = 840.0;
    const HEIGHT: f64 = 520.0;
    let (cx, cy, rx, ry) = (WIDTH / 2.0, HEIGHT / 2.0, 220.0, 200.0);
    let short = |s: &str| {
        if s.chars().count() > 22 {
            format!("{}…", s.chars().take(21).collect::<String>())
        } else {
            s.to_owned()
        }
    };
    let n = neighbours.len().max(1) as f64;
    let points: Vec<(f64, f64, &str, String)> = neighbours
        .iter()
        .enumerate()
        .map(|(i, (ty, label))| {
            let a = std::f64::consts::TAU * i as f64 / n - std::f64::consts::FRAC_PI_2;
            (cx + rx * a.cos(), cy + ry * a.sin(), *ty, short(label))
        })
        .collect();
    html! {
        svg.graph viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width="100%" aria-hidden="true" focusable="false" {
            @for (x, y, ty, _) in &points {
                line x1=(cx) y1=(cy) x2=(format!("{x:.1}")) y2=(format!("{y:.1}")) stroke=(colour(ty)) stroke-opacity="0.45" {}
            }
            @for (x, y, ty, label) in &points {
                circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="7" fill=(colour(ty)) {}
                @let (anchor, dx, dy) = if *x > cx + 1.0 { ("start", 12.0, 4.0) } else if *x < cx - 1.0 { ("end", -12.0, 4.0) } else if *y < cy { ("middle", 0.0, -14.0) } else { ("middle", 0.0, 24.0) };
                text x=(format!("{:.1}", x + dx)) y=(format!("{:.1}", y + dy)) text-anchor=(anchor) font-size="13" fill="#1d2428" { (label) }
            }
            circle cx=(cx) cy=(cy) r="14" fill="#1d2428" {}
            text x=(cx) y=(cy + 34.0) text-anchor="middle" font-size="15" font-weight="700" fill="#1d2428" { (short(centre)) }
        }
    }
}

/// An edge's type as read from the centre: `outgoing` when the centre is its start.
fn edge_label<'a>(ctx: &'a Ctx, ty: &str, outgoing: bool) -> &'a str {
    match (ty, outgoing) {
        ("THEMED", _) => ctx.t("thema", "theme"),
        ("ABOUT", _) => ctx.t("onderwerp", "topic"),
        ("BY", true) => ctx.t("door", "by"),
        ("BY", false) => ctx.t(
            "initiatief van deze organisatie",
            "initiative of this organisation",
        ),
        ("BUILDS_ON", true) => ctx.t("hierop wordt voortgebouwd", "built on"),
        ("BUILDS_ON", false) => ctx.t("bouwt hierop voort", "builds on this"),
        ("INSPIRED_BY", true) => ctx.t("geïnspireerd door", "inspired by"),
        ("INSPIRED_BY", false) => ctx.t("inspireerde", "inspired"),
        ("RELATED_TO", _) => ctx.t("verwant", "related"),
        ("FEATURES", _) => ctx.t("evenement", "event"),
        ("ORGANISED_BY", _) => ctx.t("organiseert", "organises"),
        ("PART_OF", true) => ctx.t("onderdeel van", "part of"),
        ("PART_OF", false) => ctx.t("omvat", "includes"),
        ("BROADER", _) => ctx.t("breder", "broader"),
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(answer: serde_json::Value) -> Result<GraphNode, String> {
        let value = async_graphql::Value::from_json(answer).map_err(|e| e.to_string())?;
        async_graphql::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn a_node_is_read_by_its_typename() {
        let n = read(json!({ "id": "T", "type": "THEME", "depth": 1,
            "node": { "__typename": "Theme", "code": "support", "label": "Begeleiding" } }))
        .expect("a theme");
        let node = n.node.expect("its node");
        assert_eq!(
            (node.key(), node.name(true).text),
            ("support", "Begeleiding")
        );
    }

    #[test]
    fn a_node_without_the_fields_of_its_type_is_refused() {
        let error = read(json!({ "id": "T", "type": "THEME", "depth": 1,
            "node": { "__typename": "Theme", "slug": "support", "title": "Begeleiding" } }))
        .expect_err("a theme has a code and a label");
        assert!(error.contains("missing field `code`"), "{error}");
    }
}
