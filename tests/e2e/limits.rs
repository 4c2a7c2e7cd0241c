//! Hostile queries get a clear error with a code and cost little.

use serde_json::json;

use crate::on_both;
use crate::support::error_code;

on_both!(
    async fn oversized_queries_are_limit_exceeded(app) {
        // Depth: each level of buildsOn nests deeper.
        let deep = format!("{{ initiatives {{ nodes {{ {} title {} }} }} }}", "buildsOn { ".repeat(12), "}".repeat(12));
        let r = app.gql(&deep, json!({})).await;
        assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
        // Complexity: pages multiply.
        let wide = "{ themes { initiatives(first: 100) { nodes { events(first: 100) { nodes { initiatives(first: 100) { nodes { title } } } } } } } }";
        let r = app.gql(wide, json!({})).await;
        assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
        // Aliases.
        let aliases: String = (0..31).map(|i| format!("a{i}: __typename ")).collect();
        let r = app.gql(&format!("{{ {aliases} }}"), json!({})).await;
        assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
        // Root fields.
        let roots = "{ themes { code } ".to_owned() + &"topics { code } ".repeat(20) + "}";
        let r = app.gql(&roots, json!({})).await;
        assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
        // Directives on one field.
        let dirs = format!("{{ themes {} {{ code }} }}", "@include(if: true) ".repeat(9));
        let r = app.gql(&dirs, json!({})).await;
        assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
        // Recursive depth through fragments and inline fragments.
        let nested = format!("{{ {} __typename {} }}", "... on Query { ".repeat(40), "}".repeat(40));
        let r = app.gql(&nested, json!({})).await;
        assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
        // Page size.
        let r = app.gql("{ initiatives(first: 101) { totalCount } }", json!({})).await;
        assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
        let r = app.gql("{ initiatives(first: -1) { totalCount } }", json!({})).await;
        assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "first");
    }
);

on_both!(
    async fn a_body_over_the_limit_is_refused_before_parsing(app) {
        let big = format!("{{ themes {{ code }} }} #{}", "x".repeat(300 * 1024));
        let r = app.client().post(app.url("/graphql")).json(&json!({ "query": big })).send().await.expect("send");
        assert_eq!(r.status(), 413);
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(error_code(&body), "LIMIT_EXCEEDED");
    }
);
