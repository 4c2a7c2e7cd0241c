//! The analyst page: which topics go with which themes (the co-occurrence table as an
//! accessible heat map, each cell with its count and lift and a link to the matching
//! search), the most connected initiatives, and the neighbourhood of an initiative or
//! organisation in the graph (`?initiatief=slug`, `?organisatie=slug`).

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

use crate::Site;
use crate::client::{Failure, Read};
use crate::context::Ctx;
use crate::layout::{Page, respond};

const NODE: &str = "node {
    __typename
    ... on Initiative { slug title }
    ... on Theme { code label }
    ... on Topic { code label }
    ... on Organisation { slug name }
    ... on Event { slug title } }";

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx) -> Response {
    let page = build(&site, &ctx).await;
    respond(&ctx, page)
}

async fn build(site: &Site, ctx: &Ctx) -> Result<Page, Failure> {
    let document = format!(
        "{{ analytics {{
             cooccurrence(rows: THEME, columns: TOPIC) {{
               population rows {{ value label total }} columns {{ value label total }}
               cells {{ row column count lift }} }}
             centrality(nodeType: INITIATIVE, measure: DEGREE, first: 10) {{ score {NODE} }}
           }} }}"
    );
    let data: Value = site.query(ctx.lang, &document, json!({})).await?;
    let analytics = data.get("analytics").unwrap_or(&Value::Null);
    let table = analytics.get("cooccurrence").unwrap_or(&Value::Null);
    let centre = neighbourhood(site, ctx).await?;
    let body = html! {
        h1 { (ctx.t("Analyse", "Analysis")) }
        p.lead { (ctx.t(
            "Hoe thema's en onderwerpen samen voorkomen in de gepubliceerde initiatieven, en wat er in de graaf rond een initiatief ligt.",
            "How themes and topics occur together in the published initiatives, and what lies around an initiative in the graph.")) }
        (heat_map(ctx, table))
        @if let Some(c) = centre { (c) }
        h2 { (ctx.t("Meest verbonden initiatieven", "Most connected initiatives")) }
        ol {
            @for c in analytics.list("centrality") {
                @let n = c.get("node").unwrap_or(&Value::Null);
                li {
                    a href=(ctx.href(&format!("/analyse?initiatief={}#omgeving", n.str_at("slug")))) { (n.str_at("title")) }
                    " (" (c.float("score")) " " (ctx.t("verbindingen", "connections")) ")"
                }
            }
        }
        p { (ctx.t("Meer analyses (trends, paden, centraliteit) en exports staan in de ", "More analyses (trends, paths, centrality) and exports are in the "))
            a href="/graphiql" { (ctx.t("GraphQL-API", "GraphQL API")) } "." }
    };
    Ok(Page::new(
        ctx.t("Analyse", "Analysis"),
        ctx.t(
            "Thema's × onderwerpen: aantallen en lift van het samen voorkomen, en de omgeving van initiatieven in de kennisgraaf.",
            "Themes × topics: counts and lift of co-occurrence, and the neighbourhood of initiatives in the knowledge graph.",
        ),
        body,
    ))
}

/// The colour class of a cell by its lift: how much more often the pair occurs than
/// independence predicts.
fn heat(count: i64, lift: f64) -> &'static str {
    match (count, lift) {
        (0, _) => "h0",
        (_, l) if l < 0.8 => "h1",
        (_, l) if l < 1.25 => "h2",
        (_, l) if l < 2.0 => "h3",
        _ => "h4",
    }
}

fn heat_map(ctx: &Ctx, table: &Value) -> Markup {
    let cells: HashMap<(&str, &str), (i64, f64)> = table
        .list("cells")
        .iter()
        .map(|c| {
            (
                (c.str_at("row"), c.str_at("column")),
                (c.int("count"), c.float("lift")),
            )
        })
        .collect();
    let lift_text = |l: f64| {
        let s = format!("{l:.1}");
        if ctx.en() { s } else { s.replace('.', ",") }
    };
    html! {
        h2 id="thema-onderwerp" { (ctx.t("Thema's × onderwerpen", "Themes × topics")) }
        p {
            (ctx.t("Elke cel telt de initiatieven met dat thema en dat onderwerp (van ", "Each cell counts the initiatives with that theme and that topic (of "))
            (table.int("population"))
            (ctx.t(
                "); daaronder de lift: hoeveel vaker dan bij toeval (1,0 = zoals verwacht). Een cel opent de zoekresultaten.",
                "); below it the lift: how many times more often than chance (1.0 = as expected). A cell opens the search results."))
        }
        ul.legend aria-label=(ctx.t("Legenda", "Legend")) {
            li.h1 style="background:#e3f0f2" { (ctx.t("lift onder 0,8", "lift under 0.8")) }
            li.h2 style="background:#b9dbe0" { (ctx.t("0,8 tot 1,25", "0.8 to 1.25")) }
            li.h3 style="background:#2c6b76;color:#fff" { (ctx.t("1,25 tot 2", "1.25 to 2")) }
            li.h4 style="background:#0b4853;color:#fff" { (ctx.t("2 of meer", "2 or more")) }
        }
        div.scroll role="region" aria-labelledby="thema-onderwerp" tabindex="0" {
            table.heat {
                caption.visually-hidden { (ctx.t("Aantal initiatieven en lift per thema en onderwerp", "Initiatives and lift per theme and topic")) }
                thead {
                    tr {
                        th scope="col" { (ctx.t("Thema", "Theme")) }
                        @for c in table.list("columns") { th scope="col" { (c.str_at("label")) } }
                    }
                }
                tbody {
                    @for r in table.list("rows") {
                        tr {
                            th scope="row" { (r.str_at("label")) " " span.meta { "(" (r.int("total")) ")" } }
                            @for c in table.list("columns") {
                                @let (count, lift) = cells.get(&(r.str_at("value"), c.str_at("value"))).copied().unwrap_or((0, 0.0));
                                td class=(heat(count, lift)) {
                                    @if count > 0 {
                                        a href=(ctx.href(&format!("/zoeken?thema={}&onderwerp={}", r.str_at("value"), c.str_at("value")))) {
                                            (count) small { "× " (lift_text(lift)) }
                                        }
                                    } @else { "0" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The neighbourhood of the initiative or organisation the address names, if any.
async fn neighbourhood(site: &Site, ctx: &Ctx) -> Result<Option<Markup>, Failure> {
    let (field, slug) = match (ctx.param("initiatief"), ctx.param("organisatie")) {
        (Some(s), _) if !s.is_empty() => ("initiative", s),
        (_, Some(s)) if !s.is_empty() => ("organisation", s),
        _ => return Ok(None),
    };
    let found: Value = site
        .query(
            ctx.lang,
            &format!("query Centre($slug: String!) {{ centre: {field}(slug: $slug) {{ id }} }}"),
            json!({ "slug": slug }),
        )
        .await?;
    let Some(id) = found
        .get("centre")
        .and_then(|c| c.get("id"))
        .and_then(Value::as_str)
    else {
        return Err(Failure::NotFound);
    };
    let data: Value = site
        .query(
            ctx.lang,
            &format!("query Around($id: ID!) {{ analytics {{ neighbourhood(id: $id, depth: 1, limit: 500) {{
                 nodes {{ id type depth {NODE} }} edges {{ type from to }} }} }} }}"),
            json!({ "id": id }),
        )
        .await?;
    let around = data
        .get("analytics")
        .and_then(|a| a.get("neighbourhood"))
        .unwrap_or(&Value::Null);
    let nodes = around.list("nodes");
    let centre = nodes.iter().find(|n| n.int("depth") == 0);
    let name = |n: &Value| {
        let node = n.get("node").unwrap_or(&Value::Null);
        let text = [
            node.str_at("title"),
            node.str_at("label"),
            node.str_at("name"),
        ]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_owned();
        let href = match n.str_at("type") {
            "INITIATIVE" => format!("/initiatieven/{}", node.str_at("slug")),
            "THEME" => format!("/themas/{}", node.str_at("code")),
            "TOPIC" => format!("/onderwerpen/{}", node.str_at("code")),
            "ORGANISATION" => format!("/organisaties/{}", node.str_at("slug")),
            _ => format!("/evenementen/{}", node.str_at("slug")),
        };
        (text, ctx.href(&href))
    };
    let edge_of = |other: &str| -> Vec<&str> {
        around
            .list("edges")
            .iter()
            .filter(|e| {
                (e.str_at("from") == id && e.str_at("to") == other)
                    || (e.str_at("to") == id && e.str_at("from") == other)
            })
            .map(|e| edge_label(ctx, e.str_at("type"), e.str_at("from") == id))
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
        (drawing(&centre_name, &nodes.iter().filter(|n| n.int("depth") == 1).map(|n| (n.str_at("type"), name(n).0)).collect::<Vec<_>>()))
        @for (ty, heading) in groups {
            @let members: Vec<&Value> = nodes.iter().filter(|n| n.int("depth") == 1 && n.str_at("type") == ty).collect();
            @if !members.is_empty() {
                h3 { span.dot style=(format!("background:{}", colour(ty))) {} (heading) " (" (members.len()) ")" }
                ul {
                    @for m in members {
                        @let (text, href) = name(m);
                        li { a href=(href) { (text) } " — " span.meta { (edge_of(m.str_at("id")).join(", ")) } }
                    }
                }
            }
        }
    }))
}

/// The colour of a node type in the drawing (each at least 3:1 against white).
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
