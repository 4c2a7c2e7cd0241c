//! `/redactie`: what waits for an editor, oldest first with its age: submitted
//! initiatives (the longest waiting first, 25 to a page), submitted events (published or
//! archived right here), people asking to join an organisation, whom the editor grants or
//! refuses here (`POST /redactie/aanvragen`), and proposed organisations.

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
use crate::paging;
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    initiatives: Submitted,
    events: SubmittedEvents,
    accounts: Vec<Request>,
    organisation_proposals: Vec<Proposal>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Proposal {
    id: i64,
    name: String,
    kind: String,
    #[serde(deserialize_with = "nullable")]
    website: Option<String>,
    created_at: String,
    #[serde(deserialize_with = "nullable")]
    initiative: Option<Titled>,
}

#[derive(Debug, Deserialize)]
struct Titled {
    title: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubmittedEvents {
    total_count: i64,
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

/// Submissions on a page of the queue.
const PAGE_SIZE: u64 = 25;

/// Events shown, those that waited longest.
const EVENTS_SHOWN: i64 = 100;

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

const DOCUMENT: &str = "query Queue($first: Int!, $after: String) {
  initiatives(first: $first, after: $after, orderBy: LEAST_RECENTLY_UPDATED,
              filter: { statuses: [SUBMITTED] }) {
    totalCount
    nodes { id title updatedAt organisations { role organisation { name } } }
  }
  events(first: 100, filter: { statuses: [SUBMITTED] }) {
    totalCount
    nodes { id title startsAt version organisers { name } }
  }
  accounts(status: PENDING) { id name email createdAt requestedOrganisation { name } }
  organisationProposals { id name kind website createdAt initiative { title } } }";

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
    let page_no = paging::page_number(&ctx);
    let variables = json!({
        "first": PAGE_SIZE,
        "after": paging::cursor_before(page_no, PAGE_SIZE),
    });
    let data: Answer = match site.query_as(&v, ctx.lang, DOCUMENT, variables).await {
        Ok(d) => d,
        Err(f) => return private(render(&ctx, failure_page(&ctx, f))),
    };
    let pages = paging::pages(data.initiatives.total_count.max(0) as u64, PAGE_SIZE);
    let waiting = data.initiatives.total_count
        + data.events.total_count
        + data.accounts.len() as i64
        + data.organisation_proposals.len() as i64;
    let vocab = site.vocab(ctx.lang).await.ok();
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
                        @for i in &data.initiatives.nodes {
                            tr {
                                td { a href=(ctx.href(&format!("/redactie/{}", i.id))) { (i.title) } }
                                td { (i.organisations.iter().find(|o| o.role == "LEAD").map_or("", |o| o.organisation.name.as_str())) }
                                td { (age(&ctx, &i.updated_at)) }
                            }
                        }
                    }
                }
            }
            (paging::pager(&ctx, "/redactie", page_no, pages))
        }
        section.queue {
            h2 { (ctx.t("Ingediende evenementen", "Submitted events")) " (" (data.events.total_count) ")" }
            @if data.events.total_count > EVENTS_SHOWN {
                p { (ctx.t("Getoond: de 100 die het laatst beginnen.", "Shown: the 100 that start last.")) }
            }
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
        section.queue {
            h2 { (ctx.t("Voorgestelde organisaties", "Proposed organisations")) " (" (data.organisation_proposals.len()) ")" }
            @if data.organisation_proposals.is_empty() {
                p { (ctx.t("Geen voorstellen.", "No proposals.")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (ctx.t("Naam", "Name")) }
                        th scope="col" { (ctx.t("Soort", "Kind")) }
                        th scope="col" { (ctx.t("Voor", "For")) }
                        th scope="col" { (ctx.t("Wacht sinds", "Waiting for")) }
                        th scope="col" { (ctx.t("Besluit", "Decision")) }
                    } }
                    tbody {
                        @for p in &data.organisation_proposals {
                            tr {
                                td { (p.name) @if let Some(w) = &p.website { br; small { (w) } } }
                                td { (vocab.as_ref().map_or(p.kind.as_str(), |l| l.label(crate::vocab::Vocabulary::OrganisationKind, &p.kind))) }
                                td { (p.initiative.as_ref().map_or("—", |i| i.title.as_str())) }
                                td { (age(&ctx, &p.created_at)) }
                                td {
                                    form.inline method="post" action=(ctx.href("/redactie/voorstellen")) {
                                        input type="hidden" name="csrf" value=(v.csrf_token);
                                        input type="hidden" name="voorstel" value=(p.id);
                                        button type="submit" name="actie" value="aanmaken" { (ctx.t("Aanmaken", "Create")) }
                                        " "
                                        button.secondary type="submit" name="actie" value="weigeren" { (ctx.t("Weigeren", "Refuse")) }
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
    let posted = crate::posted::Posted::parse(&body);
    let get = |key: &str| posted.one(key);
    let Ok(account) = get("account").parse::<i64>() else {
        return bad_input(&ctx);
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
        _ => return bad_input(&ctx),
    };
    decide(&site, &ctx, &v, document, json!({ "a": account }), done).await
}

/// `POST /redactie/voorstellen`: creates or refuses one proposed organisation.
pub(crate) async fn post_proposal(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    body: Bytes,
) -> Response {
    let v = match editor(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let posted = crate::posted::Posted::parse(&body);
    let get = |key: &str| posted.one(key);
    let (Ok(id), Some((create, done))) = (
        get("voorstel").parse::<i64>(),
        match get("actie") {
            "aanmaken" => Some((true, "aangemaakt")),
            "weigeren" => Some((false, "afgewezen-voorstel")),
            _ => None,
        },
    ) else {
        return bad_input(&ctx);
    };
    decide(
        &site,
        &ctx,
        &v,
        "mutation Decide($id: Int!, $create: Boolean!) { decideOrganisationProposal(id: $id, create: $create) { outcome } }",
        json!({ "id": id, "create": create }),
        done,
    )
    .await
}

/// The page for a form the desk did not send as it is.
fn bad_input(ctx: &Ctx) -> Response {
    private(render(
        ctx,
        failure_page(ctx, Failure::BadInput(String::new())),
    ))
}

/// Runs an editor's decision as `v` and goes back to the queue with the notice `done`,
/// or shows why the API refused it.
async fn decide(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    document: &str,
    variables: Value,
    done: &str,
) -> Response {
    let r: Result<Value, Refusal> = site.run_as(v, ctx.lang, document, variables).await;
    match r {
        Ok(_) => {
            private(Redirect::to(&ctx.href(&format!("/redactie?melding={done}"))).into_response())
        }
        Err(r) => super::refused(ctx, r),
    }
}
