//! Loaders of pages nested under a parent (a theme's initiatives, an organisation's
//! events): one store call per page size and kind of parent.

use super::*;

/// Groups keys by page request and by the kind of parent, so each group is one store
/// call; `split` says which group a key joins and with which id.
fn groups<K: Copy, G: PartialEq + Copy, I>(
    keys: &[K],
    split: impl Fn(&K) -> (G, I),
) -> Vec<(G, Vec<I>)> {
    let mut out: Vec<(G, Vec<I>)> = Vec::new();
    for k in keys {
        let (group, id) = split(k);
        match out.iter_mut().find(|(g, _)| *g == group) {
            Some((_, ids)) => ids.push(id),
            None => out.push((group, vec![id])),
        }
    }
    out
}

/// Files each requested parent's page under its key; parents without rows get an empty
/// page.
fn file_pages<P: Copy + Eq + std::hash::Hash, K: Eq + std::hash::Hash, V>(
    out: &mut HashMap<K, Page<V>>,
    ids: Vec<P>,
    mut pages: HashMap<P, Page<V>>,
    page: PageRequest,
    key: impl Fn(P) -> K,
) {
    for id in ids {
        let p = pages.remove(&id).unwrap_or_else(|| Page::empty(page));
        out.insert(key(id), p);
    }
}

impl Loader<InitiativesOf> for Loaders {
    type Value = Page<Initiative>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[InitiativesOf]) -> LoadResult<InitiativesOf, Page<Initiative>> {
        crate::observe::batch(keys);
        let mut out = HashMap::new();
        // The read model picks each page's ids and counts, one statement (or the memo)
        // loads the rows of all pages.
        let mut picked: Vec<(InitiativesOf, Page<InitiativeId>)> = Vec::new();
        for (page, parents) in groups(keys, |k| (k.page, k.parent)) {
            let in_model: Vec<Parent> = parents
                .into_iter()
                .map(|parent| match parent {
                    InitiativeParent::Theme(id) => Parent::Theme(id),
                    InitiativeParent::Topic(id) => Parent::Topic(id),
                    InitiativeParent::Organisation(id) => Parent::Organisation(id),
                    InitiativeParent::Event(id) => Parent::Event(id),
                })
                .collect();
            for (parent, ids) in self.model()?.nested(self.viewer, &in_model, page).await {
                let parent = match parent {
                    Parent::Theme(id) => InitiativeParent::Theme(id),
                    Parent::Topic(id) => InitiativeParent::Topic(id),
                    Parent::Organisation(id) => InitiativeParent::Organisation(id),
                    Parent::Event(id) => InitiativeParent::Event(id),
                };
                picked.push((InitiativesOf { parent, page }, ids));
            }
        }
        if !picked.is_empty() {
            let rows = self
                .rows(
                    picked
                        .iter()
                        .flat_map(|(_, p)| p.items.iter().copied())
                        .collect(),
                )
                .await?;
            for (key, ids) in picked {
                let items = ids
                    .items
                    .iter()
                    .filter_map(|id| rows.get(id).cloned())
                    .collect();
                out.insert(
                    key,
                    Page {
                        items,
                        offset: ids.offset,
                        total: ids.total,
                        has_next: ids.has_next,
                    },
                );
            }
        }
        Ok(out)
    }
}

/// The kinds of parent a nested connection of events can hang under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventParentKind {
    Theme,
    Topic,
    Organisation,
    Initiative,
}

impl Loader<EventsOf> for Loaders {
    type Value = Page<Event>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[EventsOf]) -> LoadResult<EventsOf, Page<Event>> {
        crate::observe::batch(keys);
        let memo = &self.memos.events_of;
        self.through(memo, Shared::Alike, keys, |keys| async move {
            self.events_of(&keys).await
        })
        .await
    }
}

impl Loaders {
    async fn events_of(&self, keys: &[EventsOf]) -> LoadResult<EventsOf, Page<Event>> {
        use EventParentKind as K;
        let mut out = HashMap::new();
        for ((page, kind), ids) in groups(keys, |k| match k.parent {
            EventParent::Theme(id) => ((k.page, K::Theme), id.0),
            EventParent::Topic(id) => ((k.page, K::Topic), id.0),
            EventParent::Organisation(id) => ((k.page, K::Organisation), id.0),
            EventParent::Initiative(id) => ((k.page, K::Initiative), id.0),
        }) {
            let key = |parent| EventsOf { parent, page };
            let s = &self.store;
            let v = self.viewer;
            match kind {
                K::Theme => {
                    let ids: Vec<ThemeId> = ids.into_iter().map(ThemeId).collect();
                    let pages = s.events_of_themes(v, &ids, page).await.map_err(fail)?;
                    file_pages(&mut out, ids, pages, page, |id| key(EventParent::Theme(id)));
                }
                K::Topic => {
                    let ids: Vec<TopicId> = ids.into_iter().map(TopicId).collect();
                    let pages = s.events_of_topics(v, &ids, page).await.map_err(fail)?;
                    file_pages(&mut out, ids, pages, page, |id| key(EventParent::Topic(id)));
                }
                K::Organisation => {
                    let ids: Vec<OrganisationId> = ids.into_iter().map(OrganisationId).collect();
                    let pages = s
                        .events_of_organisations(v, &ids, page)
                        .await
                        .map_err(fail)?;
                    file_pages(&mut out, ids, pages, page, |id| {
                        key(EventParent::Organisation(id))
                    });
                }
                K::Initiative => {
                    let ids: Vec<InitiativeId> = ids.into_iter().map(InitiativeId).collect();
                    let pages = s.events_of_initiatives(v, &ids, page).await.map_err(fail)?;
                    file_pages(&mut out, ids, pages, page, |id| {
                        key(EventParent::Initiative(id))
                    });
                }
            }
        }
        Ok(out)
    }
}

// A top-level list of events is one store call per filter and page; lists are asked
// for one or two at a time, so their calls are not merged.
impl Loader<EventList> for Loaders {
    type Value = Page<Event>;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[EventList]) -> LoadResult<EventList, Page<Event>> {
        crate::observe::batch(keys);
        self.through(
            &self.memos.event_lists,
            Shared::Alike,
            keys,
            |keys| async move {
                let mut out = HashMap::with_capacity(keys.len());
                for k in keys {
                    let page = self
                        .store
                        .list_events(self.viewer, &k.filter, k.page)
                        .await
                        .map_err(fail)?;
                    out.insert(k, page);
                }
                Ok(out)
            },
        )
        .await
    }
}

impl Loader<EventTotal> for Loaders {
    type Value = u64;
    type Error = Arc<async_graphql::Error>;
    async fn load(&self, keys: &[EventTotal]) -> LoadResult<EventTotal, u64> {
        crate::observe::batch(keys);
        self.through(
            &self.memos.event_totals,
            Shared::Alike,
            keys,
            |keys| async move {
                let mut out = HashMap::with_capacity(keys.len());
                for k in keys {
                    let total = self
                        .store
                        .count_events(self.viewer, &k.0)
                        .await
                        .map_err(fail)?;
                    out.insert(k, total);
                }
                Ok(out)
            },
        )
        .await
    }
}
