//! A theme's page and a topic's page: the label, the description, the newest
//! initiatives under it and a link to all of them in search, where they can be narrowed.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::layout::{Page, describe, respond};
use crate::pages::{CARD, Card, Counted, EVENT, EventCard, Nodes, Term, cards, event_list};
use crate::vocab::Vocab;

/// What a theme's and a topic's page show alike.
#[derive(Debug, Deserialize)]
struct Listing {
    code: String,
    label: String,
    initiatives: Counted<Card>,
    events: Nodes<EventCard>,
}

#[derive(Debug, Deserialize)]
struct ThemeAnswer {
    #[serde(deserialize_with = "nullable")]
    theme: Option<Theme>,
}

#[derive(Debug, Deserialize)]
struct Theme {
    #[serde(flatten)]
    listing: Listing,
    definition: String,
}

#[derive(Debug, Deserialize)]
struct TopicAnswer {
    #[serde(deserialize_with = "nullable")]
    topic: Option<Topic>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Topic {
    #[serde(flatten)]
    listing: Listing,
    description: String,
    alt_labels: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    broader: Option<Term>,
    narrower: Vec<Term>,
}

pub(crate) async fn theme(
    State(site): State<Site>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Response {
    let document = format!(
        "query Theme($code: String!) {{
           theme(code: $code) {{
             code label definition
             initiatives(first: 12) {{ totalCount nodes {{ {CARD} }} }}
             events(first: 4) {{ nodes {{ {EVENT} }} }}
           }} }}"
    );
    let page = async {
        let data: ThemeAnswer = site
            .query(ctx.lang, &document, json!({ "code": code }))
            .await?;
        let Some(t) = data.theme else {
            return Err(Failure::NotFound);
        };
        Ok(listing(
            &ctx,
            &*site.vocab(ctx.lang).await?,
            &t.listing,
            "thema",
            ctx.t("Thema", "Theme"),
            &t.definition,
            None,
        ))
    }
    .await;
    respond(&ctx, page)
}

pub(crate) async fn topic(
    State(site): State<Site>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Response {
    let document = format!(
        "query Topic($code: String!) {{
           topic(code: $code) {{
             code label description altLabels
             broader {{ code label }} narrower {{ code label }}
             initiatives(first: 12) {{ totalCount nodes {{ {CARD} }} }}
             events(first: 4) {{ nodes {{ {EVENT} }} }}
           }} }}"
    );
    let page = async {
        let data: TopicAnswer = site.query(ctx.lang, &document, json!({ "code": code })).await?;
        let Some(t) = data.topic else {
            return Err(Failure::NotFound);
        };
        let tree = html! {
            @if let Some(b) = &t.broader {
                p { (ctx.t("Valt onder", "Part of")) ": "
                    a href=(ctx.href(&format!("/onderwerpen/{}", b.code))) { (b.label) } }
            }
            @if !t.narrower.is_empty() {
                h2 { (ctx.t("Nauwere onderwerpen", "Narrower topics")) }
                ul.tags {
                    @for n in &t.narrower {
                        li { a href=(ctx.href(&format!("/onderwerpen/{}", n.code))) { (n.label) } }
                    }
                }
            }
            @if !t.alt_labels.is_empty() {
                p.meta { (ctx.t("Ook gezocht als", "Also searched as")) ": " (t.alt_labels.join(", ")) }
            }
        };
        Ok(listing(&ctx, &*site.vocab(ctx.lang).await?, &t.listing, "onderwerp", ctx.t("Onderwerp", "Topic"), &t.description, Some(tree)))
    }
    .await;
    respond(&ctx, page)
}

/// The page of a theme or topic `t`, whose definition or description is `text`; `key`
/// is its search filter's address key.
fn listing(
    ctx: &Ctx,
    vocab: &Vocab,
    t: &Listing,
    key: &str,
    kind: &str,
    text: &str,
    extra: Option<maud::Markup>,
) -> Page {
    let body = html! {
        p.meta { (kind) }
        h1 { (t.label) }
        @if !text.is_empty() { p.lead { (text) } }
        @if let Some(e) = extra { (e) }
        h2 { (ctx.t("Initiatieven", "Initiatives")) " (" (t.initiatives.total_count) ")" }
        (cards(ctx, vocab, &t.initiatives.nodes))
        p { a.button href=(ctx.href(&format!("/zoeken?{key}={}", t.code))) {
            (ctx.t("Alle initiatieven zoeken en filteren", "Search and filter all initiatives")) } }
        @if !t.events.nodes.is_empty() {
            h2 { (ctx.t("Evenementen", "Events")) }
            (event_list(ctx, &t.events.nodes))
        }
    };
    let description = if text.is_empty() {
        format!("{kind}: {}", t.label)
    } else {
        describe(text)
    };
    Page::new(t.label.clone(), description, body)
}
