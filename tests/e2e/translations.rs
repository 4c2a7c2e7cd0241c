//! An initiative's title and summary in English: set and cleared over the API, recorded in
//! revisions, shown on the English site (the Dutch ones on the Dutch site, and marked
//! `lang="nl"` where the English site falls back to them), and found by English searches.

use kb_domain::{Role, Viewer};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, error_code, header};

const TITLE_NL: &str = "Wegwijsavonden voor nieuwe studenten";
const TITLE_EN: &str = "Wayfinder evenings for new students";
const SUMMARY_NL: &str =
    "Ouderejaars laten nieuwe studenten op drie avonden de stad en de hulp zien.";
const SUMMARY_EN: &str =
    "On three evenings senior students show new students the city and where help is.";

const CREATE: &str = "mutation($input: InitiativeInput!) {
  createInitiative(input: $input) { initiative { id slug version title titleEn summaryEn } }
}";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $input: InitiativeInput!) {
  updateInitiative(id: $id, expectedVersion: $v, input: $input) {
    initiative { version title titleEn summary summaryEn }
  }
}";
const REVISIONS: &str = "query($id: ID!) {
  node(id: $id) { ... on Initiative { version revisions { kind before after } } }
}";

fn ok(r: &Value) -> &Value {
    assert!(r.get("errors").is_none(), "unexpected errors: {r:#}");
    &r["data"]
}

/// An editor's key, and a contributor's of the demo organisation Hogeschool Waddenpoort
/// with that organisation's global id.
async fn keys(app: &TestApp) -> (String, String, String) {
    let org = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("the demo organisation");
    let key = |role, org| async move {
        app.store
            .create_api_key(&kb_store::Actor::cli(), "translations", role, org, None)
            .await
            .expect("key")
            .secret
    };
    (
        key(Role::Editor, None).await,
        key(Role::Contributor, Some(org.id)).await,
        kb_domain::GlobalId::new(kb_domain::NodeKind::Organisation, org.id.0).encode(),
    )
}

/// The status and body of the page at `path`, asked for in `accept_language`.
async fn page(app: &TestApp, path: &str, accept_language: &'static str) -> (u16, String) {
    let r = app
        .client()
        .get(app.url(path))
        .headers(header("accept-language", accept_language))
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

/// How many initiatives the anonymous public finds with `text`.
async fn found(app: &TestApp, text: &str) -> i64 {
    let r = app
        .data(
            "query($q: String!) { search(query: $q) { totalCount } }",
            json!({ "q": text }),
        )
        .await;
    r["search"]["totalCount"].as_i64().expect("a count")
}

on_both!(an_initiative_in_two_languages_is_shown_and_found_in_each);
async fn an_initiative_in_two_languages_is_shown_and_found_in_each(app: TestApp) {
    let (editor, contributor, org) = keys(&app).await;
    let input = json!({ "input": {
        "title": TITLE_NL, "summary": SUMMARY_NL,
        "titleEn": format!("  {TITLE_EN} "), "summaryEn": SUMMARY_EN,
        "kind": "TRAINING", "themes": ["support"], "topics": ["social_connection"],
        "organisations": [{ "organisation": org, "role": "LEAD" }],
    } });
    let r = app.gql_as(&contributor, CREATE, input).await;
    let created = ok(&r)["createInitiative"]["initiative"].clone();
    assert_eq!(
        created["titleEn"], TITLE_EN,
        "trimmed as the Dutch title is"
    );
    assert_eq!(created["summaryEn"], SUMMARY_EN);
    let id = created["id"].as_str().expect("id").to_owned();
    let slug = created["slug"].as_str().expect("slug").to_owned();
    assert_eq!(slug, "wegwijsavonden-voor-nieuwe-studenten");
    let submit = "mutation($id: ID!) { submitInitiative(id: $id) { initiative { status } } }";
    let r = app.gql_as(&contributor, submit, json!({ "id": id })).await;
    assert_eq!(
        ok(&r)["submitInitiative"]["initiative"]["status"],
        "SUBMITTED"
    );
    let publish = "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }";
    let r = app.gql_as(&editor, publish, json!({ "id": id })).await;
    assert_eq!(
        ok(&r)["publishInitiative"]["initiative"]["status"],
        "PUBLISHED"
    );

    // The English page shows the English texts, the Dutch page the Dutch ones.
    let path = format!("/initiatieven/{slug}");
    let (status, en) = page(&app, &format!("{path}?lang=en"), "en").await;
    assert_eq!(status, 200);
    assert!(en.contains(&format!("<h1>{TITLE_EN}</h1>")), "{en}");
    assert!(en.contains(&format!(
        "<title>{TITLE_EN} · Knowledge Bank Student Wellbeing</title>"
    )));
    assert!(en.contains(&format!("<p class=\"lead\">{SUMMARY_EN}</p>")));
    assert!(!en.contains(TITLE_NL), "no Dutch title on the English page");
    let (status, nl) = page(&app, &path, "nl").await;
    assert_eq!(status, 200);
    assert!(nl.contains(&format!("<h1>{TITLE_NL}</h1>")), "{nl}");
    assert!(nl.contains(&format!(
        "<title>{TITLE_NL} · Kennisbank Studentenwelzijn</title>"
    )));
    assert!(!nl.contains(TITLE_EN), "no English title on the Dutch page");
    // The language follows Accept-Language as well as the address.
    let (_, chosen) = page(&app, &path, "en-GB,en;q=0.9").await;
    assert!(chosen.contains(&format!("<h1>{TITLE_EN}</h1>")));

    // A word only in the English title finds it; an English search shows its English
    // title, a Dutch one its Dutch title.
    assert_eq!(found(&app, "wayfinder").await, 1);
    assert_eq!(found(&app, "wegwijsavonden").await, 1);
    let hits = "query($q: String!) {
      search(query: $q) { totalCount nodes { snippet { title } initiative { slug titleEn } } }
    }";
    let r = app
        .gql_with(
            hits,
            json!({ "q": "wayfinder" }),
            header("accept-language", "en"),
        )
        .await;
    assert_eq!(ok(&r)["search"]["totalCount"], 1);
    assert_eq!(
        r["data"]["search"]["nodes"][0]["snippet"]["title"],
        "<mark>Wayfinder</mark> evenings for new students"
    );
    assert_eq!(r["data"]["search"]["nodes"][0]["initiative"]["slug"], slug);
    let r = app
        .gql_with(
            hits,
            json!({ "q": "wayfinder" }),
            header("accept-language", "nl"),
        )
        .await;
    assert_eq!(
        ok(&r)["search"]["nodes"][0]["snippet"]["title"],
        TITLE_NL,
        "a Dutch search shows the Dutch title, nothing of it matched"
    );
    let (status, results) = page(&app, "/zoeken?q=wayfinder&lang=en", "en").await;
    assert_eq!(status, 200);
    assert!(
        results.contains("<strong>1 initiative found</strong>"),
        "{results}"
    );
    assert!(results.contains(&format!(
        "<h2><a href=\"/initiatieven/{slug}?lang=en\"><mark>Wayfinder</mark> evenings for new students</a></h2>"
    )), "{results}");
    assert!(
        results.contains(&format!("<p>{SUMMARY_EN}</p>")),
        "{results}"
    );

    // An empty English title clears it: the English site falls back to the Dutch one,
    // marked as Dutch, and the English word no longer finds it.
    let r = app
        .gql_as(
            &editor,
            UPDATE,
            json!({ "id": id, "v": 3, "input": { "titleEn": "" } }),
        )
        .await;
    let updated = &ok(&r)["updateInitiative"]["initiative"];
    assert_eq!(updated["version"], 4);
    assert_eq!(updated["titleEn"], Value::Null);
    assert_eq!(updated["summaryEn"], SUMMARY_EN, "the summary stays");
    let (_, en) = page(&app, &format!("{path}?lang=en"), "en").await;
    assert!(
        en.contains(&format!("<h1 lang=\"nl\">{TITLE_NL}</h1>")),
        "{en}"
    );
    assert!(en.contains(&format!("<p class=\"lead\">{SUMMARY_EN}</p>")));
    let (_, nl) = page(&app, &path, "nl").await;
    assert!(nl.contains(&format!("<h1>{TITLE_NL}</h1>")));
    assert_eq!(found(&app, "wayfinder").await, 0);
    assert_eq!(found(&app, "wegwijsavonden").await, 1);
    let (_, results) = page(&app, "/zoeken?q=wegwijsavonden&lang=en", "en").await;
    assert!(results.contains(&format!(
        "<h2 lang=\"nl\"><a href=\"/initiatieven/{slug}?lang=en\"><mark>Wegwijsavonden</mark> voor nieuwe studenten</a></h2>"
    )), "{results}");

    // Revisions record both languages, before and after.
    let r = app.gql_as(&editor, REVISIONS, json!({ "id": id })).await;
    let revisions = ok(&r)["node"]["revisions"]
        .as_array()
        .expect("revisions")
        .clone();
    let kinds: Vec<&str> = revisions
        .iter()
        .map(|v| v["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["UPDATE", "PUBLISH", "SUBMIT", "CREATE"]);
    let create = &revisions[3];
    assert_eq!(create["after"]["title_en"], TITLE_EN);
    assert_eq!(create["after"]["summary_en"], SUMMARY_EN);
    let update = &revisions[0];
    assert_eq!(update["before"]["title_en"], TITLE_EN);
    assert_eq!(update["after"]["title_en"], Value::Null);
    assert_eq!(update["after"]["summary_en"], SUMMARY_EN);
    assert_eq!(update["after"]["title"], TITLE_NL);

    // A too long English title is refused on its field and writes nothing.
    let long = "w".repeat(201);
    let r = app
        .gql_as(
            &editor,
            UPDATE,
            json!({ "id": id, "v": 4, "input": { "titleEn": long, "summary": "Nieuw" } }),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    assert_eq!(r["errors"][0]["extensions"]["field"], "input.titleEn");
    assert_eq!(r["data"], Value::Null);
    let r = app.gql_as(&editor, REVISIONS, json!({ "id": id })).await;
    assert_eq!(ok(&r)["node"]["version"], 4);
    assert_eq!(
        r["data"]["node"]["revisions"].as_array().map(Vec::len),
        Some(4),
        "no revision was written"
    );
    let r = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Initiative { summary titleEn } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r["node"]["summary"], SUMMARY_NL);
    assert_eq!(r["node"]["titleEn"], Value::Null);
}
