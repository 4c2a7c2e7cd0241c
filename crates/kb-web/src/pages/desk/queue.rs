//! `/redactie`: what waits for an editor, oldest first with its age: submitted
//! initiatives, submitted events (published or archived right here) and people asking to join an organisation, whom the editor grants or
//! refuses here (`POST /redactie/aanvragen`).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::client::{Failure, Refusal, nullable};
use crate::context::Ctx;
use crate::layout::{Page, failure_page, render};
use crate::pages::workspace::{age, is_editor, menu, notice_box, private, signed_in};
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
struct Answer {
    initiatives: Submitted,
    events: SubmittedEvents,
    accounts: Vec<Request>,
}

#[derive(Debug, Deserialize)]
struct SubmittedEvents {
    nodes: Vec<WaitingEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WaitingEvent {
    id: String,
    title: String,
    starts_at: String,
    version: i64,
    organisers: Vec<Name>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Submitted {
    total_count: i64,
    nodes: Vec<Waiting>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Waiting {
    id: String,
    title: String,
    updated_at: String,
    organisations: Vec<Involved>,
}

#[derive(Debug, Deserialize)]
struct Involved {
    role: String,
    organisation: Name,
}

#[derive(Debug, Deserialize)]
struct Name {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    id: i64,
    name: String,
    #[serde(deserialize_with = "nullable")]
    email: Option<String>,
    created_at: String,
    #[serde(deserialize_with = "nullable")]
    requested_organisation: Option<Name>,
}

const DOCUMENT: &str = "query Queue {
  initiatives(first: 100, orderBy: RECENTLY_UPDATED, filter: { statuses: [SUBMITTED] }) {
    totalCount
    nodes { id title updatedAt organisations { role organisation { name } } }
  }
  events(first: 100, filter: { statuses: [SUBMITTED] }) {
    nodes { id title startsAt version organisers { name } }
  }
  accounts(status: PENDING) { id name email createdAt requestedOrganisation { name } } }";

/// The editor, or the answer for anyone else: sign in first, or 403.
pub(crate) fn editor(
    ctx: &Ctx,
    visitor: Option<Extension<Visitor>>,
) -> Result<Visitor, Box<Response>> {
    let v = signed_in(ctx, visitor)?;
    if !is_editor(&v) {
        let mut page = failure_page(ctx, Failure::NotFound);
        page.status = StatusCode::FORBIDDEN;
        page.title = ctx.t("Alleen voor redacteuren", "Editors only").to_owned();
        return Err(Box::new(private(render(ctx, page))));
    }
    Ok(v)
}

pub(crate) async fn page(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
) -> Response {
    let v = match editor(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let data: Answer = match site.query_as(&v, ctx.lang, DOCUMENT, json!({})).await {
        Ok(d) => d,
        Err(f) => return private(render(&ctx, failure_page(&ctx, f))),
    };
    let waiting =
        data.initiatives.total_count + data.events.nodes.len() as i64 + data.accounts.len() as i64;
    let title = ctx.t("Redactie", "Editors' desk");
    let body = html! {
        h1 { (title) }
        (notice_box(&ctx))
        p { (waiting) " " (ctx.t("wachten op een redacteur.", "waiting for an editor.")) }
        section.queue {
            h2 { (ctx.t("Ingediende initiatieven", "Submitted initiatives")) " (" (data.initiatives.total_count) ")" }
            @if data.initiatives.nodes.is_empty() {
                p { (ctx.t("Niets te beoordelen.", "Nothing to review.")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (ctx.t("Titel", "Title")) }
                        th scope="col" { (ctx.t("Organisatie", "Organisation")) }
                        th scope="col" { (ctx.t("Wacht sinds", "Waiting for")) }
                    } }
                    tbody {
                        // Oldest first: the API lists the most recently changed first.
                        @for i in data.initiatives.nodes.iter().rev() {
                            tr {
                                td { a href=(ctx.href(&format!("/redactie/{}", i.id))) { (i.title) } }
                                td { (i.organisations.iter().find(|o| o.role == "LEAD").map_or("", |o| o.organisation.name.as_str())) }
                                td { (age(&ctx, &i.updated_at)) }
                            }
                        }
                    }
                }
            }
        }
        section.queue {
            h2 { (ctx.t("Ingediende evenementen", "Submitted events")) " (" (data.events.nodes.len()) ")" }
            @if data.events.nodes.is_empty() {
                p { (ctx.t("Niets te beoordelen.", "Nothing to review.")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (ctx.t("Titel", "Title")) }
                        th scope="col" { (ctx.t("Organisator", "Organiser")) }
                        th scope="col" { (ctx.t("Begint", "Starts")) }
                        th scope="col" { (ctx.t("Besluit", "Decision")) }
                    } }
                    tbody {
                        @for e in data.events.nodes.iter().rev() {
                            tr {
                                td { (e.title) }
                                td { (e.organisers.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")) }
                                td { (crate::dates::date_time(&e.starts_at, ctx.lang)) }
                                td {
                                    form.inline method="post" action=(ctx.href(&format!("/redactie/{}", e.id))) {
                                        input type="hidden" name="csrf" value=(v.csrf_token);
                                        input type="hidden" name="version" value=(e.version);
                                        button type="submit" name="actie" value="publiceren" { (ctx.t("Publiceren", "Publish")) }
                                        " "
                                        button.secondary type="submit" name="actie" value="archiveren" { (ctx.t("Archiveren", "Archive")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.queue {
            h2 { (ctx.t("Aanvragen van accounts", "Account requests")) " (" (data.accounts.len()) ")" }
            @if data.accounts.is_empty() {
                p { (ctx.t("Geen aanvragen.", "No requests.")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (ctx.t("Naam", "Name")) }
                        th scope="col" { (ctx.t("Wil lid worden van", "Asks to join")) }
                        th scope="col" { (ctx.t("Wacht sinds", "Waiting for")) }
                        th scope="col" { (ctx.t("Besluit", "Decision")) }
                    } }
                    tbody {
                        @for a in data.accounts.iter().rev() {
                            tr {
                                td { (a.name) @if let Some(e) = &a.email { br; small { (e) } } }
                                td { (a.requested_organisation.as_ref().map_or("—", |o| o.name.as_str())) }
                                td { (age(&ctx, &a.created_at)) }
                                td {
                                    form.inline method="post" action=(ctx.href("/redactie/aanvragen")) {
                                        input type="hidden" name="csrf" value=(v.csrf_token);
                                        input type="hidden" name="account" value=(a.id);
                                        button type="submit" name="actie" value="toekennen" { (ctx.t("Toekennen", "Grant")) }
                                        " "
                                        button type="submit" name="actie" value="weigeren" { (ctx.t("Weigeren", "Refuse")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut page = Page::new(title, "", body);
    page.personal = Some(menu(&ctx, &v, Some(waiting)));
    private(render(&ctx, page))
}

/// `POST /redactie/aanvragen`: grants or refuses one account request.
pub(crate) async fn post_account(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    body: Bytes,
) -> Response {
    let v = match editor(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    };
    let Ok(account) = get("account").parse::<i64>() else {
        return private(render(
            &ctx,
            failure_page(&ctx, Failure::BadInput(String::new())),
        ));
    };
    let (document, done) = match get("actie") {
        "toekennen" => (
            "mutation Grant($a: Int!) { grantAccount(account: $a) { account { id } } }",
            "toegekend",
        ),
        "weigeren" => (
            "mutation Refuse($a: Int!) { refuseAccount(account: $a) { account { id } } }",
            "geweigerd",
        ),
        _ => {
            return private(render(
                &ctx,
                failure_page(&ctx, Failure::BadInput(String::new())),
            ));
        }
    };
    let r: Result<Value, Refusal> = site
        .run_as(&v, ctx.lang, document, json!({ "a": account }))
        .await;
    match r {
        Ok(_) => {
            private(Redirect::to(&ctx.href(&format!("/redactie?melding={done}"))).into_response())
        }
        Err(r) => {
            let failure = match r.code.as_str() {
                "NOT_FOUND" => Failure::NotFound,
                "BAD_USER_INPUT" | "CONFLICT" => Failure::BadInput(r.message),
                "UNAVAILABLE" => Failure::Unavailable,
                _ => Failure::Internal,
            };
            private(render(&ctx, failure_page(&ctx, failure)))
        }
    }
}
