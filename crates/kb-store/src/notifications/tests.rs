//! The outbox on a fresh SQLite database per test (the end-to-end tests run it on
//! PostgreSQL too): who is told of what for each action, two followers and two senders at
//! once, the retry schedule, and recipients who are gone or no longer active.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use kb_domain::account::{AccountRole, AccountStatus};
use kb_domain::input::InitiativeInput;
use kb_domain::workflow::Action;
use kb_domain::{
    InitiativeId, InitiativeKind, Language, NodeId, OrganisationId, OrganisationRole, Viewer,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::{Backoff, Failure, NotificationKind};
use crate::accounts::tests::{TestStore, fresh, organisation, person};
use crate::entity::{account, notification};
use crate::{Account, Actor, Store};

const LEASE: Duration = Duration::from_secs(300);

/// A knowledge bank with the taxonomy, an organisation that takes members from
/// `hanze.nl`, and its people.
struct World {
    t: TestStore,
    org: OrganisationId,
    contributor: Account,
    editor: Account,
    admin: Account,
}

async fn world() -> World {
    let t = fresh().await;
    t.store.seed_taxonomy().await.expect("taxonomy");
    let org = organisation(&t.store, "hanze").await;
    t.store
        .set_organisation_membership(Viewer::Editor, org, &["hanze.nl".to_owned()], true)
        .await
        .expect("domains");
    let mut nl = person("c1", "c1@hanze.nl", Some("hanze.nl"));
    nl.language = Language::Nl;
    let contributor = t.store.sign_in_account(&nl).await.expect("contributor");
    assert_eq!(contributor.status, AccountStatus::Active);
    let editor = appointed(&t.store, "e1", AccountRole::Editor).await;
    let admin = appointed(&t.store, "a1", AccountRole::Admin).await;
    World {
        t,
        org,
        contributor,
        editor,
        admin,
    }
}

async fn appointed(store: &Store, subject: &str, role: AccountRole) -> Account {
    let a = store
        .sign_in_account(&person(subject, &format!("{subject}@netwerk.nl"), None))
        .await
        .expect("sign in");
    store
        .set_account_role(Viewer::Admin, a.id, role)
        .await
        .expect("appoint")
}

impl World {
    fn store(&self) -> &Store {
        &self.t.store
    }

    async fn draft(&self, by: &Actor, title: &str) -> InitiativeId {
        self.store()
            .create_initiative(
                by,
                InitiativeInput {
                    title: Some(title.to_owned()),
                    summary: Some("Een samenvatting.".into()),
                    kind: Some(InitiativeKind::Tool),
                    themes: Some(vec!["support".into()]),
                    topics: Some(vec!["resilience".into()]),
                    organisations: Some(vec![(self.org, OrganisationRole::Lead)]),
                    ..Default::default()
                },
            )
            .await
            .expect("create")
            .id
    }

    async fn act(&self, by: &Actor, id: InitiativeId, action: Action, reason: Option<&str>) {
        self.store()
            .transition_initiative(by, id, action, None, reason.map(str::to_owned))
            .await
            .expect("transition");
    }

    /// The outbox's rows: (account, kind), in order.
    async fn rows(&self) -> Vec<(i64, String)> {
        notification::Entity::find()
            .order_by_asc(notification::Column::ChangeSeq)
            .order_by_asc(notification::Column::AccountId)
            .all(&self.store().db)
            .await
            .expect("rows")
            .into_iter()
            .map(|r| (r.account_id, r.kind))
            .collect()
    }
}

#[tokio::test]
async fn the_first_run_starts_at_the_head_so_history_is_never_mailed() {
    let w = world().await;
    let c = Actor::of_account(&w.contributor);
    let old = w.draft(&c, "Oud werk").await;
    w.act(&c, old, Action::Submit, None).await;
    assert_eq!(w.store().enqueue_notifications().await.expect("first"), 0);
    assert!(w.rows().await.is_empty());
    let new = w.draft(&c, "Nieuw werk").await;
    w.act(&c, new, Action::Submit, None).await;
    assert_eq!(w.store().enqueue_notifications().await.expect("next"), 2);
    // Nothing new: nothing more.
    assert_eq!(w.store().enqueue_notifications().await.expect("again"), 0);
    assert_eq!(w.rows().await.len(), 2);
}

#[tokio::test]
async fn a_submission_notifies_every_active_editor_and_admin_with_an_address() {
    let w = world().await;
    w.store().enqueue_notifications().await.expect("start");
    // An editor without an address, and an editor whose account is pending.
    let mut silent = person("e2", "e2@netwerk.nl", None);
    silent.email = None;
    let silent = w.store().sign_in_account(&silent).await.expect("e2");
    w.store()
        .set_account_role(Viewer::Admin, silent.id, AccountRole::Editor)
        .await
        .expect("appoint");
    let waiting = appointed(w.store(), "e3", AccountRole::Editor).await;
    let mut row: account::ActiveModel = account::Entity::find_by_id(waiting.id.0)
        .one(&w.store().db)
        .await
        .expect("read")
        .expect("e3")
        .into();
    row.status = Set(AccountStatus::Pending.as_str().to_owned());
    row.update(&w.store().db).await.expect("pending");

    let c = Actor::of_account(&w.contributor);
    let id = w.draft(&c, "Veerkracht in de klas").await;
    w.act(&c, id, Action::Submit, None).await;
    assert_eq!(w.store().enqueue_notifications().await.expect("enqueue"), 2);
    assert_eq!(
        w.rows().await,
        vec![
            (w.editor.id.0, "submitted".to_owned()),
            (w.admin.id.0, "submitted".to_owned()),
        ]
    );
    let mut notices = w
        .store()
        .claim_notifications(10, LEASE)
        .await
        .expect("claim");
    notices.sort_by_key(|n| n.email.clone());
    assert_eq!(notices.len(), 2);
    assert_eq!(notices[0].email, "a1@netwerk.nl");
    assert_eq!(notices[1].email, "e1@netwerk.nl");
    for n in &notices {
        assert_eq!(n.kind, NotificationKind::Submitted);
        assert_eq!(n.title, "Veerkracht in de klas");
        assert_eq!(n.node, id.global());
        assert_eq!(n.reason, None);
        assert!(n.editor);
        assert_eq!(n.language, Language::En);
        assert_eq!(n.attempts, 0);
    }
    // An editor who submits is not told of their own submission.
    let e = Actor::of_account(&w.editor);
    let own = w.draft(&e, "Van de redactie").await;
    w.act(&e, own, Action::Submit, None).await;
    assert_eq!(w.store().enqueue_notifications().await.expect("enqueue"), 1);
    assert_eq!(
        w.rows().await.last(),
        Some(&(w.admin.id.0, "submitted".to_owned()))
    );
}

#[tokio::test]
async fn a_decision_notifies_the_submitter_with_the_reason_and_never_the_actor() {
    let w = world().await;
    w.store().enqueue_notifications().await.expect("start");
    let c = Actor::of_account(&w.contributor);
    let e = Actor::of_account(&w.editor);
    let id = w.draft(&c, "Studeren met een beperking").await;
    w.act(&c, id, Action::Submit, None).await;
    w.act(&e, id, Action::Reject, Some("Voeg een bron toe."))
        .await;
    w.store().enqueue_notifications().await.expect("enqueue");
    // Submitted to the editor and the admin, the rejection to the contributor.
    let rows = w.rows().await;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2], (w.contributor.id.0, "rejected".to_owned()));
    let notices = w
        .store()
        .claim_notifications(10, LEASE)
        .await
        .expect("claim");
    let rejected = notices
        .iter()
        .find(|n| n.kind == NotificationKind::Rejected)
        .expect("rejection");
    assert_eq!(rejected.email, "c1@hanze.nl");
    assert_eq!(rejected.language, Language::Nl);
    assert!(!rejected.editor);
    assert_eq!(rejected.title, "Studeren met een beperking");
    assert_eq!(rejected.reason.as_deref(), Some("Voeg een bron toe."));
    assert_eq!(rejected.node.encode(), id.global().encode());
    // Resubmitted and published: the contributor is told.
    w.act(&c, id, Action::Submit, None).await;
    w.act(&e, id, Action::Publish, None).await;
    assert_eq!(w.store().enqueue_notifications().await.expect("enqueue"), 3);
    assert_eq!(
        w.rows().await.last(),
        Some(&(w.contributor.id.0, "published".to_owned()))
    );
    // An editor publishing what they submitted themselves is not told.
    let own = w.draft(&e, "Eigen werk").await;
    w.act(&e, own, Action::Submit, None).await;
    w.act(&e, own, Action::Publish, None).await;
    assert_eq!(w.store().enqueue_notifications().await.expect("enqueue"), 1);
    assert_eq!(
        w.rows().await.last(),
        Some(&(w.admin.id.0, "submitted".to_owned()))
    );
}

#[tokio::test]
async fn without_a_person_who_submitted_the_creator_is_told() {
    let w = world().await;
    w.store().enqueue_notifications().await.expect("start");
    let id = w
        .draft(&Actor::of_account(&w.contributor), "Via de sleutel")
        .await;
    // Submitted at the command line, where no person is named.
    w.act(&Actor::cli(), id, Action::Submit, None).await;
    w.act(&Actor::of_account(&w.admin), id, Action::Publish, None)
        .await;
    w.store().enqueue_notifications().await.expect("enqueue");
    assert_eq!(
        w.rows().await,
        vec![
            (w.editor.id.0, "submitted".to_owned()),
            (w.admin.id.0, "submitted".to_owned()),
            (w.contributor.id.0, "published".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_returned_submission_notifies_the_submitter_with_the_note() {
    let w = world().await;
    w.store().enqueue_notifications().await.expect("start");
    let c = Actor::of_account(&w.contributor);
    let id = w.draft(&c, "Terug naar concept").await;
    w.act(&c, id, Action::Submit, None).await;
    w.act(
        &Actor::of_account(&w.editor),
        id,
        Action::SendBack,
        Some("Maak de samenvatting korter."),
    )
    .await;
    // The contributor submits again before the message goes: the note it quotes is still
    // the one the return gave.
    w.act(&c, id, Action::Submit, None).await;
    w.store().enqueue_notifications().await.expect("enqueue");
    let notices = w
        .store()
        .claim_notifications(10, LEASE)
        .await
        .expect("claim");
    let back = notices
        .iter()
        .find(|n| n.kind == NotificationKind::SentBack)
        .expect("returned");
    assert_eq!(back.email, "c1@hanze.nl");
    assert_eq!(back.reason.as_deref(), Some("Maak de samenvatting korter."));
    let rows = w.rows().await;
    assert_eq!(
        rows[rows.len() - 3..],
        [
            (w.contributor.id.0, "sent_back".to_owned()),
            (w.editor.id.0, "submitted".to_owned()),
            (w.admin.id.0, "submitted".to_owned()),
        ]
    );
}

#[tokio::test]
async fn two_followers_and_two_senders_never_double_a_notification() {
    let w = world().await;
    let other = w.store().with_own_pool().await.expect("second instance");
    w.store().enqueue_notifications().await.expect("start");
    let c = Actor::of_account(&w.contributor);
    for n in 0..5 {
        let id = w.draft(&c, &format!("Werk {n}")).await;
        w.act(&c, id, Action::Submit, None).await;
    }
    let (a, b) = tokio::join!(
        w.store().enqueue_notifications(),
        other.enqueue_notifications()
    );
    let (a, b) = (a.expect("first"), b.expect("second"));
    assert_eq!(a + b, 10, "{a} + {b}");
    assert_eq!(w.rows().await.len(), 10);
    let (x, y) = tokio::join!(
        w.store().claim_notifications(100, LEASE),
        other.claim_notifications(100, LEASE)
    );
    let (x, y) = (x.expect("first"), y.expect("second"));
    let ids: BTreeSet<i64> = x.iter().chain(&y).map(|n| n.id).collect();
    assert_eq!(x.len() + y.len(), 10);
    assert_eq!(ids.len(), 10);
    // Claimed rows are not due again until their lease ends.
    assert!(
        w.store()
            .claim_notifications(100, LEASE)
            .await
            .expect("again")
            .is_empty()
    );
    assert_eq!(
        w.store().pending_notifications().await.expect("pending"),
        10
    );
    for n in x.iter().chain(&y) {
        w.store().notification_sent(n).await.expect("sent");
    }
    assert_eq!(w.store().pending_notifications().await.expect("pending"), 0);
}

#[test]
fn the_retry_schedule_grows_and_gives_up_after_eight_failures() {
    let minutes = |m: u64| Some(Duration::from_secs(m * 60));
    let b = Backoff::default();
    assert_eq!(b.after(1), minutes(1));
    assert_eq!(b.after(2), minutes(5));
    assert_eq!(b.after(3), minutes(30));
    assert_eq!(b.after(4), minutes(120));
    assert_eq!(b.after(5), minutes(360));
    assert_eq!(b.after(6), minutes(720));
    assert_eq!(b.after(7), minutes(1440));
    assert_eq!(b.after(8), None);
    let fast = Backoff {
        first: Duration::from_millis(100),
    };
    assert_eq!(fast.after(2), Some(Duration::from_millis(500)));
}

#[tokio::test]
async fn a_failure_waits_its_turn_and_the_eighth_gives_up() {
    let w = world().await;
    w.store().enqueue_notifications().await.expect("start");
    let c = Actor::of_account(&w.contributor);
    let id = w.draft(&c, "Blijft haken").await;
    w.act(&c, id, Action::Submit, None).await;
    w.act(&Actor::of_account(&w.editor), id, Action::Publish, None)
        .await;
    w.store().enqueue_notifications().await.expect("enqueue");
    let backoff = Backoff::default();
    let mut notices = w
        .store()
        .claim_notifications(10, LEASE)
        .await
        .expect("claim");
    notices.retain(|n| n.kind == NotificationKind::Published);
    let notice = notices.pop().expect("published");
    let before = Utc::now();
    let Failure::Retry(at) = w
        .store()
        .notification_failed(&notice, "connection", false, &backoff)
        .await
        .expect("failed")
    else {
        panic!("the first failure is retried");
    };
    let wait = (at - before).num_seconds();
    assert!((59..=61).contains(&wait), "{wait} s");
    let row = notification::Entity::find_by_id(notice.id)
        .one(&w.store().db)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.attempts, 1);
    assert_eq!(row.last_error_kind.as_deref(), Some("connection"));
    assert_eq!(row.sent_at, None);
    // Not due before its time.
    assert!(
        w.store()
            .claim_notifications(10, LEASE)
            .await
            .expect("claim")
            .iter()
            .all(|n| n.id != notice.id)
    );
    // Seven failures later it is given up: no longer pending, never claimed again.
    let mut last = Failure::Retry(at);
    for attempts in 1..8 {
        let n = super::Notice {
            attempts,
            ..notice.clone()
        };
        last = w
            .store()
            .notification_failed(&n, "transient", false, &backoff)
            .await
            .expect("failed");
    }
    assert_eq!(last, Failure::GaveUp);
    let row = notification::Entity::find_by_id(notice.id)
        .one(&w.store().db)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.attempts, 8);
    notification::Entity::update_many()
        .col_expr(
            notification::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(Utc::now() - chrono::Duration::hours(1)),
        )
        .filter(notification::Column::Id.eq(notice.id))
        .exec(&w.store().db)
        .await
        .expect("due");
    assert!(
        w.store()
            .claim_notifications(10, LEASE)
            .await
            .expect("claim")
            .is_empty()
    );
    // The two submissions to editors are claimed and unsent; the given-up one is not
    // pending.
    assert_eq!(w.store().pending_notifications().await.expect("pending"), 2);
}

#[tokio::test]
async fn people_gone_or_no_longer_active_get_nothing() {
    let w = world().await;
    w.store().enqueue_notifications().await.expect("start");
    let c = Actor::of_account(&w.contributor);
    let id = w.draft(&c, "Voor niemand").await;
    w.act(&c, id, Action::Submit, None).await;
    w.store().enqueue_notifications().await.expect("enqueue");
    assert_eq!(w.rows().await.len(), 2);
    // The admin's account is erased: its rows go with it.
    account::Entity::delete_by_id(w.admin.id.0)
        .exec(&w.store().db)
        .await
        .expect("erase");
    assert_eq!(
        w.rows().await,
        vec![(w.editor.id.0, "submitted".to_owned())]
    );
    // The editor's account is refused before the message goes: the row is deleted, not
    // sent.
    w.store()
        .refuse_account(Viewer::Admin, w.editor.id)
        .await
        .expect("refuse");
    assert!(
        w.store()
            .claim_notifications(10, LEASE)
            .await
            .expect("claim")
            .is_empty()
    );
    assert!(w.rows().await.is_empty());
    // A contributor no longer active is not told of a decision on their submission.
    w.act(&Actor::cli(), id, Action::Publish, None).await;
    w.store()
        .refuse_account(Viewer::Admin, w.contributor.id)
        .await
        .expect("refuse");
    assert_eq!(w.store().enqueue_notifications().await.expect("enqueue"), 0);
    assert!(w.rows().await.is_empty());
}

#[tokio::test]
async fn sent_and_given_up_notifications_are_purged_when_old_and_the_rest_kept() {
    let w = world().await;
    w.store().enqueue_notifications().await.expect("start");
    let c = Actor::of_account(&w.contributor);
    let id = w.draft(&c, "Opruimen").await;
    w.act(&c, id, Action::Submit, None).await;
    w.store().enqueue_notifications().await.expect("enqueue");
    let mut notices = w
        .store()
        .claim_notifications(10, LEASE)
        .await
        .expect("claim");
    notices.sort_by_key(|n| n.email.clone());
    // The admin's was sent, the editor's given up.
    w.store()
        .notification_sent(&notices[0])
        .await
        .expect("sent");
    w.store()
        .notification_failed(&notices[1], "address", true, &Backoff::default())
        .await
        .expect("given up");
    let week = chrono::Duration::days(7);
    assert_eq!(w.store().purge_notifications(week).await.expect("purge"), 0);
    // A third, still pending, is kept however old.
    let other = w.draft(&c, "Nog niet weg").await;
    w.act(&c, other, Action::Submit, None).await;
    w.store().enqueue_notifications().await.expect("enqueue");
    notification::Entity::update_many()
        .col_expr(
            notification::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(Utc::now() - chrono::Duration::days(8)),
        )
        .exec(&w.store().db)
        .await
        .expect("age");
    assert_eq!(w.store().purge_notifications(week).await.expect("purge"), 2);
    assert_eq!(w.rows().await.len(), 2);
    assert_eq!(w.store().pending_notifications().await.expect("pending"), 2);
}

#[tokio::test]
async fn events_notify_like_initiatives() {
    let w = world().await;
    w.store().enqueue_notifications().await.expect("start");
    let c = Actor::of_account(&w.contributor);
    let at = |d| {
        chrono::DateTime::parse_from_rfc3339(d)
            .map(|t| t.with_timezone(&Utc))
            .ok()
    };
    let e = w
        .store()
        .create_event(
            &c,
            kb_domain::input::EventInput {
                title: Some("Netwerkdag welzijn".into()),
                summary: Some("Een dag voor het netwerk.".into()),
                kind: Some(kb_domain::EventKind::NetworkMeeting),
                starts_at: at("2027-03-01T10:00:00Z"),
                ends_at: at("2027-03-01T12:00:00Z"),
                organisers: Some(vec![w.org]),
                themes: Some(vec!["policy".into()]),
                ..Default::default()
            },
        )
        .await
        .expect("event");
    w.store()
        .transition_event(&c, e.id, Action::Submit, None)
        .await
        .expect("submit");
    w.store()
        .transition_event(&Actor::of_account(&w.admin), e.id, Action::Publish, None)
        .await
        .expect("publish");
    w.store().enqueue_notifications().await.expect("enqueue");
    assert_eq!(
        w.rows().await,
        vec![
            (w.editor.id.0, "submitted".to_owned()),
            (w.admin.id.0, "submitted".to_owned()),
            (w.contributor.id.0, "published".to_owned()),
        ]
    );
    let notices = w
        .store()
        .claim_notifications(10, LEASE)
        .await
        .expect("claim");
    let published = notices
        .iter()
        .find(|n| n.kind == NotificationKind::Published)
        .expect("published");
    assert_eq!(published.title, "Netwerkdag welzijn");
    assert_eq!(published.node, e.id.global());
    assert_eq!(published.email, "c1@hanze.nl");
}
