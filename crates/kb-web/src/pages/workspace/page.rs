//! The form's page: the initiative read through the API as the person, and the form
//! shown with its status, notices and the person's menu.

use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use super::draft::{Draft, INITIATIVE_FIELDS, Stored};
use super::form::{self, Extras};
use super::options::Options;
use super::{is_editor, menu, private};
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::layout::{Page, failure_page, render};
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
struct Loaded {
    #[serde(deserialize_with = "nullable")]
    initiative: Option<Stored>,
}

#[derive(Debug, Deserialize)]
struct OrganisationName {
    #[serde(deserialize_with = "nullable")]
    node: Option<NameOnly>,
}

#[derive(Debug, Deserialize)]
struct NameOnly {
    name: String,
}

pub(super) async fn read(site: &Site, ctx: &Ctx, v: &Visitor, id: &str) -> Result<Stored, Failure> {
    let loaded: Loaded = site
        .query_as(
            v,
            ctx.lang,
            &format!("query Edit($id: ID!) {{ initiative(id: $id) {{ {INITIATIVE_FIELDS} }} }}"),
            json!({ "id": id }),
        )
        .await?;
    loaded.initiative.ok_or(Failure::NotFound)
}

pub(super) async fn organisation_name(site: &Site, ctx: &Ctx, id: &str) -> Option<String> {
    if id.is_empty() {
        return None;
    }
    let answer: Result<OrganisationName, Failure> = site
        .query(
            ctx.lang,
            "query Lead($id: ID!) { node(id: $id) { ... on Organisation { name } } }",
            json!({ "id": id }),
        )
        .await;
    answer.ok().and_then(|a| a.node).map(|n| n.name)
}

/// Shows the form with `status`.
pub(super) async fn show(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    draft: &Draft,
    mut extras: Extras,
    status: StatusCode,
) -> Response {
    let options = match Options::read(site, ctx).await {
        Ok(o) => o,
        Err(f) => return private(render(ctx, failure_page(ctx, f))),
    };
    if extras.lead_name.is_none() {
        extras.lead_name = organisation_name(site, ctx, &draft.lead).await;
    }
    let (title, action) = match &draft.id {
        Some(id) => (
            ctx.t("Initiatief bewerken", "Edit initiative"),
            ctx.href(&format!("/mijn-initiatieven/{id}")),
        ),
        None => (
            ctx.t("Nieuw initiatief", "New initiative"),
            ctx.href("/mijn-initiatieven/nieuw"),
        ),
    };
    let body = html! {
        p.crumbs { a href=(ctx.href("/mijn-initiatieven")) { (ctx.t("Mijn initiatieven", "My initiatives")) } }
        h1 { (title) }
        (super::notice_box(ctx))
        @if let Some(s) = &extras.status {
            p.status {
                (ctx.t("Status: ", "Status: ")) strong { (super::status_label(ctx, s)) }
                @if let Some(id) = &draft.id {
                    " · " a href=(ctx.href(&format!("/mijn-initiatieven/{id}/voorbeeld"))) { (ctx.t("Voorbeeld", "Preview")) }
                }
            }
            @if s == "SUBMITTED" && !is_editor(v) {
                p.notice.info {
                    (ctx.t(
                        "Dit initiatief wacht op de redactie. Trek het terug om het weer te bewerken.",
                        "This initiative awaits the editors. Withdraw it to edit it again.",
                    ))
                }
            }
        }
        (form::render(ctx, v, &options, draft, &extras, &action))
    };
    let mut page = Page::new(title, "", body);
    page.status = status;
    page.personal = Some(menu(ctx, v, None));
    private(render(ctx, page))
}

/// What the form says about a stored initiative besides its fields.
pub(super) fn extras_of(stored: &Stored) -> Extras {
    Extras {
        status: Some(stored.status.clone()),
        note: stored
            .rejection_reason
            .clone()
            .filter(|_| matches!(stored.status.as_str(), "REJECTED" | "DRAFT")),
        lead_name: stored
            .organisations
            .iter()
            .find(|o| o.role == "LEAD")
            .map(|o| o.organisation.name.clone()),
        link_type: "BUILDS_ON".to_owned(),
        ..Extras::default()
    }
}
