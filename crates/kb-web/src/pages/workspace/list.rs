//! `/mijn-initiatieven`: the initiatives of the person's organisation, most recently
//! changed first, 25 to a page, all of them or those of one status (draft, submitted,
//! rejected with the editors' reason, published, archived: `?status=concept`), with the
//! count of each status; each with who changed it last and when; and its events with
//! their status. The API decides what the person may see.

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
use crate::paging;
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
struct Answer {
    draft: Count,
    submitted: Count,
    rejected: Count,
    published: Count,
    archived: Count,
    initiatives: Listed,
    events: Events,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Count {
    total_count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Events {
    total_count: u64,
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
    total_count: u64,
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

/// The statuses in the order the page offers them, with their value in the address.
const STATUSES: [(&str, &str); 5] = [
    ("DRAFT", "concept"),
    ("SUBMITTED", "ingediend"),
    ("REJECTED", "afgewezen"),
    ("PUBLISHED", "gepubliceerd"),
    ("ARCHIVED", "gearchiveerd"),
];

/// Initiatives on a page of the list.
const PAGE_SIZE: u64 = 25;

/// Events shown, the most recently changed.
const EVENTS_SHOWN: u64 = 25;

/// The counts per status, the page of the chosen status (or all), and the events. Counts
/// ask for no rows; the page loads only its own.
const DOCUMENT: &str = "query Mine($organisations: [ID!], $statuses: [InitiativeStatus!],
                       $first: Int!, $after: String, $events: Int!) {
  draft: initiatives(first: 0, filter: { organisations: $organisations, statuses: [DRAFT] }) { totalCount }
  submitted: initiatives(first: 0, filter: { organisations: $organisations, statuses: [SUBMITTED] }) { totalCount }
  rejected: initiatives(first: 0, filter: { organisations: $organisations, statuses: [REJECTED] }) { totalCount }
  published: initiatives(first: 0, filter: { organisations: $organisations, statuses: [PUBLISHED] }) { totalCount }
  archived: initiatives(first: 0, filter: { organisations: $organisations, statuses: [ARCHIVED] }) { totalCount }
  initiatives(first: $first, after: $after, orderBy: RECENTLY_UPDATED,
              filter: { organisations: $organisations, statuses: $statuses }) {
    totalCount
    nodes { id title status updatedAt rejectionReason lastChange { actor at } }
  }
  events(first: $events, filter: { organisations: $organisations,
                                   statuses: [DRAFT, SUBMITTED, REJECTED, PUBLISHED, ARCHIVED] }) {
    totalCount
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
    // The status the address asks for; all of them otherwise.
    let chosen = ctx
        .param("status")
        .and_then(|c| STATUSES.iter().find(|(_, slug)| *slug == c));
    let statuses: Vec<&str> = match chosen {
        Some((status, _)) => vec![status],
        None => STATUSES.iter().map(|(s, _)| *s).collect(),
    };
    let page_no = paging::page_number(ctx);
    let data: Answer = site
        .query_as(
            v,
            ctx.lang,
            DOCUMENT,
            json!({
                "organisations": [organisation],
                "statuses": statuses,
                "first": PAGE_SIZE,
                "after": paging::cursor_before(page_no, PAGE_SIZE),
                "events": EVENTS_SHOWN,
            }),
        )
        .await?;
    let counts = [
        data.draft.total_count,
        data.submitted.total_count,
        data.rejected.total_count,
        data.published.total_count,
        data.archived.total_count,
    ];
    let all: u64 = counts.iter().sum();
    let list = &data.initiatives;
    let pages = paging::pages(list.total_count, PAGE_SIZE);
    let link = |slug: Option<&str>| {
        ctx.href(&match slug {
            Some(s) => format!("/mijn-initiatieven?status={s}"),
            None => "/mijn-initiatieven".to_owned(),
        })
    };
    let current = |here: bool| here.then_some("page");
    let body = html! {
        h1 { (title) }
        (notice_box(ctx))
        p { a.button href=(ctx.href("/mijn-initiatieven/nieuw")) { (ctx.t("Nieuw initiatief delen", "Share a new initiative")) } }
        @if all == 0 {
            p { (ctx.t("Uw organisatie heeft nog geen initiatieven gedeeld.", "Your organisation has not shared any initiatives yet.")) }
        } @else {
            nav.statuses aria-label=(ctx.t("Initiatieven per status", "Initiatives by status")) {
                ul {
                    li { a href=(link(None)) aria-current=[current(chosen.is_none())] { (ctx.t("Alle", "All")) " (" (all) ")" } }
                    @for ((status, slug), count) in STATUSES.iter().zip(counts) {
                        li { a href=(link(Some(slug))) aria-current=[current(chosen.is_some_and(|(s, _)| s == status))] { (status_label(ctx, status)) " (" (count) ")" } }
                    }
                }
            }
            section.mine {
                h2 {
                    (chosen.map_or(ctx.t("Alle initiatieven", "All initiatives"), |(s, _)| status_label(ctx, s)))
                    " (" (list.total_count) ")"
                }
                @if list.nodes.is_empty() {
                    p { (ctx.t("Geen initiatieven met deze status.", "No initiatives with this status.")) }
                } @else {
                    table {
                        caption.visually-hidden { (ctx.t("Laatst gewijzigd bovenaan", "Most recently changed first")) }
                        thead { tr {
                            th scope="col" { (ctx.t("Titel", "Title")) }
                            th scope="col" { (ctx.t("Status", "Status")) }
                            th scope="col" { (ctx.t("Laatst gewijzigd door", "Last changed by")) }
                            th scope="col" { (ctx.t("Wanneer", "When")) }
                        } }
                        tbody {
                            @for i in &list.nodes {
                                tr {
                                    td {
                                        a href=(ctx.href(&format!("/mijn-initiatieven/{}", i.id))) { (i.title) }
                                        @if let Some(r) = i.rejection_reason.as_ref().filter(|_| matches!(i.status.as_str(), "REJECTED" | "DRAFT")) {
                                            p.reason {
                                                (if i.status == "REJECTED" { ctx.t("Reden: ", "Reason: ") } else { ctx.t("Toelichting van de redactie: ", "Editors' note: ") })
                                                (r)
                                            }
                                        }
                                    }
                                    td { (status_label(ctx, &i.status)) }
                                    td { (i.last_change.as_ref().map_or("", |c| c.actor.as_str())) }
                                    td { (dates::date_time(i.last_change.as_ref().map_or(&i.updated_at, |c| &c.at), ctx.lang)) }
                                }
                            }
                        }
                    }
                }
                (paging::pager(ctx, "/mijn-initiatieven", page_no, pages))
            }
        }
        @if !data.events.nodes.is_empty() {
            section.mine {
                h2 { (ctx.t("Evenementen", "Events")) " (" (data.events.total_count) ")" }
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
                @if data.events.total_count > EVENTS_SHOWN {
                    p { (ctx.t("De 25 meest recente evenementen worden getoond.", "The 25 most recent events are shown.")) }
                }
            }
        }
    };
    Ok(Page::new(title, "", body))
}
