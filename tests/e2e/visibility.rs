//! Nothing unpublished reaches an anonymous reader, by any path: lists, totals, facets,
//! relations in both directions, `node`, `nodes`, `_entities`, lookups by slug.

use serde_json::{Value, json};

use crate::on_both;
use crate::oracle;
use crate::support::TestApp;

/// Every non-published slug and title of the demo set, which no response may contain.
fn hidden_markers() -> Vec<String> {
    let demo = oracle::demo();
    let mut v: Vec<String> = demo
        .hidden()
        .flat_map(|i| [i.slug.clone(), i.title.clone()])
        .collect();
    v.extend(
        demo.event
            .iter()
            .filter(|e| e.status != "published")
            .flat_map(|e| [e.slug.clone(), e.title.clone()]),
    );
    v
}

fn assert_clean(response: &Value) {
    let text = response.to_string();
    for m in hidden_markers() {
        assert!(!text.contains(&m), "`{m}` leaked: {text:.400}");
    }
}

on_both!(drafts_and_archived_items_never_reach_anonymous_readers);
async fn drafts_and_archived_items_never_reach_anonymous_readers(app: TestApp) {
    let demo = oracle::demo();
    let parts = [
        r#"{
          initiatives(
            first: 100, filter: { statuses: [DRAFT, SUBMITTED, REJECTED, ARCHIVED, PUBLISHED] }
          ) {
            totalCount facets { themes { value { code } count } kinds { value count } }
            nodes {
              slug title status buildsOn { slug title } builtOnBy { slug title }
              inspiredBy { slug title } inspired { slug title } relatedTo { slug title }
              events(first: 10) { nodes { slug title } }
            }
          }
        }"#,
        r#"{ themes { initiatives(first: 100) { totalCount nodes { slug title } } } }"#,
        r#"{ topics { initiatives(first: 100) { totalCount nodes { slug title } } } }"#,
        r#"{
          organisations(first: 50) {
            totalCount
            nodes {
              initiatives(first: 30) { totalCount nodes { slug title } }
              events(first: 10) { nodes { slug title } }
            }
          }
        }"#,
        r#"{
          events(first: 100) {
            totalCount
            nodes { slug title status initiatives(first: 20) { totalCount nodes { slug title } } }
          }
        }"#,
    ];
    let mut all = serde_json::Map::new();
    for (n, q) in parts.iter().enumerate() {
        let r = app.gql(q, json!({})).await;
        assert!(r.get("errors").is_none(), "{r}");
        assert_clean(&r);
        if let Value::Object(m) = &r["data"] {
            for (k, v) in m {
                all.insert(
                    format!("{k}{n}")
                        .trim_end_matches(char::is_numeric)
                        .to_owned(),
                    v.clone(),
                );
            }
        }
    }
    let r = json!({ "data": Value::Object(all) });
    let d = &r["data"];
    let published = demo.published().count();
    assert_eq!(
        d["initiatives"]["totalCount"], published,
        "statuses asked for are dropped for anonymous readers"
    );
    assert!(
        d["initiatives"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .all(|n| n["status"] == "PUBLISHED")
    );
    let themed: u64 = d["initiatives"]["facets"]["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| k["count"].as_u64().expect("n"))
        .sum();
    assert_eq!(
        themed, published as u64,
        "facets count published initiatives only"
    );
    let public_events = demo
        .event
        .iter()
        .filter(|e| e.status == "published")
        .count();
    assert_eq!(d["events"]["totalCount"], public_events);
    // The monitor builds on an archived pilot; the link exists, its hidden end does not show.
    let m = app
        .data(
            r#"{ initiative(slug: "welzijnsmonitor-ijsselvliet") { buildsOn { slug } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(m["initiative"]["buildsOn"], json!([]));
    let k = app
        .data(
            r#"{ initiative(slug: "landelijk-kader-studentenwelzijn") { inspired { slug } } }"#,
            json!({}),
        )
        .await;
    assert!(
        k["initiative"]["inspired"]
            .as_array()
            .expect("inspired")
            .iter()
            .all(|i| i["slug"] != "concept-campagne-pauzeknop")
    );
}

on_both!(hidden_items_are_null_by_slug_id_and_entity);
async fn hidden_items_are_null_by_slug_id_and_entity(app: TestApp) {
    let demo = oracle::demo();
    for i in demo.hidden() {
        let d = app
            .data(
                "query($s: String!) { initiative(slug: $s) { id } }",
                json!({ "s": i.slug }),
            )
            .await;
        assert_eq!(d["initiative"], Value::Null, "{}", i.slug);
    }
    for e in demo.event.iter().filter(|e| e.status != "published") {
        let d = app
            .data(
                "query($s: String!) { event(slug: $s) { id } }",
                json!({ "s": e.slug }),
            )
            .await;
        assert_eq!(d["event"], Value::Null, "{}", e.slug);
    }
    // Ids of hidden rows, taken from the store as an editor would see them.
    let hidden_ids: Vec<String> = {
        let filter = kb_domain::InitiativeFilter {
            statuses: vec![kb_domain::Status::Draft, kb_domain::Status::Archived],
            ..Default::default()
        };
        let page = app
            .store
            .list_initiatives(
                kb_domain::Viewer::Editor,
                &filter,
                kb_domain::InitiativeOrder::Title,
                kb_domain::PageRequest {
                    offset: 0,
                    limit: 100,
                    count: false,
                },
            )
            .await
            .expect("editor list");
        page.items
            .iter()
            .map(|i| kb_domain::GlobalId::new(kb_domain::NodeKind::Initiative, i.id.0).encode())
            .collect()
    };
    assert_eq!(
        hidden_ids.len(),
        demo.initiative
            .iter()
            .filter(|i| i.status == "draft" || i.status == "archived")
            .count()
    );
    for id in &hidden_ids {
        let query = "query($id: ID!) {
          node(id: $id) { id } nodes(ids: [$id]) { id } initiative(id: $id) { id }
        }";
        let d = app.data(query, json!({ "id": id })).await;
        assert_eq!(
            d,
            json!({ "node": null, "nodes": [null], "initiative": null })
        );
        let reps = json!([{ "__typename": "Initiative", "id": id }]);
        let query = "query($r: [_Any!]!) {
          _entities(representations: $r) { ... on Initiative { slug } }
        }";
        let e = app.data(query, json!({ "r": reps })).await;
        assert_eq!(e["_entities"], json!([null]));
    }
}

on_both!(searches_for_hidden_titles_and_their_misspellings_show_nothing_hidden);
async fn searches_for_hidden_titles_and_their_misspellings_show_nothing_hidden(app: TestApp) {
    // The whole title of each draft, submitted, rejected or archived initiative, and the
    // same with two letters of each word swapped: the fallback to partial matches, the
    // words it leaves out and the spelling it suggests must tell of none of them.
    let demo = oracle::demo();
    let swapped = |w: &str| -> String {
        let mut c: Vec<char> = w.chars().collect();
        if c.len() > 3 {
            c.swap(1, 2);
        }
        c.into_iter().collect()
    };
    let query = "query($q: String!) {
      search(query: $q, first: 20, filter: { statuses: [DRAFT, SUBMITTED, REJECTED, ARCHIVED, PUBLISHED] }) {
        totalCount leftOut suggestions nodes { initiative { slug title } snippet { title text } }
      }
      searchEvents(query: $q) { totalCount leftOut nodes { event { slug title } } }
    }";
    let mut asked = 0;
    for hidden in demo.hidden() {
        let typo: Vec<String> = hidden.title.split_whitespace().map(swapped).collect();
        for q in [hidden.title.clone(), typo.join(" ")] {
            let r = app.gql(query, json!({ "q": q })).await;
            assert!(r.get("errors").is_none(), "{q}: {r}");
            assert_clean(&r);
            asked += 1;
        }
    }
    assert_eq!(asked, 2 * demo.hidden().count());
}
