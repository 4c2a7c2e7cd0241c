use kb_domain::{EventId, InitiativeId, Status};
use kb_store::{EventFacts, InitiativeFacts};

use crate::projection::{Projection, member};

/// How many batches a subscriber may fall behind before it loses the oldest.
pub(crate) const CAPACITY: usize = 256;

/// What one batch of changes newly published: the initiatives and events that were not
/// published before it (absent, or in another status) and are after it. An edit of what
/// was already published is not news; publishing again after an archive is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// The change-log position the batch ends at.
    pub position: i64,
    /// In the order of their ids.
    pub initiatives: Vec<InitiativeId>,
    /// In the order of their ids.
    pub events: Vec<EventId>,
}

impl Published {
    /// What the batch ending at `position`, whose new facts are `initiatives` and
    /// `events`, publishes over the projection `before` it is applied.
    pub(crate) fn of_batch(
        before: &Projection,
        position: i64,
        initiatives: &[InitiativeFacts],
        events: &[EventFacts],
    ) -> Self {
        let was_published = |id: InitiativeId| {
            member(id)
                .and_then(|m| before.facts.get(&m))
                .is_some_and(|f| f.status == Status::Published)
        };
        let mut news = Self {
            position,
            initiatives: initiatives
                .iter()
                .filter(|f| f.status == Status::Published && !was_published(f.id))
                .map(|f| f.id)
                .collect(),
            events: events
                .iter()
                .filter(|f| {
                    f.status == Status::Published
                        && before
                            .graph
                            .events
                            .get(&f.id)
                            .is_none_or(|old| old.status != Status::Published)
                })
                .map(|f| f.id)
                .collect(),
        };
        news.initiatives.sort();
        news.events.sort();
        news
    }

    /// Whether the batch published nothing.
    pub fn is_empty(&self) -> bool {
        self.initiatives.is_empty() && self.events.is_empty()
    }
}
