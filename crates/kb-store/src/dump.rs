//! A complete dump of the knowledge bank, and its restore into an empty database: the
//! rows of every table that holds knowledge or its history, ids included, so that a
//! restored database answers as the dumped one did (global ids, links, revisions).
//!
//! What a dump holds: the taxonomy (themes, topics with their tree, vocabulary labels),
//! the lexicon of search,
//! organisations with their hierarchy, initiatives with their terms, themes, topics,
//! organisations and links, events with theirs, and every revision. What it leaves out:
//! API keys, which are credentials of one deployment (a restored knowledge bank gets keys
//! of its own, and its revisions keep the actor's name but no longer point at a key), and
//! the change log, which only tells followers what to apply and starts anew with the
//! restored database. Times are kept to the microsecond, PostgreSQL's precision, so a dump
//! restored into either database dumps again to the same document.

use chrono::{DateTime, Timelike, Utc};
use kb_domain::Viewer;
use kb_migration::{Migrator, MigratorTrait};
use sea_orm::{
    AccessMode, ActiveModelTrait, EntityTrait, IntoActiveModel, IsolationLevel, PaginatorTrait,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::entity::*;
use crate::seed::batch::{insert, sync_sequences};
use crate::{Actor, Result, Store, StoreError, access};

/// What a dump document says it is.
pub const DUMP_FORMAT: &str = "kennisbank-dump";
/// The version of the dump document's shape.
pub const DUMP_VERSION: u32 = 1;

/// A complete dump. Its rows follow the schema named in `schema`, and restore only into
/// a database of that schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub format: String,
    pub version: u32,
    /// The last migration of the schema the rows are of.
    pub schema: String,
    themes: Vec<theme::Model>,
    topics: Vec<topic::Model>,
    vocabulary_terms: Vec<vocabulary_term::Model>,
    /// Absent from dumps of schemas before the lexicon, which restore refuses anyway.
    #[serde(default)]
    lexicon_entries: Vec<lexicon_entry::Model>,
    organisations: Vec<organisation::Model>,
    initiatives: Vec<initiative::Model>,
    initiative_terms: Vec<initiative_term::Model>,
    initiative_themes: Vec<initiative_theme::Model>,
    initiative_topics: Vec<initiative_topic::Model>,
    initiative_organisations: Vec<initiative_organisation::Model>,
    initiative_links: Vec<initiative_link::Model>,
    events: Vec<event::Model>,
    event_themes: Vec<event_theme::Model>,
    event_topics: Vec<event_topic::Model>,
    event_organisations: Vec<event_organisation::Model>,
    event_initiatives: Vec<event_initiative::Model>,
    revisions: Vec<revision::Model>,
}

/// How many rows of each kind a dump holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DumpCounts {
    pub organisations: usize,
    pub initiatives: usize,
    pub events: usize,
    pub links: usize,
    pub revisions: usize,
}

impl Dump {
    pub fn counts(&self) -> DumpCounts {
        DumpCounts {
            organisations: self.organisations.len(),
            initiatives: self.initiatives.len(),
            events: self.events.len(),
            links: self.initiative_links.len(),
            revisions: self.revisions.len(),
        }
    }
}

/// The schema this build migrates to: the name of its last migration.
fn schema() -> String {
    Migrator::migrations()
        .last()
        .map(|m| m.name().to_owned())
        .unwrap_or_default()
}

/// A time cut to the microsecond.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(t.nanosecond() / 1_000 * 1_000)
        .unwrap_or(t)
}

/// Every row of `E`, sorted here by `key` (byte order on every database).
async fn all<E, K, C>(db: &C, key: impl Fn(&E::Model) -> K) -> Result<Vec<E::Model>>
where
    E: EntityTrait,
    K: Ord,
    C: sea_orm::ConnectionTrait,
{
    let mut rows = E::find().all(db).await?;
    rows.sort_by_key(|r| key(r));
    Ok(rows)
}

/// `rows` in an order where each comes after the row its `parent` names.
fn parents_first<T>(
    rows: &[T],
    id: impl Fn(&T) -> i64,
    parent: impl Fn(&T) -> Option<i64>,
) -> Result<Vec<T>>
where
    T: Clone,
{
    let mut placed = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    let mut pending: Vec<&T> = rows.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|r| match parent(r) {
            Some(p) if !placed.contains(&p) => true,
            _ => {
                placed.insert(id(r));
                out.push((*r).clone());
                false
            }
        });
        if pending.len() == before {
            return Err(StoreError::Seed(
                "the dump's hierarchy names a missing parent or has a cycle".into(),
            ));
        }
    }
    Ok(out)
}

/// Rows as active models that set every column, ids included.
fn active<M: IntoActiveModel<A>, A: ActiveModelTrait>(rows: Vec<M>) -> Vec<A> {
    rows.into_iter()
        .map(|m| m.into_active_model().reset_all())
        .collect()
}

impl Store {
    /// Reads the whole knowledge bank in one read transaction (a consistent snapshot), for
    /// a viewer who sees everything (the access module decides).
    pub async fn dump(&self, viewer: Viewer) -> Result<Dump> {
        access::read_everything(viewer)?;
        // One snapshot for every table: SQLite's read transaction is one already;
        // PostgreSQL's default (read committed) takes one per statement.
        let txn = match self.backend {
            crate::Backend::Postgres => {
                self.db
                    .begin_with_config(
                        Some(IsolationLevel::RepeatableRead),
                        Some(AccessMode::ReadOnly),
                    )
                    .await?
            }
            _ => self.db.begin().await?,
        };
        let db = &txn;
        let mut organisations = all::<organisation::Entity, _, _>(db, |r| r.id).await?;
        for o in &mut organisations {
            o.created_at = micros(o.created_at);
            o.updated_at = micros(o.updated_at);
        }
        let mut initiatives = all::<initiative::Entity, _, _>(db, |r| r.id).await?;
        for i in &mut initiatives {
            i.created_at = micros(i.created_at);
            i.updated_at = micros(i.updated_at);
            i.published_at = i.published_at.map(micros);
        }
        let mut initiative_links = all::<initiative_link::Entity, _, _>(db, |r| r.id).await?;
        for l in &mut initiative_links {
            l.created_at = micros(l.created_at);
        }
        let mut events = all::<event::Entity, _, _>(db, |r| r.id).await?;
        for e in &mut events {
            e.starts_at = micros(e.starts_at);
            e.ends_at = micros(e.ends_at);
            e.created_at = micros(e.created_at);
            e.updated_at = micros(e.updated_at);
            e.published_at = e.published_at.map(micros);
        }
        let mut revisions = all::<revision::Entity, _, _>(db, |r| r.id).await?;
        for r in &mut revisions {
            r.at = micros(r.at);
            r.actor_key_id = None;
        }
        let dump = Dump {
            format: DUMP_FORMAT.to_owned(),
            version: DUMP_VERSION,
            schema: schema(),
            themes: all::<theme::Entity, _, _>(db, |r| r.id).await?,
            topics: all::<topic::Entity, _, _>(db, |r| r.id).await?,
            vocabulary_terms: all::<vocabulary_term::Entity, _, _>(db, |r| r.id).await?,
            lexicon_entries: all::<lexicon_entry::Entity, _, _>(db, |r| r.id).await?,
            organisations,
            initiatives,
            initiative_terms: all::<initiative_term::Entity, _, _>(db, |r| {
                (r.initiative_id, r.vocabulary.clone(), r.code.clone())
            })
            .await?,
            initiative_themes: all::<initiative_theme::Entity, _, _>(db, |r| {
                (r.initiative_id, r.theme_id)
            })
            .await?,
            initiative_topics: all::<initiative_topic::Entity, _, _>(db, |r| {
                (r.initiative_id, r.topic_id)
            })
            .await?,
            initiative_organisations: all::<initiative_organisation::Entity, _, _>(db, |r| {
                (r.initiative_id, r.organisation_id)
            })
            .await?,
            initiative_links,
            events,
            event_themes: all::<event_theme::Entity, _, _>(db, |r| (r.event_id, r.theme_id))
                .await?,
            event_topics: all::<event_topic::Entity, _, _>(db, |r| (r.event_id, r.topic_id))
                .await?,
            event_organisations: all::<event_organisation::Entity, _, _>(db, |r| {
                (r.event_id, r.organisation_id)
            })
            .await?,
            event_initiatives: all::<event_initiative::Entity, _, _>(db, |r| {
                (r.event_id, r.initiative_id)
            })
            .await?,
            revisions,
        };
        crate::durability::commit(txn).await?;
        Ok(dump)
    }

    /// Why `dump` cannot be restored here, if it cannot: it is not a dump of this
    /// schema, or the database holds content already (a taxonomy and a lexicon alone
    /// may be there: the dump's replace them).
    pub async fn restore_refusal(&self, dump: &Dump) -> Result<Option<String>> {
        if dump.format != DUMP_FORMAT || dump.version != DUMP_VERSION {
            return Ok(Some(format!(
                "not a dump this version reads (format `{}` version {}; expected `{DUMP_FORMAT}` version {DUMP_VERSION})",
                dump.format, dump.version
            )));
        }
        let here = schema();
        if dump.schema != here {
            return Ok(Some(format!(
                "the dump is of schema `{}`, this database of `{here}`: restore it with the release that made it, then migrate",
                dump.schema
            )));
        }
        let db = &self.db;
        let content = organisation::Entity::find().count(db).await?
            + initiative::Entity::find().count(db).await?
            + event::Entity::find().count(db).await?
            + revision::Entity::find().count(db).await?;
        if content > 0 {
            return Ok(Some(
                "the database holds content already; a dump restores into an empty database"
                    .to_owned(),
            ));
        }
        Ok(None)
    }

    /// Loads `dump` into an empty database in one transaction, every row with its id;
    /// a taxonomy and lexicon already there are replaced by the dump's. `actor` must be allowed to
    /// (the access module decides); the dump's revisions keep their own actors.
    pub async fn restore(&self, actor: &Actor, dump: Dump) -> Result<()> {
        access::restore_dump(actor.viewer)?;
        if let Some(why) = self.restore_refusal(&dump).await? {
            return Err(kb_domain::DomainError::bad_input("dump", why).into());
        }
        let topics = parents_first(&dump.topics, |t| t.id, |t| t.broader_id)?;
        let organisations = parents_first(&dump.organisations, |o| o.id, |o| o.part_of_id)?;
        let txn = self.db.begin().await?;
        vocabulary_term::Entity::delete_many().exec(&txn).await?;
        lexicon_entry::Entity::delete_many().exec(&txn).await?;
        // A broader topic may not go before its narrower ones (ON DELETE RESTRICT).
        topic::Entity::update_many()
            .col_expr(
                topic::Column::BroaderId,
                sea_orm::sea_query::Expr::value(Option::<i64>::None),
            )
            .exec(&txn)
            .await?;
        topic::Entity::delete_many().exec(&txn).await?;
        theme::Entity::delete_many().exec(&txn).await?;
        insert(&txn, active(dump.themes)).await?;
        insert(&txn, active(topics)).await?;
        insert(&txn, active(dump.vocabulary_terms)).await?;
        insert(&txn, active(dump.lexicon_entries)).await?;
        insert(&txn, active(organisations)).await?;
        insert(&txn, active(dump.initiatives)).await?;
        insert(&txn, active(dump.initiative_terms)).await?;
        insert(&txn, active(dump.initiative_themes)).await?;
        insert(&txn, active(dump.initiative_topics)).await?;
        insert(&txn, active(dump.initiative_organisations)).await?;
        insert(&txn, active(dump.initiative_links)).await?;
        insert(&txn, active(dump.events)).await?;
        insert(&txn, active(dump.event_themes)).await?;
        insert(&txn, active(dump.event_topics)).await?;
        insert(&txn, active(dump.event_organisations)).await?;
        insert(&txn, active(dump.event_initiatives)).await?;
        insert(&txn, active(dump.revisions)).await?;
        crate::durability::commit(txn).await?;
        sync_sequences(
            &self.db,
            &[
                "theme",
                "topic",
                "vocabulary_term",
                "lexicon_entry",
                "organisation",
                "initiative",
                "initiative_link",
                "event",
                "revision",
            ],
        )
        .await?;
        self.analyze().await
    }
}
