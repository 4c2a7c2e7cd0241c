//! The real binary killed with SIGKILL in the middle of a burst of writes: after a
//! restart every write it acknowledged is there, the database opens cleanly, and the
//! read model built at the restart agrees with SQL.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kb_domain::{NodeId, Role, Viewer};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::TestApp;

/// `kennisbank serve` on `url` and a free port, as a child process killed when dropped.
async fn serve(url: &str, index: &std::path::Path) -> (tokio::process::Child, String) {
    let port = crate::support::free_port();
    let child = tokio::process::Command::from(crate::support::kennisbank())
        .args(["--database-url", url, "serve", "--bind"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--index-dir")
        .arg(index)
        .env("KB_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .expect("serve");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not get ready");
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    query: &str,
    vars: Value,
) -> Option<Value> {
    let r = client
        .post(format!("{base}/graphql"))
        .bearer_auth(key)
        .json(&json!({ "query": query, "variables": vars }))
        .send()
        .await
        .ok()?;
    r.json().await.ok()
}

const CREATE: &str =
    "mutation($i: InitiativeInput!) { createInitiative(input: $i) { initiative { id title } } }";

on_both!(every_acknowledged_write_survives_a_kill_during_a_burst);
async fn every_acknowledged_write_survives_a_kill_during_a_burst(app: TestApp) {
    let editor = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "crash", Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let lead = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("q")
        .expect("org")
        .id
        .global()
        .encode();
    let index = tempfile::tempdir().expect("index dir");
    let (mut server, base) = serve(&app.database_url, index.path()).await;
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..4 {
        let (base, key, lead, acknowledged) = (
            base.clone(),
            editor.clone(),
            lead.clone(),
            acknowledged.clone(),
        );
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            for i in 0.. {
                let title = format!("Crashproef {w}-{i}");
                let vars = json!({
                    "i": {
                        "title": title, "summary": "Geschreven tijdens een crashproef.",
                        "kind": "TOOL", "themes": ["support"], "topics": ["resilience"],
                        "organisations": [{ "organisation": lead, "role": "LEAD" }],
                    },
                });
                let Some(r) = post(&client, &base, &key, CREATE, vars).await else {
                    break;
                };
                match r["data"]["createInitiative"]["initiative"]["id"].as_str() {
                    Some(id) => acknowledged
                        .lock()
                        .expect("lock")
                        .push((id.to_owned(), title)),
                    None => panic!("a write failed before the kill: {r}"),
                }
            }
        }));
    }
    // Killed once at least ten writes are acknowledged (however busy the machine),
    // with more in flight.
    let started = std::time::Instant::now();
    while acknowledged.lock().expect("lock").len() < 10
        && started.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("killed");
    for w in writers {
        w.await.expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= 10,
        "only {} writes before the kill",
        acknowledged.len()
    );

    // The restarted server opens the database, rebuilds or catches up its read model
    // and index, and holds every acknowledged write.
    let (_server, base) = serve(&app.database_url, index.path()).await;
    let client = reqwest::Client::new();
    let ids: Vec<&String> = acknowledged.iter().map(|(id, _)| id).collect();
    let r = post(
        &client,
        &base,
        &editor,
        "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Initiative { id title } } }",
        json!({ "ids": ids }),
    )
    .await
    .expect("answer");
    let nodes = r["data"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(nodes.len(), acknowledged.len());
    for (node, (id, title)) in nodes.iter().zip(&acknowledged) {
        assert_eq!(node["id"], id.as_str(), "{r}");
        assert_eq!(node["title"], title.as_str());
    }
    // What SQL holds (acknowledged or written just before the kill) is what the
    // restarted read model lists, and search finds.
    use sea_orm::{ConnectionTrait, Database, Statement};
    let db = Database::connect(&app.database_url).await.expect("open");
    let sql = |q: &str| Statement::from_string(db.get_database_backend(), q.to_owned());
    let row = db
        .query_one_raw(sql(
            "SELECT COUNT(*) AS n FROM initiative WHERE status = 'draft'",
        ))
        .await
        .expect("count")
        .expect("row");
    let in_sql = row.try_get_by_index::<i64>(0).expect("count") as u64;
    let query = "{
      initiatives(filter: { statuses: [DRAFT] }) { totalCount }
      search(query: \"crashproef\", filter: { statuses: [DRAFT] }) { totalCount }
    }";
    let r = post(&client, &base, &editor, query, json!({}))
        .await
        .expect("answer");
    assert_eq!(
        r["data"]["initiatives"]["totalCount"].as_u64(),
        Some(in_sql),
        "{r}"
    );
    let crashed = r["data"]["search"]["totalCount"].as_u64().expect("hits") as usize;
    assert!(
        crashed >= acknowledged.len() && crashed <= acknowledged.len() + 4,
        "{crashed} found, {} acknowledged",
        acknowledged.len()
    );
    if app.database_url.starts_with("sqlite:") {
        let row = db
            .query_one_raw(sql("PRAGMA integrity_check"))
            .await
            .expect("check")
            .expect("row");
        assert_eq!(row.try_get_by_index::<String>(0).expect("text"), "ok");
    }
}

/// PostgreSQL stopped under a server and started again: meanwhile `/readyz` says 503 and
/// requests get `UNAVAILABLE` quickly (none hangs); afterwards the server recovers by
/// itself, reads and writes again, and its read model follows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_restart_is_reported_and_survived() {
    // A cluster of its own, which the test stops and starts: KB_TEST_DATABASE_URL cannot
    // stand in for the server binaries here.
    if crate::postgres::skipped("resilience::a_database_restart_is_reported_and_survived") {
        return;
    }
    let cluster =
        crate::postgres::Cluster::create().unwrap_or_else(|why| crate::postgres::unavailable(&why));
    crate::postgres::create_database(&cluster.url(), "kb_restart", None).await;
    let url = format!("{}/kb_restart", cluster.url());
    let app = crate::support::TestApp::spawn_on(&url, crate::support::config(&[])).await;
    let editor = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "restart", Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let client = reqwest::Client::new();
    let read = "{ organisation(slug: \"hogeschool-waddenpoort\") { name } }";
    assert_eq!(
        app.data(read, json!({})).await["organisation"]["name"],
        "Hogeschool Waddenpoort"
    );
    let ready = || async {
        client
            .get(app.url("/readyz"))
            .send()
            .await
            .expect("readyz")
            .status()
            .as_u16()
    };
    assert_eq!(ready().await, 200);

    let cluster = Arc::new(cluster);
    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop())
        .await
        .expect("stop");
    let started = std::time::Instant::now();
    assert_eq!(ready().await, 503);
    // The public's answers are kept until the next change: the organisation read before
    // is still answered; one not read before needs the database.
    let r = app.gql(read, json!({})).await;
    assert_eq!(
        r["data"]["organisation"]["name"], "Hogeschool Waddenpoort",
        "{r}"
    );
    let unread = "{ organisation(slug: \"universiteit-van-zilverwold\") { name } }";
    let r = app.gql(unread, json!({})).await;
    assert_eq!(crate::support::error_code(&r), "UNAVAILABLE", "{r}");
    let r = client
        .post(app.url("/graphql"))
        .bearer_auth(&editor)
        .json(&json!({ "query": read }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 503);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(crate::support::error_code(&body), "UNAVAILABLE", "{body}");
    // Three requests while the database is down, each bounded by the pool's 5 s wait.
    assert!(
        started.elapsed() < Duration::from_secs(16),
        "{:?}",
        started.elapsed()
    );

    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.start())
        .await
        .expect("start")
        .expect("restarted");
    let mut recovered = false;
    for _ in 0..100 {
        if ready().await == 200
            && app.gql(read, json!({})).await["data"]["organisation"]["name"]
                == "Hogeschool Waddenpoort"
        {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(recovered, "the server did not recover within 20 s");
    let mutation = "mutation {
      createOrganisation(input: { name: \"Herstelcentrum Na De Storing\", kind: NETWORK }) {
        organisation { id }
      }
    }";
    let r = post(&client, &app.url(""), &editor, mutation, json!({}))
        .await
        .expect("answer");
    assert!(
        r["data"]["createOrganisation"]["organisation"]["id"].is_string(),
        "{r}"
    );
    let r = app
        .data(
            "{ searchOrganisations(query: \"herstelcentrum\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(r["searchOrganisations"]["totalCount"], 1);
    drop(app);
}
