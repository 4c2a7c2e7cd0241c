//! Automatic persisted queries (Apollo's protocol) and trusted documents per API key.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::on_both;
use crate::support::{TestApp, error_code};

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

/// POSTs a request body (with a key, if any); its status and JSON.
async fn post(app: &TestApp, key: Option<&str>, body: Value) -> (u16, Value) {
    let mut r = app.client().post(app.url("/graphql")).json(&body);
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    let r = r.send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.expect("JSON"))
}

/// GETs `/graphql` with these parameters; its status and JSON.
async fn get(app: &TestApp, params: &[(&str, String)]) -> (u16, Value) {
    let r = app
        .client()
        .get(app.url("/graphql"))
        .query(params)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.expect("JSON"))
}

on_both!(a_persisted_query_is_registered_with_its_text_once_then_served_by_hash);
async fn a_persisted_query_is_registered_with_its_text_once_then_served_by_hash(app: TestApp) {
    let query = "query Codes { themes { code } }";
    let hash = sha256(query);
    // Unknown yet: the code Apollo's clients answer by sending the text.
    let (status, r) = post(&app, None, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(status, 200);
    let expected = json!({
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": { "code": "PERSISTED_QUERY_NOT_FOUND" },
            },
        ],
    });
    assert_eq!(r, expected);
    // A hash that is not the text's.
    let wrong = sha256("{ topics { code } }");
    let (status, r) = post(
        &app,
        None,
        json!({ "query": query, "extensions": persisted(&wrong) }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    assert_eq!(
        r["errors"][0]["extensions"]["field"],
        "extensions.persistedQuery.sha256Hash"
    );
    // Text and hash: runs and registers.
    let (status, r) = post(
        &app,
        None,
        json!({ "query": query, "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(status, 200);
    let codes = r["data"]["themes"].as_array().expect("themes").len();
    assert_eq!(codes, 8);
    // The hash alone, by POST and by GET.
    let (status, by_hash) = post(&app, None, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!((status, &by_hash), (200, &r));
    let (status, by_get) = get(&app, &[("extensions", persisted(&hash).to_string())]).await;
    assert_eq!((status, &by_get), (200, &r));
    // Only version 1, and a hash in hex.
    let (status, r) = post(
        &app,
        None,
        json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } }),
    )
    .await;
    assert_eq!((status, error_code(&r)), (400, "BAD_USER_INPUT"));
    let (status, r) = post(
        &app,
        None,
        json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "abc" } } }),
    )
    .await;
    assert_eq!((status, error_code(&r)), (400, "BAD_USER_INPUT"));
    assert_eq!(
        r["errors"][0]["extensions"]["field"],
        "extensions.persistedQuery"
    );
    // In a batch, each operation on its own.
    let unknown = sha256("{ topics { code } }");
    let (status, r) = post(
        &app,
        None,
        json!([{ "extensions": persisted(&unknown) }, { "extensions": persisted(&hash) }]),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&r[0]), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(r[1]["data"]["themes"].as_array().map(Vec::len), Some(8));
    // A mutation registered by POST is still refused by GET when sent by hash alone.
    let mutation = "mutation { revokeApiKey(id: 1) { key { id } } }";
    let m = sha256(mutation);
    let (_, r) = post(
        &app,
        None,
        json!({ "query": mutation, "extensions": persisted(&m) }),
    )
    .await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED", "{r}");
    let (status, r) = get(&app, &[("extensions", persisted(&m).to_string())]).await;
    assert_eq!((status, error_code(&r)), (405, "BAD_USER_INPUT"));
}

const DOCUMENTS: &str = "# The portal's operations.
query Themes { themes { ...Code } }
fragment Code on Theme { code }
query Me { me { role } }
";

on_both!(a_key_with_trusted_documents_runs_those_and_nothing_else);
async fn a_key_with_trusted_documents_runs_those_and_nothing_else(app: TestApp) {
    let key = |name: &'static str| {
        let store = app.store.clone();
        async move {
            store
                .create_api_key(
                    &kb_store::Actor::cli(),
                    name,
                    kb_domain::Role::Partner,
                    None,
                    None,
                )
                .await
                .expect("key")
                .secret
        }
    };
    let (portal, other) = (key("portal").await, key("other").await);
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("portal.graphql");
    std::fs::write(&file, DOCUMENTS).expect("write");
    let run = |args: &[&str]| {
        let out = crate::support::kennisbank()
            .arg("--database-url")
            .arg(&app.database_url)
            .args(args)
            .env("KB_LOG", "warn")
            .output()
            .expect("run kennisbank");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let path = file.to_str().expect("path");
    let (printed, said) = run(&["documents", "register", "--key", "portal", path]);
    let themes = sha256("query Themes { themes { ... Code } } fragment Code on Theme { code }");
    let me = sha256("query Me { me { role } }");
    assert_eq!(
        printed,
        format!("{themes}  Themes  ({path})\n{me}  Me  ({path})\n")
    );
    assert!(
        said.contains("Registered 2 new documents (0 already there)"),
        "{said}"
    );
    let (_, said) = run(&["documents", "register", "--key", "portal", path]);
    assert!(
        said.contains("Registered 0 new documents (2 already there)"),
        "{said}"
    );
    let (listed, _) = run(&["documents", "list", "--key", "portal"]);
    let hashes: Vec<&str> = listed.lines().map(|l| &l[..64]).collect();
    assert_eq!(hashes, vec![me.as_str(), themes.as_str()]);

    // The full text, laid out any way, and the hash alone.
    let text = "fragment Code on Theme {\n  code\n}\n\nquery Themes {\n  themes { ...Code }\n}\n";
    let (status, r) = post(&app, Some(&portal), json!({ "query": text })).await;
    assert_eq!(status, 200);
    assert_eq!(r["data"]["themes"].as_array().map(Vec::len), Some(8), "{r}");
    let (status, by_hash) = post(
        &app,
        Some(&portal),
        json!({ "extensions": persisted(&themes) }),
    )
    .await;
    assert_eq!((status, &by_hash), (200, &r));
    // Apollo's automatic persisted queries work too: unknown hash, then text and hash.
    let exact = "query Me { me { role } }\n";
    let (status, r) = post(
        &app,
        Some(&portal),
        json!({ "extensions": persisted(&sha256(exact)) }),
    )
    .await;
    assert_eq!((status, error_code(&r)), (200, "PERSISTED_QUERY_NOT_FOUND"));
    let (status, r) = post(
        &app,
        Some(&portal),
        json!({ "query": exact, "extensions": persisted(&sha256(exact)) }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(r["data"]["me"]["role"], "PARTNER", "{r}");
    // Anything else is refused, by text or by a hash the cache knows.
    let (status, r) = post(
        &app,
        Some(&portal),
        json!({ "query": "{ topics { code } }" }),
    )
    .await;
    assert_eq!(status, 403);
    let expected = json!({
        "errors": [
            {
                "message": concat!(
                    "this API key runs only its trusted documents, ",
                    "and this operation is not one of them",
                ),
                "extensions": { "code": "PERSISTED_QUERY_NOT_ALLOWED" },
            },
        ],
    });
    assert_eq!(r, expected);
    let open = "query Codes { themes { code } }";
    let (status, _) = post(
        &app,
        None,
        json!({ "query": open, "extensions": persisted(&sha256(open)) }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, r) = post(
        &app,
        Some(&portal),
        json!({ "extensions": persisted(&sha256(open)) }),
    )
    .await;
    assert_eq!(
        (status, error_code(&r)),
        (403, "PERSISTED_QUERY_NOT_ALLOWED")
    );
    // A registered document with another operation picked is another operation.
    let (status, r) = post(
        &app,
        Some(&portal),
        json!({ "query": DOCUMENTS, "operationName": "Me" }),
    )
    .await;
    assert_eq!((status, &r["data"]["me"]["role"]), (200, &json!("PARTNER")));
    // Over a WebSocket too: an operation that is not registered is refused.
    let mut ws = crate::live::Client::connect(
        &app,
        json!({ "Authorization": format!("Bearer {portal}") }),
        None,
    )
    .await;
    ws.subscribe("s", "subscription { eventPublished { title } }", json!({}))
        .await;
    let errors = ws.refused("s").await;
    assert_eq!(
        errors[0]["extensions"]["code"], "PERSISTED_QUERY_NOT_ALLOWED",
        "{errors}"
    );
    // Other keys, and requests without one, are not restricted.
    let (status, r) = post(
        &app,
        Some(&other),
        json!({ "query": "{ topics { code } }" }),
    )
    .await;
    assert_eq!(status, 200);
    assert!(r["data"]["topics"].is_array(), "{r}");
    let (status, r) = post(&app, None, json!({ "query": "{ topics { code } }" })).await;
    assert_eq!(status, 200);
    assert!(r["data"]["topics"].is_array(), "{r}");
}
