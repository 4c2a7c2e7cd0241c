//! `/analyse/kaart`: maps of the field as VOSviewer draws them. The co-occurrence map of
//! topics (or of themes and topics) and the collaboration map of organisations: nodes
//! sized by their initiatives, coloured by their Leiden cluster, placed by the VOS
//! mapping technique, all computed by the API. The map is SVG that works without script
//! (every node and link is a link); a small script adds zoom, hover and focus on a
//! node's neighbours. The cluster table beside it says the same for every reader. The
//! map goes away as SVG and in VOSviewer's map and network file formats.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

use super::files::{
    Csv, VosItem, csv_response, svg_response, text_response, vosviewer_map_file,
    vosviewer_network_file,
};
use super::{FILTER_KEYS, address, carried, decimal, filter, filter_fields, tabs};
use crate::Site;
use crate::charts::{self, MapChart};
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::layout::{Page, respond};

/// The maps offered: address value, API kind, Dutch and English names.
const KINDS: [(&str, &str, &str, &str); 3] = [
    (
        "onderwerpen",
        "TOPICS",
        "Onderwerpen die samen voorkomen",
        "Topics that occur together",
    ),
    (
        "themas-en-onderwerpen",
        "THEMES_AND_TOPICS",
        "Thema's en onderwerpen",
        "Themes and topics",
    ),
    (
        "organisaties",
        "ORGANISATIONS",
        "Organisaties die samenwerken",
        "Organisations that work together",
    ),
];

#[derive(Debug, Deserialize)]
struct Answer {
    analytics: Analytics,
}

#[derive(Debug, Deserialize)]
struct Analytics {
    map: Map,
}

#[derive(Debug, Deserialize)]
struct Map {
    population: i64,
    quality: f64,
    nodes: Vec<Node>,
    links: Vec<Link>,
    clusters: Vec<Cluster>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Node {
    #[serde(rename = "type")]
    kind: String,
    value: String,
    label: String,
    weight: i64,
    links: i64,
    total_link_count: i64,
    cluster: u32,
    x: f64,
    y: f64,
    #[serde(deserialize_with = "nullable")]
    node: Option<Slug>,
}

#[derive(Debug, Deserialize)]
struct Slug {
    #[serde(default)]
    slug: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Link {
    from: usize,
    to: usize,
    count: i64,
}

#[derive(Debug, Deserialize)]
struct Cluster {
    id: u32,
    weight: i64,
    members: Vec<usize>,
    themes: Vec<ClusterTheme>,
}

#[derive(Debug, Deserialize)]
struct ClusterTheme {
    label: String,
    count: i64,
}

/// The strongest links listed beside the map.
const STRONGEST: usize = 15;

/// What the address asks of the map.
struct Settings {
    kind: (&'static str, &'static str, &'static str, &'static str),
    resolution: f64,
    nodes: i64,
    min_link: i64,
}

impl Settings {
    fn of(ctx: &Ctx) -> Self {
        let wanted = ctx.param("kaart").unwrap_or("onderwerpen");
        Settings {
            kind: KINDS
                .iter()
                .find(|k| k.0 == wanted)
                .copied()
                .unwrap_or(KINDS[0]),
            resolution: ctx
                .param("resolutie")
                .and_then(|v| v.replace(',', ".").parse::<f64>().ok())
                .filter(|r| r.is_finite() && *r > 0.0 && *r <= 100.0)
                .unwrap_or(1.0),
            nodes: ctx
                .param("knopen")
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|n| (1..=500).contains(n))
                .unwrap_or(100),
            min_link: ctx
                .param("minimum")
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|n| (1..=10_000).contains(n))
                .unwrap_or(1),
        }
    }

    fn pairs(&self, ctx: &Ctx) -> Vec<(String, String)> {
        let mut pairs = vec![("kaart".to_owned(), self.kind.0.to_owned())];
        if self.resolution != 1.0 {
            pairs.push(("resolutie".to_owned(), self.resolution.to_string()));
        }
        if self.nodes != 100 {
            pairs.push(("knopen".to_owned(), self.nodes.to_string()));
        }
        if self.min_link != 1 {
            pairs.push(("minimum".to_owned(), self.min_link.to_string()));
        }
        pairs.extend(carried(ctx, &FILTER_KEYS));
        pairs
    }

    fn title<'a>(&self, ctx: &'a Ctx) -> &'a str {
        ctx.t(self.kind.2, self.kind.3)
    }
}

/// The links a page draws (the charts draw at most as many), and those VOSviewer's
/// network file holds: the strongest 4,000, within the API's limit on how much one
/// request may resolve.
const DRAWN_LINKS: i64 = charts::MAX_LINKS as i64;
const ALL_LINKS: i64 = 4_000;

/// The variables of a map's query: its settings, the page's filter, and how many of the
/// strongest links to answer.
fn variables(ctx: &Ctx, s: &Settings, links: i64) -> Value {
    json!({
        "kind": s.kind.1,
        "filter": filter(ctx),
        "resolution": s.resolution,
        "nodes": s.nodes,
        "min": s.min_link,
        "links": links,
    })
}

async fn read(site: &Site, ctx: &Ctx, s: &Settings) -> Result<Map, Failure> {
    let document = "query Map($kind: MapKind!, $filter: InitiativeFilter, $resolution: Float, $nodes: Int, $min: Int, $links: Int) {
        analytics { map(kind: $kind, filter: $filter, resolution: $resolution, maxNodes: $nodes, minLinkCount: $min) {
          population quality
          nodes { type value label weight links totalLinkCount cluster x y node { ... on Organisation { slug } } }
          links(first: $links) { from to count }
          clusters { id weight members themes { label count } } } } }";
    let variables = variables(ctx, s, DRAWN_LINKS);
    let answer: Answer = site.query(ctx.lang, document, variables).await?;
    Ok(answer.analytics.map)
}

/// A node's page.
fn node_href(ctx: &Ctx, n: &Node) -> String {
    let path = match n.kind.as_str() {
        "THEME" => format!("/themas/{}", n.value),
        "TOPIC" => format!("/onderwerpen/{}", n.value),
        _ => format!(
            "/organisaties/{}",
            n.node
                .as_ref()
                .and_then(|s| s.slug.as_deref())
                .unwrap_or_default()
        ),
    };
    ctx.href(&path)
}

/// The search of the initiatives a link joins: those holding both of its nodes.
fn link_href(ctx: &Ctx, a: &Node, b: &Node) -> String {
    let key = |n: &Node| match n.kind.as_str() {
        "THEME" => "thema",
        "TOPIC" => "elk-onderwerp",
        _ => "elke-organisatie",
    };
    let mut pairs = vec![
        (key(a).to_owned(), a.value.clone()),
        (key(b).to_owned(), b.value.clone()),
    ];
    pairs.extend(carried(ctx, &FILTER_KEYS));
    ctx.href(&address("/zoeken", &pairs))
}

fn drawing(ctx: &Ctx, s: &Settings, map: &Map) -> Markup {
    let nodes: Vec<charts::MapNode> = map
        .nodes
        .iter()
        .map(|n| charts::MapNode {
            id: n.value.clone(),
            label: n.label.clone(),
            href: node_href(ctx, n),
            x: n.x,
            // The layout's y points up, as VOSviewer draws it; SVG's points down.
            y: -n.y,
            weight: n.weight as f64,
            cluster: n.cluster,
        })
        .collect();
    let links: Vec<charts::MapLink> = map
        .links
        .iter()
        .filter_map(|l| {
            let (a, b) = (map.nodes.get(l.from)?, map.nodes.get(l.to)?);
            Some(charts::MapLink {
                from: l.from,
                to: l.to,
                strength: l.count as f64,
                href: link_href(ctx, a, b),
            })
        })
        .collect();
    let description = format!(
        "{} {} {} {} {}",
        map.nodes.len(),
        ctx.t("knopen in", "nodes in"),
        map.clusters.len(),
        ctx.t(
            "clusters. De tabel van de clusters eronder zegt hetzelfde.",
            "clusters. The table of clusters below says the same."
        ),
        ""
    );
    charts::map_svg(&MapChart {
        title: s.title(ctx),
        description: description.trim_end(),
        nodes: &nodes,
        links: &links,
        lang_en: ctx.en(),
    })
}

pub(crate) async fn map_page(State(site): State<Site>, ctx: Ctx) -> Response {
    let page = build(&site, &ctx).await;
    respond(&ctx, page)
}

async fn build(site: &Site, ctx: &Ctx) -> Result<Page, Failure> {
    let s = Settings::of(ctx);
    let vocab = site.vocab(ctx.lang).await?;
    let map = read(site, ctx, &s).await?;
    let body = html! {
        h1 { (ctx.t("Kaarten", "Maps")) }
        p.lead { (ctx.t(
            "Hoe onderwerpen, thema's en organisaties samenhangen, getekend zoals VOSviewer (CWTS, Leiden) dat doet: grootte is het aantal initiatieven, kleur het cluster, afstand de samenhang.",
            "How topics, themes and organisations connect, drawn as VOSviewer (CWTS, Leiden) does: size is the number of initiatives, colour the cluster, distance the relatedness.")) }
        (tabs(ctx, "/analyse/kaart"))
        form.workbench method="get" action="/analyse/kaart" {
            @if let Some(l) = ctx.lang_field() { input type="hidden" name="lang" value=(l); }
            fieldset {
                legend { (ctx.t("Welke kaart", "Which map")) }
                p {
                    label for="k-kaart" { (ctx.t("Kaart", "Map")) }
                    select id="k-kaart" name="kaart" {
                        @for k in KINDS { option value=(k.0) selected[k.0 == s.kind.0] { (ctx.t(k.2, k.3)) } }
                    }
                }
                p {
                    label for="k-resolutie" { (ctx.t("Resolutie (hoger: meer, kleinere clusters)", "Resolution (higher: more, smaller clusters)")) }
                    input id="k-resolutie" name="resolutie" type="text" inputmode="decimal" value=(decimal(ctx, s.resolution, 2));
                }
                p {
                    label for="k-knopen" { (ctx.t("Hoogstens knopen", "At most nodes")) }
                    input id="k-knopen" name="knopen" type="number" min="1" max="500" inputmode="numeric" value=(s.nodes);
                }
                p {
                    label for="k-minimum" { (ctx.t("Verbinding vanaf (initiatieven)", "Link from (initiatives)")) }
                    input id="k-minimum" name="minimum" type="number" min="1" max="10000" inputmode="numeric" value=(s.min_link);
                }
            }
            (filter_fields(ctx, &vocab))
            p { button type="submit" { (ctx.t("Toon", "Show")) } }
        }
        p {
            (map.population) " " (ctx.t("initiatieven", "initiatives")) ", "
            (map.nodes.len()) " " (ctx.t("knopen", "nodes")) ", "
            (map.links.len()) " " (ctx.t("verbindingen", "links")) ", "
            (map.clusters.len()) " " (ctx.t("clusters (Leiden-algoritme, kwaliteit ", "clusters (Leiden algorithm, quality "))
            (decimal(ctx, map.quality, 2)) ")."
        }
        (drawing(ctx, &s, &map))
        (charts::map_script())
        (cluster_table(ctx, &map))
        (strongest(ctx, &map))
        h2 { (ctx.t("Meenemen", "Take it away")) }
        ul.downloads {
            li { a href=(ctx.href(&address("/analyse/kaart.csv", &s.pairs(ctx)))) download { (ctx.t("Knopen en clusters als CSV", "Nodes and clusters as CSV")) } }
            li { a href=(ctx.href(&address("/analyse/kaart.svg", &s.pairs(ctx)))) download { (ctx.t("Kaart als SVG", "Map as SVG")) } }
            li { a href=(ctx.href(&address("/analyse/kaart-vosviewer-map.txt", &s.pairs(ctx)))) download { (ctx.t("VOSviewer-mapbestand", "VOSviewer map file")) } }
            li { a href=(ctx.href(&address("/analyse/kaart-vosviewer-network.txt", &s.pairs(ctx)))) download { (ctx.t("VOSviewer-netwerkbestand", "VOSviewer network file")) } }
            li { a href=(ctx.href(&address("/analyse/kaart", &s.pairs(ctx)))) { (ctx.t("Vaste link naar deze instellingen", "Permalink to these settings")) } }
        }
        p.meta { (ctx.t("Open beide VOSviewer-bestanden in VOSviewer via ‘Create map’ → ‘Read data from VOSviewer files’.",
            "Open both VOSviewer files in VOSviewer with ‘Create map’ → ‘Read data from VOSviewer files’.")) }
    };
    Ok(Page::new(
        ctx.t("Kaarten", "Maps"),
        ctx.t(
            "Kaarten van onderwerpen, thema's en organisaties met clusters, zoals VOSviewer ze tekent.",
            "Maps of topics, themes and organisations with clusters, as VOSviewer draws them.",
        ),
        body,
    ))
}

fn cluster_table(ctx: &Ctx, map: &Map) -> Markup {
    html! {
        h2 id="clusters" { (ctx.t("Clusters", "Clusters")) }
        div.scroll role="region" aria-labelledby="clusters" tabindex="0" {
            table {
                thead { tr {
                    th scope="col" { (ctx.t("Cluster", "Cluster")) }
                    th scope="col" { (ctx.t("Leden (grootste eerst)", "Members (largest first)")) }
                    th scope="col" { (ctx.t("Knopen", "Nodes")) }
                    th scope="col" { (ctx.t("Initiatieven", "Initiatives")) }
                    th scope="col" { (ctx.t("Meeste thema's", "Top themes")) }
                } }
                tbody {
                    @for c in &map.clusters {
                        tr {
                            th scope="row" { span class=(format!("swatch c{}", c.id.min(8))) aria-hidden="true" {} (c.id + 1) }
                            td {
                                ul.inline {
                                    @for m in &c.members {
                                        @if let Some(n) = map.nodes.get(*m) {
                                            li { a href=(node_href(ctx, n)) { (n.label) } " (" (n.weight) ")" }
                                        }
                                    }
                                }
                            }
                            td.number { (c.members.len()) }
                            td.number { (c.weight) }
                            td { @for (i, t) in c.themes.iter().enumerate() { @if i > 0 { ", " } (t.label) " (" (t.count) ")" } }
                        }
                    }
                }
            }
        }
    }
}

/// The links a map is drawn with the most initiatives behind, as a table whose every
/// row leads to the search of what both ends share: the map's links are for the
/// pointer, this is for the keyboard and for screen readers.
fn strongest(ctx: &Ctx, map: &Map) -> Markup {
    let mut links: Vec<&Link> = map.links.iter().collect();
    links.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then((a.from, a.to).cmp(&(b.from, b.to)))
    });
    links.truncate(STRONGEST);
    if links.is_empty() {
        return html! {};
    }
    html! {
        h2 id="verbindingen" { (ctx.t("Sterkste verbindingen", "Strongest links")) }
        div.scroll role="region" aria-labelledby="verbindingen" tabindex="0" {
            table {
                thead { tr {
                    th scope="col" { (ctx.t("Tussen", "Between")) }
                    th scope="col" { (ctx.t("Gedeelde initiatieven", "Initiatives shared")) }
                } }
                tbody {
                    @for l in links {
                        @if let (Some(a), Some(b)) = (map.nodes.get(l.from), map.nodes.get(l.to)) {
                            tr {
                                td { (a.label) " — " (b.label) }
                                td.number { a href=(link_href(ctx, a, b)) { (l.count) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/analyse/kaart.csv`: a node a line, with its cluster (numbered from 1, as on the
/// page), position, weight and links.
pub(crate) async fn map_csv(State(site): State<Site>, ctx: Ctx) -> Response {
    let s = Settings::of(&ctx);
    let map = match read(&site, &ctx, &s).await {
        Ok(m) => m,
        Err(f) => return respond(&ctx, Err(f)),
    };
    let mut csv = Csv::new(&[
        "value",
        "label",
        "type",
        "cluster",
        "x",
        "y",
        "initiatives",
        "links",
        "total_link_count",
        "url",
    ]);
    for n in &map.nodes {
        csv.record(&[
            n.value.clone(),
            n.label.clone(),
            n.kind.clone(),
            (n.cluster + 1).to_string(),
            n.x.to_string(),
            n.y.to_string(),
            n.weight.to_string(),
            n.links.to_string(),
            n.total_link_count.to_string(),
            format!("{}{}", site.origin, node_href(&ctx, n)),
        ]);
    }
    csv_response(&format!("kennisbank-kaart-{}.csv", s.kind.0), csv.finish())
}

/// `/analyse/kaart.svg`: the map as a document.
pub(crate) async fn map_svg(State(site): State<Site>, ctx: Ctx) -> Response {
    let s = Settings::of(&ctx);
    match read(&site, &ctx, &s).await {
        Ok(map) => svg_response(
            &format!("kennisbank-kaart-{}.svg", s.kind.0),
            charts::standalone(drawing(&ctx, &s, &map)),
        ),
        Err(f) => respond(&ctx, Err(f)),
    }
}

/// The map's items for VOSviewer, numbered from 1 in the map's order, with their
/// pages' full addresses.
fn items(site: &Site, ctx: &Ctx, map: &Map) -> Vec<VosItem> {
    map.nodes
        .iter()
        .enumerate()
        .map(|(i, n)| VosItem {
            id: i + 1,
            label: n.label.clone(),
            url: format!("{}{}", site.origin, node_href(ctx, n)),
            x: n.x,
            y: n.y,
            cluster: n.cluster,
            links: u32::try_from(n.links).unwrap_or(0),
            total_link_strength: u64::try_from(n.total_link_count).unwrap_or(0),
            weight: u64::try_from(n.weight).unwrap_or(0),
        })
        .collect()
}

/// `/analyse/kaart-vosviewer-map.txt`: the items, as VOSviewer reads a map file.
pub(crate) async fn vosviewer_map(State(site): State<Site>, ctx: Ctx) -> Response {
    let s = Settings::of(&ctx);
    match read(&site, &ctx, &s).await {
        Ok(map) => text_response(
            &format!("kennisbank-{}-map.txt", s.kind.0),
            vosviewer_map_file(&items(&site, &ctx, &map)),
        ),
        Err(f) => respond(&ctx, Err(f)),
    }
}

/// The strongest `ALL_LINKS` links of the map the address describes, alone.
async fn read_links(site: &Site, ctx: &Ctx, s: &Settings) -> Result<Vec<Link>, Failure> {
    #[derive(Deserialize)]
    struct Answer {
        analytics: Links,
    }
    #[derive(Deserialize)]
    struct Links {
        map: Only,
    }
    #[derive(Deserialize)]
    struct Only {
        links: Vec<Link>,
    }
    let document = "query Links($kind: MapKind!, $filter: InitiativeFilter, $resolution: Float, $nodes: Int, $min: Int, $links: Int) {
        analytics { map(kind: $kind, filter: $filter, resolution: $resolution, maxNodes: $nodes, minLinkCount: $min) {
          links(first: $links) { from to count } } } }";
    let variables = variables(ctx, s, ALL_LINKS);
    let answer: Answer = site.query(ctx.lang, document, variables).await?;
    Ok(answer.analytics.map.links)
}

/// `/analyse/kaart-vosviewer-network.txt`: the links, as VOSviewer reads a network
/// file (the strength is the number of initiatives both share).
pub(crate) async fn vosviewer_network(State(site): State<Site>, ctx: Ctx) -> Response {
    let s = Settings::of(&ctx);
    match read_links(&site, &ctx, &s).await {
        Ok(links) => {
            let links: Vec<(usize, usize, u64)> = links
                .iter()
                .map(|l| (l.from + 1, l.to + 1, u64::try_from(l.count).unwrap_or(0)))
                .collect();
            text_response(
                &format!("kennisbank-{}-network.txt", s.kind.0),
                vosviewer_network_file(&links),
            )
        }
        Err(f) => respond(&ctx, Err(f)),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;

    use super::*;

    #[test]
    fn the_settings_are_read_and_bounded() {
        let ctx = Ctx::of(
            &HeaderMap::new(),
            "/analyse/kaart",
            "kaart=organisaties&resolutie=0,5&knopen=9999&minimum=2&regio=noord",
        );
        let s = Settings::of(&ctx);
        assert_eq!(
            (s.kind.1, s.resolution, s.nodes, s.min_link),
            ("ORGANISATIONS", 0.5, 100, 2)
        );
        assert_eq!(
            address("/analyse/kaart", &s.pairs(&ctx)),
            "/analyse/kaart?kaart=organisaties&resolutie=0.5&minimum=2&regio=noord"
        );
        let ctx = Ctx::of(&HeaderMap::new(), "/analyse/kaart", "kaart=x&resolutie=NaN");
        let s = Settings::of(&ctx);
        assert_eq!((s.kind.1, s.resolution), ("TOPICS", 1.0));
    }
}
