//! Search relevance over the demo data, measured against the committed test set
//! (`tests/relevance/queries.toml`): nDCG@10, recall@5, MRR and queries without a result,
//! per query, per kind and in total. The run fails when a total falls past its floor in
//! `tests/relevance/floors.toml`. `scripts/relevance.sh` prints the tables.
//!
//! SQLite only: the index is built from the same published initiatives on either
//! database, so the figures do not depend on it.

/// nDCG, recall and reciprocal rank, with hand-computed tests.
mod metrics;
/// Totals, the printed tables and the floor check.
mod report;
/// The query set and its floors, and the check that every judgement names a published
/// demo initiative.
mod set;

use serde_json::json;

use crate::support::{Db, TestApp};
use report::{Row, Totals};
use set::Query;

const SEARCH: &str = "query($q: String!, $l: Language, $n: Int!) {
  search(query: $q, lang: $l, first: $n) { totalCount nodes { score initiative { slug } } }
}";

/// How many hits a query reads: the first ten, or with `RELEVANCE_DETAIL` or
/// `RELEVANCE_DUMP` set, enough to say where a judged initiative that missed the first
/// five stands.
fn depth() -> usize {
    if std::env::var_os("RELEVANCE_DETAIL").is_some()
        || std::env::var_os("RELEVANCE_DUMP").is_some()
    {
        50
    } else {
        10
    }
}

/// Appends one query's ranking to `path` as a line of JSON, for comparing rankings
/// outside the test (`scripts/relevance-semantic.py` reads them).
fn dump(path: &str, text: &str, ranked: &[String], scores: &[f64]) {
    use std::io::Write;
    let line = json!({ "q": text, "ranked": ranked, "scores": scores });
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    writeln!(file, "{line}").unwrap_or_else(|e| panic!("{path}: {e}"));
}

/// Searches anonymously, as a visitor of the site does, and measures the first ten hits.
async fn measure(app: &TestApp, q: &Query) -> Row {
    let vars = json!({ "q": q.text, "l": q.lang.map(|l| l.api()), "n": depth() });
    let r = app.gql(SEARCH, vars).await;
    assert!(r.get("errors").is_none(), "{:?}: {r}", q.text);
    let search = &r["data"]["search"];
    let ranked: Vec<String> = search["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{:?}: no nodes in {r}", q.text))
        .iter()
        .map(|n| n["initiative"]["slug"].as_str().unwrap_or("").to_owned())
        .collect();
    let scores: Vec<f64> = search["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .map(|n| n["score"].as_f64().unwrap_or(0.0))
                .collect()
        })
        .unwrap_or_default();
    let hits = search["totalCount"]
        .as_u64()
        .unwrap_or_else(|| panic!("{r}"));
    let grades = q.grades();
    if std::env::var_os("RELEVANCE_DETAIL").is_some() {
        let every = std::env::var("RELEVANCE_DETAIL").is_ok_and(|v| v == "all");
        eprintln!(
            "{}",
            report::detail(&q.text, &ranked, &scores, &grades, every)
        );
    }
    if let Ok(path) = std::env::var("RELEVANCE_DUMP") {
        dump(&path, &q.text, &ranked, &scores);
    }
    let ranked = &ranked[..ranked.len().min(10)];
    Row {
        text: q.text.clone(),
        kind: q.kind,
        ndcg_at_10: metrics::ndcg_at(10, ranked, &grades),
        recall_at_5: metrics::recall_at(5, ranked, &grades),
        reciprocal_rank: metrics::reciprocal_rank(ranked, &grades),
        hits,
        judged: !grades.is_empty(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_relevance_stays_at_or_above_its_floors() {
    let queries = set::queries();
    let problems = set::problems(&queries);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let floors = set::floors();
    let app = TestApp::spawn(Db::Sqlite).await;
    let mut rows = Vec::with_capacity(queries.query.len());
    for q in &queries.query {
        rows.push(measure(&app, q).await);
    }
    let table = report::render(&rows);
    eprintln!("{table}");
    let fallen = Totals::of(&rows).fallen(&floors);
    assert!(
        fallen.is_empty(),
        "{table}\nSearch relevance fell (tests/relevance/floors.toml):\n{}",
        fallen.join("\n")
    );
}
