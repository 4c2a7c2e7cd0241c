//! Signing in with an OpenID provider: `GET /aanmelden/oidc/{n}` sends the person to the
//! n-th configured provider, `GET /aanmelden/oidc` is where the provider sends them back.
//!
//! The attempt (PKCE verifier, nonce, where to go next) waits in the database under the
//! hash of its random `state`, and is taken once. The `state` is also put in a short-lived
//! cookie (`__Host-kb_oidc` behind HTTPS, 15 minutes, only on the way to the provider,
//! never for visitors who do not sign in), and the answer must bring back the same one:
//! an answer this browser did not ask for (a wrong `state`) is 400, as is a replayed or
//! lapsed one, a code the provider refuses, and an ID token that does not validate.
//! Nothing is written then. A good answer signs the person in as the e-mail link does.

use std::sync::Arc;

use axum::Extension;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kb_domain::Language;
use kb_domain::account::NextPath;
use kb_store::{Identity, SignInAttempt};
use serde::Deserialize;

use super::session::{SessionSecret, Sessions};
use super::sign_in::start_session;
use crate::oidc::OidcProvider;

/// What the OpenID routes share.
pub(crate) struct Oidc {
    pub(crate) sessions: Arc<Sessions>,
    pub(crate) providers: Vec<OidcProvider>,
}

/// The routes.
pub(crate) fn routes(oidc: Arc<Oidc>) -> Router {
    Router::new()
        .route("/aanmelden/oidc", get(callback))
        .route("/aanmelden/oidc/{key}", get(start))
        .with_state(oidc)
}

fn random() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(URL_SAFE_NO_PAD.encode(bytes))
}

impl Oidc {
    fn cookie_name(&self) -> &'static str {
        if self.sessions.cookies.public.https() {
            "__Host-kb_oidc"
        } else {
            "kb_oidc"
        }
    }

    fn cookie(&self, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.sessions.cookies.public.https() {
            "; Secure"
        } else {
            ""
        };
        HeaderValue::from_str(&format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
            self.cookie_name()
        ))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    fn sent_state(&self, headers: &HeaderMap) -> Option<String> {
        let name = self.cookie_name();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_owned())
    }

    fn refused(&self, headers: &HeaderMap, uri: &Uri, status: StatusCode) -> Response {
        let mut response = kb_web::message_page(
            headers,
            uri,
            self.sessions.cookies.public.origin(),
            status,
            (
                "Aanmelden niet gelukt",
                "Aanmelden bij uw instelling is niet gelukt of verlopen. Begin opnieuw op de aanmeldpagina.",
            ),
            (
                "Signing in did not work",
                "Signing in with your institution failed or expired. Start again on the sign-in page.",
            ),
        );
        response
            .headers_mut()
            .append(header::SET_COOKIE, self.cookie("", 0));
        response
    }
}

#[derive(Debug, Deserialize)]
struct StartQuery {
    next: Option<String>,
    lang: Option<String>,
}

/// `GET /aanmelden/oidc/{n}`: to the provider, with PKCE, `state` and `nonce`.
async fn start(
    State(o): State<Arc<Oidc>>,
    Path(key): Path<String>,
    Query(q): Query<StartQuery>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let Some(provider) = o.providers.iter().find(|p| p.key == key) else {
        return o.refused(&headers, &uri, StatusCode::NOT_FOUND);
    };
    let (Some(state), Some(nonce)) = (random(), random()) else {
        return o.refused(&headers, &uri, StatusCode::SERVICE_UNAVAILABLE);
    };
    let (url, verifier) = match provider.authorize(&state, &nonce).await {
        Ok(x) => x,
        Err(e) => {
            tracing::warn!(provider = %provider.name, error = %e, "the OpenID provider cannot be reached");
            return o.refused(&headers, &uri, StatusCode::BAD_GATEWAY);
        }
    };
    let attempt = SignInAttempt {
        provider: provider.key.clone(),
        nonce,
        pkce_verifier: verifier,
        next: NextPath::or_home(q.next.as_deref()).as_str().to_owned(),
        language: q
            .lang
            .as_deref()
            .and_then(Language::from_code)
            .unwrap_or_default(),
    };
    if let Err(e) = o
        .sessions
        .store
        .begin_sign_in_attempt(&state, &attempt)
        .await
    {
        tracing::warn!(error = %e, "a sign-in attempt could not be stored");
        return o.refused(&headers, &uri, StatusCode::SERVICE_UNAVAILABLE);
    }
    let mut response = Redirect::to(url.as_str()).into_response();
    let lifetime = kb_store::SIGN_IN_LINK_LIFETIME.num_seconds();
    response
        .headers_mut()
        .append(header::SET_COOKIE, o.cookie(&state, lifetime));
    response
}

#[derive(Debug, Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
}

/// `GET /aanmelden/oidc`: the provider's answer.
async fn callback(
    State(o): State<Arc<Oidc>>,
    Query(q): Query<CallbackQuery>,
    old: Option<Extension<SessionSecret>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let bad = || o.refused(&headers, &uri, StatusCode::BAD_REQUEST);
    let (Some(code), Some(state)) = (q.code, q.state) else {
        return bad();
    };
    if o.sent_state(&headers).as_deref() != Some(state.as_str()) {
        tracing::warn!("an OpenID answer with a state this browser did not send was refused");
        return bad();
    }
    let attempt = match o.sessions.store.take_sign_in_attempt(&state).await {
        Ok(Some(a)) => a,
        Ok(None) => {
            tracing::warn!("an OpenID answer for an unknown, used or lapsed attempt was refused");
            return bad();
        }
        Err(e) => {
            tracing::warn!(error = %e, "a sign-in attempt could not be read");
            return o.refused(&headers, &uri, StatusCode::SERVICE_UNAVAILABLE);
        }
    };
    let Some(provider) = o.providers.iter().find(|p| p.key == attempt.provider) else {
        return bad();
    };
    let verified = match provider
        .verify(&code, &attempt.pkce_verifier, &attempt.nonce)
        .await
    {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(provider = %provider.name, error = %e, "an OpenID sign-in was refused");
            return bad();
        }
    };
    if verified.subject.is_empty() {
        return bad();
    }
    let name = verified
        .name
        .clone()
        .or_else(|| verified.email.clone())
        .unwrap_or_else(|| provider.name.clone());
    let identity = Identity {
        issuer: verified.issuer,
        subject: verified.subject,
        email: verified.email,
        name,
        language: attempt.language,
        home_organisation: verified.home_organisation,
        affiliation: verified.affiliation,
    };
    let mut response = start_session(
        &o.sessions,
        &identity,
        old.map(|e| e.0),
        &attempt.next,
        &headers,
        &uri,
    )
    .await;
    response
        .headers_mut()
        .append(header::SET_COOKIE, o.cookie("", 0));
    response
}
