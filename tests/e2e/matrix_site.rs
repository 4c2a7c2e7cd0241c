//! The visibility table of the website's pages for people who sign in, on both
//! databases: the workspace list, the form and the preview of each initiative, the
//! pickers' search, the editors' queue and review page, for a contributor of the owning
//! organisation, one of another organisation, an editor, an admin and a visitor. A
//! contributor of one organisation sees nothing of another's drafts on any page, in any
//! form, suggestion or count.

use std::collections::BTreeSet;

use kb_domain::{AccountRole, Status, Viewer};
use reqwest::StatusCode;

use crate::matrix::{STATUSES, event_marker, marker, world};
use crate::on_both;
use crate::support::TestApp;
use crate::web_people::Person;

/// The statuses whose initiative (or event, with `mark`) shows on a page as text.
fn shown(page: &str, mark: fn(Status) -> String) -> BTreeSet<Status> {
    STATUSES
        .into_iter()
        .filter(|s| page.contains(&format!(">{}<", mark(*s))))
        .collect()
}

fn all() -> BTreeSet<Status> {
    STATUSES.into_iter().collect()
}

fn only(list: &[Status]) -> BTreeSet<Status> {
    list.iter().copied().collect()
}

on_both!(the_signed_in_pages_show_each_person_exactly_what_they_may_see);
async fn the_signed_in_pages_show_each_person_exactly_what_they_may_see(app: TestApp) {
    let w = world(&app).await;
    let org = |slug: &'static str| {
        let store = app.store.clone();
        async move {
            store
                .organisation_by_slug(Viewer::Editor, slug)
                .await
                .expect("q")
                .expect("org")
                .id
        }
    };
    let owner_org = org("hogeschool-waddenpoort").await;
    let outsider_org = org("universiteit-van-zilverwold").await;
    let owner = Person::contributor(&app, "Owner", owner_org).await;
    let outsider = Person::contributor(&app, "Outsider", outsider_org).await;
    let editor = Person::appointed(&app, "Editor", AccountRole::Editor).await;
    let admin = Person::appointed(&app, "Admin", AccountRole::Admin).await;
    app.caught_up().await;

    // The workspace lists the organisation's own work only.
    let list = owner.get(&app, "/mijn-initiatieven").await;
    assert_eq!(shown(&list.body, marker), all());
    assert_eq!(shown(&list.body, event_marker), all());
    for p in [&outsider, &editor, &admin] {
        let list = p.get(&app, "/mijn-initiatieven").await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(shown(&list.body, marker), only(&[]));
        assert_eq!(shown(&list.body, event_marker), only(&[]));
    }

    // The form and the preview of each initiative.
    for (status, id) in &w.initiatives {
        for path in [
            format!("/mijn-initiatieven/{id}"),
            format!("/mijn-initiatieven/{id}/voorbeeld"),
        ] {
            // What is published is public: another organisation may read it (and not
            // change it); anything else of another organisation is not there for them.
            let outsiders = if *status == Status::Published {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            for (who, p, want) in [
                ("owner", &owner, StatusCode::OK),
                ("outsider", &outsider, outsiders),
                ("editor", &editor, StatusCode::OK),
                ("admin", &admin, StatusCode::OK),
            ] {
                let got = p.get(&app, &path).await;
                assert_eq!(got.status, want, "{who} {status:?} {path}");
                let visible = want == StatusCode::OK;
                assert_eq!(
                    got.body.contains(&marker(*status)),
                    visible,
                    "{who} {status:?} {path}"
                );
            }
            let anonymous = app.client().get(app.url(&path)).send().await.expect("GET");
            assert_eq!(
                anonymous.status(),
                StatusCode::OK,
                "followed to the sign-in page"
            );
            assert!(anonymous.url().path() == "/aanmelden");
            assert!(
                !anonymous
                    .text()
                    .await
                    .expect("page")
                    .contains(&marker(*status))
            );
        }
    }

    // The initiative picker of the form offers published work to build on, to everyone.
    for (who, p, want) in [
        ("owner", &owner, only(&[Status::Published])),
        ("outsider", &outsider, only(&[Status::Published])),
        ("editor", &editor, only(&[Status::Published])),
    ] {
        let found = p
            .post(
                &app,
                "/mijn-initiatieven/nieuw",
                &[
                    ("actie", "zoek-initiatief"),
                    ("zoekInitiatief", "Matrix"),
                    ("zoekType", "RELATED_TO"),
                ],
            )
            .await;
        assert_eq!(found.status, StatusCode::OK, "{who}");
        let picked: BTreeSet<Status> = STATUSES
            .into_iter()
            .filter(|s| found.body.contains(&format!(": {}</label>", marker(*s))))
            .collect();
        assert_eq!(picked, want, "{who}");
    }

    // The desk: the queue holds what is submitted, for editors only; its count too.
    for p in [&editor, &admin] {
        let queue = p.get(&app, "/redactie").await;
        assert_eq!(queue.status, StatusCode::OK);
        assert_eq!(shown(&queue.body, marker), only(&[Status::Submitted]));
        assert_eq!(shown(&queue.body, event_marker), only(&[Status::Submitted]));
        for (status, id) in &w.initiatives {
            let review = p.get(&app, &format!("/redactie/{id}")).await;
            assert_eq!(review.status, StatusCode::OK, "{status:?}");
            assert!(review.body.contains(&marker(*status)));
        }
    }
    for (who, p) in [("owner", &owner), ("outsider", &outsider)] {
        let queue = p.get(&app, "/redactie").await;
        assert_eq!(queue.status, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(shown(&queue.body, marker), only(&[]));
        assert!(
            !queue.body.contains("class=\"count\""),
            "{who} sees no count"
        );
        for (status, id) in &w.initiatives {
            let review = p.get(&app, &format!("/redactie/{id}")).await;
            assert_eq!(review.status, StatusCode::FORBIDDEN, "{who} {status:?}");
            assert!(!review.body.contains(&marker(*status)));
        }
    }
}
