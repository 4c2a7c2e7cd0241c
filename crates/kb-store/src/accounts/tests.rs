//! Accounts, sessions and sign-in steps on a fresh SQLite database per test (the
//! end-to-end tests run the same paths on PostgreSQL).

use chrono::Utc;
use kb_domain::account::{AccountRole, AccountStatus};
use kb_domain::{ErrorCode, Language, OrganisationId, Viewer};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, EntityTrait};

use crate::entity::{organisation, revision};
use crate::{Identity, Store, StoreError};

pub(crate) struct TestStore {
    _dir: tempfile::TempDir,
    pub store: Store,
}

pub(crate) async fn fresh() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/kb.db?mode=rwc", dir.path().display());
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    TestStore { _dir: dir, store }
}

pub(crate) async fn organisation(store: &Store, slug: &str) -> OrganisationId {
    let now = Utc::now();
    let row = organisation::ActiveModel {
        id: NotSet,
        slug: Set(slug.to_owned()),
        name: Set(slug.to_owned()),
        sort_key: Set(slug.to_owned()),
        kind: Set("other".to_owned()),
        status: Set("published".to_owned()),
        region: Set(None),
        city: Set(None),
        website: Set(None),
        email: Set(None),
        description_nl: Set(String::new()),
        description_en: Set(None),
        part_of_id: Set(None),
        is_demo: Set(false),
        accepts_members: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&store.db)
    .await
    .expect("organisation");
    OrganisationId(row.id)
}

pub(crate) fn person(subject: &str, email: &str, home: Option<&str>) -> Identity {
    Identity {
        issuer: "https://connect.example.org".to_owned(),
        subject: subject.to_owned(),
        email: Some(email.to_owned()),
        name: format!("Person {subject}"),
        language: Language::En,
        home_organisation: home.map(str::to_owned),
        affiliation: Some("employee".to_owned()),
    }
}

pub(crate) fn code(e: StoreError) -> ErrorCode {
    match e {
        StoreError::Domain(d) => d.code,
        other => panic!("not a domain error: {other}"),
    }
}

#[tokio::test]
async fn a_first_sign_in_joins_the_organisation_that_owns_the_domain_and_accepts_members() {
    let t = fresh().await;
    let hanze = organisation(&t.store, "hanze").await;
    t.store
        .set_organisation_membership(Viewer::Editor, hanze, &["Hanze.nl".to_owned()], true)
        .await
        .expect("domains");

    // SURFconext's home organisation decides, whatever the address.
    let a = t
        .store
        .sign_in_account(&person("s1", "a@gmail.com", Some("hanze.nl")))
        .await
        .expect("account");
    assert_eq!(a.status, AccountStatus::Active);
    assert_eq!(a.role, AccountRole::Contributor);
    assert_eq!(a.organisation_id, Some(hanze));
    assert_eq!(a.requested_organisation_id, None);
    assert_eq!(
        a.viewer(),
        Viewer::Contributor {
            organisation_id: hanze
        }
    );
    // A faculty's subdomain belongs to the university.
    let b = t
        .store
        .sign_in_account(&person("s2", "b@psy.hanze.nl", None))
        .await
        .expect("account");
    assert_eq!(b.organisation_id, Some(hanze));
}

#[tokio::test]
async fn a_first_sign_in_asks_an_organisation_that_does_not_accept_members() {
    let t = fresh().await;
    let rug = organisation(&t.store, "rug").await;
    t.store
        .set_organisation_membership(Viewer::Editor, rug, &["rug.nl".to_owned()], false)
        .await
        .expect("domains");
    let a = t
        .store
        .sign_in_account(&person("s1", "a@rug.nl", None))
        .await
        .expect("account");
    assert_eq!(a.status, AccountStatus::Pending);
    assert_eq!(a.organisation_id, None);
    assert_eq!(a.requested_organisation_id, Some(rug));
    assert_eq!(a.viewer(), Viewer::Anonymous);

    let pending = t
        .store
        .list_accounts(Viewer::Editor, Some(AccountStatus::Pending))
        .await
        .expect("list");
    assert_eq!(pending.iter().map(|p| p.id).collect::<Vec<_>>(), [a.id]);

    let granted = t
        .store
        .grant_account(Viewer::Editor, a.id, None)
        .await
        .expect("grant");
    assert_eq!(granted.status, AccountStatus::Active);
    assert_eq!(granted.organisation_id, Some(rug));
    assert_eq!(granted.requested_organisation_id, None);
}

#[tokio::test]
async fn a_second_sign_in_finds_the_same_account_and_refreshes_its_name() {
    let t = fresh().await;
    let first = t
        .store
        .sign_in_account(&person("s1", "a@example.nl", None))
        .await
        .expect("account");
    assert_eq!(first.status, AccountStatus::Active);
    assert_eq!(first.organisation_id, None);
    let mut again = person("s1", "a@example.nl", None);
    again.name = "Ada Lovelace".to_owned();
    let second = t.store.sign_in_account(&again).await.expect("account");
    assert_eq!(second.id, first.id);
    assert_eq!(second.name, "Ada Lovelace");
    assert_eq!(
        t.store
            .list_accounts(Viewer::Admin, None)
            .await
            .expect("list")
            .len(),
        1
    );
}

#[tokio::test]
async fn only_editors_manage_members_and_only_admins_appoint() {
    let t = fresh().await;
    let org = organisation(&t.store, "org").await;
    let a = t
        .store
        .sign_in_account(&person("s1", "a@example.nl", None))
        .await
        .expect("account");
    let contributor = Viewer::Contributor {
        organisation_id: org,
    };
    let refused = t
        .store
        .set_organisation_membership(contributor, org, &["org.nl".to_owned()], true)
        .await
        .expect_err("contributor");
    assert_eq!(code(refused), ErrorCode::Forbidden);
    let refused = t
        .store
        .grant_account(Viewer::Anonymous, a.id, Some(org))
        .await
        .expect_err("anonymous");
    assert_eq!(code(refused), ErrorCode::Unauthenticated);
    let refused = t
        .store
        .set_account_role(Viewer::Editor, a.id, AccountRole::Admin)
        .await
        .expect_err("editor");
    assert_eq!(code(refused), ErrorCode::Forbidden);
    // Nothing was written by the refusals.
    let (domains, accepts) = t.store.organisation_membership(org).await.expect("read");
    assert!(domains.is_empty());
    assert!(!accepts);

    let editor = t
        .store
        .set_account_role(Viewer::Admin, a.id, AccountRole::Editor)
        .await
        .expect("appoint");
    assert_eq!(editor.viewer(), Viewer::Editor);
    let refused = t
        .store
        .refuse_account(Viewer::Editor, a.id)
        .await
        .expect("refuse");
    assert_eq!(refused.status, AccountStatus::Refused);
    assert_eq!(refused.viewer(), Viewer::Anonymous);
}

#[tokio::test]
async fn a_domain_belongs_to_one_organisation_and_bad_domains_write_nothing() {
    let t = fresh().await;
    let a = organisation(&t.store, "a").await;
    let b = organisation(&t.store, "b").await;
    let (domains, accepts) = t
        .store
        .set_organisation_membership(
            Viewer::Editor,
            a,
            &["b.nl".to_owned(), "a.nl".to_owned(), "A.nl".to_owned()],
            true,
        )
        .await
        .expect("domains");
    assert_eq!(domains, ["a.nl", "b.nl"]);
    assert!(accepts);
    let taken = t
        .store
        .set_organisation_membership(Viewer::Editor, b, &["a.nl".to_owned()], true)
        .await
        .expect_err("taken");
    assert_eq!(code(taken), ErrorCode::Conflict);
    let bad = t
        .store
        .set_organisation_membership(
            Viewer::Editor,
            b,
            &["ok.nl".to_owned(), "x".to_owned()],
            true,
        )
        .await
        .expect_err("bad");
    match bad {
        StoreError::Domain(d) => assert_eq!(d.field.as_deref(), Some("input.domains.1")),
        other => panic!("{other}"),
    }
    assert_eq!(
        t.store.organisation_membership(b).await.expect("read"),
        (Vec::new(), false)
    );
}

#[tokio::test]
async fn a_revision_names_the_account_that_made_it() {
    let t = fresh().await;
    let org = organisation(&t.store, "org").await;
    t.store
        .set_organisation_membership(Viewer::Editor, org, &["org.nl".to_owned()], true)
        .await
        .expect("domains");
    let a = t
        .store
        .sign_in_account(&person("s1", "a@org.nl", None))
        .await
        .expect("account");
    let actor = crate::Actor::of_account(&a);
    assert_eq!(actor.account_id, Some(a.id));
    assert_eq!(actor.name, "Person s1");
    let txn = sea_orm::TransactionTrait::begin(&t.store.db)
        .await
        .expect("txn");
    crate::writes::record_for_tests(&txn, &actor)
        .await
        .expect("record");
    txn.commit().await.expect("commit");
    let revs = revision::Entity::find()
        .all(&t.store.db)
        .await
        .expect("revisions");
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].actor_account_id, Some(a.id.0));
    assert_eq!(revs[0].actor, "Person s1");
}
