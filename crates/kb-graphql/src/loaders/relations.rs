//! Loaders of the rows related to a parent: one store call per relation level,
//! grouped back under each parent.

use super::*;

/// Loaders whose store call takes parent ids and returns `(parent, value)` rows.
macro_rules! list_loader {
    ($key:ident, $value:ty, $memo:ident, $shared:expr, |$this:ident, $ids:ident| $call:expr) => {
        impl Loader<$key> for Loaders {
            type Value = Vec<$value>;
            type Error = Arc<async_graphql::Error>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Vec<$value>> {
                crate::observe::batch(keys);
                let $this = self;
                self.through(&self.memos.$memo, $shared, keys, |keys| async move {
                    let $ids: Vec<_> = keys.iter().map(|k| k.0).collect();
                    let rows = $call.await.map_err(fail)?;
                    Ok(group(
                        &keys,
                        rows.into_iter().map(|(parent, v)| ($key(parent), v)),
                    ))
                })
                .await
            }
        }
    };
}

// An initiative's themes and topics are the same whoever asks (who may ask is decided
// when the initiative is loaded).
list_loader!(
    ThemesOfInitiative,
    Theme,
    themes_of_initiative,
    Shared::Everyone,
    |s, ids| s.store.themes_of_initiatives(&ids)
);
list_loader!(
    TopicsOfInitiative,
    Topic,
    topics_of_initiative,
    Shared::Everyone,
    |s, ids| s.store.topics_of_initiatives(&ids)
);
list_loader!(
    ThemesOfEvent,
    Theme,
    themes_of_event,
    Shared::Everyone,
    |s, ids| s.store.themes_of_events(&ids)
);
list_loader!(
    TopicsOfEvent,
    Topic,
    topics_of_event,
    Shared::Everyone,
    |s, ids| s.store.topics_of_events(&ids)
);
list_loader!(
    OrganisersOfEvent,
    Organisation,
    organisers_of_event,
    Shared::Alike,
    |s, ids| s.store.organisers_of_events(s.viewer, &ids)
);

impl Loader<OrganisationsOfInitiative> for Loaders {
    type Value = Vec<(OrganisationRole, Organisation)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[OrganisationsOfInitiative],
    ) -> LoadResult<OrganisationsOfInitiative, Vec<(OrganisationRole, Organisation)>> {
        crate::observe::batch(keys);
        let memo = &self.memos.organisations_of_initiative;
        self.through(memo, Shared::Alike, keys, |keys| async move {
            let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
            let rows = self
                .store
                .organisations_of_initiatives(self.viewer, &ids)
                .await
                .map_err(fail)?;
            Ok(group(
                &keys,
                rows.into_iter()
                    .map(|(p, role, o)| (OrganisationsOfInitiative(p), (role, o))),
            ))
        })
        .await
    }
}

impl Loader<TermsOfInitiative> for Loaders {
    type Value = InitiativeTerms;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[TermsOfInitiative],
    ) -> LoadResult<TermsOfInitiative, InitiativeTerms> {
        crate::observe::batch(keys);
        let memo = &self.memos.terms_of_initiative;
        self.through(memo, Shared::Everyone, keys, |keys| async move {
            let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
            let mut terms = self.store.initiative_terms(&ids).await.map_err(fail)?;
            Ok(keys
                .iter()
                .map(|k| (*k, terms.remove(&k.0).unwrap_or_default()))
                .collect())
        })
        .await
    }
}

impl Loader<PartsOfOrganisation> for Loaders {
    type Value = Vec<Organisation>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[PartsOfOrganisation],
    ) -> LoadResult<PartsOfOrganisation, Vec<Organisation>> {
        crate::observe::batch(keys);
        let memo = &self.memos.parts_of_organisation;
        self.through(memo, Shared::Alike, keys, |keys| async move {
            let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
            let mut parts = self
                .store
                .parts_of_organisations(self.viewer, &ids)
                .await
                .map_err(fail)?;
            Ok(keys
                .iter()
                .map(|k| (*k, parts.remove(&k.0).unwrap_or_default()))
                .collect())
        })
        .await
    }
}

impl Loader<NarrowerOfTopic> for Loaders {
    type Value = Vec<Topic>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[NarrowerOfTopic]) -> LoadResult<NarrowerOfTopic, Vec<Topic>> {
        crate::observe::batch(keys);
        let memo = &self.memos.narrower_of_topic;
        self.through(memo, Shared::Everyone, keys, |keys| async move {
            let ids: Vec<_> = keys.iter().map(|k| k.0).collect();
            let mut narrower = self.store.narrower_topics(&ids).await.map_err(fail)?;
            Ok(keys
                .iter()
                .map(|k| (*k, narrower.remove(&k.0).unwrap_or_default()))
                .collect())
        })
        .await
    }
}

impl Loader<LinksOf> for Loaders {
    type Value = Vec<(Option<String>, Initiative)>;
    type Error = Arc<async_graphql::Error>;
    async fn load(
        &self,
        keys: &[LinksOf],
    ) -> LoadResult<LinksOf, Vec<(Option<String>, Initiative)>> {
        crate::observe::batch(keys);
        let memo = &self.memos.links;
        self.through(memo, Shared::Alike, keys, |keys| async move {
            self.links(&keys).await
        })
        .await
    }
}

impl Loaders {
    async fn links(
        &self,
        keys: &[LinksOf],
    ) -> LoadResult<LinksOf, Vec<(Option<String>, Initiative)>> {
        let mut out: HashMap<LinksOf, Vec<(Option<String>, Initiative)>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        // One statement per (type, direction) asked for in this batch.
        let mut shapes: Vec<(LinkType, bool)> =
            keys.iter().map(|k| (k.link_type, k.reverse)).collect();
        shapes.sort_by_key(|(t, r)| (*t, *r));
        shapes.dedup();
        for (link_type, reverse) in shapes {
            let ids: Vec<InitiativeId> = keys
                .iter()
                .filter(|k| k.link_type == link_type && k.reverse == reverse)
                .map(|k| k.id)
                .collect();
            let rows = self
                .store
                .linked_initiatives(self.viewer, &ids, link_type, reverse)
                .await
                .map_err(fail)?;
            for (parent, note, initiative) in rows {
                if let Some(list) = out.get_mut(&LinksOf {
                    id: parent,
                    link_type,
                    reverse,
                }) {
                    list.push((note, initiative));
                }
            }
        }
        Ok(out)
    }
}
