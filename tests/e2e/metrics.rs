//! Prometheus metrics over HTTP: each operation counted by name and outcome, its duration
//! and SQL statements, dataloader batch sizes, the pool and the read model's position.

use std::collections::BTreeMap;

use serde_json::json;

use crate::on_both;
use crate::support::{TestApp, config, error_code};

/// The samples of a scrape: metric name and sorted labels → value.
type Samples = BTreeMap<(String, Vec<(String, String)>), f64>;

fn samples(text: &str) -> Samples {
    let mut out = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let (name, labels) = match series.split_once('{') {
            Some((name, rest)) => (name, rest.trim_end_matches('}')),
            None => (series, ""),
        };
        let mut labels: Vec<(String, String)> = labels
            .split("\",")
            .filter(|l| !l.is_empty())
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.trim_matches('"').to_owned()))
            .collect();
        labels.sort();
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("a number in {line}"));
        out.insert((name.to_owned(), labels), value);
    }
    out
}

fn sample(all: &Samples, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut labels: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    labels.sort();
    all.get(&(name.to_owned(), labels)).copied()
}

async fn scrape(app: &TestApp) -> Samples {
    let r = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("scrape");
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    samples(&r.text().await.expect("text"))
}

on_both!(metrics_count_operations_statements_batches_and_the_read_model);
async fn metrics_count_operations_statements_batches_and_the_read_model(app: TestApp) {
    // Names of this test's own, so that other tests' requests in this process (one
    // recorder for the process) do not count here.
    let probe = format!("MetricsProbe{:?}", app.db);
    let query = format!(
        "query {probe} {{
          initiatives(first: 5) {{
            nodes {{ title themes {{ code }} organisations {{ organisation {{ name }} }} }}
          }}
        }}"
    );
    let (statements, r) = app.count_statements(&query, json!({})).await;
    assert!(r.get("errors").is_none(), "{r}");
    assert!(statements >= 3, "{statements}");
    let failing = format!("query {probe}Bad {{ node(id: \"nope\") {{ id }} }}");
    assert_eq!(
        error_code(&app.gql(&failing, json!({})).await),
        "BAD_USER_INPUT"
    );
    let bad = format!("{probe}Bad");
    let all = scrape(&app).await;
    let get = |metric: &str, labels: &[(&str, &str)]| sample(&all, metric, labels);
    assert_eq!(
        get(
            "kb_graphql_requests_total",
            &[("operation", &probe), ("outcome", "ok")]
        ),
        Some(1.0)
    );
    assert_eq!(
        get(
            "kb_graphql_requests_total",
            &[("operation", &probe), ("outcome", "error")]
        ),
        None
    );
    assert_eq!(
        get(
            "kb_graphql_requests_total",
            &[("operation", &bad), ("outcome", "error")]
        ),
        Some(1.0)
    );
    // The statements of the operation, counted across the tasks its loaders ran on,
    // are those the store ran for the request (an anonymous one: no key looked up).
    assert_eq!(
        get("kb_graphql_sql_statements_count", &[("operation", &probe)]),
        Some(1.0)
    );
    assert_eq!(
        get("kb_graphql_sql_statements_sum", &[("operation", &probe)]),
        Some(statements as f64)
    );
    assert_eq!(
        get("kb_graphql_sql_statements_sum", &[("operation", &bad)]),
        Some(0.0)
    );
    assert_eq!(
        get(
            "kb_graphql_request_duration_seconds_count",
            &[("operation", &probe)]
        ),
        Some(1.0)
    );
    let seconds = get(
        "kb_graphql_request_duration_seconds_sum",
        &[("operation", &probe)],
    )
    .expect("duration");
    assert!(seconds > 0.0 && seconds < 10.0, "{seconds}");
    // Loaders report their batch sizes; the pool and the read model are gauges.
    assert!(
        get(
            "kb_dataloader_batch_size_count",
            &[("loader", "ThemesOfInitiative")]
        )
        .is_some_and(|n| n >= 1.0)
    );
    assert!(get("kb_db_pool_connections", &[("state", "idle")]).is_some());
    assert!(get("kb_db_pool_connections", &[("state", "in_use")]).is_some());
    assert!(get("kb_read_model_position", &[]).is_some_and(|p| p >= 0.0));
    assert!(get("kb_read_model_lag_changes", &[]).is_some_and(|l| l >= 0.0));
    assert_eq!(get("kb_search_index_behind", &[]), Some(0.0));
    // Counted for the whole process, which other tests share.
    assert!(get("kb_db_connections_discarded_total", &[]).is_some_and(|n| n >= 0.0));
    // Buckets are cumulative and end in +Inf with the count.
    assert_eq!(
        get(
            "kb_graphql_sql_statements_bucket",
            &[("operation", &probe), ("le", "+Inf")]
        ),
        Some(1.0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_can_be_turned_off() {
    let app =
        TestApp::spawn_with(crate::support::Db::Sqlite, config(&["--metrics", "false"])).await;
    let r = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 404);
}

on_both!(an_analytics_answer_is_sent_again_until_the_next_change);
async fn an_analytics_answer_is_sent_again_until_the_next_change(app: TestApp) {
    use kb_domain::workflow::Action;
    use kb_domain::{InitiativeKind, OrganisationRole, Viewer};
    use kb_store::Actor;

    // Metrics are the process's: each database's run names its operation apart.
    let operation = format!("KeptProbe{}", app.addr.port());
    let table = format!(
        "query {operation} {{ analytics {{
          cooccurrence(rows: THEME, columns: KIND, filter: {{ statuses: [DRAFT, PUBLISHED] }}) {{
            population cells {{ row column count }}
          }}
        }} }}"
    );
    let count = |s: &Samples, outcome: &str| {
        sample(
            s,
            "kb_graphql_requests_total",
            &[("operation", operation.as_str()), ("outcome", outcome)],
        )
        .unwrap_or(0.0)
    };
    let counts = |s: &Samples| (count(s, "ok"), count(s, "kept"));
    let population = |r: &serde_json::Value| {
        r["data"]["analytics"]["cooccurrence"]["population"]
            .as_i64()
            .unwrap_or_else(|| panic!("a population in {r}"))
    };
    // A draft: editors count it, the public does not.
    let lead = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("org");
    let draft = app
        .store
        .create_initiative(
            &Actor::cli(),
            kb_domain::input::InitiativeInput {
                title: Some("Een concept voor de tabel".into()),
                summary: Some("Telt mee in de tabel zodra het gepubliceerd is.".into()),
                kind: Some(InitiativeKind::Tool),
                themes: Some(vec!["support".into()]),
                topics: Some(vec!["resilience".into()]),
                organisations: Some(vec![(lead.id, OrganisationRole::Lead)]),
                ..Default::default()
            },
        )
        .await
        .expect("create");
    let editor = app
        .store
        .create_api_key(&Actor::cli(), "kept", kb_domain::Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    app.caught_up().await;

    let first = app.gql(&table, json!({})).await;
    let published = population(&first);
    assert_eq!(counts(&scrape(&app).await), (1.0, 0.0));
    // The same question again: the same answer, not run again.
    let again = app.gql(&table, json!({})).await;
    assert_eq!(again, first);
    assert_eq!(counts(&scrape(&app).await), (1.0, 1.0));
    // An editor is another kind of reader: its own answer, with the drafts.
    let by_editor = app.gql_as(&editor, &table, json!({})).await;
    assert!(population(&by_editor) > published, "{by_editor}");
    assert_eq!(counts(&scrape(&app).await), (2.0, 1.0));
    assert_eq!(app.gql_as(&editor, &table, json!({})).await, by_editor);
    assert_eq!(counts(&scrape(&app).await), (2.0, 2.0));

    // Published: the next answer to the public counts it, and is kept in its turn.
    for action in [Action::Submit, Action::Publish] {
        app.store
            .transition_initiative(&Actor::cli(), draft.id, action, None, None)
            .await
            .expect("transition");
    }
    app.caught_up().await;
    let after = app.gql(&table, json!({})).await;
    assert_eq!(population(&after), published + 1, "{after}");
    assert_eq!(counts(&scrape(&app).await), (3.0, 2.0));
    assert_eq!(app.gql(&table, json!({})).await, after);
    assert_eq!(counts(&scrape(&app).await), (3.0, 3.0));
}
