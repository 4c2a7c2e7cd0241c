//! `/mijn-initiatieven`: the initiatives of the person's organisation, by status (draft,
//! submitted, rejected with the editors' reason, published, archived), each with who
//! changed it last and when, and its events by status. The API decides what the person
//! may see.

use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use super::{menu, notice_box, private, signed_in, status_label};
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::dates;
use crate::layout::{Page, failure_page, render};
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
struct Answer {
    initiatives: Listed,
    events: Events,
}

#[derive(Debug, Deserialize)]
struct Events {
    nodes: Vec<OurEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OurEvent {
    slug: String,
    title: String,
    status: String,
    starts_at: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Listed {
    total_count: i64,
    nodes: Vec<Mine>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Mine {
    id: String,
    title: String,
    status: String,
    updated_at: String,
    #[serde(deserialize_with = "nullable")]
    rejection_reason: Option<String>,
    #[serde(deserialize_with = "nullable")]
    last_change: Option<Change>,
}

#[derive(Debug, Deserialize)]
struct Change {
    actor: String,
    at: String,
}

/// The statuses in the order the page lists them.
const STATUSES: [&str; 5] = ["DRAFT", "SUBMITTED", "REJECTED", "PUBLISHED", "ARCHIVED"];

const DOCUMENT: &str = "query Mine($organisations: [ID!]) {
  initiatives(first: 100, orderBy: RECENTLY_UPDATED,
              filter: { organisations: $organisations,
                        statuses: [DRAFT, SUBMITTED, REJECTED, PUBLISHED, ARCHIVED] }) {
    totalCount
    nodes { id title status updatedAt rejectionReason lastChange { actor at } }
  }
  events(first: 100, filter: { organisations: $organisations,
                               statuses: [DRAFT, SUBMITTED, REJECTED, PUBLISHED, ARCHIVED] }) {
    nodes { slug title status startsAt }
  } }";

pub(crate) async fn page(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
) -> Response {
    let v = match signed_in(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let mut page = match build(&site, &ctx, &v).await {
        Ok(p) => p,
        Err(f) => failure_page(&ctx, f),
    };
    let queue = if super::is_editor(&v) {
        crate::pages::desk::queue_count(&site, &ctx, &v).await
    } else {
        None
    };
    page.personal = Some(menu(&ctx, &v, queue));
    private(render(&ctx, page))
}

async fn build(site: &Site, ctx: &Ctx, v: &Visitor) -> Result<Page, Failure> {
    let title = ctx.t("Mijn initiatieven", "My initiatives");
    let Some(organisation) = &v.organisation else {
        let body = html! {
            h1 { (title) }
            p {
                (ctx.t(
                    "Uw account hoort nog niet bij een organisatie. Een redacteur koppelt het; daarna deelt u hier de initiatieven van uw organisatie.",
                    "Your account does not belong to an organisation yet. An editor links it; then you share your organisation's initiatives here.",
                ))
            }
        };
        return Ok(Page::new(title, "", body));
    };
    let data: Answer = site
        .query_as(
            v,
            ctx.lang,
            DOCUMENT,
            json!({ "organisations": [organisation] }),
        )
        .await?;
    let list = &data.initiatives;
    let body = html! {
        h1 { (title) }
        (notice_box(ctx))
        p { a.button href=(ctx.href("/mijn-initiatieven/nieuw")) { (ctx.t("Nieuw initiatief delen", "Share a new initiative")) } }
        @if list.total_count == 0 {
            p { (ctx.t("Uw organisatie heeft nog geen initiatieven gedeeld.", "Your organisation has not shared any initiatives yet.")) }
        }
        @for status in STATUSES {
            @let items: Vec<&Mine> = list.nodes.iter().filter(|i| i.status == status).collect();
            @if !items.is_empty() {
                section.mine {
                    h2 { (status_label(ctx, status)) " (" (items.len()) ")" }
                    table {
                        thead { tr {
                            th scope="col" { (ctx.t("Titel", "Title")) }
                            th scope="col" { (ctx.t("Laatst gewijzigd door", "Last changed by")) }
                            th scope="col" { (ctx.t("Wanneer", "When")) }
                        } }
                        tbody {
                            @for i in items {
                                tr {
                                    td {
                                        a href=(ctx.href(&format!("/mijn-initiatieven/{}", i.id))) { (i.title) }
                                        @if let Some(r) = i.rejection_reason.as_ref().filter(|_| matches!(status, "REJECTED" | "DRAFT")) {
                                            p.reason {
                                                (if status == "REJECTED" { ctx.t("Reden: ", "Reason: ") } else { ctx.t("Toelichting van de redactie: ", "Editors' note: ") })
                                                (r)
                                            }
                                        }
                                    }
                                    td { (i.last_change.as_ref().map_or("", |c| c.actor.as_str())) }
                                    td { (dates::date_time(i.last_change.as_ref().map_or(&i.updated_at, |c| &c.at), ctx.lang)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !data.events.nodes.is_empty() {
            section.mine {
                h2 { (ctx.t("Evenementen", "Events")) " (" (data.events.nodes.len()) ")" }
                table {
                    thead { tr {
                        th scope="col" { (ctx.t("Titel", "Title")) }
                        th scope="col" { (ctx.t("Status", "Status")) }
                        th scope="col" { (ctx.t("Begint", "Starts")) }
                    } }
                    tbody {
                        @for e in &data.events.nodes {
                            tr {
                                td {
                                    @if e.status == "PUBLISHED" {
                                        a href=(ctx.href(&format!("/evenementen/{}", e.slug))) { (e.title) }
                                    } @else { (e.title) }
                                }
                                td { (status_label(ctx, &e.status)) }
                                td { (dates::date_time(&e.starts_at, ctx.lang)) }
                            }
                        }
                    }
                }
            }
        }
        @if list.total_count > 100 {
            p { (ctx.t("De 100 laatst gewijzigde worden getoond.", "The 100 most recently changed are shown.")) }
        }
    };
    Ok(Page::new(title, "", body))
}
