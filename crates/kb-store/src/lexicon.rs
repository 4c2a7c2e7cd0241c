//! Reading the bilingual lexicon of search. Everyone may read it (see
//! [`access::read_lexicon`]): it is reference data like the taxonomy.

use kb_domain::{LexiconEntry, Viewer};
use sea_orm::{EntityTrait, QueryOrder};

use crate::entity::lexicon_entry;
use crate::{Result, Store, StoreError, access};

/// The entry a row holds.
pub(crate) fn entry(row: lexicon_entry::Model) -> Result<LexiconEntry> {
    let list = |json: &str| {
        serde_json::from_str::<Vec<String>>(json).map_err(|e| {
            StoreError::Internal(format!("lexicon entry `{}` is unreadable: {e}", row.code))
        })
    };
    Ok(LexiconEntry {
        nl: list(&row.nl)?,
        en: list(&row.en)?,
        code: row.code,
    })
}

impl Store {
    /// Every entry of the lexicon, in the lexicon's order (new entries last).
    pub async fn lexicon(&self, viewer: Viewer) -> Result<Vec<LexiconEntry>> {
        access::read_lexicon(viewer)?;
        lexicon_entry::Entity::find()
            .order_by_asc(lexicon_entry::Column::Position)
            .order_by_asc(lexicon_entry::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(entry)
            .collect()
    }
}
