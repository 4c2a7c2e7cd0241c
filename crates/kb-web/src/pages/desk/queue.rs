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
    page_info: PageInfo,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    #[serde(deserialize_with = "nullable")]
    end_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
struct MoreAnswer {
    initiatives: Submitted,
}

/// How many submissions the queue shows: those that waited longest.
const SHOWN: usize = 100;

/// The pages of submissions after the first, most recently changed first, keeping the
/// [`SHOWN`] that waited longest (the queue is short; this reads at most 50 pages).
async fn longest_waiting(site: &Site, ctx: &Ctx, v: &Visitor, first: Submitted) -> Vec<Waiting> {
    let mut nodes = first.nodes;
    let mut page = first.page_info;
    for _ in 0..50 {
        let (true, Some(after)) = (page.has_next_page, page.end_cursor.clone()) else {
            break;
        };
        let more: Result<MoreAnswer, Failure> = site
            .query_as(v, ctx.lang, MORE, json!({ "after": after }))
            .await;
        let Ok(more) = more else { break };
        nodes.extend(more.initiatives.nodes);
        let drop = nodes.len().saturating_sub(SHOWN);
        nodes.drain(..drop);
        page = more.initiatives.page_info;
    }
    nodes
}

const MORE: &str = "query QueueMore($after: String) {
  initiatives(first: 100, after: $after, orderBy: RECENTLY_UPDATED, filter: { statuses: [SUBMITTED] }) {
    totalCount
    nodes { id title updatedAt organisations { role organisation { name } } }
    pageInfo { hasNextPage endCursor }
  } }";

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
    pageInfo { hasNextPage endCursor }
  }
  events(first: 100, filter: { statuses: [SUBMITTED] }) {
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
    let mut data: Answer = match site.query_as(&v, ctx.lang, DOCUMENT, json!({})).await {
        Ok(d) => d,
        Err(f) => return private(render(&ctx, failure_page(&ctx, f))),
    };
    let total = data.initiatives.total_count;
    let first = std::mem::replace(
        &mut data.initiatives,
        Submitted {
            total_count: total,
            nodes: Vec::new(),
            page_info: PageInfo {
                has_next_page: false,
                end_cursor: None,
            },
        },
    );
    data.initiatives.nodes = longest_waiting(&site, &ctx, &v, first).await;
    let waiting = data.initiatives.total_count
        + data.events.nodes.len() as i64
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
            @if data.initiatives.total_count > SHOWN as i64 {
                p { (ctx.t("Hieronder de 100 die het langst wachten.", "Below, the 100 that have waited longest.")) }
            }
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
        Err(r) => super::refused(&ctx, r),
    }
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
        return private(render(
            &ctx,
            failure_page(&ctx, Failure::BadInput(String::new())),
        ));
    };
    let r: Result<Value, Refusal> = site
        .run_as(
            &v,
            ctx.lang,
            "mutation Decide($id: Int!, $create: Boolean!) { decideOrganisationProposal(id: $id, create: $create) { outcome } }",
            json!({ "id": id, "create": create }),
        )
        .await;
    match r {
        Ok(_) => {
            private(Redirect::to(&ctx.href(&format!("/redactie?melding={done}"))).into_response())
        }
        Err(r) => super::refused(&ctx, r),
    }
}
