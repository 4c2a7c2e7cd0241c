//! A signed-in person's own data under the AVG: `GET /mijn-account/gegevens` downloads
//! everything Kennisbank holds about them as JSON, and `POST /mijn-account/verwijderen`
//! (with `bevestig=ja`) erases their account, ends the session's cookie and sends them
//! home with a notice. The session layer has checked the POST's origin and CSRF token
//! before the handler runs; a visitor without a session is sent to sign in.

use std::sync::Arc;

use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kb_store::Account;

use super::session::Sessions;

/// The routes of a person's own data.
pub(crate) fn routes(sessions: Arc<Sessions>) -> Router {
    Router::new()
        .route("/mijn-account/gegevens", get(download))
        .route("/mijn-account/verwijderen", post(erase))
        .with_state(sessions)
}

/// The signed-in person's account, as the session layer found it.
fn account(visitor: &Option<Extension<kb_web::Visitor>>) -> Option<&Account> {
    visitor
        .as_ref()
        .and_then(|Extension(v)| v.credential.downcast_ref::<Account>())
}

/// Whether the request asks for English (`lang=en` in the address or the form).
fn english(uri: &Uri, body: &[u8]) -> bool {
    let query = uri.query().unwrap_or("").as_bytes();
    [query, body]
        .into_iter()
        .any(|b| url::form_urlencoded::parse(b).any(|(k, v)| k == "lang" && v == "en"))
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn sign_in_first(path: &str, en: bool) -> Response {
    let next: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    let lang = if en { "&lang=en" } else { "" };
    no_store(Redirect::to(&format!("/aanmelden?next={next}{lang}")).into_response())
}

fn unavailable(headers: &HeaderMap, uri: &Uri, s: &Sessions) -> Response {
    kb_web::message_page(
        headers,
        uri,
        s.cookies.public.origin(),
        StatusCode::SERVICE_UNAVAILABLE,
        (
            "Even niet bereikbaar",
            "Dit lukt nu niet. Probeer het zo opnieuw.",
        ),
        (
            "Briefly unavailable",
            "This does not work just now. Try again shortly.",
        ),
    )
}

/// `GET /mijn-account/gegevens`: the person's data as a JSON file.
async fn download(
    State(s): State<Arc<Sessions>>,
    visitor: Option<Extension<kb_web::Visitor>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let Some(acc) = account(&visitor) else {
        return sign_in_first("/mijn-account/gegevens", english(&uri, b""));
    };
    let doc = match s.store.export_account(acc.id).await {
        Ok(Some(doc)) => doc,
        Ok(None) => return sign_in_first("/mijn-account/gegevens", english(&uri, b"")),
        Err(e) => {
            tracing::warn!(error = %e, "a person's data could not be exported");
            return no_store(unavailable(&headers, &uri, &s));
        }
    };
    let body = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    tracing::info!(account = acc.id.0, "a person downloaded their data");
    no_store(
        (
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"kennisbank-gegevens.json\"",
                ),
            ],
            body,
        )
            .into_response(),
    )
}

/// `POST /mijn-account/verwijderen`: erases the signed-in person's account when the form
/// says `bevestig=ja`; without it, nothing happens and the account page says why.
async fn erase(
    State(s): State<Arc<Sessions>>,
    visitor: Option<Extension<kb_web::Visitor>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let en = english(&uri, &body);
    let Some(acc) = account(&visitor) else {
        return sign_in_first("/mijn-account", en);
    };
    let confirmed = url::form_urlencoded::parse(&body).any(|(k, v)| k == "bevestig" && v == "ja");
    if !confirmed {
        return no_store(kb_web::message_page(
            &headers,
            &uri,
            s.cookies.public.origin(),
            StatusCode::BAD_REQUEST,
            (
                "Niet verwijderd",
                "Vink aan dat u uw account wilt verwijderen; er is niets veranderd.",
            ),
            (
                "Not deleted",
                "Tick the box to confirm that you want to delete your account; nothing was changed.",
            ),
        ));
    }
    if let Err(e) = s.store.erase_own_account(acc.id).await {
        tracing::warn!(error = %e, "an account could not be erased");
        return no_store(unavailable(&headers, &uri, &s));
    }
    let home = if en {
        "/?melding=verwijderd&lang=en"
    } else {
        "/?melding=verwijderd"
    };
    let mut response = no_store(Redirect::to(home).into_response());
    response
        .headers_mut()
        .append(header::SET_COOKIE, s.cookies.clear_cookie());
    response
}

#[cfg(test)]
mod tests {
    use super::english;

    #[test]
    fn english_is_asked_in_the_address_or_the_form() {
        let uri = |s: &str| s.parse::<axum::http::Uri>().expect("uri");
        assert!(english(&uri("/mijn-account/gegevens?lang=en"), b""));
        assert!(english(
            &uri("/mijn-account/verwijderen"),
            b"csrf=x&lang=en"
        ));
        assert!(!english(
            &uri("/mijn-account/verwijderen"),
            b"csrf=x&bevestig=ja"
        ));
    }
}
