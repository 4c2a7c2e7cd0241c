//! The events: coming ones soonest first, earlier ones most recent first, the calendar
//! feed; and one event's page.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::dates;
use crate::layout::{Page, describe, respond};
use crate::pages::{EVENT, EventCard, Named, Nodes, TITLED, Term, Titled, event_list, now};
use crate::vocab::Vocabulary;

/// The answer to the events list's document.
#[derive(Debug, Deserialize)]
struct Events {
    coming: Nodes<EventCard>,
    earlier: Nodes<EventCard>,
}

#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(deserialize_with = "nullable")]
    event: Option<Event>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    title: String,
    summary: String,
    kind: String,
    starts_at: String,
    ends_at: String,
    #[serde(deserialize_with = "nullable")]
    location: Option<String>,
    online: bool,
    #[serde(deserialize_with = "nullable")]
    website: Option<String>,
    #[serde(deserialize_with = "nullable")]
    region: Option<String>,
    organisers: Vec<Named>,
    themes: Vec<Term>,
    topics: Vec<Term>,
    initiatives: Nodes<Titled>,
}

pub(crate) async fn list(State(site): State<Site>, ctx: Ctx) -> Response {
    let document = format!(
        "query Events($now: DateTime!) {{
           coming: events(filter: {{ from: $now }}, first: 50) {{ nodes {{ {EVENT} }} }}
           earlier: events(filter: {{ to: $now }}, first: 20) {{ nodes {{ {EVENT} }} }}
         }}"
    );
    let page = async {
        let data: Events = site.query(ctx.lang, &document, json!({ "now": now() })).await?;
        let body = html! {
            h1 { (ctx.t("Evenementen", "Events")) }
            p.lead { (ctx.t(
                "Netwerkbijeenkomsten, masterclasses en webinars waar initiatieven worden gedeeld.",
                "Network meetings, masterclasses and webinars where initiatives are shared.")) }
            p { a href="/feeds/events.ics" type="text/calendar" {
                (ctx.t("Abonneer op de agenda (iCalendar)", "Subscribe to the calendar (iCalendar)")) } }
            h2 { (ctx.t("Komende evenementen", "Coming events")) }
            @if data.coming.nodes.is_empty() {
                p { (ctx.t("Er staan nog geen evenementen gepland.", "No events are planned yet.")) }
            }
            (event_list(&ctx, &data.coming.nodes))
            h2 { (ctx.t("Eerdere evenementen", "Earlier events")) }
            (event_list(&ctx, &data.earlier.nodes))
        };
        Ok(Page::new(
            ctx.t("Evenementen", "Events"),
            ctx.t(
                "Komende en eerdere evenementen over studentenwelzijn: netwerkbijeenkomsten, masterclasses en webinars.",
                "Coming and earlier events on student wellbeing: network meetings, masterclasses and webinars.",
            ),
            body,
        ))
    }
    .await;
    respond(&ctx, page)
}

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let document = format!(
        "query Event($slug: String!) {{
           event(slug: $slug) {{
             title summary kind startsAt endsAt location online website region
             organisers {{ slug name }} themes {{ code label }} topics {{ code label }}
             initiatives(first: 20) {{ nodes {{ {TITLED} }} }}
           }} }}"
    );
    let page = async {
        let data: Answer = site.query(ctx.lang, &document, json!({ "slug": slug })).await?;
        let vocab = site.vocab(ctx.lang).await?;
        let Some(e) = data.event else {
            return Err(Failure::NotFound);
        };
        let location = e.location.as_deref().unwrap_or_default();
        let region = e.region.as_deref().unwrap_or_default();
        let website = e.website.as_deref().unwrap_or_default();
        let body = html! {
            p.meta { (vocab.label(Vocabulary::EventKind, &e.kind)) }
            h1 { (e.title) }
            p.lead { (e.summary) }
            dl.facts {
                dt { (ctx.t("Begint", "Starts")) }
                dd { time datetime=(e.starts_at) { (dates::date_time(&e.starts_at, ctx.lang)) } }
                dt { (ctx.t("Eindigt", "Ends")) }
                dd { time datetime=(e.ends_at) { (dates::date_time(&e.ends_at, ctx.lang)) } }
                dt { (ctx.t("Waar", "Where")) }
                dd {
                    @if e.online { (ctx.t("Online", "Online")) }
                    @if e.online && !location.is_empty() { ", " }
                    (location)
                }
                @if !region.is_empty() {
                    dt { (ctx.t("Regio", "Region")) } dd { (vocab.label(Vocabulary::Region, region)) }
                }
                @if !website.is_empty() {
                    dt { (ctx.t("Website", "Website")) }
                    dd { a href=(website) rel="noopener" { (website) } }
                }
                @if !e.organisers.is_empty() {
                    dt { (ctx.t("Organisatie", "Organised by")) }
                    dd { @for (n, o) in e.organisers.iter().enumerate() {
                        @if n > 0 { ", " }
                        a href=(ctx.href(&format!("/organisaties/{}", o.slug))) { (o.name) }
                    } }
                }
            }
            ul.tags aria-label=(ctx.t("Thema's en onderwerpen", "Themes and topics")) {
                @for t in &e.themes {
                    li { a href=(ctx.href(&format!("/themas/{}", t.code))) { (t.label) } }
                }
                @for t in &e.topics {
                    li { a href=(ctx.href(&format!("/onderwerpen/{}", t.code))) { (t.label) } }
                }
            }
            @if !e.initiatives.nodes.is_empty() {
                h2 { (ctx.t("Initiatieven die hier aan bod komen", "Initiatives featured")) }
                ul { @for i in &e.initiatives.nodes {
                    @let title = i.title(&ctx);
                    li lang=[title.lang] { a href=(ctx.href(&format!("/initiatieven/{}", i.slug))) { (title.text) } }
                } }
            }
        };
        Ok(Page::new(e.title, describe(&e.summary), body))
    }
    .await;
    respond(&ctx, page)
}
