//! Writing the search index from the store: all of it at once, or the documents a batch
//! of changes touched, each time committed at the change-log position it stands for.

use kb_domain::{EventId, InitiativeId, OrganisationId};
use kb_store::StoreError;

use crate::{ReadModel, search};

impl ReadModel {
    /// Rebuilds the search index from the database.
    pub async fn reindex(&self) -> Result<u64, StoreError> {
        let applied = *self.inner.applied.lock().await;
        self.reindex_at(applied).await
    }

    /// Rebuilds the search index and commits it at `head`.
    pub(crate) async fn reindex_at(&self, head: i64) -> Result<u64, StoreError> {
        let started = std::time::Instant::now();
        let store = &self.inner.store;
        let texts = store.initiative_texts(None).await?;
        let events = store.event_texts(None).await?;
        let organisations = store.organisation_texts(None).await?;
        self.blocking(move |p, index| {
            index.clear().map_err(search::store_error)?;
            for chunk in texts.chunks(search::CHUNK) {
                index
                    .upsert(search::documents(p, chunk.to_vec()))
                    .map_err(search::store_error)?;
            }
            index
                .upsert(search::event_documents(p, events))
                .map_err(search::store_error)?;
            index
                .upsert(search::organisation_documents(p, organisations))
                .map_err(search::store_error)?;
            index.commit(head).map_err(search::store_error)
        })
        .await?;
        let index = &self.inner.index;
        tracing::info!(
            documents = index.len(),
            seconds = started.elapsed().as_secs_f64(),
            "search index built"
        );
        Ok(index.len())
    }

    /// Re-indexes the documents `touched` (removing those that no longer exist) and
    /// commits the index at `position`.
    pub(crate) async fn index_changes(
        &self,
        touched: search::Touched,
        position: i64,
    ) -> Result<(), StoreError> {
        let store = &self.inner.store;
        let ids: Vec<InitiativeId> = touched
            .initiatives
            .iter()
            .map(|m| InitiativeId(i64::from(m)))
            .collect();
        let mut texts = Vec::new();
        for chunk in ids.chunks(search::CHUNK) {
            texts.extend(store.initiative_texts(Some(chunk)).await?);
        }
        let events: Vec<EventId> = touched.events.into_iter().collect();
        let mut event_texts = Vec::new();
        for chunk in events.chunks(search::CHUNK) {
            event_texts.extend(store.event_texts(Some(chunk)).await?);
        }
        let organisations: Vec<OrganisationId> = touched.organisations.into_iter().collect();
        let mut organisation_texts = Vec::new();
        for chunk in organisations.chunks(search::CHUNK) {
            organisation_texts.extend(store.organisation_texts(Some(chunk)).await?);
        }
        self.blocking(move |p, index| {
            let gone = search::gone(&ids, texts.iter().map(|t| t.id));
            index.delete(&gone).map_err(search::store_error)?;
            let gone = search::gone(&events, event_texts.iter().map(|t| t.id));
            index.delete(&gone).map_err(search::store_error)?;
            let gone = search::gone(&organisations, organisation_texts.iter().map(|t| t.id));
            index.delete(&gone).map_err(search::store_error)?;
            let mut docs = search::documents(p, texts);
            docs.extend(search::event_documents(p, event_texts));
            docs.extend(search::organisation_documents(p, organisation_texts));
            index.upsert(docs).map_err(search::store_error)?;
            index.commit(position).map_err(search::store_error)
        })
        .await
    }
}
