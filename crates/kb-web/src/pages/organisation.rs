//! An organisation: what it is, where it belongs, its initiatives and events.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::layout::{Page, describe, respond};
use crate::pages::{CARD, Card, Counted, EVENT, EventCard, Named, Nodes, cards, event_list};
use crate::vocab::Vocabulary;

#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(deserialize_with = "nullable")]
    organisation: Option<Organisation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Organisation {
    name: String,
    kind: String,
    #[serde(deserialize_with = "nullable")]
    region: Option<String>,
    #[serde(deserialize_with = "nullable")]
    city: Option<String>,
    #[serde(deserialize_with = "nullable")]
    website: Option<String>,
    description: String,
    #[serde(deserialize_with = "nullable")]
    part_of: Option<Named>,
    parts: Vec<Named>,
    initiatives: Counted<Card>,
    events: Nodes<EventCard>,
}

pub(crate) async fn page(State(site): State<Site>, ctx: Ctx, Path(slug): Path<String>) -> Response {
    let document = format!(
        "query Organisation($slug: String!) {{
           organisation(slug: $slug) {{
             name kind region city website description
             partOf {{ slug name }} parts {{ slug name }}
             initiatives(first: 50) {{ totalCount nodes {{ {CARD} }} }}
             events(first: 10) {{ nodes {{ {EVENT} }} }}
           }} }}"
    );
    let page = async {
        let data: Answer = site.query(ctx.lang, &document, json!({ "slug": slug })).await?;
        let vocab = site.vocab(ctx.lang).await?;
        let Some(o) = data.organisation else {
            return Err(Failure::NotFound);
        };
        let website = o.website.as_deref().unwrap_or_default();
        let place: Vec<&str> = [
            o.city.as_deref().unwrap_or_default(),
            vocab.label(Vocabulary::Region, o.region.as_deref().unwrap_or_default()),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        let body = html! {
            p.meta { (vocab.label(Vocabulary::OrganisationKind, &o.kind)) }
            h1 { (o.name) }
            @if !o.description.is_empty() { p.lead { (o.description) } }
            dl.facts {
                @if !place.is_empty() { dt { (ctx.t("Plaats", "Place")) } dd { (place.join(", ")) } }
                @if !website.is_empty() {
                    dt { (ctx.t("Website", "Website")) }
                    dd { a href=(website) rel="noopener" { (website) } }
                }
                @if let Some(p) = &o.part_of {
                    dt { (ctx.t("Onderdeel van", "Part of")) }
                    dd { a href=(ctx.href(&format!("/organisaties/{}", p.slug))) { (p.name) } }
                }
            }
            @if !o.parts.is_empty() {
                h2 { (ctx.t("Onderdelen", "Parts")) }
                ul { @for p in &o.parts {
                    li { a href=(ctx.href(&format!("/organisaties/{}", p.slug))) { (p.name) } }
                } }
            }
            h2 { (ctx.t("Initiatieven", "Initiatives")) " (" (o.initiatives.total_count) ")" }
            (cards(&ctx, &vocab, &o.initiatives.nodes))
            @if !o.events.nodes.is_empty() {
                h2 { (ctx.t("Evenementen", "Events")) }
                (event_list(&ctx, &o.events.nodes))
            }
            p.meta { a href=(ctx.href(&format!("/analyse?organisatie={slug}"))) { (ctx.t("Bekijk de omgeving in de graaf", "See its neighbourhood in the graph")) } }
        };
        let description = if o.description.is_empty() {
            o.name.clone()
        } else {
            describe(&o.description)
        };
        Ok(Page::new(o.name, description, body))
    }
    .await;
    respond(&ctx, page)
}
