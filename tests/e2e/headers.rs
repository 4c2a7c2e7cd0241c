//! Security headers on every kind of answer: the website's pages and GraphiQL under a
//! strict Content-Security-Policy (and without inline script or style, which it would
//! refuse), files that load nothing, the API, feeds and exports embeddable by other
//! sites and alone in carrying CORS; with an `https://` public URL,
//! `Strict-Transport-Security` everywhere and a 308 to HTTPS for what a trusted proxy
//! says came over plain HTTP.

use reqwest::header::HeaderMap;
use serde_json::json;

use crate::on_both;
use crate::support::TestApp;

const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
    report-uri /csp-report";
/// GraphiQL's style sheet carries its fonts as `data:` URLs, and its dialogs add one
/// style sheet of their own.
const GRAPHIQL_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'sha256-Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc='; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
    report-uri /csp-report";
const FILE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// A client that reports redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// GETs `path` with these headers: status, headers and body.
async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, String) {
    let mut request = client().get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let r = request.send().await.expect("answer");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.expect("body"))
}

/// POSTs a small query to `/graphql` with these headers: status and headers.
async fn post(app: &TestApp, headers: &[(&str, &str)]) -> (u16, HeaderMap) {
    let mut request = client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ themes { code } }" }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let r = request.send().await.expect("answer");
    (r.status().as_u16(), r.headers().clone())
}

fn value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().expect("ASCII"))
}

/// The headers of a page under `policy`.
fn assert_page(what: &str, headers: &HeaderMap, policy: &str) {
    assert_eq!(
        value(headers, "content-security-policy"),
        Some(policy),
        "{what}"
    );
    assert_eq!(value(headers, "x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        value(headers, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        value(headers, "referrer-policy"),
        Some("strict-origin-when-cross-origin"),
        "{what}"
    );
    assert_eq!(
        value(headers, "cross-origin-resource-policy"),
        Some("same-origin"),
        "{what}"
    );
    let permissions = value(headers, "permissions-policy").unwrap_or_default();
    for feature in [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "interest-cohort=()",
    ] {
        assert!(permissions.contains(feature), "{what}: {permissions}");
    }
    assert_eq!(value(headers, "strict-transport-security"), None, "{what}");
}

/// The headers of an answer that is not a page, loadable by other sites when `embeddable`.
fn assert_file(what: &str, headers: &HeaderMap, embeddable: bool) {
    assert_eq!(
        value(headers, "content-security-policy"),
        Some(FILE_POLICY),
        "{what}"
    );
    assert_eq!(
        value(headers, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        value(headers, "referrer-policy"),
        Some("strict-origin-when-cross-origin"),
        "{what}"
    );
    let corp = if embeddable {
        "cross-origin"
    } else {
        "same-origin"
    };
    assert_eq!(
        value(headers, "cross-origin-resource-policy"),
        Some(corp),
        "{what}"
    );
    assert_eq!(value(headers, "strict-transport-security"), None, "{what}");
}

/// Inline code the page policy would refuse: a `<style>` element, a `style` attribute,
/// a `<script>` without `src`, an event handler attribute.
fn inline_code(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for needle in [
        "<style",
        " style=",
        "<script>",
        "<script type",
        "javascript:",
    ] {
        if lower.contains(needle) {
            found.push(needle.to_owned());
        }
    }
    for (at, _) in lower.match_indices(" on") {
        let name: String = lower[at + 3..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .collect();
        if !name.is_empty() && lower[at + 3 + name.len()..].starts_with('=') {
            found.push(format!("on{name}="));
        }
    }
    found
}

on_both!(every_kind_of_answer_carries_its_security_headers);
async fn every_kind_of_answer_carries_its_security_headers(app: TestApp) {
    let origin = [("origin", "https://partner.example")];
    // The website's pages, also when another site's page links to them: no CORS.
    for path in [
        "/",
        "/zoeken?q=stress",
        "/initiatieven/poortwachterstraining-suicidepreventie",
        "/analyse?initiatief=poortwachterstraining-suicidepreventie",
        "/nergens",
    ] {
        let (status, headers, html) = get(&app, path, &origin).await;
        assert!(status == 200 || path == "/nergens", "{path}: {status}");
        assert_page(path, &headers, PAGE_POLICY);
        assert_eq!(
            value(&headers, "access-control-allow-origin"),
            None,
            "{path}"
        );
        assert_eq!(inline_code(&html), Vec::<String>::new(), "{path}");
    }
    // GraphiQL, at its own address and at /graphql for a browser (where the API's CORS
    // stays as it is).
    for path in ["/graphiql", "/graphql"] {
        let (status, headers, html) = get(&app, path, &[("accept", "text/html")]).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("id=\"graphiql\""), "{path}");
        assert_page(path, &headers, GRAPHIQL_POLICY);
        assert_eq!(inline_code(&html), Vec::<String>::new(), "{path}");
    }
    // The site's files: for its own pages only.
    let (_, _, home) = get(&app, "/", &[]).await;
    let css = home
        .split("href=\"")
        .find_map(|s| {
            s.split_once('"')
                .map(|(href, _)| href)
                .filter(|h| h.ends_with(".css"))
        })
        .expect("the style sheet");
    for path in [css, "/favicon.svg", "/robots.txt"] {
        let (status, headers, _) = get(&app, path, &origin).await;
        assert_eq!(status, 200, "{path}");
        assert_file(path, &headers, false);
        assert_eq!(
            value(&headers, "access-control-allow-origin"),
            None,
            "{path}"
        );
    }
    // The API, the feeds and the exports: other sites call and embed them, with CORS.
    let (status, headers) = post(&app, &origin).await;
    assert_eq!(status, 200);
    assert_file("POST /graphql", &headers, true);
    assert_eq!(value(&headers, "access-control-allow-origin"), Some("*"));
    for path in ["/feeds/initiatives.atom", "/export/initiatives.csv"] {
        let (status, headers, _) = get(&app, path, &origin).await;
        assert_eq!(status, 200, "{path}");
        assert_file(path, &headers, true);
        assert_eq!(
            value(&headers, "access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
    }
    // The health checks are nobody else's to embed.
    let (status, headers, _) = get(&app, "/healthz", &[]).await;
    assert_eq!(status, 200);
    assert_file("/healthz", &headers, false);
}

/// Two tests of a scenario that needs a configuration: `NAME::sqlite` and
/// `NAME::postgres`, each running `NAME(app)` on a fresh server with the flags of the
/// constant `FLAGS`.
macro_rules! on_both_with {
    ($name:ident, $flags:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::TestApp::spawn_with(
                    $crate::support::Db::Sqlite,
                    $crate::support::config(&super::$flags),
                )
                .await;
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::postgres::skipped(concat!(module_path!(), "::postgres")) {
                    return;
                }
                let app = $crate::support::TestApp::spawn_with(
                    $crate::support::Db::Postgres,
                    $crate::support::config(&super::$flags),
                )
                .await;
                super::$name(app).await;
            }
        }
    };
}

const PUBLIC: &str = "https://kennisbank.example";

/// An https public URL, behind a proxy on the loopback network (where the tests connect
/// from).
const BEHIND_A_PROXY: [&str; 4] = ["--public-url", PUBLIC, "--trusted-proxies", "127.0.0.0/8"];
/// An https public URL, and no proxy to believe.
const NO_PROXY: [&str; 2] = ["--public-url", PUBLIC];

on_both_with!(
    behind_a_trusted_proxy_plain_http_is_sent_to_https,
    BEHIND_A_PROXY
);
async fn behind_a_trusted_proxy_plain_http_is_sent_to_https(app: TestApp) {
    let host = ("host", "kennisbank.example");
    let plain = [host, ("x-forwarded-proto", "http")];
    // Any path, query included, to the same place at the public URL; 308 keeps a POST
    // a POST.
    for path in ["/", "/zoeken?q=stress&pagina=2", "/export/initiatives.csv"] {
        let (status, headers, _) = get(&app, path, &plain).await;
        assert_eq!(status, 308, "{path}");
        assert_eq!(
            value(&headers, "location"),
            Some(format!("{PUBLIC}{path}").as_str())
        );
        assert_eq!(value(&headers, "strict-transport-security"), Some(HSTS));
    }
    let (status, headers) = post(&app, &plain).await;
    assert_eq!(status, 308);
    assert_eq!(
        value(&headers, "location"),
        Some("https://kennisbank.example/graphql")
    );
    // What came over HTTPS is answered, with HSTS on every kind of answer.
    let secure = [host, ("x-forwarded-proto", "https")];
    for path in [
        "/",
        "/graphiql",
        "/feeds/initiatives.atom",
        "/export/initiatives.csv",
        "/healthz",
    ] {
        let (status, headers, _) = get(&app, path, &secure).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            value(&headers, "strict-transport-security"),
            Some(HSTS),
            "{path}"
        );
    }
    let (status, headers) = post(&app, &secure).await;
    assert_eq!(status, 200);
    assert_eq!(value(&headers, "strict-transport-security"), Some(HSTS));
    // Another host is still refused, over HTTPS too.
    let (status, headers, _) = get(
        &app,
        "/",
        &[("host", "evil.example"), ("x-forwarded-proto", "https")],
    )
    .await;
    assert_eq!(status, 421);
    assert_eq!(value(&headers, "strict-transport-security"), Some(HSTS));
}

on_both_with!(an_untrusted_peer_saying_http_is_not_redirected, NO_PROXY);
async fn an_untrusted_peer_saying_http_is_not_redirected(app: TestApp) {
    let plain = [
        ("host", "kennisbank.example"),
        ("x-forwarded-proto", "http"),
    ];
    for path in ["/", "/zoeken?q=stress", "/feeds/initiatives.atom"] {
        let (status, headers, _) = get(&app, path, &plain).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(value(&headers, "location"), None, "{path}");
        assert_eq!(
            value(&headers, "strict-transport-security"),
            Some(HSTS),
            "{path}"
        );
    }
    let (status, _) = post(&app, &plain).await;
    assert_eq!(status, 200);
}

#[test]
fn inline_code_is_found_in_every_form() {
    assert_eq!(
        inline_code("<p style=\"x\"><script>a()</script><a onclick=\"b\">"),
        [" style=", "<script>", "onclick="]
    );
    assert!(inline_code("<script src=\"/a.js\" defer></script><p>on top</p>").is_empty());
}

/// What a browser reports the policy refused: counted in `/metrics` and answered 204, in
/// both formats browsers send; anything else is refused with 400 (413 when too long) and
/// not counted.
#[tokio::test]
async fn violation_reports_are_taken_in_both_formats_and_counted() {
    let app = TestApp::spawn(crate::support::Db::Sqlite).await;
    let c = client();
    let post = |media: &'static str, body: String| {
        c.post(app.url("/csp-report"))
            .header("content-type", media)
            .body(body)
            .send()
    };
    let old = serde_json::json!({ "csp-report": {
        "document-uri": "http://127.0.0.1/zoeken?q=somberheid", "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
    }});
    let new = serde_json::json!([{ "type": "csp-violation", "body": {
        "documentURL": "http://127.0.0.1/", "effectiveDirective": "style-src-attr", "blockedURL": "inline",
    }}, { "type": "deprecation", "body": {} }]);
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(
        status(
            post("application/csp-report", old.to_string())
                .await
                .expect("post")
        ),
        204
    );
    assert_eq!(
        status(
            post("application/reports+json", new.to_string())
                .await
                .expect("post")
        ),
        204
    );
    assert_eq!(
        status(post("application/json", "{}".into()).await.expect("post")),
        400
    );
    assert_eq!(
        status(
            post("application/json", "not json".into())
                .await
                .expect("post")
        ),
        400
    );
    assert_eq!(
        status(
            post("application/json", "x".repeat(20_000))
                .await
                .expect("post")
        ),
        413
    );
    let metrics = c
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.lines().any(|l| l == "kb_csp_violation_reports 2"),
        "{metrics}"
    );
}
