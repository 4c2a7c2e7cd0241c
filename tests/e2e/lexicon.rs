//! The bilingual lexicon of search over HTTP: everyone reads it; searches use it
//! ("zelfmoord" finds the initiatives about suïcide, "exam anxiety" the Dutch
//! tentamenstress tips); editors change it and the next search follows, on this instance
//! and on another over the same database; contributors are refused and change nothing.

use kb_domain::{OrganisationId, Role, Viewer};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, config, error_code};

const SEARCH: &str = "query($q: String!) {
  search(query: $q, first: 50) { totalCount nodes { initiative { slug } } }
}";

const SET: &str = "mutation($i: LexiconEntryInput!) {
  setLexiconEntry(input: $i) { created entry { code nl en } }
}";

const REMOVE: &str = "mutation($c: String!) { removeLexiconEntry(code: $c) { entry { code } } }";

const LEXICON: &str = "{ lexicon { code nl en } }";

/// The total and the slugs (in order of slug) that `q` finds for an anonymous reader.
async fn found(app: &TestApp, q: &str) -> (u64, Vec<String>) {
    let r = app.gql(SEARCH, json!({ "q": q })).await;
    assert!(r.get("errors").is_none(), "{q}: {r}");
    let search = &r["data"]["search"];
    let mut slugs: Vec<String> = search["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["initiative"]["slug"].as_str().expect("slug").to_owned())
        .collect();
    slugs.sort();
    (search["totalCount"].as_u64().expect("total"), slugs)
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

async fn key(app: &TestApp, name: &str, role: Role, org: Option<OrganisationId>) -> String {
    app.store
        .create_api_key(&kb_store::Actor::cli(), name, role, org, None)
        .await
        .expect("key")
        .secret
}

on_both!(an_everyday_word_finds_the_initiatives_of_its_lexicon_equivalents);
async fn an_everyday_word_finds_the_initiatives_of_its_lexicon_equivalents(app: TestApp) {
    // The five published initiatives about suïcide, whose texts and topic labels say
    // "suïcide", "suicide" or "zelfdoding", and the deans' network, whose body names
    // "suïcidepreventie" as a theme (the equivalent inside a compound); none says
    // "zelfmoord".
    let suicide = strings(&[
        "campagne-ik-vraag-het-je-echt",
        "handreiking-suicidepreventiebeleid-instellingen",
        "intervisienetwerk-decanen-noord",
        "poortwachterstraining-suicidepreventie",
        "postventie-na-suicide-zilverwold",
        "wellbeing-first-responders-associations",
    ]);
    assert_eq!(found(&app, "zelfmoord").await, (6, suicide.clone()));
    assert_eq!(found(&app, "Zelfmoord").await, (6, suicide));
    // English words for a Dutch text and the other way round: the Dutch tips say
    // "tentamenstress", the English course "exam anxiety", the ADHD strategies "exam
    // stress" (all three terms of one entry).
    let exam = strings(&[
        "calm-compass-exam-anxiety",
        "study-strategies-adhd",
        "tips-tentamenstress-geuldal",
    ]);
    assert_eq!(found(&app, "exam anxiety").await, (3, exam));
    // The Dutch compound also finds the texts holding its parts, "tentamen" and "stress"
    // (the sleep tips for the exam weeks, the top-sport regulation).
    let by_parts = strings(&[
        "calm-compass-exam-anxiety",
        "study-strategies-adhd",
        "tips-beter-slapen-tentamenweken",
        "tips-tentamenstress-geuldal",
        "topsportregeling-dinkelwaarde",
    ]);
    assert_eq!(found(&app, "tentamenstress").await, (5, by_parts));
}

on_both!(editors_change_the_lexicon_and_the_next_search_uses_it_contributors_change_nothing);
async fn editors_change_the_lexicon_and_the_next_search_uses_it_contributors_change_nothing(
    app: TestApp,
) {
    let editor = key(&app, "redactie", Role::Editor, None).await;
    let org = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("query")
        .expect("organisation");
    let contributor = key(&app, "bijdrager", Role::Contributor, Some(org.id)).await;
    let partner = key(&app, "partner", Role::Partner, None).await;

    let lexicon = app.data(LEXICON, json!({})).await;
    let entries = lexicon["lexicon"].as_array().expect("entries");
    assert_eq!(entries.len(), 119);
    assert_eq!(
        entries[0],
        json!({ "code": "exam", "nl": ["tentamen", "toets", "examen"], "en": ["exam", "examination"] })
    );
    // Every role reads the same lexicon.
    for k in [&editor, &contributor, &partner] {
        assert_eq!(app.gql_as(k, LEXICON, json!({})).await["data"], lexicon);
    }
    assert_eq!(found(&app, "aftercare").await, (0, vec![]));

    // "nazorg" is in the two initiatives about postvention.
    let input = json!({ "i": { "code": "aftercare", "nl": ["nazorg"], "en": ["aftercare"] } });
    let head = app.store.change_log_head().await.expect("head");
    for (k, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(&partner), "FORBIDDEN"),
        (Some(&contributor), "FORBIDDEN"),
    ] {
        let r = match k {
            Some(k) => app.gql_as(k, SET, input.clone()).await,
            None => app.gql(SET, input.clone()).await,
        };
        assert_eq!(error_code(&r), code, "{r}");
        let r = match k {
            Some(k) => app.gql_as(k, REMOVE, json!({ "c": "exam" })).await,
            None => app.gql(REMOVE, json!({ "c": "exam" })).await,
        };
        assert_eq!(error_code(&r), code, "{r}");
    }
    assert_eq!(app.store.change_log_head().await.expect("head"), head);
    assert_eq!(app.data(LEXICON, json!({})).await, lexicon);
    assert_eq!(found(&app, "aftercare").await, (0, vec![]));

    let r = app.gql_as(&editor, SET, input.clone()).await;
    assert_eq!(
        r["data"]["setLexiconEntry"],
        json!({ "created": true, "entry": { "code": "aftercare", "nl": ["nazorg"], "en": ["aftercare"] } })
    );
    let postvention = strings(&[
        "handreiking-suicidepreventiebeleid-instellingen",
        "postventie-na-suicide-zilverwold",
    ]);
    assert_eq!(found(&app, "aftercare").await, (2, postvention.clone()));
    let entries = app.data(LEXICON, json!({})).await;
    assert_eq!(entries["lexicon"].as_array().expect("entries").len(), 120);
    assert_eq!(entries["lexicon"][119]["code"], "aftercare");

    // Another instance over the same database follows the change log.
    let other = TestApp::spawn_on(&app.database_url, config(&[])).await;
    assert_eq!(found(&other, "aftercare").await, (2, postvention.clone()));

    // Replaced whole; invalid entries are refused with the field at fault.
    let replace = json!({ "i": { "code": "aftercare", "nl": ["nazorg"], "en": ["aftercare", "after care"] } });
    let r = app.gql_as(&editor, SET, replace).await;
    assert_eq!(r["data"]["setLexiconEntry"]["created"], false);
    assert_eq!(
        r["data"]["setLexiconEntry"]["entry"]["en"],
        json!(["aftercare", "after care"])
    );
    let invalid = [
        (
            json!({ "code": "After Care", "nl": ["nazorg"], "en": ["aftercare"] }),
            "input.code",
        ),
        (
            json!({ "code": "aftercare", "nl": ["nazorg"], "en": [] }),
            "input.nl",
        ),
        (
            json!({ "code": "aftercare", "nl": ["nazorg", "Nazorg"], "en": [] }),
            "input.nl",
        ),
        (
            json!({ "code": "aftercare", "nl": ["nazorg"], "en": ["a".repeat(61)] }),
            "input.en",
        ),
    ];
    for (i, field) in invalid {
        let r = app.gql_as(&editor, SET, json!({ "i": i })).await;
        assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }

    let r = app
        .gql_as(&editor, REMOVE, json!({ "c": "aftercare" }))
        .await;
    assert_eq!(
        r["data"]["removeLexiconEntry"]["entry"]["code"],
        "aftercare"
    );
    assert_eq!(found(&app, "aftercare").await, (0, vec![]));
    other.caught_up().await;
    assert_eq!(found(&other, "aftercare").await, (0, vec![]));
    let again: Value = app
        .gql_as(&editor, REMOVE, json!({ "c": "aftercare" }))
        .await;
    assert_eq!(error_code(&again), "NOT_FOUND");
}
