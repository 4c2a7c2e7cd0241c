//! The project's own copy of the bilingual lexicon of search (`seed/lexicon.toml`),
//! reference data loaded beside the taxonomy. Every entry passes the same validation as
//! an editor's.

use kb_domain::LexiconEntry;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde::Deserialize;

use crate::entity::lexicon_entry;
use crate::{Result, StoreError};

const LEXICON: &str = include_str!("../../seed/lexicon.toml");

#[derive(Debug, Deserialize)]
struct File {
    entry: Vec<Row>,
}

#[derive(Debug, Deserialize)]
struct Row {
    code: String,
    #[serde(default)]
    nl: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
}

/// The entries of the file, validated, in its order.
pub(crate) fn entries() -> Result<Vec<LexiconEntry>> {
    let file: File =
        toml::from_str(LEXICON).map_err(|e| StoreError::Seed(format!("lexicon.toml: {e}")))?;
    let mut out: Vec<LexiconEntry> = Vec::with_capacity(file.entry.len());
    for row in file.entry {
        let entry = LexiconEntry::parse(&row.code, &row.nl, &row.en).map_err(|e| {
            StoreError::Seed(format!("lexicon.toml, entry {}: {}", row.code, e.message))
        })?;
        if out.iter().any(|e| e.code == entry.code) {
            return Err(StoreError::Seed(format!(
                "lexicon.toml: the code {} is used twice",
                entry.code
            )));
        }
        out.push(entry);
    }
    Ok(out)
}

pub(super) async fn load(db: &DatabaseConnection) -> Result<usize> {
    let entries = entries()?;
    let n = entries.len();
    let rows = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| -> Result<lexicon_entry::ActiveModel> {
            let json = |terms: &[String]| {
                serde_json::to_string(terms).map_err(|e| StoreError::Seed(e.to_string()))
            };
            Ok(lexicon_entry::ActiveModel {
                id: NotSet,
                nl: Set(json(&e.nl)?),
                en: Set(json(&e.en)?),
                code: Set(e.code),
                position: Set(i as i32 + 1),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    lexicon_entry::Entity::insert_many(rows).exec(db).await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_of_the_file_is_valid_and_codes_are_unique() {
        let entries = entries().expect("lexicon.toml is valid");
        assert_eq!(entries.len(), 119);
        let suicide = entries
            .iter()
            .find(|e| e.code == "suicide")
            .expect("suicide entry");
        assert_eq!(
            suicide.terms().collect::<Vec<_>>(),
            vec!["suïcide", "suicide", "zelfmoord", "zelfdoding", "suicide"]
        );
    }
}
