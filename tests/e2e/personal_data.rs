//! A person's own data under the AVG (GDPR), over real HTTP with a real SMTP server, on
//! both databases: a person signs in by e-mail link, makes changes, downloads what
//! Kennisbank holds about them and compares it with every table that mentions them, then
//! erases their account on the website. Afterwards their name and address are in no
//! column of any table, no dump, export, feed or search answer; the revisions still read
//! in order under the pseudonym; the old cookie is dead; an editor settles the contact
//! review. Admins erase through the API and the command line; a contributor may not, and
//! a POST without the CSRF token is refused, both with nothing changed.

use kb_domain::workflow::Action;
use kb_domain::{AccountId, InitiativeKind, NodeId, OrganisationId, OrganisationRole, Role};
use kb_domain::{InitiativeId, Viewer, input::InitiativeInput};
use kb_store::{Actor, Identity};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};

use crate::mail_sink::Sink;
use crate::on_both;
use crate::sign_in::{count, db, form, from_site, link_for, location, post, set_cookies, spawn};
use crate::support::{Db, TestApp, at, error_code};

macro_rules! with_mail {
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

/// Every `table.column` of the database whose text holds `needle` (in any case).
async fn mentions(db: &DatabaseConnection, needle: &str) -> Vec<String> {
    let backend = db.get_database_backend();
    let columns_sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name, column_name FROM information_schema.columns \
             WHERE table_schema = current_schema() ORDER BY table_name, column_name"
        }
        _ => {
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' ORDER BY m.name, p.name"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, columns_sql.to_owned()))
        .await
        .expect("columns");
    assert!(rows.len() > 50, "the scan sees every table's columns");
    let mut found = Vec::new();
    for row in rows {
        let table: String = row.try_get_by_index(0).expect("table");
        let column: String = row.try_get_by_index(1).expect("column");
        let sql = format!(
            "SELECT COUNT(*) FROM \"{table}\" WHERE LOWER(CAST(\"{column}\" AS TEXT)) LIKE $1"
        );
        let sql = match backend {
            DbBackend::Postgres => sql,
            _ => sql.replace("$1", "?"),
        };
        let hit = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [format!("%{}%", needle.to_lowercase()).into()],
            ))
            .await
            .expect("scan")
            .expect("row");
        if hit.try_get_by_index::<i64>(0).expect("count") > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

/// One value of a statement's first row, as text.
async fn text(db: &DatabaseConnection, sql: &str) -> Option<String> {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .expect("query")
    .and_then(|r| r.try_get_by_index::<Option<String>>(0).expect("text"))
}

async fn key(app: &TestApp, role: Role, org: Option<OrganisationId>) -> String {
    app.store
        .create_api_key(&Actor::cli(), "personal-data", role, org, None)
        .await
        .expect("key")
        .secret
}

async fn waddenpoort(app: &TestApp) -> OrganisationId {
    let org = app
        .data(
            r#"{ organisation(slug: "hogeschool-waddenpoort") { id } }"#,
            json!({}),
        )
        .await;
    OrganisationId::decode("id", at(&org, "organisation.id").as_str().expect("id")).expect("id")
}

/// A published initiative the person wrote, with `contact` as its contact address.
async fn published_by(
    app: &TestApp,
    account: &kb_store::Account,
    org: OrganisationId,
    contact: &str,
) -> InitiativeId {
    let actor = Actor {
        viewer: Viewer::Editor,
        ..Actor::of_account(account)
    };
    let i = app
        .store
        .create_initiative(
            &actor,
            InitiativeInput {
                title: Some("Maatjes voor eerstejaars in Leeuwarden".to_owned()),
                summary: Some("Ouderejaars koppelen aan nieuwe studenten.".to_owned()),
                kind: Some(InitiativeKind::SupportGroup),
                contact_email: Some(contact.to_owned()),
                themes: Some(vec!["support".to_owned()]),
                topics: Some(vec!["resilience".to_owned()]),
                organisations: Some(vec![(org, OrganisationRole::Lead)]),
                ..InitiativeInput::default()
            },
        )
        .await
        .expect("create");
    for action in [Action::Submit, Action::Publish] {
        app.store
            .transition_initiative(&actor, i.id, action, None, None)
            .await
            .expect("transition");
    }
    i.id
}

/// The session's CSRF token, from the account page's forms.
async fn csrf(app: &TestApp, client: &reqwest::Client, cookie: &str) -> String {
    let page = client
        .get(app.url("/mijn-account"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("page");
    assert!(
        html.contains("action=\"/mijn-account/verwijderen\""),
        "{html}"
    );
    assert!(html.contains("href=\"/mijn-account/gegevens\""), "{html}");
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field") + marker.len();
    html[start..].chars().take_while(|c| *c != '"').collect()
}

/// Everything public and exported: the exports, the feeds, search and the dump.
async fn published_texts(app: &TestApp, client: &reqwest::Client) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in [
        "/export/initiatives.csv",
        "/export/kennisbank.jsonld",
        "/export/graph.json",
        "/feeds/initiatives.atom",
        "/feeds/events.ics",
    ] {
        let r = client.get(app.url(path)).send().await.expect("GET");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        out.push((path.to_owned(), r.text().await.expect("body")));
    }
    // The name as written: an unknown word is otherwise read as its nearest spelling.
    let search = app
        .data(
            r#"{ search(query: "\"jansen\"") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(at(&search, "search.totalCount"), &json!(0), "{search}");
    out.push(("search".to_owned(), search.to_string()));
    let dump = app.store.dump(Viewer::Admin).await.expect("dump");
    out.push((
        "dump".to_owned(),
        serde_json::to_string(&dump).expect("dump as JSON"),
    ));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("dump.json");
    let cli = crate::support::kennisbank()
        .arg("--database-url")
        .arg(&app.database_url)
        .args(["dump", "--output", file.to_str().expect("path")])
        .env("KB_LOG", "warn")
        .output()
        .expect("kennisbank dump");
    assert!(cli.status.success(), "{cli:?}");
    out.push((
        "kennisbank dump".to_owned(),
        std::fs::read_to_string(&file).expect("dump file"),
    ));
    out
}

with_mail!(a_person_downloads_their_data_and_erases_their_account);
async fn a_person_downloads_their_data_and_erases_their_account(db_kind: Db) {
    let sink = Sink::start();
    let (app, client) = spawn(db_kind, &sink).await;
    let db = db(&app).await;
    let org = waddenpoort(&app).await;

    // Signing in by mailed link: the account's name is the address's local part.
    let token = link_for(&app, &client, &sink, 1, "Jan.Jansen@Example.org", "/").await;
    let signed_in = post(
        &client,
        &app,
        "/aanmelden/link",
        from_site(&app, None),
        form(&[("token", &token)]),
    )
    .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookies(&signed_in)[0]
        .split(';')
        .next()
        .expect("cookie")
        .to_owned();
    let account = app
        .store
        .account_by_email("jan.jansen@example.org")
        .await
        .expect("read")
        .expect("account");
    assert_eq!(account.name, "jan.jansen");
    let initiative = published_by(&app, &account, org, "Jan.Jansen@example.org").await;
    app.caught_up().await;

    // The download without a session sends the visitor to sign in.
    let anonymous = client
        .get(app.url("/mijn-account/gegevens"))
        .send()
        .await
        .expect("GET");
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&anonymous),
        "/aanmelden?next=%2Fmijn-account%2Fgegevens"
    );
    let download = client
        .get(app.url("/mijn-account/gegevens"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/json");
    assert_eq!(
        download.headers()["content-disposition"],
        "attachment; filename=\"kennisbank-gegevens.json\""
    );
    assert_eq!(download.headers()["cache-control"], "no-store");
    let doc: Value = download.json().await.expect("JSON");

    // It says what each table that mentions the person holds.
    let id = account.id.0;
    assert_eq!(doc["format"], "kennisbank-persoonsgegevens");
    assert_eq!(doc["account"]["id"], id);
    assert_eq!(doc["account"]["email"], "jan.jansen@example.org");
    assert_eq!(doc["account"]["name"], "jan.jansen");
    assert_eq!(doc["account"]["issuer"], "email");
    assert_eq!(doc["account"]["subject"], "jan.jansen@example.org");
    assert_eq!(doc["account"]["status"], account.status.as_str());
    assert_eq!(doc["account"]["role"], "contributor");
    let sessions = count(
        &db,
        &format!("SELECT COUNT(*) FROM session WHERE account_id = {id}"),
    )
    .await;
    assert_eq!(sessions, 1);
    assert_eq!(doc["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        doc["sessions"][0].as_object().map(|o| o.len()),
        Some(3),
        "times only"
    );
    let links = count(
        &db,
        "SELECT COUNT(*) FROM sign_in_link WHERE LOWER(email) = 'jan.jansen@example.org'",
    )
    .await;
    assert_eq!(links, 1);
    assert_eq!(doc["signInLinks"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["signInLinks"][0]["used"], true);
    let revisions = count(
        &db,
        &format!("SELECT COUNT(*) FROM revision WHERE actor_account_id = {id}"),
    )
    .await;
    assert_eq!(revisions, 3);
    let listed = doc["revisions"].as_array().expect("revisions");
    assert_eq!(listed.len(), 3);
    let actions: Vec<&str> = listed.iter().filter_map(|r| r["action"].as_str()).collect();
    assert_eq!(actions, ["create", "submit", "publish"]);
    assert!(listed.iter().all(|r| r["entityId"] == initiative.0));
    assert_eq!(listed[0]["globalId"], json!(initiative.global().encode()));
    let contacts = count(
        &db,
        "SELECT COUNT(*) FROM initiative WHERE LOWER(contact_email) = 'jan.jansen@example.org'",
    )
    .await;
    assert_eq!(contacts, 1);
    assert_eq!(
        doc["contactOf"]["initiatives"],
        json!([{
            "id": initiative.global().encode(),
            "slug": "maatjes-voor-eerstejaars-in-leeuwarden",
            "title": "Maatjes voor eerstejaars in Leeuwarden",
            "status": "published",
            "contactEmail": "Jan.Jansen@example.org",
        }])
    );
    let secret = cookie.split_once('=').map(|(_, v)| v).expect("value");
    assert!(!doc.to_string().contains(secret));
    assert!(!doc.to_string().contains(&token));

    // A POST without the session's CSRF token is refused, and nothing changes.
    let refused = post(
        &client,
        &app,
        "/mijn-account/verwijderen",
        from_site(&app, Some(&cookie)),
        form(&[("bevestig", "ja")]),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.account(account.id).await.expect("read"),
        Some(account.clone())
    );

    // Erasing on the website: the cookie is cleared and the home page says so.
    let token = csrf(&app, &client, &cookie).await;
    let erased = post(
        &client,
        &app,
        "/mijn-account/verwijderen",
        from_site(&app, Some(&cookie)),
        form(&[("csrf", &token), ("bevestig", "ja")]),
    )
    .await;
    assert_eq!(erased.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&erased), "/?melding=verwijderd");
    assert_eq!(
        set_cookies(&erased),
        ["kb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"]
    );
    let home = client
        .get(app.url("/?melding=verwijderd"))
        .send()
        .await
        .expect("GET");
    assert!(
        home.text()
            .await
            .expect("page")
            .contains("Uw account is verwijderd.")
    );

    // The old cookie signs no one in.
    let old = client
        .get(app.url("/mijn-account"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(old.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&old), "/aanmelden?next=%2Fmijn-account");

    // The initiative waits for an editor; a contributor may not see the list.
    let editor = key(&app, Role::Editor, None).await;
    let contributor = key(&app, Role::Contributor, Some(org)).await;
    const REVIEWS: &str = "{ contactReviews { id initiative title } }";
    let r = app.gql_as(&contributor, REVIEWS, json!({})).await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    let r = app.gql_as(&editor, REVIEWS, json!({})).await;
    let reviews = at(&r, "data.contactReviews")
        .as_array()
        .expect("list")
        .clone();
    assert_eq!(reviews.len(), 1, "{r}");
    assert_eq!(
        reviews[0]["initiative"],
        json!(initiative.global().encode())
    );
    assert_eq!(
        reviews[0]["title"],
        "Maatjes voor eerstejaars in Leeuwarden"
    );
    let resolve = "mutation($id: Int!) { resolveContactReview(id: $id, action: REPLACE_WITH_ORGANISATION) { initiative { contactEmail } } }";
    let r = app
        .gql_as(&contributor, resolve, json!({ "id": reviews[0]["id"] }))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    let r = app
        .gql_as(&editor, resolve, json!({ "id": reviews[0]["id"] }))
        .await;
    let organisation_email = text(
        &db,
        &format!("SELECT email FROM organisation WHERE id = {}", org.0),
    )
    .await;
    assert_eq!(
        at(&r, "data.resolveContactReview.initiative.contactEmail"),
        &json!(organisation_email),
        "{r}"
    );
    let r = app.gql_as(&editor, REVIEWS, json!({})).await;
    assert_eq!(at(&r, "data.contactReviews"), &json!([]));
    let r = app
        .gql_as(&editor, resolve, json!({ "id": reviews[0]["id"] }))
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
    app.caught_up().await;

    // Their name and address are in no column of any table, nor anything published.
    for needle in ["jan.jansen", "jansen@"] {
        assert_eq!(
            mentions(&db, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    for (what, body) in published_texts(&app, &client).await {
        assert!(
            !body.to_lowercase().contains("jan.jansen"),
            "{what}: {body}"
        );
    }
    let pseudonym = format!("verwijderde gebruiker {id}");
    assert_eq!(
        text(&db, &format!("SELECT name FROM account WHERE id = {id}")).await,
        Some(pseudonym.clone())
    );
    assert_eq!(
        count(
            &db,
            &format!("SELECT COUNT(*) FROM session WHERE account_id = {id}")
        )
        .await,
        0
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM sign_in_link").await, 0);

    // The history reads in order: the person's three steps under the pseudonym, then the
    // editor's change of the contact.
    let history = app
        .store
        .revisions_of_initiatives(Viewer::Editor, &[initiative])
        .await
        .expect("history");
    let mut revisions = history.get(&initiative).cloned().unwrap_or_default();
    revisions.sort_by_key(|r| r.id);
    let steps: Vec<(String, i32)> = revisions
        .iter()
        .map(|r| (r.actor.clone(), r.version))
        .collect();
    assert_eq!(
        steps[..3],
        [
            (pseudonym.clone(), 1),
            (pseudonym.clone(), 2),
            (pseudonym.clone(), 3),
        ]
    );
    assert_eq!(steps.len(), 4);
    assert!(steps[3].0.starts_with("personal-data ("), "{steps:?}");
    assert_eq!(steps[3].1, 4);
    assert!(revisions.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(
        revisions[2].after.as_ref().map(|a| a.title.as_str()),
        Some("Maatjes voor eerstejaars in Leeuwarden")
    );

    // Signing in again with the same address makes a new account.
    let token = link_for(&app, &client, &sink, 2, "jan.jansen@example.org", "/").await;
    let again = post(
        &client,
        &app,
        "/aanmelden/link",
        from_site(&app, None),
        form(&[("token", &token)]),
    )
    .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let new = app
        .store
        .account_by_email("jan.jansen@example.org")
        .await
        .expect("read")
        .expect("account");
    assert_ne!(new.id, account.id);
}

on_both!(admins_erase_through_the_api_and_the_command_line);
async fn admins_erase_through_the_api_and_the_command_line(app: TestApp) {
    let org = waddenpoort(&app).await;
    let person = |subject: &str, name: &str, email: &str| Identity {
        issuer: "https://idp.example".to_owned(),
        subject: subject.to_owned(),
        email: Some(email.to_owned()),
        name: name.to_owned(),
        language: kb_domain::Language::Nl,
        home_organisation: None,
        affiliation: Some("employee".to_owned()),
    };
    let piet = app
        .store
        .sign_in_account(&person("p-1", "Piet Pietersen", "p.pietersen@uni.example"))
        .await
        .expect("account");
    let initiative = published_by(&app, &piet, org, "p.pietersen@uni.example").await;
    let admin = key(&app, Role::Admin, None).await;
    let contributor = key(&app, Role::Contributor, Some(org)).await;
    let erase = "mutation($id: Int!) { eraseAccount(id: $id) { account { id name email status } sessions revisions contactReviews } }";

    // A contributor may not; nothing changes.
    let r = app
        .gql_as(&contributor, erase, json!({ "id": piet.id.0 }))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    assert_eq!(
        app.store.account(piet.id).await.expect("read"),
        Some(piet.clone())
    );
    let r = app.gql(erase, json!({ "id": piet.id.0 })).await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
    let r = app.gql_as(&admin, erase, json!({ "id": 987654 })).await;
    assert_eq!(error_code(&r), "NOT_FOUND");

    let r = app.gql_as(&admin, erase, json!({ "id": piet.id.0 })).await;
    assert_eq!(
        at(&r, "data.eraseAccount"),
        &json!({
            "account": {
                "id": piet.id.0,
                "name": format!("verwijderde gebruiker {}", piet.id.0),
                "email": null,
                "status": "ERASED",
            },
            "sessions": 0,
            "revisions": 3,
            "contactReviews": 1,
        }),
        "{r}"
    );
    let db = db(&app).await;
    // Until an editor decides, the address stays on the initiative only.
    assert_eq!(
        mentions(&db, "p.pietersen").await,
        ["initiative.contact_email"]
    );
    assert_eq!(mentions(&db, "piet pietersen").await, Vec::<String>::new());
    let done = app
        .store
        .resolve_contact_review(
            &Actor::cli(),
            app.store
                .contact_reviews(Viewer::Admin)
                .await
                .expect("list")[0]
                .id,
            kb_store::ContactResolution::Remove,
        )
        .await
        .expect("resolve");
    assert_eq!((done.id, done.contact_email), (initiative, None));
    assert_eq!(mentions(&db, "pietersen").await, Vec::<String>::new());

    // The operator exports and erases a person named by address.
    let klaas = app
        .store
        .sign_in_account(&person("k-1", "Klaas Klaassen", "K.Klaassen@uni.example"))
        .await
        .expect("account");
    let run = |args: &[&str]| {
        crate::support::kennisbank()
            .arg("--database-url")
            .arg(&app.database_url)
            .args(args)
            .env("KB_LOG", "warn")
            .output()
            .expect("kennisbank")
    };
    let export = run(&["accounts", "export", "k.klaassen@uni.example"]);
    assert!(export.status.success(), "{export:?}");
    let doc: Value = serde_json::from_slice(&export.stdout).expect("JSON");
    assert_eq!(doc["account"]["id"], klaas.id.0);
    assert_eq!(doc["account"]["name"], "Klaas Klaassen");
    assert_eq!(doc["account"]["affiliation"], "employee");
    let erase = run(&["accounts", "erase", &klaas.id.0.to_string()]);
    assert!(erase.status.success(), "{erase:?}");
    assert_eq!(
        String::from_utf8_lossy(&erase.stderr).trim(),
        format!(
            "Account {} is erased and now named \"verwijderde gebruiker {}\": 0 sessions and 0 sign-in links ended, 0 revisions renamed, 0 initiatives wait for a contact review.",
            klaas.id.0, klaas.id.0
        )
    );
    assert_eq!(mentions(&db, "klaassen").await, Vec::<String>::new());
    let gone = run(&["accounts", "export", "k.klaassen@uni.example"]);
    assert!(!gone.status.success());
    let erased = app
        .store
        .account(AccountId(klaas.id.0))
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(erased.status, kb_domain::AccountStatus::Erased);
}

/// The real binary with `--log-dir`: a person signs in by mailed link, downloads their
/// data and erases their account; the log file of the run holds neither their name nor
/// their address, nor the link's token or the session's cookie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_file_of_an_erasure_names_no_one() {
    let sink = Sink::start();
    let logs = tempfile::tempdir().expect("dir");
    let smtp = sink.url();
    let served = crate::support::Served::start(
        &[
            "--smtp-url",
            &smtp,
            "--log-dir",
            logs.path().to_str().expect("path"),
        ],
        &[("KB_LOG", "debug")],
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let origin = served.url("");
    let send = |path: &str, cookie: Option<&str>, body: String| {
        let mut r = client
            .post(served.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &origin)
            .header("sec-fetch-site", "same-origin")
            .body(body);
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        r.send()
    };
    let asked = send(
        "/aanmelden/email",
        None,
        form(&[("email", "Jan.Jansen@Example.org"), ("next", "/")]),
    )
    .await
    .expect("POST");
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let message = sink.message(1).await;
    let mail = message["text"].as_str().expect("plain text");
    let start = mail.find("token=").expect("a link") + "token=".len();
    let token: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let signed_in = send("/aanmelden/link", None, form(&[("token", &token)]))
        .await
        .expect("POST");
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookies(&signed_in)[0]
        .split(';')
        .next()
        .expect("cookie")
        .to_owned();
    let page = client
        .get(served.url("/mijn-account"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    let marker = "name=\"csrf\" value=\"";
    let at_csrf = page.find(marker).expect("a csrf field") + marker.len();
    let csrf: String = page[at_csrf..].chars().take_while(|c| *c != '"').collect();
    let download = client
        .get(served.url("/mijn-account/gegevens"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(download.status(), StatusCode::OK);
    let erased = send(
        "/mijn-account/verwijderen",
        Some(&cookie),
        form(&[("csrf", &csrf), ("bevestig", "ja")]),
    )
    .await
    .expect("POST");
    assert_eq!(erased.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&erased), "/?melding=verwijderd");
    served.terminate();
    let (status, lines) = served.exit(std::time::Duration::from_secs(20)).await;
    assert!(status.success(), "{status}");
    let file = logs.path().join(
        chrono::Utc::now()
            .format("kennisbank-%Y-%m-%d.log")
            .to_string(),
    );
    let written = std::fs::read_to_string(file).expect("today's log file");
    assert_eq!(written.lines().count(), lines.len());
    assert!(written.contains("account erased"), "{written}");
    let secret = cookie.split_once('=').map(|(_, v)| v).expect("value");
    for forbidden in ["jansen", "Jansen", token.as_str(), secret, csrf.as_str()] {
        assert!(
            !written.contains(forbidden),
            "`{forbidden}` in the log file"
        );
    }
}

/// Signs `email` in by mailed link (the `n`th message) and returns the session cookie.
async fn signed_in(
    app: &TestApp,
    client: &reqwest::Client,
    sink: &Sink,
    n: usize,
    email: &str,
) -> String {
    let token = link_for(app, client, sink, n, email, "/").await;
    let r = post(
        client,
        app,
        "/aanmelden/link",
        from_site(app, None),
        form(&[("token", &token)]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    set_cookies(&r)[0]
        .split(';')
        .next()
        .expect("cookie")
        .to_owned()
}

with_mail!(editors_settle_contact_reviews_on_their_page);
async fn editors_settle_contact_reviews_on_their_page(db_kind: Db) {
    let sink = Sink::start();
    let (app, client) = spawn(db_kind, &sink).await;
    let db = db(&app).await;
    let org = waddenpoort(&app).await;
    signed_in(&app, &client, &sink, 1, "jan.jansen@example.org").await;
    let jan = app
        .store
        .account_by_email("jan.jansen@example.org")
        .await
        .expect("read")
        .expect("account");
    let initiative = published_by(&app, &jan, org, "jan.jansen@example.org").await;
    app.store.erase_own_account(jan.id).await.expect("erase");
    let editor_cookie = signed_in(&app, &client, &sink, 2, "redactie@example.org").await;
    let editor = app
        .store
        .account_by_email("redactie@example.org")
        .await
        .expect("read")
        .expect("account");
    app.store
        .set_account_role(Viewer::Admin, editor.id, kb_domain::AccountRole::Editor)
        .await
        .expect("appoint");
    let other_cookie = signed_in(&app, &client, &sink, 3, "iemand@example.org").await;

    let get = |cookie: Option<String>| {
        let mut r = client.get(app.url("/redactie/contacten"));
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        r.send()
    };
    let anonymous = get(None).await.expect("GET");
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&anonymous),
        "/aanmelden?next=%2Fredactie%2Fcontacten"
    );
    let refused = get(Some(other_cookie.clone())).await.expect("GET");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = get(Some(editor_cookie.clone())).await.expect("GET");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.expect("page");
    assert!(
        html.contains("Maatjes voor eerstejaars in Leeuwarden"),
        "{html}"
    );
    let field = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker).expect("field") + marker.len();
        html[start..]
            .chars()
            .take_while(|c| *c != '"')
            .collect::<String>()
    };
    let (csrf, review) = (field("csrf"), field("review"));

    // A POST without the CSRF token is refused; the address stays.
    let r = post(
        &client,
        &app,
        "/redactie/contacten",
        from_site(&app, Some(&editor_cookie)),
        form(&[("review", &review), ("actie", "REMOVE")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        mentions(&db, "jan.jansen").await,
        ["initiative.contact_email"]
    );

    let r = post(
        &client,
        &app,
        "/redactie/contacten",
        from_site(&app, Some(&editor_cookie)),
        form(&[("csrf", &csrf), ("review", &review), ("actie", "REMOVE")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/redactie/contacten?melding=afgehandeld");
    assert_eq!(mentions(&db, "jan.jansen").await, Vec::<String>::new());
    let current = app
        .store
        .revisions_of_initiatives(Viewer::Editor, &[initiative])
        .await
        .expect("history");
    let newest = &current[&initiative][0];
    assert_eq!(newest.actor, "redactie");
    assert_eq!(
        newest.after.as_ref().map(|a| a.contact_email.clone()),
        Some(None)
    );
    let again = post(
        &client,
        &app,
        "/redactie/contacten",
        from_site(&app, Some(&editor_cookie)),
        form(&[("csrf", &csrf), ("review", &review), ("actie", "REMOVE")]),
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let empty = get(Some(editor_cookie)).await.expect("GET");
    assert!(
        empty
            .text()
            .await
            .expect("page")
            .contains("Er wacht niets.")
    );
}
