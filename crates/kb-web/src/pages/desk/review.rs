//! `/redactie/{id}`: one initiative under review: field by field beside its last
//! published version (a new one whole), its revision history, and the decisions an
//! editor takes on it (`POST`): publish, reject with a required reason, send back with a
//! note, archive, restore. Editing goes through the contributors' form.

use std::collections::HashMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kb_domain::GlobalId;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

use super::queue::editor;
use crate::client::{Failure, Refusal, nullable};
use crate::context::Ctx;
use crate::dates;
use crate::layout::{Page, failure_page, render};
use crate::pages::workspace::{Snapshot, menu, notice_box, private, status_label};
use crate::vocab::{Vocab, Vocabulary, language_name};
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(deserialize_with = "nullable")]
    initiative: Option<UnderReview>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnderReview {
    id: String,
    slug: String,
    title: String,
    status: String,
    version: i64,
    #[serde(deserialize_with = "nullable")]
    rejection_reason: Option<String>,
    organisations: Vec<Involved>,
    #[serde(deserialize_with = "nullable")]
    revisions: Option<Vec<Rev>>,
}

#[derive(Debug, Deserialize)]
struct Involved {
    organisation: Org,
}

#[derive(Debug, Deserialize)]
struct Org {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct Rev {
    kind: String,
    actor: String,
    at: String,
    version: i64,
    #[serde(deserialize_with = "nullable")]
    after: Option<Snapshot>,
}

#[derive(Debug, Deserialize)]
struct Terms {
    themes: Vec<Term>,
    topics: Vec<Term>,
}

#[derive(Debug, Deserialize)]
struct Term {
    code: String,
    label: String,
}

const DOCUMENT: &str = "query Review($id: ID!) {
  initiative(id: $id) {
    id slug title status version rejectionReason
    organisations { organisation { id name } }
    revisions { kind actor at version after }
  }
  }";

/// What a field's stored value reads as for a person: labels for codes and names for
/// organisations.
struct Labels {
    vocab: std::sync::Arc<Vocab>,
    terms: HashMap<String, String>,
    organisations: HashMap<i64, String>,
    en: bool,
}

impl Labels {
    fn show(&self, snapshot: &Snapshot, field: &str) -> String {
        let vocabulary = match field {
            "kind" => Some(Vocabulary::InitiativeKind),
            "target_groups" => Some(Vocabulary::TargetGroup),
            "education_levels" => Some(Vocabulary::EducationLevel),
            "format" => Some(Vocabulary::Format),
            "cost" => Some(Vocabulary::Cost),
            "prevention_level" => Some(Vocabulary::PreventionLevel),
            "evidence_level" => Some(Vocabulary::EvidenceLevel),
            "region" => Some(Vocabulary::Region),
            _ => None,
        };
        let value = snapshot.0.get(field);
        let strings = |v: Option<&Value>| -> Vec<String> {
            match v {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
                _ => Vec::new(),
            }
        };
        if let Some(kind) = vocabulary {
            return strings(value)
                .iter()
                .map(|c| self.vocab.label(kind, &c.to_ascii_uppercase()).to_owned())
                .collect::<Vec<_>>()
                .join(", ");
        }
        match field {
            "themes" | "topics" => strings(value)
                .iter()
                .map(|c| self.terms.get(c).cloned().unwrap_or_else(|| c.clone()))
                .collect::<Vec<_>>()
                .join(", "),
            "languages" => strings(value)
                .iter()
                .map(|c| language_name(c, self.en))
                .collect::<Vec<_>>()
                .join(", "),
            "organisations" => match value {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(|pair| {
                        let id = pair.get(0)?.as_i64()?;
                        let role = pair.get(1)?.as_str()?;
                        let name = self
                            .organisations
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| format!("#{id}"));
                        Some(format!("{name} ({})", role.to_ascii_lowercase()))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => String::new(),
            },
            _ => snapshot.text(field),
        }
    }
}

fn action_label(ctx: &Ctx, kind: &str) -> &'static str {
    match kind {
        "CREATE" => ctx.t("aangemaakt", "created"),
        "UPDATE" => ctx.t("gewijzigd", "changed"),
        "SUBMIT" => ctx.t("ingediend", "submitted"),
        "WITHDRAW" => ctx.t("teruggetrokken", "withdrawn"),
        "PUBLISH" => ctx.t("gepubliceerd", "published"),
        "REJECT" => ctx.t("afgewezen", "rejected"),
        "SEND_BACK" => ctx.t("teruggestuurd", "sent back"),
        "ARCHIVE" => ctx.t("gearchiveerd", "archived"),
        "RESTORE" => ctx.t("teruggezet", "restored"),
        _ => ctx.t("geïmporteerd", "imported"),
    }
}

pub(crate) async fn page(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    Path(id): Path<String>,
) -> Response {
    let v = match editor(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    show(&site, &ctx, &v, &id, None, StatusCode::OK).await
}

/// The review page, with a refused decision's message when there is one.
async fn show(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    id: &str,
    error: Option<(String, String)>,
    status: StatusCode,
) -> Response {
    match build(site, ctx, v, id, error).await {
        Ok(mut page) => {
            page.status = status;
            let queue = super::queue_count(site, ctx, v).await;
            page.personal = Some(menu(ctx, v, queue));
            private(render(ctx, page))
        }
        Err(f) => private(render(ctx, failure_page(ctx, f))),
    }
}

async fn build(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    id: &str,
    error: Option<(String, String)>,
) -> Result<Page, Failure> {
    let data: Answer = site
        .query_as(v, ctx.lang, DOCUMENT, json!({ "id": id }))
        .await?;
    let i = data.initiative.ok_or(Failure::NotFound)?;
    let terms: Terms = site
        .query(
            ctx.lang,
            "query Terms { themes { code label } topics { code label } }",
            json!({}),
        )
        .await?;
    let labels = Labels {
        vocab: site.vocab(ctx.lang).await?,
        terms: terms
            .themes
            .into_iter()
            .chain(terms.topics)
            .map(|t| (t.code, t.label))
            .collect(),
        organisations: i
            .organisations
            .iter()
            .filter_map(|o| {
                GlobalId::decode("id", &o.organisation.id)
                    .ok()
                    .map(|g| (g.id, o.organisation.name.clone()))
            })
            .collect(),
        en: ctx.en(),
    };
    // Newest first.
    let revisions = i.revisions.unwrap_or_default();
    let now = revisions
        .iter()
        .find_map(|r| r.after.clone())
        .unwrap_or_default();
    // The last published version before the newest revision.
    let published = revisions
        .iter()
        .skip(1)
        .filter_map(|r| r.after.as_ref())
        .find(|a| a.text("status") == "published")
        .cloned();
    let body = html! {
        p.crumbs { a href=(ctx.href("/redactie")) { (ctx.t("Redactie", "Editors' desk")) } }
        h1 { (i.title) }
        (notice_box(ctx))
        p.status {
            (ctx.t("Status: ", "Status: ")) strong { (status_label(ctx, &i.status)) }
            " · " a href=(ctx.href(&format!("/mijn-initiatieven/{}", i.id))) { (ctx.t("Bewerken", "Edit")) }
            " · " a href=(ctx.href(&format!("/mijn-initiatieven/{}/voorbeeld", i.id))) { (ctx.t("Voorbeeld", "Preview")) }
            @if i.status == "PUBLISHED" {
                " · " a href=(ctx.href(&format!("/initiatieven/{}", i.slug))) { (ctx.t("Openbare pagina", "Public page")) }
            }
        }
        @if let Some(r) = &i.rejection_reason {
            div.notice.warning { p { strong { (ctx.t("Reden of toelichting: ", "Reason or note: ")) } (r) } }
        }
        (comparison(ctx, &labels, published.as_ref(), &now))
        (decisions(ctx, v, &i.id, i.version, &i.status, error.as_ref()))
        section.history {
            h2 { (ctx.t("Geschiedenis", "History")) }
            ul {
                @for r in &revisions {
                    li {
                        (dates::date_time(&r.at, ctx.lang)) ": "
                        (action_label(ctx, &r.kind)) " " (ctx.t("door", "by")) " " (r.actor)
                        " (" (ctx.t("versie", "version")) " " (r.version) ")"
                    }
                }
            }
        }
    };
    Ok(Page::new(
        format!("{}: {}", ctx.t("Beoordelen", "Review"), i.title),
        "",
        body,
    ))
}

/// The submission beside its last published version, field by field; a new one whole.
fn comparison(ctx: &Ctx, labels: &Labels, published: Option<&Snapshot>, now: &Snapshot) -> Markup {
    html! {
        section.compare {
            @match published {
                Some(before) => {
                    h2 { (ctx.t("Wijzigingen ten opzichte van de gepubliceerde versie", "Changes against the published version")) }
                    @let changed = before.changed(now);
                    p { (changed.len()) " " (ctx.t("velden gewijzigd.", "fields changed.")) }
                    table.diff {
                        thead { tr {
                            th scope="col" { (ctx.t("Veld", "Field")) }
                            th scope="col" { (ctx.t("Gepubliceerd", "Published")) }
                            th scope="col" { (ctx.t("Nu", "Now")) }
                        } }
                        tbody {
                            @for (field, nl, en) in Snapshot::FIELDS {
                                @let differs = changed.contains(&field);
                                tr.changed[differs] {
                                    th scope="row" {
                                        (ctx.t(nl, en))
                                        @if differs { " " span.badge { (ctx.t("gewijzigd", "changed")) } }
                                    }
                                    td { (labels.show(before, field)) }
                                    td { (labels.show(now, field)) }
                                }
                            }
                        }
                    }
                }
                None => {
                    h2 { (ctx.t("Nieuw initiatief", "New initiative")) }
                    dl.whole {
                        @for (field, nl, en) in Snapshot::FIELDS {
                            dt { (ctx.t(nl, en)) }
                            dd { (labels.show(now, field)) }
                        }
                    }
                }
            }
        }
    }
}

/// The decisions the status allows, each its own form.
fn decisions(
    ctx: &Ctx,
    v: &Visitor,
    id: &str,
    version: i64,
    status: &str,
    error: Option<&(String, String)>,
) -> Markup {
    let action = ctx.href(&format!("/redactie/{id}"));
    let hidden = html! {
        input type="hidden" name="csrf" value=(v.csrf_token);
        input type="hidden" name="version" value=(version);
    };
    let error_for = |which: &str| error.filter(|(w, _)| w == which).map(|(_, m)| m.clone());
    html! {
        section.decide {
            h2 { (ctx.t("Besluit", "Decision")) }
            @if let Some((_, m)) = error.filter(|(w, _)| w == "algemeen") {
                div.error-summary role="alert" { p { (m) } }
            }
            @if matches!(status, "SUBMITTED" | "DRAFT") {
                form method="post" action=(action) {
                    (hidden)
                    button type="submit" name="actie" value="publiceren" { (ctx.t("Publiceren", "Publish")) }
                }
            }
            @if status == "SUBMITTED" {
                @for (which, label_nl, label_en, hint_nl, hint_en, button_nl, button_en) in [
                    ("afwijzen", "Reden van afwijzing", "Reason for rejection",
                     "Verplicht, 10 tot 2.000 tekens. De indieners lezen dit.",
                     "Required, 10 to 2,000 characters. The authors read this.",
                     "Afwijzen", "Reject"),
                    ("terugsturen", "Wat moet er anders?", "What should change?",
                     "Verplicht, 10 tot 2.000 tekens. Het wordt weer een concept dat de indieners aanpassen.",
                     "Required, 10 to 2,000 characters. It becomes a draft again for the authors to change.",
                     "Terugsturen", "Send back"),
                ] {
                    @let field = format!("reden-{which}");
                    @let err = error_for(which);
                    form method="post" action=(action) {
                        (hidden)
                        div.field.error[err.is_some()] {
                            label for=(field) { (ctx.t(label_nl, label_en)) }
                            p.hint id=(format!("{field}-hint")) { (ctx.t(hint_nl, hint_en)) }
                            @if let Some(m) = &err {
                                p.field-error id=(format!("{field}-error")) {
                                    span.visually-hidden { (ctx.t("Fout: ", "Error: ")) } (m)
                                }
                            }
                            textarea id=(field) name="reden" rows="3"
                                aria-describedby=(if err.is_some() { format!("{field}-hint {field}-error") } else { format!("{field}-hint") })
                                aria-invalid=[err.as_ref().map(|_| "true")] {}
                        }
                        button type="submit" name="actie" value=(which) { (ctx.t(button_nl, button_en)) }
                    }
                }
            }
            @if status == "ARCHIVED" {
                form method="post" action=(action) {
                    (hidden)
                    button type="submit" name="actie" value="terugzetten" { (ctx.t("Terugzetten uit het archief", "Restore from the archive")) }
                }
            } @else {
                form method="post" action=(action) {
                    (hidden)
                    button.secondary type="submit" name="actie" value="archiveren" { (ctx.t("Archiveren", "Archive")) }
                }
            }
        }
    }
}

/// `POST /redactie/{id}`: one decision.
pub(crate) async fn decide(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    Path(id): Path<String>,
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
    let which = get("actie").to_owned();
    let version: Option<i64> = get("version").parse().ok();
    // An event is published or archived from the queue, which it goes back to.
    if GlobalId::decode("id", &id).is_ok_and(|g| g.kind == kb_domain::NodeKind::Event) {
        return decide_event(&site, &ctx, &v, &id, &which, version).await;
    }
    let reason = get("reden").to_owned();
    let (document, done) = match which.as_str() {
        "publiceren" => (
            "mutation D($id: ID!, $v: Int) { publishInitiative(id: $id, expectedVersion: $v) { initiative { id } } }",
            "gepubliceerd",
        ),
        "afwijzen" => (
            "mutation D($id: ID!, $v: Int, $r: String!) { rejectInitiative(id: $id, reason: $r, expectedVersion: $v) { initiative { id } } }",
            "afgewezen",
        ),
        "terugsturen" => (
            "mutation D($id: ID!, $v: Int, $r: String!) { sendBackInitiative(id: $id, note: $r, expectedVersion: $v) { initiative { id } } }",
            "teruggestuurd",
        ),
        "archiveren" => (
            "mutation D($id: ID!, $v: Int) { archiveInitiative(id: $id, expectedVersion: $v) { initiative { id } } }",
            "gearchiveerd",
        ),
        "terugzetten" => (
            "mutation D($id: ID!, $v: Int) { restoreInitiative(id: $id, expectedVersion: $v) { initiative { id } } }",
            "hersteld",
        ),
        _ => {
            return show(
                &site,
                &ctx,
                &v,
                &id,
                Some((
                    "algemeen".to_owned(),
                    ctx.t("Kies een besluit.", "Choose a decision.").to_owned(),
                )),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let mut variables = json!({ "id": id, "v": version });
    if matches!(which.as_str(), "afwijzen" | "terugsturen") {
        variables["r"] = json!(reason);
    }
    let r: Result<Value, Refusal> = site.run_as(&v, ctx.lang, document, variables).await;
    match r {
        Ok(_) => private(
            Redirect::to(&ctx.href(&format!("/redactie/{id}?melding={done}"))).into_response(),
        ),
        Err(r)
            if r.code == "BAD_USER_INPUT"
                && matches!(which.as_str(), "afwijzen" | "terugsturen") =>
        {
            let message = ctx
                .t(
                    "Schrijf een reden van 10 tot 2.000 tekens.",
                    "Write a reason of 10 to 2,000 characters.",
                )
                .to_owned();
            show(
                &site,
                &ctx,
                &v,
                &id,
                Some((which, message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(r) if matches!(r.code.as_str(), "CONFLICT" | "BAD_USER_INPUT") => {
            let message = if r.code == "CONFLICT" {
                ctx.t(
                    "Het initiatief is intussen veranderd of heeft al een andere status. Bekijk het hieronder opnieuw.",
                    "The initiative changed meanwhile or has another status already. Look at it again below.",
                )
                .to_owned()
            } else {
                r.message
            };
            show(
                &site,
                &ctx,
                &v,
                &id,
                Some(("algemeen".to_owned(), message)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(r) => {
            let failure = match r.code.as_str() {
                "NOT_FOUND" => Failure::NotFound,
                "UNAVAILABLE" => Failure::Unavailable,
                _ => Failure::Internal,
            };
            private(render(&ctx, failure_page(&ctx, failure)))
        }
    }
}

/// `POST /redactie/{id}` for an event: publish or archive, back to the queue.
async fn decide_event(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    id: &str,
    which: &str,
    version: Option<i64>,
) -> Response {
    let (document, done) = match which {
        "publiceren" => (
            "mutation E($id: ID!, $v: Int) { publishEvent(id: $id, expectedVersion: $v) { event { id } } }",
            "gepubliceerd",
        ),
        "archiveren" => (
            "mutation E($id: ID!, $v: Int) { archiveEvent(id: $id, expectedVersion: $v) { event { id } } }",
            "gearchiveerd",
        ),
        _ => {
            return private(render(
                ctx,
                failure_page(ctx, Failure::BadInput(String::new())),
            ));
        }
    };
    let r: Result<Value, Refusal> = site
        .run_as(v, ctx.lang, document, json!({ "id": id, "v": version }))
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
            private(render(ctx, failure_page(ctx, failure)))
        }
    }
}
