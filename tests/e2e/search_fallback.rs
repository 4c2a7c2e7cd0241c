//! Natural queries over HTTP on both databases: the fallback to the best partial matches
//! and the words it leaves out (`leftOut`), "did you mean" (`suggestions`) that never
//! tells of a draft, and both on the search page.

use serde_json::{Value, json};

use crate::on_both;
use crate::search::{fixture, initiative};
use crate::support::TestApp;

const SEARCH: &str = "query($q: String!) {
  search(query: $q, first: 10, filter: { statuses: [DRAFT, PUBLISHED] }) {
    totalCount leftOut suggestions nodes { initiative { slug } }
  }
}";

/// The search's answer for `q` over drafts and published initiatives (anonymous readers
/// get the published ones only), with the key `key` or anonymously.
async fn search(app: &TestApp, key: Option<&str>, q: &str) -> Value {
    let vars = json!({ "q": q });
    let r = match key {
        Some(k) => app.gql_as(k, SEARCH, vars).await,
        None => app.gql(SEARCH, vars).await,
    };
    assert!(r.get("errors").is_none(), "{q}: {r}");
    r["data"]["search"].clone()
}

fn slugs(found: &Value) -> Vec<String> {
    found["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["initiative"]["slug"].as_str().expect("slug").to_owned())
        .collect()
}

on_both!(a_query_finding_too_little_falls_back_and_says_which_words_it_left_out);
async fn a_query_finding_too_little_falls_back_and_says_which_words_it_left_out(app: TestApp) {
    let found = search(&app, None, "hulp bij geldzorgen").await;
    assert_eq!(found["leftOut"], json!(["hulp"]));
    // Three hold both words (the money workshop says "hulp" inside "schuldhulp"): the
    // campaign and the workshop, which are about money worries, before the covenant,
    // which names them among other things.
    assert_eq!(found["totalCount"], 9);
    assert_eq!(
        slugs(&found)[..3],
        [
            "campagne-geen-schaamte-over-geld",
            "workshop-geldzorgen-kasboek-jong",
            "convenant-studentenwelzijn-midden-brabant"
        ]
    );
    // Enough found with every word: nothing is left out.
    let found = search(&app, None, "studenten").await;
    assert_eq!(found["leftOut"], json!([]));
    assert_eq!(found["suggestions"], json!([]));
    // Organisations and events fall back alike.
    let r = app
        .data(
            "{ searchOrganisations(query: \"hogeschool qwxzv\") { totalCount leftOut }
               searchEvents(query: \"webinar qwxzv\") { totalCount leftOut } }",
            json!({}),
        )
        .await;
    assert_eq!(r["searchOrganisations"]["leftOut"], json!(["qwxzv"]));
    assert_eq!(r["searchEvents"]["leftOut"], json!(["qwxzv"]));
}

on_both!(a_word_no_document_holds_finds_what_its_nearest_spelling_finds_in_its_order);
async fn a_word_no_document_holds_finds_what_its_nearest_spelling_finds_in_its_order(app: TestApp) {
    let right = search(&app, None, "depressie").await;
    let typo = search(&app, None, "depresie").await;
    // The same initiatives, the one about low mood first, as for the word spelt right;
    // the answer says which spelling it read.
    assert_eq!(typo["totalCount"], right["totalCount"]);
    assert_eq!(slugs(&typo)[0], "online-lotgenotengroep-somberheid");
    assert_eq!(slugs(&right)[0], "online-lotgenotengroep-somberheid");
    assert_eq!(typo["suggestions"], json!(["depressie"]));
    assert_eq!(right["suggestions"], json!([]));
}

on_both!(did_you_mean_corrects_spelling_from_what_the_searcher_may_see);
async fn did_you_mean_corrects_spelling_from_what_the_searcher_may_see(app: TestApp) {
    // Two edits from "eenzaamheid", which published initiatives hold.
    let found = search(&app, None, "eensaamheit").await;
    assert_eq!(found["suggestions"], json!(["eenzaamheid"]));
    // A word only a draft holds is offered to whoever may see the draft, never to others.
    let f = fixture(&app).await;
    let spec = (
        "Zwaluwnestberaad voor studenten",
        "Een concept dat alleen de redactie ziet.",
        "TRAINING",
        "social_connection",
        "nl",
    );
    initiative(&app, &f, spec, true).await;
    let mut editor = search(&app, Some(&f.editor), "zwaluwnestberraad").await;
    for _ in 0..50 {
        if editor["suggestions"] != json!([]) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        editor = search(&app, Some(&f.editor), "zwaluwnestberraad").await;
    }
    assert_eq!(editor["suggestions"], json!(["zwaluwnestberaad"]));
    let anonymous = search(&app, None, "zwaluwnestberraad").await;
    assert_eq!(anonymous["totalCount"], 0);
    assert_eq!(anonymous["suggestions"], json!([]));
    assert_eq!(anonymous["leftOut"], json!([]));
}

/// The page at `path`, as anyone gets it.
async fn get(app: &TestApp, path: &str) -> String {
    let r = app.client().get(app.url(path)).send().await.expect("GET");
    r.text().await.expect("body")
}

on_both!(the_search_page_shows_the_words_left_out_and_a_correction);
async fn the_search_page_shows_the_words_left_out_and_a_correction(app: TestApp) {
    let page = get(&app, "/zoeken?q=hulp+bij+geldzorgen").await;
    assert!(
        page.contains("Niet alles gevonden; ook resultaten zonder: <del>hulp</del>"),
        "{page}"
    );
    let page = get(&app, "/zoeken?q=eensaamheit&lang=en").await;
    assert!(
        page.contains(
            "Did you mean: <a href=\"/zoeken?q=eenzaamheid&amp;lang=en\">eenzaamheid</a>?"
        ),
        "{page}"
    );
}
