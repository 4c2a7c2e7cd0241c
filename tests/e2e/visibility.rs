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

on_both!(the_workbench_counts_and_names_only_what_anonymous_readers_see);
async fn the_workbench_counts_and_names_only_what_anonymous_readers_see(app: TestApp) {
    let published =
        app.data("{ initiatives { totalCount } }", json!({})).await["initiatives"]["totalCount"]
            .clone();
    // Asking for every status changes nothing for an anonymous reader.
    let every = json!({ "statuses": ["DRAFT", "SUBMITTED", "REJECTED", "ARCHIVED", "PUBLISHED"] });
    let r = app
        .gql(
            "query W($f: InitiativeFilter) { analytics {
               cooccurrence(rows: ORGANISATION, columns: NARROW_TOPIC, filter: $f, order: SIMILARITY) {
                 population rows { value label total } gaps(first: 1000) { row column } }
               trendSeries(dimension: KIND, filter: $f) { label total }
               organisations: map(kind: ORGANISATIONS, filter: $f) {
                 nodes { label weight node { ... on Organisation { slug name } } } }
               topics: map(kind: THEMES_AND_TOPICS, filter: $f) { nodes { label weight } }
             }
             shared: initiatives(filter: { statuses: [DRAFT, SUBMITTED, REJECTED, ARCHIVED, PUBLISHED],
                                           everyTopic: [\"stress_performance_pressure\", \"psychological_complaints\"] }) {
               nodes { slug title status } } }",
            json!({ "f": every }),
        )
        .await;
    assert!(r.get("errors").is_none(), "{r}");
    assert_clean(&r);
    let a = &r["data"]["analytics"];
    assert_eq!(a["cooccurrence"]["population"], published);
    let series_total: u64 = a["trendSeries"]
        .as_array()
        .expect("series")
        .iter()
        .filter_map(|s| s["total"].as_u64())
        .sum();
    assert!(series_total <= published.as_u64().unwrap_or(0));
    for n in r["data"]["shared"]["nodes"].as_array().expect("nodes") {
        assert_eq!(n["status"], "PUBLISHED");
    }
    // Every organisation on the map has published initiatives: its weight is the count of
    // them, as its own list says.
    for n in a["organisations"]["nodes"].as_array().expect("nodes") {
        let slug = n["node"]["slug"].as_str().expect("a visible organisation");
        let own = app
            .data(
                "query O($s: String!) { organisation(slug: $s) { initiatives { totalCount } } }",
                json!({ "s": slug }),
            )
            .await;
        assert_eq!(
            n["weight"], own["organisation"]["initiatives"]["totalCount"],
            "{slug}"
        );
    }
    // The pages and their downloads.
    for path in [
        "/analyse?rijen=organisatie&kolommen=deelonderwerp",
        "/analyse/tabel.csv?rijen=organisatie&kolommen=onderwerp",
        "/analyse/trends?reeks=onderwerp",
        "/analyse/kaart?kaart=organisaties",
        "/analyse/kaart-vosviewer-map.txt?kaart=organisaties",
        "/zoeken?elk-onderwerp=stress_performance_pressure&elk-onderwerp=psychological_complaints",
    ] {
        let body = app
            .client()
            .get(app.url(path))
            .send()
            .await
            .expect("a response")
            .text()
            .await
            .expect("a body");
        for m in hidden_markers() {
            assert!(!body.contains(&m), "`{m}` leaked on {path}");
        }
    }
}
