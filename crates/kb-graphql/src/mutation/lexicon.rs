//! Mutations of the bilingual lexicon of search (editors): an entry set whole, or removed.
//! Searches use the change from the next request on.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use crate::context::{actor, store};
use crate::error::StoreResultExt;
use crate::types::lexicon::LexiconEntry;

/// An entry of the lexicon, whole.
#[derive(InputObject, Debug, Clone)]
pub struct LexiconEntryInput {
    /// The entry's code: lower_snake_case, 2 to 64 characters. An entry with this code
    /// has its terms replaced; otherwise the entry is created.
    pub code: String,
    /// Dutch words and phrases: each 1 to 60 characters and at most 4 words, none twice.
    pub nl: Vec<String>,
    /// English words and phrases, as `nl`. The entry has at least two terms in all.
    pub en: Vec<String>,
}

/// The entry a `setLexiconEntry` wrote.
#[derive(SimpleObject)]
pub struct SetLexiconEntryPayload {
    /// The entry as stored.
    pub entry: LexiconEntry,
    /// Whether the entry is new; false when its terms were replaced.
    pub created: bool,
}

/// The entry a `removeLexiconEntry` removed.
#[derive(SimpleObject)]
pub struct RemoveLexiconEntryPayload {
    /// The entry as it was.
    pub entry: LexiconEntry,
}

/// Mutations of the lexicon.
#[derive(Debug, Default, Clone, Copy)]
pub struct LexiconMutations;

#[Object]
impl LexiconMutations {
    /// Creates a lexicon entry, or replaces the terms of the entry with its code
    /// (editors and admins).
    async fn set_lexicon_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entry, whole.")] input: LexiconEntryInput,
    ) -> async_graphql::Result<SetLexiconEntryPayload> {
        let written = store(ctx)?
            .set_lexicon_entry(&actor(ctx)?, &input.code, &input.nl, &input.en)
            .await
            .gql()?;
        Ok(SetLexiconEntryPayload {
            entry: LexiconEntry(written.entry),
            created: written.created,
        })
    }

    /// Removes a lexicon entry (editors and admins).
    async fn remove_lexicon_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code of the entry to remove.")] code: String,
    ) -> async_graphql::Result<RemoveLexiconEntryPayload> {
        let entry = store(ctx)?
            .remove_lexicon_entry(&actor(ctx)?, &code)
            .await
            .gql()?;
        Ok(RemoveLexiconEntryPayload {
            entry: LexiconEntry(entry),
        })
    }
}
