//! The events: coming ones soonest first, earlier ones most recent first, the calendar
//! feed; and one event's page.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;
use serde_json::{Value, json};

use crate::Site;
use crate::client::{Failure, Read};
use crate::context::Ctx;
use crate::dates;
use crate::layout::{Page, describe, respond};
use crate::pages::{EVENT, event_list, now};
use crate::vocab::Vocabulary;

pub(crate) async fn list(State(site): State<Site>, ctx: Ctx) -> Response {
    let document = format!(
        "query Events($now: DateTime!) {{
           coming: events(filter: {{ from: $now }}, first: 50) {{ nodes {{ {EVENT} }} }}
           earlier: events(filter: {{ to: $now }}, first: 20) {{ nodes {{ {EVENT} }} }}
         }}"
    );
    let page = async {
        let data: Value = site.query(ctx.lang, &document, json!({ "now": now() })).await?;
        let section = |key: &str| data.get(key).map_or(&[][..], |e| e.list("nodes"));
        let body = html! {
            h1 { (ctx.t("Evenementen", "Events")) }
            p.lead { (ctx.t(
                "Netwerkbijeenkomsten, masterclasses en webinars waar initiatieven worden gedeeld.",
                "Network meetings, masterclasses and webinars where initiatives are shared.")) }
            p { a href="/feeds/events.ics" type="text/calendar" {
                (ctx.t("Abonneer op de agenda (iCalendar)", "Subscribe to the calendar (iCalendar)")) } }
            h2 { (ctx.t("Komende evenementen", "Coming events")) }
            @if section("coming").is_empty() {
                p { (ctx.t("Er staan nog geen evenementen gepland.", "No events are planned yet.")) }
            }
            (event_list(&ctx, section("coming")))
            h2 { (ctx.t("Eerdere evenementen", "Earlier events")) }
            (event_list(&ctx, section("earlier")))
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
    let document = "query Event($slug: String!) {
           event(slug: $slug) {
             title summary kind startsAt endsAt location online website region
             organisers { slug name } themes { code label } topics { code label }
             initiatives(first: 20) { nodes { slug title } }
           } }";
    let page = async {
        let data: Value = site.query(ctx.lang, document, json!({ "slug": slug })).await?;
        let vocab = site.vocab(ctx.lang).await?;
        let Some(e) = data.get("event").filter(|e| !e.is_null()) else {
            return Err(Failure::NotFound);
        };
        let online = e.get("online").and_then(Value::as_bool) == Some(true);
        let body = html! {
            p.meta { (vocab.label(Vocabulary::EventKind, e.str_at("kind"))) }
            h1 { (e.str_at("title")) }
            p.lead { (e.str_at("summary")) }
            dl.facts {
                dt { (ctx.t("Begint", "Starts")) }
                dd { time datetime=(e.str_at("startsAt")) { (dates::date_time(e.str_at("startsAt"), ctx.lang)) } }
                dt { (ctx.t("Eindigt", "Ends")) }
                dd { time datetime=(e.str_at("endsAt")) { (dates::date_time(e.str_at("endsAt"), ctx.lang)) } }
                dt { (ctx.t("Waar", "Where")) }
                dd {
                    @if online { (ctx.t("Online", "Online")) }
                    @if online && !e.str_at("location").is_empty() { ", " }
                    (e.str_at("location"))
                }
                @if !e.str_at("region").is_empty() {
                    dt { (ctx.t("Regio", "Region")) } dd { (vocab.label(Vocabulary::Region, e.str_at("region"))) }
                }
                @if !e.str_at("website").is_empty() {
                    dt { (ctx.t("Website", "Website")) }
                    dd { a href=(e.str_at("website")) rel="noopener" { (e.str_at("website")) } }
                }
                @if !e.list("organisers").is_empty() {
                    dt { (ctx.t("Organisatie", "Organised by")) }
                    dd { @for (n, o) in e.list("organisers").iter().enumerate() {
                        @if n > 0 { ", " }
                        a href=(ctx.href(&format!("/organisaties/{}", o.str_at("slug")))) { (o.str_at("name")) }
                    } }
                }
            }
            ul.tags aria-label=(ctx.t("Thema's en onderwerpen", "Themes and topics")) {
                @for t in e.list("themes") {
                    li { a href=(ctx.href(&format!("/themas/{}", t.str_at("code")))) { (t.str_at("label")) } }
                }
                @for t in e.list("topics") {
                    li { a href=(ctx.href(&format!("/onderwerpen/{}", t.str_at("code")))) { (t.str_at("label")) } }
                }
            }
            @let shown = e.get("initiatives").map_or(&[][..], |i| i.list("nodes"));
            @if !shown.is_empty() {
                h2 { (ctx.t("Initiatieven die hier aan bod komen", "Initiatives featured")) }
                ul { @for i in shown {
                    li { a href=(ctx.href(&format!("/initiatieven/{}", i.str_at("slug")))) { (i.str_at("title")) } }
                } }
            }
        };
        Ok(Page::new(e.str_at("title"), describe(e.str_at("summary")), body))
    }
    .await;
    respond(&ctx, page)
}
