//! SQL statements per request are bounded by the query's nesting, not by its rows: every
//! relation level is one batched statement.

use serde_json::json;

use crate::on_both;

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

on_both!(
    async fn a_listing_with_all_relations_costs_the_same_for_5_and_50_rows(app) {
        let (small, r5) = app.count_statements(LISTING, json!({ "n": 5 })).await;
        assert!(r5.get("errors").is_none(), "{r5}");
        assert_eq!(r5["data"]["initiatives"]["nodes"].as_array().expect("nodes").len(), 5);
        let (large, r50) = app.count_statements(LISTING, json!({ "n": 50 })).await;
        assert!(r50.get("errors").is_none(), "{r50}");
        assert_eq!(r50["data"]["initiatives"]["nodes"].as_array().expect("nodes").len(), 50);
        // The page, its count, and one statement each for themes, topics,
        // organisations and events.
        assert_eq!(small, 6);
        assert_eq!(large, 6);
    }
);

on_both!(
    async fn nested_connections_under_a_list_are_one_statement_per_level(app) {
        let q = r#"{ themes { code initiatives(first: 3) { nodes { title organisations { organisation { name } } } } } }"#;
        let (n, r) = app.count_statements(q, json!({})).await;
        assert!(r.get("errors").is_none(), "{r}");
        assert_eq!(r["data"]["themes"].as_array().expect("themes").len(), 8);
        // themes, the pages of all eight, the organisations of all those initiatives.
        assert_eq!(n, 3);
        // Totals are one grouped count more, made only when asked for.
        let q = r#"{ themes { code initiatives(first: 3) { totalCount nodes { title organisations { organisation { name } } } } } }"#;
        let (n, r) = app.count_statements(q, json!({})).await;
        assert!(r.get("errors").is_none(), "{r}");
        assert_eq!(n, 4);
        let d = app.data(r#"{ theme(code: "support") { initiatives(first: 2) { totalCount pageInfo { hasNextPage } } } initiatives(filter: { themes: ["support"] }) { totalCount } }"#, json!({})).await;
        assert_eq!(d["theme"]["initiatives"]["totalCount"], d["initiatives"]["totalCount"]);
        assert_eq!(d["theme"]["initiatives"]["pageInfo"]["hasNextPage"], true);
    }
);
