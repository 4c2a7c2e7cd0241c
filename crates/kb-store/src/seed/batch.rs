//! Bulk writing of new nodes and edges. Ids are assigned here (above the current
//! maximum), so a node and its edges go out in a handful of multi-row statements.

use chrono::{DateTime, Utc};
use kb_domain::sort_key::sort_key;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, QuerySelect, Statement,
};

use crate::Result;
use crate::entity::*;

/// An initiative to write, with its edges. Codes are taxonomy codes.
#[derive(Debug, Clone)]
pub(super) struct NewInitiative {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub title_en: Option<String>,
    pub summary_en: Option<String>,
    pub body: Option<String>,
    pub kind: String,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub format: Option<String>,
    pub cost: Option<String>,
    pub prevention_level: Option<String>,
    pub evidence_level: Option<String>,
    pub region: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub languages: Vec<String>,
    pub target_groups: Vec<String>,
    pub education_levels: Vec<String>,
    pub theme_ids: Vec<i64>,
    pub topic_ids: Vec<i64>,
    /// Organisation ids with their role code.
    pub organisations: Vec<(i64, String)>,
}

/// An organisation to write.
#[derive(Debug, Clone)]
pub(super) struct NewOrganisation {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub description_nl: String,
    pub description_en: Option<String>,
    pub part_of_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// An event to write, with its edges.
#[derive(Debug, Clone)]
pub(super) struct NewEvent {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: String,
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
    pub online: bool,
    pub region: Option<String>,
    pub website: Option<String>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub theme_ids: Vec<i64>,
    pub topic_ids: Vec<i64>,
    pub organiser_ids: Vec<i64>,
    pub initiative_ids: Vec<i64>,
}

/// Rows waiting to be written.
#[derive(Default)]
pub(super) struct Batch {
    next_organisation: i64,
    next_initiative: i64,
    next_event: i64,
    organisations: Vec<organisation::ActiveModel>,
    initiatives: Vec<initiative::ActiveModel>,
    terms: Vec<initiative_term::ActiveModel>,
    initiative_themes: Vec<initiative_theme::ActiveModel>,
    initiative_topics: Vec<initiative_topic::ActiveModel>,
    initiative_organisations: Vec<initiative_organisation::ActiveModel>,
    links: Vec<initiative_link::ActiveModel>,
    events: Vec<event::ActiveModel>,
    event_themes: Vec<event_theme::ActiveModel>,
    event_topics: Vec<event_topic::ActiveModel>,
    event_initiatives: Vec<event_initiative::ActiveModel>,
    event_organisations: Vec<event_organisation::ActiveModel>,
}

async fn max_id<E: EntityTrait, C: ConnectionTrait>(db: &C, col: E::Column) -> Result<i64> {
    let max: Option<Option<i64>> = E::find()
        .select_only()
        .column_as(Expr::expr(Func::max(Expr::col(col))), "m")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

impl Batch {
    /// A batch whose ids continue after the rows already stored.
    pub async fn start<C: ConnectionTrait>(db: &C) -> Result<Batch> {
        Ok(Batch {
            next_organisation: max_id::<organisation::Entity, _>(db, organisation::Column::Id)
                .await?
                + 1,
            next_initiative: max_id::<initiative::Entity, _>(db, initiative::Column::Id).await? + 1,
            next_event: max_id::<event::Entity, _>(db, event::Column::Id).await? + 1,
            ..Default::default()
        })
    }

    pub fn add_organisation(&mut self, o: NewOrganisation, is_demo: bool) -> i64 {
        let id = self.next_organisation;
        self.next_organisation += 1;
        self.organisations.push(organisation::ActiveModel {
            id: Set(id),
            slug: Set(o.slug),
            sort_key: Set(sort_key(&o.name)),
            name: Set(o.name),
            kind: Set(o.kind),
            status: Set("published".into()),
            region: Set(o.region),
            city: Set(o.city),
            website: Set(o.website),
            email: Set(o.email),
            description_nl: Set(o.description_nl),
            description_en: Set(o.description_en),
            part_of_id: Set(o.part_of_id),
            is_demo: Set(is_demo),
            accepts_members: Set(false),
            version: Set(1),
            created_at: Set(o.created_at),
            updated_at: Set(o.created_at),
        });
        id
    }

    pub fn add_initiative(&mut self, i: NewInitiative, is_demo: bool) -> i64 {
        let id = self.next_initiative;
        self.next_initiative += 1;
        let updated = i.published_at.unwrap_or(i.created_at).max(i.created_at);
        for (vocabulary, codes) in [
            ("language", &i.languages),
            ("target_group", &i.target_groups),
            ("education_level", &i.education_levels),
        ] {
            for code in codes {
                self.terms.push(initiative_term::ActiveModel {
                    initiative_id: Set(id),
                    vocabulary: Set(vocabulary.into()),
                    code: Set(code.clone()),
                });
            }
        }
        for t in &i.theme_ids {
            self.initiative_themes.push(initiative_theme::ActiveModel {
                initiative_id: Set(id),
                theme_id: Set(*t),
            });
        }
        for t in &i.topic_ids {
            self.initiative_topics.push(initiative_topic::ActiveModel {
                initiative_id: Set(id),
                topic_id: Set(*t),
            });
        }
        for (o, role) in &i.organisations {
            self.initiative_organisations
                .push(initiative_organisation::ActiveModel {
                    initiative_id: Set(id),
                    organisation_id: Set(*o),
                    role: Set(role.clone()),
                });
        }
        self.initiatives.push(initiative::ActiveModel {
            id: Set(id),
            slug: Set(i.slug),
            sort_key: Set(sort_key(&i.title)),
            title: Set(i.title),
            summary: Set(i.summary),
            title_en: Set(i.title_en),
            summary_en: Set(i.summary_en),
            body: Set(i.body),
            kind: Set(i.kind),
            status: Set(i.status),
            rejection_reason: Set(i.rejection_reason),
            format: Set(i.format),
            cost: Set(i.cost),
            prevention_level: Set(i.prevention_level),
            evidence_level: Set(i.evidence_level),
            region: Set(i.region),
            start_year: Set(i.start_year),
            end_year: Set(i.end_year),
            website: Set(i.website),
            contact_email: Set(i.contact_email),
            contact_personal: Set(false),
            is_demo: Set(is_demo),
            version: Set(1),
            created_at: Set(i.created_at),
            updated_at: Set(updated),
            published_at: Set(i.published_at),
        });
        id
    }

    pub fn add_event(&mut self, e: NewEvent, is_demo: bool) -> i64 {
        let id = self.next_event;
        self.next_event += 1;
        for t in &e.theme_ids {
            self.event_themes.push(event_theme::ActiveModel {
                event_id: Set(id),
                theme_id: Set(*t),
            });
        }
        for t in &e.topic_ids {
            self.event_topics.push(event_topic::ActiveModel {
                event_id: Set(id),
                topic_id: Set(*t),
            });
        }
        for o in &e.organiser_ids {
            self.event_organisations
                .push(event_organisation::ActiveModel {
                    event_id: Set(id),
                    organisation_id: Set(*o),
                });
        }
        for i in &e.initiative_ids {
            self.event_initiatives.push(event_initiative::ActiveModel {
                event_id: Set(id),
                initiative_id: Set(*i),
            });
        }
        self.events.push(event::ActiveModel {
            id: Set(id),
            slug: Set(e.slug),
            title: Set(e.title),
            summary: Set(e.summary),
            kind: Set(e.kind),
            status: Set(e.status),
            starts_at: Set(e.starts_at),
            ends_at: Set(e.ends_at),
            location: Set(e.location),
            online: Set(e.online),
            region: Set(e.region),
            website: Set(e.website),
            is_demo: Set(is_demo),
            version: Set(1),
            created_at: Set(e.created_at),
            updated_at: Set(e.published_at.unwrap_or(e.created_at).max(e.created_at)),
            published_at: Set(e.published_at),
        });
        id
    }

    pub fn add_link(
        &mut self,
        from: i64,
        to: i64,
        link_type: &str,
        note: Option<String>,
        at: DateTime<Utc>,
    ) {
        self.links.push(initiative_link::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            from_id: Set(from),
            to_id: Set(to),
            link_type: Set(link_type.into()),
            note: Set(note),
            created_at: Set(at),
        });
    }

    /// Writes every pending row, parents before edges, in multi-row statements.
    pub async fn flush<C: ConnectionTrait>(&mut self, db: &C) -> Result<()> {
        insert(db, std::mem::take(&mut self.organisations)).await?;
        insert(db, std::mem::take(&mut self.initiatives)).await?;
        insert(db, std::mem::take(&mut self.events)).await?;
        insert(db, std::mem::take(&mut self.terms)).await?;
        insert(db, std::mem::take(&mut self.initiative_themes)).await?;
        insert(db, std::mem::take(&mut self.initiative_topics)).await?;
        insert(db, std::mem::take(&mut self.initiative_organisations)).await?;
        insert(db, std::mem::take(&mut self.links)).await?;
        insert(db, std::mem::take(&mut self.event_themes)).await?;
        insert(db, std::mem::take(&mut self.event_topics)).await?;
        insert(db, std::mem::take(&mut self.event_initiatives)).await?;
        insert(db, std::mem::take(&mut self.event_organisations)).await?;
        Ok(())
    }

    /// Rows waiting, to decide when to flush.
    pub fn pending(&self) -> usize {
        self.initiatives.len()
    }
}

/// Inserts rows in chunks that stay under both databases' limit on bound parameters.
pub(crate) async fn insert<A, C>(db: &C, rows: Vec<A>) -> Result<()>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    const MAX_PARAMS: usize = 30_000;
    let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
    let chunk = (MAX_PARAMS / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let part: Vec<A> = rows.by_ref().take(chunk).collect();
        <A::Entity as EntityTrait>::insert_many(part)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

use sea_orm::Iterable;

/// After rows were written with explicit ids, moves PostgreSQL's sequences past them
/// (SQLite needs nothing: it continues after the largest id).
pub(crate) async fn sync_sequences(db: &DatabaseConnection, tables: &[&str]) -> Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in tables {
        // Table names come from this crate's own constant list, never from input.
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        );
        db.execute_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await?;
    }
    Ok(())
}
