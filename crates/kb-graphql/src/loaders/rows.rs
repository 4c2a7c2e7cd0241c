//! Loaders of rows by id, or by slug, each one store call per batch through the
//! access rule, kept in the memos where the viewer may share them.

use super::*;

impl Loader<InitiativeId> for Loaders {
    type Value = Initiative;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[InitiativeId]) -> LoadResult<InitiativeId, Initiative> {
        crate::observe::batch(keys);
        self.initiatives(keys).await
    }
}

/// Loaders of rows by id (or by another key of the row): the store call, the memo and
/// whose answers it keeps.
macro_rules! row_loader {
    ($key:ident, $value:ty, $memo:ident, $shared:expr, |$this:ident, $ids:ident| $call:expr) => {
        row_loader!($key, $value, $memo, $shared, |$this, $ids| $call, |r| r.id);
    };
    ($key:ident, $value:ty, $memo:ident, $shared:expr, |$this:ident, $ids:ident| $call:expr,
     |$row:ident| $key_of:expr) => {
        impl Loader<$key> for Loaders {
            type Value = $value;
            type Error = Arc<async_graphql::Error>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, $value> {
                crate::observe::batch(keys);
                let $this = self;
                self.through(&self.memos.$memo, $shared, keys, |$ids| async move {
                    let rows = $call.await.map_err(fail)?;
                    Ok(rows.into_iter().map(|$row| ($key_of, $row)).collect())
                })
                .await
            }
        }
    };
}

row_loader!(
    OrganisationId,
    Organisation,
    organisations,
    Shared::Alike,
    |s, ids| s.store.organisations_by_ids(s.viewer, &ids)
);
row_loader!(
    InitiativeSlug,
    Initiative,
    initiative_slugs,
    Shared::Alike,
    |s, keys| s
        .store
        .initiatives_by_slugs(s.viewer, &slugs(&keys, |k| &k.0)),
    |r| InitiativeSlug(r.slug.clone())
);
row_loader!(
    OrganisationSlug,
    Organisation,
    organisation_slugs,
    Shared::Alike,
    |s, keys| s
        .store
        .organisations_by_slugs(s.viewer, &slugs(&keys, |k| &k.0)),
    |r| OrganisationSlug(r.slug.clone())
);
row_loader!(
    EventSlug,
    Event,
    event_slugs,
    Shared::Alike,
    |s, keys| s.store.events_by_slugs(s.viewer, &slugs(&keys, |k| &k.0)),
    |r| EventSlug(r.slug.clone())
);
row_loader!(EventId, Event, events, Shared::Alike, |s, ids| s
    .store
    .events_by_ids(s.viewer, &ids));
row_loader!(ThemeId, Theme, themes, Shared::Everyone, |s, ids| s
    .store
    .themes_by_ids(&ids));
row_loader!(TopicId, Topic, topics, Shared::Everyone, |s, ids| s
    .store
    .topics_by_ids(&ids));

impl Loader<VocabularyTerms> for Loaders {
    type Value = Arc<Vec<kb_domain::Term>>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[VocabularyTerms],
    ) -> LoadResult<VocabularyTerms, Arc<Vec<kb_domain::Term>>> {
        crate::observe::batch(keys);
        let memo = &self.memos.vocabulary_terms;
        self.through(memo, Shared::Everyone, keys, |keys| async move {
            let terms = Arc::new(self.store.vocabulary_terms().await.map_err(fail)?);
            Ok(keys.into_iter().map(|k| (k, terms.clone())).collect())
        })
        .await
    }
}
