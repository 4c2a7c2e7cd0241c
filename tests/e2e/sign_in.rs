//! People signing in on the website with a link by e-mail, over real HTTP and a real SMTP
//! server (aiosmtpd, `smtp_sink.py`), on both databases: the link that arrives, its
//! confirmation, the session and its cookie, signing out, and every refusal with its exact
//! status and nothing written — a used or expired link, a POST without or with a wrong
//! CSRF token, a cross-site POST, a `?next=` to another host, and a session id that must
//! change at sign-in (fixation).

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::Value;

use crate::mail_sink::Sink;
use crate::support::{Db, TestApp, config};
use crate::with_mail;

/// A server on `db` that mails through `sink`, and a client that follows no redirect and
/// keeps no cookie (the tests send the cookies they mean to).
async fn spawn(db: Db, sink: &Sink) -> (TestApp, reqwest::Client) {
    let url = sink.url();
    let app = TestApp::spawn_with(
        db,
        config(&[
            "--smtp-url",
            &url,
            "--mail-from",
            "Kennisbank <kb@example.org>",
        ]),
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    (app, client)
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Headers of a form POST from this site's page, with `cookie` if given.
fn from_site(app: &TestApp, cookie: Option<&str>) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    h.insert(
        "origin",
        HeaderValue::from_str(&format!("http://{}", app.addr)).expect("origin"),
    );
    h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
    if let Some(c) = cookie {
        h.insert("cookie", HeaderValue::from_str(c).expect("cookie"));
    }
    h
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    headers: HeaderMap,
    body: String,
) -> reqwest::Response {
    client
        .post(app.url(path))
        .headers(headers)
        .body(body)
        .send()
        .await
        .expect("POST")
}

fn location(r: &reqwest::Response) -> &str {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("cookie").to_owned())
        .collect()
}

async fn db(app: &TestApp) -> DatabaseConnection {
    Database::connect(&app.database_url).await.expect("open")
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("count")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("count")
}

/// The token of the link in a sign-in message, after checking the link is on the
/// server's public address.
fn token_of(app: &TestApp, message: &Value) -> String {
    let text = message["text"].as_str().expect("plain text");
    let prefix = format!("http://{}/aanmelden/link?token=", app.addr);
    let start = text.find(&prefix).expect("a link on the public address") + prefix.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Asks for a link for `email` going to `next`, and returns its token from the mail.
async fn link_for(
    app: &TestApp,
    client: &reqwest::Client,
    sink: &Sink,
    n: usize,
    email: &str,
    next: &str,
) -> String {
    let r = post(
        client,
        app,
        "/aanmelden/email",
        from_site(app, None),
        form(&[("email", email), ("next", next)]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/aanmelden?melding=verstuurd");
    token_of(app, &sink.message(n).await)
}

with_mail!(a_mailed_link_signs_in_once_with_a_new_session);
async fn a_mailed_link_signs_in_once_with_a_new_session(db_kind: Db) {
    let sink = Sink::start();
    let (app, client) = spawn(db_kind, &sink).await;
    let db = db(&app).await;

    // The sign-in page sets no cookie and offers the e-mail form.
    let page = client.get(app.url("/aanmelden")).send().await.expect("GET");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(set_cookies(&page).is_empty());
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.expect("page");
    assert!(html.contains("action=\"/aanmelden/email\""), "{html}");

    let token = link_for(
        &app,
        &client,
        &sink,
        1,
        " Ada@Example.ORG ",
        "/zoeken?q=stress",
    )
    .await;
    let message = sink.message(1).await;
    assert_eq!(message["to"], serde_json::json!(["ada@example.org"]));
    assert_eq!(message["from"], "kb@example.org");
    assert_eq!(message["subject"], "Aanmelden bij Kennisbank");
    assert!(
        message["html"]
            .as_str()
            .expect("html")
            .contains(&format!("/aanmelden/link?token={token}"))
    );
    assert_eq!(token.len(), 43);
    // Only its hash is stored.
    assert_eq!(
        count(
            &db,
            &format!("SELECT COUNT(*) FROM sign_in_link WHERE token_hash = '{token}'")
        )
        .await,
        0
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM sign_in_link").await, 1);

    // Opening the link (as a mail scanner would) uses nothing up.
    let confirm = client
        .get(app.url(&format!("/aanmelden/link?token={token}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(confirm.status(), StatusCode::OK);
    assert!(set_cookies(&confirm).is_empty());
    assert!(confirm.text().await.expect("page").contains(&token));
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM sign_in_link WHERE used_at IS NULL"
        )
        .await,
        1
    );

    // A planted session id is not taken over: sign-in starts a new one.
    let planted = "kb_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let signed_in = post(
        &client,
        &app,
        "/aanmelden/link",
        from_site(&app, Some(planted)),
        form(&[("token", &token)]),
    )
    .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/zoeken?q=stress");
    let cookies = set_cookies(&signed_in);
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let cookie = &cookies[0];
    let value = cookie
        .strip_prefix("kb_session=")
        .and_then(|c| c.split(';').next())
        .expect("the session cookie");
    assert_eq!(value.len(), 43);
    assert_ne!(format!("kb_session={value}"), planted);
    assert_eq!(
        cookie,
        &format!("kb_session={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600")
    );
    let session = format!("kb_session={value}");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM account WHERE issuer = 'email' AND subject = 'ada@example.org'"
        )
        .await,
        1
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 1);

    // The link works once.
    let again = post(
        &client,
        &app,
        "/aanmelden/link",
        from_site(&app, None),
        form(&[("token", &token)]),
    )
    .await;
    assert_eq!(again.status(), StatusCode::GONE);
    assert!(set_cookies(&again).is_empty());
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 1);

    // The account page shows the person and carries the session's CSRF token.
    let mut h = HeaderMap::new();
    h.insert("cookie", HeaderValue::from_str(&session).expect("cookie"));
    let account = client
        .get(app.url("/mijn-account"))
        .headers(h.clone())
        .send()
        .await
        .expect("GET");
    assert_eq!(account.status(), StatusCode::OK);
    assert!(set_cookies(&account).is_empty());
    let html = account.text().await.expect("page");
    assert!(html.contains("ada@example.org"), "{html}");
    let csrf = {
        let marker = "name=\"csrf\" value=\"";
        let start = html.find(marker).expect("a CSRF field") + marker.len();
        html[start..start + 43].to_owned()
    };

    // Sign-out refused without the token, with a wrong one, and across sites: 403, and
    // the session lives on.
    for (headers, body) in [
        (from_site(&app, Some(&session)), form(&[])),
        (
            from_site(&app, Some(&session)),
            form(&[("csrf", &"x".repeat(43))]),
        ),
        (
            {
                let mut h = from_site(&app, Some(&session));
                h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
                h
            },
            form(&[("csrf", &csrf)]),
        ),
        (
            {
                let mut h = from_site(&app, Some(&session));
                h.remove("sec-fetch-site");
                h.insert("origin", HeaderValue::from_static("https://evil.example"));
                h
            },
            form(&[("csrf", &csrf)]),
        ),
    ] {
        let r = post(&client, &app, "/afmelden", headers, body).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(set_cookies(&r).is_empty());
        assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 1);
    }

    // Signed out with the token: the session is gone and the cookie cleared.
    let out = post(
        &client,
        &app,
        "/afmelden",
        from_site(&app, Some(&session)),
        form(&[("csrf", &csrf)]),
    )
    .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), "/aanmelden?melding=afgemeld");
    assert_eq!(
        set_cookies(&out),
        ["kb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"]
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 0);
    let after = client
        .get(app.url("/mijn-account"))
        .headers(h)
        .send()
        .await
        .expect("GET");
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
}

with_mail!(refused_requests_write_nothing);
async fn refused_requests_write_nothing(db_kind: Db) {
    let sink = Sink::start();
    let (app, client) = spawn(db_kind, &sink).await;
    let db = db(&app).await;

    // A cross-site request for a link: 403, no link, no mail.
    let mut h = from_site(&app, None);
    h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
    let r = post(
        &client,
        &app,
        "/aanmelden/email",
        h,
        form(&[("email", "a@example.org")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Neither Origin nor Sec-Fetch-Site: 403 as well.
    let mut h = HeaderMap::new();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    let r = post(
        &client,
        &app,
        "/aanmelden/email",
        h,
        form(&[("email", "a@example.org")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Not an address: back to the form, nothing stored.
    let r = post(
        &client,
        &app,
        "/aanmelden/email",
        from_site(&app, None),
        form(&[("email", "not an address")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/aanmelden?melding=adres");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM sign_in_link").await, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.messages().is_empty());

    // A `next` to another host leads home.
    let token = link_for(&app, &client, &sink, 1, "b@example.org", "//evil.example/x").await;
    let r = post(
        &client,
        &app,
        "/aanmelden/link",
        from_site(&app, None),
        form(&[("token", &token)]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/");

    // An expired link: 410, no account, no session.
    let token = link_for(&app, &client, &sink, 2, "c@example.org", "/").await;
    db.execute_unprepared("UPDATE sign_in_link SET expires_at = created_at WHERE used_at IS NULL")
        .await
        .expect("expire");
    let r = post(
        &client,
        &app,
        "/aanmelden/link",
        from_site(&app, None),
        form(&[("token", &token)]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM account WHERE subject = 'c@example.org'"
        )
        .await,
        0
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 1);

    // The same answer for any address, and at most three links per address.
    for _ in 0..3 {
        let r = post(
            &client,
            &app,
            "/aanmelden/email",
            from_site(&app, None),
            form(&[("email", "d@example.org")]),
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/aanmelden?melding=verstuurd");
    }
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM sign_in_link WHERE email = 'd@example.org'"
        )
        .await,
        3
    );
    sink.message(5).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 5);
}

/// Without `--smtp-url` the page says signing in by e-mail is off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_the_page_says_email_sign_in_is_off() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let page = reqwest::get(app.url("/aanmelden?lang=en"))
        .await
        .expect("GET");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers().get("set-cookie").is_none());
    let html = page.text().await.expect("page");
    assert!(
        html.contains("Signing in by e-mail is not available on this installation."),
        "{html}"
    );
    assert!(!html.contains("action=\"/aanmelden/email\""));
}
