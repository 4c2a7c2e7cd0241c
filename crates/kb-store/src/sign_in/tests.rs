//! Sign-in steps: mailed links and OpenID attempts, on a fresh SQLite database per
//! test.

use chrono::{Duration, TimeZone, Utc};
use kb_domain::Language;
use kb_domain::account::{EmailAddress, NextPath};
use sea_orm::EntityTrait;

use crate::accounts::tests::fresh;
use crate::entity::sign_in_link;
use crate::sign_in::SignInAttempt;

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
