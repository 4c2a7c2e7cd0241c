//! `initiatives`: filters (AND across fields, OR within one, topics with their narrower
//! topics), orderings, cursor pagination both ways, totals and facets — checked against
//! values computed from the demo file.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::on_both;
use crate::oracle::{self, Init};
use crate::support::{TestApp, error_code};

async fn total(app: &TestApp, filter: Value) -> u64 {
    let d = app
        .data(
            "query($f: InitiativeFilter) { initiatives(filter: $f) { totalCount } }",
            json!({ "f": filter }),
        )
        .await;
    d["initiatives"]["totalCount"].as_u64().expect("count")
}

async fn all_slugs(app: &TestApp, filter: Value, order: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = "query($f: InitiativeFilter, $o: InitiativeOrder, $a: String) {
          initiatives(filter: $f, orderBy: $o, first: 7, after: $a) {
            edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        }";
        let d = app
            .data(query, json!({ "f": filter, "o": order, "a": after }))
            .await;
        let c = &d["initiatives"];
        for e in c["edges"].as_array().expect("edges") {
            out.push(e["node"]["slug"].as_str().expect("slug").to_owned());
        }
        assert_eq!(c["pageInfo"]["hasPreviousPage"], after.is_some());
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    out
}

fn count(demo: &oracle::Demo, keep: impl Fn(&Init) -> bool) -> u64 {
    demo.published().filter(|i| keep(i)).count() as u64
}

on_both!(filters_combine_with_and_across_fields_and_or_within_one);
async fn filters_combine_with_and_across_fields_and_or_within_one(app: TestApp) {
    let demo = oracle::demo();
    let has = |v: &Vec<String>, x: &str| v.iter().any(|s| s == x);
    assert_eq!(total(&app, json!({})).await, count(&demo, |_| true));
    assert_eq!(
        total(&app, json!({ "themes": ["support", "policy"] })).await,
        count(&demo, |i| has(&i.themes, "support")
            || has(&i.themes, "policy"))
    );
    assert_eq!(
        total(
            &app,
            json!({ "themes": ["support"], "kinds": ["GUIDE", "TOOL"] })
        )
        .await,
        count(&demo, |i| has(&i.themes, "support")
            && (i.kind == "guide" || i.kind == "tool"))
    );
    assert_eq!(
        total(&app, json!({ "languages": ["en"] })).await,
        count(&demo, |i| has(&i.languages, "en"))
    );
    assert_eq!(
        total(
            &app,
            json!({ "targetGroups": ["FIRST_YEAR_STUDENTS"], "regions": ["NATIONAL", "UTRECHT"] })
        )
        .await,
        count(&demo, |i| has(&i.target_groups, "first_year_students")
            && matches!(
                i.region.as_deref(),
                Some("national") | Some("utrecht")
            ))
    );
    assert_eq!(
        total(
            &app,
            json!({ "organisationKinds": ["STUDENT_ORGANISATION"] })
        )
        .await,
        count(&demo, |i| i
            .organisations
            .iter()
            .any(|o| demo.org_kind(&o.slug) == "student_organisation"))
    );
    assert_eq!(
        total(&app, json!({ "yearFrom": 2022, "yearTo": 2023 })).await,
        count(&demo, |i| i.start_year.is_some_and(|s| s <= 2023)
            && i.end_year.is_none_or(|e| e >= 2022))
    );
}

on_both!(a_topic_includes_its_narrower_topics);
async fn a_topic_includes_its_narrower_topics(app: TestApp) {
    let demo = oracle::demo();
    let subtree = oracle::topic_subtree("special_circumstances");
    assert_eq!(subtree.len(), 9);
    let want = count(&demo, |i| i.topics.iter().any(|t| subtree.contains(t)));
    let direct = count(&demo, |i| {
        i.topics.iter().any(|t| t == "special_circumstances")
    });
    assert!(
        want > direct,
        "the demo files initiatives under narrower topics only"
    );
    assert_eq!(
        total(&app, json!({ "topics": ["special_circumstances"] })).await,
        want
    );
    assert_eq!(
        total(&app, json!({ "topics": ["international_students"] })).await,
        count(&demo, |i| i
            .topics
            .iter()
            .any(|t| t == "international_students"))
    );
    let unknown = app
        .gql(
            r#"{ initiatives(filter: { topics: ["nope"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&unknown), "BAD_USER_INPUT");
    assert_eq!(unknown["errors"][0]["extensions"]["field"], "filter.topics");
}

on_both!(pages_walk_the_whole_list_once_in_order);
async fn pages_walk_the_whole_list_once_in_order(app: TestApp) {
    let demo = oracle::demo();
    let by_title = all_slugs(&app, json!({}), "TITLE").await;
    let mut want: Vec<(String, String)> = demo
        .published()
        .map(|i| (i.title.to_lowercase(), i.slug.clone()))
        .collect();
    want.sort();
    let want: Vec<String> = want.into_iter().map(|(_, s)| s).collect();
    assert_eq!(by_title, want);
    let newest = all_slugs(&app, json!({}), "NEWEST").await;
    assert_eq!(newest.len(), want.len());
    let mut sorted = newest.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), newest.len(), "no initiative twice");
    // Backwards from a cursor.
    let d = app
        .data(
            "{ initiatives(orderBy: TITLE, first: 10) { edges { cursor node { slug } } } }",
            json!({}),
        )
        .await;
    let tenth = d["initiatives"]["edges"][9]["cursor"]
        .as_str()
        .expect("cursor")
        .to_owned();
    let query = "query($b: String) {
      initiatives(orderBy: TITLE, last: 3, before: $b) {
        nodes { slug } pageInfo { hasPreviousPage hasNextPage }
      }
    }";
    let back = app.data(query, json!({ "b": tenth })).await;
    let got: Vec<&str> = back["initiatives"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(
        got,
        want[6..9].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(back["initiatives"]["pageInfo"]["hasPreviousPage"], true);
    let bad = app
        .gql(
            r#"{ initiatives(after: "garbage") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "after");
}

fn facet_map(v: &Value, key: &str) -> BTreeMap<String, u64> {
    v.as_array()
        .expect("facet")
        .iter()
        .map(|f| {
            let k = match &f["value"] {
                Value::String(s) => s.to_lowercase(),
                Value::Number(n) => n.to_string(),
                o => o[key].as_str().expect("code").to_owned(),
            };
            (k, f["count"].as_u64().expect("count"))
        })
        .collect()
}

on_both!(facets_count_the_whole_filtered_list);
async fn facets_count_the_whole_filtered_list(app: TestApp) {
    let demo = oracle::demo();
    let query = r#"{
      initiatives(first: 1) {
        facets {
          themes { value { code } count } topics { value { code } count } kinds { value count }
          organisationKinds { value count } targetGroups { value count }
          educationLevels { value count } regions { value count } evidenceLevels { value count }
          languages { value count } years { value count }
        }
      }
    }"#;
    let d = app.data(query, json!({})).await;
    let f = &d["initiatives"]["facets"];
    assert_eq!(
        facet_map(&f["themes"], "code"),
        demo.facet(|i| i.themes.clone())
    );
    assert_eq!(
        facet_map(&f["kinds"], "code"),
        demo.facet(|i| vec![i.kind.clone()])
    );
    assert_eq!(
        facet_map(&f["languages"], "code"),
        demo.facet(|i| i.languages.clone())
    );
    assert_eq!(
        facet_map(&f["targetGroups"], "code"),
        demo.facet(|i| i.target_groups.clone())
    );
    assert_eq!(
        facet_map(&f["regions"], "code"),
        demo.facet(|i| i.region.clone().into_iter().collect())
    );
    assert_eq!(
        facet_map(&f["years"], "code"),
        demo.facet(|i| i.start_year.map(|y| y.to_string()).into_iter().collect())
    );
    assert_eq!(
        facet_map(&f["organisationKinds"], "code"),
        demo.facet(|i| i
            .organisations
            .iter()
            .map(|o| demo.org_kind(&o.slug).to_owned())
            .collect())
    );
    // A topic counts its own initiatives and those of its narrower topics, once each.
    let mut topics = demo.facet(|i| i.topics.clone());
    for (root, n) in demo.facet(|i| i.topics.iter().map(|t| oracle::topic_root(t)).collect()) {
        topics.insert(root, n);
    }
    assert_eq!(facet_map(&f["topics"], "code"), topics);
    let counts: Vec<u64> = f["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .map(|t| t["count"].as_u64().expect("n"))
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first"
    );
    // Facets of a filtered list follow the filter.
    let query = r#"{
      initiatives(filter: { kinds: [GUIDE] }) { totalCount facets { kinds { value count } } }
    }"#;
    let g = app.data(query, json!({})).await;
    let guides = g["initiatives"]["totalCount"].as_u64().expect("n");
    assert_eq!(
        g["initiatives"]["facets"]["kinds"],
        json!([{ "value": "GUIDE", "count": guides }])
    );
}

on_both!(kept_facets_answer_each_kind_of_reader_its_own_until_the_next_change);
async fn kept_facets_answer_each_kind_of_reader_its_own_until_the_next_change(app: TestApp) {
    let editor = app.key(kb_domain::Role::Editor, "e").await;
    let lead = app.organisation_id("hogeschool-waddenpoort").await;
    // Drafts are counted for editors only; the same filter from both, at one position.
    let drafts = "{
      initiatives(filter: { statuses: [DRAFT], kinds: [TOOL] }) {
        facets { kinds { value count } }
      }
    }";
    let tools = |r: &Value| -> u64 {
        r["data"]["initiatives"]["facets"]["kinds"]
            .as_array()
            .expect("kinds")
            .iter()
            .find(|k| k["value"] == "TOOL")
            .map_or(0, |k| k["count"].as_u64().expect("count"))
    };
    let everything =
        "{ initiatives(filter: { kinds: [TOOL] }) { facets { kinds { value count } } } }";
    let published_before = tools(&app.gql(everything, json!({})).await);
    let create = "mutation($i: InitiativeInput!) {
      createInitiative(input: $i) { initiative { id status } }
    }";
    let input = json!({
        "i": {
            "title": "Facettenproef", "summary": "Een hulpmiddel dat nog een concept is.",
            "kind": "TOOL", "themes": ["support"], "topics": ["resilience"],
            "organisations": [{ "organisation": lead, "role": "LEAD" }],
        },
    });
    let r = app.gql_as(&editor, create, input).await;
    let created = &r["data"]["createInitiative"]["initiative"];
    assert_eq!(created["status"], "DRAFT", "{r}");
    let id = created["id"].as_str().expect("id").to_owned();
    let for_editor = tools(&app.gql_as(&editor, drafts, json!({})).await);
    assert!(for_editor >= 1, "the new draft is counted for editors");
    // What editors were counted is kept for editors, never given to anonymous readers.
    assert_eq!(tools(&app.gql(drafts, json!({})).await), 0);
    assert_eq!(
        tools(&app.gql_as(&editor, drafts, json!({})).await),
        for_editor
    );
    assert_eq!(
        tools(&app.gql(everything, json!({})).await),
        published_before
    );
    // Published, it counts for everyone at once: a change forgets what was kept.
    let publish = "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }";
    let r = app.gql_as(&editor, publish, json!({ "id": id })).await;
    assert_eq!(
        r["data"]["publishInitiative"]["initiative"]["status"], "PUBLISHED",
        "{r}"
    );
    assert_eq!(
        tools(&app.gql(everything, json!({})).await),
        published_before + 1
    );
    assert_eq!(
        tools(&app.gql_as(&editor, drafts, json!({})).await),
        for_editor - 1
    );
}

on_both!(nested_pages_follow_the_same_order_as_the_filtered_list);
async fn nested_pages_follow_the_same_order_as_the_filtered_list(app: TestApp) {
    let list = app
        .data(
            r#"{ initiatives(first: 12, filter: { themes: ["support"] }) { nodes { slug } } }"#,
            json!({}),
        )
        .await;
    let want: Vec<&str> = list["initiatives"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["slug"].as_str().expect("slug"))
        .collect();
    let query = r#"{
      theme(code: "support") {
        initiatives(first: 5) { nodes { slug } pageInfo { endCursor hasNextPage } }
      }
    }"#;
    let first = app.data(query, json!({})).await;
    let cursor = first["theme"]["initiatives"]["pageInfo"]["endCursor"].clone();
    let query = "query($a: String) {
      theme(code: \"support\") {
        initiatives(first: 7, after: $a) { nodes { slug } pageInfo { hasPreviousPage } }
      }
    }";
    let next = app.data(query, json!({ "a": cursor })).await;
    let mut got: Vec<String> = Vec::new();
    for page in [&first, &next] {
        for n in page["theme"]["initiatives"]["nodes"]
            .as_array()
            .expect("nodes")
        {
            got.push(n["slug"].as_str().expect("slug").to_owned());
        }
    }
    assert_eq!(got, want);
    assert_eq!(
        next["theme"]["initiatives"]["pageInfo"]["hasPreviousPage"],
        true
    );
}

on_both!(an_unknown_theme_code_in_an_event_filter_is_bad_input);
async fn an_unknown_theme_code_in_an_event_filter_is_bad_input(app: TestApp) {
    let r = app
        .gql(
            r#"{ events(filter: { themes: ["support", "nope"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(crate::support::error_code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "filter.themes");
    let d = app
        .data(
            r#"{ events(filter: { themes: ["support"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert!(d["events"]["totalCount"].as_i64().expect("total") > 0);
}
