//! A long mixed load against a running server: many readers (the initiative page, a
//! listing with relations, search with facets) and a few writers (create, update and
//! publish initiatives) at once, reporting every interval the requests, errors and the
//! server's resident memory, then a verdict: zero errors, and memory flat (the last
//! interval's resident memory within 10 % of the median of the second half).
//!
//! `cargo run --release -p kb-server --example soak -- URL EDITOR_KEY SECONDS CONCURRENCY PID`
//! (`scripts/soak.sh` starts the server and runs it). Exits 1 on any error or growth.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PAGE: &str = r#"query($slug: String!) { initiative(slug: $slug) { title themes { code label } topics { code label }
  organisations { role organisation { name } } events(first: 3) { nodes { title } } related(first: 5) { initiative { title } } } }"#;
const LISTING: &str = r#"{ initiatives(first: 20) { totalCount nodes { title themes { code } organisations { organisation { name } } } } }"#;
const SEARCH: &str = r#"{ search(query: "studenten", filter: { kinds: [TRAINING, TOOL] }, first: 10) { totalCount nodes { initiative { title } } facets { kinds { value count } } } }"#;
const CREATE: &str =
    "mutation($i: InitiativeInput!) { createInitiative(input: $i) { initiative { id version } } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: InitiativeInput!) { updateInitiative(id: $id, expectedVersion: $v, input: $i) { initiative { version } } }";
const PUBLISH: &str = "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }";

struct Counts {
    requests: AtomicU64,
    errors: AtomicU64,
    writes: AtomicU64,
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    key: Option<&str>,
    query: &str,
    vars: Value,
    counts: &Counts,
) -> Value {
    counts.requests.fetch_add(1, Ordering::Relaxed);
    let mut r = client
        .post(url)
        .json(&json!({ "query": query, "variables": vars }));
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    let body = match r.send().await {
        Ok(r) => r.json::<Value>().await.unwrap_or(Value::Null),
        Err(_) => Value::Null,
    };
    let failed = body.get("errors").is_some() || body.get("data").is_none_or(Value::is_null);
    if failed && counts.errors.fetch_add(1, Ordering::Relaxed) < 5 {
        eprintln!("error response: {body}");
    }
    body
}

fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    kb_server::install_crypto();
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, what: &str| {
        args.get(i)
            .cloned()
            .unwrap_or_else(|| panic!("missing {what}"))
    };
    let (url, key) = (arg(1, "URL"), arg(2, "EDITOR_KEY"));
    let seconds: u64 = arg(3, "SECONDS").parse().expect("seconds");
    let concurrency: usize = arg(4, "CONCURRENCY").parse().expect("concurrency");
    let pid: u32 = arg(5, "PID").parse().expect("pid");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    let seed = post(
        &client,
        &url,
        None,
        "{ initiatives(first: 100) { nodes { slug } } organisations(first: 1) { nodes { id } } }",
        json!({}),
        &Counts {
            requests: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            writes: AtomicU64::new(0),
        },
    )
    .await;
    let slugs: Vec<String> = seed["data"]["initiatives"]["nodes"]
        .as_array()
        .expect("initiatives")
        .iter()
        .filter_map(|n| n["slug"].as_str().map(str::to_owned))
        .collect();
    let lead = seed["data"]["organisations"]["nodes"][0]["id"]
        .as_str()
        .expect("an organisation")
        .to_owned();
    let counts = Arc::new(Counts {
        requests: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        writes: AtomicU64::new(0),
    });
    let stop = Arc::new(AtomicBool::new(false));
    let slugs = Arc::new(slugs);
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (client, url, key, lead, counts, stop, slugs) = (
            client.clone(),
            url.clone(),
            key.clone(),
            lead.clone(),
            counts.clone(),
            stop.clone(),
            slugs.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = worker;
            while !stop.load(Ordering::Relaxed) {
                // One worker in eight writes; the others read.
                if worker % 8 == 0 {
                    let title = format!("Duurproef {worker}-{i}");
                    let vars = json!({ "i": { "title": title, "summary": "Geschreven tijdens de duurproef.", "kind": "TOOL",
                        "themes": ["support"], "topics": ["resilience"], "organisations": [{ "organisation": lead, "role": "LEAD" }] } });
                    let r = post(&client, &url, Some(&key), CREATE, vars, &counts).await;
                    if let Some(id) = r["data"]["createInitiative"]["initiative"]["id"].as_str() {
                        let vars = json!({ "id": id, "v": 1, "i": { "summary": "Bijgewerkt tijdens de duurproef." } });
                        post(&client, &url, Some(&key), UPDATE, vars, &counts).await;
                        post(&client, &url, Some(&key), PUBLISH, json!({ "id": id }), &counts).await;
                        counts.writes.fetch_add(3, Ordering::Relaxed);
                    }
                } else {
                    let (q, vars) = match i % 3 {
                        0 => (PAGE, json!({ "slug": slugs[i % slugs.len()] })),
                        1 => (LISTING, json!({})),
                        _ => (SEARCH, json!({})),
                    };
                    post(&client, &url, None, q, vars, &counts).await;
                }
                i += concurrency;
            }
        }));
    }
    let started = Instant::now();
    let interval = Duration::from_secs((seconds / 10).clamp(5, 60));
    let mut samples = Vec::new();
    println!("| after s | requests | writes | errors | RSS MiB |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    while started.elapsed() < Duration::from_secs(seconds) {
        tokio::time::sleep(interval).await;
        let rss = rss_mib(pid);
        samples.push(rss);
        println!(
            "| {:.0} | {} | {} | {} | {rss:.0} |",
            started.elapsed().as_secs_f64(),
            counts.requests.load(Ordering::Relaxed),
            counts.writes.load(Ordering::Relaxed),
            counts.errors.load(Ordering::Relaxed)
        );
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let errors = counts.errors.load(Ordering::Relaxed);
    let requests = counts.requests.load(Ordering::Relaxed);
    let mut second_half: Vec<f64> = samples[samples.len() / 2..].to_vec();
    second_half.sort_by(f64::total_cmp);
    let median = second_half
        .get(second_half.len() / 2)
        .copied()
        .unwrap_or(0.0);
    let last = samples.last().copied().unwrap_or(0.0);
    let flat = last <= median * 1.1;
    println!();
    println!(
        "{requests} requests in {:.0} s ({:.0}/s) at {concurrency} connections, {errors} errors; RSS first {:.0} MiB, median of the second half {median:.0} MiB, last {last:.0} MiB: {}",
        started.elapsed().as_secs_f64(),
        requests as f64 / started.elapsed().as_secs_f64(),
        samples.first().copied().unwrap_or(0.0),
        if flat { "flat" } else { "growing" }
    );
    if errors > 0 || !flat {
        std::process::exit(1);
    }
}
