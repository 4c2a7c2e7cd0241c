//! E-mail notifications of the moderation workflow, through the real server's notifier
//! and a real SMTP server (aiosmtpd), on both databases: people signed in through the
//! store, writes made as them (submit, reject, publish, send back), and the messages that
//! arrive — their recipients, subjects, language, link and quoted reason — exactly once
//! each, also with two instances sending; and a mail server that is down at first, whose
//! messages arrive once it is up while the write succeeded at once.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kb_domain::account::AccountRole;
use kb_domain::input::InitiativeInput;
use kb_domain::workflow::Action;
use kb_domain::{InitiativeKind, Language, NodeId, OrganisationRole, Status, Viewer};
use kb_store::{Account, Actor, EMAIL_ISSUER, Identity};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::Value;

use crate::mail_sink::Sink;
use crate::support::{Db, TestApp, config, free_port};
use crate::with_mail;

const PUBLIC: &str = "https://kennisbank.example";

/// The flags of a server that mails through `smtp`, links to [`PUBLIC`], looks for news
/// every 0.2 s and retries after a second.
fn flags(smtp: &str) -> kb_server::ServerConfig {
    config(&[
        "--smtp-url",
        smtp,
        "--mail-from",
        "Kennisbank <kb@example.org>",
        "--public-url",
        PUBLIC,
        "--notify-interval-secs",
        "0.2",
        "--notify-retry-secs",
        "1",
    ])
}

/// A server on `db` with [`flags`], answering once the notifier has noted where the
/// outbox starts.
async fn spawn(db: Db, smtp: &str) -> TestApp {
    let app = TestApp::spawn_with(db, flags(smtp)).await;
    let db = connect(&app).await;
    let started = Instant::now();
    while count(&db, "SELECT COUNT(*) FROM notification_cursor").await == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the outbox's start was never noted"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app
}

async fn connect(app: &TestApp) -> DatabaseConnection {
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

/// A person who signs in by e-mail link.
fn person(email: &str, name: &str, language: Language) -> Identity {
    Identity {
        issuer: EMAIL_ISSUER.to_owned(),
        subject: email.to_owned(),
        email: Some(email.to_owned()),
        name: name.to_owned(),
        language,
        home_organisation: None,
        affiliation: None,
    }
}

/// The people of a test: a contributor of Hogeschool Waddenpoort (Dutch), an editor
/// (English) and an admin (Dutch).
struct People {
    contributor: Account,
    editor: Account,
    admin: Account,
    org: kb_domain::OrganisationId,
}

async fn people(app: &TestApp) -> People {
    let org = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("organisation")
        .id;
    app.store
        .set_organisation_membership(Viewer::Editor, org, &["waddenpoort.nl".to_owned()], true)
        .await
        .expect("domains");
    let contributor = app
        .store
        .sign_in_account(&person("joke@waddenpoort.nl", "Joke Visser", Language::Nl))
        .await
        .expect("contributor");
    assert_eq!(contributor.organisation_id, Some(org));
    let appoint = async |email: &str, name: &str, language, role| {
        let a = app
            .store
            .sign_in_account(&person(email, name, language))
            .await
            .expect("sign in");
        app.store
            .set_account_role(Viewer::Admin, a.id, role)
            .await
            .expect("appoint")
    };
    let editor = appoint(
        "ed@netwerk.example",
        "Ed Editor",
        Language::En,
        AccountRole::Editor,
    )
    .await;
    let admin = appoint(
        "anne@netwerk.example",
        "Anne Admin",
        Language::Nl,
        AccountRole::Admin,
    )
    .await;
    People {
        contributor,
        editor,
        admin,
        org,
    }
}

async fn draft(
    app: &TestApp,
    by: &Account,
    org: kb_domain::OrganisationId,
    title: &str,
) -> kb_domain::InitiativeId {
    app.store
        .create_initiative(
            &Actor::of_account(by),
            InitiativeInput {
                title: Some(title.to_owned()),
                summary: Some("Een samenvatting.".into()),
                kind: Some(InitiativeKind::Tool),
                themes: Some(vec!["support".into()]),
                topics: Some(vec!["resilience".into()]),
                organisations: Some(vec![(org, OrganisationRole::Lead)]),
                ..Default::default()
            },
        )
        .await
        .expect("create")
        .id
}

/// The messages from `from` (0-based) to `to`, by recipient.
async fn arrived(sink: &Sink, from: usize, to: usize) -> BTreeMap<String, Value> {
    sink.message(to).await;
    sink.messages()[from..to]
        .iter()
        .map(|m| (m["to"][0].as_str().expect("to").to_owned(), m.clone()))
        .collect()
}

/// A part of a message with the wire's CRLF line ends as `\n`.
fn text(m: &Value, part: &str) -> String {
    m[part].as_str().expect(part).replace("\r\n", "\n")
}

with_mail!(the_workflow_mails_editors_and_the_submitter_in_their_language);
async fn the_workflow_mails_editors_and_the_submitter_in_their_language(db_kind: Db) {
    let sink = Sink::start();
    let app = spawn(db_kind, &sink.url()).await;
    let p = people(&app).await;
    let title = "Samen sterk: peersupport & <veerkracht>";
    let id = draft(&app, &p.contributor, p.org, title).await;
    let gid = id.global().encode();
    let as_contributor = Actor::of_account(&p.contributor);
    let as_editor = Actor::of_account(&p.editor);
    app.store
        .transition_initiative(&as_contributor, id, Action::Submit, None, None)
        .await
        .expect("submit");

    // The submission: to the editor in English, to the admin in Dutch, each with the
    // review page.
    let review = format!("{PUBLIC}/redactie/{gid}");
    let submitted = arrived(&sink, 0, 2).await;
    assert_eq!(
        submitted.keys().collect::<Vec<_>>(),
        ["anne@netwerk.example", "ed@netwerk.example"]
    );
    let ed = &submitted["ed@netwerk.example"];
    assert_eq!(ed["from"], "kb@example.org");
    assert_eq!(ed["subject"], format!("Submitted for review: {title}"));
    assert_eq!(
        text(ed, "text"),
        format!(
            "Hello Ed Editor,\n\n‘{title}’ was submitted and awaits your review.\n\n\
             Review it here:\n{review}\n\n-- \n\
             You receive this message because you have an account with Kennisbank.\n"
        )
    );
    let html = text(ed, "html");
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(
        html.contains(
            "‘<strong>Samen sterk: peersupport &amp; &lt;veerkracht&gt;</strong>’ was submitted"
        ),
        "{html}"
    );
    assert!(
        html.contains(&format!("<a href=\"{review}\">{review}</a>")),
        "{html}"
    );
    let anne = &submitted["anne@netwerk.example"];
    assert_eq!(
        anne["subject"],
        format!("Ter beoordeling ingediend: {title}")
    );
    assert!(text(anne, "text").starts_with("Hallo Anne Admin,\n\n"));
    assert!(text(anne, "text").contains(&format!("Beoordeel het hier:\n{review}\n")));
    assert!(text(anne, "html").contains("<html lang=\"nl\">"));

    // The rejection: to the contributor, in Dutch, with the reason and their workspace.
    let reason = "Voeg een bron toe & noem de doelgroep.\nDank!";
    app.store
        .transition_initiative(&as_editor, id, Action::Reject, None, Some(reason.into()))
        .await
        .expect("reject");
    let workspace = format!("{PUBLIC}/mijn-initiatieven/{gid}");
    let rejected = arrived(&sink, 2, 3).await;
    let joke = &rejected["joke@waddenpoort.nl"];
    assert_eq!(joke["subject"], format!("Afgewezen: {title}"));
    assert_eq!(
        text(joke, "text"),
        format!(
            "Hallo Joke Visser,\n\nUw inzending ‘{title}’ is afgewezen.\n\nDe reden:\n\n\
             > Voeg een bron toe & noem de doelgroep.\n> Dank!\n\n\
             Pas het aan en dien het opnieuw in:\n{workspace}\n\n-- \n\
             U krijgt dit bericht omdat u een account heeft bij Kennisbank.\n"
        )
    );
    let html = text(joke, "html");
    assert!(
        html.contains(
            "<blockquote>Voeg een bron toe &amp; noem de doelgroep.<br>Dank!</blockquote>"
        ),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"{workspace}\"")), "{html}");

    // Submitted again and published: the editors hear of the submission, the contributor
    // of the publication.
    app.store
        .transition_initiative(&as_contributor, id, Action::Submit, None, None)
        .await
        .expect("resubmit");
    let again = arrived(&sink, 3, 5).await;
    assert_eq!(
        again.keys().collect::<Vec<_>>(),
        ["anne@netwerk.example", "ed@netwerk.example"]
    );
    app.store
        .transition_initiative(&as_editor, id, Action::Publish, None, None)
        .await
        .expect("publish");
    let published = arrived(&sink, 5, 6).await;
    let joke = &published["joke@waddenpoort.nl"];
    assert_eq!(joke["subject"], format!("Gepubliceerd: {title}"));
    assert!(text(joke, "text").contains(&format!("Bekijk het hier:\n{workspace}\n")));

    // Each once: nothing more arrives, and every row of the outbox is sent.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(sink.messages().len(), 6);
    let db = connect(&app).await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM notification").await, 6);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM notification WHERE sent_at IS NULL"
        )
        .await,
        0
    );
    // The admin's own decision is nobody's news but the contributor's.
    let other = draft(&app, &p.contributor, p.org, "Tweede werk").await;
    app.store
        .transition_initiative(
            &Actor::of_account(&p.admin),
            other,
            Action::Submit,
            None,
            None,
        )
        .await
        .expect("submit as admin");
    let only_editor = arrived(&sink, 6, 7).await;
    assert_eq!(
        only_editor.keys().collect::<Vec<_>>(),
        ["ed@netwerk.example"]
    );
    // Sent back with a note: the admin who submitted it is told, in Dutch, on the desk.
    app.store
        .transition_initiative(
            &as_editor,
            other,
            Action::SendBack,
            None,
            Some("Kort de titel in.".into()),
        )
        .await
        .expect("send back");
    let back = arrived(&sink, 7, 8).await;
    let anne = &back["anne@netwerk.example"];
    assert_eq!(anne["subject"], "Teruggestuurd: Tweede werk");
    let desk = format!("{PUBLIC}/redactie/{}", other.global().encode());
    assert_eq!(
        text(anne, "text"),
        format!(
            "Hallo Anne Admin,\n\nUw inzending ‘Tweede werk’ is teruggestuurd naar concept.\n\n\
             De opmerking van de redactie:\n\n> Kort de titel in.\n\n\
             Pas het aan en dien het opnieuw in:\n{desk}\n\n-- \n\
             U krijgt dit bericht omdat u een account heeft bij Kennisbank.\n"
        )
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sink.messages().len(), 8);
}

with_mail!(a_mail_server_down_at_first_gets_the_message_once_it_is_up);
async fn a_mail_server_down_at_first_gets_the_message_once_it_is_up(db_kind: Db) {
    // Nothing listens on the port yet.
    let port = free_port();
    let app = spawn(db_kind, &format!("smtp://127.0.0.1:{port}")).await;
    let p = people(&app).await;
    let id = draft(&app, &p.contributor, p.org, "Ondanks alles").await;
    let started = Instant::now();
    let submitted = app
        .store
        .transition_initiative(
            &Actor::of_account(&p.contributor),
            id,
            Action::Submit,
            None,
            None,
        )
        .await
        .expect("the write succeeds without a mail server");
    assert_eq!(submitted.status, Status::Submitted);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // Both messages fail, are recorded as connection failures and wait for their retry.
    let db = connect(&app).await;
    let failed = "SELECT COUNT(*) FROM notification WHERE sent_at IS NULL AND attempts >= 1 \
                  AND last_error_kind = 'connection'";
    let waiting = Instant::now();
    while count(&db, failed).await < 2 {
        assert!(
            waiting.elapsed() < Duration::from_secs(10),
            "the failed attempts were not recorded"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let metrics = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    assert!(
        metrics.contains("kb_notifications_pending 2\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("kb_notifications_failed_total{kind=\"connection\"}"),
        "{metrics}"
    );

    // The mail server comes up: the retries deliver both, once each.
    let sink = Sink::start_on(port);
    let delivered: BTreeMap<String, String> = {
        sink.message_within(2, Duration::from_secs(20)).await;
        sink.messages()
            .iter()
            .map(|m| {
                (
                    m["to"][0].as_str().expect("to").to_owned(),
                    m["subject"].as_str().expect("subject").to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        delivered,
        BTreeMap::from([
            (
                "anne@netwerk.example".to_owned(),
                "Ter beoordeling ingediend: Ondanks alles".to_owned()
            ),
            (
                "ed@netwerk.example".to_owned(),
                "Submitted for review: Ondanks alles".to_owned()
            ),
        ])
    );
    let sent = "SELECT COUNT(*) FROM notification WHERE sent_at IS NOT NULL";
    let waiting = Instant::now();
    while count(&db, sent).await < 2 {
        assert!(
            waiting.elapsed() < Duration::from_secs(5),
            "not marked sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sink.messages().len(), 2);
}

with_mail!(two_instances_send_each_message_once);
async fn two_instances_send_each_message_once(db_kind: Db) {
    let sink = Sink::start();
    let first = spawn(db_kind, &sink.url()).await;
    let second = TestApp::spawn_on(&first.database_url, flags(&sink.url())).await;
    let p = people(&first).await;
    let contributor = Actor::of_account(&p.contributor);
    for n in 1..=5 {
        let id = draft(&first, &p.contributor, p.org, &format!("Gedeeld werk {n}")).await;
        // Through either instance's store: both notifiers follow the one change log.
        let store = if n % 2 == 0 {
            &first.store
        } else {
            &second.store
        };
        store
            .transition_initiative(&contributor, id, Action::Submit, None, None)
            .await
            .expect("submit");
    }
    sink.message(10).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let mut got: Vec<(String, String)> = sink
        .messages()
        .iter()
        .map(|m| {
            (
                m["to"][0].as_str().expect("to").to_owned(),
                m["subject"].as_str().expect("subject").to_owned(),
            )
        })
        .collect();
    got.sort();
    let mut expected = Vec::new();
    for n in 1..=5 {
        expected.push((
            "anne@netwerk.example".to_owned(),
            format!("Ter beoordeling ingediend: Gedeeld werk {n}"),
        ));
        expected.push((
            "ed@netwerk.example".to_owned(),
            format!("Submitted for review: Gedeeld werk {n}"),
        ));
    }
    expected.sort();
    assert_eq!(got, expected);
}
