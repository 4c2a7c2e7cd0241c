//! Driving one operation against one server: a number of requests spread over a number
//! of connections, each latency recorded in an HDR histogram (microseconds, three
//! significant digits), and the SQL statements per request read back from `/metrics`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use serde_json::{Value, json};

use crate::operations::{Operation, Request, Vars};

/// Error responses seen (HTTP errors, GraphQL errors, failed requests); the first few are
/// printed on stderr.
pub static ERRORS: AtomicUsize = AtomicUsize::new(0);

fn failed(what: &str) {
    if ERRORS.fetch_add(1, Ordering::Relaxed) < 3 {
        eprintln!("error: {what}");
    }
}

/// A server under load: its base URL (`http://127.0.0.1:PORT`) and the initiatives the
/// per-node operations take in turn.
#[derive(Debug, Clone)]
pub struct Target {
    pub base: String,
    pub nodes: Arc<Vec<Value>>,
}

impl Target {
    /// The server at `base`, with the nodes `query` lists under `data.<path>.nodes`.
    pub async fn new(
        client: &reqwest::Client,
        base: &str,
        (query, path): (&str, &str),
    ) -> anyhow::Result<Self> {
        let seed: Value = client
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": query }))
            .send()
            .await
            .with_context(|| format!("{base} is not reachable"))?
            .json()
            .await?;
        let nodes = seed["data"][path]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        anyhow::ensure!(!nodes.is_empty(), "{base} has no initiatives: {seed}");
        Ok(Self {
            base: base.to_owned(),
            nodes: Arc::new(nodes),
        })
    }
}

/// What one operation measured.
#[derive(Debug)]
pub struct Measured {
    pub requests: u64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
    pub per_second: f64,
    /// SQL statements per request, where the server counts them.
    pub sql: Option<f64>,
}

/// `query` as an operation named `name`, so that `/metrics` counts it apart.
fn named(query: &str, name: &str) -> String {
    let query = query.trim_start();
    match query.strip_prefix("query") {
        Some(rest) => format!("query {name}{rest}"),
        None => format!("query {name} {query}"),
    }
}

async fn send(client: &reqwest::Client, target: &Target, request: &Request, query: &str, i: usize) {
    let n = &target.nodes[i % target.nodes.len()];
    let response = match request {
        Request::Get { path } => client.get(format!("{}{path}", target.base)).send().await,
        Request::GraphQl { vars, .. } => {
            let variables = match vars {
                Vars::None => json!({}),
                Vars::Slug => json!({ "slug": n["slug"] }),
                Vars::Id => json!({ "id": n["id"] }),
            };
            client
                .post(format!("{}/graphql", target.base))
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await
        }
    };
    match response {
        Ok(r) if !r.status().is_success() => failed(&format!("HTTP {}", r.status())),
        Ok(r) if matches!(request, Request::GraphQl { .. }) => {
            let body: Value = r.json().await.unwrap_or(Value::Null);
            if body.get("errors").is_some() || body.get("data").is_none() {
                failed(&body.to_string());
            }
        }
        Ok(r) => {
            let _ = r.bytes().await;
        }
        Err(e) => failed(&e.to_string()),
    }
}

/// Sends `requests` requests of `op` over `concurrency` connections; their latencies.
async fn drive(
    client: &reqwest::Client,
    target: &Target,
    request: &Request,
    query: &Arc<str>,
    requests: usize,
    concurrency: usize,
) -> Histogram<u64> {
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (client, target, request, query) = (
            client.clone(),
            target.clone(),
            request.clone(),
            query.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut times = latencies();
            let mut i = worker;
            while i < requests {
                let started = Instant::now();
                send(&client, &target, &request, &query, i).await;
                let took = started.elapsed();
                times.saturating_record(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
                i += concurrency;
            }
            times
        }));
    }
    let mut times = latencies();
    for t in tasks {
        match t.await {
            Ok(h) => {
                if times.add(h).is_err() {
                    failed("histograms of different bounds");
                }
            }
            Err(e) => failed(&format!("a worker failed: {e}")),
        }
    }
    times
}

/// An empty histogram of latencies in microseconds, from 1 µs to 60 s.
fn latencies() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds")
}

/// The SQL statements the server recorded for operation `name` so far: their sum and the
/// number of operations, from `/metrics`; `None` where it has no such metric.
async fn statements(client: &reqwest::Client, base: &str, name: &str) -> Option<(f64, f64)> {
    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
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

/// Measures `op` (sent as operation `label`): first `warmup` requests untimed (servers in
/// service answer from warm caches, and so does each server measured here), then
/// `requests` timed ones over `concurrency` connections.
pub async fn measure(
    client: &reqwest::Client,
    target: &Target,
    op: &Operation,
    label: &str,
    (warmup, requests, concurrency): (usize, usize, usize),
) -> Measured {
    let query: Arc<str> = match &op.request {
        Request::GraphQl { query, .. } => named(query, label).into(),
        Request::Get { .. } => "".into(),
    };
    drive(client, target, &op.request, &query, warmup, concurrency).await;
    let before = statements(client, &target.base, label).await;
    let started = Instant::now();
    let times = drive(client, target, &op.request, &query, requests, concurrency).await;
    let elapsed = started
        .elapsed()
        .max(Duration::from_micros(1))
        .as_secs_f64();
    let after = statements(client, &target.base, label).await;
    let sql = match (before, after) {
        (Some((s0, n0)), Some((s1, n1))) if n1 > n0 => Some((s1 - s0) / (n1 - n0)),
        _ => None,
    };
    let ms = |q: f64| times.value_at_quantile(q) as f64 / 1000.0;
    Measured {
        requests: times.len(),
        p50: ms(0.50),
        p95: ms(0.95),
        p99: ms(0.99),
        max: ms(1.0),
        per_second: times.len() as f64 / elapsed,
        sql,
    }
}
