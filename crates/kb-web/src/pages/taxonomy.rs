//! A theme's page and a topic's page: the label, the description, the newest
//! initiatives under it and a link to all of them in search, where they can be narrowed.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;
use serde_json::{Value, json};

use crate::Site;
use crate::client::{Failure, Read};
use crate::context::Ctx;
use crate::layout::{Page, describe, respond};
use crate::pages::{CARD, EVENT, cards, event_list};
use crate::vocab::Vocab;

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
        let data: Value = site
            .query(ctx.lang, &document, json!({ "code": code }))
            .await?;
        let Some(t) = data.get("theme").filter(|t| !t.is_null()) else {
            return Err(Failure::NotFound);
        };
        Ok(listing(
            &ctx,
            &*site.vocab(ctx.lang).await?,
            t,
            "thema",
            ctx.t("Thema", "Theme"),
            "definition",
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
        let data: Value = site.query(ctx.lang, &document, json!({ "code": code })).await?;
        let Some(t) = data.get("topic").filter(|t| !t.is_null()) else {
            return Err(Failure::NotFound);
        };
        let tree = html! {
            @if let Some(b) = t.get("broader").filter(|b| !b.is_null()) {
                p { (ctx.t("Valt onder", "Part of")) ": "
                    a href=(ctx.href(&format!("/onderwerpen/{}", b.str_at("code")))) { (b.str_at("label")) } }
            }
            @if !t.list("narrower").is_empty() {
                h2 { (ctx.t("Nauwere onderwerpen", "Narrower topics")) }
                ul.tags {
                    @for n in t.list("narrower") {
                        li { a href=(ctx.href(&format!("/onderwerpen/{}", n.str_at("code")))) { (n.str_at("label")) } }
                    }
                }
            }
            @if !t.list("altLabels").is_empty() {
                p.meta { (ctx.t("Ook gezocht als", "Also searched as")) ": "
                    (t.list("altLabels").iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")) }
            }
        };
        Ok(listing(&ctx, &*site.vocab(ctx.lang).await?, t, "onderwerp", ctx.t("Onderwerp", "Topic"), "description", Some(tree)))
    }
    .await;
    respond(&ctx, page)
}

/// The page of a theme or topic `t`; `key` is its search filter's address key.
fn listing(
    ctx: &Ctx,
    vocab: &Vocab,
    t: &Value,
    key: &str,
    kind: &str,
    text: &str,
    extra: Option<maud::Markup>,
) -> Page {
    let initiatives = t.get("initiatives").unwrap_or(&Value::Null);
    let total = initiatives.int("totalCount");
    let events = t.get("events").map_or(&[][..], |e| e.list("nodes"));
    let body = html! {
        p.meta { (kind) }
        h1 { (t.str_at("label")) }
        @if !t.str_at(text).is_empty() { p.lead { (t.str_at(text)) } }
        @if let Some(e) = extra { (e) }
        h2 { (ctx.t("Initiatieven", "Initiatives")) " (" (total) ")" }
        (cards(ctx, vocab, initiatives.list("nodes")))
        p { a.button href=(ctx.href(&format!("/zoeken?{key}={}", t.str_at("code")))) {
            (ctx.t("Alle initiatieven zoeken en filteren", "Search and filter all initiatives")) } }
        @if !events.is_empty() {
            h2 { (ctx.t("Evenementen", "Events")) }
            (event_list(ctx, events))
        }
    };
    let description = if t.str_at(text).is_empty() {
        format!("{kind}: {}", t.str_at("label"))
    } else {
        describe(t.str_at(text))
    };
    Page::new(t.str_at("label"), description, body)
}
