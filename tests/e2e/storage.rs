//! The databases themselves: journal mode, migrations, the seeded taxonomy and demo set.

use kb_domain::{InitiativeFilter, Viewer};

use crate::on_both;
use crate::oracle;
use crate::support::{Db, TestApp};

on_both!(taxonomy_and_demo_data_are_loaded);
async fn taxonomy_and_demo_data_are_loaded(app: TestApp) {
    let demo = oracle::demo();
    assert_eq!(app.store.themes().await.expect("themes").len(), 8);
    assert_eq!(app.store.topics(true).await.expect("roots").len(), 9);
    assert_eq!(app.store.topics(false).await.expect("topics").len(), 17);
    let all = InitiativeFilter {
        statuses: kb_domain::Status::ALL.to_vec(),
        ..Default::default()
    };
    use kb_domain::Vocabulary;
    let total = app
        .store
        .count_initiatives(Viewer::Editor, &all)
        .await
        .expect("count");
    assert_eq!(total, demo.initiative.len() as u64);
    let public = app
        .store
        .count_initiatives(Viewer::Anonymous, &all)
        .await
        .expect("count");
    assert_eq!(public, demo.published().count() as u64);
    assert!(demo.published().count() >= 60);
    assert_eq!(
        app.store.vocabulary_terms().await.expect("terms").len(),
        10 + 10 + 8 + 7 + 3 + 3 + 4 + 6 + 6 + 14
    );
}

on_both!(preparing_twice_changes_nothing);
async fn preparing_twice_changes_nothing(app: TestApp) {
    let before = app
        .store
        .count_initiatives(Viewer::Anonymous, &InitiativeFilter::default())
        .await
        .expect("count");
    kb_server::prepare(&app.store, true)
        .await
        .expect("second prepare");
    let after = app
        .store
        .count_initiatives(Viewer::Anonymous, &InitiativeFilter::default())
        .await
        .expect("count");
    assert_eq!(before, after);
    let again = app.store.seed_demo().await.expect("demo again");
    assert!(!again.loaded);
}

on_both!(sqlite_runs_in_wal_mode);
async fn sqlite_runs_in_wal_mode(app: TestApp) {
    let mode = app.store.sqlite_journal_mode().await.expect("journal mode");
    match app.db {
        Db::Sqlite => assert_eq!(mode.as_deref(), Some("wal")),
        Db::Postgres => assert_eq!(mode, None),
    }
}

on_both!(synthetic_data_is_deterministic_and_skewed);
async fn synthetic_data_is_deterministic_and_skewed(app: TestApp) {
    let a = app.store.seed_synthetic(300, 42).await.expect("synthetic");
    assert_eq!(a.initiatives, 300);
    let f = app
        .store
        .initiative_facets(
            Viewer::Editor,
            &InitiativeFilter {
                statuses: vec![kb_domain::Status::Published],
                ..Default::default()
            },
        )
        .await
        .expect("facets");
    let counts: Vec<u64> = f.topics.iter().map(|t| t.count).collect();
    assert!(
        counts.first() > counts.last(),
        "topic popularity is skewed: {counts:?}"
    );
    // A second set with the same seed would collide on slugs: same seed, same rows.
    let err = app.store.seed_synthetic(300, 42).await;
    assert!(err.is_err(), "the same seed produces the same slugs");
}

/// A landed migration never changes: `migrations/checksums.sha256` lists the SHA-256 of
/// every migration file, and only grows. A changed file fails here; a new migration is
/// added to the list in the same commit.
#[test]
fn landed_migrations_never_change() {
    use sha2::{Digest, Sha256};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let list = std::fs::read_to_string(dir.join("checksums.sha256")).expect("checksum list");
    let mut listed = Vec::new();
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let (sum, name) = line.split_once("  ").expect("`<sha256>  <file>` lines");
        let text = std::fs::read(dir.join("src").join(name))
            .unwrap_or_else(|_| panic!("the landed migration {name} is missing"));
        let actual: String = Sha256::digest(&text)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            actual, sum,
            "the landed migration {name} was edited: add a new migration instead"
        );
        listed.push(name.to_owned());
    }
    let mut files: Vec<String> = std::fs::read_dir(dir.join("src"))
        .expect("migrations")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with('m') && n.ends_with(".rs"))
        .collect();
    files.sort();
    assert_eq!(
        files, listed,
        "every migration file is listed in migrations/checksums.sha256, in order"
    );
}
