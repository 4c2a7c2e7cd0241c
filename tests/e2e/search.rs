//! Full-text search and suggestions over HTTP: stemming, synonyms from the taxonomy,
//! diacritics, typos, prefixes, phrases, hostile text, disjunctive facets, visibility and
//! read-your-writes.

use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, error_code};

pub struct Fixture {
    pub editor: String,
    pub org: String,
}

const CREATE: &str =
    "mutation($i: InitiativeInput!) { createInitiative(input: $i) { initiative { id } } }";
const PUBLISH: &str = "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }";

pub async fn fixture(app: &TestApp) -> Fixture {
    let editor = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "zoek",
            kb_domain::Role::Editor,
            None,
            None,
        )
        .await
        .expect("key")
        .secret;
    let mutation = "mutation {
      createOrganisation(
        input: { name: \"Hogeschool Zoekland\", kind: UNIVERSITY_OF_APPLIED_SCIENCES }
      ) {
        organisation { id }
      }
    }";
    let r = app.gql_as(&editor, mutation, json!({})).await;
    let org = r["data"]["createOrganisation"]["organisation"]["id"]
        .as_str()
        .expect("org")
        .to_owned();
    Fixture { editor, org }
}

/// An initiative to create: title, summary, kind, topic and language.
pub type Spec<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// Creates an initiative of the fixture's organisation; published unless `draft`.
pub async fn initiative(app: &TestApp, f: &Fixture, spec: Spec<'_>, draft: bool) -> String {
    let (title, summary, kind, topic, lang) = spec;
    let vars = json!({
        "i": {
            "title": title, "summary": summary, "kind": kind, "languages": [lang],
            "themes": ["support"], "topics": [topic],
            "organisations": [{ "organisation": f.org, "role": "LEAD" }],
        },
    });
    let r = app.gql_as(&f.editor, CREATE, vars).await;
    let id = r["data"]["createInitiative"]["initiative"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    if !draft {
        let r = app.gql_as(&f.editor, PUBLISH, json!({ "id": id })).await;
        assert_eq!(
            r["data"]["publishInitiative"]["initiative"]["status"], "PUBLISHED",
            "{r}"
        );
    }
    id
}

const SEARCH: &str = "query($q: String!, $o: [ID!]) {
  search(query: $q, filter: { organisations: $o }, first: 20) {
    totalCount nodes { score initiative { title } snippet { title text } }
  }
}";

async fn titles(app: &TestApp, key: Option<&str>, f: &Fixture, q: &str) -> Vec<String> {
    let vars = json!({ "q": q, "o": [f.org] });
    let r = match key {
        Some(k) => app.gql_as(k, SEARCH, vars).await,
        None => app.gql(SEARCH, vars).await,
    };
    assert!(r.get("errors").is_none(), "{q}: {r}");
    r["data"]["search"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["initiative"]["title"].as_str().expect("title").to_owned())
        .collect()
}

on_both!(search_understands_dutch_synonyms_diacritics_typos_prefixes_and_phrases);
async fn search_understands_dutch_synonyms_diacritics_typos_prefixes_and_phrases(app: TestApp) {
    let f = fixture(&app).await;
    initiative(
        &app,
        &f,
        (
            "Prestaties zonder druk",
            "Een training voor studenten die veel prestatiedruk voelen.",
            "TRAINING",
            "stress_performance_pressure",
            "nl",
        ),
        false,
    )
    .await;
    initiative(
        &app,
        &f,
        (
            "Samen aan tafel",
            "Maaltijden tegen eenzaamheid van internationale studenten.",
            "COMMUNITY",
            "social_connection",
            "nl",
        ),
        false,
    )
    .await;
    initiative(
        &app,
        &f,
        (
            "Regenboogcafé",
            "Een ontmoetingsplek voor queer studenten.",
            "SUPPORT_GROUP",
            "lgbtqia",
            "nl",
        ),
        false,
    )
    .await;
    initiative(
        &app,
        &f,
        (
            "Suïcidepreventie op de campus",
            "Poortwachters leren signalen herkennen en sociale steun bieden.",
            "TRAINING",
            "suicide_prevention",
            "nl",
        ),
        false,
    )
    .await;
    initiative(
        &app,
        &f,
        (
            "Geheim concept",
            "Een student met prestatiedruk, nog niet gepubliceerd.",
            "GUIDE",
            "stress_performance_pressure",
            "nl",
        ),
        true,
    )
    .await;

    // Dutch stemming: `prestatie` finds `Prestaties`, `student` finds `studenten`.
    assert_eq!(
        titles(&app, None, &f, "prestatie").await,
        ["Prestaties zonder druk"]
    );
    assert_eq!(
        titles(&app, None, &f, "student tafel").await,
        ["Samen aan tafel"]
    );
    // Synonyms from the taxonomy: LHBTI is an alternative label of the LGBTQIA2S+ topic.
    assert_eq!(titles(&app, None, &f, "LHBTI").await, ["Regenboogcafé"]);
    assert_eq!(
        titles(&app, None, &f, "loneliness").await,
        ["Samen aan tafel"]
    );
    // Diacritics folded both ways.
    assert_eq!(
        titles(&app, None, &f, "suicidepreventie campus").await,
        ["Suïcidepreventie op de campus"]
    );
    assert_eq!(
        titles(&app, None, &f, "regenboogcafe").await,
        ["Regenboogcafé"]
    );
    // One typo in a word of five letters or more.
    assert_eq!(
        titles(&app, None, &f, "maaltjden").await,
        ["Samen aan tafel"]
    );
    // The last word as a prefix, while typing.
    assert_eq!(
        titles(&app, None, &f, "poortwach").await,
        ["Suïcidepreventie op de campus"]
    );
    // A quoted phrase matches as a phrase only.
    assert_eq!(
        titles(&app, None, &f, "\"sociale steun\"").await,
        ["Suïcidepreventie op de campus"]
    );
    assert!(titles(&app, None, &f, "\"steun sociale\"").await.is_empty());
    // The draft is found by editors who ask for drafts, never by the public.
    assert_eq!(
        titles(&app, None, &f, "prestatiedruk").await,
        ["Prestaties zonder druk"]
    );
    assert_eq!(
        titles(&app, Some(&f.editor), &f, "prestatiedruk").await,
        ["Prestaties zonder druk"]
    );
    let drafts = "query($o: [ID!]) {
      search(
        query: \"prestatiedruk\", filter: { organisations: $o, statuses: [DRAFT, PUBLISHED] }
      ) {
        nodes { initiative { title } }
      }
    }";
    let found = |r: Value| -> Vec<String> {
        let mut t: Vec<String> = r["data"]["search"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["initiative"]["title"].as_str().expect("title").to_owned())
            .collect();
        t.sort();
        t
    };
    assert_eq!(
        found(app.gql_as(&f.editor, drafts, json!({ "o": [f.org] })).await),
        ["Geheim concept", "Prestaties zonder druk"]
    );
    assert_eq!(
        found(app.gql(drafts, json!({ "o": [f.org] })).await),
        ["Prestaties zonder druk"]
    );
    // Snippets mark what matched.
    let r = app
        .gql(SEARCH, json!({ "q": "eenzaamheid", "o": [f.org] }))
        .await;
    let text = r["data"]["search"]["nodes"][0]["snippet"]["text"]
        .as_str()
        .expect("snippet");
    assert!(text.contains("<mark>eenzaamheid</mark>"), "{text}");
}

on_both!(hostile_search_text_gets_results_or_bad_input_never_internal);
async fn hostile_search_text_gets_results_or_bad_input_never_internal(app: TestApp) {
    let q = "query($q: String!) { search(query: $q) { totalCount } suggest(prefix: $q) { text } }";
    let long = "a ".repeat(5_000);
    for text in [
        "*",
        "title:x",
        "\"unbalanced",
        "((((",
        "AND OR NOT",
        "\u{0}",
        "a\u{7}b",
        long.as_str(),
        "",
        "   ",
        "🦄",
        "<script>alert(1)</script>",
    ] {
        let r = app.gql(q, json!({ "q": text })).await;
        match r.get("errors") {
            None => assert!(r["data"]["search"]["totalCount"].is_number(), "{r}"),
            Some(_) => {
                assert_eq!(error_code(&r), "BAD_USER_INPUT", "{text:?}: {r}");
                let field = r["errors"][0]["extensions"]["field"]
                    .as_str()
                    .unwrap_or_default();
                assert!(field == "query" || field == "prefix", "{r}");
            }
        }
    }
}

on_both!(search_facets_are_disjunctive);
async fn search_facets_are_disjunctive(app: TestApp) {
    let f = fixture(&app).await;
    for (title, kind) in [
        ("Mentorgroep eerstejaars", "TRAINING"),
        ("Mentorprogramma online", "TOOL"),
        ("Mentoren voor mentoren", "TOOL"),
    ] {
        initiative(
            &app,
            &f,
            (title, "Een mentoraanpak.", kind, "resilience", "nl"),
            false,
        )
        .await;
    }
    let q = "query($o: [ID!], $k: [InitiativeKind!]) {
      search(query: \"mentor\", filter: { organisations: $o, kinds: $k }) {
        totalCount facets { kinds { value count } }
      }
    }";
    let d = app.data(q, json!({ "o": [f.org], "k": ["TOOL"] })).await;
    assert_eq!(d["search"]["totalCount"], 2);
    // The kind facet ignores the kind filter: TRAINING stays countable.
    let kinds: Vec<(String, i64)> = d["search"]["facets"]["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| {
            (
                k["value"].as_str().expect("value").to_owned(),
                k["count"].as_i64().expect("count"),
            )
        })
        .collect();
    assert_eq!(kinds, [("TOOL".to_owned(), 2), ("TRAINING".to_owned(), 1)]);
}

on_both!(suggestions_complete_titles_topics_and_organisations_for_those_who_may_see_them);
async fn suggestions_complete_titles_topics_and_organisations_for_those_who_may_see_them(
    app: TestApp,
) {
    let f = fixture(&app).await;
    initiative(
        &app,
        &f,
        (
            "Zoekmaatje zichtbaar",
            "Zichtbaar.",
            "TOOL",
            "resilience",
            "nl",
        ),
        false,
    )
    .await;
    initiative(
        &app,
        &f,
        (
            "Zoekmaatje verborgen",
            "Verborgen.",
            "TOOL",
            "resilience",
            "nl",
        ),
        true,
    )
    .await;
    let q =
        "query($p: String!) { suggest(prefix: $p, first: 10) { text kind initiative { title } } }";
    let texts = |r: &Value| -> Vec<String> {
        r["data"]["suggest"]
            .as_array()
            .expect("suggest")
            .iter()
            .map(|s| s["text"].as_str().expect("text").to_owned())
            .collect()
    };
    let public = app.gql(q, json!({ "p": "zoekmaat" })).await;
    assert_eq!(texts(&public), ["Zoekmaatje zichtbaar"], "{public}");
    assert_eq!(public["data"]["suggest"][0]["kind"], "INITIATIVE");
    assert_eq!(
        public["data"]["suggest"][0]["initiative"]["title"],
        "Zoekmaatje zichtbaar"
    );
    let mut editor = texts(&app.gql_as(&f.editor, q, json!({ "p": "ZOEKMAAT" })).await);
    editor.sort();
    assert_eq!(editor, ["Zoekmaatje verborgen", "Zoekmaatje zichtbaar"]);
    let orgs = app.gql(q, json!({ "p": "hogeschool zoek" })).await;
    assert!(
        orgs["data"]["suggest"]
            .as_array()
            .expect("suggest")
            .iter()
            .any(|s| s["kind"] == "ORGANISATION" && s["text"] == "Hogeschool Zoekland"),
        "{orgs}"
    );
    let topics = app.gql(q, json!({ "p": "eenzaam" })).await;
    assert!(
        topics["data"]["suggest"]
            .as_array()
            .expect("suggest")
            .iter()
            .any(|s| s["kind"] == "TOPIC"),
        "{topics}"
    );
}

on_both!(vocabulary_labels_are_found_too);
async fn vocabulary_labels_are_found_too(app: TestApp) {
    // The example in docs/api.md: `hbo` is part of the education levels' labels.
    let query = r#"{
      search(query: "hbo", first: 100) { totalCount }
      initiatives(filter: { educationLevels: [HBO_BACHELOR, HBO_MASTER, HBO_ASSOCIATE] }) {
        totalCount
      }
    }"#;
    let d = app.data(query, json!({})).await;
    let hits = d["search"]["totalCount"].as_i64().expect("hits");
    assert!(
        hits >= d["initiatives"]["totalCount"].as_i64().expect("total"),
        "{d}"
    );
    let query = r#"{
      search(query: "prestatiedruk hbo") {
        totalCount nodes { initiative { educationLevels topics { code } } }
      }
    }"#;
    let d = app.data(query, json!({})).await;
    assert!(d["search"]["totalCount"].as_i64().expect("hits") > 0, "{d}");
}

const SEARCH_EVENTS: &str = "query($q: String!, $lang: Language) {
  searchEvents(query: $q, lang: $lang, first: 10) {
    totalCount pageInfo { hasNextPage }
    edges { cursor node { score event { title status } snippet { title text } } }
  }
}";
const SEARCH_ORGANISATIONS: &str = "query($q: String!, $lang: Language) {
  searchOrganisations(query: $q, lang: $lang, first: 10) {
    totalCount nodes { organisation { name } snippet { title text } }
  }
}";

/// The titles of the events, or names of the organisations, a search finds.
async fn found(
    app: &TestApp,
    key: Option<&str>,
    events: bool,
    q: &str,
    lang: Value,
) -> Vec<String> {
    let (query, field, node, name) = if events {
        (SEARCH_EVENTS, "searchEvents", "event", "title")
    } else {
        (
            SEARCH_ORGANISATIONS,
            "searchOrganisations",
            "organisation",
            "name",
        )
    };
    let vars = json!({ "q": q, "lang": lang });
    let r = match key {
        Some(k) => app.gql_as(k, query, vars).await,
        None => app.gql(query, vars).await,
    };
    assert!(r.get("errors").is_none(), "{q}: {r}");
    let list = if events {
        &r["data"][field]["edges"]
    } else {
        &r["data"][field]["nodes"]
    };
    list.as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let h = if events { &h["node"] } else { h };
            h[node][name].as_str().expect("name").to_owned()
        })
        .collect()
}

on_both!(events_and_organisations_are_search_results_of_their_own);
async fn events_and_organisations_are_search_results_of_their_own(app: TestApp) {
    let f = fixture(&app).await;
    let update = "mutation($id: ID!, $v: Int!, $i: OrganisationInput!) {
      updateOrganisation(id: $id, expectedVersion: $v, input: $i) { organisation { version } }
    }";
    let description = concat!(
        "Een hogeschool waar studenten elkaar helpen, ",
        "met een zoekmaatjesprogramma voor eerstejaars.",
    );
    let vars = json!({
        "id": f.org, "v": 1,
        "i": {
            "descriptionNl": description,
            "descriptionEn": "A university of applied sciences with a search buddy scheme.",
            "city": "Zoekstad",
        },
    });
    let r = app.gql_as(&f.editor, update, vars).await;
    assert_eq!(
        r["data"]["updateOrganisation"]["organisation"]["version"], 2,
        "{r}"
    );
    let create = "mutation($i: EventInput!) { createEvent(input: $i) { event { id status } } }";
    let vars = json!({
        "i": {
            "title": "Zoekdag veerkracht",
            "summary": "Workshops over weerbaarheid voor studenten en docenten.", "kind": "WEBINAR",
            "startsAt": "2027-05-10T13:00:00Z", "endsAt": "2027-05-10T16:00:00Z",
            "location": "Aula Zoekstad", "themes": ["support"], "topics": ["financial_problems"],
            "organisers": [f.org],
        },
    });
    let r = app.gql_as(&f.editor, create, vars).await;
    let event = r["data"]["createEvent"]["event"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();

    // A draft event is found by editors only.
    assert!(
        found(&app, None, true, "zoekdag", Value::Null)
            .await
            .is_empty()
    );
    assert_eq!(
        found(&app, Some(&f.editor), true, "zoekdag", Value::Null).await,
        ["Zoekdag veerkracht"]
    );
    let r = app
        .gql_as(
            &f.editor,
            "mutation($id: ID!) { publishEvent(id: $id) { event { status } } }",
            json!({ "id": event }),
        )
        .await;
    assert_eq!(
        r["data"]["publishEvent"]["event"]["status"], "PUBLISHED",
        "{r}"
    );
    // Published: everyone finds it at once, by its words, its organiser's name, its
    // topic's synonym, its location, with a typo and as a prefix; never as an initiative.
    for q in [
        "zoekdag",
        "hogeschool zoekland",
        "zoekdag geldzorgen",
        "aula zoekstad",
        "weerbarheid zoekdag",
        "zoekdag veerkr",
    ] {
        assert_eq!(
            found(&app, None, true, q, Value::Null).await,
            ["Zoekdag veerkracht"],
            "{q}"
        );
    }
    assert!(titles(&app, None, &f, "zoekdag").await.is_empty());
    let r = app
        .gql(SEARCH_EVENTS, json!({ "q": "weerbaarheid", "lang": null }))
        .await;
    let hit = &r["data"]["searchEvents"];
    assert_eq!(hit["totalCount"], 1, "{r}");
    assert_eq!(hit["pageInfo"]["hasNextPage"], false);
    assert_eq!(hit["edges"][0]["node"]["event"]["status"], "PUBLISHED");
    // "veerkracht" is in the lexicon's entry of "weerbaarheid": marked as found.
    assert_eq!(
        hit["edges"][0]["node"]["snippet"]["title"],
        "Zoekdag <mark>veerkracht</mark>"
    );
    assert_eq!(
        hit["edges"][0]["node"]["snippet"]["text"],
        "Workshops over <mark>weerbaarheid</mark> voor studenten en docenten."
    );

    // Organisations by name, description in either language and city.
    for q in [
        "zoekland",
        "zoekmaatjesprogramma",
        "buddy scheme",
        "zoekstad",
    ] {
        assert_eq!(
            found(&app, None, false, q, Value::Null).await,
            ["Hogeschool Zoekland"],
            "{q}"
        );
    }
    let r = app
        .gql(
            SEARCH_ORGANISATIONS,
            json!({ "q": "eerstejaars zoekmaatjesprogramma", "lang": null }),
        )
        .await;
    assert_eq!(
        r["data"]["searchOrganisations"]["nodes"][0]["snippet"]["text"],
        concat!(
            "Een hogeschool waar studenten elkaar helpen, ",
            "met een <mark>zoekmaatjesprogramma</mark> voor <mark>eerstejaars</mark>.",
        ),
        "{r}"
    );

    // `lang` reads the query in one language: "student" finds the Dutch plural
    // "studenten" by its Dutch stem only.
    assert_eq!(
        found(&app, None, false, "student zoekstad", Value::Null).await,
        ["Hogeschool Zoekland"]
    );
    assert_eq!(
        found(&app, None, false, "student zoekstad", json!("NL")).await,
        ["Hogeschool Zoekland"]
    );
    // Read as English, "student" is not "studenten": requiring it finds nothing, so the
    // search falls back to "zoekstad" alone and says so.
    assert_eq!(
        found(&app, None, false, "student zoekstad", json!("EN")).await,
        ["Hogeschool Zoekland"]
    );
    let r = app
        .data(
            "{ searchOrganisations(query: \"student zoekstad\", lang: EN) { leftOut }
               full: searchOrganisations(query: \"student zoekstad\", lang: NL) { leftOut } }",
            json!({}),
        )
        .await;
    assert_eq!(r["searchOrganisations"]["leftOut"], json!(["student"]));
    assert_eq!(r["full"]["leftOut"], json!([]));
    assert_eq!(
        found(&app, None, true, "zoekdag workshop", json!("EN")).await,
        ["Zoekdag veerkracht"]
    );

    // Renaming the organiser re-indexes the organisation and its events.
    let r = app
        .gql_as(
            &f.editor,
            update,
            json!({ "id": f.org, "v": 2, "i": { "name": "Hogeschool Vindplaats" } }),
        )
        .await;
    assert_eq!(
        r["data"]["updateOrganisation"]["organisation"]["version"], 3,
        "{r}"
    );
    assert_eq!(
        found(&app, None, false, "vindplaats", Value::Null).await,
        ["Hogeschool Vindplaats"]
    );
    // The old name is gone from the index. (Quoted, as written: a word no document
    // holds is otherwise read as its nearest spelling, "zoekdag" of the event.)
    assert!(
        found(&app, None, false, "\"zoekland\"", Value::Null)
            .await
            .is_empty()
    );
    assert_eq!(
        found(&app, None, true, "vindplaats", Value::Null).await,
        ["Zoekdag veerkracht"]
    );
    assert!(
        found(&app, None, true, "\"zoekland\"", Value::Null)
            .await
            .is_empty()
    );

    // Archived: gone for the public, still there for editors.
    let r = app
        .gql_as(
            &f.editor,
            "mutation($id: ID!) { archiveOrganisation(id: $id) { organisation { name } } }",
            json!({ "id": f.org }),
        )
        .await;
    assert_eq!(
        r["data"]["archiveOrganisation"]["organisation"]["name"], "Hogeschool Vindplaats",
        "{r}"
    );
    assert!(
        found(&app, None, false, "vindplaats", Value::Null)
            .await
            .is_empty()
    );
    assert_eq!(
        found(&app, Some(&f.editor), false, "vindplaats", Value::Null).await,
        ["Hogeschool Vindplaats"]
    );
    // Bad text is bad input here too.
    assert_eq!(
        error_code(
            &app.gql("{ searchEvents(query: \"*\") { totalCount } }", json!({}))
                .await
        ),
        "BAD_USER_INPUT"
    );
    assert_eq!(
        error_code(
            &app.gql(
                "{ searchOrganisations(query: \"\") { totalCount } }",
                json!({})
            )
            .await
        ),
        "BAD_USER_INPUT"
    );
}

on_both!(a_query_language_stems_in_that_language_only);
async fn a_query_language_stems_in_that_language_only(app: TestApp) {
    let f = fixture(&app).await;
    initiative(
        &app,
        &f,
        (
            "Taalbuddy",
            "Een maatje voor elke student.",
            "TOOL",
            "social_connection",
            "nl",
        ),
        false,
    )
    .await;
    // "studenten" finds "student" through Dutch stemming, not as written.
    let count = |lang: Value| {
        let app = &app;
        let org = f.org.clone();
        async move {
            let query = "query($lang: Language, $o: [ID!]) {
              search(query: \"studenten\", lang: $lang, filter: { organisations: $o }) {
                totalCount
              }
            }";
            let r = app.gql(query, json!({ "lang": lang, "o": [org] })).await;
            r["data"]["search"]["totalCount"]
                .as_i64()
                .unwrap_or_else(|| panic!("{r}"))
        }
    };
    assert_eq!(count(Value::Null).await, 1);
    assert_eq!(count(json!("NL")).await, 1);
    assert_eq!(count(json!("EN")).await, 0);
}

on_both!(a_dutch_compound_is_found_by_its_parts_in_the_demo_data);
async fn a_dutch_compound_is_found_by_its_parts_in_the_demo_data(app: TestApp) {
    let query = "query($q: String!) {
      search(query: $q, first: 3) {
        nodes { initiative { slug } snippet { title } }
      }
    }";
    let r = app.gql(query, json!({ "q": "somberheid" })).await;
    assert!(r.get("errors").is_none(), "{r}");
    let nodes = r["data"]["search"]["nodes"].as_array().expect("nodes");
    let slugs: Vec<&str> = nodes
        .iter()
        .map(|n| n["initiative"]["slug"].as_str().expect("slug"))
        .collect();
    // The demo initiative says "somberheidsklachten", never "somberheid" alone.
    let at = slugs
        .iter()
        .position(|s| *s == "online-lotgenotengroep-somberheid")
        .unwrap_or_else(|| panic!("not among the first 3: {slugs:?}"));
    assert_eq!(
        nodes[at]["snippet"]["title"],
        "Online lotgenotengroep &#39;Uit de mist&#39; voor studenten met <mark>somberheidsklachten</mark>"
    );
}
