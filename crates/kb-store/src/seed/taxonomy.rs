//! The project's own copy of the controlled vocabularies (`seed/taxonomy.toml`).

use std::collections::BTreeMap;

use kb_domain::labelled_vocabularies;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait};
use serde::Deserialize;

use crate::entity::{theme, topic, vocabulary_term};
use crate::{Result, StoreError};

const TAXONOMY: &str = include_str!("../../seed/taxonomy.toml");

#[derive(Debug, Deserialize)]
struct File {
    theme: Vec<ThemeRow>,
    topic: Vec<TopicRow>,
    #[serde(flatten)]
    flat: BTreeMap<String, BTreeMap<String, [String; 2]>>,
}

#[derive(Debug, Deserialize)]
struct ThemeRow {
    code: String,
    nl: String,
    en: String,
    definition_nl: String,
    definition_en: String,
}

#[derive(Debug, Deserialize)]
struct TopicRow {
    code: String,
    broader: Option<String>,
    nl: String,
    en: String,
    #[serde(default)]
    alt: Vec<String>,
    #[serde(default)]
    description_nl: String,
    #[serde(default)]
    description_en: String,
}

fn parse() -> Result<File> {
    toml::from_str(TAXONOMY).map_err(|e| StoreError::Seed(format!("taxonomy.toml: {e}")))
}

/// Order of the codes of a flat vocabulary in the file. TOML tables do not keep order,
/// so it is read from the text.
fn file_order(vocabulary: &str) -> Vec<String> {
    let header = format!("[{vocabulary}]");
    TAXONOMY
        .lines()
        .skip_while(|l| l.trim() != header)
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .filter(|k| !k.starts_with('#') && !k.is_empty())
        .collect()
}

pub(super) async fn load(db: &DatabaseConnection) -> Result<()> {
    let file = parse()?;
    let txn = db.begin().await?;
    let themes = file
        .theme
        .iter()
        .enumerate()
        .map(|(i, t)| theme::ActiveModel {
            id: Set(i as i64 + 1),
            code: Set(t.code.clone()),
            label_nl: Set(t.nl.clone()),
            label_en: Set(t.en.clone()),
            definition_nl: Set(t.definition_nl.clone()),
            definition_en: Set(t.definition_en.clone()),
            position: Set(i as i32),
        });
    theme::Entity::insert_many(themes).exec(&txn).await?;

    let id_of = |code: &str| {
        file.topic
            .iter()
            .position(|t| t.code == code)
            .map(|i| i as i64 + 1)
    };
    let mut topics = Vec::new();
    for (i, t) in file.topic.iter().enumerate() {
        let broader_id = match &t.broader {
            Some(b) => Some(id_of(b).ok_or_else(|| {
                StoreError::Seed(format!("topic {}: unknown broader {b}", t.code))
            })?),
            None => None,
        };
        topics.push(topic::ActiveModel {
            id: Set(i as i64 + 1),
            code: Set(t.code.clone()),
            broader_id: Set(broader_id),
            label_nl: Set(t.nl.clone()),
            label_en: Set(t.en.clone()),
            description_nl: Set(t.description_nl.clone()),
            description_en: Set(t.description_en.clone()),
            alt_labels: Set(
                serde_json::to_string(&t.alt).map_err(|e| StoreError::Seed(e.to_string()))?
            ),
            position: Set(i as i32),
        });
    }
    // Roots first, so that every broader row exists before its narrower rows.
    topics.sort_by_key(|t| matches!(t.broader_id, Set(Some(_))));
    topic::Entity::insert_many(topics).exec(&txn).await?;

    let mut terms = Vec::new();
    for (name, codes) in labelled_vocabularies() {
        let labels = file
            .flat
            .get(name)
            .ok_or_else(|| StoreError::Seed(format!("vocabulary {name} missing")))?;
        let order = file_order(name);
        for code in &codes {
            let [nl, en] = labels
                .get(*code)
                .ok_or_else(|| StoreError::Seed(format!("{name}.{code} has no labels")))?;
            let position = order.iter().position(|c| c == code).unwrap_or(usize::MAX) as i32;
            terms.push(vocabulary_term::ActiveModel {
                id: sea_orm::ActiveValue::NotSet,
                vocabulary: Set(name.to_owned()),
                code: Set((*code).to_owned()),
                label_nl: Set(nl.clone()),
                label_en: Set(en.clone()),
                position: Set(position),
            });
        }
        if let Some(extra) = labels.keys().find(|k| !codes.contains(&k.as_str())) {
            return Err(StoreError::Seed(format!(
                "{name}.{extra} is not known to the domain"
            )));
        }
    }
    vocabulary_term::Entity::insert_many(terms)
        .exec(&txn)
        .await?;
    crate::durability::commit(txn).await?;
    super::batch::sync_sequences(db, &["theme", "topic"]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_taxonomy_matches_the_domain_vocabularies() {
        let file = parse().expect("taxonomy parses");
        assert_eq!(file.theme.len(), 8);
        assert_eq!(file.topic.iter().filter(|t| t.broader.is_none()).count(), 9);
        for (name, codes) in labelled_vocabularies() {
            let labels = file.flat.get(name).expect(name);
            assert_eq!(labels.len(), codes.len(), "{name}");
            assert_eq!(file_order(name), codes, "{name} order");
        }
    }
}
