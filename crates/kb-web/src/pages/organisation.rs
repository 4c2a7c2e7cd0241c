//! An organisation: what it is, where it belongs, its initiatives and events.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;
use serde_json::{Value, json};

use crate::Site;
use crate::client::{Failure, Read};
use crate::context::Ctx;
use crate::layout::{Page, describe, respond};
use crate::pages::{CARD, EVENT, cards, event_list};
use crate::vocab::Vocabulary;

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let document = format!(
        "query Organisation($slug: String!) {{
           organisation(slug: $slug) {{
             id name kind region city website description
             partOf {{ slug name }} parts {{ slug name }}
             initiatives(first: 50) {{ totalCount nodes {{ {CARD} }} }}
             events(first: 10) {{ nodes {{ {EVENT} }} }}
           }} }}"
    );
    let page = async {
        let data: Value = site.query(ctx.lang, &document, json!({ "slug": slug })).await?;
        let vocab = site.vocab(ctx.lang).await?;
        let Some(o) = data.get("organisation").filter(|o| !o.is_null()) else {
            return Err(Failure::NotFound);
        };
        let initiatives = o.get("initiatives").unwrap_or(&Value::Null);
        let events = o.get("events").map_or(&[][..], |e| e.list("nodes"));
        let place: Vec<&str> = [o.str_at("city"), vocab.label(Vocabulary::Region, o.str_at("region"))]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let body = html! {
            p.meta { (vocab.label(Vocabulary::OrganisationKind, o.str_at("kind"))) }
            h1 { (o.str_at("name")) }
            @if !o.str_at("description").is_empty() { p.lead { (o.str_at("description")) } }
            dl.facts {
                @if !place.is_empty() { dt { (ctx.t("Plaats", "Place")) } dd { (place.join(", ")) } }
                @if !o.str_at("website").is_empty() {
                    dt { (ctx.t("Website", "Website")) }
                    dd { a href=(o.str_at("website")) rel="noopener" { (o.str_at("website")) } }
                }
                @if let Some(p) = o.get("partOf").filter(|p| !p.is_null()) {
                    dt { (ctx.t("Onderdeel van", "Part of")) }
                    dd { a href=(ctx.href(&format!("/organisaties/{}", p.str_at("slug")))) { (p.str_at("name")) } }
                }
            }
            @if !o.list("parts").is_empty() {
                h2 { (ctx.t("Onderdelen", "Parts")) }
                ul { @for p in o.list("parts") {
                    li { a href=(ctx.href(&format!("/organisaties/{}", p.str_at("slug")))) { (p.str_at("name")) } }
                } }
            }
            h2 { (ctx.t("Initiatieven", "Initiatives")) " (" (initiatives.int("totalCount")) ")" }
            (cards(&ctx, &vocab, initiatives.list("nodes")))
            @if !events.is_empty() {
                h2 { (ctx.t("Evenementen", "Events")) }
                (event_list(&ctx, events))
            }
            p.meta { a href=(ctx.href(&format!("/analyse?organisatie={slug}"))) { (ctx.t("Bekijk de omgeving in de graaf", "See its neighbourhood in the graph")) } }
        };
        let description = if o.str_at("description").is_empty() {
            o.str_at("name").to_owned()
        } else {
            describe(o.str_at("description"))
        };
        Ok(Page::new(o.str_at("name"), description, body))
    }
    .await;
    respond(&ctx, page)
}
