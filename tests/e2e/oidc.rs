//! Signing in with a real OpenID provider (`oidc-provider`, `tests/oidc/provider.mjs`,
//! started per test on a free port, with its own development login page), on both
//! databases: the code flow with PKCE, `state` and `nonce` through the provider's pages,
//! SURFconext's claims placing the person in their institution; refused with 400 and
//! nothing written: a wrong `state`, a missing state cookie, a replayed answer, a replayed
//! code, an ID token whose nonce is not the one sent, an expired ID token, one issued to
//! another client and one signed by a key the provider does not publish; accepted after
//! the provider rotates its signing key.

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use url::Url;

use crate::support::{Db, TestApp, config, free_port};
use crate::tools;

/// The provider of one test.
pub(crate) struct Provider {
    child: Child,
    pub(crate) issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    pub(crate) fn start(port: u16, redirect_uri: &str) -> Provider {
        // A provider that has not said it is ready within the wait is stopped and started
        // once more; a second silence fails the test rather than hanging the run.
        for attempt in 1..=2 {
            if let Some(p) = Self::try_start(port, redirect_uri) {
                return p;
            }
            eprintln!("the OpenID provider did not start (attempt {attempt})");
        }
        panic!("the OpenID provider did not start twice");
    }

    fn try_start(port: u16, redirect_uri: &str) -> Option<Provider> {
        use std::io::BufRead;
        let dir = tools::node_packages("tests/oidc");
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .args(["--port", &port.to_string(), "--redirect-uri", redirect_uri])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the OpenID provider");
        let out = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        // Whatever it prints after its first line is read, so that it never writes into
        // a closed pipe.
        std::thread::spawn(move || {
            let mut out = std::io::BufReader::new(out);
            let mut line = String::new();
            let read = out.read_line(&mut line).map(|_| line);
            let _ = tx.send(read);
            std::io::copy(&mut out, &mut std::io::sink())
        });
        let line = match rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(Ok(line)) => line,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        };
        let issuer = line
            .trim()
            .strip_prefix("ready ")
            .expect("the provider did not start")
            .to_owned();
        Some(Provider { child, issuer })
    }
}

/// A browser's cookies for one host, sent whatever their path.
#[derive(Default)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn keep(&mut self, r: &reqwest::Response) {
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().expect("cookie");
            let pair = v.split(';').next().unwrap_or_default();
            if let Some((k, val)) = pair.split_once('=') {
                if val.is_empty()
                    || v.contains("Max-Age=0")
                    || v.contains("expires=Thu, 01 Jan 1970")
                {
                    self.0.remove(k.trim());
                } else {
                    self.0.insert(k.trim().to_owned(), val.to_owned());
                }
            }
        }
    }

    fn header(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        if !self.0.is_empty() {
            let c = self
                .0
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            h.insert("cookie", HeaderValue::from_str(&c).expect("cookie"));
        }
        h
    }
}

fn location(base: &str, r: &reqwest::Response) -> String {
    let l = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("a redirect from {base}, got {}", r.status()));
    Url::parse(base)
        .expect("base")
        .join(l)
        .expect("location")
        .to_string()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// From the site's button to the provider's answer: logs in as `login` on the provider's
/// own pages; returns the callback URL and the site's cookies (the attempt's state).
async fn through_provider(app: &TestApp, login: &str) -> (String, Jar) {
    let c = client();
    let mut site = Jar::default();
    let start = app.url("/aanmelden/oidc/1?next=%2Fzoeken");
    let r = c.get(&start).send().await.expect("start");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    site.keep(&r);
    assert!(site.0.contains_key("kb_oidc"), "the state cookie");
    let mut at = location(&start, &r);
    let mut idp = Jar::default();
    for _ in 0..12 {
        if at.starts_with(&app.url("/aanmelden/oidc?")) {
            return (at, site);
        }
        let r = c
            .get(&at)
            .headers(idp.header())
            .send()
            .await
            .expect("provider");
        idp.keep(&r);
        if r.status().is_redirection() {
            at = location(&at, &r);
            continue;
        }
        assert_eq!(r.status(), StatusCode::OK, "{at}");
        let page = r.text().await.expect("page");
        let prompt = if page.contains("name=\"prompt\" value=\"login\"") {
            vec![("prompt", "login"), ("login", login), ("password", "x")]
        } else {
            vec![("prompt", "consent")]
        };
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(prompt)
            .finish();
        let mut h = idp.header();
        h.insert(
            "content-type",
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let r = c
            .post(&at)
            .headers(h)
            .body(body)
            .send()
            .await
            .expect("provider form");
        idp.keep(&r);
        at = location(&at, &r);
    }
    panic!("the provider did not send the browser back");
}

async fn callback(app: &TestApp, url: &str, site: &Jar) -> reqwest::Response {
    let _ = app;
    client()
        .get(url)
        .headers(site.header())
        .send()
        .await
        .expect("callback")
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .expect("count")
    .expect("row")
    .try_get_by_index::<i64>(0)
    .expect("count")
}

fn with_param(url: &str, key: &str, value: &str) -> String {
    let mut u = Url::parse(url).expect("url");
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| {
            if k == key {
                (k.into_owned(), value.to_owned())
            } else {
                (k.into_owned(), v.into_owned())
            }
        })
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

fn param(url: &str, key: &str) -> String {
    Url::parse(url)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .expect("param")
}

macro_rules! with_provider {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::Db::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::postgres::skipped(concat!(module_path!(), "::postgres")) {
                    return;
                }
                super::$name($crate::support::Db::Postgres).await;
            }
        }
    };
}

with_provider!(a_person_signs_in_at_their_institution_and_every_forgery_is_refused);
async fn a_person_signs_in_at_their_institution_and_every_forgery_is_refused(db_kind: Db) {
    let port = free_port();
    let issuer = format!("http://127.0.0.1:{port}");
    let app = TestApp::spawn_with(
        db_kind,
        config(&[
            "--oidc-issuer",
            &issuer,
            "--oidc-client-id",
            "kennisbank",
            "--oidc-client-secret",
            "dev-secret",
            "--oidc-name",
            "Testinstelling",
        ]),
    )
    .await;
    let provider = Provider::start(port, &app.url("/aanmelden/oidc"));
    assert_eq!(provider.issuer, issuer);
    let db = Database::connect(&app.database_url).await.expect("open");
    let org = app
        .store
        .organisation_by_slug(kb_domain::Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("read")
        .expect("organisation")
        .id;
    app.store
        .set_organisation_membership(
            kb_domain::Viewer::Editor,
            org,
            &["hanze.nl".to_owned()],
            true,
        )
        .await
        .expect("domains");

    // The sign-in page shows the provider's button.
    let page = reqwest::get(app.url("/aanmelden")).await.expect("GET");
    let html = page.text().await.expect("page");
    assert!(
        html.contains("href=\"/aanmelden/oidc/1?next=%2F\""),
        "{html}"
    );
    assert!(html.contains("Testinstelling"));

    let (answer, site) = through_provider(&app, "ada@hanze.nl").await;
    // A state this browser did not start: refused, nothing written.
    let forged = with_param(&answer, "state", "forged-state");
    let r = callback(&app, &forged, &site).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // No state cookie at all: refused.
    let r = callback(&app, &answer, &Jar::default()).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM account").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 0);

    // The real answer signs the person in, into their institution.
    let r = callback(&app, &answer, &site).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/zoeken");
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("cookie").to_owned())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("kb_session=") && c.contains("; HttpOnly; SameSite=Lax")),
        "{cookies:?}"
    );
    assert!(cookies.contains(&"kb_oidc=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0".to_owned()));
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT COUNT(*) FROM account WHERE issuer = '{issuer}/' AND subject = 'ada@hanze.nl' \
                 AND email = 'ada@hanze.nl' AND name = 'Ada' AND organisation_id = {} \
                 AND status = 'active' AND affiliation = 'employee'",
                org.0
            )
        )
        .await,
        1
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 1);

    // The same answer again: its attempt is used up.
    let r = callback(&app, &answer, &site).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // The same code under a new attempt of this browser: the provider refuses it.
    let (fresh, site2) = through_provider(&app, "ada@hanze.nl").await;
    let replayed = with_param(&fresh, "code", &param(&answer, "code"));
    let r = callback(&app, &replayed, &site2).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM account").await, 1);

    // An ID token whose nonce is not the attempt's: refused.
    let (answer, site) = through_provider(&app, "ada@hanze.nl").await;
    db.execute_unprepared("UPDATE sign_in_attempt SET nonce = 'not-the-nonce-sent'")
        .await
        .expect("nonce");
    let r = callback(&app, &answer, &site).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 1);

    // An ID token that has expired, one issued to another client, and one signed by a key
    // the provider's JWKS does not publish (looked for again once, in vain): each
    // refused, nothing written.
    for mode in ["expired", "foreign-aud", "unknown-key"] {
        let set = client()
            .post(format!("{issuer}/_misbehave/{mode}"))
            .send()
            .await
            .expect("mode");
        assert_eq!(set.status(), StatusCode::OK);
        let (answer, site) = through_provider(&app, "ada@hanze.nl").await;
        let r = callback(&app, &answer, &site).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{mode}");
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM session").await,
            1,
            "{mode}"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM account").await,
            1,
            "{mode}"
        );
    }
    let set = client()
        .post(format!("{issuer}/_misbehave/off"))
        .send()
        .await
        .expect("mode");
    assert_eq!(set.status(), StatusCode::OK);

    // The provider rotates its signing key: the next sign-in still works.
    let rotated = client()
        .post(format!("{issuer}/_rotate"))
        .send()
        .await
        .expect("rotate");
    assert_eq!(rotated.status(), StatusCode::OK);
    let (answer, site) = through_provider(&app, "bo@hanze.nl").await;
    let r = callback(&app, &answer, &site).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM session").await, 2);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM account WHERE subject = 'bo@hanze.nl'"
        )
        .await,
        1
    );
}
