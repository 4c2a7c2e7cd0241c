//! GraphQL over HTTP: POST and GET, media types, GraphiQL, health, credentials.

use serde_json::{Value, json};

use crate::on_both;
use crate::support::error_code;

on_both!(
    async fn get_runs_queries_but_never_mutations(app) {
        let r = app.client().get(app.url("/graphql")).query(&[("query", "{ theme(code: \"support\") { label } }")]).send().await.expect("get");
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["data"]["theme"]["label"], "Begeleiding");
        let r = app.client().get(app.url("/graphql")).query(&[("query", "mutation { x }")]).send().await.expect("get");
        assert_eq!(r.status(), 405);
        assert_eq!(r.headers()["allow"], "POST");
        let body: Value = r.json().await.expect("json");
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
    }
);

on_both!(
    async fn browsers_get_graphiql(app) {
        let r = app.client().get(app.url("/graphql")).header("accept", "text/html,application/xhtml+xml").send().await.expect("get");
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().expect("type").starts_with("text/html"));
        let html = r.text().await.expect("text");
        assert!(html.contains("graphiql"), "{html:.200}");
    }
);

on_both!(
    async fn the_graphql_response_media_type_gets_http_statuses(app) {
        let r = app.client().post(app.url("/graphql")).header("accept", "application/graphql-response+json").json(&json!({ "query": "{ themes { code }" })).send().await.expect("post");
        assert_eq!(r.status(), 400);
        assert_eq!(r.headers()["content-type"], "application/graphql-response+json");
        let body: Value = r.json().await.expect("json");
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
        let r = app.client().post(app.url("/graphql")).json(&json!({ "query": "{ themes { code }" })).send().await.expect("post");
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/json");
        let r = app.client().post(app.url("/graphql")).header("content-type", "application/graphql").body("{ themes { code } }").send().await.expect("post");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["data"]["themes"].as_array().expect("themes").len(), 8);
        let r = app.client().post(app.url("/graphql")).header("content-type", "application/json").body("{not json").send().await.expect("post");
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.expect("json");
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
        let r = app.client().post(app.url("/graphql")).header("content-type", "text/plain").body("{ themes { code } }").send().await.expect("post");
        assert_eq!(r.status(), 415);
    }
);

on_both!(
    async fn batches_answer_in_order(app) {
        let r = app.client().post(app.url("/graphql")).json(&json!([{ "query": "{ theme(code: \"policy\") { code } }" }, { "query": "{ theme(code: \"research\") { code } }" }])).send().await.expect("post");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body[0]["data"]["theme"]["code"], "policy");
        assert_eq!(body[1]["data"]["theme"]["code"], "research");
    }
);

on_both!(
    async fn unknown_credentials_are_unauthenticated_not_anonymous(app) {
        let r = app.client().post(app.url("/graphql")).bearer_auth("kb_nonexistent").json(&json!({ "query": "{ themes { code } }" })).send().await.expect("post");
        assert_eq!(r.status(), 401);
        let body: Value = r.json().await.expect("json");
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
        assert!(body.get("data").is_none());
    }
);

on_both!(
    async fn health_and_readiness(app) {
        let r = app.client().get(app.url("/healthz")).send().await.expect("get");
        assert_eq!(r.status(), 200);
        assert_eq!(r.text().await.expect("text"), "ok");
        let r = app.client().get(app.url("/readyz")).send().await.expect("get");
        assert_eq!(r.status(), 200);
        assert_eq!(r.text().await.expect("text"), "ready");
        let r = app.client().get(app.url("/graphql")).query(&[("query", "{ __typename }")]).send().await.expect("get");
        assert!(r.headers().contains_key("x-request-id"));
    }
);
