//! Loaders of an initiative's history, for those who may read it: each one store call
//! per batch, which leaves out the initiatives whose history the viewer may not read
//! (their answer is null), kept with the absences per kind of reader.

use super::*;

/// A loader of one part of the history: its key, value, memo and store call, which
/// answers by initiative id.
macro_rules! history_loader {
    ($key:ident, $value:ty, $memo:ident, $call:ident) => {
        impl Loader<$key> for Loaders {
            type Value = $value;
            type Error = Arc<async_graphql::Error>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, $value> {
                crate::observe::batch(keys);
                self.through_absent(&self.memos.$memo, keys, |keys| async move {
                    let ids: Vec<InitiativeId> = keys.iter().map(|k| k.0).collect();
                    let found = self.store.$call(self.viewer, &ids).await.map_err(fail)?;
                    Ok(found.into_iter().map(|(id, v)| ($key(id), v)).collect())
                })
                .await
            }
        }
    };
}

history_loader!(
    RevisionsOfInitiative,
    Vec<kb_store::Revision>,
    revisions,
    revisions_of_initiatives
);
history_loader!(
    RejectionReasonOf,
    String,
    rejection_reasons,
    rejection_reasons
);
history_loader!(
    LastChangeOf,
    (String, chrono::DateTime<chrono::Utc>),
    last_changes,
    last_changes
);
