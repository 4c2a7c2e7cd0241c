//! `kennisbank import`, `dump` and `backup`: validation with every bad line and column
//! reported and nothing written, codes and labels, idempotence, dry runs, the dump and
//! restore round trip on both databases and from SQLite to PostgreSQL, and a backup taken
//! while a writer writes.

use std::path::Path;
use std::sync::{Arc, Mutex};

use kb_domain::import::ImportKind;
use kb_domain::input::InitiativeInput;
use kb_domain::{ErrorCode, InitiativeKind, OrganisationId, OrganisationRole, Viewer};
use kb_exchange::import::{ImportOutcome, import_file, import_records};
use kb_store::{Actor, Dump, Store};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::json;

use crate::on_both;
use crate::postgres;
use crate::support::{Db, TestApp};

/// What a database holds, in numbers: organisations, initiatives, events, links,
/// revisions, and the head of the change log.
async fn census(store: &Store) -> (usize, usize, usize, usize, usize, i64) {
    let c = store.dump(Viewer::Admin).await.expect("dump").counts();
    let head = store.change_log_head().await.expect("head");
    (
        c.organisations,
        c.initiatives,
        c.events,
        c.links,
        c.revisions,
        head,
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

/// Runs the `kennisbank` binary on the app's database: (success, stderr).
async fn cli(app: &TestApp, args: &[&str]) -> (bool, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_kennisbank"))
        .arg("--database-url")
        .arg(&app.database_url)
        .args(args)
        .env("KB_LOG", "warn")
        .env("RUST_BACKTRACE", "0")
        .output()
        .await
        .expect("run kennisbank");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_of(dump: &Dump) -> String {
    serde_json::to_string_pretty(dump).expect("dump as JSON")
}

const BAD_CSV: &str = "\
slug,title,kind,themes,topics,lead_organisation,start_year,end_year,website
goed-een,Goed een,guide,support,resilience,hogeschool-waddenpoort,2024,,
slecht-twee,Slecht twee,gids,support,resilience,hogeschool-waddenpoort,,,
Slecht Drie,Slecht drie,tool,vrije tijd,resilience,nobody,2024,2020,javascript:alert(1)
goed-vier,\"Goed
vier\",TOOL,Begeleiding,Mental resilience,Hogeschool Waddenpoort,,,
goed-een,Dubbel,guide,support,resilience,hogeschool-waddenpoort,twintig,,
";

on_both!(a_file_with_bad_rows_is_reported_line_by_line_and_nothing_is_written);
async fn a_file_with_bad_rows_is_reported_line_by_line_and_nothing_is_written(app: TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(dir.path(), "bad.csv", BAD_CSV);
    let before = census(&app.store).await;
    let (ok, stderr) = cli(&app, &["import", file.to_str().expect("path")]).await;
    assert!(!ok, "a bad file fails: {stderr}");
    let name = file.display().to_string();
    let reported: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&name)).collect();
    let expected = [
        concat!(
            "line 3, kind: unknown value `gids`; a code or label of guide, research, tool, ",
            "training, education_practice, support_group, community, tips, policy_document, ",
            "campaign",
        ),
        "line 4, slug: a slug is 1 to 80 lower case letters, digits and single hyphens",
        "line 4, themes: unknown theme `vrije tijd` (a code or a label)",
        "line 4, lead_organisation: unknown organisation `nobody` (a slug or a name)",
        "line 4, website: URL must start with http:// or https://",
        "line 4, end_year: end year may not be before start year 2024, got 2020",
        "line 7, start_year: a year is a whole number, got `twintig`",
        "line 7, slug: the slug `goed-een` is also on line 2",
    ]
    .map(|l| format!("{name}: {l}"));
    assert_eq!(
        reported,
        expected.iter().map(String::as_str).collect::<Vec<_>>(),
        "{stderr}"
    );
    assert!(stderr.contains("8 problems in"), "{stderr}");
    assert_eq!(census(&app.store).await, before, "nothing was written");

    // The same file through the library: the report has the same (line, column) pairs.
    let outcome = import_file(&app.store, &Actor::cli(), &file, false)
        .await
        .expect("import");
    let ImportOutcome::Invalid(errors) = outcome else {
        panic!("invalid expected: {outcome:?}")
    };
    let at: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        at,
        vec![
            (3, "kind"),
            (4, "slug"),
            (4, "themes"),
            (4, "lead_organisation"),
            (4, "website"),
            (4, "end_year"),
            (7, "start_year"),
            (7, "slug")
        ]
    );
    assert_eq!(census(&app.store).await, before);
}

on_both!(a_record_the_database_refuses_fails_the_whole_file);
async fn a_record_the_database_refuses_fails_the_whole_file(app: TestApp) {
    // Valid records, but one is new without a kind and one would publish without a
    // topic: both found against the database, nothing written, the good row neither.
    let dir = tempfile::tempdir().expect("dir");
    let text = concat!(
        "slug,title,kind,status,themes,topics,lead_organisation\n",
        "nieuw-goed,Nieuw goed,guide,,support,resilience,hogeschool-waddenpoort\n",
        "nieuw-zonder-soort,Zonder soort,,,support,,hogeschool-waddenpoort\n",
        "nieuw-publiek,Publiek,guide,published,support,,hogeschool-waddenpoort\n",
    );
    let file = write(dir.path(), "refused.csv", text);
    let before = census(&app.store).await;
    let outcome = import_file(&app.store, &Actor::cli(), &file, false)
        .await
        .expect("import");
    let ImportOutcome::Invalid(errors) = outcome else {
        panic!("invalid expected: {outcome:?}")
    };
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        vec![
            "line 3, kind: an initiative needs a kind",
            "line 4, summary: a summary is required to submit (published)",
        ]
    );
    assert_eq!(census(&app.store).await, before);
}

on_both!(codes_and_labels_in_either_language_are_accepted_and_a_second_import_changes_nothing);
async fn codes_and_labels_in_either_language_are_accepted_and_a_second_import_changes_nothing(
    app: TestApp,
) {
    let dir = tempfile::tempdir().expect("dir");
    let records = json!([
        {
            "slug": "import-labels", "title": "Samen sterker",
            "summary": "Pinguinkringen voor eerstejaars.", "kind": "online support group",
            "status": "PUBLISHED", "themes": ["Begeleiding", "Prevention"],
            "topics": ["mental resilience"], "lead_organisation": "Hogeschool Waddenpoort",
            "partners": ["esdorpen-college"], "languages": ["NL"],
            "target_groups": ["Eerstejaarsstudenten", "Lecturers"],
            "education_levels": "hbo_bachelor;WO_BACHELOR", "format": "Hybrid",
            "region": "Noord-Holland", "evidence_level": "not_assessed", "start_year": 2025,
            "website": "https://samen.example",
        },
        {
            "slug": "import-codes", "title": "Codes alleen", "kind": "tool", "themes": "support",
            "topics": "resilience", "lead_organisation": "hogeschool-waddenpoort", "region": null,
        },
    ]);
    let file = write(
        dir.path(),
        "records.json",
        &serde_json::to_string_pretty(&records).expect("json"),
    );
    let editor = editor_key(&app.store).await;
    let before = census(&app.store).await;
    let actor = Actor {
        name: "cli import (records.json)".into(),
        ..Actor::cli()
    };
    let outcome = import_file(&app.store, &actor, &file, false)
        .await
        .expect("import");
    let ImportOutcome::Imported(r) = outcome else {
        panic!("imported expected: {outcome:?}")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (2, 0, 0, true)
    );
    let after = census(&app.store).await;
    assert_eq!(after.1, before.1 + 2);
    assert_eq!(after.4, before.4 + 2, "one revision per initiative");
    assert_eq!(after.5, before.5 + 2, "one change-log row per initiative");
    app.caught_up().await;
    let q = r#"{
      initiative(slug: "import-labels") {
        title kind status format region evidenceLevel startYear languages targetGroups
        educationLevels website themes { code } topics { code }
        organisations { role organisation { slug } } revisions { action actor version }
      }
    }"#;
    let i = app.gql_as(&editor, q, json!({})).await["data"]["initiative"].clone();
    assert_eq!(i["kind"], "SUPPORT_GROUP");
    assert_eq!(i["status"], "PUBLISHED");
    assert_eq!(i["format"], "HYBRID");
    assert_eq!(i["region"], "NOORD_HOLLAND");
    assert_eq!(i["evidenceLevel"], "NOT_ASSESSED");
    assert_eq!(i["startYear"], 2025);
    assert_eq!(i["languages"], json!(["nl"]));
    assert_eq!(
        i["targetGroups"],
        json!(["FIRST_YEAR_STUDENTS", "LECTURERS"])
    );
    assert_eq!(i["educationLevels"], json!(["HBO_BACHELOR", "WO_BACHELOR"]));
    assert_eq!(
        i["themes"],
        json!([{ "code": "prevention" }, { "code": "support" }])
    );
    assert_eq!(i["topics"], json!([{ "code": "resilience" }]));
    assert_eq!(
        i["organisations"],
        json!([
            { "role": "LEAD", "organisation": { "slug": "hogeschool-waddenpoort" } },
            { "role": "PARTNER", "organisation": { "slug": "esdorpen-college" } }
        ])
    );
    assert_eq!(
        i["website"], "https://samen.example/",
        "URLs are stored normalised"
    );
    let public = app
        .data(
            r#"{ search(query: "pinguinkringen") { nodes { initiative { slug } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        public["search"]["nodes"],
        json!([{ "initiative": { "slug": "import-labels" } }]),
        "the index follows the import"
    );

    // Again: nothing changes, no revision, no change-log row.
    let ImportOutcome::Imported(r) = import_file(&app.store, &actor, &file, false)
        .await
        .expect("again")
    else {
        panic!("imported expected")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (0, 0, 2, false)
    );
    assert_eq!(census(&app.store).await, after);

    // A dry run of a changed file says what would change and writes nothing.
    let mut changed = records.clone();
    changed[1]["title"] = json!("Codes alleen, herzien");
    changed[1]["region"] = json!("utrecht");
    let file = write(
        dir.path(),
        "changed.json",
        &serde_json::to_string(&changed).expect("json"),
    );
    let ImportOutcome::Imported(r) = import_file(&app.store, &actor, &file, true)
        .await
        .expect("dry run")
    else {
        panic!("imported expected")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (0, 1, 1, false)
    );
    assert_eq!(census(&app.store).await, after);
    let ImportOutcome::Imported(r) = import_file(&app.store, &actor, &file, false)
        .await
        .expect("update")
    else {
        panic!("imported expected")
    };
    assert_eq!((r.created, r.updated, r.unchanged), (0, 1, 1));
    app.caught_up().await;
    let query = r#"{
      initiative(slug: "import-codes") {
        title region status version revisions { action actor version }
      }
    }"#;
    let i = app.gql_as(&editor, query, json!({})).await["data"]["initiative"].clone();
    assert_eq!(i["title"], "Codes alleen, herzien");
    assert_eq!(i["region"], "UTRECHT");
    assert_eq!(i["status"], "DRAFT");
    assert_eq!(i["version"], 2);
    assert_eq!(
        i["revisions"],
        json!([
            { "action": "import", "actor": "cli import (records.json)", "version": 2 },
            { "action": "import", "actor": "cli import (records.json)", "version": 1 }
        ])
    );
}

/// An empty, migrated database of the same kind as `app`'s: its URL, and the folder that
/// holds it on SQLite.
async fn empty_database(db: Db) -> (String, Option<tempfile::TempDir>) {
    match db {
        Db::Sqlite => {
            let dir = tempfile::tempdir().expect("dir");
            (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("restored.db").display()
                ),
                Some(dir),
            )
        }
        Db::Postgres => {
            let server = postgres::server_url();
            let name = format!("kb_restore_{}_{}", std::process::id(), rand_suffix());
            postgres::create_database(&server, &name, None).await;
            (format!("{server}/{name}"), None)
        }
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Makes some history: an import, so the dump has revisions too.
async fn with_history(app: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(
        dir.path(),
        "h.csv",
        concat!(
            "slug,title,kind,themes,topics,lead_organisation,summary\n",
            "geschiedenis,Geschiedenis,guide,support,resilience,hogeschool-waddenpoort,",
            "Een samenvatting\n",
        ),
    );
    let outcome = import_file(&app.store, &Actor::cli(), &file, false)
        .await
        .expect("import");
    assert!(matches!(outcome, ImportOutcome::Imported(_)), "{outcome:?}");
}

on_both!(a_dump_restores_into_an_empty_database_and_dumps_again_the_same);
async fn a_dump_restores_into_an_empty_database_and_dumps_again_the_same(app: TestApp) {
    with_history(&app).await;
    // An editor's entry of the lexicon of search, with its revision.
    app.store
        .set_lexicon_entry(
            &Actor::cli(),
            "aftercare",
            &["nazorg".to_owned()],
            &["aftercare".to_owned()],
        )
        .await
        .expect("lexicon entry");
    let lexicon = app.store.lexicon(Viewer::Anonymous).await.expect("lexicon");
    assert_eq!(lexicon.len(), 120);
    let dump = app.store.dump(Viewer::Admin).await.expect("dump");
    let code = |e: kb_store::StoreError| match e {
        kb_store::StoreError::Domain(d) => Some(d.code),
        _ => None,
    };
    // The whole knowledge bank, drafts and revisions included, is for editors and admins.
    let partner = app.store.dump(Viewer::Partner).await.map(|d| d.counts());
    assert_eq!(partner.map_err(code), Err(Some(ErrorCode::Forbidden)));
    let anonymous = app.store.dump(Viewer::Anonymous).await.map(|d| d.counts());
    assert_eq!(
        anonymous.map_err(code),
        Err(Some(ErrorCode::Unauthenticated))
    );
    let c = dump.counts();
    assert_eq!(
        (
            c.organisations,
            c.initiatives,
            c.events,
            c.links,
            c.revisions
        ),
        (35, 78, 16, 32, 2)
    );
    assert!(
        app.store
            .restore_refusal(&dump)
            .await
            .expect("check")
            .is_some(),
        "not into a database with content"
    );

    let (url, _dir) = empty_database(app.db).await;
    let target = Store::connect(&url).await.expect("connect");
    target.migrate().await.expect("migrate");
    target
        .seed_taxonomy()
        .await
        .expect("a taxonomy is replaced by the dump's");
    let contributor = Actor {
        viewer: Viewer::Contributor {
            organisation_id: OrganisationId(1),
        },
        ..Actor::cli()
    };
    let refused = target.restore(&contributor, dump.clone()).await;
    assert_eq!(refused.map_err(code), Err(Some(ErrorCode::Forbidden)));
    target
        .restore(&Actor::cli(), dump.clone())
        .await
        .expect("restore");
    let again = target.dump(Viewer::Admin).await.expect("dump again");
    assert_eq!(json_of(&again), json_of(&dump));
    // The seeded lexicon was replaced by the dump's, the editor's entry included.
    assert_eq!(
        target.lexicon(Viewer::Anonymous).await.expect("lexicon"),
        lexicon
    );
    // New rows continue after the restored ids.
    let input = InitiativeInput {
        title: Some("Na het terugzetten".into()),
        kind: Some(InitiativeKind::Tool),
        organisations: Some(vec![(OrganisationId(1), OrganisationRole::Lead)]),
        ..Default::default()
    };
    let created = target
        .create_initiative(&Actor::cli(), input)
        .await
        .expect("create after restore");
    assert_eq!(created.id.0, 79);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dump_of_sqlite_restores_into_postgresql_through_the_cli() {
    if postgres::skipped("import::a_dump_of_sqlite_restores_into_postgresql_through_the_cli") {
        return;
    }
    let server = postgres::server_url();
    let app = TestApp::spawn(Db::Sqlite).await;
    with_history(&app).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("kennisbank.json");
    let (ok, stderr) = cli(&app, &["dump", "--output", file.to_str().expect("path")]).await;
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains(
            "Dumped 35 organisations, 78 initiatives, 16 events, 32 links and 1 revisions."
        ),
        "{stderr}"
    );

    let name = format!("kb_from_sqlite_{}_{}", std::process::id(), rand_suffix());
    postgres::create_database(&server, &name, None).await;
    let url = format!("{server}/{name}");
    let pg = TestApp::spawn_on(&url, crate::support::config(&[])).await;
    let (ok, stderr) = cli(&pg, &["import", file.to_str().expect("path"), "--dry-run"]).await;
    assert!(!ok, "the server seeded a demo set: not empty ({stderr})");
    drop(pg);

    let name = format!(
        "kb_from_sqlite_empty_{}_{}",
        std::process::id(),
        rand_suffix()
    );
    postgres::create_database(&server, &name, None).await;
    let url = format!("{server}/{name}");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_kennisbank"))
        .args([
            "--database-url",
            &url,
            "import",
            file.to_str().expect("path"),
        ])
        .env("KB_LOG", "warn")
        .output()
        .await
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = Store::connect(&url).await.expect("connect");
    let from_pg = json_of(&restored.dump(Viewer::Admin).await.expect("dump"));
    let from_sqlite = std::fs::read_to_string(&file).expect("read dump");
    assert_eq!(format!("{from_pg}\n"), from_sqlite);

    // The restored PostgreSQL serves what SQLite served.
    let pg = TestApp::spawn_on(&url, crate::support::config(&[])).await;
    let q = r#"{
      initiative(slug: "geschiedenis") { id title revisions { action } } initiatives { totalCount }
    }"#;
    let before = app
        .gql_as(&editor_key(&app.store).await, q, json!({}))
        .await;
    let after = pg.gql_as(&editor_key(&pg.store).await, q, json!({})).await;
    assert!(before.get("errors").is_none(), "{before}");
    assert_eq!(after, before);
}

async fn editor_key(store: &Store) -> String {
    store
        .create_api_key(
            &Actor::cli(),
            "redactie",
            kb_domain::Role::Editor,
            None,
            None,
        )
        .await
        .expect("key")
        .secret
}

on_both!(a_backup_taken_while_writing_holds_every_acknowledged_write);
async fn a_backup_taken_while_writing_holds_every_acknowledged_write(app: TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir.path().join("copy.db");
    if app.db == Db::Postgres {
        let (ok, stderr) = cli(&app, &["backup", copy.to_str().expect("path")]).await;
        assert!(!ok);
        assert!(stderr.contains("for PostgreSQL use pg_dump"), "{stderr}");
        return;
    }
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (store, acknowledged, stop) = (app.store.clone(), acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let input = InitiativeInput {
                    title: Some(format!("Tijdens de back-up {n}")),
                    kind: Some(InitiativeKind::Tool),
                    organisations: Some(vec![(OrganisationId(1), OrganisationRole::Lead)]),
                    ..Default::default()
                };
                let i = store
                    .create_initiative(&Actor::cli(), input)
                    .await
                    .expect("write");
                acknowledged.lock().expect("lock").push(i.slug);
            }
            n
        })
    };
    while acknowledged.lock().expect("lock").len() < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before: Vec<String> = acknowledged.lock().expect("lock").clone();
    let (ok, stderr) = cli(&app, &["backup", copy.to_str().expect("path")]).await;
    assert!(ok, "{stderr}");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.await.expect("writer");
    assert!(
        written > before.len(),
        "the writer went on during the backup"
    );

    let db = Database::connect(format!("sqlite://{}?mode=ro", copy.display()))
        .await
        .expect("open copy");
    let check = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .expect("check")
        .expect("row");
    assert_eq!(check.try_get_by_index::<String>(0).expect("text"), "ok");
    let copied = Store::connect(&format!("sqlite://{}?mode=rwc", copy.display()))
        .await
        .expect("open copy");
    for slug in &before {
        assert!(
            copied
                .initiatives_by_slugs(Viewer::Editor, std::slice::from_ref(slug))
                .await
                .expect("read")
                .len()
                == 1,
            "{slug} is in the copy"
        );
    }
    let (ok, stderr) = cli(&app, &["backup", copy.to_str().expect("path")]).await;
    assert!(!ok && stderr.contains("exists already"), "{stderr}");
}

const BAD_ORGANISATIONS: &str = concat!(
    "slug,name,kind,region,website,part_of\n",
    "faculteit-gezondheid,Faculteit Gezondheid,Hogeschool,Friesland,",
    "https://waddenpoort.example/gezondheid,Hogeschool Waddenpoort\n",
    "Slecht,Slecht,vereniging,Mars,ftp://slecht.example,nergens\n",
    ",,,,,\n",
    "faculteit-gezondheid,Dubbel,hogeschool,,,\n",
    "universiteit-van-zilverwold,Universiteit van Zilverwold,university,groningen,,",
    "centrum-studentenwelzijn-zilverwold\n",
);

on_both!(organisations_with_bad_rows_are_reported_line_by_line_and_nothing_is_written);
async fn organisations_with_bad_rows_are_reported_line_by_line_and_nothing_is_written(
    app: TestApp,
) {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(dir.path(), "organisaties.csv", BAD_ORGANISATIONS);
    let before = census(&app.store).await;
    let (ok, stderr) = cli(
        &app,
        &[
            "import",
            "--kind",
            "organisations",
            file.to_str().expect("path"),
        ],
    )
    .await;
    assert!(!ok, "a bad file fails: {stderr}");
    let name = file.display().to_string();
    let reported: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&name)).collect();
    let expected = [
        "line 3, slug: a slug is 1 to 80 lower case letters, digits and single hyphens",
        concat!(
            "line 3, kind: unknown value `vereniging`; a code or label of university, ",
            "university_of_applied_sciences, mbo_institution, wellbeing_organisation, ",
            "student_organisation, health_service, knowledge_institute, government, network, other",
        ),
        concat!(
            "line 3, region: unknown value `Mars`; a code or label of national, international, ",
            "groningen, friesland, drenthe, overijssel, flevoland, gelderland, utrecht, ",
            "noord_holland, zuid_holland, zeeland, noord_brabant, limburg",
        ),
        "line 3, website: URL must start with http:// or https://",
        concat!(
            "line 3, part_of: unknown organisation `nergens` (a slug or a name, in the database ",
            "or on an earlier line)",
        ),
        "line 4, name: an organisation needs a name",
        "line 4, kind: an organisation needs a kind",
        "line 4, slug: a record needs a slug, or a name or title to make one from",
        "line 5, slug: the slug `faculteit-gezondheid` is also on line 2",
        concat!(
            "line 6, part_of: an organisation cannot be part of itself (through the organisations ",
            "it is part of)",
        ),
    ]
    .map(|l| format!("{name}: {l}"));
    assert_eq!(
        reported,
        expected.iter().map(String::as_str).collect::<Vec<_>>(),
        "{stderr}"
    );
    assert!(stderr.contains("10 problems in"), "{stderr}");
    assert_eq!(census(&app.store).await, before, "nothing was written");
}

on_both!(organisations_are_upserted_by_slug_with_labels_and_parents_in_the_file);
async fn organisations_are_upserted_by_slug_with_labels_and_parents_in_the_file(app: TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let records = json!([
        {
            "slug": "faculteit-gezondheid-waddenpoort", "name": "Faculteit Gezondheid",
            "kind": "Hogeschool", "region": "friesland", "city": "Leeuwarden",
            "part_of": "Hogeschool Waddenpoort",
            "description_nl": "Opleidingen in zorg en welzijn.",
        },
        {
            "name": "Lectoraat Veerkracht", "kind": "Knowledge institute",
            "part_of": "faculteit-gezondheid-waddenpoort", "region": null,
            "website": "https://veerkracht.example",
        },
        { "slug": "universiteit-van-zilverwold", "city": "Groningen-Noord" },
    ]);
    let file = write(
        dir.path(),
        "organisaties.json",
        &serde_json::to_string_pretty(&records).expect("json"),
    );
    let actor = Actor {
        name: "cli import (organisaties.json)".into(),
        ..Actor::cli()
    };
    let before = census(&app.store).await;
    let import = |dry_run| {
        import_records(
            &app.store,
            &actor,
            &file,
            ImportKind::Organisations,
            dry_run,
        )
    };
    let ImportOutcome::Imported(r) = import(false).await.expect("import") else {
        panic!("imported expected")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (2, 1, 0, true)
    );
    let after = census(&app.store).await;
    assert_eq!(after.0, before.0 + 2);
    assert_eq!(
        after.4,
        before.4 + 3,
        "one revision per created or changed organisation"
    );
    assert_eq!(after.5, before.5 + 3, "one change-log row each");
    app.caught_up().await;
    let q = r#"{
      l: organisation(slug: "lectoraat-veerkracht") {
        name kind region website partOf { slug partOf { slug } }
      }
      u: organisation(slug: "universiteit-van-zilverwold") { name city region version }
    }"#;
    let d = app.data(q, json!({})).await;
    let expected = json!({
        "name": "Lectoraat Veerkracht", "kind": "KNOWLEDGE_INSTITUTE", "region": null,
        "website": "https://veerkracht.example/",
        "partOf": {
            "slug": "faculteit-gezondheid-waddenpoort",
            "partOf": { "slug": "hogeschool-waddenpoort" },
        },
    });
    assert_eq!(d["l"], expected);
    let expected = json!({
        "name": "Universiteit van Zilverwold", "city": "Groningen-Noord", "region": "GRONINGEN",
        "version": 2,
    });
    assert_eq!(d["u"], expected);

    // Again: nothing changes.
    let ImportOutcome::Imported(r) = import(false).await.expect("again") else {
        panic!("imported expected")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (0, 0, 3, false)
    );
    assert_eq!(census(&app.store).await, after);

    // A dry run of a changed file says what would change and writes nothing.
    let mut changed = records.clone();
    changed[2]["city"] = json!("Groningen");
    let file = write(
        dir.path(),
        "organisaties.json",
        &serde_json::to_string(&changed).expect("json"),
    );
    let ImportOutcome::Imported(r) =
        import_records(&app.store, &actor, &file, ImportKind::Organisations, true)
            .await
            .expect("dry run")
    else {
        panic!("imported expected")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (0, 1, 2, false)
    );
    assert_eq!(census(&app.store).await, after);
}

const BAD_EVENTS: &str = concat!(
    "slug,title,kind,status,starts_at,ends_at,organisers,themes,initiatives\n",
    "goed-webinar,Goed webinar,webinar,,2027-03-01T13:00:00+01:00,2027-03-01T14:00:00+01:00,",
    "hogeschool-waddenpoort,support,\n",
    "slecht-een,Slecht een,borrel,afgewezen,1 maart,2027-03-01T14:00:00+01:00,niemand,vrije tijd,",
    "\n",
    "slecht-twee,Slecht twee,webinar,,2027-03-01T15:00:00+01:00,2027-03-01T14:00:00+01:00,",
    "hogeschool-waddenpoort,,\n",
    "slecht-drie,Slecht drie,webinar,published,2027-03-01T13:00:00+01:00,",
    "2027-03-01T14:00:00+01:00,hogeschool-waddenpoort,,bestaat-niet;campagne-zeg-het-maar\n",
    "slecht-vier,Slecht vier,Webinar,,2027-03-01T13:00:00+01:00,,Hogeschool Waddenpoort,,\n",
);

on_both!(events_with_bad_rows_are_reported_line_by_line_and_nothing_is_written);
async fn events_with_bad_rows_are_reported_line_by_line_and_nothing_is_written(app: TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(dir.path(), "events.csv", BAD_EVENTS);
    let before = census(&app.store).await;
    let outcome = import_records(&app.store, &Actor::cli(), &file, ImportKind::Events, false)
        .await
        .expect("import");
    let ImportOutcome::Invalid(errors) = outcome else {
        panic!("invalid expected: {outcome:?}")
    };
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        vec![
            concat!(
                "line 3, kind: unknown value `borrel`; a code or label of network_meeting, ",
                "masterclass, webinar, conference, training_session, community_meetup",
            ),
            concat!(
                "line 3, status: unknown status `afgewezen`; one of draft, submitted, published, ",
                "archived",
            ),
            concat!(
                "line 3, starts_at: a time in RFC 3339 such as 2027-03-01T13:00:00+01:00, got `1 ",
                "maart`",
            ),
            "line 3, organisers: unknown organisation `niemand` (a slug or a name)",
            "line 3, themes: unknown theme `vrije tijd` (a code or a label)",
            concat!(
                "line 4, ends_at: event must end after it starts (2027-03-01T14:00:00+00:00), got ",
                "2027-03-01T13:00:00+00:00",
            ),
            "line 5, initiatives: unknown initiative `bestaat-niet` (a slug)",
            "line 6, ends_at: an event needs its end time",
        ]
    );
    assert_eq!(census(&app.store).await, before, "nothing was written");
}

on_both!(events_are_upserted_by_slug_with_organisers_and_featured_initiatives);
async fn events_are_upserted_by_slug_with_organisers_and_featured_initiatives(app: TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let records = json!([
        {
            "slug": "webinar-veerkracht-2027", "title": "Webinar: veerkracht in het eerste jaar",
            "summary": "Een uur over veerkracht.", "kind": "Webinar", "status": "published",
            "starts_at": "2027-03-01T13:00:00+01:00", "ends_at": "2027-03-01T14:30:00+01:00",
            "online": true, "region": "Landelijk", "themes": ["Begeleiding"],
            "topics": "resilience", "organisers": ["Hogeschool Waddenpoort"],
            "initiatives": ["campagne-zeg-het-maar", "landelijk-kader-studentenwelzijn"],
        },
        {
            "title": "Masterclass buddyprogramma", "kind": "masterclass",
            "starts_at": "2027-04-12T10:00:00+02:00", "ends_at": "2027-04-12T12:00:00+02:00",
            "organisers": "hogeschool-waddenpoort", "location": "Leeuwarden",
        },
        { "slug": "netwerkdag-kompas-2024", "location": "Utrecht, Jaarbeurs" },
    ]);
    let file = write(
        dir.path(),
        "events.json",
        &serde_json::to_string_pretty(&records).expect("json"),
    );
    let editor = editor_key(&app.store).await;
    let actor = Actor {
        name: "cli import (events.json)".into(),
        ..Actor::cli()
    };
    let before = census(&app.store).await;
    let outcome = import_records(&app.store, &actor, &file, ImportKind::Events, false)
        .await
        .expect("import");
    let ImportOutcome::Imported(r) = outcome else {
        panic!("imported expected: {outcome:?}")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (2, 1, 0, true)
    );
    let after = census(&app.store).await;
    assert_eq!(after.2, before.2 + 2);
    assert_eq!(
        after.4,
        before.4 + 3,
        "one revision per created or changed event"
    );
    assert_eq!(after.5, before.5 + 3, "one change-log row each");
    app.caught_up().await;
    let q = r#"{
      w: event(slug: "webinar-veerkracht-2027") {
        title status online region startsAt endsAt themes { code } topics { code }
        organisers { slug } initiatives { totalCount nodes { slug } }
      }
      m: event(slug: "masterclass-buddyprogramma") { status }
      n: event(slug: "netwerkdag-kompas-2024") { location version }
    }"#;
    let d = app.data(q, json!({})).await;
    let mut featured: Vec<String> = d["w"]["initiatives"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["slug"].as_str().expect("slug").to_owned())
        .collect();
    featured.sort();
    assert_eq!(
        featured,
        vec!["campagne-zeg-het-maar", "landelijk-kader-studentenwelzijn"]
    );
    assert_eq!(d["w"]["initiatives"]["totalCount"], 2);
    assert_eq!(d["w"]["title"], "Webinar: veerkracht in het eerste jaar");
    assert_eq!(d["w"]["status"], "PUBLISHED");
    assert_eq!(d["w"]["online"], true);
    assert_eq!(d["w"]["region"], "NATIONAL");
    assert_eq!(d["w"]["startsAt"], "2027-03-01T12:00:00+00:00");
    assert_eq!(d["w"]["themes"], json!([{ "code": "support" }]));
    assert_eq!(d["w"]["topics"], json!([{ "code": "resilience" }]));
    assert_eq!(
        d["w"]["organisers"],
        json!([{ "slug": "hogeschool-waddenpoort" }])
    );
    assert_eq!(
        d["m"],
        json!(null),
        "a new event without a status is a draft, not public"
    );
    assert_eq!(
        d["n"],
        json!({ "location": "Utrecht, Jaarbeurs", "version": 2 })
    );
    let m = app
        .gql_as(
            &editor,
            r#"{ event(slug: "masterclass-buddyprogramma") { status location publishedAt } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        m["data"]["event"],
        json!({ "status": "DRAFT", "location": "Leeuwarden", "publishedAt": null })
    );

    // Again: nothing changes.
    let ImportOutcome::Imported(r) =
        import_records(&app.store, &actor, &file, ImportKind::Events, false)
            .await
            .expect("again")
    else {
        panic!("imported expected")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (0, 0, 3, false)
    );
    assert_eq!(census(&app.store).await, after);

    // A status is a change too; the dry run writes nothing.
    let mut changed = records.clone();
    changed[1]["status"] = json!("submitted");
    let file = write(
        dir.path(),
        "events.json",
        &serde_json::to_string(&changed).expect("json"),
    );
    let ImportOutcome::Imported(r) =
        import_records(&app.store, &actor, &file, ImportKind::Events, true)
            .await
            .expect("dry run")
    else {
        panic!("imported expected")
    };
    assert_eq!(
        (r.created, r.updated, r.unchanged, r.written),
        (0, 1, 2, false)
    );
    assert_eq!(census(&app.store).await, after);
}

#[tokio::test]
async fn a_backup_into_a_folder_is_named_by_its_time_and_deletes_backups_past_retention() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let dir = tempfile::tempdir().expect("dir");
    let recent = (chrono::Utc::now() - chrono::TimeDelta::days(9))
        .format("kennisbank-%Y%m%dT%H%M%SZ.db")
        .to_string();
    let old = (chrono::Utc::now() - chrono::TimeDelta::days(11))
        .format("kennisbank-%Y%m%dT%H%M%SZ.db")
        .to_string();
    for name in [recent.as_str(), old.as_str(), "notes.txt"] {
        std::fs::write(dir.path().join(name), b"an earlier file").expect("write");
    }
    let folder = dir.path().to_str().expect("path");
    let (ok, stderr) = cli(&app, &["backup", folder, "--backup-retention-days", "10"]).await;
    assert!(ok, "{stderr}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("folder")
        .map(|e| e.expect("entry").file_name().into_string().expect("name"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[2], "notes.txt");
    assert_eq!(names[0], recent);
    let made = &names[1];
    assert!(
        made.starts_with("kennisbank-") && made.ends_with("Z.db") && made.len() == 30,
        "{made}"
    );
    assert!(
        stderr.contains(&format!("Deleted {old}, older than 10 days.")),
        "{stderr}"
    );
    // The new file is the database: the same initiatives as the one it copies.
    let copy = Store::connect(&format!("sqlite://{}", dir.path().join(made).display()))
        .await
        .expect("open the copy");
    assert_eq!(census(&copy).await.1, census(&app.store).await.1);
}
