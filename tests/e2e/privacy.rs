//! Personal data under the AVG (GDPR) as a visitor meets it: the privacy page states the
//! retention periods the server is configured with, no public answer sets a cookie, and
//! the logs hold no client address, key, cookie, e-mail address or token.

use std::collections::BTreeSet;

use serde_json::json;

use crate::on_both;
use crate::support::{Db, Served, TestApp, config, header, kennisbank};

/// GETs `path`: status, `Set-Cookie` headers and body.
async fn get(
    app: &TestApp,
    path: &str,
    headers: reqwest::header::HeaderMap,
) -> (u16, Vec<String>, String) {
    let r = app
        .client()
        .get(app.url(path))
        .headers(headers)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    let cookies = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (status, cookies, r.text().await.expect("body"))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    text.split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map_or("", |(inside, _)| inside)
}

/// The row of the privacy page's table of periods for `data`.
fn period<'a>(html: &'a str, data: &str) -> &'a str {
    between(html, &format!("<th scope=\"row\">{data}</th><td>"), "</td>")
}

#[tokio::test]
async fn the_privacy_page_states_the_retention_periods_the_server_is_configured_with() {
    let defaults = TestApp::spawn(Db::Sqlite).await;
    let (status, cookies, nl) = get(&defaults, "/privacy", Default::default()).await;
    assert_eq!((status, cookies.len()), (200, 0));
    assert_eq!(
        between(&nl, "<title>", "</title>"),
        "Privacy · Kennisbank Studentenwelzijn"
    );
    assert!(nl.contains(&format!(
        "<link rel=\"canonical\" href=\"{}/privacy\">",
        defaults.url("")
    )));
    let logs = "Toegangslogboeken (ingekort IP-adres, adres van de pagina, tijdstip)";
    assert_eq!(period(&nl, logs), "14 dagen");
    assert_eq!(period(&nl, "Inloglink"), "15 minuten");
    assert_eq!(period(&nl, "Sessie zonder gebruik"), "8 uur");
    assert_eq!(period(&nl, "Sessie, ten hoogste"), "14 dagen");
    assert_eq!(period(&nl, "Back-ups"), "30 dagen");
    assert!(nl.contains("de redactie van het netwerk dat deze kennisbank beheert"));

    // Other settings, another page: it is generated from them, not written beside them.
    let changed = TestApp::spawn_with(
        Db::Sqlite,
        config(&[
            "--log-retention-days",
            "3",
            "--session-idle-minutes",
            "90",
            "--session-max-days",
            "1",
            "--backup-retention-days",
            "60",
            "--privacy-contact",
            "privacy@kennisbank.example",
        ]),
    )
    .await;
    let (_, _, nl) = get(&changed, "/privacy", Default::default()).await;
    assert_eq!(period(&nl, logs), "3 dagen");
    assert_eq!(period(&nl, "Sessie zonder gebruik"), "90 minuten");
    assert_eq!(period(&nl, "Sessie, ten hoogste"), "1 dag");
    assert_eq!(period(&nl, "Back-ups"), "60 dagen");
    assert!(
        nl.contains("<a href=\"mailto:privacy@kennisbank.example\">privacy@kennisbank.example</a>")
    );
    let (_, _, en) = get(&changed, "/privacy?lang=en", Default::default()).await;
    assert!(en.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert_eq!(
        period(
            &en,
            "Access logs (shortened IP address, address of the page, time)"
        ),
        "3 days"
    );
    assert_eq!(period(&en, "Sign-in link"), "15 minutes");
    assert_eq!(period(&en, "Session left unused"), "90 minutes");
    assert_eq!(period(&en, "Backups"), "60 days");
}

on_both!(every_page_links_to_the_privacy_page_and_the_sitemap_lists_it);
async fn every_page_links_to_the_privacy_page_and_the_sitemap_lists_it(app: TestApp) {
    for (path, link) in [
        ("/", "<a href=\"/privacy\">Privacy</a>"),
        ("/zoeken?q=stress", "<a href=\"/privacy\">Privacy</a>"),
        (
            "/themas/support?lang=en",
            "<a href=\"/privacy?lang=en\">Privacy</a>",
        ),
        ("/privacy", "<a href=\"/privacy\">Privacy</a>"),
        ("/bestaat/niet", "<a href=\"/privacy\">Privacy</a>"),
    ] {
        let (_, _, html) = get(&app, path, Default::default()).await;
        assert!(
            between(&html, "<footer class=\"site\">", "</footer>").contains(link),
            "{path}"
        );
    }
    let (_, _, xml) = get(&app, "/sitemap.xml", Default::default()).await;
    assert_eq!(
        xml.matches(&format!("<loc>{}/privacy</loc>", app.url("")))
            .count(),
        1
    );
}

on_both!(no_public_answer_sets_a_cookie);
async fn no_public_answer_sets_a_cookie(app: TestApp) {
    let browser = || header("accept", "text/html");
    let mut answered = BTreeSet::new();
    for (path, status) in [
        ("/", 200),
        ("/?lang=en", 200),
        ("/zoeken", 200),
        ("/zoeken?q=stress&soort=training", 200),
        ("/initiatieven/poortwachterstraining-suicidepreventie", 200),
        ("/themas/support", 200),
        ("/onderwerpen/social_connection", 200),
        ("/organisaties/universiteit-van-zilverwold", 200),
        ("/evenementen", 200),
        ("/evenementen/netwerkdag-kompas-2024", 200),
        ("/analyse", 200),
        (
            "/analyse?initiatief=poortwachterstraining-suicidepreventie",
            200,
        ),
        ("/privacy", 200),
        ("/privacy?lang=en", 200),
        ("/graphiql", 200),
        ("/feeds/initiatives.atom", 200),
        ("/feeds/events.ics", 200),
        ("/export/initiatives.csv", 200),
        ("/export/cooccurrence.csv?rows=theme&columns=topic", 200),
        ("/export/graph.graphml", 200),
        ("/export/graph.json", 200),
        ("/export/kennisbank.jsonld", 200),
        ("/graphql?query=%7B%20themes%20%7B%20code%20%7D%20%7D", 200),
        ("/robots.txt", 200),
        ("/sitemap.xml", 200),
        ("/favicon.svg", 200),
        ("/healthz", 200),
        ("/readyz", 200),
        ("/metrics", 200),
        ("/initiatieven/concept-welzijnsapp-esdorpen", 404),
        ("/bestaat/niet", 404),
    ] {
        let (got, cookies, _) = get(&app, path, Default::default()).await;
        assert_eq!(got, status, "{path}");
        assert_eq!(cookies, Vec::<String>::new(), "{path}");
        answered.insert(path);
    }
    // GraphiQL at /graphql for a browser, and the API by POST.
    let (status, cookies, html) = get(&app, "/graphql", browser()).await;
    assert_eq!((status, cookies.len()), (200, 0));
    assert!(html.contains("graphiql"), "{html:.300}");
    let r = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ search(query: \"stress\") { totalCount } }" }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers().get_all("set-cookie").iter().count(), 0);
    assert_eq!(answered.len(), 31);
}

/// Logs of the real binary at its most verbose, and the traces it exports, scanned for
/// what must never be in them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_address_key_cookie_e_mail_or_token() {
    let (collector, exported) = crate::telemetry::collector().await;
    let served = Served::start(
        &[
            "--trusted-proxies",
            "127.0.0.1",
            "--resolver-spans",
            "--otlp-endpoint",
            &collector,
        ],
        &[("KB_LOG", "trace")],
    )
    .await;
    let key = {
        let out = tokio::process::Command::from(kennisbank())
            .current_dir(served.dir())
            .args([
                "--database-url",
                "sqlite://kb.db?mode=rwc",
                "keys",
                "create",
            ])
            .args(["--role", "partner", "--name", "logboek"])
            .env("KB_LOG", "warn")
            .output()
            .await
            .expect("keys create");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .trim()
            .to_owned()
    };
    assert!(key.len() > 20, "{key}");
    let (v4, v6) = ("203.0.113.77", "2001:db8:abcd:12::1");
    let (cookie, email, token) = (
        "kb_sessie=Koekje-7f3a9c2e",
        "jan.jansen@example.nl",
        "Token-5d1e8b47c0",
    );
    let search = format!("{{ search(query: \"{email}\") {{ totalCount }} }}");
    let encoded: String = url::form_urlencoded::byte_serialize(search.as_bytes()).collect();
    let e_mail_encoded: String = url::form_urlencoded::byte_serialize(email.as_bytes()).collect();
    let client = reqwest::Client::new();
    for forwarded in [v4, v6] {
        let requests = [
            client
                .post(served.url("/graphql"))
                .json(&json!({ "query": search })),
            client.get(served.url(&format!("/graphql?query={encoded}&token={token}"))),
            client.get(served.url(&format!("/zoeken?q={e_mail_encoded}&token={token}"))),
            client.get(served.url(&format!("/privacy?token={token}"))),
            client.get(served.url(&format!("/nergens?token={token}"))),
            client.get(served.url(&format!("/feeds/initiatives.atom?token={token}"))),
        ];
        for request in requests {
            let r = request
                .header("authorization", format!("Bearer {key}"))
                .header("cookie", cookie)
                .header("x-forwarded-for", forwarded)
                .send()
                .await
                .expect("request");
            assert!(r.status().as_u16() < 500, "{}", r.status());
        }
    }
    // A key that is no key, and a search answered: the request reached the API.
    let r = client
        .post(served.url("/graphql"))
        .header("authorization", format!("Bearer {key}x"))
        .header("x-forwarded-for", v4)
        .json(&json!({ "query": search }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 401);
    served.terminate();
    let (status, lines) = served.exit(std::time::Duration::from_secs(20)).await;
    assert!(status.success(), "{status}");
    let mut lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    assert!(lines.len() > 50, "{} lines", lines.len());
    // Every span exported, with its attributes, as one more "line" each.
    let spans: Vec<String> = exported
        .lock()
        .expect("lock")
        .iter()
        .flat_map(|r| &r.resource_spans)
        .flat_map(|r| &r.scope_spans)
        .flat_map(|s| &s.spans)
        .map(|s| format!("{s:?}"))
        .collect();
    assert!(
        spans.iter().any(|s| s.contains("\"parse\"")),
        "the GraphQL phases were exported"
    );
    assert!(spans.len() > 20, "{} spans", spans.len());
    lines.extend(spans);
    let secret_part = key.rsplit('_').next().unwrap_or(&key);
    for line in &lines {
        for forbidden in [
            v4,
            v6,
            key.as_str(),
            secret_part,
            "Koekje-7f3a9c2e",
            email,
            &e_mail_encoded,
            "jan.jansen",
            token,
        ] {
            assert!(!line.contains(forbidden), "`{forbidden}` in {line}");
        }
    }
    // The logs name each client's network, so an operator still sees where load comes from.
    for network in ["203.0.113.0/24", "2001:db8:abcd::/48"] {
        assert!(
            lines.iter().any(|l| l.contains(network)),
            "no line names {network}"
        );
    }
}

/// `--log-dir`: the log lines in a file of the day, and files past their retention gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_files_are_kept_for_the_retention_period_and_no_longer() {
    let logs = tempfile::tempdir().expect("dir");
    let day = |days_ago: i64| {
        (chrono::Utc::now() - chrono::TimeDelta::days(days_ago))
            .format("kennisbank-%Y-%m-%d.log")
            .to_string()
    };
    for name in [day(3), day(2), "notes.txt".to_owned()] {
        std::fs::write(logs.path().join(name), "earlier\n").expect("write");
    }
    let folder = logs.path().to_str().expect("path");
    let served = Served::start(
        &["--log-dir", folder, "--log-retention-days", "2"],
        &[("KB_LOG", "info,tower_http=debug")],
    )
    .await;
    let status = reqwest::get(served.url("/privacy"))
        .await
        .expect("request")
        .status();
    assert_eq!(status.as_u16(), 200);
    served.terminate();
    let (status, lines) = served.exit(std::time::Duration::from_secs(20)).await;
    assert!(status.success(), "{status}");
    let mut names: Vec<String> = std::fs::read_dir(logs.path())
        .expect("folder")
        .map(|e| e.expect("entry").file_name().into_string().expect("name"))
        .collect();
    names.sort();
    assert_eq!(names, vec![day(2), day(0), "notes.txt".to_owned()]);
    // Today's file holds what stderr held, line for line.
    let today = std::fs::read_to_string(logs.path().join(day(0))).expect("today");
    let written: Vec<serde_json::Value> = today
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(written.len(), lines.len());
    assert!(
        written
            .iter()
            .any(|l| l["span"]["path"] == "/privacy" && l["span"]["client"] == "127.0.0.0/24"),
        "{today}"
    );
}
