//! The OpenTelemetry export of traces: the real binary sends its request spans over
//! OTLP/HTTP to a collector stand-in (a small HTTP server decoding the protobuf bodies
//! with OpenTelemetry's own message types), and sends nothing without an endpoint.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use prost::Message;

/// What the stand-in received: every export request, decoded.
pub(crate) type Received = Arc<Mutex<Vec<ExportTraceServiceRequest>>>;

/// A collector stand-in on a free port: `POST /v1/traces` with a protobuf body.
pub(crate) async fn collector() -> (String, Received) {
    let received: Received = Arc::default();
    let app = axum::Router::new()
        .route(
            "/v1/traces",
            post(|State(r): State<Received>, body: Bytes| async move {
                let request = ExportTraceServiceRequest::decode(body).expect("an OTLP export");
                r.lock().expect("lock").push(request);
                // An empty ExportTraceServiceResponse: nothing rejected.
                (
                    [("content-type", "application/x-protobuf")],
                    Vec::<u8>::new(),
                )
            }),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("collector") });
    (url, received)
}

/// Starts `kennisbank serve` with `args` and `env` on an empty SQLite database, sends
/// `{ themes { code } }` with the request id `request_id`, then stops it with SIGTERM and
/// waits for it to exit (a graceful stop sends the spans still queued).
async fn one_request(args: &[&str], env: &[(&str, &str)], request_id: &str) {
    let served = crate::support::Served::start(args, env).await;
    let r = reqwest::Client::new()
        .post(served.url("/graphql"))
        .header("x-request-id", request_id)
        .json(&serde_json::json!({ "query": "{ themes { code } }" }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.headers()["x-request-id"], request_id);
    let body: serde_json::Value = r.json().await.expect("JSON");
    assert_eq!(body["data"]["themes"].as_array().map(Vec::len), Some(8));
    served.terminate();
    let (status, _) = served.exit(Duration::from_secs(30)).await;
    assert!(status.success(), "the server exits cleanly: {status}");
}

fn text(value: Option<&AnyValue>) -> Option<&str> {
    match value?.value.as_ref()? {
        any_value::Value::StringValue(s) => Some(s),
        _ => None,
    }
}

fn attributes(list: &[KeyValue]) -> BTreeMap<&str, &str> {
    list.iter()
        .filter_map(|kv| Some((kv.key.as_str(), text(kv.value.as_ref())?)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_spans_reach_a_collector_with_their_request_id() {
    let (url, received) = collector().await;
    one_request(
        &["--otlp-endpoint", &url, "--resolver-spans"],
        &[],
        "otlp-test-1",
    )
    .await;
    let exports = received.lock().expect("lock").clone();
    assert!(!exports.is_empty(), "the collector received no export");
    let mut spans = Vec::new();
    for export in &exports {
        for resource_spans in &export.resource_spans {
            let resource = resource_spans.resource.as_ref().expect("a resource");
            let resource = attributes(&resource.attributes);
            assert_eq!(resource.get("service.name"), Some(&"kennisbank"));
            for scope in &resource_spans.scope_spans {
                spans.extend(scope.spans.iter().cloned());
            }
        }
    }
    // The HTTP request's span: named `request`, with the method, path and request id.
    let requests: Vec<_> = spans
        .iter()
        .filter(|s| attributes(&s.attributes).get("request_id") == Some(&"otlp-test-1"))
        .collect();
    assert_eq!(requests.len(), 1, "one span carries the request id");
    let request = requests[0];
    assert_eq!(request.name, "request");
    assert!(
        request.parent_span_id.is_empty(),
        "the request span is a root"
    );
    let a = attributes(&request.attributes);
    assert_eq!(a.get("method"), Some(&"POST"));
    assert_eq!(a.get("path"), Some(&"/graphql"));
    // Everything else of the request is in its trace: the handler, and with
    // `--resolver-spans` GraphQL's request, parse, validation and execute, and a field
    // span for `themes` and for each of its eight items (scalars get none).
    let mut names: Vec<&str> = spans
        .iter()
        .filter(|s| s.trace_id == request.trace_id && s.name != "field")
        .map(|s| s.name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "execute",
            "graphql_post",
            "parse",
            "request",
            "request",
            "validation"
        ]
    );
    let mut fields: Vec<&str> = spans
        .iter()
        .filter(|s| s.trace_id == request.trace_id && s.name == "field")
        .filter_map(|s| attributes(&s.attributes).get("path").copied())
        .collect();
    fields.sort_unstable();
    let expected: Vec<String> = std::iter::once("themes".to_owned())
        .chain((0..8).map(|i| format!("themes.{i}")))
        .collect();
    assert_eq!(fields, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_endpoint_nothing_is_exported() {
    let (url, received) = collector().await;
    // OpenTelemetry's own variable does not turn the export on: only Kennisbank's does.
    one_request(
        &["--resolver-spans"],
        &[("OTEL_EXPORTER_OTLP_ENDPOINT", &url)],
        "otlp-test-2",
    )
    .await;
    assert_eq!(received.lock().expect("lock").len(), 0);
}

#[test]
fn the_endpoint_comes_from_the_file_or_the_environment_and_a_bad_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("kennisbank.toml"),
        "otlp_endpoint = \"http://kb:geheim@collector.example:4318\"\n",
    )
    .expect("write");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        crate::support::kennisbank()
            .current_dir(dir.path())
            .args(args)
            .envs(env.iter().copied())
            .output()
            .expect("kennisbank")
    };
    let out = run(&["config"], &[]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let masked =
        "otlp_endpoint = \"http://kb:****@collector.example:4318/\"  # file kennisbank.toml";
    assert!(text.lines().any(|l| l == masked), "{text}");
    let out = run(
        &["config"],
        &[("KB_OTLP_ENDPOINT", "http://127.0.0.1:4318")],
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.lines()
            .any(|l| l == "otlp_endpoint = \"http://127.0.0.1:4318\"  # env KB_OTLP_ENDPOINT"),
        "{text}"
    );
    let out = run(
        &[
            "--database-url",
            "sqlite://kb.db?mode=rwc",
            "serve",
            "--otlp-endpoint",
            "collector:4318",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--otlp-endpoint `collector:4318` must be an http:// or https:// URL"),
        "{stderr}"
    );
}
