//! `Query.analytics` over a small hand-built graph on an otherwise empty database (the
//! taxonomy only), on SQLite and PostgreSQL, every measure against a value computed by
//! hand from the graph below.
//!
//! ```text
//! organisations A, B, and C (part of A)
//! initiative  organisations  themes           topics      kind      start  links
//! I1          A              support          resilience  TOOL      2021
//! I2          A              support, policy  resilience  GUIDE     2021   BUILDS_ON I1
//! I3          A, B           policy           stress      TOOL      2022
//! I4          B              support          resilience  TOOL      2022   INSPIRED_BY I3
//! I5          B              policy           stress      RESEARCH  2023   RELATED_TO I4
//! D (draft)   C              support          resilience  TOOL      2022
//! event E, organised by B, themed policy, features I3, I5 and D
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};

use kb_domain::input::{EventInput, InitiativeInput, OrganisationInput};
use kb_domain::workflow::Action;
use kb_domain::{
    EventKind, InitiativeId, InitiativeKind, LinkType, NodeId, OrganisationId, OrganisationKind,
    OrganisationRole, Role, Viewer,
};
use kb_readmodel::analytics::{EdgeTypes, Measure, NodeType};
use kb_store::{Actor, Store};
use serde_json::{Value, json};

use crate::on_both;
use crate::postgres;
use crate::support::{TestApp, config, error_code};

const D: f64 = 0.85;

/// A server over a fresh database holding the taxonomy and nothing else.
async fn spawn_empty(sqlite: bool) -> (TestApp, Option<tempfile::TempDir>) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let (url, dir) = if sqlite {
        let dir = tempfile::Builder::new()
            .prefix("kb-analytics")
            .tempdir()
            .expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("kb.db").display());
        (url, Some(dir))
    } else {
        let server = postgres::server_url();
        let name = format!(
            "kb_analytics_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        postgres::create_database(&server, &name, None).await;
        (format!("{server}/{name}"), None)
    };
    let store = Store::connect(&url).await.expect("connect");
    kb_server::prepare(&store, false).await.expect("prepare");
    store.close().await.expect("close");
    (TestApp::spawn_on(&url, config(&[])).await, dir)
}

struct World {
    i: Vec<String>,
    draft: String,
    orgs: [String; 3],
    event: String,
    owner_key: String,
    editor_key: String,
    outsider_key: String,
}

fn gid<T: NodeId>(id: T) -> String {
    id.global().encode()
}

async fn build(app: &TestApp) -> World {
    let s = &app.store;
    let editor = Actor {
        viewer: Viewer::Editor,
        key_id: None,
        account_id: None,
        name: "analytics".into(),
    };
    let org = |name: &str, part_of: Option<OrganisationId>| OrganisationInput {
        name: Some(name.into()),
        kind: Some(OrganisationKind::UniversityOfAppliedSciences),
        part_of: part_of.map(Some),
        ..Default::default()
    };
    let a = s
        .create_organisation(&editor, org("Hogeschool Alfa", None))
        .await
        .expect("A");
    let b = s
        .create_organisation(&editor, org("Universiteit Beta", None))
        .await
        .expect("B");
    let c = s
        .create_organisation(&editor, org("Faculteit Gamma", Some(a.id)))
        .await
        .expect("C");
    type Row<'a> = (
        &'a str,
        &'a [OrganisationId],
        &'a [&'a str],
        &'a str,
        InitiativeKind,
        i32,
    );
    let rows: [Row; 6] = [
        (
            "Initiatief een",
            &[a.id],
            &["support"],
            "resilience",
            InitiativeKind::Tool,
            2021,
        ),
        (
            "Initiatief twee",
            &[a.id],
            &["support", "policy"],
            "resilience",
            InitiativeKind::Guide,
            2021,
        ),
        (
            "Initiatief drie",
            &[a.id, b.id],
            &["policy"],
            "stress_performance_pressure",
            InitiativeKind::Tool,
            2022,
        ),
        (
            "Initiatief vier",
            &[b.id],
            &["support"],
            "resilience",
            InitiativeKind::Tool,
            2022,
        ),
        (
            "Initiatief vijf",
            &[b.id],
            &["policy"],
            "stress_performance_pressure",
            InitiativeKind::Research,
            2023,
        ),
        (
            "Initiatief concept",
            &[c.id],
            &["support"],
            "resilience",
            InitiativeKind::Tool,
            2022,
        ),
    ];
    let mut ids: Vec<InitiativeId> = Vec::new();
    for (n, (title, orgs, themes, topic, kind, year)) in rows.iter().enumerate() {
        let i = s
            .create_initiative(
                &editor,
                InitiativeInput {
                    title: Some((*title).into()),
                    summary: Some("Een initiatief van de analysegraaf.".into()),
                    kind: Some(*kind),
                    start_year: Some(*year),
                    themes: Some(themes.iter().map(|t| (*t).to_owned()).collect()),
                    topics: Some(vec![(*topic).to_owned()]),
                    organisations: Some(
                        orgs.iter()
                            .enumerate()
                            .map(|(k, o)| {
                                (
                                    *o,
                                    if k == 0 {
                                        OrganisationRole::Lead
                                    } else {
                                        OrganisationRole::Partner
                                    },
                                )
                            })
                            .collect(),
                    ),
                    ..Default::default()
                },
            )
            .await
            .expect("initiative");
        if n < 5 {
            for action in [Action::Submit, Action::Publish] {
                s.transition_initiative(&editor, i.id, action, None, None)
                    .await
                    .expect("publish");
            }
        }
        ids.push(i.id);
    }
    for (from, to, t) in [
        (1, 0, LinkType::BuildsOn),
        (3, 2, LinkType::InspiredBy),
        (4, 3, LinkType::RelatedTo),
    ] {
        s.link_initiatives(&editor, ids[from], ids[to], t, None)
            .await
            .expect("link");
    }
    let at = |d| {
        chrono::DateTime::parse_from_rfc3339(d)
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok()
    };
    let e = s
        .create_event(
            &editor,
            EventInput {
                title: Some("Analysebijeenkomst".into()),
                kind: Some(EventKind::NetworkMeeting),
                starts_at: at("2027-03-01T10:00:00Z"),
                ends_at: at("2027-03-01T12:00:00Z"),
                organisers: Some(vec![b.id]),
                themes: Some(vec!["policy".into()]),
                initiatives: Some(vec![ids[2], ids[4], ids[5]]),
                ..Default::default()
            },
        )
        .await
        .expect("event");
    s.transition_event(&editor, e.id, Action::Publish, None)
        .await
        .expect("publish event");
    let key = |role, org| async move {
        s.create_api_key(&Actor::cli(), "analytics", role, org, None)
            .await
            .expect("key")
            .secret
    };
    let world = World {
        i: ids[..5].iter().map(|i| gid(*i)).collect(),
        draft: gid(ids[5]),
        orgs: [gid(a.id), gid(b.id), gid(c.id)],
        event: gid(e.id),
        owner_key: key(Role::Contributor, Some(c.id)).await,
        editor_key: key(Role::Editor, None).await,
        outsider_key: key(Role::Contributor, Some(a.id)).await,
    };
    app.caught_up().await;
    world
}

fn close(got: &Value, want: f64, what: &str) {
    let got = got.as_f64().unwrap_or(f64::NAN);
    assert!((got - want).abs() <= 1e-9, "{what}: {got} is not {want}");
}

async fn ask(app: &TestApp, key: Option<&str>, q: &str, vars: Value) -> Value {
    let r = match key {
        Some(k) => app.gql_as(k, q, vars).await,
        None => app.gql(q, vars).await,
    };
    assert!(r.get("errors").is_none(), "unexpected errors: {r:#}");
    r["data"]["analytics"].clone()
}

/// Row, column, count, expected, lift, Jaccard, NPMI and p-value of a cell.
type Expected = (&'static str, &'static str, i64, f64, f64, f64, f64, f64);

const COOCCURRENCE: &str = "query($s: [InitiativeStatus!]) {
  analytics {
    cooccurrence(
      rows: THEME, columns: KIND, filter: { themes: [\"support\", \"policy\"], statuses: $s }
    ) {
      population rows { value total } columns { value total label(lang: EN) }
      cells { row column count expected lift jaccard npmi pValue }
    }
  }
}";

async fn cooccurrence(app: &TestApp, w: &World) {
    let t = ask(app, None, COOCCURRENCE, json!({})).await["cooccurrence"].clone();
    assert_eq!(t["population"], 5);
    // Themes in the taxonomy's order (policy first), kinds in the vocabulary's.
    assert_eq!(
        t["rows"],
        json!([{ "value": "policy", "total": 3 }, { "value": "support", "total": 3 }])
    );
    let columns: Vec<(&str, i64)> = t["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| {
            (
                c["value"].as_str().expect("value"),
                c["total"].as_i64().expect("total"),
            )
        })
        .collect();
    assert_eq!(columns, vec![("guide", 1), ("research", 1), ("tool", 3)]);
    // count, expected = r·c/N, lift = count/expected, Jaccard = count/(r + c − count),
    // NPMI = ln(count·N/(r·c)) / −ln(count/N), p = P(X ≥ count) for X hypergeometric
    // (N = 5 initiatives, r of them in the row, c drawn).
    let third = 1.0 / 3.0;
    let lone = (5f64 / 3.0).ln() / 5f64.ln();
    let want: [Expected; 6] = [
        // P(X ≥ 1) with one drawn of which 3 of 5 succeed: 3/5.
        ("policy", "guide", 1, 0.6, 5.0 / 3.0, third, lone, 0.6),
        ("policy", "research", 1, 0.6, 5.0 / 3.0, third, lone, 0.6),
        // Three drawn of five, three successes: at least one is certain.
        (
            "policy",
            "tool",
            1,
            1.8,
            5.0 / 9.0,
            0.2,
            (5f64 / 9.0).ln() / 5f64.ln(),
            1.0,
        ),
        ("support", "guide", 1, 0.6, 5.0 / 3.0, third, lone, 0.6),
        // Never together: lift and Jaccard 0, NPMI −1, p 1.
        ("support", "research", 0, 0.6, 0.0, 0.0, -1.0, 1.0),
        // P(X ≥ 2) = 1 − P(X = 1) = 1 − C(3,1)·C(2,2)/C(5,3) = 1 − 3/10.
        (
            "support",
            "tool",
            2,
            1.8,
            10.0 / 9.0,
            0.5,
            (10f64 / 9.0).ln() / 2.5f64.ln(),
            0.7,
        ),
    ];
    let cells = t["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 6);
    for (c, (row, column, count, expected, lift, jaccard, npmi, p)) in cells.iter().zip(want) {
        let what = format!("{row} × {column}");
        assert_eq!(
            (c["row"].as_str(), c["column"].as_str()),
            (Some(row), Some(column))
        );
        assert_eq!(c["count"], count, "{what}");
        close(&c["expected"], expected, &format!("{what} expected"));
        close(&c["lift"], lift, &format!("{what} lift"));
        close(&c["jaccard"], jaccard, &format!("{what} jaccard"));
        close(&c["npmi"], npmi, &format!("{what} npmi"));
        close(&c["pValue"], p, &format!("{what} p"));
    }
    // The draft counts for its organisation and editors only, whatever the filter asks.
    let all = json!({ "s": ["DRAFT", "PUBLISHED"] });
    for (key, population, support_tool) in [
        (None, 5, 2),
        (Some(&w.outsider_key), 5, 2),
        (Some(&w.owner_key), 6, 3),
        (Some(&w.editor_key), 6, 3),
    ] {
        let t = ask(app, key.map(String::as_str), COOCCURRENCE, all.clone()).await["cooccurrence"]
            .clone();
        assert_eq!(t["population"], population);
        assert_eq!(t["cells"][5]["count"], support_tool);
    }
}

async fn trend(app: &TestApp) {
    let q = "{ analytics { trend(dimension: KIND) { year total values { value count share } } } }";
    let years = ask(app, None, q, json!({})).await["trend"].clone();
    let v = |g: i64, r: i64, t: i64, total: f64| {
        json!([
            { "value": "guide", "count": g, "share": g as f64 / total },
            { "value": "research", "count": r, "share": r as f64 / total },
            { "value": "tool", "count": t, "share": t as f64 / total },
        ])
    };
    assert_eq!(
        years,
        json!([
            { "year": 2021, "total": 2, "values": v(1, 0, 1, 2.0) },
            { "year": 2022, "total": 2, "values": v(0, 0, 2, 2.0) },
            { "year": 2023, "total": 1, "values": v(0, 1, 0, 1.0) },
        ])
    );
    let q = "{
      analytics {
        trend(dimension: THEME, yearFrom: 2022, yearTo: 2024) {
          year total values { value count share }
        }
      }
    }";
    let years = ask(app, None, q, json!({})).await["trend"].clone();
    let expected = json!({
        "year": 2024, "total": 0,
        "values": [
            { "value": "policy", "count": 0, "share": 0.0 },
            { "value": "support", "count": 0, "share": 0.0 },
        ],
    });
    assert_eq!(years[2], expected);
    assert_eq!(
        years[0]["values"][0],
        json!({ "value": "policy", "count": 1, "share": 0.5 })
    );
}

const NEIGHBOURHOOD: &str = "query($id: ID!, $depth: Int, $limit: Int) {
  analytics {
    neighbourhood(id: $id, depth: $depth, limit: $limit, edgeTypes: [BY, PART_OF]) {
      nodes { id type depth node { ... on Initiative { title } ... on Organisation { name } } }
      edges { type from to }
    }
  }
}";

async fn neighbourhood(app: &TestApp, w: &World) {
    let [a, b, c] = &w.orgs;
    let vars = json!({ "id": a, "depth": 2 });
    let n = ask(app, None, NEIGHBOURHOOD, vars.clone()).await["neighbourhood"].clone();
    let nodes: Vec<(String, i64)> = n["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|x| {
            (
                x["id"].as_str().expect("id").to_owned(),
                x["depth"].as_i64().expect("depth"),
            )
        })
        .collect();
    let own = |s: &String, d| (s.clone(), d);
    assert_eq!(
        nodes,
        vec![
            own(a, 0),
            own(&w.i[0], 1),
            own(&w.i[1], 1),
            own(&w.i[2], 1),
            own(c, 1),
            own(b, 2)
        ]
    );
    assert_eq!(n["nodes"][1]["node"]["title"], "Initiatief een");
    assert_eq!(n["nodes"][5]["type"], "ORGANISATION");
    let edge = |t: &str, from: &String, to: &String| json!({ "type": t, "from": from, "to": to });
    assert_eq!(
        n["edges"],
        json!([
            edge("BY", &w.i[0], a),
            edge("BY", &w.i[1], a),
            edge("BY", &w.i[2], a),
            edge("PART_OF", c, a),
            edge("BY", &w.i[2], b)
        ])
    );
    // The draft and its edge exist for its organisation.
    let n =
        ask(app, Some(&w.owner_key), NEIGHBOURHOOD, vars.clone()).await["neighbourhood"].clone();
    assert_eq!(n["nodes"].as_array().expect("nodes").len(), 7);
    assert_eq!(n["nodes"][6]["id"], w.draft.as_str());
    assert_eq!(n["nodes"][6]["node"]["title"], "Initiatief concept");
    assert!(
        n["edges"]
            .as_array()
            .expect("edges")
            .contains(&edge("BY", &w.draft, c))
    );
    // The event features I3, I5 and the draft; it is themed policy and organised by B.
    let around_event = "query($id: ID!) { analytics { neighbourhood(id: $id) { nodes { id } } } }";
    for (key, n) in [(None, 5), (Some(&w.owner_key), 6)] {
        let r = ask(
            app,
            key.map(String::as_str),
            around_event,
            json!({ "id": w.event }),
        )
        .await;
        let nodes = r["neighbourhood"]["nodes"].as_array().expect("nodes");
        assert_eq!(nodes.len(), n);
        assert_eq!(nodes.iter().any(|x| x["id"] == w.draft.as_str()), n == 6);
    }
    let hidden = ask(app, None, NEIGHBOURHOOD, json!({ "id": w.draft })).await;
    assert_eq!(hidden["neighbourhood"], Value::Null);
    // Past the limits.
    let r = app
        .gql(NEIGHBOURHOOD, json!({ "id": a, "depth": 2, "limit": 3 }))
        .await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED");
    let r = app.gql(NEIGHBOURHOOD, json!({ "id": a, "depth": 4 })).await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED");
    let r = app.gql(NEIGHBOURHOOD, json!({ "id": "nonsense" })).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
}

const PATH: &str = "query($from: ID!, $to: ID!, $types: [EdgeType!], $max: Int) {
  analytics {
    path(from: $from, to: $to, edgeTypes: $types, maxLength: $max) {
      length nodes { id } edges { type from to }
    }
  }
}";

async fn path(app: &TestApp, w: &World) {
    let a = &w.orgs[0];
    fn vars(from: &str, to: &str, types: Value, max: i64) -> Value {
        json!({ "from": from, "to": to, "types": types, "max": max })
    }
    // I1 –BY→ A ←BY– I3 ←INSPIRED_BY– I4, the one path of three edges.
    let types = json!(["BUILDS_ON", "INSPIRED_BY", "RELATED_TO", "BY"]);
    let p = ask(app, None, PATH, vars(&w.i[0], &w.i[3], types.clone(), 6)).await["path"].clone();
    assert_eq!(p["length"], 3);
    let ids: Vec<&str> = p["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        vec![
            w.i[0].as_str(),
            a.as_str(),
            w.i[2].as_str(),
            w.i[3].as_str()
        ]
    );
    assert_eq!(
        p["edges"],
        json!([
            { "type": "BY", "from": w.i[0], "to": a },
            { "type": "BY", "from": w.i[2], "to": a },
            { "type": "INSPIRED_BY", "from": w.i[3], "to": w.i[2] },
        ])
    );
    let none = ask(app, None, PATH, vars(&w.i[0], &w.i[3], types, 2)).await;
    assert_eq!(none["path"], Value::Null);
    // Through the shared theme to the draft: for its organisation only.
    let themed = vars(&w.i[0], &w.draft, json!(["THEMED"]), 6);
    assert_eq!(
        ask(app, None, PATH, themed.clone()).await["path"],
        Value::Null
    );
    let p = ask(app, Some(&w.owner_key), PATH, themed).await["path"].clone();
    assert_eq!(p["length"], 2);
    assert_eq!(p["edges"][1]["from"], w.draft.as_str());
    let r = app.gql(PATH, vars(&w.i[0], &w.i[3], json!(null), 9)).await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED");
}

const CENTRALITY: &str = "query(
  $type: NodeType!, $m: CentralityMeasure!, $types: [EdgeType!], $first: Int
) {
  analytics {
    centrality(nodeType: $type, measure: $m, edgeTypes: $types, first: $first) {
      id type score node { ... on Initiative { title } ... on Organisation { name } }
    }
  }
}";

async fn centrality(app: &TestApp, w: &World) {
    let scores = |v: &Value| -> Vec<(String, f64)> {
        v["centrality"]
            .as_array()
            .expect("list")
            .iter()
            .map(|s| {
                (
                    s["id"].as_str().expect("id").to_owned(),
                    s["score"].as_f64().expect("score"),
                )
            })
            .collect()
    };
    let [a, b, c] = &w.orgs;
    // DEGREE: A has I1, I2, I3 and C; B has I3, I4, I5 and E; C has A (and the draft,
    // for those who see it). Ties go to the lower id.
    let q = json!({ "type": "ORGANISATION", "m": "DEGREE" });
    let public = scores(&ask(app, None, CENTRALITY, q.clone()).await);
    assert_eq!(
        public,
        vec![(a.clone(), 4.0), (b.clone(), 4.0), (c.clone(), 1.0)]
    );
    let owner = scores(&ask(app, Some(&w.owner_key), CENTRALITY, q).await);
    assert_eq!(owner[2], (c.clone(), 2.0));
    // PAGERANK over the links between initiatives: the pair I1–I2, the chain I3–I4–I5,
    // and every other node (themes, topics, organisations, the event) on its own.
    let counts = app
        .data("{ themes { code } topics { code } }", json!({}))
        .await;
    let taxonomy = counts["themes"].as_array().expect("themes").len()
        + counts["topics"].as_array().expect("topics").len();
    let n = (5 + taxonomy + 3 + 1) as f64;
    let alone = n - 5.0;
    // A lone node s only ever jumps: s = (1 − d)/N + d·(alone·s)/N, which every node
    // receives as its base b = s. In the pair, x = b + d·x. In the chain, the middle
    // m = b + 2d·e and each end e = b + d·m/2, so m = b(1 + 2d)/(1 − d²).
    let s = (1.0 - D) / (n - D * alone);
    let pair = s / (1.0 - D);
    let middle = s * (1.0 + 2.0 * D) / (1.0 - D * D);
    let end = s + D * middle / 2.0;
    assert!((alone * s + 2.0 * pair + 2.0 * end + middle - 1.0).abs() < 1e-12);
    let q = json!({
        "type": "INITIATIVE", "m": "PAGERANK", "types": ["BUILDS_ON", "INSPIRED_BY", "RELATED_TO"],
        "first": 5,
    });
    let got = scores(&ask(app, None, CENTRALITY, q.clone()).await);
    let want = [
        (&w.i[3], middle),
        (&w.i[0], pair),
        (&w.i[1], pair),
        (&w.i[2], end),
        (&w.i[4], end),
    ];
    assert_eq!(got.len(), 5);
    for ((id, score), (want_id, want_score)) in got.iter().zip(want) {
        assert_eq!(id, want_id);
        assert!(
            (score - want_score).abs() < 1e-6,
            "{score} is not {want_score}"
        );
    }
    // Kept until the graph changes.
    let links = EdgeTypes::of(&[
        kb_readmodel::analytics::EdgeType::BuildsOn,
        kb_readmodel::analytics::EdgeType::InspiredBy,
        kb_readmodel::analytics::EdgeType::RelatedTo,
    ]);
    assert!(
        app.model
            .centrality_cached(
                Viewer::Anonymous,
                NodeType::Initiative,
                Measure::PageRank,
                links
            )
            .await
    );
    // BETWEENNESS: I4 lies between I3 and I5; among organisations, A between B (which
    // shares I3 with it) and C (part of it).
    let q = json!({ "type": "INITIATIVE", "m": "BETWEENNESS", "first": 2 });
    assert_eq!(
        scores(&ask(app, None, CENTRALITY, q).await),
        vec![(w.i[3].clone(), 1.0), (w.i[0].clone(), 0.0)]
    );
    let q = json!({ "type": "ORGANISATION", "m": "BETWEENNESS" });
    assert_eq!(
        scores(&ask(app, None, CENTRALITY, q).await),
        vec![(a.clone(), 1.0), (b.clone(), 0.0), (c.clone(), 0.0)]
    );
    let r = app
        .gql(
            CENTRALITY,
            json!({ "type": "TOPIC", "m": "DEGREE", "first": 101 }),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    // A change of the graph empties the cache; the scores follow it.
    let editor = Actor {
        viewer: Viewer::Editor,
        key_id: None,
        account_id: None,
        name: "analytics".into(),
    };
    let from = InitiativeId(kb_domain::GlobalId::decode("id", &w.i[0]).expect("id").id);
    let to = InitiativeId(kb_domain::GlobalId::decode("id", &w.i[4]).expect("id").id);
    app.store
        .link_initiatives(&editor, from, to, LinkType::RelatedTo, None)
        .await
        .expect("link");
    app.caught_up().await;
    assert!(
        !app.model
            .centrality_cached(
                Viewer::Anonymous,
                NodeType::Initiative,
                Measure::PageRank,
                links
            )
            .await
    );
    let q = json!({ "type": "INITIATIVE", "m": "BETWEENNESS", "first": 1 });
    // Now a chain I2–I1–I5–I4–I3: I5 lies between {I2, I1} and {I4, I3}.
    assert_eq!(
        scores(&ask(app, None, CENTRALITY, q).await),
        vec![(w.i[4].clone(), 4.0)]
    );
}

/// The published view's table without a filter is kept until the next change, and a
/// change is counted at once. Publishes the draft, so it runs last.
async fn kept_table(app: &TestApp, w: &World) {
    const TABLE: &str =
        "query($min: Int) { analytics { cooccurrence(rows: THEME, columns: KIND, minCount: $min) {
      population rows { value total } cells { row column count pValue } } } }";
    let cells = |t: &Value| -> Vec<(String, String, i64)> {
        t["cooccurrence"]["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .map(|c| {
                (
                    c["row"].as_str().expect("row").to_owned(),
                    c["column"].as_str().expect("column").to_owned(),
                    c["count"].as_i64().expect("count"),
                )
            })
            .collect()
    };
    let cell = |row: &str, column: &str, count: i64| (row.to_owned(), column.to_owned(), count);
    let t = ask(app, None, TABLE, json!({})).await;
    assert_eq!(t["cooccurrence"]["population"], 5);
    assert_eq!(
        cells(&t),
        vec![
            cell("policy", "guide", 1),
            cell("policy", "research", 1),
            cell("policy", "tool", 1),
            cell("support", "guide", 1),
            cell("support", "research", 0),
            cell("support", "tool", 2),
        ]
    );
    use kb_readmodel::analytics::Dimension;
    // A request made while the follower reads the change log counts without keeping,
    // so the table is kept by the first request after it at the latest.
    let mut asked = 1;
    while !app
        .model
        .cooccurrence_cached(Dimension::Theme, Dimension::Kind)
        .await
    {
        assert!(asked < 10, "the table is never kept");
        assert_eq!(ask(app, None, TABLE, json!({})).await, t);
        asked += 1;
    }
    // The kept table answers any minimum, as counting with it does; a partner shares it.
    let common = ask(app, None, TABLE, json!({ "min": 2 })).await;
    assert_eq!(cells(&common), vec![cell("support", "tool", 2)]);
    close(
        &common["cooccurrence"]["cells"][0]["pValue"],
        0.7,
        "support × tool p",
    );
    let partner = app
        .store
        .create_api_key(
            &Actor::cli(),
            "analytics partner",
            Role::Partner,
            None,
            None,
        )
        .await
        .expect("partner key")
        .secret;
    assert_eq!(ask(app, Some(&partner), TABLE, json!({})).await, t);
    // The owner of the draft sees it: counted for them, never kept.
    let own = ask(app, Some(&w.owner_key), TABLE, json!({})).await;
    assert_eq!(own, t, "the draft is not in a table without statuses");
    // Publishing the draft (support, TOOL) empties the cache; the table follows it.
    let editor = Actor {
        viewer: Viewer::Editor,
        key_id: None,
        account_id: None,
        name: "analytics".into(),
    };
    let draft = InitiativeId(kb_domain::GlobalId::decode("id", &w.draft).expect("id").id);
    for action in [Action::Submit, Action::Publish] {
        app.store
            .transition_initiative(&editor, draft, action, None, None)
            .await
            .expect("publish the draft");
    }
    app.caught_up().await;
    assert!(
        !app.model
            .cooccurrence_cached(Dimension::Theme, Dimension::Kind)
            .await
    );
    let after = ask(app, None, TABLE, json!({})).await;
    assert_eq!(after["cooccurrence"]["population"], 6);
    assert_eq!(
        after["cooccurrence"]["rows"],
        json!([{ "value": "policy", "total": 3 }, { "value": "support", "total": 4 }])
    );
    assert_eq!(cells(&after)[5], cell("support", "tool", 3));
    // P(X ≥ 3) with 6 items, 4 successes (support), 4 drawn (tool):
    // (C(4,3)·C(2,1) + C(4,4)·C(2,0)) / C(6,4) = 9/15.
    close(
        &after["cooccurrence"]["cells"][5]["pValue"],
        0.6,
        "support × tool p after publishing",
    );
}

async fn run(app: TestApp) {
    let w = build(&app).await;
    cooccurrence(&app, &w).await;
    trend(&app).await;
    neighbourhood(&app, &w).await;
    path(&app, &w).await;
    centrality(&app, &w).await;
    kept_table(&app, &w).await;
}

mod every_measure_has_its_hand_computed_value {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let (app, _dir) = spawn_empty(true).await;
        run(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if postgres::skipped(concat!(module_path!(), "::postgres")) {
            return;
        }
        let (app, _dir) = spawn_empty(false).await;
        run(app).await;
    }
}

on_both!(the_documented_session_agrees_with_lists_and_facets);
async fn the_documented_session_agrees_with_lists_and_facets(app: TestApp) {
    let q = r#"{
      analytics {
        cooccurrence(rows: THEME, columns: TOPIC, filter: { kinds: [RESEARCH] }, minCount: 2) {
          population rows { value label(lang: EN) total } columns { value label(lang: EN) total }
          cells { row column count expected lift jaccard npmi pValue }
        }
        trend(dimension: THEME, yearFrom: 2018, yearTo: 2025) {
          year total values { value count share }
        }
        centrality(nodeType: ORGANISATION, measure: PAGERANK, first: 5) {
          score node { ... on Organisation { name } }
        }
      }
      initiatives(filter: { kinds: [RESEARCH] }) {
        totalCount facets { themes { value { code } count } }
      }
    }"#;
    let d = app.data(q, json!({})).await;
    let t = &d["analytics"]["cooccurrence"];
    assert_eq!(t["population"], d["initiatives"]["totalCount"]);
    let mut rows: Vec<(String, i64)> = t["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["value"].as_str().expect("value").to_owned(),
                r["total"].as_i64().expect("total"),
            )
        })
        .collect();
    let mut facets: Vec<(String, i64)> = d["initiatives"]["facets"]["themes"]
        .as_array()
        .expect("facets")
        .iter()
        .map(|f| {
            (
                f["value"]["code"].as_str().expect("code").to_owned(),
                f["count"].as_i64().expect("count"),
            )
        })
        .collect();
    rows.sort();
    facets.sort();
    assert_eq!(rows, facets);
    let cells = t["cells"].as_array().expect("cells");
    assert!(!cells.is_empty() && cells.iter().all(|c| c["count"].as_i64() >= Some(2)));
    assert!(
        cells
            .iter()
            .all(|c| (0.0..=1.0).contains(&c["pValue"].as_f64().expect("p")))
    );
    assert_eq!(d["analytics"]["trend"].as_array().expect("years").len(), 8);
    let top = d["analytics"]["centrality"].as_array().expect("top");
    assert_eq!(top.len(), 5);
    assert!(
        top.windows(2)
            .all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64())
    );
    assert!(top.iter().all(|s| s["node"]["name"].is_string()));
}
