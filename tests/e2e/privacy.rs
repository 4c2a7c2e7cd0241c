//! Personal data under the AVG (GDPR) as a visitor meets it: the privacy page states the
//! retention periods the server is configured with.

use crate::on_both;
use crate::support::{Db, TestApp, config};

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
