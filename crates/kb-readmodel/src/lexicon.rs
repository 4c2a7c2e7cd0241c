//! The lexicon of search, read from the store (the source of truth) at the start and
//! again whenever the change log says an entry changed, and handed to the index.

use kb_domain::Viewer;
use kb_search::{Lexicon, SearchIndex};
use kb_store::{Store, StoreError};

/// The lexicon as the store holds it now. Read as the public reads it: everyone may.
pub(crate) async fn lexicon_of(store: &Store) -> Result<Lexicon, StoreError> {
    let entries = store.lexicon(Viewer::Anonymous).await?;
    Ok(Lexicon::new(&entries))
}

/// Gives `index` the store's lexicon.
pub(crate) async fn load_lexicon(store: &Store, index: &SearchIndex) -> Result<(), StoreError> {
    let lexicon = lexicon_of(store).await?;
    tracing::info!(sets = lexicon.len(), "search lexicon loaded");
    index.set_lexicon(lexicon);
    Ok(())
}
