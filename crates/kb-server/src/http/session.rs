//! Sessions of signed-in people on the website, and the checks on every POST of the site.
//!
//! The cookie is opaque (256 random bits), `HttpOnly`, `SameSite=Lax`, `Path=/`, and
//! behind an `https://` public URL `Secure` with the `__Host-` prefix (so no subdomain can
//! set or shadow it). The server sets it only at sign-in and clears it at sign-out:
//! visitors who do not sign in get no cookie at all. A request with a live session gets
//! its [`kb_web::Visitor`] in its extensions, from which the site's GraphQL documents run
//! as the account's viewer.
//!
//! Every POST of the site must come from the site: `Sec-Fetch-Site` (when the browser
//! sends it) must be `same-origin` or `none`, and `Origin` (when sent) the public URL's
//! origin; a POST with neither is refused too. A POST of a signed-in person must also
//! carry the session's CSRF token in its `csrf` field. A failed check is 403 and reaches
//! no handler, so nothing is written.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use kb_domain::NodeId;
use kb_store::{Session, SessionLifetime, Store};

use crate::public::PublicUrl;

/// What the session layer and the sign-in handlers share.
pub(crate) struct Sessions {
    pub(crate) store: Store,
    pub(crate) cookies: Cookies,
    /// Largest form body read for the CSRF check.
    pub(crate) max_body: usize,
}

/// The session cookie's name and attributes, and where POSTs may come from.
pub(crate) struct Cookies {
    pub(crate) lifetime: SessionLifetime,
    pub(crate) public: PublicUrl,
}

/// The session's cookie value of a request, found by the layer, for sign-out.
#[derive(Clone)]
pub(crate) struct SessionSecret(pub(crate) String);

impl Cookies {
    /// `__Host-kb_session` behind HTTPS, `kb_session` on a plain-HTTP development run
    /// (browsers refuse `__Host-` cookies without `Secure`).
    pub(crate) fn cookie_name(&self) -> &'static str {
        if self.public.https() {
            "__Host-kb_session"
        } else {
            "kb_session"
        }
    }

    /// The `Set-Cookie` that starts a session with `secret`.
    pub(crate) fn set_cookie(&self, secret: &str) -> HeaderValue {
        let secure = if self.public.https() { "; Secure" } else { "" };
        let max_age = self.lifetime.absolute.num_seconds();
        HeaderValue::from_str(&format!(
            "{}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
            self.cookie_name()
        ))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The `Set-Cookie` that removes the session's cookie.
    pub(crate) fn clear_cookie(&self) -> HeaderValue {
        let secure = if self.public.https() { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
            self.cookie_name()
        ))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The session cookie's value in `headers`, if any.
    pub(crate) fn secret(&self, headers: &HeaderMap) -> Option<String> {
        let name = self.cookie_name();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Whether a POST comes from a page of this site.
    pub(crate) fn same_site(&self, headers: &HeaderMap) -> bool {
        let fetch_site = headers
            .get("sec-fetch-site")
            .map(|v| v.to_str().unwrap_or("cross-site"));
        let origin = headers
            .get(header::ORIGIN)
            .map(|v| v.to_str().unwrap_or("null"));
        if fetch_site.is_none() && origin.is_none() {
            return false;
        }
        fetch_site.is_none_or(|s| s == "same-origin" || s == "none")
            && origin.is_none_or(|o| o.eq_ignore_ascii_case(self.public.origin()))
    }
}

/// The viewer the website shows and runs documents as, from a live session.
fn visitor(session: &Session) -> kb_web::Visitor {
    let a = &session.account;
    kb_web::Visitor {
        name: a.name.clone(),
        email: a.email.clone(),
        role: a.role.as_str().to_owned(),
        status: a.status.as_str().to_owned(),
        organisation: a.organisation_id.map(|o| o.global().encode()),
        requested_organisation: a.requested_organisation_id.map(|o| o.global().encode()),
        csrf_token: session.csrf_token.clone(),
        credential: Arc::new(a.clone()),
    }
}

fn forbidden(request: &Request, sessions: &Sessions) -> Response {
    kb_web::message_page(
        request.headers(),
        request.uri(),
        sessions.cookies.public.origin(),
        StatusCode::FORBIDDEN,
        (
            "Niet toegestaan",
            "Dit formulier kwam niet van deze site of is verlopen. Open de pagina opnieuw en probeer het nog eens.",
        ),
        (
            "Not allowed",
            "This form did not come from this site or has expired. Open the page again and retry.",
        ),
    )
}

/// Finds the request's session and checks every POST (see the module's comment).
pub(crate) async fn sessions(
    State(sessions): State<Arc<Sessions>>,
    mut request: Request,
    next: Next,
) -> Response {
    let post = request.method() == Method::POST;
    let cookies = &sessions.cookies;
    if post && !cookies.same_site(request.headers()) {
        tracing::warn!("a cross-site POST of the site was refused");
        return forbidden(&request, &sessions);
    }
    let secret = cookies.secret(request.headers());
    let mut stale = false;
    if let Some(secret) = &secret {
        match sessions.store.session(secret, cookies.lifetime).await {
            Ok(Some(session)) => {
                if post {
                    let (parts, body) = request.into_parts();
                    let Ok(bytes) = axum::body::to_bytes(body, sessions.max_body).await else {
                        let request = Request::from_parts(parts, Body::empty());
                        return forbidden(&request, &sessions);
                    };
                    let token = url::form_urlencoded::parse(&bytes)
                        .find(|(k, _)| k == "csrf")
                        .map(|(_, v)| v.into_owned());
                    request = Request::from_parts(parts, Body::from(bytes));
                    if !token.is_some_and(|t| constant_time_eq(&t, &session.csrf_token)) {
                        tracing::warn!("a POST without the session's CSRF token was refused");
                        return forbidden(&request, &sessions);
                    }
                }
                request.extensions_mut().insert(visitor(&session));
                request
                    .extensions_mut()
                    .insert(SessionSecret(secret.clone()));
            }
            Ok(None) => stale = true,
            Err(e) => tracing::warn!(error = %e, "a session could not be read"),
        }
    }
    let mut response = next.run(request).await;
    if stale && !response.headers().contains_key(header::SET_COOKIE) {
        response
            .headers_mut()
            .append(header::SET_COOKIE, cookies.clear_cookie());
    }
    response
}

/// Compares two tokens in time that does not depend on where they differ.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions(public: &str) -> Cookies {
        Cookies {
            lifetime: SessionLifetime::default(),
            public: PublicUrl::parse(public).expect("url"),
        }
    }

    #[test]
    fn the_cookie_is_host_prefixed_and_secure_behind_https() {
        let s = sessions("https://kb.example");
        assert_eq!(
            s.set_cookie("abc"),
            "__Host-kb_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600; Secure"
        );
        let s = sessions("http://localhost:8080");
        assert_eq!(
            s.set_cookie("abc"),
            "kb_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600"
        );
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; kb_session=xyz; b=2"),
        );
        assert_eq!(s.secret(&h).as_deref(), Some("xyz"));
    }

    #[test]
    fn only_posts_from_this_site_pass() {
        let s = sessions("https://kb.example");
        let check = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            s.same_site(&h)
        };
        assert!(check(&[("origin", "https://kb.example")]));
        assert!(check(&[("sec-fetch-site", "same-origin")]));
        assert!(check(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://kb.example")
        ]));
        assert!(!check(&[]));
        assert!(!check(&[("origin", "https://evil.example")]));
        assert!(!check(&[("origin", "null")]));
        assert!(!check(&[("sec-fetch-site", "cross-site")]));
        assert!(!check(&[("sec-fetch-site", "same-site")]));
        assert!(!check(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://kb.example")
        ]));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
