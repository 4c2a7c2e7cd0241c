//! The initiative form's pages and answers. `GET` shows it (empty, or filled from the
//! API); `POST` carries the person's choice in `actie`:
//! - `opslaan`, `voorbeeld`, `indienen`: create or update through the API (then submit,
//!   for `indienen`), add and remove links to other initiatives, and redirect; a refusal
//!   shows the form again with everything typed and the errors (422), or with what
//!   someone else changed meanwhile when the version is stale (409);
//! - `terugtrekken`: withdraw a submission;
//! - `zoek-organisatie`, `zoek-initiatief`: the pickers' searches, which save nothing;
//! - `stel-voor`: proposes an organisation that was not found to the editors.
//!
//! The initiative is the one the address names, whatever the form's hidden fields say,
//! and the API decides whether the person may change it.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::draft::{Draft, INITIATIVE_FIELDS, LINK_TYPES, Stored};
use super::form::Extras;
use super::page::{extras_of, read, show};
use super::{is_editor, private, signed_in};
use crate::client::{Failure, Refusal};
use crate::context::Ctx;
use crate::layout::{failure_page, render};
use crate::{Site, Visitor};

/// `GET /mijn-initiatieven/nieuw`.
pub(crate) async fn new(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
) -> Response {
    let v = match signed_in(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let draft = Draft {
        lead: v.organisation.clone().unwrap_or_default(),
        ..Draft::default()
    };
    show(
        &site,
        &ctx,
        &v,
        &draft,
        Extras {
            link_type: "BUILDS_ON".to_owned(),
            ..Extras::default()
        },
        StatusCode::OK,
    )
    .await
}

/// `GET /mijn-initiatieven/{id}`.
pub(crate) async fn edit(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    Path(id): Path<String>,
) -> Response {
    let v = match signed_in(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    match read(&site, &ctx, &v, &id).await {
        Ok(stored) => {
            let draft = Draft::of(&stored);
            show(&site, &ctx, &v, &draft, extras_of(&stored), StatusCode::OK).await
        }
        Err(f) => private(render(&ctx, failure_page(&ctx, f))),
    }
}

/// `POST /mijn-initiatieven/nieuw`.
pub(crate) async fn post_new(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    body: Bytes,
) -> Response {
    let v = match signed_in(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    answer(&site, &ctx, &v, None, &body).await
}

/// `POST /mijn-initiatieven/{id}`.
pub(crate) async fn post_edit(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let v = match signed_in(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    answer(&site, &ctx, &v, Some(id), &body).await
}

/// The page for a refusal that concerns no field: the object is not there or not the
/// person's (nothing was written).
fn refused(ctx: &Ctx, r: &Refusal) -> Response {
    let failure = match r.code.as_str() {
        "NOT_FOUND" | "FORBIDDEN" => Failure::NotFound,
        "UNAVAILABLE" => Failure::Unavailable,
        _ => Failure::Internal,
    };
    let mut page = failure_page(ctx, failure);
    if r.code == "FORBIDDEN" {
        page.status = StatusCode::FORBIDDEN;
    }
    private(render(ctx, page))
}

async fn answer(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    path_id: Option<String>,
    body: &[u8],
) -> Response {
    let posted = crate::posted::Posted::parse(body);
    let one = |key: &str| posted.one(key);
    let action = match one("actie") {
        "" => "opslaan",
        a => a,
    }
    .to_owned();
    let mut draft = Draft::from_form(posted.pairs());
    // The address decides which initiative this is; a changed hidden field does not.
    draft.id = path_id;
    if draft.id.is_none() && !is_editor(v) {
        draft.lead = v.organisation.clone().unwrap_or_default();
    }
    let new_lead = one("nieuweTrekker");
    if is_editor(v) && !new_lead.is_empty() {
        draft.lead = new_lead.to_owned();
    }
    let link_type = match one("zoekType") {
        t if LINK_TYPES.contains(&t) => t.to_owned(),
        _ => "BUILDS_ON".to_owned(),
    };
    // What the form showed besides the fields: read again, never trusted from the form.
    let stored = match &draft.id {
        Some(id) => match read(site, ctx, v, id).await {
            Ok(s) => Some(s),
            Err(f) => return private(render(ctx, failure_page(ctx, f))),
        },
        None => None,
    };
    let mut extras = stored.as_ref().map(extras_of).unwrap_or_default();
    extras.link_type = link_type;
    match action.as_str() {
        "zoek-organisatie" => {
            extras.found_organisations =
                super::pickers::find_organisations(site, ctx, &draft.find_organisation).await;
            show(site, ctx, v, &draft, extras, StatusCode::OK).await
        }
        "stel-voor" => {
            let r: Result<Value, Refusal> = site
                .run_as(
                    v,
                    ctx.lang,
                    "mutation Propose($input: ProposeOrganisationInput!) { proposeOrganisation(input: $input) { name } }",
                    json!({ "input": {
                        "name": one("voorstelNaam"),
                        "kind": one("voorstelSoort"),
                        "website": Some(one("voorstelWebsite")).filter(|w| !w.is_empty()),
                        "initiative": draft.id,
                    } }),
                )
                .await;
            extras.proposed = Some(match r {
                Ok(_) => Ok(one("voorstelNaam").trim().to_owned()),
                Err(r) if ctx.en() => Err(r.message),
                Err(_) => Err("Geef de naam van de organisatie en, als u wilt, een webadres dat begint met https://.".to_owned()),
            });
            let status = if matches!(extras.proposed, Some(Ok(_))) {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            show(site, ctx, v, &draft, extras, status).await
        }
        "zoek-initiatief" => {
            extras.found_initiatives =
                super::pickers::find_initiatives(site, ctx, v, &draft.find_initiative).await;
            show(site, ctx, v, &draft, extras, StatusCode::OK).await
        }
        "terugtrekken" => {
            let Some(id) = draft.id.clone() else {
                return show(
                    site,
                    ctx,
                    v,
                    &draft,
                    extras,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            };
            let r: Result<Value, Refusal> = site
                .run_as(
                    v,
                    ctx.lang,
                    "mutation Withdraw($id: ID!, $v: Int) { withdrawInitiative(id: $id, expectedVersion: $v) { initiative { id } } }",
                    json!({ "id": id, "v": draft.version }),
                )
                .await;
            match r {
                Ok(_) => see_other(
                    ctx,
                    &format!("/mijn-initiatieven/{id}?melding=teruggetrokken"),
                ),
                Err(r) if r.code == "CONFLICT" => {
                    extras.general = Some(
                        ctx.t(
                            "Het initiatief is intussen veranderd. Bekijk het opnieuw.",
                            "The initiative changed meanwhile. Look at it again.",
                        )
                        .to_owned(),
                    );
                    show(site, ctx, v, &draft, extras, StatusCode::CONFLICT).await
                }
                Err(r) => refused(ctx, &r),
            }
        }
        "opslaan" | "voorbeeld" | "indienen" => {
            save(site, ctx, v, draft, extras, &action, stored).await
        }
        _ => show(site, ctx, v, &draft, extras, StatusCode::BAD_REQUEST).await,
    }
}

fn see_other(ctx: &Ctx, to: &str) -> Response {
    private(Redirect::to(&ctx.href(to)).into_response())
}

#[derive(Debug, Deserialize)]
struct Saved {
    initiative: Stored,
}

async fn save(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    mut draft: Draft,
    mut extras: Extras,
    action: &str,
    stored: Option<Stored>,
) -> Response {
    // A contact address that looks like a person's is saved only once the form has
    // shown the warning: the person ticks that it is a person's, or saves again.
    let contact = draft.contact_email.trim().to_owned();
    if !contact.is_empty()
        && !draft.contact_personal
        && kb_domain::contact::looks_personal(&contact)
        && draft.contact_checked.trim() != contact
    {
        extras.errors = vec![(
            "input.contactEmail".to_owned(),
            "this looks like a person's address: tick that it is one (only signed-in people will see it), or save again if it is a team's".to_owned(),
        )];
        return show(
            site,
            ctx,
            v,
            &draft,
            extras,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let input = match draft.input() {
        Ok(i) => i,
        Err(bad) => {
            extras.errors = bad;
            return show(
                site,
                ctx,
                v,
                &draft,
                extras,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let saved: Result<Value, Refusal> = match &draft.id {
        None => {
            site.run_as(
                v,
                ctx.lang,
                &format!("mutation Create($input: InitiativeInput!) {{ createInitiative(input: $input) {{ initiative {{ {INITIATIVE_FIELDS} }} }} }}"),
                json!({ "input": input }),
            )
            .await
        }
        Some(id) => {
            site.run_as(
                v,
                ctx.lang,
                &format!("mutation Update($id: ID!, $v: Int!, $input: InitiativeInput!) {{ updateInitiative(id: $id, expectedVersion: $v, input: $input) {{ initiative {{ {INITIATIVE_FIELDS} }} }} }}"),
                json!({ "id": id, "v": draft.version.unwrap_or(0), "input": input }),
            )
            .await
        }
    };
    let saved = match saved {
        Ok(value) => value
            .as_object()
            .and_then(|o| o.values().next().cloned())
            .and_then(|p| serde_json::from_value::<Saved>(p).ok()),
        Err(r) => return refusal(site, ctx, v, draft, extras, r, stored).await,
    };
    let Some(Saved { initiative: now }) = saved else {
        return refused(
            ctx,
            &Refusal {
                code: "INTERNAL".to_owned(),
                ..Refusal::default()
            },
        );
    };
    let id = now.id.clone();
    draft.id = Some(id.clone());
    draft.version = Some(now.version);
    if let Err(r) = super::links::sync_links(site, ctx, v, &id, &draft, &now).await {
        extras = extras_of(&now);
        extras.general = Some(format!(
            "{} {}",
            ctx.t(
                "Opgeslagen, maar een koppeling met een ander initiatief lukte niet:",
                "Saved, but a link to another initiative could not be made:",
            ),
            r.message
        ));
        return show(
            site,
            ctx,
            v,
            &draft,
            extras,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match action {
        "voorbeeld" => see_other(ctx, &format!("/mijn-initiatieven/{id}/voorbeeld")),
        "indienen" => {
            let r: Result<Value, Refusal> = site
                .run_as(
                    v,
                    ctx.lang,
                    "mutation Submit($id: ID!) { submitInitiative(id: $id) { initiative { id } } }",
                    json!({ "id": id }),
                )
                .await;
            match r {
                Ok(_) => see_other(ctx, "/mijn-initiatieven?melding=ingediend"),
                Err(r) if r.code == "BAD_USER_INPUT" => {
                    let mut extras = extras_of(&now);
                    extras.errors = r.fields();
                    extras.general = Some(
                        ctx.t(
                            "Opgeslagen als concept. Om in te dienen is nog nodig:",
                            "Saved as a draft. To submit, it still needs:",
                        )
                        .to_owned(),
                    );
                    let draft = Draft {
                        find_organisation: String::new(),
                        find_initiative: String::new(),
                        ..draft
                    };
                    show(
                        site,
                        ctx,
                        v,
                        &draft,
                        extras,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(r) => refused(ctx, &r),
            }
        }
        _ => see_other(ctx, &format!("/mijn-initiatieven/{id}?melding=opgeslagen")),
    }
}

/// Shows a refused save: field errors beside their fields, or what changed meanwhile.
async fn refusal(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    mut draft: Draft,
    mut extras: Extras,
    r: Refusal,
    stored: Option<Stored>,
) -> Response {
    match r.code.as_str() {
        "BAD_USER_INPUT" => {
            extras.errors = r.fields();
            if extras.errors.is_empty() {
                extras.general = Some(r.message.clone());
            }
            show(
                site,
                ctx,
                v,
                &draft,
                extras,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        "CONFLICT" => {
            let base = draft.version;
            if let Some(now) = &stored {
                extras.conflict = super::conflict::changes_since(site, ctx, v, &now.id, base).await;
                draft.version = r.current_version.or(Some(now.version));
            }
            show(site, ctx, v, &draft, extras, StatusCode::CONFLICT).await
        }
        "FORBIDDEN" if stored.is_some() => {
            extras.general = Some(
                ctx.t(
                    "U kunt dit initiatief nu niet wijzigen: het wacht op de redactie of is gepubliceerd. Trek het terug of vraag een redacteur.",
                    "You cannot change this initiative now: it awaits the editors or is published. Withdraw it or ask an editor.",
                )
                .to_owned(),
            );
            show(site, ctx, v, &draft, extras, StatusCode::FORBIDDEN).await
        }
        _ => refused(ctx, &r),
    }
}
