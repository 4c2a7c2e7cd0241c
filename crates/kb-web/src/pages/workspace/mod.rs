//! The contributor's workspace: "Mijn initiatieven" (the organisation's initiatives by
//! status), the form that creates and edits an initiative, and the preview that shows a
//! draft exactly as the public will see it. Every read and write runs the API's GraphQL
//! documents in process as the signed-in person, so the API's rules decide what they may
//! see and do; the pages only show its answers.

/// What someone else changed since a person's version.
mod conflict;
/// The form's fields as typed, and as the API's input.
mod draft;
/// The form's fields, each with its label, hint and error, and the error summary.
mod fields;
/// The form's markup, with errors beside their fields and summarised at the top.
mod form;
/// The form's links to other initiatives, made to match.
mod links;
/// The list of the organisation's initiatives by status.
mod list;
/// The choices the form offers.
mod options;
/// The form's page: the initiative as read, the form as shown.
mod page;
/// The form's organisation and initiative pickers.
mod pickers;
/// A draft as the public will see it.
mod preview;
/// The form's answers: save, submit, withdraw, preview, and the searches of its pickers.
mod save;

pub(crate) use draft::Snapshot;
pub(crate) use list::page as list;
pub(crate) use preview::page as preview;
pub(crate) use save::{edit, new, post_edit, post_new};

use axum::Extension;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use crate::Visitor;
use crate::context::Ctx;

/// Pages of one signed-in person are never stored by a cache.
pub(crate) fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The signed-in person, or the answer that sends a visitor to sign in first and back
/// here after.
pub(crate) fn signed_in(
    ctx: &Ctx,
    visitor: Option<Extension<Visitor>>,
) -> Result<Visitor, Box<Response>> {
    match visitor {
        Some(Extension(v)) if v.status == "active" => Ok(v),
        Some(_) => Err(Box::new(private(
            Redirect::to(&ctx.href("/mijn-account")).into_response(),
        ))),
        None => {
            let next: String = url::form_urlencoded::byte_serialize(ctx.path.as_bytes()).collect();
            Err(Box::new(private(
                Redirect::to(&ctx.href(&format!("/aanmelden?next={next}"))).into_response(),
            )))
        }
    }
}

/// Whether the person moderates (editors and administrators).
pub(crate) fn is_editor(v: &Visitor) -> bool {
    matches!(v.role.as_str(), "editor" | "admin")
}

/// The signed-in person's menu in the header of their pages.
pub(crate) fn menu(ctx: &Ctx, v: &Visitor, queue: Option<i64>) -> Markup {
    html! {
        nav.personal aria-label=(ctx.t("Mijn menu", "My menu")) {
            ul {
                li { a href=(ctx.href("/mijn-initiatieven")) { (ctx.t("Mijn initiatieven", "My initiatives")) } }
                @if is_editor(v) {
                    li {
                        a href=(ctx.href("/redactie")) {
                            (ctx.t("Redactie", "Editors' desk"))
                            @if let Some(n) = queue {
                                " "
                                span.count aria-label=(format!("{n} {}", ctx.t("te beoordelen", "to review"))) { (n) }
                            }
                        }
                    }
                }
                li { a href=(ctx.href("/mijn-account")) { (v.name) } }
            }
        }
    }
}

/// The label of a moderation status (`DRAFT`, `SUBMITTED`, …).
pub(crate) fn status_label(ctx: &Ctx, status: &str) -> &'static str {
    match status {
        "DRAFT" => ctx.t("Concept", "Draft"),
        "SUBMITTED" => ctx.t("Ingediend", "Submitted"),
        "REJECTED" => ctx.t("Afgewezen", "Rejected"),
        "PUBLISHED" => ctx.t("Gepubliceerd", "Published"),
        "ARCHIVED" => ctx.t("Gearchiveerd", "Archived"),
        _ => ctx.t("Onbekend", "Unknown"),
    }
}

/// A notice the form's redirects set (`?melding=`).
pub(crate) fn notice(ctx: &Ctx) -> Option<&'static str> {
    Some(match ctx.param("melding")? {
        "opgeslagen" => ctx.t("Opgeslagen als concept.", "Saved as a draft."),
        "ingediend" => ctx.t(
            "Ingediend. Een redacteur beoordeelt het; u krijgt bericht per e-mail.",
            "Submitted. An editor will review it; you will hear by e-mail.",
        ),
        "teruggetrokken" => ctx.t(
            "Teruggetrokken: het is weer een concept.",
            "Withdrawn: it is a draft again.",
        ),
        "gepubliceerd" => ctx.t("Gepubliceerd.", "Published."),
        "afgewezen" => ctx.t("Afgewezen, met de reden.", "Rejected, with the reason."),
        "teruggestuurd" => ctx.t(
            "Teruggestuurd naar de indieners, met de toelichting.",
            "Sent back to its authors, with the note.",
        ),
        "gearchiveerd" => ctx.t("Gearchiveerd.", "Archived."),
        "hersteld" => ctx.t(
            "Teruggezet uit het archief, als concept.",
            "Restored from the archive, as a draft.",
        ),
        "toegekend" => ctx.t("Aanvraag toegekend.", "Request granted."),
        "geweigerd" => ctx.t("Aanvraag geweigerd.", "Request refused."),
        "aangemaakt" => ctx.t("Organisatie aangemaakt.", "Organisation created."),
        "afgewezen-voorstel" => ctx.t("Voorstel afgewezen.", "Proposal refused."),
        _ => return None,
    })
}

/// The notice of `ctx` as a status message, when there is one.
pub(crate) fn notice_box(ctx: &Ctx) -> Markup {
    html! {
        @if let Some(text) = notice(ctx) {
            div.notice.info role="status" { p { (text) } }
        }
    }
}

/// How long ago `at` (RFC 3339) was, in whole days, hours or minutes.
pub(crate) fn age(ctx: &Ctx, at: &str) -> String {
    let Ok(then) = chrono::DateTime::parse_from_rfc3339(at) else {
        return String::new();
    };
    let minutes = (chrono::Utc::now() - then.with_timezone(&chrono::Utc))
        .num_minutes()
        .max(0);
    let (n, nl, en) = if minutes >= 2 * 24 * 60 {
        (minutes / (24 * 60), "dagen", "days")
    } else if minutes >= 24 * 60 {
        (1, "dag", "day")
    } else if minutes >= 120 {
        (minutes / 60, "uur", "hours")
    } else if minutes >= 60 {
        (1, "uur", "hour")
    } else {
        (minutes, "min.", "min.")
    };
    format!("{n} {}", ctx.t(nl, en))
}
