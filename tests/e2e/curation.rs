//! Editors curate the taxonomy; codes never change.

use kb_domain::Role;
use serde_json::json;

use crate::on_both;
use crate::support::{TestApp, error_code};

on_both!(editors_add_topics_and_change_labels_but_never_codes);
async fn editors_add_topics_and_change_labels_but_never_codes(app: TestApp) {
    let editor = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "e", Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let partner = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "p", Role::Partner, None, None)
        .await
        .expect("key")
        .secret;
    let create = "mutation($i: CreateTopicInput!) {
      createTopic(input: $i) { topic { code label(lang: EN) altLabels broader { code } } }
    }";
    let input = json!({
        "i": {
            "code": "sleep", "broader": "resilience", "labelNl": "Slaap", "labelEn": "Sleep",
            "altLabels": ["slapen", "insomnia", "Slapen"],
        },
    });
    assert_eq!(
        error_code(&app.gql(create, input.clone()).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        error_code(&app.gql_as(&partner, create, input.clone()).await),
        "FORBIDDEN"
    );
    let r = app.gql_as(&editor, create, input.clone()).await;
    let expected = json!({
        "code": "sleep", "label": "Sleep", "altLabels": ["slapen", "insomnia"],
        "broader": { "code": "resilience" },
    });
    assert_eq!(r["data"]["createTopic"]["topic"], expected);
    let again = app.gql_as(&editor, create, input).await;
    assert_eq!(again["errors"][0]["extensions"]["field"], "input.code");
    let deep = json!({
        "i": { "code": "naps", "broader": "sleep", "labelNl": "Dutjes", "labelEn": "Naps" },
    });
    assert_eq!(
        app.gql_as(&editor, create, deep).await["errors"][0]["extensions"]["field"],
        "input.broader"
    );
    let bad = json!({ "i": { "code": "Bad Code", "labelNl": "x", "labelEn": "x" } });
    assert_eq!(
        app.gql_as(&editor, create, bad).await["errors"][0]["extensions"]["field"],
        "input.code"
    );
    let r = app
        .data(
            r#"{ topic(code: "resilience") { narrower { code } } }"#,
            json!({}),
        )
        .await;
    assert!(
        r["topic"]["narrower"]
            .as_array()
            .expect("narrower")
            .iter()
            .any(|t| t["code"] == "sleep")
    );
    let update = "mutation($c: String!, $i: TaxonomyTextInput!) {
      updateTopic(code: $c, input: $i) { topic { code label description(lang: NL) altLabels } }
    }";
    let vars = json!({
        "c": "financial_problems",
        "i": {
            "labelNl": "Geldzorgen", "descriptionNl": "Schulden en rondkomen.",
            "altLabels": ["schulden"],
        },
    });
    let r = app.gql_as(&editor, update, vars).await;
    let expected = json!({
        "code": "financial_problems", "label": "Geldzorgen",
        "description": "Schulden en rondkomen.", "altLabels": ["schulden"],
    });
    assert_eq!(r["data"]["updateTopic"]["topic"], expected);
    let theme = "mutation($c: String!, $i: TaxonomyTextInput!) {
      updateTheme(code: $c, input: $i) { theme { code label(lang: EN) } }
    }";
    let r = app
        .gql_as(
            &editor,
            theme,
            json!({ "c": "support", "i": { "labelEn": "Support and care" } }),
        )
        .await;
    assert_eq!(
        r["data"]["updateTheme"]["theme"],
        json!({ "code": "support", "label": "Support and care" })
    );
    assert_eq!(
        error_code(
            &app.gql_as(&editor, theme, json!({ "c": "nope", "i": {} }))
                .await
        ),
        "NOT_FOUND"
    );
}
