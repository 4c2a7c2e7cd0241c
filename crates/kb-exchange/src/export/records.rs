//! Initiatives as exports describe them: the row with its themes, topics, organisations
//! (with their role) and terms, read for a batch of ids in five statements.

use std::collections::HashMap;

use kb_domain::{Initiative, InitiativeId, InitiativeTerms, Organisation, OrganisationRole};
use kb_store::{Store, StoreError};

use super::VIEWER;

/// One initiative with what it is linked to.
pub(super) struct Record {
    pub initiative: Initiative,
    /// Theme codes, in the taxonomy's order.
    pub themes: Vec<String>,
    /// Topic codes, in the taxonomy's order.
    pub topics: Vec<String>,
    /// Lead first, then partners, then funders; those the public sees only.
    pub organisations: Vec<(OrganisationRole, Organisation)>,
    pub terms: InitiativeTerms,
}

/// The initiatives of `ids` the public sees, in id order.
pub(super) async fn load(store: &Store, ids: &[InitiativeId]) -> Result<Vec<Record>, StoreError> {
    let mut rows = store.initiatives_by_ids(VIEWER, ids).await?;
    rows.sort_by_key(|i| i.id);
    let found: Vec<InitiativeId> = rows.iter().map(|i| i.id).collect();
    let mut themes: HashMap<InitiativeId, Vec<String>> = HashMap::new();
    for (id, t) in store.themes_of_initiatives(&found).await? {
        themes.entry(id).or_default().push(t.code);
    }
    let mut topics: HashMap<InitiativeId, Vec<String>> = HashMap::new();
    for (id, t) in store.topics_of_initiatives(&found).await? {
        topics.entry(id).or_default().push(t.code);
    }
    let mut organisations: HashMap<InitiativeId, Vec<(OrganisationRole, Organisation)>> =
        HashMap::new();
    for (id, role, o) in store.organisations_of_initiatives(VIEWER, &found).await? {
        organisations.entry(id).or_default().push((role, o));
    }
    let mut terms = store.initiative_terms(&found).await?;
    Ok(rows
        .into_iter()
        .map(|initiative| {
            let id = initiative.id;
            Record {
                initiative,
                themes: themes.remove(&id).unwrap_or_default(),
                topics: topics.remove(&id).unwrap_or_default(),
                organisations: organisations.remove(&id).unwrap_or_default(),
                terms: terms.remove(&id).unwrap_or_default(),
            }
        })
        .collect())
}
