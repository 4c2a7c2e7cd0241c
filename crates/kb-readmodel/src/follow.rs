//! Following the change log: each batch of changes applied, in order, to the projection
//! and the search index, by a task on a timer or by a writer that wants its change read
//! at once; and an index left behind caught up from the log at a start.

use std::sync::Arc;
use std::time::Duration;

use kb_domain::{EventId, InitiativeId, OrganisationId, ThemeId, TopicId};
use kb_store::StoreError;

use crate::published::Published;
use crate::{ReadModel, search};

/// How many change-log rows one read takes.
const BATCH: u64 = 1_000;

/// When the follower next tries to catch a lagging index up: at once, then after 1 s,
/// 2 s, 4 s … up to 30 s while it keeps failing (a disk still full).
#[derive(Default)]
struct Backoff {
    next: Option<std::time::Instant>,
    wait: Duration,
}

impl Backoff {
    fn due(&self) -> bool {
        self.next.is_none_or(|t| std::time::Instant::now() >= t)
    }

    fn after(&mut self, succeeded: bool) {
        if succeeded {
            *self = Backoff::default();
        } else {
            self.wait = (self.wait * 2).clamp(Duration::from_secs(1), Duration::from_secs(30));
            self.next = Some(std::time::Instant::now() + self.wait);
        }
    }
}

impl ReadModel {
    /// Applies every change committed since the last one applied, and returns the
    /// position it stands at. Mutations call this before they answer, so the next read
    /// on this instance sees them.
    pub async fn sync(&self) -> Result<i64, StoreError> {
        let mut applied = self.inner.applied.lock().await;
        loop {
            let changes = self.inner.store.changes_since(*applied, BATCH).await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                return Ok(*applied);
            };
            let before = *applied;
            // What the published view answered before these changes is forgotten; what
            // is read from now on already includes them.
            self.inner
                .generation
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            let mut initiatives: Vec<InitiativeId> = Vec::new();
            let mut organisations: Vec<OrganisationId> = Vec::new();
            let mut topics: Vec<TopicId> = Vec::new();
            let mut themes: Vec<ThemeId> = Vec::new();
            let mut events: Vec<EventId> = Vec::new();
            for c in &changes {
                match c.entity_type.as_str() {
                    // A link's change names the initiative it goes out from.
                    "initiative" | "initiative_link" => initiatives.push(InitiativeId(c.entity_id)),
                    "organisation" => organisations.push(OrganisationId(c.entity_id)),
                    "topic" => topics.push(TopicId(c.entity_id)),
                    "theme" => themes.push(ThemeId(c.entity_id)),
                    // Events change the graph and their own documents, not lists.
                    "event" => events.push(EventId(c.entity_id)),
                    _ => {}
                }
            }
            let lexicon_changed = changes
                .iter()
                .any(|c| c.entity_type == kb_store::LEXICON_ENTITY);
            let (organisations_changed, taxonomy) = (
                !organisations.is_empty(),
                !(topics.is_empty() && themes.is_empty()),
            );
            initiatives.sort();
            initiatives.dedup();
            let facts = if initiatives.is_empty() {
                Vec::new()
            } else {
                self.inner
                    .store
                    .initiative_facts(Some(&initiatives))
                    .await?
            };
            let orgs = if organisations_changed {
                Some((
                    self.inner.store.organisation_facts().await?,
                    self.inner.store.organisation_parents().await?,
                ))
            } else {
                None
            };
            events.sort();
            events.dedup();
            let event_facts = if events.is_empty() {
                Vec::new()
            } else {
                self.inner.store.event_facts(Some(&events)).await?
            };
            let tax = if taxonomy {
                Some((
                    self.inner.store.themes().await?,
                    self.inner.store.topics(false).await?,
                ))
            } else {
                None
            };
            let lexicon = if lexicon_changed {
                Some(crate::lexicon::lexicon_of(&self.inner.store).await?)
            } else {
                None
            };
            let mut p = self.inner.projection.write().await;
            // Swapped under the projection's lock, as the batch's other changes are: no
            // search sees the new projection with the old lexicon.
            if let Some(lexicon) = lexicon {
                self.inner.index.set_lexicon(lexicon);
            }
            let news = Published::of_batch(&p, last, &facts, &event_facts);
            for id in &initiatives {
                if !facts.iter().any(|f| f.id == *id) {
                    p.remove(*id);
                }
            }
            for f in facts {
                p.upsert(f);
            }
            if let Some((o, parents)) = orgs {
                p.set_organisations(o);
                p.graph.set_part_of(parents);
            }
            p.graph.apply_events(&events, event_facts);
            if let Some((all_themes, all_topics)) = tax {
                p.set_taxonomy(all_themes, all_topics);
            }
            // The orders are computed here, by the follower, not by the next reader.
            p.warm_orders();
            // The index: the changed documents, and those whose labels or organisation
            // names changed with the taxonomy or an organisation.
            let mut touched = search::Touched::default();
            for c in &changes {
                touched.add(&p, &c.entity_type, c.entity_id);
            }
            drop(p);
            *applied = last;
            self.inner
                .applied_at
                .store(last, std::sync::atomic::Ordering::Release);
            // The index is committed only when a change touches it; a lagging
            // watermark is caught up from the change log at the next start. An index
            // that could not be written is caught up at a later sync: what the store
            // committed stands, and the projection already shows it.
            if !touched.is_empty()
                && self.index_lag().is_none()
                && let Err(e) = self.index_changes(touched, last).await
            {
                self.index_failed(before, &e);
            }
            // Sent once the batch can be read: a subscriber that loads what it is told
            // of finds it. Nobody listening is not an error.
            if !news.is_empty() {
                let _ = self.inner.published.send(Arc::new(news));
            }
        }
    }

    /// Where the search index stands when it could not follow (it holds every change up
    /// to that position and is caught up at the next sync); `None` while it follows.
    pub fn index_lag(&self) -> Option<i64> {
        *self.index_behind()
    }

    /// The index's lag, locked.
    fn index_behind(&self) -> std::sync::MutexGuard<'_, Option<i64>> {
        self.inner
            .index_behind
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Notes that the index could not take the changes after `at`: what was written of
    /// them is dropped, and the next sync catches the index up from `at`.
    pub(crate) fn index_failed(&self, at: i64, e: &StoreError) {
        tracing::error!(error = %e, at, "the search index could not be updated; it will be caught up from the change log");
        self.inner.index.rollback();
        let mut behind = self.index_behind();
        behind.get_or_insert(at);
    }

    /// Catches the index up with the projection if it fell behind; whether it follows
    /// again. The indexing runs without the follower's lock, so writers' reads of their
    /// own writes never wait for it: the batches applied meanwhile skip the index (it is
    /// behind), and the next round takes them, until a round ends where the projection
    /// stands; that last check is made under the lock, so no batch passes the index by.
    async fn retry_index(&self) -> bool {
        loop {
            let Some(from) = self.index_lag() else {
                return true;
            };
            let to = *self.inner.applied.lock().await;
            if let Err(e) = self.catch_up_index(from, to).await {
                tracing::warn!(error = %e, from, "the search index is still behind");
                self.inner.index.rollback();
                return false;
            }
            let applied = self.inner.applied.lock().await;
            let mut behind = self.index_behind();
            if *applied == to {
                *behind = None;
                tracing::info!(from, to, "the search index caught up");
                return true;
            }
            *behind = Some(to);
        }
    }

    /// Follows the change log every `every` until the process ends; other instances'
    /// writes arrive within that time.
    pub fn follow(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let model = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // An index that fell behind is caught up here, not in a writer's request,
            // first at the next tick and then at growing intervals while it fails.
            let mut retry = Backoff::default();
            loop {
                tick.tick().await;
                if let Err(e) = model.sync().await {
                    tracing::warn!(error = %e, "the read model could not follow the change log");
                }
                if model.index_lag().is_some() && retry.due() {
                    let caught_up = model.retry_index().await;
                    retry.after(caught_up);
                }
            }
        })
    }

    /// Re-indexes what changed between `from` and `to` in the change log, with the
    /// projection already at `to`.
    pub(crate) async fn catch_up_index(&self, from: i64, to: i64) -> Result<(), StoreError> {
        let mut touched = search::Touched::default();
        let mut at = from;
        while at < to {
            let changes = self.inner.store.changes_since(at, BATCH).await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let p = self.inner.projection.read().await;
            for c in changes.iter().filter(|c| c.seq <= to) {
                touched.add(&p, &c.entity_type, c.entity_id);
            }
            at = last;
        }
        self.index_changes(touched, to).await
    }
}
