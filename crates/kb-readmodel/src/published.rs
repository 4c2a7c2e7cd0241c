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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::tests::facts;

    fn with_status(id: i64, status: Status) -> InitiativeFacts {
        InitiativeFacts {
            status,
            ..facts(id)
        }
    }

    fn event(id: i64, status: Status) -> EventFacts {
        EventFacts {
            id: EventId(id),
            status,
            themes: vec![],
            topics: vec![],
            organisers: vec![],
            initiatives: vec![],
        }
    }

    #[test]
    fn only_what_becomes_published_is_news() {
        let mut before = Projection::default();
        before.upsert(with_status(1, Status::Published));
        before.upsert(with_status(2, Status::Submitted));
        before.upsert(with_status(3, Status::Archived));
        before
            .graph
            .apply_events(&[EventId(7)], vec![event(7, Status::Published)]);
        let batch = [
            // An edit of a published one, a publication, a publication again after an
            // archive, a new draft and a new published one.
            with_status(1, Status::Published),
            with_status(2, Status::Published),
            with_status(3, Status::Published),
            with_status(4, Status::Draft),
            with_status(5, Status::Published),
        ];
        let events = [
            event(7, Status::Published),
            event(8, Status::Published),
            event(9, Status::Draft),
        ];
        let news = Published::of_batch(&before, 42, &batch, &events);
        assert_eq!(
            news,
            Published {
                position: 42,
                initiatives: vec![InitiativeId(2), InitiativeId(3), InitiativeId(5)],
                events: vec![EventId(8)],
            }
        );
        assert!(!news.is_empty());
        assert!(Published::of_batch(&before, 43, &batch[..1], &events[..1]).is_empty());
    }
}
