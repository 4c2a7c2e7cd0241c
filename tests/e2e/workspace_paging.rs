//! The long lists of the signed-in pages, a page at a time on both databases: the
//! contributor's initiatives (25 to a page, all or one status, with the count of each)
//! and the editors' queue (the longest waiting first, 25 to a page). Their SQL statements
//! do not grow with the organisation's initiatives or the queue.

use kb_domain::workflow::Action;
use kb_domain::{AccountRole, InitiativeKind, OrganisationRole};
use kb_store::Actor;

use crate::on_both;
use crate::support::TestApp;
use crate::web_people::{Got, Person};
use crate::workspace::{World, scalar, world};

/// Creates `n` initiatives of the world's own organisation titled `{prefix} 000`, … one
/// after the other (so each was changed later than the one before), each taken through
/// `actions` after it is created.
async fn create(app: &TestApp, w: &World, prefix: &str, n: usize, actions: &[Action]) {
    let actor = Actor::cli();
    for i in 0..n {
        let created = app
            .store
            .create_initiative(
                &actor,
                kb_domain::input::InitiativeInput {
                    title: Some(format!("{prefix} {i:03}")),
                    summary: Some("Een initiatief voor de lijsten van de website.".into()),
                    kind: Some(InitiativeKind::Training),
                    themes: Some(vec![w.theme.clone()]),
                    topics: Some(vec![w.topic.clone()]),
                    organisations: Some(vec![(w.own, OrganisationRole::Lead)]),
                    ..Default::default()
                },
            )
            .await
            .expect("create");
        for action in actions {
            app.store
                .transition_initiative(&actor, created.id, *action, None, None)
                .await
                .expect("transition");
        }
    }
}

/// One number of a SQL query.
async fn number(app: &TestApp, sql: &str) -> u64 {
    scalar(app, sql).await.parse().expect("a count")
}

/// The titles starting with `prefix` that `page` links to under `path`, in order.
fn titles(page: &Got, path: &str, prefix: &str) -> Vec<String> {
    page.body
        .split(&format!("<td><a href=\"{path}"))
        .skip(1)
        .filter_map(|r| r.split('>').nth(1))
        .map(|t| t.trim_end_matches("</a").to_owned())
        .filter(|t| t.starts_with(prefix))
        .collect()
}

/// `path` as `person` sees it once it shows `expected` (the read model follows writes
/// made straight into the store within its interval).
async fn once_shown(app: &TestApp, person: &Person, path: &str, expected: &str) -> Got {
    app.caught_up().await;
    let mut page = person.get(app, path).await;
    for _ in 0..100 {
        if page.body.contains(expected) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        page = person.get(app, path).await;
    }
    assert!(
        page.body.contains(expected),
        "{expected} on {path}: {}",
        &page.body[page.body.find("<main").unwrap_or(0)..]
    );
    page
}

/// The SQL statements one `GET path` costs: the fewest of three, as the store's
/// background work (following the change log, the mail outbox) counts in the same
/// counter now and then.
async fn statements(app: &TestApp, person: &Person, path: &str) -> u64 {
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        let before = app.store.statement_count();
        let page = person.get(app, path).await;
        assert_eq!(page.status, reqwest::StatusCode::OK, "{path}");
        fewest = fewest.min(app.store.statement_count() - before);
    }
    fewest
}

on_both!(the_workspace_lists_a_page_at_a_time_by_status);
async fn the_workspace_lists_a_page_at_a_time_by_status(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann", w.own).await;
    create(&app, &w, "Lijst", 5, &[]).await;
    let own = |status: &str| {
        format!(
            "SELECT COUNT(*) FROM initiative i JOIN initiative_organisation io \
             ON io.initiative_id = i.id WHERE io.organisation_id = {} AND i.status {status}",
            w.own.0
        )
    };
    let drafts = number(&app, &own("= 'draft'")).await;
    once_shown(
        &app,
        &ann,
        "/mijn-initiatieven",
        &format!("Concept ({drafts})"),
    )
    .await;
    let small = statements(&app, &ann, "/mijn-initiatieven").await;

    create(&app, &w, "Lijst", 30, &[]).await;
    create(&app, &w, "Ingediend", 4, &[Action::Submit]).await;
    let all = number(&app, &own("IS NOT NULL")).await;
    let drafts = number(&app, &own("= 'draft'")).await;
    let submitted = number(&app, &own("= 'submitted'")).await;
    let published = number(&app, &own("= 'published'")).await;
    let list = once_shown(&app, &ann, "/mijn-initiatieven", &format!("Alle ({all})")).await;
    for label in [
        format!("Concept ({drafts})"),
        format!("Ingediend ({submitted})"),
        format!("Gepubliceerd ({published})"),
        format!("Alle initiatieven ({all})</h2>"),
        format!("Pagina 1 van {}", all.div_ceil(25)),
    ] {
        assert!(list.body.contains(&label), "{label}");
    }
    // The most recently changed first: the four submitted, then the newest drafts.
    let first = titles(&list, "/mijn-initiatieven/", "");
    assert_eq!(
        list.body
            .matches("<tr><td><a href=\"/mijn-initiatieven/")
            .count(),
        25
    );
    assert_eq!(
        &first[..6],
        [
            "Ingediend 003",
            "Ingediend 002",
            "Ingediend 001",
            "Ingediend 000",
            "Lijst 029",
            "Lijst 028"
        ]
    );
    // The same statements for 5 initiatives as for 40.
    assert_eq!(statements(&app, &ann, "/mijn-initiatieven").await, small);

    // One status, and the next page keeps it.
    let only = ann.get(&app, "/mijn-initiatieven?status=ingediend").await;
    assert_eq!(
        titles(&only, "/mijn-initiatieven/", ""),
        [
            "Ingediend 003",
            "Ingediend 002",
            "Ingediend 001",
            "Ingediend 000"
        ]
    );
    assert!(
        only.body
            .contains(&format!("<h2>Ingediend ({submitted})</h2>"))
    );
    assert!(only.body.contains("aria-current=\"page\">Ingediend ("));
    let drafts_2 = ann
        .get(&app, "/mijn-initiatieven?status=concept&pagina=2")
        .await;
    let rest = titles(&drafts_2, "/mijn-initiatieven/", "");
    assert_eq!(rest.len() as u64, (drafts - 25).min(25));
    assert!(
        drafts_2
            .body
            .contains(&format!("Pagina 2 van {}", drafts.div_ceil(25)))
    );
    assert!(
        drafts_2
            .body
            .contains("href=\"/mijn-initiatieven?status=concept\" rel=\"prev\""),
        "{}",
        drafts_2.body
    );
    // A status the page does not know lists them all.
    let unknown = ann.get(&app, "/mijn-initiatieven?status=%3Cb%3E").await;
    assert!(
        unknown
            .body
            .contains(&format!("Alle initiatieven ({all})</h2>"))
    );
    assert!(!unknown.body.contains("<b>"));
}

on_both!(the_queue_shows_those_that_waited_longest_first_a_page_at_a_time);
async fn the_queue_shows_those_that_waited_longest_first_a_page_at_a_time(app: TestApp) {
    let w = world(&app).await;
    let eva = Person::appointed(&app, "Eva", AccountRole::Editor).await;
    let demo = number(
        &app,
        "SELECT COUNT(*) FROM initiative WHERE status = 'submitted'",
    )
    .await;
    let small = statements(&app, &eva, "/redactie").await;
    create(&app, &w, "Wachtrij", 30, &[Action::Submit]).await;
    let waiting = demo + 30;
    let queue = once_shown(
        &app,
        &eva,
        "/redactie",
        &format!("Ingediende initiatieven ({waiting})"),
    )
    .await;
    // The demo set's submissions waited longest; then these, oldest first.
    let first = titles(&queue, "/redactie/", "Wachtrij");
    let expected: Vec<String> = (0..25 - demo).map(|i| format!("Wachtrij {i:03}")).collect();
    assert_eq!(first, expected);
    assert!(
        queue
            .body
            .contains(&format!("Pagina 1 van {}", waiting.div_ceil(25)))
    );
    let next = eva.get(&app, "/redactie?pagina=2").await;
    let expected: Vec<String> = (25 - demo..30)
        .map(|i| format!("Wachtrij {i:03}"))
        .collect();
    assert_eq!(titles(&next, "/redactie/", "Wachtrij"), expected);
    // The same statements for the demo set's few as for thirty more.
    assert_eq!(statements(&app, &eva, "/redactie").await, small);
}
