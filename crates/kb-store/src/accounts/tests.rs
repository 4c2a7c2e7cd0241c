//! Accounts, sessions and sign-in steps on a fresh SQLite database per test (the
//! end-to-end tests run the same paths on PostgreSQL).

use chrono::{Duration, TimeZone, Utc};
use kb_domain::account::{AccountRole, AccountStatus, EmailAddress, NextPath};
use kb_domain::{AccountId, ErrorCode, Language, OrganisationId, Viewer};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, EntityTrait};

use crate::entity::{organisation, revision, session, sign_in_link};
use crate::sessions::SessionLifetime;
use crate::sign_in::SignInAttempt;
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

async fn organisation(store: &Store, slug: &str) -> OrganisationId {
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

fn person(subject: &str, email: &str, home: Option<&str>) -> Identity {
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

fn code(e: StoreError) -> ErrorCode {
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

#[tokio::test]
async fn a_session_lives_until_idle_or_old_and_is_touched_once_a_minute() {
    let t = fresh().await;
    let a = t
        .store
        .sign_in_account(&person("s1", "a@example.nl", None))
        .await
        .expect("account");
    let life = SessionLifetime {
        idle: Duration::minutes(30),
        absolute: Duration::hours(2),
    };
    let t0 = Utc
        .with_ymd_and_hms(2026, 12, 6, 9, 0, 0)
        .single()
        .expect("time");
    let new = t
        .store
        .start_session_at(a.id, life, t0)
        .await
        .expect("session");
    assert_eq!(new.secret.len(), 43);
    assert_eq!(new.expires_at, t0 + Duration::hours(2));
    // Only the hash is stored.
    let rows = session::Entity::find()
        .all(&t.store.db)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, crate::tokens::token_hash(&new.secret));
    assert_ne!(rows[0].id, new.secret);

    let at = |m: i64| t0 + Duration::minutes(m);
    let s = t
        .store
        .session_at(&new.secret, life, at(0))
        .await
        .expect("read")
        .expect("live");
    assert_eq!(s.account.id, a.id);
    assert_eq!(s.csrf_token, new.csrf_token);
    // Within the minute: not written.
    t.store
        .session_at(&new.secret, life, at(0) + Duration::seconds(30))
        .await
        .expect("read");
    let seen = |rows: Vec<session::Model>| rows[0].last_seen_at;
    assert_eq!(
        seen(
            session::Entity::find()
                .all(&t.store.db)
                .await
                .expect("rows")
        ),
        t0
    );
    // Used every 29 minutes it lives on, to its absolute end.
    for m in [29, 58, 87, 116] {
        assert!(
            t.store
                .session_at(&new.secret, life, at(m))
                .await
                .expect("read")
                .is_some(),
            "at {m}"
        );
    }
    assert_eq!(
        seen(
            session::Entity::find()
                .all(&t.store.db)
                .await
                .expect("rows")
        ),
        at(116)
    );
    assert!(
        t.store
            .session_at(&new.secret, life, at(120))
            .await
            .expect("read")
            .is_none()
    );
    // And is gone.
    assert!(
        session::Entity::find()
            .all(&t.store.db)
            .await
            .expect("rows")
            .is_empty()
    );

    // Idle for 30 minutes: ended.
    let idle = t
        .store
        .start_session_at(a.id, life, t0)
        .await
        .expect("session");
    assert!(
        t.store
            .session_at(&idle.secret, life, at(30))
            .await
            .expect("read")
            .is_none()
    );
    // Values that cannot be ours are not looked up.
    assert!(
        t.store
            .session_at("nonsense", life, t0)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn sign_out_ends_one_session_and_sign_out_everywhere_all() {
    let t = fresh().await;
    let a = t
        .store
        .sign_in_account(&person("s1", "a@example.nl", None))
        .await
        .expect("account");
    let b = t
        .store
        .sign_in_account(&person("s2", "b@example.nl", None))
        .await
        .expect("account");
    let life = SessionLifetime::default();
    let a1 = t.store.start_session(a.id, life).await.expect("a1");
    let a2 = t.store.start_session(a.id, life).await.expect("a2");
    let a3 = t.store.start_session(a.id, life).await.expect("a3");
    let b1 = t.store.start_session(b.id, life).await.expect("b1");
    assert_ne!(a1.secret, a2.secret);
    assert_ne!(a1.csrf_token, a2.csrf_token);
    assert!(t.store.end_session(&a1.secret).await.expect("end"));
    assert!(!t.store.end_session(&a1.secret).await.expect("again"));
    assert!(
        t.store
            .session(&a1.secret, life)
            .await
            .expect("read")
            .is_none()
    );
    assert_eq!(t.store.end_all_sessions(a.id).await.expect("all"), 2);
    assert!(
        t.store
            .session(&a3.secret, life)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        t.store
            .session(&b1.secret, life)
            .await
            .expect("read")
            .is_some()
    );
    assert_eq!(
        t.store
            .end_all_sessions(AccountId(999))
            .await
            .expect("none"),
        0
    );
}

#[tokio::test]
async fn a_sign_in_link_works_once_within_fifteen_minutes() {
    let t = fresh().await;
    let email = EmailAddress::parse("email", "Ada@Example.nl").expect("address");
    let next = NextPath::or_home(Some("/mijn"));
    let t0 = Utc
        .with_ymd_and_hms(2026, 12, 6, 9, 0, 0)
        .single()
        .expect("time");
    let token = t
        .store
        .create_sign_in_link_at(&email, &next, Language::Nl, t0)
        .await
        .expect("link");
    let rows = sign_in_link::Entity::find()
        .all(&t.store.db)
        .await
        .expect("rows");
    assert_eq!(rows[0].token_hash, crate::tokens::token_hash(&token));
    assert_eq!(rows[0].email, "ada@example.nl");
    assert_eq!(rows[0].expires_at, t0 + Duration::minutes(15));

    let used = t
        .store
        .use_sign_in_link_at(&token, t0 + Duration::minutes(14))
        .await
        .expect("use")
        .expect("first use");
    assert_eq!(used.email, "ada@example.nl");
    assert_eq!(used.next, "/mijn");
    assert_eq!(used.language, Language::Nl);
    assert_eq!(
        t.store
            .use_sign_in_link_at(&token, t0 + Duration::minutes(14))
            .await
            .expect("use"),
        None
    );

    let late = t
        .store
        .create_sign_in_link_at(&email, &next, Language::Nl, t0)
        .await
        .expect("link");
    assert_eq!(
        t.store
            .use_sign_in_link_at(&late, t0 + Duration::minutes(15))
            .await
            .expect("use"),
        None
    );
    assert_eq!(
        t.store
            .sign_in_links_since(&email, t0 - Duration::minutes(1))
            .await
            .expect("count"),
        2
    );
}

#[tokio::test]
async fn an_oidc_attempt_is_taken_once() {
    let t = fresh().await;
    let attempt = SignInAttempt {
        provider: "surfconext".to_owned(),
        nonce: "n-0S6_WzA2Mj".to_owned(),
        pkce_verifier: "v".repeat(43),
        next: "/en/".to_owned(),
        language: Language::En,
    };
    let t0 = Utc
        .with_ymd_and_hms(2026, 12, 6, 9, 0, 0)
        .single()
        .expect("time");
    t.store
        .begin_sign_in_attempt_at("state-1", &attempt, t0)
        .await
        .expect("begin");
    assert_eq!(
        t.store
            .take_sign_in_attempt_at("state-2", t0)
            .await
            .expect("take"),
        None
    );
    assert_eq!(
        t.store
            .take_sign_in_attempt_at("state-1", t0)
            .await
            .expect("take"),
        Some(attempt.clone())
    );
    assert_eq!(
        t.store
            .take_sign_in_attempt_at("state-1", t0)
            .await
            .expect("take"),
        None
    );
    t.store
        .begin_sign_in_attempt_at("state-3", &attempt, t0)
        .await
        .expect("begin");
    assert_eq!(
        t.store
            .take_sign_in_attempt_at("state-3", t0 + Duration::minutes(15))
            .await
            .expect("take"),
        None
    );
}

#[tokio::test]
async fn ended_sessions_and_lapsed_sign_ins_are_purged_and_live_ones_kept() {
    let t = fresh().await;
    let a = t
        .store
        .sign_in_account(&person("s1", "a@example.nl", None))
        .await
        .expect("account");
    let life = SessionLifetime::default();
    let long_ago = Utc::now() - Duration::days(30);
    t.store
        .start_session_at(a.id, life, long_ago)
        .await
        .expect("old");
    let idle = t
        .store
        .start_session_at(a.id, life, Utc::now() - Duration::hours(9))
        .await
        .expect("idle");
    let live = t.store.start_session(a.id, life).await.expect("live");
    let email = EmailAddress::parse("email", "a@example.nl").expect("address");
    let home = NextPath::or_home(None);
    t.store
        .create_sign_in_link_at(&email, &home, Language::Nl, long_ago)
        .await
        .expect("old link");
    t.store
        .create_sign_in_link(&email, &home, Language::Nl)
        .await
        .expect("new link");
    let attempt = SignInAttempt {
        provider: "1".to_owned(),
        nonce: "n".to_owned(),
        pkce_verifier: "v".to_owned(),
        next: "/".to_owned(),
        language: Language::Nl,
    };
    t.store
        .begin_sign_in_attempt_at("old", &attempt, long_ago)
        .await
        .expect("old attempt");

    assert_eq!(t.store.purge_sessions(life).await.expect("purge"), 2);
    assert_eq!(t.store.purge_sign_ins().await.expect("purge"), 2);
    assert!(
        t.store
            .session(&live.secret, life)
            .await
            .expect("read")
            .is_some()
    );
    assert!(
        t.store
            .session(&idle.secret, life)
            .await
            .expect("read")
            .is_none()
    );
    assert_eq!(
        sign_in_link::Entity::find()
            .all(&t.store.db)
            .await
            .expect("rows")
            .len(),
        1
    );
}
