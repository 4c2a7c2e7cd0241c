//! GraphQL over HTTP: POST and GET, media types, GraphiQL, health, credentials.

use serde_json::{Value, json};

use crate::on_both;
use crate::support::{Db, TestApp, config, error_code};

on_both!(get_runs_queries_but_never_mutations);
async fn get_runs_queries_but_never_mutations(app: TestApp) {
    let r = app
        .client()
        .get(app.url("/graphql"))
        .query(&[("query", "{ theme(code: \"support\") { label } }")])
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["data"]["theme"]["label"], "Begeleiding");
    let r = app
        .client()
        .get(app.url("/graphql"))
        .query(&[("query", "mutation { x }")])
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "POST");
    let body: Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

on_both!(browsers_get_graphiql);
async fn browsers_get_graphiql(app: TestApp) {
    let r = app
        .client()
        .get(app.url("/graphql"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/html")
    );
    let html = r.text().await.expect("text");
    assert!(html.contains("graphiql"), "{html:.200}");
}

on_both!(the_graphql_response_media_type_gets_http_statuses);
async fn the_graphql_response_media_type_gets_http_statuses(app: TestApp) {
    let r = app
        .client()
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ themes { code }" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.headers()["content-type"],
        "application/graphql-response+json"
    );
    let body: Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let r = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ themes { code }" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let r = app
        .client()
        .post(app.url("/graphql"))
        .header("content-type", "application/graphql")
        .body("{ themes { code } }")
        .send()
        .await
        .expect("post");
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["data"]["themes"].as_array().expect("themes").len(), 8);
    let r = app
        .client()
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let r = app
        .client()
        .post(app.url("/graphql"))
        .header("content-type", "text/plain")
        .body("{ themes { code } }")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 415);
}

on_both!(batches_answer_in_order);
async fn batches_answer_in_order(app: TestApp) {
    let batch = json!([
        { "query": "{ theme(code: \"policy\") { code } }" },
        { "query": "{ theme(code: \"research\") { code } }" },
    ]);
    let r = app
        .client()
        .post(app.url("/graphql"))
        .json(&batch)
        .send()
        .await
        .expect("post");
    let body: Value = r.json().await.expect("json");
    assert_eq!(body[0]["data"]["theme"]["code"], "policy");
    assert_eq!(body[1]["data"]["theme"]["code"], "research");
}

on_both!(unknown_credentials_are_unauthenticated_not_anonymous);
async fn unknown_credentials_are_unauthenticated_not_anonymous(app: TestApp) {
    let r = app
        .client()
        .post(app.url("/graphql"))
        .bearer_auth("kb_nonexistent")
        .json(&json!({ "query": "{ themes { code } }" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/json");
    let body: Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert!(body.get("data").is_none());
    let r = app
        .client()
        .post(app.url("/graphql"))
        .bearer_auth("kb_nonexistent")
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ themes { code } }" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.headers()["content-type"],
        "application/graphql-response+json"
    );
}

on_both!(health_and_readiness);
async fn health_and_readiness(app: TestApp) {
    let r = app
        .client()
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("text"), "ok");
    let r = app
        .client()
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("text"), "ready");
    let r = app
        .client()
        .get(app.url("/graphql"))
        .query(&[("query", "{ __typename }")])
        .send()
        .await
        .expect("get");
    assert!(r.headers().contains_key("x-request-id"));
}

/// Starts the `kennisbank` binary with only `env` in its environment and its stderr in
/// `log`. The process is killed when the handle drops, also when an assertion fails first.
fn start_kennisbank(env: &[(&str, &str)], log: &std::path::Path) -> tokio::process::Child {
    tokio::process::Command::from(crate::support::kennisbank())
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(log).expect("log file"))
        .kill_on_drop(true)
        .spawn()
        .expect("start kennisbank")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kennisbank_without_a_subcommand_serves_with_its_configuration() {
    // The process's TLS provider, which every HTTP client of the tests needs.
    crate::support::init_logging();
    let dir = tempfile::tempdir().expect("temp dir");
    let bind = format!("127.0.0.1:{}", crate::support::free_port());
    let database = format!("sqlite://{}?mode=rwc", dir.path().join("kb.db").display());
    let log = dir.path().join("stderr.log");
    let _child = start_kennisbank(
        &[
            ("KB_BIND", &bind),
            ("KB_DATABASE_URL", &database),
            ("KB_NO_DEMO", "true"),
            ("KB_MAX_ALIASES", "2"),
            ("NO_COLOR", "1"),
        ],
        &log,
    );
    let client = reqwest::Client::new();
    let base = format!("http://{bind}");
    let started = std::time::Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            break;
        }
        let stderr = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "not listening on {bind} after 30 s; stderr:\n{stderr}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let post = |query: &str| {
        client
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": query }))
            .send()
    };
    let body: Value = post("{ initiatives { totalCount } }")
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["data"]["initiatives"]["totalCount"], 0,
        "KB_NO_DEMO=true loads no demo data: {body}"
    );
    let body: Value = post("{ a: __typename b: __typename }")
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(body["data"]["b"], "Query", "{body}");
    let body: Value = post("{ a: __typename b: __typename c: __typename }")
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(
        error_code(&body),
        "LIMIT_EXCEEDED",
        "KB_MAX_ALIASES=2 allows two aliases: {body}"
    );
}

/// A page of every published initiative with its relations: several SQL round trips,
/// always longer than a millisecond.
const SLOW_PAGE: &str = "{
  initiatives(first: 100) {
    nodes {
      title themes { code label } topics { code label } organisations { role organisation { name } }
      events(first: 3) { totalCount nodes { title } } buildsOn { slug }
    }
  }
}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_over_its_time_answers_504_with_a_timeout_error() {
    let app = TestApp::spawn_with(Db::Sqlite, config(&["--request-timeout-secs", "0.001"])).await;
    for (accept, media) in [
        (None, "application/json"),
        (
            Some("application/graphql-response+json"),
            "application/graphql-response+json",
        ),
    ] {
        let mut timed_out = None;
        for _ in 0..50 {
            let mut request = app
                .client()
                .post(app.url("/graphql"))
                .json(&json!({ "query": SLOW_PAGE }));
            if let Some(a) = accept {
                request = request.header("accept", a);
            }
            let r = request.send().await.expect("post");
            if r.status() == 504 {
                timed_out = Some(r);
                break;
            }
        }
        let r = timed_out.expect("one of 50 requests exceeds 1 ms");
        assert_eq!(r.headers()["content-type"], media);
        let body: Value = r.json().await.expect("a JSON body");
        assert_eq!(error_code(&body), "TIMEOUT", "{body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        assert_eq!(
            body.as_object().expect("object").keys().collect::<Vec<_>>(),
            ["errors"],
            "{body}"
        );
    }
}

on_both!(a_document_that_fails_before_execution_has_no_data_entry);
async fn a_document_that_fails_before_execution_has_no_data_entry(app: TestApp) {
    let post = |accept: &'static str, body: Value| {
        app.client()
            .post(app.url("/graphql"))
            .header("accept", accept)
            .json(&body)
            .send()
    };
    for query in ["{ themes { code }", "{ themes { nonsense } }"] {
        let r = post(
            "application/graphql-response+json",
            json!({ "query": query }),
        )
        .await
        .expect("post");
        assert_eq!(r.status(), 400, "{query}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(
            body.as_object().expect("object").keys().collect::<Vec<_>>(),
            ["errors"],
            "{query}: {body}"
        );
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
        let r = post("application/json", json!({ "query": query }))
            .await
            .expect("post");
        assert_eq!(r.status(), 200, "{query}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
    }
    // An error during execution keeps `data`, even when it is null, and status 200.
    let r = post(
        "application/graphql-response+json",
        json!({ "query": "{ initiatives(first: 101) { totalCount } }" }),
    )
    .await
    .expect("post");
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "LIMIT_EXCEEDED", "{body}");
    assert!(
        body.as_object().expect("object").contains_key("data"),
        "{body}"
    );
    assert_eq!(body["errors"][0]["path"][0], "initiatives", "{body}");
    // In a batch, per operation.
    let batch = json!([
        { "query": "{ theme(code: \"policy\") { code } }" },
        { "query": "{ themes { code }" },
    ]);
    let r = post("application/graphql-response+json", batch)
        .await
        .expect("post");
    let body: Value = r.json().await.expect("json");
    assert_eq!(body[0]["data"]["theme"]["code"], "policy", "{body}");
    assert_eq!(
        body[1]
            .as_object()
            .expect("object")
            .keys()
            .collect::<Vec<_>>(),
        ["errors"],
        "{body}"
    );
    assert_eq!(error_code(&body[1]), "BAD_USER_INPUT", "{body}");
}

on_both!(request_bodies_are_read_by_their_media_type);
async fn request_bodies_are_read_by_their_media_type(app: TestApp) {
    let post = |content_type: Option<&'static str>, body: &'static [u8]| {
        let mut r = app.client().post(app.url("/graphql")).body(body);
        if let Some(t) = content_type {
            r = r.header("content-type", t);
        }
        r.send()
    };
    let query = br#"{ "query": "{ theme(code: \"policy\") { code } }" }"#;
    // JSON, whatever the case of its media type and its parameters; JSON is the default.
    for t in [
        Some("application/json"),
        Some("Application/JSON; charset=utf-8"),
        Some("application/graphql-response+json"),
        None,
    ] {
        let r = post(t, query).await.expect("post");
        assert_eq!(r.status(), 200, "{t:?}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["data"]["theme"]["code"], "policy", "{t:?}: {body}");
    }
    // A bare document.
    let r = post(
        Some("application/graphql; charset=utf-8"),
        b"{ theme(code: \"policy\") { code } }",
    )
    .await
    .expect("post");
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["data"]["theme"]["code"], "policy", "{body}");
    let r = post(
        Some("application/graphql"),
        b"{ theme(code: \"\xff\") { code } }",
    )
    .await
    .expect("post");
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    // Malformed JSON and a request of the wrong shape are bad input.
    for bad in [&b"{not json"[..], b"{\"query\": 1}"] {
        let r = post(Some("application/json"), bad).await.expect("post");
        assert_eq!(r.status(), 400, "{}", String::from_utf8_lossy(bad));
        let body: Value = r.json().await.expect("json");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
    // Uploads are not supported, nor any other media type.
    let upload = b"--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n\
                   {\"query\":\"{ __typename }\"}\r\n--x--\r\n";
    let r = post(Some("multipart/form-data; boundary=x"), upload)
        .await
        .expect("post");
    assert_eq!(r.status(), 415);
    let body: Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("multipart")),
        "{body}"
    );
    let r = post(Some("text/plain"), query).await.expect("post");
    assert_eq!(r.status(), 415);
    let body: Value = r.json().await.expect("json");
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

/// The keys of a JSON object in the order they were sent (`serde_json::Value` sorts them).
struct Keys(Vec<String>);

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(Visitor)
    }
}

#[derive(serde::Deserialize)]
struct InitiativePage {
    data: InitiativePageData,
}

#[derive(serde::Deserialize)]
struct InitiativePageData {
    initiatives: InitiativeNodes,
}

#[derive(serde::Deserialize)]
struct InitiativeNodes {
    nodes: Vec<Keys>,
}

on_both!(fields_come_back_in_the_order_of_the_selection_set);
async fn fields_come_back_in_the_order_of_the_selection_set(app: TestApp) {
    // Plain fields and fields that wait for batched relations, interleaved: the
    // relations finish later, and in any order among themselves.
    let query = "{
      initiatives(first: 10) {
        nodes {
          title themes { code } topics { code } organisations { role }
          events(first: 3) { totalCount } slug buildsOn { slug } summary
        }
      }
    }";
    let expected = [
        "title",
        "themes",
        "topics",
        "organisations",
        "events",
        "slug",
        "buildsOn",
        "summary",
    ];
    for _ in 0..8 {
        let text = app
            .client()
            .post(app.url("/graphql"))
            .json(&json!({ "query": query }))
            .send()
            .await
            .expect("post")
            .text()
            .await
            .expect("body");
        let page: InitiativePage =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(page.data.initiatives.nodes.len(), 10, "{text}");
        for node in &page.data.initiatives.nodes {
            assert_eq!(node.0, expected, "{text}");
        }
    }
}

on_both!(every_text_answer_is_compressed_for_a_client_that_accepts_it);
async fn every_text_answer_is_compressed_for_a_client_that_accepts_it(app: TestApp) {
    let listing = "{ initiatives(first: 50) { nodes { title summary } } }";
    let post = |encoding: &'static str| {
        app.client()
            .post(app.url("/graphql"))
            .header("accept-encoding", encoding)
            .json(&json!({ "query": listing }))
    };
    let get = |path: &str, encoding: &'static str| {
        app.client()
            .get(app.url(path))
            .header("accept-encoding", encoding)
    };
    let home = get("/", "identity").send().await.expect("home");
    let html = home.text().await.expect("html");
    let css = html
        .split('"')
        .find(|s| s.starts_with("/assets/site.") && s.ends_with(".css"))
        .expect("the style sheet's address")
        .to_owned();
    for encoding in ["gzip", "br"] {
        let requests = [
            ("/", get("/", encoding)),
            ("/graphql", post(encoding)),
            ("style sheet", get(&css, encoding)),
            ("feed", get("/feeds/initiatives.atom", encoding)),
            ("export", get("/export/initiatives.csv", encoding)),
        ];
        for (what, request) in requests {
            let r = request.send().await.expect("answer");
            assert_eq!(r.status(), 200, "{what}");
            assert_eq!(r.headers()["content-encoding"], encoding, "{what}");
            let vary: Vec<String> = r
                .headers()
                .get_all("vary")
                .iter()
                .map(|v| v.to_str().expect("vary").to_ascii_lowercase())
                .collect();
            assert!(
                vary.iter().any(|v| v.contains("accept-encoding")),
                "{what}: {vary:?}"
            );
        }
    }
    // Without Accept-Encoding the answer is sent as it is.
    let r = post("identity").send().await.expect("plain");
    assert!(r.headers().get("content-encoding").is_none());
    let plain = r.bytes().await.expect("body").len();
    let r = post("gzip").send().await.expect("gzip");
    let gzipped = r.bytes().await.expect("body").len();
    assert!(gzipped * 2 < plain, "{gzipped} bytes gzipped of {plain}");
}

/// A POST of `body` to `/graphql` over a connection of its own, sent up to its headers
/// with `Expect: 100-continue`: once the server answers `100 Continue` the request is in
/// flight, its handler waiting for the body, which the caller sends (or never does).
async fn in_flight(addr: std::net::SocketAddr, body: &[u8]) -> tokio::net::TcpStream {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    while !answer.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        let n = stream.read(&mut byte).await.expect("read");
        assert_eq!(n, 1, "the server closed before 100 Continue");
        answer.push(byte[0]);
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 100 Continue"), "{answer}");
    stream
}

/// At SIGTERM a request in flight may still finish, but one whose body never comes does
/// not keep the process: it exits with 0 once `--shutdown-grace-secs` is over (not before,
/// not at the request time limit of 30 s), cutting that connection and saying so.
/// Shutdown does not depend on the database; SQLite it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_shutdown_requests_in_flight_may_finish_until_the_drain_deadline() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let grace = std::time::Duration::from_secs(2);
    let served = crate::support::Served::start(&["--shutdown-grace-secs", "2"], &[]).await;
    let body = br#"{"query":"{ themes { code } }"}"#;
    let mut finishing = in_flight(served.addr, body).await;
    let mut stuck = in_flight(served.addr, body).await;
    let signalled = std::time::Instant::now();
    served.terminate();
    finishing.write_all(body).await.expect("write");
    let mut answer = String::new();
    finishing
        .read_to_string(&mut answer)
        .await
        .expect("the answer");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains(r#"{"code":"support"}"#), "{answer}");
    // New connections are refused while the drain goes on (the stuck request keeps the
    // process until the deadline).
    while tokio::net::TcpStream::connect(served.addr).await.is_ok() {
        assert!(
            signalled.elapsed() < grace,
            "connections are still accepted after SIGTERM"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let (status, log) = served.exit(std::time::Duration::from_secs(30)).await;
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{status}");
    assert!(
        took >= grace,
        "the drain ended after {took:?}, before its deadline"
    );
    assert!(
        took < grace + std::time::Duration::from_secs(4),
        "the process exited {took:?} after SIGTERM, with a grace of {grace:?}"
    );
    let cut = log
        .iter()
        .find(|l| l["fields"]["cut"].is_u64())
        .unwrap_or_else(|| panic!("no line on the connections cut in {log:#?}"));
    assert_eq!(cut["level"], "WARN");
    assert_eq!(cut["fields"]["cut"], 1, "{cut}");
    // The request cut got no answer: its connection just ended.
    let mut rest = Vec::new();
    let _ = stuck.read_to_end(&mut rest).await;
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}
