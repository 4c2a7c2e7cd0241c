//! The read API over the demo graph: lookups, relations in both directions, global ids,
//! localisation, vocabularies and federation entities.

use serde_json::{Value, json};

use crate::on_both;
use crate::oracle;
use crate::support::{TestApp, error_code, header};

const PAGE: &str = r#"query Page($slug: String!) {
  initiative(slug: $slug) {
    id slug title kind status version languages targetGroups
    themes { code label }
    topics { code broader { code } }
    organisations { role organisation { slug kind partOf { slug } } }
    events(first: 10) { totalCount nodes { slug } }
    buildsOn { slug } builtOnBy { slug } inspiredBy { slug } inspired { slug } relatedTo { slug }
    links(type: BUILDS_ON) { note initiative { slug } }
  }
}"#;

fn slugs(v: &Value) -> Vec<String> {
    let mut s: Vec<String> = v
        .as_array()
        .expect("list")
        .iter()
        .map(|x| x["slug"].as_str().expect("slug").to_owned())
        .collect();
    s.sort();
    s
}

on_both!(an_initiative_page_loads_in_one_request);
async fn an_initiative_page_loads_in_one_request(app: TestApp) {
    let demo = oracle::demo();
    let slug = "poortwachterstraining-suicidepreventie";
    let d = app.data(PAGE, json!({ "slug": slug })).await;
    let i = &d["initiative"];
    let expected = demo.initiative(slug);
    assert_eq!(i["slug"], slug);
    assert_eq!(i["title"], expected.title.as_str());
    assert_eq!(i["status"], "PUBLISHED");
    assert_eq!(i["version"], 1);
    assert_eq!(i["kind"], expected.kind.to_uppercase());
    let mut themes: Vec<String> = i["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .map(|t| t["code"].as_str().expect("code").to_owned())
        .collect();
    themes.sort();
    let mut want = expected.themes.clone();
    want.sort();
    assert_eq!(themes, want);
    let orgs = i["organisations"].as_array().expect("organisations");
    assert_eq!(orgs.len(), expected.organisations.len());
    assert_eq!(orgs[0]["role"], "LEAD", "the lead comes first");
    for o in orgs {
        let slug = o["organisation"]["slug"].as_str().expect("slug");
        assert_eq!(
            o["organisation"]["kind"],
            demo.org_kind(slug).to_uppercase()
        );
    }
    // Links in both directions, straight from the demo file.
    let out = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = demo
            .link
            .iter()
            .filter(|l| l.from == slug && l.link_type == t)
            .map(|l| l.to.clone())
            .collect();
        v.sort();
        v
    };
    let inc = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = demo
            .link
            .iter()
            .filter(|l| l.to == slug && l.link_type == t)
            .map(|l| l.from.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(slugs(&i["buildsOn"]), out("builds_on"));
    assert_eq!(slugs(&i["builtOnBy"]), inc("builds_on"));
    let mut related = out("related_to");
    related.extend(inc("related_to"));
    related.sort();
    assert_eq!(slugs(&i["relatedTo"]), related);
    assert!(!related.is_empty());
    let featured: Vec<&str> = demo
        .event
        .iter()
        .filter(|e| e.status == "published" && e.initiatives.iter().any(|s| s == slug))
        .map(|e| e.slug.as_str())
        .collect();
    assert_eq!(i["events"]["totalCount"], featured.len());
    assert_eq!(slugs(&i["events"]["nodes"]).len(), featured.len());
}

on_both!(global_ids_resolve_through_node_and_nodes);
async fn global_ids_resolve_through_node_and_nodes(app: TestApp) {
    let query = r#"{
      initiative(slug: "landelijk-kader-studentenwelzijn") { id title } themes { id code }
    }"#;
    let d = app.data(query, json!({})).await;
    let id = d["initiative"]["id"].as_str().expect("id").to_owned();
    let theme_id = d["themes"][0]["id"].as_str().expect("id").to_owned();
    let query = "query($id: ID!, $ids: [ID!]!) {
      node(id: $id) { id ... on Initiative { title } }
      nodes(ids: $ids) { id ... on Theme { code } ... on Initiative { slug } }
    }";
    let vars = json!({ "id": id, "ids": [theme_id, id, "SW5pdGlhdGl2ZTo5OTk5OQ"] });
    let n = app.data(query, vars).await;
    assert_eq!(n["node"]["title"], d["initiative"]["title"]);
    assert_eq!(n["nodes"][0]["code"], "policy");
    assert_eq!(n["nodes"][1]["slug"], "landelijk-kader-studentenwelzijn");
    assert_eq!(n["nodes"][2], Value::Null, "an unknown id is null");
    let by_id = app
        .data(
            "query($id: ID) { initiative(id: $id) { slug } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        by_id["initiative"]["slug"],
        "landelijk-kader-studentenwelzijn"
    );
    let bad = app
        .gql(r#"{ node(id: "not-an-id") { id } }"#, json!({}))
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "id");
    let both = app
        .gql(r#"{ initiative(id: "x", slug: "y") { id } }"#, json!({}))
        .await;
    assert_eq!(error_code(&both), "BAD_USER_INPUT");
    let wrong_kind = app
        .gql(
            "query($id: ID) { organisation(id: $id) { slug } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&wrong_kind), "BAD_USER_INPUT");
}

on_both!(every_relation_has_its_way_back);
async fn every_relation_has_its_way_back(app: TestApp) {
    let demo = oracle::demo();
    // Organisation → initiatives, events, partOf, parts.
    let org = "universiteit-van-zilverwold";
    let query = r#"query($slug: String!) {
      organisation(slug: $slug) {
        name parts { slug } partOf { slug }
        initiatives(first: 100) {
          totalCount nodes { slug organisations { organisation { slug } } }
        }
        events(first: 50) { totalCount nodes { slug organisers { slug } } }
      }
    }"#;
    let d = app.data(query, json!({ "slug": org })).await;
    let o = &d["organisation"];
    let parts: Vec<String> = demo
        .organisation
        .iter()
        .filter(|x| x.part_of.as_deref() == Some(org))
        .map(|x| x.slug.clone())
        .collect();
    assert_eq!(slugs(&o["parts"]), parts);
    assert_eq!(o["partOf"], Value::Null);
    let mut own: Vec<String> = demo
        .published()
        .filter(|i| i.organisations.iter().any(|r| r.slug == org))
        .map(|i| i.slug.clone())
        .collect();
    own.sort();
    assert_eq!(o["initiatives"]["totalCount"], own.len());
    assert_eq!(slugs(&o["initiatives"]["nodes"]), own);
    for i in o["initiatives"]["nodes"].as_array().expect("nodes") {
        assert!(
            i["organisations"]
                .as_array()
                .expect("orgs")
                .iter()
                .any(|x| x["organisation"]["slug"] == org)
        );
    }
    let events: Vec<&str> = demo
        .event
        .iter()
        .filter(|e| e.status == "published" && e.organisers.iter().any(|s| s == org))
        .map(|e| e.slug.as_str())
        .collect();
    assert_eq!(o["events"]["totalCount"], events.len());
    // Topic tree both ways.
    let query = r#"{
      topic(code: "special_circumstances") { narrower { code broader { code } } broader { code } }
    }"#;
    let t = app.data(query, json!({})).await;
    let narrower = t["topic"]["narrower"].as_array().expect("narrower");
    assert_eq!(narrower.len(), 8);
    assert!(
        narrower
            .iter()
            .all(|n| n["broader"]["code"] == "special_circumstances")
    );
    assert_eq!(t["topic"]["broader"], Value::Null);
    // Event → initiatives and organisers.
    let query = r#"{
      event(slug: "netwerkdag-kompas-2024") {
        organisers { slug } initiatives(first: 10) { totalCount nodes { slug } } themes { code }
        topics { code }
      }
    }"#;
    let e = app.data(query, json!({})).await;
    let ev = demo
        .event
        .iter()
        .find(|x| x.slug == "netwerkdag-kompas-2024")
        .expect("event");
    let mut featured: Vec<String> = ev
        .initiatives
        .iter()
        .filter(|s| demo.initiative(s).status == "published")
        .cloned()
        .collect();
    featured.sort();
    assert_eq!(slugs(&e["event"]["initiatives"]["nodes"]), featured);
    assert_eq!(e["event"]["initiatives"]["totalCount"], featured.len());
    let mut organisers = ev.organisers.clone();
    organisers.sort();
    assert_eq!(slugs(&e["event"]["organisers"]), organisers);
    // Theme → initiatives equals the filtered list.
    let query = r#"{
      theme(code: "prevention") { initiatives(first: 1) { totalCount } }
      initiatives(filter: { themes: ["prevention"] }) { totalCount }
    }"#;
    let th = app.data(query, json!({})).await;
    let want = demo
        .published()
        .filter(|i| i.themes.iter().any(|t| t == "prevention"))
        .count();
    assert_eq!(th["theme"]["initiatives"]["totalCount"], want);
    assert_eq!(th["initiatives"]["totalCount"], want);
}

on_both!(labels_follow_accept_language_and_the_lang_argument);
async fn labels_follow_accept_language_and_the_lang_argument(app: TestApp) {
    let q = r#"{ theme(code: "policy") { label nl: label(lang: NL) en: label(lang: EN) } }"#;
    let nl = app.data(q, json!({})).await;
    assert_eq!(nl["theme"]["label"], "Beleid", "Dutch is the default");
    let en = app
        .gql_with(q, json!({}), header("accept-language", "en-GB,en;q=0.9"))
        .await;
    assert_eq!(en["data"]["theme"]["label"], "Leadership and policy");
    assert_eq!(en["data"]["theme"]["nl"], "Beleid");
    let other = app
        .gql_with(q, json!({}), header("accept-language", "fr, de;q=0.5"))
        .await;
    assert_eq!(other["data"]["theme"]["label"], "Beleid");
    let t = app
        .data(
            r#"{ topic(code: "financial_problems") { label(lang: EN) altLabels } }"#,
            json!({}),
        )
        .await;
    assert_eq!(t["topic"]["label"], "Financial problems");
    assert!(
        t["topic"]["altLabels"]
            .as_array()
            .expect("alt")
            .iter()
            .any(|a| a == "geldzorgen")
    );
}

on_both!(vocabularies_list_every_code_with_both_labels);
async fn vocabularies_list_every_code_with_both_labels(app: TestApp) {
    let query = "{
      vocabularies {
        initiativeKinds { code value label en: label(lang: EN) } regions { code value }
        targetGroups { code } educationLevels { code } formats { code } costs { code }
        preventionLevels { code } evidenceLevels { code } eventKinds { code }
        organisationKinds { code }
      }
    }";
    let d = app.data(query, json!({})).await;
    let v = &d["vocabularies"];
    assert_eq!(v["initiativeKinds"].as_array().expect("kinds").len(), 10);
    assert_eq!(v["initiativeKinds"][4]["code"], "education_practice");
    assert_eq!(v["initiativeKinds"][4]["value"], "EDUCATION_PRACTICE");
    assert_eq!(v["initiativeKinds"][4]["label"], "Onderwijspraktijk");
    assert_eq!(v["initiativeKinds"][4]["en"], "Teaching practice");
    assert_eq!(v["regions"].as_array().expect("regions").len(), 14);
    assert_eq!(v["regions"][0]["code"], "national");
    for (k, n) in [
        ("targetGroups", 8),
        ("educationLevels", 7),
        ("formats", 3),
        ("costs", 3),
        ("preventionLevels", 4),
        ("evidenceLevels", 6),
        ("eventKinds", 6),
        ("organisationKinds", 10),
    ] {
        assert_eq!(v[k].as_array().expect(k).len(), n, "{k}");
    }
}

on_both!(federation_entities_resolve_by_key);
async fn federation_entities_resolve_by_key(app: TestApp) {
    let query = r#"{
      initiative(slug: "landelijk-kader-studentenwelzijn") { id }
      organisation(slug: "universiteit-van-zilverwold") { id } themes { id }
    }"#;
    let d = app.data(query, json!({})).await;
    let reps = json!([
        { "__typename": "Initiative", "id": d["initiative"]["id"] },
        { "__typename": "Organisation", "id": d["organisation"]["id"] },
        { "__typename": "Theme", "id": d["themes"][1]["id"] },
    ]);
    let query = "query($r: [_Any!]!) {
      _entities(representations: $r) {
        __typename ... on Initiative { slug } ... on Organisation { slug } ... on Theme { code }
      }
    }";
    let e = app.data(query, json!({ "r": reps })).await;
    assert_eq!(
        e["_entities"][0]["slug"],
        "landelijk-kader-studentenwelzijn"
    );
    assert_eq!(e["_entities"][1]["slug"], "universiteit-van-zilverwold");
    assert_eq!(e["_entities"][2]["code"], "research");
    let sdl = app.data("{ _service { sdl } }", json!({})).await;
    assert!(
        sdl["_service"]["sdl"]
            .as_str()
            .expect("sdl")
            .contains("type Initiative implements Node @key(fields: \"id\")")
    );
}

on_both!(themes_and_topics_list_their_events);
async fn themes_and_topics_list_their_events(app: TestApp) {
    let demo = oracle::demo();
    let query = r#"{
      theme(code: "collaboration") {
        events(first: 50) { totalCount nodes { slug themes { code } } }
      }
      topic(code: "financial_problems") { events(first: 50) { totalCount nodes { slug } } }
    }"#;
    let d = app.data(query, json!({})).await;
    let events = d["theme"]["events"]["nodes"].as_array().expect("events");
    let want = demo
        .event
        .iter()
        .filter(|e| e.status == "published" && e.themes.iter().any(|t| t == "collaboration"))
        .count();
    assert!(want > 0);
    assert_eq!(events.len(), want);
    assert_eq!(d["theme"]["events"]["totalCount"], want);
    for e in events {
        assert!(
            e["themes"]
                .as_array()
                .expect("themes")
                .iter()
                .any(|t| t["code"] == "collaboration")
        );
        let slug = e["slug"].as_str().expect("slug");
        assert!(
            demo.event
                .iter()
                .any(|x| x.slug == slug && x.status == "published")
        );
    }
    assert!(d["topic"]["events"]["totalCount"].as_u64().expect("n") >= 1);
}

on_both!(related_initiatives_come_with_scores_and_reasons);
async fn related_initiatives_come_with_scores_and_reasons(app: TestApp) {
    let q = r#"{
      initiative(slug: "buddyprogramma-eerstejaars-waddenpoort") {
        topics { code } themes { code } organisations { organisation { name } }
        related(first: 8) {
          score initiative { slug status }
          reasons { topics { code } themes { code } organisations { name } links }
        }
      }
    }"#;
    let d = app.data(q, json!({})).await;
    let me = &d["initiative"];
    let related = me["related"].as_array().expect("related");
    assert_eq!(related.len(), 8);
    let codes = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .expect("list")
            .iter()
            .map(|x| x["code"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let my_topics = codes(me, "topics");
    let my_themes = codes(me, "themes");
    let mut last = f64::MAX;
    for r in related {
        let score = r["score"].as_f64().expect("score");
        assert!(score > 0.0 && score <= last, "best first: {related:?}");
        last = score;
        assert_eq!(r["initiative"]["status"], "PUBLISHED");
        assert_ne!(
            r["initiative"]["slug"],
            "buddyprogramma-eerstejaars-waddenpoort"
        );
        let reasons = &r["reasons"];
        // Every reason is really shared.
        assert!(
            codes(reasons, "topics")
                .iter()
                .all(|t| my_topics.contains(t)),
            "{r}"
        );
        assert!(
            codes(reasons, "themes")
                .iter()
                .all(|t| my_themes.contains(t)),
            "{r}"
        );
        let any = ["topics", "themes", "organisations", "links"]
            .iter()
            .any(|k| !reasons[*k].as_array().expect("list").is_empty());
        assert!(any, "a related initiative has a reason: {r}");
    }
    let query = r#"{
      initiative(slug: "buddyprogramma-eerstejaars-waddenpoort") { related(first: 51) { score } }
    }"#;
    let r = app.gql(query, json!({})).await;
    assert_eq!(crate::support::error_code(&r), "BAD_USER_INPUT");
    let query = r#"{
      initiative(slug: "buddyprogramma-eerstejaars-waddenpoort") {
        lineage(direction: UP, depth: 6) { depth }
      }
    }"#;
    let r = app.gql(query, json!({})).await;
    assert_eq!(crate::support::error_code(&r), "BAD_USER_INPUT");
}

on_both!(related_initiatives_of_a_list_cost_a_fixed_number_of_statements);
async fn related_initiatives_of_a_list_cost_a_fixed_number_of_statements(app: TestApp) {
    let q = r#"query($n: Int) {
      initiatives(first: $n) {
        nodes {
          related(first: 3) {
            score initiative { title }
            reasons { topics { code } themes { code } organisations { name } }
          }
        }
      }
    }"#;
    let (small, r) = app.count_statements(q, json!({ "n": 3 })).await;
    assert!(r.get("errors").is_none(), "{r}");
    let (large, r) = app.count_statements(q, json!({ "n": 30 })).await;
    assert!(r.get("errors").is_none(), "{r}");
    // The page's rows, the related rows, and one each for topics, themes and
    // organisations of the reasons.
    assert_eq!(small, large);
    assert_eq!(large, 5);
}
