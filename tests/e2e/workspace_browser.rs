//! The whole way of an initiative through the website in Chromium
//! (`tests/browser/workspace.mjs`), with a real OpenID provider (`tests/oidc`) whose own
//! login page people sign in at: shared by keyboard, corrected, submitted, rejected with a
//! reason, submitted again, published; then on its public page, in search, in the Atom
//! feed and on a live subscription; the mails of each step arrive at a real SMTP server
//! (aiosmtpd) with the reason and the link. axe-core checks every page of signed-in
//! people.

use kb_domain::{NodeId, OrganisationId, Role, Viewer};
use kb_store::Actor;
use serde_json::{Value, json};

use crate::live::Client;
use crate::mail_sink::Sink;
use crate::oidc::Provider;
use crate::support::{Db, TestApp, at, config, free_port};
use crate::tools;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_an_initiative_goes_from_a_contributor_through_an_editor_to_the_public() {
    let browser = tools::chromium();
    let dir = tools::node_packages("tests/browser");
    let port = free_port();
    let issuer = format!("http://127.0.0.1:{port}");
    let sink = Sink::start();
    let smtp = sink.url();
    let app = TestApp::spawn_with(
        Db::Sqlite,
        config(&[
            "--smtp-url",
            &smtp,
            "--notify-interval-secs",
            "0.2",
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
    // People of waddenpoort.example become contributors of that university of applied
    // sciences at their first sign-in.
    let org = app
        .data(
            r#"{ organisation(slug: "hogeschool-waddenpoort") { id } }"#,
            json!({}),
        )
        .await;
    let org = OrganisationId::decode("id", at(&org, "organisation.id").as_str().expect("id"))
        .expect("organisation id");
    app.store
        .set_organisation_membership(
            Viewer::Editor,
            org,
            &["waddenpoort.example".to_owned()],
            true,
        )
        .await
        .expect("membership");
    let admin = app
        .store
        .create_api_key(&Actor::cli(), "admin", Role::Admin, None, None)
        .await
        .expect("key")
        .secret;
    let vocab = app
        .data(
            "{ vocabularies { initiativeKinds { value label } } themes { code } topics { code } }",
            json!({}),
        )
        .await;
    let kind_label = at(&vocab, "vocabularies.initiativeKinds")
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["value"] == "TRAINING")
        .map(|k| k["label"].as_str().expect("label").to_owned())
        .expect("TRAINING");
    let title = "Zwaluwstaartproject voor eerstejaars";
    // A live subscriber waits for what is published.
    let mut live = Client::connect(&app, json!({}), None).await;
    live.subscribe(
        "published",
        "subscription { initiativePublished { title status } }",
        json!({}),
    )
    .await;
    let expect = json!({
        "contributor": "ann@waddenpoort.example",
        "editor": "eva@kennisbank.example",
        "adminKey": admin,
        "title": title,
        "summary": "Ouderejaars",
        "betterSummary": "Ouderejaars begeleiden eerstejaars in kleine groepjes, met een training vooraf en intervisie elke maand.",
        "kindLabel": kind_label,
        "theme": at(&vocab, "themes")[0]["code"],
        "topic": at(&vocab, "topics")[0]["code"],
        "reason": "Beschrijf wie de begeleiders opleidt en hoe vaak zij elkaar zien.",
        "searchWord": "zwaluwstaartproject",
    });
    let shots = tools::root().join("target/screenshots");
    let out = tokio::process::Command::new("node")
        .arg("workspace.mjs")
        .current_dir(&dir)
        .env("BASE", app.url(""))
        .env("PROVIDER", &provider.issuer)
        .env("SHOTS", &shots)
        .env("CHROMIUM", browser)
        .env("EXPECT", expect.to_string())
        .kill_on_drop(true)
        .output()
        .await
        .expect("node workspace.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the browser run failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("browser: all passed"), "{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    // The mails of each step, in order: the rejection with its reason to the contributor,
    // the second submission to the editor (appointed after the first), the publication.
    let mails: Vec<(String, String, String)> = {
        sink.message(3).await;
        sink.messages()
            .iter()
            .map(|m| {
                (
                    m["to"][0].as_str().expect("to").to_owned(),
                    m["subject"].as_str().expect("subject").to_owned(),
                    m["text"].as_str().expect("text").replace("\r\n", "\n"),
                )
            })
            .collect()
    };
    let to_and_subject: Vec<(&str, &str)> = mails
        .iter()
        .map(|(to, subject, _)| (to.as_str(), subject.as_str()))
        .collect();
    assert_eq!(
        to_and_subject,
        [
            (
                "ann@waddenpoort.example",
                format!("Afgewezen: {title}").as_str()
            ),
            (
                "eva@kennisbank.example",
                format!("Ter beoordeling ingediend: {title}").as_str()
            ),
            (
                "ann@waddenpoort.example",
                format!("Gepubliceerd: {title}").as_str()
            ),
        ],
        "{mails:#?}"
    );
    let rejection = &mails[0].2;
    assert!(
        rejection.contains(expect["reason"].as_str().expect("reason")),
        "{rejection}"
    );
    // Its link leads to the initiative's form, after signing in for one who has not.
    let link = rejection
        .lines()
        .find(|l| l.starts_with(&app.url("/mijn-initiatieven/")))
        .expect("a link to the workspace")
        .to_owned();
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(&link)
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    let path = link.trim_start_matches(&app.url(""));
    assert_eq!(
        r.headers()["location"],
        format!("/aanmelden?next={}", path.replace('/', "%2F"))
    );
    // The subscriber got the publication, and only it.
    let m: Value = live.receive().await;
    assert_eq!(m["type"], "next", "{m}");
    assert_eq!(
        m["payload"]["data"]["initiativePublished"],
        json!({ "title": title, "status": "PUBLISHED" })
    );
}
