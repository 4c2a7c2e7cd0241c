//! The notifier: a background task that, every `--notify-interval-secs`, moves the
//! change log into the outbox and sends what is due, each message in its recipient's
//! language. A failed sending is recorded with its kind (never the address or the
//! server's words) and tried again later; writes never wait for mail.

/// The texts of the messages.
mod letter;

use std::time::Duration;

use kb_store::{Backoff, Failure, Store};

use crate::mail::Mailer;

/// Notifications that could not be sent, by this process, since it started.
pub const FAILED: &str = "kb_notifications_failed_total";
/// Notifications not sent yet and not given up, in the whole outbox.
pub const PENDING: &str = "kb_notifications_pending";

/// How long a claimed notification is this sender's before it is due again, should the
/// sender stop midway: well beyond an SMTP exchange's timeouts.
const LEASE: Duration = Duration::from_secs(300);
/// Notifications claimed at a time.
const CLAIM: u64 = 20;
/// How long sent and given-up notifications are kept.
const KEPT: chrono::Duration = chrono::Duration::days(7);
/// How often they are purged.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// What the notifier needs.
pub(crate) struct Notifier {
    pub(crate) store: Store,
    pub(crate) mailer: Mailer,
    /// The public URL's origin, which links start with.
    pub(crate) origin: String,
    pub(crate) interval: Duration,
    pub(crate) backoff: Backoff,
}

impl Notifier {
    /// Notes where the outbox starts (at the first start of all, the change log's head)
    /// and runs every interval from then on.
    pub(crate) async fn start(self) -> tokio::task::JoinHandle<()> {
        if let Err(e) = self.store.enqueue_notifications().await {
            tracing::warn!(error = %e, "notifications could not follow the change log");
        }
        tokio::spawn(self.run())
    }

    async fn run(self) {
        let mut every = tokio::time::interval(self.interval);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut purged = tokio::time::Instant::now();
        loop {
            every.tick().await;
            self.round().await;
            if purged.elapsed() >= PURGE_EVERY {
                purged = tokio::time::Instant::now();
                match self.store.purge_notifications(KEPT).await {
                    Ok(n) => tracing::debug!(deleted = n, "old notifications deleted"),
                    Err(e) => tracing::warn!(error = %e, "old notifications could not be deleted"),
                }
            }
        }
    }

    /// Enqueues what the change log gives rise to, then sends everything that is due.
    async fn round(&self) {
        if let Err(e) = self.store.enqueue_notifications().await {
            tracing::warn!(error = %e, "notifications could not follow the change log");
        }
        loop {
            let notices = match self.store.claim_notifications(CLAIM, LEASE).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "notifications could not be claimed");
                    return;
                }
            };
            if notices.is_empty() {
                return;
            }
            let claimed = notices.len();
            let mut failed = 0;
            for notice in notices {
                let link = letter::link(&self.origin, &notice);
                let message = letter::letter(&notice, &link);
                let recorded = match self.mailer.send(&notice.email, message).await {
                    Ok(()) => {
                        tracing::info!(
                            id = notice.id,
                            kind = notice.kind.as_str(),
                            "a notification was sent"
                        );
                        self.store.notification_sent(&notice).await
                    }
                    Err(f) => {
                        failed += 1;
                        metrics::counter!(FAILED, "kind" => f.kind).increment(1);
                        self.store
                            .notification_failed(&notice, f.kind, f.permanent, &self.backoff)
                            .await
                            .map(|outcome| match outcome {
                                Failure::Retry(at) => tracing::warn!(
                                    id = notice.id,
                                    error_kind = f.kind,
                                    attempts = notice.attempts + 1,
                                    retry_at = %at,
                                    "a notification could not be sent; it is tried again"
                                ),
                                Failure::GaveUp => tracing::error!(
                                    id = notice.id,
                                    error_kind = f.kind,
                                    attempts = notice.attempts + 1,
                                    "a notification could not be sent and is given up"
                                ),
                            })
                    }
                };
                if let Err(e) = recorded {
                    tracing::warn!(error = %e, id = notice.id, "a notification's outcome could not be recorded");
                }
            }
            // A server that refuses everything is not asked again in this round.
            if failed == claimed || claimed < CLAIM as usize {
                return;
            }
        }
    }
}
