//! Taxonomy curation by editors: new topics, and labels, alternative labels and
//! descriptions of topics and themes. Codes never change once made: clients and stored
//! filters rely on them. The topic tree keeps two levels (a narrower topic sits under a
//! root), as facet counts assume.

use kb_domain::{DomainError, ErrorCode, Theme, Topic};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use serde_json::json;

use super::Actor;
use super::audit::{Change, record};
use crate::entity::{theme, topic};
use crate::{Result, Store, StoreError, access};

/// Labels and texts of a theme or topic; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaxonomyText {
    pub label_nl: Option<String>,
    pub label_en: Option<String>,
    /// A theme's definition or a topic's description.
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    /// Topics only: synonyms and abbreviations, replacing the current list.
    pub alt_labels: Option<Vec<String>>,
}

fn label(field: &str, s: &str) -> Result<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() || t.chars().count() > 200 {
        return Err(DomainError::bad_input(field, "a label has 1 to 200 characters").into());
    }
    Ok(t)
}

fn description(field: &str, s: &str) -> Result<String> {
    let t = s.trim().to_owned();
    if t.chars().count() > 2_000 {
        return Err(
            DomainError::bad_input(field, "a description has at most 2000 characters").into(),
        );
    }
    Ok(t)
}

fn alt_labels(list: &[String]) -> Result<Vec<String>> {
    if list.len() > 30 {
        return Err(
            DomainError::bad_input("input.altLabels", "at most 30 alternative labels").into(),
        );
    }
    let mut out: Vec<String> = Vec::new();
    for a in list {
        let a = label("input.altLabels", a)?;
        if a.chars().count() > 100 {
            return Err(DomainError::bad_input(
                "input.altLabels",
                "an alternative label has at most 100 characters",
            )
            .into());
        }
        if !out.iter().any(|x| x.to_lowercase() == a.to_lowercase()) {
            out.push(a);
        }
    }
    Ok(out)
}

fn topic_json(t: &topic::Model) -> serde_json::Value {
    json!({ "code": t.code, "broader_id": t.broader_id, "label_nl": t.label_nl, "label_en": t.label_en,
            "description_nl": t.description_nl, "description_en": t.description_en, "alt_labels": t.alt_labels })
}

fn theme_json(t: &theme::Model) -> serde_json::Value {
    json!({ "code": t.code, "label_nl": t.label_nl, "label_en": t.label_en,
            "definition_nl": t.definition_nl, "definition_en": t.definition_en })
}

fn alt_labels_json(list: &[String]) -> Result<String> {
    serde_json::to_string(&alt_labels(list)?)
        .map_err(|e| StoreError::Internal(format!("cannot serialise alternative labels: {e}")))
}

impl Store {
    /// Adds a topic, under a root topic when `broader` names one.
    pub async fn create_topic(
        &self,
        actor: &Actor,
        code: &str,
        broader: Option<&str>,
        text: TaxonomyText,
    ) -> Result<Topic> {
        access::require_editor(actor.viewer, "curate the taxonomy")?;
        let valid = code.len() >= 2
            && code.len() <= 64
            && code.starts_with(|c: char| c.is_ascii_lowercase())
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(DomainError::bad_input(
                "input.code",
                "a code is lower_snake_case, 2 to 64 characters",
            )
            .into());
        }
        let broader_id = match broader {
            Some(b) => {
                let parent = topic::Entity::find()
                    .filter(topic::Column::Code.eq(b))
                    .one(&self.db)
                    .await?
                    .ok_or_else(|| {
                        DomainError::bad_input("input.broader", format!("unknown topic `{b}`"))
                    })?;
                if parent.broader_id.is_some() {
                    return Err(DomainError::bad_input(
                        "input.broader",
                        "a narrower topic sits under a root topic",
                    )
                    .into());
                }
                Some(parent.id)
            }
            None => None,
        };
        let (Some(nl), Some(en)) = (&text.label_nl, &text.label_en) else {
            return Err(DomainError::bad_input(
                "input.labelNl",
                "a topic needs a Dutch and an English label",
            )
            .into());
        };
        let position: Option<Option<i32>> = topic::Entity::find()
            .select_only()
            .column_as(sea_orm::sea_query::Expr::cust("MAX(position)"), "m")
            .into_tuple()
            .one(&self.db)
            .await?;
        let txn = self.db.begin().await?;
        let row = topic::ActiveModel {
            id: NotSet,
            code: Set(code.to_owned()),
            broader_id: Set(broader_id),
            label_nl: Set(label("input.labelNl", nl)?),
            label_en: Set(label("input.labelEn", en)?),
            description_nl: Set(description(
                "input.descriptionNl",
                text.description_nl.as_deref().unwrap_or_default(),
            )?),
            description_en: Set(description(
                "input.descriptionEn",
                text.description_en.as_deref().unwrap_or_default(),
            )?),
            alt_labels: Set(alt_labels_json(
                text.alt_labels.as_deref().unwrap_or_default(),
            )?),
            position: Set(position.flatten().unwrap_or(0) + 1),
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            crate::on_unique(
                e,
                DomainError::new(ErrorCode::Conflict, format!("the code `{code}` is taken"))
                    .with_field("input.code"),
            )
        })?;
        let change = Change {
            entity: "topic",
            id: row.id,
            action: "create",
            version: 1,
        };
        record(&txn, actor, change, None, Some(&topic_json(&row))).await?;
        crate::durability::commit(txn).await?;
        Topic::try_from(row)
    }

    /// Changes a topic's labels, alternative labels or descriptions; its code stays.
    pub async fn update_topic(
        &self,
        actor: &Actor,
        code: &str,
        text: TaxonomyText,
    ) -> Result<Topic> {
        access::require_editor(actor.viewer, "curate the taxonomy")?;
        let before = topic::Entity::find()
            .filter(topic::Column::Code.eq(code))
            .one(&self.db)
            .await?
            .ok_or_else(|| DomainError::not_found(format!("topic `{code}`")))?;
        let mut row: topic::ActiveModel = before.clone().into();
        if let Some(l) = &text.label_nl {
            row.label_nl = Set(label("input.labelNl", l)?);
        }
        if let Some(l) = &text.label_en {
            row.label_en = Set(label("input.labelEn", l)?);
        }
        if let Some(d) = &text.description_nl {
            row.description_nl = Set(description("input.descriptionNl", d)?);
        }
        if let Some(d) = &text.description_en {
            row.description_en = Set(description("input.descriptionEn", d)?);
        }
        if let Some(a) = &text.alt_labels {
            row.alt_labels = Set(alt_labels_json(a)?);
        }
        let txn = self.db.begin().await?;
        let after = row.update(&txn).await?;
        let change = Change {
            entity: "topic",
            id: after.id,
            action: "update",
            version: 1,
        };
        let (was, is) = (topic_json(&before), topic_json(&after));
        record(&txn, actor, change, Some(&was), Some(&is)).await?;
        crate::durability::commit(txn).await?;
        Topic::try_from(after)
    }

    /// Changes a theme's labels or definitions; its code stays.
    pub async fn update_theme(
        &self,
        actor: &Actor,
        code: &str,
        text: TaxonomyText,
    ) -> Result<Theme> {
        access::require_editor(actor.viewer, "curate the taxonomy")?;
        if text.alt_labels.is_some() {
            return Err(DomainError::bad_input(
                "input.altLabels",
                "themes have no alternative labels",
            )
            .into());
        }
        let before = theme::Entity::find()
            .filter(theme::Column::Code.eq(code))
            .one(&self.db)
            .await?
            .ok_or_else(|| DomainError::not_found(format!("theme `{code}`")))?;
        let mut row: theme::ActiveModel = before.clone().into();
        if let Some(l) = &text.label_nl {
            row.label_nl = Set(label("input.labelNl", l)?);
        }
        if let Some(l) = &text.label_en {
            row.label_en = Set(label("input.labelEn", l)?);
        }
        if let Some(d) = &text.description_nl {
            row.definition_nl = Set(description("input.descriptionNl", d)?);
        }
        if let Some(d) = &text.description_en {
            row.definition_en = Set(description("input.descriptionEn", d)?);
        }
        let txn = self.db.begin().await?;
        let after = row.update(&txn).await?;
        let change = Change {
            entity: "theme",
            id: after.id,
            action: "update",
            version: 1,
        };
        let (was, is) = (theme_json(&before), theme_json(&after));
        record(&txn, actor, change, Some(&was), Some(&is)).await?;
        crate::durability::commit(txn).await?;
        Ok(Theme::from(after))
    }
}
