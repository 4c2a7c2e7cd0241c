//! Sessions: their lifetimes, sign-out, and the purge of ended sessions and lapsed
//! sign-in steps, on a fresh SQLite database per test.

use chrono::{Duration, TimeZone, Utc};
use kb_domain::account::{EmailAddress, NextPath};
use kb_domain::{AccountId, Language};
use sea_orm::EntityTrait;

use crate::accounts::tests::{fresh, person};
use crate::entity::{session, sign_in_link};
use crate::sessions::SessionLifetime;
use crate::sign_in::SignInAttempt;

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
