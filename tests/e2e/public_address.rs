//! One public address: every absolute link comes from `--public-url` (or, in a
//! development run, the bound address), never from `Host`, `X-Forwarded-Host` or
//! `X-Forwarded-Proto`; the website answers only its own hosts (421 otherwise); and
//! `X-Forwarded-For` counts only from `--trusted-proxies`.

use serde_json::json;

use crate::support::{Db, TestApp, config};

const PUBLIC: &str = "https://kennisbank.example";

/// The website's pages, its crawler files and GraphiQL.
const SITE: [&str; 14] = [
    "/",
    "/?lang=en",
    "/zoeken?q=stress",
    "/zoeken?q=stress&lang=en",
    "/initiatieven/poortwachterstraining-suicidepreventie",
    "/themas/support",
    "/onderwerpen/social_connection",
    "/organisaties/universiteit-van-zilverwold",
    "/evenementen",
    "/evenementen/netwerkdag-kompas-2024",
    "/analyse",
    "/robots.txt",
    "/sitemap.xml",
    "/graphiql",
];

/// What the API serves as files: the feeds and the exports.
const FILES: [&str; 7] = [
    "/feeds/initiatives.atom",
    "/feeds/events.ics",
    "/export/initiatives.csv",
    "/export/cooccurrence.csv?rows=theme&columns=topic",
    "/export/graph.graphml",
    "/export/graph.json",
    "/export/kennisbank.jsonld",
];

/// Namespace names in XML and JSON-LD, which are identifiers rather than links.
const NAMESPACES: [&str; 6] = [
    "http://www.w3.org/",
    "http://www.sitemaps.org/",
    "http://purl.org/",
    "https://schema.org",
    "http://schema.org",
    "http://graphml.graphdrawing.org/",
];

/// Every absolute http(s) address in `body` that is not a namespace name.
fn links(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for scheme in ["http://", "https://"] {
        let mut rest = body;
        while let Some(at) = rest.find(scheme) {
            let link: String = rest[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !"\"'<>)".contains(*c))
                .collect();
            rest = &rest[at + scheme.len()..];
            if !NAMESPACES.iter().any(|ns| link.starts_with(ns)) {
                found.push(link);
            }
        }
    }
    found
}

/// Whether `link` was built from what the tests' requests say about themselves: the
/// forged hosts, the forged scheme, or the address the test connects to.
fn from_the_request(link: &str) -> bool {
    [
        "evil.example",
        "http://kennisbank.example",
        "www.kennisbank.example",
        "127.0.0.1",
    ]
    .iter()
    .any(|forged| link.contains(forged))
}

/// Sends GET `path` with a forged `Host` (or `host`) and forged forwarded headers.
async fn forged(app: &TestApp, path: &str, host: &str) -> (u16, String) {
    let r = app
        .client()
        .get(app.url(path))
        .header("host", host)
        .header("x-forwarded-host", "evil.example")
        .header("x-forwarded-proto", "http")
        .header("x-forwarded-for", "203.0.113.66")
        .send()
        .await
        .expect("answer");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_hosts_reach_no_link_on_sqlite() {
    forged_hosts_reach_no_link(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_hosts_reach_no_link_on_postgres() {
    if crate::postgres::skipped("public_address::forged_hosts_reach_no_link_on_postgres") {
        return;
    }
    forged_hosts_reach_no_link(Db::Postgres).await;
}

async fn forged_hosts_reach_no_link(db: Db) {
    let flags = [
        "--public-url",
        PUBLIC,
        "--allowed-hosts",
        "www.kennisbank.example",
    ];
    let app = TestApp::spawn_with(db, config(&flags)).await;
    for path in SITE {
        // Another host: the website does not answer it.
        let (status, _) = forged(&app, path, "evil.example").await;
        assert_eq!(status, 421, "{path} for evil.example");
        // Its own hosts: no link names the request's host, scheme or connection,
        // whatever the forwarded headers say (links to other sites, such as an
        // initiative's website, are the data's own).
        for host in ["kennisbank.example", "www.kennisbank.example:443"] {
            let (status, body) = forged(&app, path, host).await;
            assert_eq!(status, 200, "{path} for {host}");
            for link in links(&body) {
                assert!(
                    !from_the_request(&link),
                    "{path} for {host} links to {link}"
                );
            }
        }
    }
    // The addresses the server writes itself are the public URL's.
    for path in ["/sitemap.xml", "/robots.txt"] {
        let (_, body) = forged(&app, path, "www.kennisbank.example").await;
        for link in links(&body) {
            assert!(link.starts_with(PUBLIC), "{path} links to {link}");
        }
    }
    // The pages do carry absolute links: canonical, alternates, the sitemap's addresses.
    let (_, home) = forged(&app, "/", "kennisbank.example").await;
    assert!(home.contains(&format!("<link rel=\"canonical\" href=\"{PUBLIC}/\"")));
    let (_, sitemap) = forged(&app, "/sitemap.xml", "kennisbank.example").await;
    assert!(links(&sitemap).len() > 60, "{sitemap}");
    let (_, robots) = forged(&app, "/robots.txt", "kennisbank.example").await;
    assert!(robots.contains(&format!("Sitemap: {PUBLIC}/sitemap.xml")));
    // Feeds and exports answer any host, with the public URL in their links.
    for path in FILES {
        let (status, body) = forged(&app, path, "evil.example").await;
        assert_eq!(status, 200, "{path}");
        for link in links(&body) {
            assert!(!from_the_request(&link), "{path} links to {link}");
        }
    }
    let (_, atom) = forged(&app, "/feeds/initiatives.atom", "evil.example").await;
    assert!(atom.contains(&format!("href=\"{PUBLIC}/feeds/initiatives.atom\"")));
    // The API answers any host.
    let r = app
        .client()
        .post(app.url("/graphql"))
        .header("host", "evil.example")
        .json(&json!({ "query": "{ theme(code: \"support\") { code } }" }))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_development_run_links_to_its_bound_address_and_answers_its_loopback_names() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let bound = app.url("");
    let port = bound
        .rsplit(':')
        .next()
        .expect("a port")
        .trim_end_matches('/');
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let (status, body) = forged(&app, "/", &host).await;
        assert_eq!(status, 200, "{host}");
        assert!(
            body.contains(&format!("href=\"http://127.0.0.1:{port}/\"")),
            "{host}"
        );
        assert!(!body.contains("evil.example"));
    }
    assert_eq!(forged(&app, "/", "evil.example").await.0, 421);
    assert_eq!(forged(&app, "/sitemap.xml", "localhost:1").await.0, 421);
}

/// Sends the anonymous query with `X-Forwarded-For: forwarded`; the status.
async fn themes_for(app: &TestApp, forwarded: &str) -> u16 {
    app.client()
        .post(app.url("/graphql"))
        .header("x-forwarded-for", forwarded)
        .json(&json!({ "query": "{ themes { code } }" }))
        .send()
        .await
        .expect("answer")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    // The client (127.0.0.1) is no trusted proxy: what it forwards changes nothing.
    let untrusted = TestApp::spawn_with(Db::Sqlite, config(&["--rate-limit-anonymous", "3"])).await;
    for i in 0..3 {
        assert_eq!(
            themes_for(&untrusted, &format!("198.51.100.{i}")).await,
            200
        );
    }
    assert_eq!(themes_for(&untrusted, "198.51.100.99").await, 429);
    // Behind a trusted proxy each forwarded client has its own allowance.
    let flags = [
        "--rate-limit-anonymous",
        "3",
        "--trusted-proxies",
        "127.0.0.0/8",
    ];
    let proxied = TestApp::spawn_with(Db::Sqlite, config(&flags)).await;
    for _ in 0..3 {
        assert_eq!(themes_for(&proxied, "198.51.100.1").await, 200);
    }
    assert_eq!(themes_for(&proxied, "198.51.100.1").await, 429);
    assert_eq!(themes_for(&proxied, "198.51.100.2").await, 200);
    // A forged hop before the proxy's own does not help the client it names last.
    assert_eq!(themes_for(&proxied, "10.9.9.9, 198.51.100.1").await, 429);
}
