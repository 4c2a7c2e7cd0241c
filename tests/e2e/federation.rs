//! Federation, checked with Apollo's own tools (npm packages in `tests/federation`):
//! Kennisbank's subgraph composes with a partner subgraph that extends `Initiative` and
//! `Event` by key, and an Apollo gateway in front of both answers queries that cross
//! them — a draft the partner names resolves to null for a viewer who may not see it.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use kb_domain::{InitiativeFilter, InitiativeOrder, NodeId, PageRequest, Role, Status, Viewer};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use crate::support::{Db, TestApp, free_port};
use crate::tools;

/// `tests/federation`, with its npm packages.
fn federation_dir() -> PathBuf {
    tools::node_packages("tests/federation")
}

/// A partner subgraph naming `picks` (initiative ids), composed with Kennisbank's at
/// `kennisbank` (its `/graphql` URL), and a gateway in front of both; every process is
/// stopped when this is dropped.
struct Federation {
    /// The gateway's URL.
    gateway: String,
    /// The supergraph the composition made.
    supergraph: String,
    _partner: Child,
    _gateway: Child,
    _dir: tempfile::TempDir,
}

impl Federation {
    async fn start(kennisbank: &str, picks: &str) -> Self {
        let partner_port = free_port().to_string();
        let partner = node("partner.mjs", &[&partner_port], &[("PICKS", picks)]);
        let partner_url = format!("http://127.0.0.1:{partner_port}/");
        ask(&partner_url, None, "{ __typename }").await;
        // Composition: no errors.
        let out = Command::new("node")
            .arg("compose.mjs")
            .arg(format!("kennisbank={kennisbank}"))
            .arg(format!("partner={partner_url}"))
            .current_dir(federation_dir())
            .output()
            .await
            .expect("compose");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "composition failed: {stderr}");
        assert!(!stderr.contains("composition error"), "{stderr}");
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("supergraph.graphql");
        std::fs::write(&file, &out.stdout).expect("supergraph");
        let gateway_port = free_port().to_string();
        let gateway = node(
            "gateway.mjs",
            &[file.to_str().expect("path"), &gateway_port],
            &[],
        );
        Self {
            gateway: format!("http://127.0.0.1:{gateway_port}/"),
            supergraph: String::from_utf8_lossy(&out.stdout).into_owned(),
            _partner: partner,
            _gateway: gateway,
            _dir: dir,
        }
    }
}

/// `node SCRIPT ARGS` in `tests/federation`, killed when dropped.
fn node(script: &str, args: &[&str], env: &[(&str, &str)]) -> Child {
    Command::new("node")
        .arg(script)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(federation_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("node")
}

/// POSTs `query` to `url` (with a key), retrying while the server is starting.
async fn ask(url: &str, key: Option<&str>, query: &str) -> Value {
    let client = reqwest::Client::new();
    for _ in 0..200 {
        let mut r = client.post(url).json(&json!({ "query": query }));
        if let Some(k) = key {
            r = r.bearer_auth(k);
        }
        if let Ok(r) = r.send().await
            && let Ok(v) = r.json::<Value>().await
        {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_subgraph_composes_and_a_gateway_answers_across_both() {
    federation_dir();
    let app = TestApp::spawn(Db::Sqlite).await;
    let editor = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "federation",
            Role::Editor,
            None,
            None,
        )
        .await
        .expect("key")
        .secret;
    let first = |status: Status| {
        let store = app.store.clone();
        async move {
            let filter = InitiativeFilter {
                statuses: vec![status],
                ..Default::default()
            };
            let page = PageRequest {
                offset: 0,
                limit: 1,
                count: false,
            };
            store
                .list_initiatives(Viewer::Editor, &filter, InitiativeOrder::Title, page)
                .await
                .expect("list")
                .items
                .remove(0)
        }
    };
    let published = first(Status::Published).await;
    let draft = first(Status::Draft).await;
    let (published_id, draft_id) = (published.id.global().encode(), draft.id.global().encode());

    let picks = format!("{published_id},{draft_id}");
    let federation = Federation::start(&app.url("/graphql"), &picks).await;
    assert!(
        federation.supergraph.contains("partnerNote")
            && federation.supergraph.contains("searchEvents"),
        "the supergraph holds both subgraphs"
    );
    let gateway = &federation.gateway;
    let slug = &published.slug;
    let query = format!(
        "{{
          initiative(slug: \"{slug}\") {{
            title partnerNote events(first: 5) {{ nodes {{ title partnerTickets }} }}
          }}
          partnerPicks {{ id title partnerNote }}
        }}"
    );

    // Anonymous: the published initiative with the partner's note; the draft the partner
    // names is null, since Kennisbank resolves its reference to nothing.
    let r = ask(gateway, None, &query).await;
    let i = &r["data"]["initiative"];
    assert_eq!(i["title"], published.title.as_str(), "{r}");
    assert_eq!(
        i["partnerNote"],
        format!("Partnernotitie bij {published_id}")
    );
    for e in i["events"]["nodes"].as_array().expect("events") {
        assert_eq!(e["partnerTickets"], 42);
    }
    let picks = r["data"]["partnerPicks"].as_array().expect("picks");
    assert_eq!(picks.len(), 2, "{r}");
    assert_eq!(picks[0]["id"], published_id.as_str(), "{r}");
    assert_eq!(picks[0]["title"], published.title.as_str());
    assert_eq!(picks[1], Value::Null, "a draft through the gateway: {r}");

    // An editor's key travels through the gateway: the draft is there for them.
    let r = ask(gateway, Some(&editor), &query).await;
    assert_eq!(
        r["data"]["partnerPicks"][1]["title"],
        draft.title.as_str(),
        "{r}"
    );
    assert_eq!(
        r["data"]["partnerPicks"][1]["partnerNote"],
        format!("Partnernotitie bij {draft_id}")
    );
}

/// Several stateless instances on one PostgreSQL, with the gateway in front of one of
/// them: a write through one instance is read through the other and through the gateway
/// within two seconds (each instance's read model follows the change log).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_and_a_gateway_on_one_postgresql_agree() {
    federation_dir();
    if crate::postgres::skipped("federation::two_instances_and_a_gateway_on_one_postgresql_agree") {
        return;
    }
    let writer = TestApp::spawn(Db::Postgres).await;
    let reader = TestApp::spawn_on(&writer.database_url, crate::support::config(&[])).await;
    let editor = writer
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "instances",
            Role::Editor,
            None,
            None,
        )
        .await
        .expect("key")
        .secret;

    let federation = Federation::start(&reader.url("/graphql"), "").await;
    let gateway = &federation.gateway;

    let query =
        "{ searchOrganisations(query: \"overzijde\") { nodes { organisation { id name } } } }";
    // The gateway has planned this query once before the write.
    assert!(
        ask(gateway, None, query).await["data"]["searchOrganisations"]["nodes"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    let create = "mutation {
      createOrganisation(input: { name: \"Instantie Overzijde\", kind: NETWORK }) {
        organisation { id }
      }
    }";
    let r = ask(&writer.url("/graphql"), Some(&editor), create).await;
    let id = r["data"]["createOrganisation"]["organisation"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let written = std::time::Instant::now();
    let found = |r: &Value| {
        r["data"]["searchOrganisations"]["nodes"][0]["organisation"]["id"] == id.as_str()
    };
    // The other instance, within two seconds of the write (its follower reads the
    // change log every half second).
    while !found(&ask(&reader.url("/graphql"), None, query).await) {
        assert!(
            written.elapsed() < Duration::from_secs(2),
            "the other instance did not see the write within 2 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // And through the gateway in front of it.
    let r = ask(gateway, None, query).await;
    assert!(found(&r), "{r}");
}
