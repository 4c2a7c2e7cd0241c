//! What the read model's graph holds beyond initiatives: every event with its edges
//! (themes, topics, organisers, featured initiatives) and the organisation hierarchy.
//! A handful of statements however many rows, like the initiative facts.

use std::collections::HashMap;

use kb_domain::{EventId, InitiativeId, OrganisationId, Status, ThemeId, TopicId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::convert::{code, rows};
use crate::entity::{
    event, event_initiative, event_organisation, event_theme, event_topic, organisation,
};
use crate::{Result, Store};

/// The edges of one event and the status its visibility depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    pub id: EventId,
    pub status: Status,
    pub themes: Vec<ThemeId>,
    pub topics: Vec<TopicId>,
    pub organisers: Vec<OrganisationId>,
    /// The initiatives it features.
    pub initiatives: Vec<InitiativeId>,
}

impl Store {
    /// The facts of the events `ids`, or of every event with `None`: five statements
    /// either way. Ids that do not exist are absent.
    pub async fn event_facts(&self, ids: Option<&[EventId]>) -> Result<Vec<EventFacts>> {
        let raw = ids.map(rows);
        let mut q = event::Entity::find()
            .select_only()
            .columns([event::Column::Id, event::Column::Status])
            .order_by_asc(event::Column::Id);
        let mut themes = event_theme::Entity::find()
            .select_only()
            .columns([event_theme::Column::EventId, event_theme::Column::ThemeId]);
        let mut topics = event_topic::Entity::find()
            .select_only()
            .columns([event_topic::Column::EventId, event_topic::Column::TopicId]);
        let mut organisers = event_organisation::Entity::find().select_only().columns([
            event_organisation::Column::EventId,
            event_organisation::Column::OrganisationId,
        ]);
        let mut featured = event_initiative::Entity::find().select_only().columns([
            event_initiative::Column::EventId,
            event_initiative::Column::InitiativeId,
        ]);
        if let Some(ids) = &raw {
            q = q.filter(event::Column::Id.is_in(ids.clone()));
            themes = themes.filter(event_theme::Column::EventId.is_in(ids.clone()));
            topics = topics.filter(event_topic::Column::EventId.is_in(ids.clone()));
            organisers = organisers.filter(event_organisation::Column::EventId.is_in(ids.clone()));
            featured = featured.filter(event_initiative::Column::EventId.is_in(ids.clone()));
        }
        let found: Vec<(i64, String)> = q.into_tuple().all(&self.db).await?;
        let mut out: Vec<EventFacts> = Vec::with_capacity(found.len());
        let mut at: HashMap<i64, usize> = HashMap::with_capacity(found.len());
        for (id, status) in found {
            at.insert(id, out.len());
            out.push(EventFacts {
                id: EventId(id),
                status: code(&status)?,
                themes: Vec::new(),
                topics: Vec::new(),
                organisers: Vec::new(),
                initiatives: Vec::new(),
            });
        }
        if out.is_empty() {
            return Ok(out);
        }
        let (themes, topics, organisers, featured) = futures_util::try_join!(
            themes.into_tuple::<(i64, i64)>().all(&self.db),
            topics.into_tuple::<(i64, i64)>().all(&self.db),
            organisers.into_tuple::<(i64, i64)>().all(&self.db),
            featured.into_tuple::<(i64, i64)>().all(&self.db),
        )?;
        let mut put = |pairs: Vec<(i64, i64)>, add: fn(&mut EventFacts, i64)| {
            for (e, x) in pairs {
                if let Some(k) = at.get(&e).copied() {
                    add(&mut out[k], x);
                }
            }
        };
        put(themes, |f, x| f.themes.push(ThemeId(x)));
        put(topics, |f, x| f.topics.push(TopicId(x)));
        put(organisers, |f, x| f.organisers.push(OrganisationId(x)));
        put(featured, |f, x| f.initiatives.push(InitiativeId(x)));
        for f in &mut out {
            f.themes.sort();
            f.topics.sort();
            f.organisers.sort();
            f.initiatives.sort();
        }
        Ok(out)
    }

    /// Every organisation that is part of another, with the one it is part of.
    pub async fn organisation_parents(&self) -> Result<Vec<(OrganisationId, OrganisationId)>> {
        let found: Vec<(i64, Option<i64>)> = organisation::Entity::find()
            .select_only()
            .columns([organisation::Column::Id, organisation::Column::PartOfId])
            .filter(organisation::Column::PartOfId.is_not_null())
            .order_by_asc(organisation::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(found
            .into_iter()
            .filter_map(|(id, parent)| parent.map(|p| (OrganisationId(id), OrganisationId(p))))
            .collect())
    }
}
