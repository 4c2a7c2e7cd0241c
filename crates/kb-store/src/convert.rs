use kb_domain::lang::Localised;
use std::collections::HashMap;
use std::hash::Hash;

use kb_domain::{
    Event, EventId, Initiative, InitiativeId, NodeId, Organisation, OrganisationId, Term, Theme,
    ThemeId, Topic, TopicId, Vocabulary,
};

use crate::entity::{event, initiative, organisation, theme, topic, vocabulary_term};
use crate::{Result, StoreError};

/// A stored code as its vocabulary's value. An unknown code is a broken row, not bad
/// input: it surfaces as an internal error.
pub(crate) fn code<V: Vocabulary>(s: &str) -> Result<V> {
    V::from_code(s).ok_or_else(|| {
        StoreError::Internal(format!("unknown {} code `{s}` in the database", V::NAME))
    })
}

fn opt_code<V: Vocabulary>(s: Option<&str>) -> Result<Option<V>> {
    s.map(code::<V>).transpose()
}

impl TryFrom<initiative::Model> for Initiative {
    type Error = StoreError;
    fn try_from(m: initiative::Model) -> Result<Self> {
        Ok(Initiative {
            kind: code(&m.kind)?,
            status: code(&m.status)?,
            format: opt_code(m.format.as_deref())?,
            cost: opt_code(m.cost.as_deref())?,
            prevention_level: opt_code(m.prevention_level.as_deref())?,
            evidence_level: opt_code(m.evidence_level.as_deref())?,
            region: opt_code(m.region.as_deref())?,
            id: InitiativeId(m.id),
            slug: m.slug,
            title: m.title,
            summary: m.summary,
            title_en: m.title_en,
            summary_en: m.summary_en,
            body: m.body,
            start_year: m.start_year,
            end_year: m.end_year,
            website: m.website,
            contact_email: m.contact_email,
            contact_personal: m.contact_personal,
            is_demo: m.is_demo,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            published_at: m.published_at,
        })
    }
}

impl TryFrom<organisation::Model> for Organisation {
    type Error = StoreError;
    fn try_from(m: organisation::Model) -> Result<Self> {
        Ok(Organisation {
            kind: code(&m.kind)?,
            status: code(&m.status)?,
            region: opt_code(m.region.as_deref())?,
            id: OrganisationId(m.id),
            slug: m.slug,
            name: m.name,
            city: m.city,
            website: m.website,
            email: m.email,
            description: Localised::new(m.description_nl, m.description_en),
            part_of_id: m.part_of_id.map(OrganisationId),
            is_demo: m.is_demo,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl TryFrom<event::Model> for Event {
    type Error = StoreError;
    fn try_from(m: event::Model) -> Result<Self> {
        Ok(Event {
            kind: code(&m.kind)?,
            status: code(&m.status)?,
            region: opt_code(m.region.as_deref())?,
            id: EventId(m.id),
            slug: m.slug,
            title: m.title,
            summary: m.summary,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            location: m.location,
            online: m.online,
            website: m.website,
            is_demo: m.is_demo,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            published_at: m.published_at,
        })
    }
}

impl From<theme::Model> for Theme {
    fn from(m: theme::Model) -> Self {
        Theme {
            id: ThemeId(m.id),
            code: m.code,
            label: Localised::new(m.label_nl, Some(m.label_en)),
            definition: Localised::new(m.definition_nl, Some(m.definition_en)),
            position: m.position,
        }
    }
}

/// A topic row; alternative labels that do not parse are a broken row, never an empty
/// list.
impl TryFrom<topic::Model> for Topic {
    type Error = StoreError;
    fn try_from(m: topic::Model) -> Result<Self> {
        let alt_labels = serde_json::from_str(&m.alt_labels).map_err(|e| {
            StoreError::Internal(format!("alternative labels of topic {}: {e}", m.code))
        })?;
        Ok(Topic {
            id: TopicId(m.id),
            code: m.code,
            broader_id: m.broader_id.map(TopicId),
            label: Localised::new(m.label_nl, Some(m.label_en)),
            description: Localised::new(m.description_nl, Some(m.description_en)),
            alt_labels,
            position: m.position,
        })
    }
}

impl From<vocabulary_term::Model> for Term {
    fn from(m: vocabulary_term::Model) -> Self {
        Term {
            vocabulary: m.vocabulary,
            code: m.code,
            label: Localised::new(m.label_nl, Some(m.label_en)),
            position: m.position,
        }
    }
}

/// Converts many rows, failing on the first broken one.
pub(crate) fn all<M, T>(rows: Vec<M>) -> Result<Vec<T>>
where
    T: TryFrom<M, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}

/// The row ids of typed ids, for SQL.
pub(crate) fn rows<T: NodeId>(ids: &[T]) -> Vec<i64> {
    ids.iter().map(|i| i.row()).collect()
}

/// `(parent row id, value)` pairs with typed parents.
pub(crate) fn typed<T: NodeId, V>(pairs: Vec<(i64, V)>) -> Vec<(T, V)> {
    pairs
        .into_iter()
        .map(|(k, v)| (T::from_row(k), v))
        .collect()
}

/// A map by parent row id as a map by typed parent.
pub(crate) fn typed_map<T: NodeId + Hash + Eq, V>(m: HashMap<i64, V>) -> HashMap<T, V> {
    m.into_iter().map(|(k, v)| (T::from_row(k), v)).collect()
}
