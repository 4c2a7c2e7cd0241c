//! The explorer website over HTTP: pages, status codes, languages, canonical URLs, the
//! sitemap against the store, GraphiQL from the binary; and a visitor's way through it
//! in Debian's Chromium with axe-core in every page type (`tests/browser`).

use std::collections::BTreeSet;

use kb_domain::{InitiativeFilter, InitiativeOrder, PageRequest, Status, Viewer};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{Db, TestApp, header};
use crate::tools;

/// GETs `path` with these headers: status, headers and body.
async fn get(
    app: &TestApp,
    path: &str,
    headers: reqwest::header::HeaderMap,
) -> (u16, reqwest::header::HeaderMap, String) {
    let r = app
        .client()
        .get(app.url(path))
        .headers(headers)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.expect("body"))
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let (status, _, body) = get(app, path, Default::default()).await;
    (status, body)
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    text.split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map_or("", |(inside, _)| inside)
}

/// The slugs of the initiatives of `status`, read from the store as an editor.
async fn slugs(app: &TestApp, status: Status) -> BTreeSet<String> {
    let filter = InitiativeFilter {
        statuses: vec![status],
        ..Default::default()
    };
    let page = PageRequest {
        offset: 0,
        limit: 1000,
        count: false,
    };
    app.store
        .list_initiatives(Viewer::Editor, &filter, InitiativeOrder::Title, page)
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|i| i.slug.to_string())
        .collect()
}

on_both!(the_home_page_is_dutch_by_default_and_english_by_accept_language_or_the_switch);
async fn the_home_page_is_dutch_by_default_and_english_by_accept_language_or_the_switch(
    app: TestApp,
) {
    let origin = app.url("");

    let (status, headers, nl) = get(&app, "/", Default::default()).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(headers["content-language"], "nl");
    assert_eq!(headers["vary"], "Accept-Language");
    assert!(nl.starts_with("<!DOCTYPE html><html lang=\"nl\">"), "{nl}");
    assert_eq!(
        between(&nl, "<title>", "</title>"),
        "Kennisbank Studentenwelzijn"
    );
    assert_eq!(between(&nl, "<h1>", "</h1>"), "Kennisbank Studentenwelzijn");
    assert!(
        nl.contains(&format!("<link rel=\"canonical\" href=\"{origin}/\">")),
        "{nl}"
    );
    assert!(nl.contains(&format!(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"{origin}/?lang=en\">"
    )));
    assert!(nl.contains(
        "<a class=\"switch\" href=\"/?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"
    ));
    // The eight themes, as links.
    assert_eq!(
        between(&nl, "<h2>Thema's</h2><ul class=\"tags\">", "</ul>")
            .matches("<li>")
            .count(),
        8
    );

    let (_, headers, en) = get(&app, "/", header("accept-language", "en-GB,en;q=0.9")).await;
    assert_eq!(headers["content-language"], "en");
    assert!(en.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert_eq!(
        between(&en, "<h1>", "</h1>"),
        "Knowledge Bank Student Wellbeing"
    );
    assert!(en.contains(&format!(
        "<link rel=\"canonical\" href=\"{origin}/?lang=en\">"
    )));
    assert!(
        en.contains("<a href=\"/zoeken?lang=en\">Initiatives</a>"),
        "links keep the language"
    );

    // The switch's address wins over the browser's language, both ways.
    let (_, chosen) = page(&app, "/?lang=en").await;
    assert_eq!(
        between(&chosen, "<h1>", "</h1>"),
        "Knowledge Bank Student Wellbeing"
    );
    let (_, _, back) = get(&app, "/?lang=nl", header("accept-language", "en")).await;
    assert_eq!(
        between(&back, "<h1>", "</h1>"),
        "Kennisbank Studentenwelzijn"
    );
    assert!(back.contains("<a href=\"/zoeken?lang=nl\">Initiatieven</a>"));
    assert!(back.contains(&format!("<link rel=\"canonical\" href=\"{origin}/\">")));
}

on_both!(every_page_type_has_a_title_a_description_and_a_canonical_url);
async fn every_page_type_has_a_title_a_description_and_a_canonical_url(app: TestApp) {
    let origin = app.url("");
    for (path, title) in [
        ("/zoeken", "Initiatieven"),
        ("/zoeken?q=stress", "Zoeken naar “stress”"),
        (
            "/initiatieven/poortwachterstraining-suicidepreventie",
            "Poortwachterstraining suïcidepreventie voor docenten, begeleiders en studenten",
        ),
        ("/themas/support", "Begeleiding"),
        ("/onderwerpen/social_connection", "Sociale binding"),
        (
            "/organisaties/universiteit-van-zilverwold",
            "Universiteit van Zilverwold",
        ),
        ("/evenementen", "Evenementen"),
        (
            "/evenementen/netwerkdag-kompas-2024",
            "Netwerkdag Kompas 2024: samen werken aan studentenwelzijn",
        ),
        ("/analyse", "Analyse"),
        ("/privacy", "Privacy"),
        // The neighbourhoods, each read with documents of their own.
        (
            "/analyse?initiatief=poortwachterstraining-suicidepreventie",
            "Analyse",
        ),
        (
            "/analyse?organisatie=universiteit-van-zilverwold",
            "Analyse",
        ),
    ] {
        let (status, html) = page(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            between(&html, "<title>", "</title>"),
            format!("{title} · Kennisbank Studentenwelzijn"),
            "{path}"
        );
        assert_eq!(between(&html, "<h1>", "</h1>"), title, "{path}");
        assert!(
            !between(&html, "<meta name=\"description\" content=\"", "\"").is_empty(),
            "{path}"
        );
        let canonical = format!(
            "<link rel=\"canonical\" href=\"{origin}{}\">",
            path.replace('&', "&amp;")
        );
        assert!(html.contains(&canonical), "{path}: {canonical}");
    }
}

on_both!(unknown_addresses_and_every_unpublished_initiative_are_404_pages);
async fn unknown_addresses_and_every_unpublished_initiative_are_404_pages(app: TestApp) {
    let (status, html) = page(&app, "/bestaat/niet").await;
    assert_eq!(status, 404);
    assert_eq!(between(&html, "<h1>", "</h1>"), "Pagina niet gevonden");
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    let mut hidden = BTreeSet::new();
    for status in [
        Status::Draft,
        Status::Submitted,
        Status::Rejected,
        Status::Archived,
    ] {
        hidden.extend(slugs(&app, status).await);
    }
    assert_eq!(hidden.len(), 13, "the demo data's unpublished initiatives");
    for slug in &hidden {
        let (status, html) = page(&app, &format!("/initiatieven/{slug}")).await;
        assert_eq!(status, 404, "{slug}");
        assert_eq!(
            between(&html, "<h1>", "</h1>"),
            "Pagina niet gevonden",
            "{slug}"
        );
    }
    let (status, html) = page(&app, "/themas/geen-thema?lang=en").await;
    assert_eq!(
        (status, between(&html, "<h1>", "</h1>")),
        (404, "Page not found")
    );
    for path in [
        "/onderwerpen/geen",
        "/organisaties/geen",
        "/evenementen/geen",
        "/analyse?initiatief=concept-welzijnsapp-esdorpen",
    ] {
        assert_eq!(page(&app, path).await.0, 404, "{path}");
    }
}

on_both!(the_sitemap_lists_exactly_the_published_initiatives_and_robots_points_to_it);
async fn the_sitemap_lists_exactly_the_published_initiatives_and_robots_points_to_it(app: TestApp) {
    let origin = app.url("");
    let (status, headers, xml) = get(&app, "/sitemap.xml", Default::default()).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/xml; charset=utf-8");
    let prefix = format!("<loc>{origin}/initiatieven/");
    let listed: BTreeSet<String> = xml
        .split(&prefix)
        .skip(1)
        .filter_map(|rest| rest.split_once("</loc>").map(|(slug, _)| slug.to_owned()))
        .collect();
    let published = slugs(&app, Status::Published).await;
    assert_eq!(published.len(), 64);
    assert_eq!(listed, published);
    assert_eq!(xml.matches(&prefix).count(), 64, "each once");
    assert!(xml.contains(&format!("<loc>{origin}/themas/support</loc>")));
    let (_, robots) = page(&app, "/robots.txt").await;
    assert!(
        robots.contains(&format!("Sitemap: {origin}/sitemap.xml")),
        "{robots}"
    );
}

on_both!(search_facets_and_paging_show_what_the_api_counts);
async fn search_facets_and_paging_show_what_the_api_counts(app: TestApp) {
    let api = app
        .data(
            "{ all: search(query: \"stress\") { totalCount }
                   training: search(query: \"stress\", filter: { kinds: [TRAINING] }) { totalCount }
                   list: initiatives(first: 21) { totalCount nodes { title } } }",
            json!({}),
        )
        .await;
    let (_, html) = page(&app, "/zoeken?q=stress").await;
    assert!(
        html.contains(&format!(
            "<strong>{} initiatieven gevonden</strong>",
            api["all"]["totalCount"]
        )),
        "{html}"
    );
    let (_, html) = page(&app, "/zoeken?q=stress&soort=training").await;
    assert!(html.contains(&format!(
        "<strong>{} initiatieven gevonden</strong>",
        api["training"]["totalCount"]
    )));
    assert!(
        html.contains("name=\"soort\" value=\"training\" checked"),
        "the chosen facet stays checked"
    );

    let total = api["list"]["totalCount"].as_u64().expect("total");
    let pages = total.div_ceil(20);
    let (_, html) = page(&app, "/zoeken?pagina=2").await;
    assert!(
        html.contains(&format!("<span>Pagina 2 van {pages}</span>")),
        "{html}"
    );
    let first = between(
        &html,
        "<ol class=\"results\" start=\"21\"><li><h2><a href=\"",
        "</a>",
    );
    let title = api["list"]["nodes"][20]["title"].as_str().expect("title");
    assert!(
        first.ends_with(&format!("\">{}", html_escape(title))),
        "{first} / {title}"
    );
    assert!(
        html.contains("<a href=\"/zoeken\" rel=\"prev\">"),
        "page 1 has no page number"
    );

    // Input the API refuses is a 400 page, not an error of the server.
    let long = "a".repeat(600);
    assert_eq!(page(&app, &format!("/zoeken?q={long}")).await.0, 400);
}

/// The address in `html` that starts with `prefix` and ends with `.{extension}`, with 8
/// lower-case hex digits of content hash between them.
fn hashed_address(html: &str, prefix: &str, extension: &str) -> String {
    let end = format!(".{extension}\"");
    html.match_indices(prefix)
        .filter_map(|(at, _)| html[at + prefix.len()..].get(..8 + end.len()))
        .find(|rest| {
            rest.ends_with(&end)
                && rest.as_bytes()[..8]
                    .iter()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
        .map(|rest| format!("{prefix}{}.{extension}", &rest[..8]))
        .unwrap_or_else(|| panic!("no hashed address {prefix}….{extension} in {html:.2000}"))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[tokio::test]
async fn graphiql_and_every_asset_come_from_the_binary_and_the_home_page_is_light() {
    let app = TestApp::spawn(Db::Sqlite).await;
    for path in ["/graphql", "/graphiql"] {
        let (status, _, html) = get(&app, path, header("accept", "text/html")).await;
        assert_eq!(status, 200);
        let script = hashed_address(&html, "/assets/graphiql/graphiql.min.", "js");
        assert!(
            html.contains(&format!("<script src=\"{script}\"></script>")),
            "{html}"
        );
        let (status, headers, _) = get(&app, &script, Default::default()).await;
        assert_eq!(
            (status, headers["cache-control"].to_str().expect("ASCII")),
            (200, "public, max-age=31536000, immutable"),
            "{script}"
        );
        assert!(
            !html.contains("unpkg") && !html.contains("https://"),
            "no other host"
        );
    }
    for (path, media) in [
        (
            "/assets/graphiql/graphiql.min.js",
            "text/javascript; charset=utf-8",
        ),
        (
            "/assets/graphiql/react.production.min.js",
            "text/javascript; charset=utf-8",
        ),
        (
            "/assets/graphiql/react-dom.production.min.js",
            "text/javascript; charset=utf-8",
        ),
        (
            "/assets/graphiql/graphiql.min.css",
            "text/css; charset=utf-8",
        ),
        ("/assets/map.js", "text/javascript; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let (status, headers, _) = get(&app, path, Default::default()).await;
        assert_eq!(
            (status, headers["content-type"].to_str().expect("type")),
            (200, media),
            "{path}"
        );
    }
    // Everything the home page loads: the page, the style sheet, the script, the icon.
    // The style sheet and the script are at addresses with their content's hash, kept
    // for a year.
    let (_, home) = page(&app, "/").await;
    let mut bytes = home.len();
    for path in [
        hashed_address(&home, "/assets/site.", "css"),
        hashed_address(&home, "/assets/suggest.", "js"),
        "/favicon.svg".to_owned(),
    ] {
        assert!(home.contains(&path), "{path}");
        let (status, headers, body) = get(&app, &path, Default::default()).await;
        assert_eq!(status, 200, "{path}");
        if path.starts_with("/assets/") {
            assert_eq!(
                headers["cache-control"],
                "public, max-age=31536000, immutable"
            );
        }
        bytes += body.len();
    }
    // The addresses of pages cached before the hashes still answer, kept only briefly.
    for path in ["/assets/site.css?v=0.1.0", "/assets/suggest.js?v=0.1.0"] {
        let (status, headers, _) = get(&app, path, Default::default()).await;
        assert_eq!(
            (status, headers["cache-control"].to_str().expect("ASCII")),
            (200, "public, max-age=300"),
            "{path}"
        );
    }
    assert!(bytes < 100 * 1024, "the home page transfers {bytes} bytes");
    assert_eq!(page(&app, "/assets/nothing.js").await.0, 404);
    // The feeds the pages point to answer.
    assert!(home.contains("href=\"/feeds/initiatives.atom\""));
    assert_eq!(page(&app, "/feeds/initiatives.atom").await.0, 200);
    let (_, events) = page(&app, "/evenementen").await;
    assert!(events.contains("href=\"/feeds/events.ics\""));
    assert_eq!(page(&app, "/feeds/events.ics").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_a_visitor_searches_filters_follows_related_switches_language_and_pages() {
    let browser = tools::chromium();
    let dir = tools::node_packages("tests/browser");
    let app = TestApp::spawn(Db::Sqlite).await;
    // What the visitor must see, as the API counts it.
    let query = "{
      all: search(query: \"stress\") { totalCount }
      training: search(query: \"stress\", filter: { kinds: [TRAINING] }, first: 1) {
        totalCount nodes { initiative { title related(first: 1) { initiative { title } } } }
      }
      list: initiatives(first: 21) { totalCount nodes { title } }
      vocabularies { initiativeKinds { value label } } suggest(prefix: \"eenza\") { text }
    }";
    let api = app.data(query, json!({})).await;
    let found = |n: &Value| match n.as_u64() {
        Some(1) => "1 initiatief gevonden".to_owned(),
        Some(n) => format!("{n} initiatieven gevonden"),
        None => panic!("no count: {api:#}"),
    };
    let hit = &api["training"]["nodes"][0]["initiative"];
    let training = api["vocabularies"]["initiativeKinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["value"] == "TRAINING")
        .expect("TRAINING");
    let pages = api["list"]["totalCount"]
        .as_u64()
        .expect("total")
        .div_ceil(20);
    let suggestions: Vec<Value> = api["suggest"]
        .as_array()
        .expect("suggestions")
        .iter()
        .map(|s| s["text"].clone())
        .collect();
    let expect = json!({
        "pages": [
            ["home", "/"], ["search", "/zoeken?q=stress&soort=training"],
            ["initiative", "/initiatieven/poortwachterstraining-suicidepreventie"],
            ["theme", "/themas/support"], ["topic", "/onderwerpen/social_connection"],
            ["organisation", "/organisaties/universiteit-van-zilverwold"],
            ["events", "/evenementen"], ["event", "/evenementen/netwerkdag-kompas-2024"],
            ["analysis", "/analyse?initiatief=poortwachterstraining-suicidepreventie"],
            ["analysis-table", "/analyse?rijen=onderwerp&kolommen=niveau&vanaf=2024&tot=2026&volgorde=gelijkenis"],
            ["analysis-trends", "/analyse/trends?reeks=thema&maat=aandeel"],
            ["analysis-map-topics", "/analyse/kaart"],
            ["analysis-map-themes-topics", "/analyse/kaart?kaart=themas-en-onderwerpen"],
            ["analysis-map-organisations", "/analyse/kaart?kaart=organisaties"],
            ["privacy", "/privacy"], ["privacy-en", "/privacy?lang=en"],
            ["home-en", "/?lang=en"], ["not-found", "/initiatieven/concept-welzijnsapp-esdorpen"],
        ],
        "query": "stress", "searchCount": found(&api["all"]["totalCount"]), "facetLegend": "Soort",
        "facetLabel": training["label"], "facetValue": "training",
        "filteredCount": found(&api["training"]["totalCount"]), "firstTitle": hit["title"],
        "relatedTitle": hit["related"][0]["initiative"]["title"],
        "pageOne": format!("Pagina 1 van {pages}"), "pageTwo": format!("Pagina 2 van {pages}"),
        "twentyFirst": api["list"]["nodes"][20]["title"], "suggestPrefix": "eenza",
        "suggestions": suggestions,
    });
    let shots = tools::root().join("target/screenshots");
    let out = tokio::process::Command::new("node")
        .arg("site.mjs")
        .current_dir(&dir)
        .env("BASE", app.url(""))
        .env("SHOTS", &shots)
        .env("CHROMIUM", browser)
        .env("EXPECT", expect.to_string())
        .kill_on_drop(true)
        .output()
        .await
        .expect("node site.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the browser run failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("browser: all passed"), "{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    // The browser reported the one refusal the run provokes (an injected inline script)
    // to the server, and nothing else.
    let metrics = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.lines().any(|l| l == "kb_csp_violation_reports 1"),
        "{metrics}"
    );
    assert_eq!(
        stdout.matches("leaves no cookie\n").count(),
        2 * 18,
        "{stdout}"
    );
    assert!(
        stdout
            .contains("ok   searching, filtering, switching language and GraphiQL leave no cookie"),
        "{stdout}"
    );
    // Every page type at both widths, and none left a cookie.
    for name in [
        "home",
        "search",
        "initiative",
        "analysis",
        "analysis-table",
        "analysis-trends",
        "analysis-map-topics",
        "analysis-map-themes-topics",
        "analysis-map-organisations",
        "privacy",
    ] {
        for width in [390, 1280] {
            assert!(
                shots.join(format!("{name}-{width}.png")).exists(),
                "{name}-{width}.png"
            );
        }
    }
}

on_both!(the_events_page_reads_its_lists_once_until_the_next_change);
async fn the_events_page_reads_its_lists_once_until_the_next_change(app: TestApp) {
    // The first reading also reads the vocabularies' labels, kept for a minute.
    let (status, _) = page(&app, "/evenementen").await;
    assert_eq!(status, 200);
    let before = app.store.statement_count();
    let (status, first) = page(&app, "/evenementen").await;
    assert_eq!(status, 200);
    // Both lists are kept until the next change.
    assert_eq!(app.store.statement_count() - before, 0);
    assert!(first.contains("Komende evenementen"), "{first}");
    // A change (a new draft) makes the next reading ask again: the coming events and
    // the earlier ones; no count, which the page does not show.
    let lead = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("read")
        .expect("a demo organisation");
    app.store
        .create_initiative(
            &kb_store::Actor::cli(),
            kb_domain::input::InitiativeInput {
                title: Some("Een concept dat de lijsten vernieuwt".into()),
                summary: Some("Een wijziging, zodat bewaarde antwoorden vervallen.".into()),
                kind: Some(kb_domain::InitiativeKind::Training),
                organisations: Some(vec![(lead.id, kb_domain::OrganisationRole::Lead)]),
                ..Default::default()
            },
        )
        .await
        .expect("create");
    app.caught_up().await;
    let before = app.store.statement_count();
    let (status, again) = page(&app, "/evenementen").await;
    assert_eq!(status, 200);
    assert_eq!(app.store.statement_count() - before, 2);
    assert!(again.contains("Komende evenementen"), "{again}");
}
