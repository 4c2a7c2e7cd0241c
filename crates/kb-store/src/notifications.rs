//! E-mail notifications of the moderation workflow, as a durable outbox. A follower of
//! the change log ([`Store::enqueue_notifications`]) turns each submission into a row
//! for every active editor and admin, and each publication, rejection or return into a
//! row for the person who submitted (or created) the object; a sender claims the rows
//! that are due ([`Store::claim_notifications`]), writes and sends them, and records the
//! outcome. Rows hold neither addresses nor texts: both are read at the claim, through
//! the access rule as the recipient, so a person who may no longer see the object, or
//! whose account is gone or no longer active, gets nothing.

/// Following the change log: who is told of what.
mod enqueue;
/// Claiming due rows, recording a sending's outcome, the retry schedule.
mod outbox;

pub use outbox::{Backoff, Failure, Notice};

/// What a notification tells its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// Something was submitted for review (to editors).
    Submitted,
    /// The recipient's submission was published.
    Published,
    /// The recipient's submission was rejected, with a reason.
    Rejected,
    /// The recipient's submission was returned to draft, with a note.
    SentBack,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 4] = [
        NotificationKind::Submitted,
        NotificationKind::Published,
        NotificationKind::Rejected,
        NotificationKind::SentBack,
    ];

    /// The code stored in the outbox.
    pub const fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Submitted => "submitted",
            NotificationKind::Published => "published",
            NotificationKind::Rejected => "rejected",
            NotificationKind::SentBack => "sent_back",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind a change-log action gives rise to, if any.
    fn of_action(action: &str) -> Option<Self> {
        match action {
            "submit" => Some(NotificationKind::Submitted),
            "publish" => Some(NotificationKind::Published),
            "reject" => Some(NotificationKind::Rejected),
            "send_back" => Some(NotificationKind::SentBack),
            _ => None,
        }
    }
}

/// The objects of the workflow that notifications are about.
const ENTITIES: [&str; 2] = ["initiative", "event"];

#[cfg(test)]
mod tests;
