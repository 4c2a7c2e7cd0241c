//! `/redactie/contacten`: the editors' list of initiatives whose contact address belonged
//! to a person who had their account erased, each with two buttons: replace the address
//! by the lead organisation's, or remove it. The list and the decision run as the
//! signed-in editor through the API (`contactReviews`, `resolveContactReview`), so the
//! store's access rules decide; anyone else gets the API's refusal as a page.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::context::Ctx;
use crate::layout::{Page, render};
use crate::pages::people::message;
use crate::{Site, Visitor};

const PATH: &str = "/redactie/contacten";

const LIST: &str = "{ contactReviews { id title slug requestedAt } }";

const RESOLVE: &str = "mutation Resolve($id: Int!, $action: ContactReviewAction!) {
  resolveContactReview(id: $id, action: $action) { initiative { id } } }";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    contact_reviews: Vec<Review>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Review {
    id: i64,
    title: String,
    slug: String,
    requested_at: String,
}

fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Runs `document` as the signed-in visitor: its data, or the first error's code.
async fn as_visitor(
    site: &Site,
    ctx: &Ctx,
    visitor: &Visitor,
    document: &str,
    variables: Value,
) -> Result<Value, String> {
    let request = async_graphql::Request::new(document)
        .variables(async_graphql::Variables::from_json(variables));
    let response = (site.execute)(request, ctx.lang, Some(visitor.credential.clone())).await;
    if let Some(e) = response.errors.first() {
        let code = e
            .extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .map(|c| c.to_string().trim_matches('"').to_owned())
            .unwrap_or_default();
        return Err(code);
    }
    response.data.into_json().map_err(|_| "INTERNAL".to_owned())
}

/// The page for an error code of the API.
fn refusal(ctx: &Ctx, code: &str) -> Response {
    match code {
        "FORBIDDEN" | "UNAUTHENTICATED" => message(
            ctx,
            StatusCode::FORBIDDEN,
            ctx.t("Niet toegestaan", "Not allowed"),
            ctx.t(
                "Alleen redacteuren beoordelen contactadressen.",
                "Only editors review contact addresses.",
            ),
        ),
        "NOT_FOUND" => message(
            ctx,
            StatusCode::NOT_FOUND,
            ctx.t("Niet gevonden", "Not found"),
            ctx.t(
                "Deze beoordeling is al afgehandeld.",
                "This review has been settled already.",
            ),
        ),
        _ => message(
            ctx,
            StatusCode::SERVICE_UNAVAILABLE,
            ctx.t("Even niet bereikbaar", "Briefly unavailable"),
            ctx.t(
                "Dit lukt nu niet. Probeer het zo opnieuw.",
                "This does not work just now. Try again shortly.",
            ),
        ),
    }
}

fn sign_in_first(ctx: &Ctx) -> Response {
    private(Redirect::to(&ctx.href("/aanmelden?next=%2Fredactie%2Fcontacten")).into_response())
}

/// `GET /redactie/contacten`: the reviews waiting, oldest first.
pub(crate) async fn list(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
) -> Response {
    let Some(Extension(v)) = visitor else {
        return sign_in_first(&ctx);
    };
    let answer = match as_visitor(&site, &ctx, &v, LIST, json!({})).await {
        Ok(data) => serde_json::from_value::<Answer>(data),
        Err(code) => return refusal(&ctx, &code),
    };
    let Ok(answer) = answer else {
        return refusal(&ctx, "INTERNAL");
    };
    let settled = ctx.param("melding") == Some("afgehandeld");
    let body = html! {
        h1 { (ctx.t("Contactadressen beoordelen", "Review contact addresses")) }
        @if settled {
            div class="notice info" role="status" {
                (ctx.t("Het contactadres is aangepast.", "The contact address has been changed."))
            }
        }
        p {
            (ctx.t(
                "Bij deze initiatieven stond als contact het adres van iemand die zijn account liet verwijderen. Vervang het door het adres van de leidende organisatie (of verwijder het als die er geen heeft), of verwijder het.",
                "These initiatives had as contact the address of someone who had their account deleted. Replace it by the lead organisation's address (or remove it when there is none), or remove it.",
            ))
        }
        @if answer.contact_reviews.is_empty() {
            p { (ctx.t("Er wacht niets.", "Nothing is waiting.")) }
        } @else {
            ul.reviews {
                @for r in &answer.contact_reviews {
                    li {
                        a href=(ctx.href(&format!("/initiatieven/{}", r.slug))) { (r.title) }
                        " (" (r.requested_at) ") "
                        @for (action, nl, en) in [
                            ("REPLACE_WITH_ORGANISATION", "Adres van de organisatie", "Organisation's address"),
                            ("REMOVE", "Verwijderen", "Remove"),
                        ] {
                            form method="post" action=(PATH) {
                                @if let Some(l) = ctx.lang_field() {
                                    input type="hidden" name="lang" value=(l);
                                }
                                input type="hidden" name="csrf" value=(v.csrf_token);
                                input type="hidden" name="review" value=(r.id);
                                input type="hidden" name="actie" value=(action);
                                button type="submit" { (ctx.t(nl, en)) }
                            }
                        }
                    }
                }
            }
        }
    };
    private(render(
        &ctx,
        Page::new(
            ctx.t("Contactadressen beoordelen", "Review contact addresses"),
            "",
            body,
        ),
    ))
}

/// `POST /redactie/contacten`: settles one review (`review`, `actie`).
pub(crate) async fn resolve(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    body: Bytes,
) -> Response {
    let Some(Extension(v)) = visitor else {
        return sign_in_first(&ctx);
    };
    let field = |name: &str| {
        url::form_urlencoded::parse(&body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let review = field("review").and_then(|r| r.parse::<i64>().ok());
    let action = field("actie").filter(|a| a == "REPLACE_WITH_ORGANISATION" || a == "REMOVE");
    let (Some(review), Some(action)) = (review, action) else {
        return message(
            &ctx,
            StatusCode::BAD_REQUEST,
            ctx.t("Onvolledig formulier", "Incomplete form"),
            ctx.t(
                "Kies een beoordeling en wat ermee moet gebeuren.",
                "Choose a review and what to do with it.",
            ),
        );
    };
    let variables = json!({ "id": review, "action": action });
    match as_visitor(&site, &ctx, &v, RESOLVE, variables).await {
        Ok(_) => {
            private(Redirect::to(&ctx.href(&format!("{PATH}?melding=afgehandeld"))).into_response())
        }
        Err(code) => refusal(&ctx, &code),
    }
}
