//! Hostile queries get a clear error with a code and cost little.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::on_both;
use crate::support::{TestApp, error_code};

on_both!(oversized_queries_are_limit_exceeded);
async fn oversized_queries_are_limit_exceeded(app: TestApp) {
    // Depth: each level of buildsOn nests deeper.
    let deep = format!(
        "{{ initiatives {{ nodes {{ {} title {} }} }} }}",
        "buildsOn { ".repeat(12),
        "}".repeat(12)
    );
    let r = app.gql(&deep, json!({})).await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
    // Complexity: pages multiply.
    let wide = "{
      themes {
        initiatives(first: 100) {
          nodes { events(first: 100) { nodes { initiatives(first: 100) { nodes { title } } } } }
        }
      }
    }";
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
    let dirs = format!(
        "{{ themes {} {{ code }} }}",
        "@include(if: true) ".repeat(9)
    );
    let r = app.gql(&dirs, json!({})).await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
    // Recursive depth through fragments and inline fragments.
    let nested = format!(
        "{{ {} __typename {} }}",
        "... on Query { ".repeat(40),
        "}".repeat(40)
    );
    let r = app.gql(&nested, json!({})).await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
    let chain: String = (0..40)
        .map(|i| format!("fragment C{i} on Query {{ ...C{} }} ", i + 1))
        .collect();
    let r = app
        .gql(
            &format!("{{ ...C0 }} {chain} fragment C40 on Query {{ __typename }}"),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
    // Root fields and aliases count with their fragments written out.
    let r = app
        .gql(
            &format!(
                "{{ ...R ...R }} fragment R on Query {{ {} }}",
                "topics { code } ".repeat(11)
            ),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
    // Page size.
    let r = app
        .gql("{ initiatives(first: 101) { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
    let r = app
        .gql("{ initiatives(first: -1) { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "first");
}

/// Fragments that each spread the next four times, `levels` deep: a few lines that
/// describe 4^levels fields.
fn fan_out(levels: usize, leaf: &str) -> String {
    let mut q = String::from("query FanOut { ...Fan0 }\n");
    for i in 0..levels {
        let next = format!("...Fan{} ", i + 1).repeat(4);
        q.push_str(&format!("fragment Fan{i} on Query {{ {next}}}\n"));
    }
    q.push_str(&format!("fragment Fan{levels} on Query {{ {leaf} }}\n"));
    q
}

on_both!(a_fragment_fan_out_is_refused_at_once_and_the_server_stays_responsive);
async fn a_fragment_fan_out_is_refused_at_once_and_the_server_stays_responsive(app: TestApp) {
    for leaf in ["__typename", "a: __typename b: themes { code }"] {
        let q = fan_out(24, leaf);
        assert!((1500..2500).contains(&q.len()), "{} bytes", q.len());
        let started = Instant::now();
        let r = app.gql(&q, json!({})).await;
        let took = started.elapsed();
        assert_eq!(error_code(&r), "LIMIT_EXCEEDED", "{r}");
        assert!(took < Duration::from_secs(2), "took {took:?}");
        let data = app.data("{ themes { code } }", json!({})).await;
        assert_eq!(data["themes"].as_array().expect("themes").len(), 8);
    }
    // By GET too, where the handler looks for mutations before the schema runs, and
    // with brackets nested past the limit.
    let deep = format!(
        "{{ {} __typename {} }}",
        "... on Query { ".repeat(200),
        "}".repeat(200)
    );
    for q in [fan_out(24, "__typename"), deep] {
        let started = Instant::now();
        let r = app
            .client()
            .get(app.url("/graphql"))
            .query(&[("query", q.as_str())])
            .send()
            .await
            .expect("get");
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(error_code(&body), "LIMIT_EXCEEDED", "{body}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

on_both!(malformed_queries_are_bad_user_input);
async fn malformed_queries_are_bad_user_input(app: TestApp) {
    let r = app.gql("{ themes { code }", json!({})).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    let r = app.gql("{ themes { colour } }", json!({})).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    let r = app
        .gql(
            "query($n: Int) { initiatives(first: $n) { totalCount } }",
            json!({ "n": "ten" }),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    let r = app
        .gql(
            "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    let r = app
        .gql(
            "query A { themes { code } } query B { topics { code } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    let r = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": "query A { themes { code } }", "operationName": "B" }))
        .send()
        .await
        .expect("send");
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

on_both!(a_body_over_the_limit_is_refused_before_parsing);
async fn a_body_over_the_limit_is_refused_before_parsing(app: TestApp) {
    let big = format!("{{ themes {{ code }} }} #{}", "x".repeat(300 * 1024));
    let r = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": big }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 413);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "LIMIT_EXCEEDED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_over_its_rate_limit_is_refused_with_429_and_another_key_is_not() {
    let flags = ["--rate-limit-partner", "5", "--rate-limit-anonymous", "3"];
    let app = crate::support::TestApp::spawn_with(
        crate::support::Db::Sqlite,
        crate::support::config(&flags),
    )
    .await;
    let key = |name: &'static str, role| {
        let store = app.store.clone();
        async move {
            store
                .create_api_key(&kb_store::Actor::cli(), name, role, None, None)
                .await
                .expect("key")
                .secret
        }
    };
    let (first, second) = (
        key("a", kb_domain::Role::Partner).await,
        key("b", kb_domain::Role::Partner).await,
    );
    let editor = key("e", kb_domain::Role::Editor).await;
    let send = |k: Option<String>| {
        let (client, url) = (app.client().clone(), app.url("/graphql"));
        async move {
            let mut r = client
                .post(url)
                .json(&json!({ "query": "{ themes { code } }" }));
            if let Some(k) = k {
                r = r.bearer_auth(k);
            }
            r.send().await.expect("request")
        }
    };
    for _ in 0..5 {
        assert_eq!(send(Some(first.clone())).await.status(), 200);
    }
    let refused = send(Some(first.clone())).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=12).contains(&wait), "Retry-After {wait}");
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    // Another partner key and an editor's (no limit set) are not affected.
    for _ in 0..5 {
        assert_eq!(send(Some(second.clone())).await.status(), 200);
    }
    for _ in 0..10 {
        assert_eq!(send(Some(editor.clone())).await.status(), 200);
    }
    // Without a key: per client address.
    for _ in 0..3 {
        assert_eq!(send(None).await.status(), 200);
    }
    let refused = send(None).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
}
