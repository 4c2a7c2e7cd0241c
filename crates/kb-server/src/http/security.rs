//! The security headers of every answer, and HTTPS for a deployment whose public URL is
//! `https://`.
//!
//! What an answer gets depends on what it is, read from its `Content-Type` and from the
//! routes that made it:
//!
//! - an HTML page (the website, GraphiQL, also GraphiQL at `GET /graphql`): a strict
//!   Content-Security-Policy without `'unsafe-inline'` or `'unsafe-eval'` (the pages
//!   carry no inline script or style, so an injected one does not run), no framing, no
//!   sniffing, a Referrer-Policy, `Cross-Origin-Resource-Policy: same-origin` and a
//!   Permissions-Policy that turns off what the site never uses; what the policy refuses
//!   is reported to `/csp-report` (see `csp_report`);
//! - anything else (JSON, feeds, exports, style sheets, scripts, health checks): no
//!   sniffing, the Referrer-Policy, and a policy that lets the answer load nothing
//!   should a browser show it as a document (an SVG, a file opened in a tab).
//!
//! `Cross-Origin-Resource-Policy` is `same-origin` unless the routes say otherwise with
//! [`embeddable`]: the public API, the feeds and the exports are `cross-origin`, because
//! partners' sites load them.
//!
//! With an `https://` public URL every answer carries `Strict-Transport-Security`, and a
//! request that a trusted proxy says came over plain HTTP (`X-Forwarded-Proto: http`) is
//! sent to the same path at the public URL with 308, which keeps its method and body.
//! `X-Forwarded-Proto` from any other peer is ignored: it is only the client's word.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::public::{PublicUrl, TrustedProxies};

/// The website's pages: everything from this server, images also as `data:` URLs,
/// nothing inline, no plug-ins, no `<base>`, forms only to the site, and no framing.
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
    report-uri /csp-report";

/// GraphiQL: the pages' policy with two additions. `data:` fonts, since GraphiQL's style
/// sheet carries its fonts inline as `data:` URLs. And the hash of the one `<style>`
/// element GraphiQL adds itself: its settings and shortcut dialogs lock the page's
/// scrolling with a style sheet that `react-remove-scroll-bar` writes at run time. On
/// GraphiQL's page, which never scrolls, that text is always the same (the scroll bar's
/// width is 0), so its hash allows it and nothing else; a GraphiQL that writes another
/// text is refused and fails the browser test, which opens both dialogs. GraphiQL talks
/// to `/graphql` on the same origin with `fetch` (`connect-src 'self'`) and opens no
/// WebSocket, as it is given no subscription URL.
pub const GRAPHIQL_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'sha256-Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc='; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
    report-uri /csp-report";

/// Everything that is not a page: shown as a document, it may load nothing and may not
/// be framed.
pub const FILE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The browser features no page uses.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), browsing-topics=(), \
    camera=(), display-capture=(), geolocation=(), gyroscope=(), interest-cohort=(), \
    magnetometer=(), microphone=(), midi=(), payment=(), usb=()";

/// Two years, subdomains included.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";

const PERMISSIONS: HeaderName = HeaderName::from_static("permissions-policy");
const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");

/// Marks the answers of the routes it is applied to as loadable by other sites
/// (`Cross-Origin-Resource-Policy: cross-origin`); [`headers`] gives every other answer
/// `same-origin`.
pub async fn embeddable(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(CORP, HeaderValue::from_static("cross-origin"));
    response
}

/// Adds the security headers to every answer; see the module documentation.
pub async fn headers(request: Request, next: Next) -> Response {
    let graphiql = matches!(request.uri().path(), "/graphiql" | "/graphql");
    let mut response = next.run(request).await;
    add(response.headers_mut(), graphiql);
    response
}

/// The headers of an answer with these headers; `graphiql` when it came from an address
/// where GraphiQL is served.
fn add(headers: &mut HeaderMap, graphiql: bool) {
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let set = |headers: &mut HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, REFERRER_POLICY);
    if html {
        let policy = if graphiql {
            GRAPHIQL_POLICY
        } else {
            PAGE_POLICY
        };
        set(headers, header::CONTENT_SECURITY_POLICY, policy);
        set(headers, header::X_FRAME_OPTIONS, "DENY");
        set(headers, PERMISSIONS, PERMISSIONS_POLICY);
        // A page is never meant to be loaded by another site, wherever it is served.
        set(headers, CORP, "same-origin");
    } else {
        set(headers, header::CONTENT_SECURITY_POLICY, FILE_POLICY);
        headers
            .entry(CORP)
            .or_insert(HeaderValue::from_static("same-origin"));
    }
}

/// What [`transport`] needs: the public address and whom to believe about the scheme.
#[derive(Debug, Clone)]
pub struct Transport {
    /// The origin of an `https://` public URL; none for a plain-HTTP deployment.
    pub https_origin: Option<String>,
    pub proxies: Arc<TrustedProxies>,
}

impl Transport {
    pub fn new(public: &PublicUrl, proxies: Arc<TrustedProxies>) -> Self {
        Transport {
            https_origin: public.https().then(|| public.origin().to_owned()),
            proxies,
        }
    }

    /// Where to send a request from `peer` with these headers and this path and query,
    /// if it came over plain HTTP according to a trusted proxy.
    fn redirect(&self, peer: IpAddr, headers: &HeaderMap, path_and_query: &str) -> Option<String> {
        let origin = self.https_origin.as_deref()?;
        if !self.proxies.trusts(peer) {
            return None;
        }
        // A chain of proxies appends; the first value is what the client used.
        let scheme = headers
            .get("x-forwarded-proto")?
            .to_str()
            .ok()?
            .split(',')
            .next()?
            .trim();
        scheme
            .eq_ignore_ascii_case("http")
            .then(|| format!("{origin}{path_and_query}"))
    }
}

/// HTTPS for an `https://` public URL: the redirect of plain-HTTP requests a trusted
/// proxy forwards, and `Strict-Transport-Security` on every answer.
pub async fn transport(
    State(transport): State<Arc<Transport>>,
    request: Request,
    next: Next,
) -> Response {
    if transport.https_origin.is_none() {
        return next.run(request).await;
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let target = peer.and_then(|peer| transport.redirect(peer, request.headers(), path));
    let mut response = match target {
        Some(location) => moved(&location),
        None => next.run(request).await,
    };
    response.headers_mut().insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static(HSTS),
    );
    response
}

/// 308 Permanent Redirect to `location`.
fn moved(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (
            StatusCode::PERMANENT_REDIRECT,
            [
                (header::LOCATION, location),
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                ),
            ],
            "308 Permanent Redirect: this site is served over HTTPS\n",
        )
            .into_response(),
        // The path came in a request line, so it is a valid header value; were it not,
        // there would be no address to send the client to.
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(media: &str, graphiql: bool) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(media).expect("value"),
        );
        add(&mut h, graphiql);
        h
    }

    #[test]
    fn no_policy_allows_inline_code_or_eval() {
        for policy in [PAGE_POLICY, GRAPHIQL_POLICY, FILE_POLICY] {
            assert!(!policy.contains("unsafe"), "{policy}");
        }
    }

    #[test]
    fn a_page_gets_the_page_policy_and_may_not_be_framed() {
        let h = answer("text/html; charset=utf-8", false);
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], PAGE_POLICY);
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[CORP], "same-origin");
        assert!(h[PERMISSIONS].to_str().expect("text").contains("camera=()"));
        let g = answer("text/html; charset=utf-8", true);
        assert_eq!(g[header::CONTENT_SECURITY_POLICY], GRAPHIQL_POLICY);
    }

    #[test]
    fn anything_else_may_load_nothing_and_keeps_the_resource_policy_its_routes_gave() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv"));
        h.insert(CORP, HeaderValue::from_static("cross-origin"));
        add(&mut h, false);
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], FILE_POLICY);
        assert_eq!(h[CORP], "cross-origin");
        assert!(h.get(header::X_FRAME_OPTIONS).is_none());
        assert_eq!(answer("text/css", false)[CORP], "same-origin");
    }

    #[test]
    fn only_a_trusted_proxy_saying_http_is_redirected_to_the_public_url() {
        let public = PublicUrl::parse("https://kennisbank.example").expect("url");
        let proxies = TrustedProxies::parse(&["10.0.0.0/8".into()]).expect("list");
        let t = Transport::new(&public, Arc::new(proxies));
        let proxy: IpAddr = "10.0.0.2".parse().expect("ip");
        let stranger: IpAddr = "203.0.113.9".parse().expect("ip");
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", HeaderValue::from_static("HTTP, https"));
        assert_eq!(
            t.redirect(proxy, &h, "/zoeken?q=a").as_deref(),
            Some("https://kennisbank.example/zoeken?q=a")
        );
        assert_eq!(t.redirect(stranger, &h, "/"), None);
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(t.redirect(proxy, &h, "/"), None);
        assert_eq!(t.redirect(proxy, &HeaderMap::new(), "/"), None);
        // A plain-HTTP deployment redirects nothing.
        let plain = PublicUrl::parse("http://kennisbank.example").expect("url");
        let t = Transport::new(&plain, Arc::new(TrustedProxies::default()));
        h.insert("x-forwarded-proto", HeaderValue::from_static("http"));
        assert_eq!(t.redirect(proxy, &h, "/"), None);
    }
}
