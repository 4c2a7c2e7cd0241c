//! Export and erasure of one person on a fresh SQLite database (the end-to-end tests run
//! them over HTTP on PostgreSQL too).

use kb_domain::account::AccountStatus;
use kb_domain::input::InitiativeInput;
use kb_domain::{ErrorCode, InitiativeKind, OrganisationRole, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::tests::{code, fresh, organisation, person};
use crate::entity::{account, contact_review, revision, session};
use crate::{Actor, ContactResolution, Identity, SessionLifetime, Store};

const ADDRESS: &str = "j.jansen@hanze.nl";

/// A person who signs in, and an initiative they write with their address as contact.
async fn person_with_initiative(store: &Store) -> (crate::Account, kb_domain::InitiativeId) {
    let hanze = organisation(store, "hanze").await;
    let identity = Identity {
        name: "Jan Jansen".to_owned(),
        ..person("s1", ADDRESS, None)
    };
    let acc = store.sign_in_account(&identity).await.expect("account");
    let actor = Actor {
        viewer: Viewer::Editor,
        ..Actor::of_account(&acc)
    };
    let created = store
        .create_initiative(
            &actor,
            InitiativeInput {
                title: Some("Buddy's voor eerstejaars".to_owned()),
                kind: Some(InitiativeKind::SupportGroup),
                contact_email: Some("J.Jansen@hanze.nl".to_owned()),
                body: Some("Vragen? Mail Jan Jansen.".to_owned()),
                organisations: Some(vec![(hanze, OrganisationRole::Lead)]),
                ..InitiativeInput::default()
            },
        )
        .await
        .expect("initiative");
    (acc, created.id)
}

fn editor() -> Actor {
    Actor {
        viewer: Viewer::Editor,
        key_id: None,
        account_id: None,
        name: "redactie".to_owned(),
    }
}

#[tokio::test]
async fn the_export_holds_the_account_its_sessions_revisions_and_contacts_but_no_secret() {
    let t = fresh().await;
    let (acc, initiative) = person_with_initiative(&t.store).await;
    let new = t
        .store
        .start_session(acc.id, SessionLifetime::default())
        .await
        .expect("session");
    let doc = t
        .store
        .export_account(acc.id)
        .await
        .expect("export")
        .expect("known account");
    assert_eq!(doc["format"], "kennisbank-persoonsgegevens");
    assert_eq!(doc["account"]["id"], acc.id.0);
    assert_eq!(doc["account"]["email"], ADDRESS);
    assert_eq!(doc["account"]["name"], "Jan Jansen");
    assert_eq!(doc["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["revisions"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["revisions"][0]["entityType"], "initiative");
    assert_eq!(doc["revisions"][0]["entityId"], initiative.0);
    assert_eq!(doc["revisions"][0]["action"], "create");
    let contacts = doc["contactOf"]["initiatives"].as_array().expect("list");
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0]["contactEmail"], "J.Jansen@hanze.nl");
    let text = doc.to_string();
    assert!(!text.contains(&new.secret));
    assert!(!text.contains(&new.csrf_token));
    assert!(!text.contains(&crate::tokens::token_hash(&new.secret)));
    assert_eq!(
        t.store
            .export_account(kb_domain::AccountId(999))
            .await
            .expect("export"),
        None
    );
}

#[tokio::test]
async fn erasure_leaves_a_pseudonym_scrubbed_history_and_a_contact_review() {
    let t = fresh().await;
    let (acc, initiative) = person_with_initiative(&t.store).await;
    t.store
        .start_session(acc.id, SessionLifetime::default())
        .await
        .expect("session");
    let erasure = t
        .store
        .erase_account(Viewer::Admin, acc.id)
        .await
        .expect("erase");
    let pseudonym = format!("verwijderde gebruiker {}", acc.id.0);
    assert_eq!(erasure.pseudonym, pseudonym);
    assert_eq!(
        (
            erasure.sessions,
            erasure.revisions,
            erasure.snapshots,
            erasure.contact_reviews
        ),
        (1, 1, 1, 1)
    );
    let row = account::Entity::find_by_id(acc.id.0)
        .one(&t.store.db)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(row.name, pseudonym);
    assert_eq!(row.email, None);
    assert_eq!(row.subject, format!("erased:{}", acc.id.0));
    assert_eq!(row.issuer, "erased");
    assert_eq!(row.affiliation, None);
    assert_eq!(row.status, AccountStatus::Erased.as_str());
    let sessions = session::Entity::find()
        .filter(session::Column::AccountId.eq(acc.id.0))
        .all(&t.store.db)
        .await
        .expect("read");
    assert!(sessions.is_empty());
    let revisions = revision::Entity::find()
        .all(&t.store.db)
        .await
        .expect("read");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].actor, pseudonym);
    let after = revisions[0].after.clone().unwrap_or_default();
    assert!(after.contains("\"contact_email\":null"), "{after}");
    assert!(
        after.contains("Vragen? Mail verwijderde gebruiker"),
        "{after}"
    );
    assert!(!after.to_lowercase().contains("jansen"), "{after}");

    // No role or grant brings an erased account back.
    let e = t
        .store
        .set_account_role(Viewer::Admin, acc.id, kb_domain::AccountRole::Editor)
        .await
        .expect_err("gone");
    assert_eq!(code(e), ErrorCode::NotFound);
    let e = t
        .store
        .refuse_account(Viewer::Editor, acc.id)
        .await
        .expect_err("gone");
    assert_eq!(code(e), ErrorCode::NotFound);

    // The same person signing in again gets a new account.
    let again = t
        .store
        .sign_in_account(&person("s1", ADDRESS, None))
        .await
        .expect("account");
    assert_ne!(again.id, acc.id);

    // The editor removes the address: an update, and no snapshot holds it any more.
    let reviews = t.store.contact_reviews(Viewer::Editor).await.expect("list");
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].initiative, initiative);
    let done = t
        .store
        .resolve_contact_review(&editor(), reviews[0].id, ContactResolution::Remove)
        .await
        .expect("resolve");
    assert_eq!(done.contact_email, None);
    let revisions = revision::Entity::find()
        .all(&t.store.db)
        .await
        .expect("read");
    assert_eq!(revisions.len(), 2);
    for r in &revisions {
        let text = format!("{:?}{:?}", r.before, r.after).to_lowercase();
        assert!(!text.contains("j.jansen@"), "{text}");
    }
    assert!(
        contact_review::Entity::find()
            .all(&t.store.db)
            .await
            .expect("read")
            .is_empty()
    );
}

#[tokio::test]
async fn only_admins_erase_someone_else_and_only_editors_review_contacts() {
    let t = fresh().await;
    let (acc, _) = person_with_initiative(&t.store).await;
    let contributor = Viewer::Contributor {
        organisation_id: kb_domain::OrganisationId(1),
    };
    for viewer in [contributor, Viewer::Editor] {
        let e = t
            .store
            .erase_account(viewer, acc.id)
            .await
            .expect_err("refused");
        assert_eq!(code(e), ErrorCode::Forbidden);
    }
    let e = t
        .store
        .erase_account(Viewer::Anonymous, acc.id)
        .await
        .expect_err("refused");
    assert_eq!(code(e), ErrorCode::Unauthenticated);
    let e = t
        .store
        .contact_reviews(contributor)
        .await
        .expect_err("refused");
    assert_eq!(code(e), ErrorCode::Forbidden);
    let kept = t.store.account(acc.id).await.expect("read").expect("kept");
    assert_eq!(kept, acc);
}
