//! Load benchmark of the standard read operations against a running server.
//!
//! `cargo run --release -p kb-server --example bench -- URL [REQUESTS] [CONCURRENCY]`
//! prints, per operation, latency percentiles (an HDR histogram of microseconds, three
//! significant digits), throughput and, where the server exports Kennisbank's metrics,
//! the SQL statements per request as a Markdown table row. Each operation is sent under
//! a name of its own (`Bench1`, …), which the statements are read back by from `/metrics`.
//! `ONLY=name,name` (environment) runs only operations whose name starts with one of these.
//! Only talks to the URL given (a local server); stops after REQUESTS per operation.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde_json::{Value, json};

const PAGE: &str = r#"query($slug: String!) { initiative(slug: $slug) { title summary body kind languages
  themes { code label } topics { code label broader { label } }
  organisations { role organisation { name kind region } }
  events(first: 5) { nodes { title startsAt } }
  buildsOn { slug title } builtOnBy { slug title } relatedTo { slug title } } }"#;
const LISTING: &str = r#"{ initiatives(first: 20) { totalCount nodes { title summary themes { code } topics { code }
  organisations { role organisation { name kind } } } pageInfo { endCursor hasNextPage } } }"#;
const FILTERED: &str = r#"{ initiatives(first: 20, filter: { topics: ["special_circumstances"], themes: ["support"] }) {
  totalCount nodes { title } } }"#;
const FACETS: &str = r#"{ initiatives(first: 1, filter: { themes: ["prevention"] }) { facets { themes { value { code } count }
  topics { value { code } count } kinds { value count } organisationKinds { value count } regions { value count } years { value count } } } }"#;
const THEMES: &str =
    r#"{ themes { code label initiatives(first: 5) { totalCount nodes { title } } } }"#;
const RELATED: &str = r#"query($slug: String!) { initiative(slug: $slug) { related(first: 10) { score
  initiative { slug title } reasons { topics { code } themes { code } } } } }"#;
const SEARCH: &str = r#"{ search(query: "veilig netwerk", filter: { kinds: [TRAINING, TOOL, GUIDE], regions: [UTRECHT, ZEELAND, FRIESLAND] }, first: 10) {
  totalCount nodes { score initiative { title } } facets { kinds { value count } regions { value count } topics { value { code } count } } } }"#;
const SUGGEST: &str = r#"{ suggest(prefix: "gezo") { text kind } }"#;
// The same three questions in PostGraphile v5's schema of the same tables, published rows
// only: an initiative with its themes, topics, organisations, events and links; a page of
// 20 with relations and the total; one theme's initiatives about one topic with the total.
const PEER_PAGE: &str = r#"query($slug: String!) { initiativeBySlug(slug: $slug) { title summary body kind
  initiativeThemesByInitiativeId { nodes { themeByThemeId { code labelNl } } }
  initiativeTopicsByInitiativeId { nodes { topicByTopicId { code labelNl topicByBroaderId { labelNl } } } }
  initiativeOrganisationsByInitiativeId { nodes { role organisationByOrganisationId { name kind region } } }
  eventInitiativesByInitiativeId(first: 5) { nodes { eventByEventId { title startsAt } } }
  initiativeLinksByFromId { nodes { linkType initiativeByToId { slug title } } } } }"#;
const PEER_LISTING: &str = r#"{ allInitiatives(first: 20, condition: { status: "published" }, orderBy: PUBLISHED_AT_DESC) {
  totalCount nodes { title summary initiativeThemesByInitiativeId { nodes { themeByThemeId { code } } }
  initiativeTopicsByInitiativeId { nodes { topicByTopicId { code } } }
  initiativeOrganisationsByInitiativeId { nodes { role organisationByOrganisationId { name kind } } } }
  pageInfo { endCursor hasNextPage } } }"#;
// PostGraphile's conditions cannot reach through the join table to the initiative's
// status, so its answer also counts unpublished initiatives of the theme (less work).
const PEER_FILTERED: &str = r#"{ themeByCode(code: "support") { initiativeThemesByThemeId(first: 20) { totalCount
  nodes { initiativeByInitiativeId { title } } } } }"#;
const THEME_LISTING: &str =
    r#"{ initiatives(first: 20, filter: { themes: ["support"] }) { totalCount nodes { title } } }"#;
// Analytics (the analyst API): co-occurrence of two dimensions, with a filter of three
// facets, against thousands of organisations; a neighbourhood of depth 2; PageRank.
const COOCCURRENCE: &str = r#"{ analytics { cooccurrence(rows: THEME, columns: TOPIC) { population
  cells { row column count expected lift jaccard npmi pValue } } } }"#;
const COOCCURRENCE_FILTERED: &str = r#"{ analytics { cooccurrence(rows: THEME, columns: TOPIC,
  filter: { kinds: [TRAINING, TOOL, GUIDE], regions: [UTRECHT, ZEELAND, FRIESLAND], languages: ["nl"] }) {
  population cells { row column count lift pValue } } } }"#;
const COOCCURRENCE_ORGANISATIONS: &str = r#"{ analytics { cooccurrence(rows: TOPIC, columns: ORGANISATION, minCount: 10) {
  population columns { value total } cells { row column count lift } } } }"#;
const NEIGHBOURHOOD: &str = r#"query($id: ID!) { analytics { neighbourhood(id: $id, depth: 2, limit: 2000,
  edgeTypes: [BUILDS_ON, INSPIRED_BY, RELATED_TO, FEATURES, ORGANISED_BY]) { nodes { id type depth } edges { type } } } }"#;
const PAGERANK: &str = r#"{ analytics { centrality(nodeType: ORGANISATION, measure: PAGERANK, first: 10) { id score } } }"#;
const NODE: &str =
    r#"query($id: ID!) { node(id: $id) { id ... on Initiative { title themes { code } } } }"#;

/// Error responses seen; the first few are printed.
static ERRORS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

async fn post(client: &reqwest::Client, url: &str, query: &str, variables: Value) -> Duration {
    let started = Instant::now();
    let r = client
        .post(url)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await;
    match r {
        Ok(r) => {
            let body: Value = r.json().await.unwrap_or(Value::Null);
            if (body.get("errors").is_some() || body.get("data").is_none())
                && ERRORS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < 3
            {
                eprintln!("error response: {body}");
            }
        }
        Err(e) => eprintln!("request failed: {e}"),
    }
    started.elapsed()
}

/// `query` as an operation named `name`.
fn named(query: &str, name: &str) -> String {
    let query = query.trim_start();
    match query.strip_prefix("query") {
        Some(rest) => format!("query {name}{rest}"),
        None => format!("query {name} {query}"),
    }
}

/// Kennisbank's SQL statements recorded for operation `name` so far: their sum and the
/// number of operations, from `/metrics` beside the GraphQL URL; `None` without it.
async fn statements(client: &reqwest::Client, url: &str, name: &str) -> Option<(f64, f64)> {
    let metrics = url.strip_suffix("/graphql")?.to_owned() + "/metrics";
    let text = client.get(metrics).send().await.ok()?.text().await.ok()?;
    let find = |series: &str| {
        let prefix = format!("{series}{{operation=\"{name}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    let sum = find("kb_graphql_sql_statements_sum").unwrap_or(0.0);
    let count = find("kb_graphql_sql_statements_count").unwrap_or(0.0);
    text.contains("kb_graphql_sql_statements")
        .then_some((sum, count))
}

/// One operation: its query, and whether each request names a node from the list.
struct Op {
    query: String,
    per_node: bool,
    nodes: Vec<Value>,
}

/// Sends `requests` requests of `op` over `concurrency` connections; their latencies.
async fn drive(
    client: &reqwest::Client,
    url: &str,
    op: &std::sync::Arc<Op>,
    requests: usize,
    concurrency: usize,
) -> Histogram<u64> {
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (client, url, op) = (client.clone(), url.to_owned(), op.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = latencies();
            let mut i = worker;
            while i < requests {
                let n = &op.nodes[i % op.nodes.len()];
                let vars = if !op.per_node {
                    json!({})
                } else if op.query.contains("$id: ID!") {
                    json!({ "id": n["id"] })
                } else {
                    json!({ "slug": n["slug"] })
                };
                let took = post(&client, &url, &op.query, vars).await;
                times.saturating_record(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
                i += concurrency;
            }
            times
        }));
    }
    let mut times = latencies();
    for t in tasks {
        times
            .add(t.await.expect("worker"))
            .expect("histograms of the same bounds");
    }
    times
}

/// An empty histogram of latencies in microseconds, from 1 µs to 60 s, three
/// significant digits.
fn latencies() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds")
}

/// The latency at quantile `q`, in milliseconds.
fn percentile(h: &Histogram<u64>, q: f64) -> f64 {
    h.value_at_quantile(q) as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:8080/graphql".into());
    let requests: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let concurrency: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(4);
    let client = reqwest::Client::new();
    // A peer (PostGraphile) has its own schema: PEER=postgraphile asks it in its words.
    let peer = std::env::var("PEER").unwrap_or_default() == "postgraphile";
    let (seed_query, seed_path) = if peer {
        (
            r#"{ allInitiatives(first: 100, condition: { status: "published" }) { nodes { slug } } }"#,
            "allInitiatives",
        )
    } else {
        (
            "{ initiatives(first: 100) { nodes { id slug } } }",
            "initiatives",
        )
    };
    let seed: Value = client
        .post(&url)
        .json(&json!({ "query": seed_query }))
        .send()
        .await
        .expect("server reachable")
        .json()
        .await
        .expect("JSON");
    let nodes = seed["data"][seed_path]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!nodes.is_empty(), "the server has no initiatives: {seed}");

    println!(
        "| operation | requests | concurrency | p50 ms | p95 ms | p99 ms | max ms | req/s | SQL/request |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let peer_ops: [(&str, &str, bool); 3] = [
        ("initiative page", PEER_PAGE, true),
        ("listing, 20 with relations", PEER_LISTING, false),
        ("one theme's listing with total", PEER_FILTERED, false),
    ];
    let ops: [(&str, &str, bool); 15] = [
        ("initiative page", PAGE, true),
        ("one theme's listing with total", THEME_LISTING, false),
        ("listing, 20 with relations", LISTING, false),
        ("filtered listing", FILTERED, false),
        ("facets of a theme", FACETS, false),
        ("themes with 5 initiatives each", THEMES, false),
        ("node by id", NODE, true),
        ("related(first: 10)", RELATED, true),
        ("search with two facet filters", SEARCH, false),
        ("suggest", SUGGEST, false),
        ("co-occurrence theme × topic", COOCCURRENCE, false),
        ("co-occurrence, three facets", COOCCURRENCE_FILTERED, false),
        (
            "co-occurrence topic × organisation",
            COOCCURRENCE_ORGANISATIONS,
            false,
        ),
        ("neighbourhood, depth 2", NEIGHBOURHOOD, true),
        ("PageRank, top 10 organisations", PAGERANK, false),
    ];
    let only: Vec<String> = std::env::var("ONLY")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let ops: Vec<(&str, &str, bool)> = if peer {
        peer_ops.to_vec()
    } else {
        ops.to_vec()
    };
    for (number, (name, query, per_node)) in ops.into_iter().enumerate() {
        if !only.is_empty() && !only.iter().any(|o| name.starts_with(o.as_str())) {
            continue;
        }
        let operation = format!("Bench{}", number + 1);
        // A warm-up reads each node once (or WARMUP requests), untimed: servers in
        // service answer from warm caches, and so does each server measured here.
        let warmup = std::env::var("WARMUP")
            .ok()
            .and_then(|w| w.parse().ok())
            .unwrap_or(nodes.len());
        let op = std::sync::Arc::new(Op {
            query: named(query, &operation),
            per_node,
            nodes: nodes.clone(),
        });
        drive(&client, &url, &op, warmup, concurrency).await;
        let before = statements(&client, &url, &operation).await;
        let started = Instant::now();
        let times = drive(&client, &url, &op, requests, concurrency).await;
        let elapsed = started.elapsed().as_secs_f64();
        let after = statements(&client, &url, &operation).await;
        let sql = match (before, after) {
            (Some((s0, n0)), Some((s1, n1))) if n1 > n0 => format!("{:.2}", (s1 - s0) / (n1 - n0)),
            _ => "–".to_owned(),
        };
        println!(
            "| {name} | {} | {concurrency} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {sql} |",
            times.len(),
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            percentile(&times, 1.0),
            times.len() as f64 / elapsed
        );
    }
    let errors = ERRORS.load(std::sync::atomic::Ordering::Relaxed);
    if errors > 0 {
        eprintln!("{errors} error responses");
        std::process::exit(1);
    }
}
