//! The forms that sign people in and out: asking for a link by e-mail, using it, signing
//! out and signing out everywhere. Each answers with a redirect (303) to a page of the
//! site, or a page with the status of what went wrong; the session layer has checked
//! where the POST came from (and its CSRF token, for a signed-in person) before any of
//! these runs.
//!
//! Asking for a link gets the same answer whether or not the address is known, and at
//! most [`LINKS_PER_ADDRESS`] links go to one address per [`SIGN_IN_LINK_LIFETIME`]
//! (more are quietly not sent); one client may ask [`REQUESTS_PER_CLIENT`] times an
//! hour, after which it gets 429. The mail goes out after the answer, so its timing
//! tells nothing either. The link is on the public URL, never the request's `Host`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use kb_domain::Language;
use kb_domain::account::{EmailAddress, NextPath};
use kb_store::{Account, EMAIL_ISSUER, Identity, SIGN_IN_LINK_LIFETIME};

use super::session::{SessionSecret, Sessions};
use crate::mail::{Mailer, sign_in_letter};
use crate::public::Client;

/// Links sent to one address within a link's lifetime.
pub(crate) const LINKS_PER_ADDRESS: u64 = 3;
/// Requests for a link one client address may make an hour.
pub(crate) const REQUESTS_PER_CLIENT: u32 = 10;

/// What the sign-in forms share.
pub(crate) struct SignIn {
    pub(crate) sessions: Arc<Sessions>,
    pub(crate) mailer: Option<Mailer>,
    per_client: DefaultKeyedRateLimiter<IpAddr>,
}

impl SignIn {
    pub(crate) fn new(sessions: Arc<Sessions>, mailer: Option<Mailer>) -> Self {
        let per_hour = NonZeroU32::new(REQUESTS_PER_CLIENT).unwrap_or(NonZeroU32::MIN);
        Self {
            sessions,
            mailer,
            per_client: RateLimiter::keyed(Quota::per_hour(per_hour)),
        }
    }
}

/// The routes of the forms.
pub(crate) fn routes(sign_in: Arc<SignIn>) -> Router {
    Router::new()
        .route("/aanmelden/email", post(ask_for_link))
        .route("/aanmelden/link", post(use_link))
        .route("/afmelden", post(sign_out))
        .route("/afmelden/overal", post(sign_out_everywhere))
        .with_state(sign_in)
}

/// The form's fields, by name (the first of each).
fn fields(body: &[u8]) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| {
        url::form_urlencoded::parse(body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

fn language(field: Option<String>, headers: &HeaderMap) -> Language {
    field
        .as_deref()
        .and_then(Language::from_code)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Language::from_accept_language)
        })
        .unwrap_or_default()
}

/// `path`, with `lang=en` for English.
fn in_language(path: &str, lang: Language) -> String {
    match lang {
        Language::Nl => path.to_owned(),
        Language::En if path.contains('?') => format!("{path}&lang=en"),
        Language::En => format!("{path}?lang=en"),
    }
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn with_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

fn unavailable(headers: &HeaderMap, uri: &Uri, s: &Sessions) -> Response {
    kb_web::message_page(
        headers,
        uri,
        s.cookies.public.origin(),
        StatusCode::SERVICE_UNAVAILABLE,
        (
            "Even niet bereikbaar",
            "Aanmelden lukt nu niet. Probeer het zo opnieuw.",
        ),
        (
            "Briefly unavailable",
            "Signing in does not work just now. Try again shortly.",
        ),
    )
}

/// `POST /aanmelden/email`: sends a sign-in link to the address, when it may.
async fn ask_for_link(
    State(s): State<Arc<SignIn>>,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let field = fields(&body);
    let lang = language(field("lang"), &headers);
    let next = NextPath::or_home(field("next").as_deref());
    let Some(mailer) = s.mailer.clone() else {
        return see_other(&in_language("/aanmelden", lang));
    };
    let Ok(email) = EmailAddress::parse("email", &field("email").unwrap_or_default()) else {
        return see_other(&in_language("/aanmelden?melding=adres", lang));
    };
    if let Some(Extension(Client(ip))) = client
        && s.per_client.check_key(&ip).is_err()
    {
        let mut response = kb_web::message_page(
            &headers,
            &uri,
            s.sessions.cookies.public.origin(),
            StatusCode::TOO_MANY_REQUESTS,
            (
                "Te veel aanvragen",
                "Er zijn vanaf dit adres te veel aanmeldlinks gevraagd. Probeer het over een uur opnieuw.",
            ),
            (
                "Too many requests",
                "Too many sign-in links were asked for from this address. Try again in an hour.",
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("3600"));
        return response;
    }
    let sent = see_other(&in_language("/aanmelden?melding=verstuurd", lang));
    let store = &s.sessions.store;
    let since = chrono::Utc::now() - SIGN_IN_LINK_LIFETIME;
    match store.sign_in_links_since(&email, since).await {
        Ok(n) if n >= LINKS_PER_ADDRESS => {
            tracing::info!("a sign-in link was not sent: the address had its share");
            return sent;
        }
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(error = %e, "sign-in links could not be counted");
            return unavailable(&headers, &uri, &s.sessions);
        }
    }
    let token = match store.create_sign_in_link(&email, &next, lang).await {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = %e, "a sign-in link could not be stored");
            return unavailable(&headers, &uri, &s.sessions);
        }
    };
    let link = in_language(
        &format!(
            "{}/aanmelden/link?token={token}",
            s.sessions.cookies.public.origin()
        ),
        lang,
    );
    let letter = sign_in_letter(
        &link,
        lang == Language::En,
        SIGN_IN_LINK_LIFETIME.num_minutes(),
    );
    tokio::spawn(async move {
        if mailer.send(email.as_str(), letter).await.is_ok() {
            tracing::info!("a sign-in link was sent");
        }
    });
    sent
}

/// `POST /aanmelden/link`: uses a mailed link and starts a new session.
async fn use_link(
    State(s): State<Arc<SignIn>>,
    old: Option<Extension<SessionSecret>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let field = fields(&body);
    let store = &s.sessions.store;
    let used = match store
        .use_sign_in_link(&field("token").unwrap_or_default())
        .await
    {
        Ok(Some(u)) => u,
        Ok(None) => {
            return kb_web::message_page(
                &headers,
                &uri,
                s.sessions.cookies.public.origin(),
                StatusCode::GONE,
                (
                    "Link gebruikt of verlopen",
                    "Deze aanmeldlink is al gebruikt of verlopen. Vraag een nieuwe aan.",
                ),
                (
                    "Link used or expired",
                    "This sign-in link was used already or has expired. Ask for a new one.",
                ),
            );
        }
        Err(e) => {
            tracing::warn!(error = %e, "a sign-in link could not be used");
            return unavailable(&headers, &uri, &s.sessions);
        }
    };
    let name = used.email.split('@').next().unwrap_or_default().to_owned();
    let identity = Identity {
        issuer: EMAIL_ISSUER.to_owned(),
        subject: used.email.clone(),
        email: Some(used.email.clone()),
        name,
        language: used.language,
        home_organisation: None,
        affiliation: None,
    };
    let next = NextPath::or_home(Some(&used.next));
    start_session(
        &s.sessions,
        &identity,
        old.map(|e| e.0),
        next.as_str(),
        &headers,
        &uri,
    )
    .await
}

/// Signs `identity` in: their account (found or created), a new session whatever the
/// request came with (an old one ends), the cookie, and a redirect to `next`.
pub(crate) async fn start_session(
    sessions: &Sessions,
    identity: &Identity,
    old: Option<SessionSecret>,
    next: &str,
    headers: &HeaderMap,
    uri: &Uri,
) -> Response {
    let store = &sessions.store;
    let account = match store.sign_in_account(identity).await {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!(error = %e, "an account could not be found or created");
            return unavailable(headers, uri, sessions);
        }
    };
    if let Some(SessionSecret(old)) = old
        && let Err(e) = store.end_session(&old).await
    {
        tracing::warn!(error = %e, "the session before sign-in could not be ended");
    }
    match store
        .start_session(account.id, sessions.cookies.lifetime)
        .await
    {
        Ok(new) => {
            tracing::info!(account = account.id.0, "signed in");
            with_cookie(see_other(next), sessions.cookies.set_cookie(&new.secret))
        }
        Err(e) => {
            tracing::warn!(error = %e, "a session could not be started");
            unavailable(headers, uri, sessions)
        }
    }
}

/// `POST /afmelden`: ends this session.
async fn sign_out(
    State(s): State<Arc<SignIn>>,
    secret: Option<Extension<SessionSecret>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = language(fields(&body)("lang"), &headers);
    if let Some(Extension(SessionSecret(secret))) = secret
        && let Err(e) = s.sessions.store.end_session(&secret).await
    {
        tracing::warn!(error = %e, "a session could not be ended");
    }
    with_cookie(
        see_other(&in_language("/aanmelden?melding=afgemeld", lang)),
        s.sessions.cookies.clear_cookie(),
    )
}

/// `POST /afmelden/overal`: ends every session of the signed-in person.
async fn sign_out_everywhere(
    State(s): State<Arc<SignIn>>,
    visitor: Option<Extension<kb_web::Visitor>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = language(fields(&body)("lang"), &headers);
    let account = visitor
        .as_ref()
        .and_then(|Extension(v)| v.credential.downcast_ref::<Account>());
    if let Some(a) = account {
        match s.sessions.store.end_all_sessions(a.id).await {
            Ok(n) => tracing::info!(account = a.id.0, sessions = n, "signed out everywhere"),
            Err(e) => tracing::warn!(error = %e, "sessions could not be ended"),
        }
    }
    with_cookie(
        see_other(&in_language("/aanmelden?melding=afgemeld", lang)),
        s.sessions.cookies.clear_cookie(),
    )
}
