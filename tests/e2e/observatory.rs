//! Mozilla's HTTP Observatory grades the security headers as a visitor meets them: its
//! scanner (`tests/observatory`) against the real server behind a TLS proxy
//! ([`crate::proxy`]), deployed as docs/operations.md says, with an `https://` public URL
//! and the proxy trusted. Every kind of answer gets A+ with all ten of the scanner's tests
//! passed: the website's pages, GraphiQL, the API, a feed and an export.
//!
//! Two of the ten grade the front as much as the server, and the proxy stands in for a
//! deployment's: HSTS and the redirection count only over a certificate the scanner
//! trusts (given to Node as `NODE_EXTRA_CA_CERTS`; otherwise both fail as
//! `…-invalid-cert`), and the redirection needs a plain-HTTP port whose proxy says so
//! (`X-Forwarded-Proto: http`), which the server answers with a 308 to HTTPS. The scanner
//! asks for plain HTTP on port 80, which a test cannot bind, so `scan.mjs` points it at
//! the proxy's plain port instead; and a closed port 80 would pass unseen
//! (`redirection-not-needed-no-http`), so the test checks the redirect the scanner
//! followed.

use std::path::Path;

use serde_json::{Value, json};

use crate::proxy::{Listening, Proxy};
use crate::support::Served;
use crate::tools;

/// A page, a search, GraphiQL (at its own address and at the API's for a browser), the
/// API answering a GET, a feed and an export.
const ADDRESSES: [&str; 7] = [
    "/",
    "/zoeken?q=stress",
    "/graphiql",
    "/graphql",
    "/graphql?query=%7B__typename%7D",
    "/feeds/initiatives.atom",
    "/export/initiatives.csv",
];

/// The scanner's tests, as its results name them.
const TESTS: [&str; 10] = [
    "content-security-policy",
    "cookies",
    "cross-origin-resource-policy",
    "cross-origin-resource-sharing",
    "redirection",
    "referrer-policy",
    "strict-transport-security",
    "subresource-integrity",
    "x-content-type-options",
    "x-frame-options",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mozillas_http_observatory_grades_every_kind_of_answer_a_plus() {
    let scanner = tools::observatory();
    let front = Listening::bind().await;
    let origin = format!("https://localhost:{}", front.https.port());
    let server = Served::start(
        &["--public-url", &origin, "--trusted-proxies", "127.0.0.1"],
        &[],
    )
    .await;
    let proxy = front.forward_to(server.addr);
    for path in ADDRESSES {
        let result = scan(&scanner, &proxy, &format!("{origin}{path}")).await;
        let shown = serde_json::to_string_pretty(&result).expect("JSON");
        let tests = result["tests"].as_object().expect("tests");
        let mut names: Vec<&str> = tests.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, TESTS, "{path}: {shown}");
        let failed: Vec<&str> = TESTS
            .into_iter()
            .filter(|t| tests[*t]["pass"] != true)
            .collect();
        assert_eq!(failed, Vec::<&str>::new(), "{path}: {shown}");
        assert_eq!(result["scan"]["grade"], "A+", "{path}: {shown}");
        assert_eq!(result["scan"]["statusCode"], 200, "{path}: {shown}");
        // Passed on what was there, not for want of it: the plain-HTTP request was sent
        // straight to the same address over HTTPS, whose certificate was trusted.
        let redirection = &tests["redirection"];
        assert_eq!(
            redirection["result"], "redirection-to-https",
            "{path}: {shown}"
        );
        let plain = format!("http://localhost:{}{path}", proxy.http.port());
        assert_eq!(
            redirection["route"],
            json!([plain, format!("{origin}{path}")]),
            "{path}: {shown}"
        );
        assert_eq!(
            tests["strict-transport-security"]["result"],
            "hsts-implemented-max-age-at-least-six-months",
            "{path}: {shown}"
        );
    }
}

/// The scanner's result for the `https://` address `url`, with plain HTTP asked at the
/// proxy's HTTP port.
async fn scan(scanner: &Path, proxy: &Proxy, url: &str) -> Value {
    let out = tokio::process::Command::new("node")
        .arg("scan.mjs")
        .arg(url)
        .args(["--http-port", &proxy.http.port().to_string()])
        .current_dir(scanner)
        .env("NODE_EXTRA_CA_CERTS", &proxy.certificate)
        // The scanner's time limits, 10 s for all its requests to an address, made room
        // for on a busy test machine.
        .env("ABORT_TIMEOUT", "60000")
        .env("CLIENT_TIMEOUT", "30000")
        // Its HTTP client would go through a proxy that the environment names.
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .kill_on_drop(true)
        .output()
        .await
        .expect("node scan.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the scan of {url} failed ({}): {stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("the scan of {url}: {e}\n{stdout}"))
}
