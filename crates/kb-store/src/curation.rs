//! Taxonomy curation by editors: new topics, and labels, alternative labels and
//! descriptions of topics and themes. Codes never change once made: clients and stored
//! filters rely on them. The topic tree keeps two levels (a narrower topic sits under a
//! root), as facet counts assume.

use kb_domain::{DomainError, Theme, Topic, Viewer};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::entity::{theme, topic};
use crate::writes::{Actor, may_write, record_json};
use crate::{Result, Store};

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

fn require_editor(viewer: Viewer) -> Result<()> {
    may_write(viewer)?;
    viewer.require_editor("curate the taxonomy")?;
    Ok(())
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
        require_editor(actor.viewer)?;
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
        if topic::Entity::find()
            .filter(topic::Column::Code.eq(code))
            .one(&self.db)
            .await?
            .is_some()
        {
            return Err(DomainError::bad_input(
                "input.code",
                format!("the code `{code}` is taken"),
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
            alt_labels: Set(serde_json::to_string(&alt_labels(
                text.alt_labels.as_deref().unwrap_or_default(),
            )?)
            .unwrap_or_else(|_| "[]".into())),
            position: Set(position.flatten().unwrap_or(0) + 1),
        }
        .insert(&txn)
        .await?;
        record_json(
            &txn,
            actor,
            "topic",
            row.id,
            "create",
            None,
            Some(topic_json(&row)),
            1,
        )
        .await?;
        txn.commit().await?;
        Ok(Topic::from(row))
    }

    /// Changes a topic's labels, alternative labels or descriptions; its code stays.
    pub async fn update_topic(
        &self,
        actor: &Actor,
        code: &str,
        text: TaxonomyText,
    ) -> Result<Topic> {
        require_editor(actor.viewer)?;
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
            row.alt_labels =
                Set(serde_json::to_string(&alt_labels(a)?).unwrap_or_else(|_| "[]".into()));
        }
        let txn = self.db.begin().await?;
        let after = row.update(&txn).await?;
        record_json(
            &txn,
            actor,
            "topic",
            after.id,
            "update",
            Some(topic_json(&before)),
            Some(topic_json(&after)),
            1,
        )
        .await?;
        txn.commit().await?;
        Ok(Topic::from(after))
    }

    /// Changes a theme's labels or definitions; its code stays.
    pub async fn update_theme(
        &self,
        actor: &Actor,
        code: &str,
        text: TaxonomyText,
    ) -> Result<Theme> {
        require_editor(actor.viewer)?;
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
        record_json(
            &txn,
            actor,
            "theme",
            after.id,
            "update",
            Some(theme_json(&before)),
            Some(theme_json(&after)),
            1,
        )
        .await?;
        txn.commit().await?;
        Ok(Theme::from(after))
    }
}
