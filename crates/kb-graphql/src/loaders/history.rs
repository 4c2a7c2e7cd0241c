//! Loaders of an initiative's history, for those who may read it.

use super::*;

impl Loader<RevisionsOfInitiative> for Loaders {
    type Value = Vec<kb_store::Revision>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[RevisionsOfInitiative],
    ) -> LoadResult<RevisionsOfInitiative, Vec<kb_store::Revision>> {
        crate::observe::batch(keys);
        self.through_absent(&self.memos.revisions, keys, |keys| async move {
            let ids: Vec<InitiativeId> = keys.iter().map(|k| k.0).collect();
            let found = self
                .store
                .revisions_of_initiatives(self.viewer, &ids)
                .await
                .map_err(fail)?;
            // Initiatives whose history the viewer may not read stay absent: null.
            Ok(found
                .into_iter()
                .map(|(id, list)| (RevisionsOfInitiative(id), list))
                .collect())
        })
        .await
    }
}

impl Loader<RejectionReasonOf> for Loaders {
    type Value = String;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[RejectionReasonOf]) -> LoadResult<RejectionReasonOf, String> {
        crate::observe::batch(keys);
        self.through_absent(&self.memos.rejection_reasons, keys, |keys| async move {
            let ids: Vec<InitiativeId> = keys.iter().map(|k| k.0).collect();
            let found = self
                .store
                .rejection_reasons(self.viewer, &ids)
                .await
                .map_err(fail)?;
            Ok(found
                .into_iter()
                .map(|(id, reason)| (RejectionReasonOf(id), reason))
                .collect())
        })
        .await
    }
}

impl Loader<LastChangeOf> for Loaders {
    type Value = (String, chrono::DateTime<chrono::Utc>);
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[LastChangeOf],
    ) -> LoadResult<LastChangeOf, (String, chrono::DateTime<chrono::Utc>)> {
        crate::observe::batch(keys);
        self.through_absent(&self.memos.last_changes, keys, |keys| async move {
            let ids: Vec<InitiativeId> = keys.iter().map(|k| k.0).collect();
            let found = self
                .store
                .last_changes(self.viewer, &ids)
                .await
                .map_err(fail)?;
            Ok(found
                .into_iter()
                .map(|(id, change)| (LastChangeOf(id), change))
                .collect())
        })
        .await
    }
}
