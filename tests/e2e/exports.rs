//! The open-data exports, over HTTP and the command line, on SQLite and PostgreSQL: each
//! read back by a real parser of its format (Python's csv and pandas, networkx, rdflib,
//! run by `read_export.py` in the virtual environment `scripts/setup-tests.sh` makes)
//! and compared with what the GraphQL API counts for the public. A draft is in the
//! database throughout and must appear nowhere; a published initiative whose title holds
//! a comma, quotes, an ampersand and angle brackets must come back exactly.

use kb_domain::input::InitiativeInput;
use kb_domain::workflow::Action;
use kb_domain::{InitiativeKind, OrganisationRole, Viewer};
use kb_store::Actor;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_both;
use crate::support::TestApp;
use crate::tools;

/// What `read_export.py` says of `body` read as `kind`.
async fn read_back(kind: &str, body: &[u8]) -> Value {
    read_with("read_export.py", kind, body).await
}

/// What the Python reader `script` (in tests/e2e) says of `body` read as `kind`.
pub(crate) async fn read_with(script: &str, kind: &str, body: &[u8]) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("body");
    std::fs::write(&file, body).expect("write the body");
    let script = tools::root().join("tests/e2e").join(script);
    let out = tokio::process::Command::new(tools::python())
        .arg(&script)
        .arg(kind)
        .arg(&file)
        .output()
        .await
        .expect("run the Python reader");
    assert!(
        out.status.success(),
        "{kind} did not read back: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the reader prints JSON")
}

pub(crate) async fn get(
    app: &TestApp,
    path: &str,
    if_none_match: Option<&str>,
) -> reqwest::Response {
    let mut r = app.client().get(app.url(path));
    if let Some(tag) = if_none_match {
        r = r.header("if-none-match", tag);
    }
    r.send().await.expect("request")
}

/// The body of a download that must succeed with this media type.
pub(crate) async fn download(app: &TestApp, path: &str, media: &str) -> Vec<u8> {
    let r = get(app, path, None).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], media, "{path}");
    r.bytes().await.expect("body").to_vec()
}

/// The titles of a published initiative whose title needs quoting and escaping, and of
/// a draft.
struct World {
    published: String,
    summary: String,
    draft: String,
}

async fn world(app: &TestApp) -> World {
    let editor = Actor {
        viewer: Viewer::Editor,
        key_id: None,
        account_id: None,
        name: "exports".into(),
    };
    let anchor = app
        .store
        .initiatives_by_slugs(
            Viewer::Editor,
            &["buddyprogramma-eerstejaars-waddenpoort".into()],
        )
        .await
        .expect("query")
        .pop()
        .expect("anchor");
    let orgs = app
        .store
        .organisations_of_initiatives(Viewer::Anonymous, &[anchor.id])
        .await
        .expect("organisations");
    let org = orgs.first().expect("an organisation").2.id;
    let input = |title: &str| InitiativeInput {
        title: Some(title.into()),
        summary: Some("Samen, \"met elkaar\" & voor iedereen.".into()),
        kind: Some(InitiativeKind::Tool),
        start_year: Some(2024),
        themes: Some(vec!["policy".into()]),
        topics: Some(vec!["resilience".into()]),
        organisations: Some(vec![(org, OrganisationRole::Lead)]),
        ..Default::default()
    };
    let published = app
        .store
        .create_initiative(&editor, input("Zorg, \"welzijn\" & <samen>; één"))
        .await
        .expect("create");
    for a in [Action::Submit, Action::Publish] {
        app.store
            .transition_initiative(&editor, published.id, a, None, None)
            .await
            .expect("publish");
    }
    let draft = app
        .store
        .create_initiative(&editor, input("Concept dat niemand buiten ziet"))
        .await
        .expect("draft");
    app.caught_up().await;
    World {
        published: published.title,
        summary: published.summary,
        draft: draft.title,
    }
}

fn count(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

on_both!(the_csv_exports_read_back_as_the_api_counts);
async fn the_csv_exports_read_back_as_the_api_counts(app: TestApp) {
    let w = world(&app).await;
    let r = get(&app, "/export/initiatives.csv", None).await;
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"initiatives.csv\""
    );
    let body = download(&app, "/export/initiatives.csv", "text/csv; charset=utf-8").await;
    let csv = read_back("initiatives", &body).await;
    let total = count(
        &app.data("{ initiatives { totalCount } }", json!({})).await["initiatives"]["totalCount"],
    );
    let rows = csv["rows"].as_array().expect("rows");
    assert_eq!(rows.len() as u64, total);
    assert_eq!(count(&csv["pandas_rows"]), total);
    assert_eq!(
        csv["columns"],
        json!([
            "id",
            "slug",
            "title",
            "summary",
            "title_en",
            "summary_en",
            "kind",
            "themes",
            "topics",
            "organisations",
            "lead_organisation",
            "region",
            "start_year",
            "end_year",
            "languages",
            "target_groups",
            "education_levels",
            "format",
            "cost",
            "evidence_level",
            "website",
            "published_at",
            "updated_at"
        ])
    );
    let titles: Vec<&str> = rows.iter().filter_map(|r| r["title"].as_str()).collect();
    assert!(!titles.contains(&w.draft.as_str()), "a draft was exported");
    let row = rows
        .iter()
        .find(|r| r["title"] == w.published.as_str())
        .expect("the published initiative, its title read back exactly");
    assert_eq!(row["summary"], w.summary.as_str());
    assert_eq!(row["themes"], "policy");
    assert_eq!(row["topics"], "resilience");
    assert_eq!(row["kind"], "tool");
    assert_eq!(row["start_year"], "2024");
    assert_eq!(row["end_year"], "");
    assert_eq!(
        csv["pandas_titles"].as_array().map(Vec::len),
        Some(rows.len())
    );

    // The command line writes the same bytes.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("initiatives.csv");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_kennisbank"))
        .args([
            "--database-url",
            app.database_url.as_str(),
            "export",
            "--format",
            "csv",
            "--output",
        ])
        .arg(&file)
        .output()
        .await
        .expect("run kennisbank export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&file).expect("read"), body);

    // Co-occurrence: every cell as GraphQL counts it.
    let path = "/export/cooccurrence.csv?rows=THEME&columns=topic";
    let body = download(&app, path, "text/csv; charset=utf-8").await;
    let table = read_back("cooccurrence", &body).await;
    let api = app
        .data(
            "{ analytics { cooccurrence(rows: THEME, columns: TOPIC) {
                     population rows { value } columns { value }
                     cells { row column count lift pValue } } } }",
            json!({}),
        )
        .await;
    let api = &api["analytics"]["cooccurrence"];
    assert_eq!(table["population"], json!([api["population"]]));
    let cells = api["cells"].as_array().expect("cells");
    assert!(!cells.is_empty());
    assert_eq!(
        table["shape"],
        json!([
            api["rows"].as_array().map(Vec::len),
            api["columns"].as_array().map(Vec::len)
        ])
    );
    let read: Vec<Value> = table["cells"].as_array().expect("cells").clone();
    let expected: Vec<Value> = cells
        .iter()
        .map(|c| {
            json!({ "row": c["row"], "column": c["column"], "count": c["count"],
                    "lift": c["lift"], "p_value": c["pValue"] })
        })
        .collect();
    assert_eq!(read, expected);
    let cli = tokio::process::Command::new(env!("CARGO_BIN_EXE_kennisbank"))
        .args([
            "--database-url",
            app.database_url.as_str(),
            "export",
            "--format",
            "cooccurrence-csv",
            "--rows",
            "theme",
            "--columns",
            "TOPIC",
        ])
        .output()
        .await
        .expect("run kennisbank export");
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert_eq!(cli.stdout, body);

    // A dimension that is not one, or none, is bad input on its parameter.
    for (path, field) in [
        ("/export/cooccurrence.csv?rows=COLOUR&columns=TOPIC", "rows"),
        ("/export/cooccurrence.csv?rows=THEME", "columns"),
    ] {
        let r = get(&app, path, None).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let e: Value = r.json().await.expect("JSON");
        assert_eq!(e["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(e["errors"][0]["extensions"]["field"], field);
    }
}

on_both!(the_graph_exports_read_back_with_networkx_and_rdflib);
async fn the_graph_exports_read_back_with_networkx_and_rdflib(app: TestApp) {
    let w = world(&app).await;
    let api = app
        .data(
            "{ initiatives { totalCount } organisations { totalCount }
                   events { totalCount } themes { code } topics { code broader { code } } }",
            json!({}),
        )
        .await;
    let initiatives = count(&api["initiatives"]["totalCount"]);
    let organisations = count(&api["organisations"]["totalCount"]);
    let events = count(&api["events"]["totalCount"]);
    let themes = api["themes"].as_array().map_or(0, Vec::len) as u64;
    let topics = api["topics"].as_array().expect("topics");
    let narrower = topics.iter().filter(|t| !t["broader"].is_null()).count() as u64;
    let topics = topics.len() as u64;
    let nodes = initiatives + organisations + events + themes + topics;
    let csv = read_back(
        "initiatives",
        &download(&app, "/export/initiatives.csv", "text/csv; charset=utf-8").await,
    )
    .await;

    let graphml = read_back(
        "graphml",
        &download(&app, "/export/graph.graphml", "application/graphml+xml").await,
    )
    .await;
    assert_eq!(count(&graphml["nodes"]), nodes);
    assert_eq!(graphml["directed"], true);
    assert_eq!(
        graphml["node_types"],
        json!({ "Initiative": initiatives, "Organisation": organisations,
                "Event": events, "Theme": themes, "Topic": topics })
    );
    assert_eq!(graphml["edge_types"]["BY"], csv["organisation_links"]);
    assert_eq!(count(&graphml["edge_types"]["BROADER"]), narrower);
    let labels = graphml["labels"].as_array().expect("labels");
    assert!(labels.contains(&json!(w.published)));
    assert!(!labels.contains(&json!(w.draft)), "a draft was exported");

    let node_link = read_back(
        "nodelink",
        &download(&app, "/export/graph.json", "application/json").await,
    )
    .await;
    assert_eq!(node_link["multigraph"], true);
    for key in [
        "nodes",
        "edges",
        "directed",
        "node_types",
        "edge_types",
        "labels",
    ] {
        assert_eq!(node_link[key], graphml[key], "{key}");
    }

    let ld = read_back(
        "jsonld",
        &download(&app, "/export/kennisbank.jsonld", "application/ld+json").await,
    )
    .await;
    assert_eq!(count(&ld["initiatives"]), initiatives);
    assert_eq!(count(&ld["organisations"]), organisations);
    assert_eq!(count(&ld["events"]), events);
    assert_eq!(count(&ld["concepts"]), themes + topics);
    assert_eq!(count(&ld["schemes"]), 2);
    assert_eq!(
        ld["pref_labels"],
        json!({ "nl": themes + topics, "en": themes + topics })
    );
    assert_eq!(count(&ld["broader"]), narrower);
    let names = ld["names"].as_array().expect("names");
    assert!(names.contains(&json!(w.published)));
    assert!(!names.contains(&json!(w.draft)), "a draft was exported");
    let leads = csv["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["lead_organisation"] != "")
        .count() as u64;
    assert_eq!(count(&ld["creators"]), leads);
}

const EXPORTS: [(&str, &str); 5] = [
    ("/export/initiatives.csv", "initiatives-csv"),
    (
        "/export/cooccurrence.csv?rows=KIND&columns=REGION",
        "cooccurrence-kind-region-csv",
    ),
    ("/export/graph.graphml", "graph-graphml"),
    ("/export/graph.json", "graph-json"),
    ("/export/kennisbank.jsonld", "kennisbank-jsonld"),
];

on_both!(an_export_is_not_sent_again_until_a_write_changes_its_etag);
async fn an_export_is_not_sent_again_until_a_write_changes_its_etag(app: TestApp) {
    let position = app.model.position().await;
    let mut tags = Vec::new();
    for (path, name) in EXPORTS {
        let r = get(&app, path, None).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let tag = r.headers()["etag"].to_str().expect("ETag").to_owned();
        assert_eq!(tag, format!("W/\"kb-{position}-{name}\""));
        assert_eq!(r.headers()["cache-control"], "no-cache");
        let r = get(&app, path, Some(tag.as_str())).await;
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(r.headers()["etag"].to_str().expect("ETag"), tag);
        assert!(r.bytes().await.expect("body").is_empty());
        tags.push(tag);
    }
    // A write, even of a draft nobody outside sees, moves the change log.
    world(&app).await;
    let moved = app.model.position().await;
    assert!(moved > position);
    for ((path, name), old) in EXPORTS.iter().zip(&tags) {
        let r = get(&app, path, Some(old.as_str())).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(
            r.headers()["etag"],
            format!("W/\"kb-{moved}-{name}\"").as_str()
        );
    }
}
