//! The demo data set (`seed/demo.toml`): fictional organisations, initiatives and
//! events, every row flagged `is_demo` and every address on `.example`, so that a real
//! deployment can recognise and drop them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use serde::Deserialize;

use super::batch::{Batch, NewEvent, NewInitiative, NewOrganisation, sync_sequences};
use crate::entity::{initiative, theme, topic};
use crate::{Result, Store, StoreError};

const DEMO: &str = include_str!("../../seed/demo.toml");

#[derive(Debug, Deserialize)]
struct File {
    organisation: Vec<Org>,
    initiative: Vec<Init>,
    event: Vec<Ev>,
    link: Vec<Link>,
}

#[derive(Debug, Deserialize)]
struct Org {
    slug: String,
    name: String,
    kind: String,
    region: Option<String>,
    city: Option<String>,
    website: Option<String>,
    email: Option<String>,
    description_nl: String,
    description_en: Option<String>,
    part_of: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OrgRef {
    slug: String,
    role: String,
}

#[derive(Debug, Deserialize)]
struct Init {
    slug: String,
    title: String,
    summary: String,
    #[serde(default)]
    title_en: Option<String>,
    #[serde(default)]
    summary_en: Option<String>,
    body: Option<String>,
    kind: String,
    status: String,
    rejection_reason: Option<String>,
    languages: Vec<String>,
    themes: Vec<String>,
    topics: Vec<String>,
    #[serde(default)]
    target_groups: Vec<String>,
    #[serde(default)]
    education_levels: Vec<String>,
    format: Option<String>,
    cost: Option<String>,
    prevention_level: Option<String>,
    evidence_level: Option<String>,
    region: Option<String>,
    start_year: Option<i32>,
    end_year: Option<i32>,
    website: Option<String>,
    contact_email: Option<String>,
    published_at: Option<String>,
    organisations: Vec<OrgRef>,
}

#[derive(Debug, Deserialize)]
struct Ev {
    slug: String,
    title: String,
    summary: String,
    kind: String,
    status: String,
    starts_at: DateTime<chrono::FixedOffset>,
    ends_at: DateTime<chrono::FixedOffset>,
    location: Option<String>,
    online: bool,
    region: Option<String>,
    website: Option<String>,
    themes: Vec<String>,
    topics: Vec<String>,
    organisers: Vec<String>,
    #[serde(default)]
    initiatives: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Link {
    from: String,
    to: String,
    #[serde(rename = "type")]
    link_type: String,
    note: Option<String>,
}

/// What the demo load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub organisations: usize,
    pub initiatives: usize,
    pub events: usize,
    pub links: usize,
    /// False when the demo set was already present and nothing was written.
    pub loaded: bool,
}

fn parse() -> Result<File> {
    toml::from_str(DEMO).map_err(|e| StoreError::Seed(format!("demo.toml: {e}")))
}

fn date(s: &str) -> Result<DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Seed(format!("date {s}: {e}")))?;
    Ok(Utc.from_utc_datetime(&d.and_hms_opt(9, 0, 0).unwrap_or_default()))
}

fn lookup(map: &HashMap<String, i64>, what: &str, key: &str) -> Result<i64> {
    map.get(key)
        .copied()
        .ok_or_else(|| StoreError::Seed(format!("demo.toml: unknown {what} `{key}`")))
}

pub(super) async fn load(store: &Store) -> Result<DemoSummary> {
    let file = parse()?;
    let db = &store.db;
    let first_slug = file
        .initiative
        .first()
        .map(|i| i.slug.clone())
        .unwrap_or_default();
    let present = initiative::Entity::find()
        .filter(initiative::Column::Slug.eq(first_slug))
        .count(db)
        .await?
        > 0;
    let mut summary = DemoSummary {
        organisations: file.organisation.len(),
        initiatives: file.initiative.len(),
        events: file.event.len(),
        links: file.link.len(),
        loaded: !present,
    };
    if present {
        summary.loaded = false;
        return Ok(summary);
    }
    let themes: HashMap<String, i64> = theme::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.code, t.id))
        .collect();
    let topics: HashMap<String, i64> = topic::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.code, t.id))
        .collect();
    let created = date("2026-11-01")?;

    let txn = db.begin().await?;
    let mut batch = Batch::start(&txn).await?;
    let mut orgs: HashMap<String, i64> = HashMap::new();
    // Parents first: an organisation's `part_of` must already have its id.
    let mut pending: Vec<&Org> = file.organisation.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for o in pending {
            let parent = match &o.part_of {
                Some(p) => match orgs.get(p) {
                    Some(id) => Some(*id),
                    None => {
                        rest.push(o);
                        continue;
                    }
                },
                None => None,
            };
            let id = batch.add_organisation(
                NewOrganisation {
                    slug: o.slug.clone(),
                    name: o.name.clone(),
                    kind: o.kind.clone(),
                    region: o.region.clone(),
                    city: o.city.clone(),
                    website: o.website.clone(),
                    email: o.email.clone(),
                    description_nl: o.description_nl.clone(),
                    description_en: o.description_en.clone(),
                    part_of_id: parent,
                    created_at: created,
                },
                true,
            );
            orgs.insert(o.slug.clone(), id);
        }
        if rest.len() == before {
            return Err(StoreError::Seed(
                "demo.toml: part_of refers to an unknown organisation or a cycle".into(),
            ));
        }
        pending = rest;
    }

    let mut inits: HashMap<String, i64> = HashMap::new();
    for i in &file.initiative {
        let published_at = i.published_at.as_deref().map(date).transpose()?;
        let new = NewInitiative {
            slug: i.slug.clone(),
            title: i.title.clone(),
            summary: i.summary.clone(),
            title_en: i.title_en.clone(),
            summary_en: i.summary_en.clone(),
            body: i.body.clone(),
            kind: i.kind.clone(),
            status: i.status.clone(),
            rejection_reason: i.rejection_reason.clone(),
            format: i.format.clone(),
            cost: i.cost.clone(),
            prevention_level: i.prevention_level.clone(),
            evidence_level: i.evidence_level.clone(),
            region: i.region.clone(),
            start_year: i.start_year,
            end_year: i.end_year,
            website: i.website.clone(),
            contact_email: i.contact_email.clone(),
            created_at: published_at.unwrap_or(created).min(created),
            published_at,
            languages: i.languages.clone(),
            target_groups: i.target_groups.clone(),
            education_levels: i.education_levels.clone(),
            theme_ids: i
                .themes
                .iter()
                .map(|c| lookup(&themes, "theme", c))
                .collect::<Result<_>>()?,
            topic_ids: i
                .topics
                .iter()
                .map(|c| lookup(&topics, "topic", c))
                .collect::<Result<_>>()?,
            organisations: i
                .organisations
                .iter()
                .map(|o| Ok((lookup(&orgs, "organisation", &o.slug)?, o.role.clone())))
                .collect::<Result<_>>()?,
        };
        inits.insert(i.slug.clone(), batch.add_initiative(new, true));
    }
    for e in &file.event {
        let published_at = (e.status == "published" || e.status == "archived").then_some(created);
        batch.add_event(
            NewEvent {
                slug: e.slug.clone(),
                title: e.title.clone(),
                summary: e.summary.clone(),
                kind: e.kind.clone(),
                status: e.status.clone(),
                starts_at: e.starts_at.with_timezone(&Utc),
                ends_at: e.ends_at.with_timezone(&Utc),
                location: e.location.clone(),
                online: e.online,
                region: e.region.clone(),
                website: e.website.clone(),
                created_at: created,
                published_at,
                theme_ids: e
                    .themes
                    .iter()
                    .map(|c| lookup(&themes, "theme", c))
                    .collect::<Result<_>>()?,
                topic_ids: e
                    .topics
                    .iter()
                    .map(|c| lookup(&topics, "topic", c))
                    .collect::<Result<_>>()?,
                organiser_ids: e
                    .organisers
                    .iter()
                    .map(|s| lookup(&orgs, "organisation", s))
                    .collect::<Result<_>>()?,
                initiative_ids: e
                    .initiatives
                    .iter()
                    .map(|s| lookup(&inits, "initiative", s))
                    .collect::<Result<_>>()?,
            },
            true,
        );
    }
    for l in &file.link {
        batch.add_link(
            lookup(&inits, "initiative", &l.from)?,
            lookup(&inits, "initiative", &l.to)?,
            &l.link_type,
            l.note.clone(),
            created,
        );
    }
    batch.flush(&txn).await?;
    crate::durability::commit(txn).await?;
    sync_sequences(
        db,
        &["organisation", "initiative", "event", "initiative_link"],
    )
    .await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_file_parses_and_is_large_enough() {
        let f = parse().expect("demo.toml parses");
        assert!(f.organisation.len() >= 25);
        assert!(f.initiative.len() >= 60);
        assert!(f.event.len() >= 12);
        assert!(f.initiative.iter().any(|i| i.status == "draft"));
        assert!(f.initiative.iter().any(|i| i.status == "archived"));
        assert!(
            f.organisation
                .iter()
                .all(|o| o.website.as_deref().is_none_or(|w| w.contains(".example")))
        );
    }
}
