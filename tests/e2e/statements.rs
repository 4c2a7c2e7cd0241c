//! SQL statements per request are bounded by the query's nesting, not by its rows: every
//! relation level is one batched statement.

use serde_json::json;

use crate::on_both;
use crate::support::TestApp;

const LISTING: &str = r#"query($n: Int) {
  initiatives(first: $n) {
    totalCount
    nodes {
      title
      themes { code label }
      topics { code }
      organisations { role organisation { name kind } }
      events(first: 3) { nodes { title startsAt } }
    }
  }
}"#;

on_both!(a_listing_with_all_relations_costs_the_same_for_5_and_50_rows);
async fn a_listing_with_all_relations_costs_the_same_for_5_and_50_rows(app: TestApp) {
    let (small, r5) = app.count_statements(LISTING, json!({ "n": 5 })).await;
    assert!(r5.get("errors").is_none(), "{r5}");
    assert_eq!(
        r5["data"]["initiatives"]["nodes"]
            .as_array()
            .expect("nodes")
            .len(),
        5
    );
    let (large, r50) = app.count_statements(LISTING, json!({ "n": 50 })).await;
    assert!(r50.get("errors").is_none(), "{r50}");
    assert_eq!(
        r50["data"]["initiatives"]["nodes"]
            .as_array()
            .expect("nodes")
            .len(),
        50
    );
    // The page's rows by id (the read model picks them and counts them), and one
    // statement each for themes, topics, organisations and events.
    assert_eq!(small, 5);
    assert_eq!(large, 5);
}

on_both!(nested_connections_under_a_list_are_one_statement_per_level);
async fn nested_connections_under_a_list_are_one_statement_per_level(app: TestApp) {
    let q = r#"{
      themes {
        code initiatives(first: 3) { nodes { title organisations { organisation { name } } } }
      }
    }"#;
    let (n, r) = app.count_statements(q, json!({})).await;
    assert!(r.get("errors").is_none(), "{r}");
    assert_eq!(r["data"]["themes"].as_array().expect("themes").len(), 8);
    // The themes and the ids of the pages come from the read model: the rows of all
    // eight pages, the organisations of all those initiatives.
    assert_eq!(n, 2);
    // Totals come from the read model with the pages, and the rows and organisations
    // of the pages are the published view's, kept since the first reading.
    let q = r#"{
      themes {
        code
        initiatives(first: 3) { totalCount nodes { title organisations { organisation { name } } } }
      }
    }"#;
    let (n, r) = app.count_statements(q, json!({})).await;
    assert!(r.get("errors").is_none(), "{r}");
    assert_eq!(n, 0);
    let query = r#"{
      theme(code: "support") { initiatives(first: 2) { totalCount pageInfo { hasNextPage } } }
      initiatives(filter: { themes: ["support"] }) { totalCount }
    }"#;
    let d = app.data(query, json!({})).await;
    assert_eq!(
        d["theme"]["initiatives"]["totalCount"],
        d["initiatives"]["totalCount"]
    );
    assert_eq!(d["theme"]["initiatives"]["pageInfo"]["hasNextPage"], true);
}

const HISTORY: &str = r#"query($n: Int, $o: [ID!]) {
  initiatives(
    first: $n,
    filter: { statuses: [DRAFT, SUBMITTED, PUBLISHED, REJECTED, ARCHIVED], organisations: $o }
  ) {
    nodes { title rejectionReason revisions { action actor } }
  }
}"#;

on_both!(revisions_and_rejection_reasons_cost_the_same_for_5_and_50_rows);
async fn revisions_and_rejection_reasons_cost_the_same_for_5_and_50_rows(app: TestApp) {
    let editor = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "history",
            kb_domain::Role::Editor,
            None,
            None,
        )
        .await
        .expect("key")
        .secret;
    // A key's first use records it (one write a minute at most); not counted here.
    app.gql_as(&editor, "{ me { role } }", json!({})).await;
    let (small, r5) = app
        .count_statements_as(&editor, HISTORY, json!({ "n": 5 }))
        .await;
    assert!(r5.get("errors").is_none(), "{r5}");
    let (large, r50) = app
        .count_statements_as(&editor, HISTORY, json!({ "n": 50 }))
        .await;
    assert!(r50.get("errors").is_none(), "{r50}");
    assert_eq!(
        r50["data"]["initiatives"]["nodes"]
            .as_array()
            .expect("nodes")
            .len(),
        50
    );
    // The key, the page, the rejection reasons and the revisions of all rows.
    assert_eq!(small, large);
    assert_eq!(large, 4);
    // A contributor, on its own organisation's initiatives: one more each for the
    // access decision (which of these rows its organisation takes part in).
    let org = app
        .store
        .organisation_by_slug(kb_domain::Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("org");
    let contributor = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "history",
            kb_domain::Role::Contributor,
            Some(org.id),
            None,
        )
        .await
        .expect("key")
        .secret;
    app.gql_as(&contributor, "{ me { role } }", json!({})).await;
    let own = kb_domain::NodeId::global(org.id).encode();
    let (small, _) = app
        .count_statements_as(&contributor, HISTORY, json!({ "n": 1, "o": [own] }))
        .await;
    let (large, r) = app
        .count_statements_as(&contributor, HISTORY, json!({ "n": 50, "o": [own] }))
        .await;
    assert!(r.get("errors").is_none(), "{r}");
    let nodes = r["data"]["initiatives"]["nodes"].as_array().expect("nodes");
    assert!(nodes.len() > 1);
    assert!(nodes.iter().all(|n| n["revisions"].is_array()), "{r}");
    assert_eq!(small, large);
    assert_eq!(large, 6);
}
