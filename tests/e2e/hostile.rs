//! Hostile requests: each is refused with its code and status within 50 ms, while a
//! normal query on another connection keeps being answered.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, error_code};

/// How a hostile request is sent.
enum Send {
    /// POST `application/json` with this body.
    Json(Value),
    /// POST with this media type and body.
    Raw(&'static str, String),
    /// GET with these parameters.
    Get(Vec<(&'static str, String)>),
}

/// One hostile request and what it must get: status, first error's code, and a part of
/// its message.
struct Case {
    name: &'static str,
    send: Send,
    status: u16,
    code: &'static str,
    message: &'static str,
}

fn query(q: String) -> Send {
    Send::Json(json!({ "query": q }))
}

fn with_variables(q: &str, variables: Value) -> Send {
    Send::Json(json!({ "query": q, "variables": variables }))
}

/// Fragments that each spread the next four times, `levels` deep.
fn fan_out(levels: usize) -> String {
    let mut q = String::from("query FanOut { ...F0 }\n");
    for i in 0..levels {
        q.push_str(&format!(
            "fragment F{i} on Query {{ {}}}\n",
            format!("...F{} ", i + 1).repeat(4)
        ));
    }
    q + &format!("fragment F{levels} on Query {{ __typename }}\n")
}

/// A case refused with HTTP 200 and a `LIMIT_EXCEEDED` error whose message holds `message`.
fn limit(name: &'static str, send: Send, message: &'static str) -> Case {
    Case {
        name,
        send,
        status: 200,
        code: "LIMIT_EXCEEDED",
        message,
    }
}

/// A case refused with HTTP 200 and a `BAD_USER_INPUT` error whose message holds `message`.
fn bad_input(name: &'static str, send: Send, message: &'static str) -> Case {
    Case {
        code: "BAD_USER_INPUT",
        ..limit(name, send, message)
    }
}

impl Case {
    /// The same case answered with another HTTP status.
    fn with_status(self, status: u16) -> Case {
        Case { status, ..self }
    }
}

fn cases() -> Vec<Case> {
    let ids: Vec<String> = (0..1_000).map(|i| format!("SW5pdGlhdGl2ZTo{i}")).collect();
    let representations: Vec<Value> = (0..1_000)
        .map(|i| json!({ "__typename": "Initiative", "id": format!("x{i}") }))
        .collect();
    let batch: Vec<Value> = (0..11)
        .map(|_| json!({ "query": "{ themes { code } }" }))
        .collect();
    let costly_batch: Vec<Value> = (0..10).map(|_| json!({ "query": fan_out(12) })).collect();
    let deep = format!(
        "{{ initiatives {{ nodes {{ {} title {} }} }} }}",
        "buildsOn { ".repeat(20),
        "}".repeat(20)
    );
    let brackets = format!("{}{}", "{".repeat(5_000), "}".repeat(5_000));
    let cycle =
        "{ ...A } fragment A on Query { ...B } fragment B on Query { themes { code } ...A }";
    let aliases: String = (0..1_000).map(|i| format!("a{i}: code ")).collect();
    let repeated = "code ".repeat(8_000);
    let directives = "@include(if: true) ".repeat(500);
    let comment = "x".repeat(200_000);
    let string = "prestatiedruk ".repeat(10_000);
    let pages = "{
      themes { initiatives(first: 100) { nodes { events(first: 100) { nodes { title } } } } }
    }";
    let cursor = "query($a: String) { initiatives(after: $a) { totalCount } }";
    let entities = "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }";
    let nodes = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
    let revoke = "mutation { revokeApiKey(id: 1) { key { id } } }";
    let revoke_as_text = format!("{{\"query\":\"{revoke}\"}}");
    let body = "x".repeat(300 * 1024);
    vec![
        limit("deep selection", query(deep), "levels of fields"),
        limit(
            "brackets nested past the limit",
            query(brackets),
            "levels of brackets",
        ),
        bad_input("fragment cycle", query(cycle.into()), "within itself"),
        limit("fragment fan-out", query(fan_out(30)), "root fields"),
        limit(
            "alias flood",
            query(format!("{{ themes {{ {aliases} }} }}")),
            "aliases",
        ),
        limit(
            "one field repeated",
            query(format!("{{ themes {{ {repeated}}} }}")),
            "selects `code` more than 32 times in one selection set",
        ),
        limit(
            "directive flood",
            query(format!("{{ themes {directives} {{ code }} }}")),
            "directives",
        ),
        limit(
            "huge comment",
            query(format!("{{ themes {{ code }} }} #{comment}")),
            "more than 50000 characters",
        ),
        limit(
            "huge string",
            query(format!(
                "{{ search(query: \"{string}\") {{ totalCount }} }}"
            )),
            "more than 50000 characters",
        ),
        limit(
            "many tokens",
            query(format!("{{ {} }}", "a ".repeat(20_000))),
            "more than 10000 tokens",
        ),
        limit(
            "first: 100000",
            query("{ initiatives(first: 100000) { nodes { title } } }".into()),
            "complexity",
        ),
        limit("pages multiplied", query(pages.into()), "complexity"),
        bad_input(
            "first: -1",
            query("{ initiatives(first: -1) { totalCount } }".into()),
            "first",
        ),
        bad_input(
            "huge after cursor",
            with_variables(cursor, json!({ "a": "A".repeat(100_000) })),
            "cursor",
        ),
        limit(
            "batch flood",
            Send::Json(Value::Array(batch)),
            "at most 10 operations",
        )
        .with_status(413),
        limit(
            "batch of fan-outs",
            Send::Json(Value::Array(costly_batch)),
            "root fields",
        ),
        limit(
            "_entities flood",
            with_variables(entities, json!({ "r": representations })),
            "representations",
        ),
        limit(
            "nodes id flood",
            with_variables(nodes, json!({ "ids": ids })),
            "ids in one `nodes` field",
        ),
        bad_input(
            "mutation over GET",
            Send::Get(vec![("query", revoke.into())]),
            "mutations need POST",
        )
        .with_status(405),
        bad_input(
            "mutation as text/plain",
            Send::Raw("text/plain", revoke_as_text),
            "application/json",
        )
        .with_status(415),
        limit(
            "body over the limit",
            query(format!("{{ themes {{ code }} }} #{body}")),
            "too large",
        )
        .with_status(413),
    ]
}

/// Sends one case three times; its status, JSON body and the fastest time from sending
/// to the whole body (the fastest, so that what else a busy test machine runs meanwhile
/// does not count as the server's cost).
async fn send(app: &TestApp, case: &Case) -> (u16, Value, Duration) {
    let mut fastest = (0, Value::Null, Duration::MAX);
    for _ in 0..3 {
        let (status, body, took) = send_once(app, case).await;
        if fastest.2 != Duration::MAX {
            assert_eq!(
                (status, error_code(&body)),
                (fastest.0, error_code(&fastest.1)),
                "{}: {body:.300}",
                case.name
            );
        }
        if took < fastest.2 {
            fastest = (status, body, took);
        }
    }
    fastest
}

async fn send_once(app: &TestApp, case: &Case) -> (u16, Value, Duration) {
    let client = app.client();
    let request = match &case.send {
        Send::Json(body) => client.post(app.url("/graphql")).json(body),
        Send::Raw(media, body) => client
            .post(app.url("/graphql"))
            .header("content-type", *media)
            .body(body.clone()),
        Send::Get(params) => client.get(app.url("/graphql")).query(params),
    };
    let started = Instant::now();
    let r = request.send().await.expect("request");
    let status = r.status().as_u16();
    let body = r.bytes().await.expect("body");
    let took = started.elapsed();
    (status, serde_json::from_slice(&body).expect("JSON"), took)
}

on_both!(hostile_requests_are_refused_quickly_while_normal_queries_go_on);
async fn hostile_requests_are_refused_quickly_while_normal_queries_go_on(app: TestApp) {
    // A normal reader on a connection of its own, all the time.
    let (stop, served, failed) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let reader = {
        let (stop, served, failed) = (stop.clone(), served.clone(), failed.clone());
        let (client, url) = (reqwest::Client::new(), app.url("/graphql"));
        tokio::spawn(async move {
            while !stop.load(Ordering::Acquire) {
                let normal =
                    "{ themes { code } initiatives(first: 5) { totalCount nodes { title } } }";
                let payload = json!({ "query": normal });
                let r = client.post(&url).json(&payload).send().await;
                let ok = match r {
                    Ok(r) => r.json::<Value>().await.is_ok_and(|b| {
                        b["data"]["themes"].as_array().map(Vec::len) == Some(8)
                            && b.get("errors").is_none()
                    }),
                    Err(_) => false,
                };
                if ok {
                    served.fetch_add(1, Ordering::AcqRel);
                } else {
                    failed.fetch_add(1, Ordering::AcqRel);
                }
            }
        })
    };
    // The first request of a server warms it up; not measured.
    app.data("{ themes { code } }", json!({})).await;
    let mut slow = Vec::new();
    for case in cases() {
        let (status, body, took) = send(&app, &case).await;
        // A batch: every operation refused alike.
        let error = match &body {
            Value::Array(list) => {
                assert!(
                    list.iter().all(|r| error_code(r) == case.code),
                    "{}: {body:.300}",
                    case.name
                );
                list[0].clone()
            }
            one => one.clone(),
        };
        assert_eq!(
            (status, error_code(&error)),
            (case.status, case.code),
            "{}: {body:.300}",
            case.name
        );
        let message = error["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(case.message), "{}: {message}", case.name);
        if took > Duration::from_millis(50) {
            slow.push(format!("{} took {took:?}", case.name));
        }
    }
    stop.store(true, Ordering::Release);
    reader.await.expect("reader");
    assert_eq!(slow, Vec::<String>::new());
    assert_eq!(failed.load(Ordering::Acquire), 0);
    assert!(served.load(Ordering::Acquire) > 0);
}

on_both!(field_suggestions_are_for_key_holders_only);
async fn field_suggestions_are_for_key_holders_only(app: TestApp) {
    let key = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "portal",
            kb_domain::Role::Partner,
            None,
            None,
        )
        .await
        .expect("key")
        .secret;
    let anonymous = app.gql("{ themes { cod } }", json!({})).await;
    assert_eq!(
        anonymous["errors"][0]["message"],
        "Unknown field \"cod\" on type \"Theme\"."
    );
    assert_eq!(error_code(&anonymous), "BAD_USER_INPUT");
    let keyed = app.gql_as(&key, "{ themes { cod } }", json!({})).await;
    assert_eq!(
        keyed["errors"][0]["message"],
        "Unknown field \"cod\" on type \"Theme\". Did you mean \"code\"?"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_every_origin_by_default_and_only_the_listed_ones_when_configured() {
    let preflight = |app: &TestApp, origin: &'static str| {
        let (client, url) = (app.client().clone(), app.url("/graphql"));
        async move {
            let r = client
                .request(reqwest::Method::OPTIONS, url)
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header(
                    "access-control-request-headers",
                    "authorization, content-type",
                )
                .send()
                .await
                .expect("preflight");
            r.headers()
                .get("access-control-allow-origin")
                .map(|v| v.to_str().expect("text").to_owned())
        }
    };
    let open = TestApp::spawn(crate::support::Db::Sqlite).await;
    assert_eq!(
        preflight(&open, "https://anywhere.example")
            .await
            .as_deref(),
        Some("*")
    );
    let listed = TestApp::spawn_with(
        crate::support::Db::Sqlite,
        crate::support::config(&[
            "--cors-origins",
            "https://portal.example,https://intranet.example:8443",
        ]),
    )
    .await;
    assert_eq!(
        preflight(&listed, "https://portal.example")
            .await
            .as_deref(),
        Some("https://portal.example")
    );
    assert_eq!(
        preflight(&listed, "https://intranet.example:8443")
            .await
            .as_deref(),
        Some("https://intranet.example:8443")
    );
    assert_eq!(preflight(&listed, "https://anywhere.example").await, None);
    let none = TestApp::spawn_with(
        crate::support::Db::Sqlite,
        crate::support::config(&["--cors-origins", ""]),
    )
    .await;
    assert_eq!(preflight(&none, "https://portal.example").await, None);
}
