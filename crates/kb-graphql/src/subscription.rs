//! Live updates: what the change log newly publishes, as it is applied by this
//! instance's read model, to each subscriber that may see it and asked for it.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::futures_util::Stream;
use async_graphql::{Context, Subscription};
use kb_domain::{EventId, InitiativeId};
use kb_readmodel::{Published, ReadModel};
use tokio::sync::broadcast::error::RecvError;

use crate::DataLoaderRef;
use crate::context::{domain as domain_err, read_model, viewer};
use crate::error::{StoreResultExt, coded};
use crate::loaders::Loaders;
use crate::query::InitiativeFilter;
use crate::types::{Event, Initiative};

/// The root of live updates.
#[derive(Default)]
pub struct Subscription;

/// Live updates, over a WebSocket at `/graphql` (the graphql-transport-ws protocol):
/// what is published, as the change log records it.
#[Subscription]
impl Subscription {
    /// Each initiative as it is published (it was not published before, and now is)
    /// and passes `filter` and is among the initiatives of `view`: what
    /// `initiatives(filter:)` or `view(slug:) { initiatives }` would list from then on.
    /// Only initiatives the subscriber may see are sent. Another instance's publications
    /// arrive within its follow interval.
    async fn initiative_published(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The slug of a saved view: only its initiatives (its filter and search text as they stand when subscribing; its pinned language); NOT_FOUND when there is no such active view."
        )]
        view: Option<String>,
        #[graphql(
            desc = "Which published initiatives to send; all when omitted. Unknown codes are BAD_USER_INPUT."
        )]
        filter: Option<InitiativeFilter>,
    ) -> async_graphql::Result<impl Stream<Item = Initiative> + use<>> {
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let model = read_model(ctx)?.clone();
        let viewer = viewer(ctx)?;
        // A filter that cannot select is refused now, not at the first publication.
        model.count(viewer, &filter).await.gql()?;
        let view = match view {
            Some(slug) => Some(Arc::new(crate::query::views::view(ctx, &slug).await?.0)),
            None => None,
        };
        let feed = Feed::new(ctx, model)?;
        Ok(feed.items(move |feed, news| {
            let (filter, view) = (filter.clone(), view.clone());
            async move {
                let model = &feed.model;
                let mut out = model
                    .select_among(viewer, &filter, &news.initiatives)
                    .await
                    .ok()?;
                if let Some(v) = view.as_deref() {
                    out = model.view_select_among(viewer, v, &out).await.ok()?;
                }
                // The store applies the access rule once more as it loads.
                let mut found = feed.loader.load_many(out.iter().copied()).await.ok()?;
                Some(
                    out.iter()
                        .filter_map(|id| found.remove(id))
                        .map(Initiative)
                        .collect(),
                )
            }
        }))
    }

    /// Each event as it is published (it was not published before, and now is), if
    /// the subscriber may see it; with `view`, only a coming event that features one of
    /// the view's initiatives, as `view(slug:) { events }` lists them. Another instance's
    /// publications arrive within its follow interval.
    async fn event_published(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The slug of a saved view: only coming events that feature its initiatives; NOT_FOUND when there is no such active view."
        )]
        view: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = Event> + use<>> {
        let viewer = viewer(ctx)?;
        let view = match view {
            Some(slug) => Some(Arc::new(crate::query::views::view(ctx, &slug).await?.0)),
            None => None,
        };
        let feed = Feed::new(ctx, read_model(ctx)?.clone())?;
        Ok(feed.items(move |feed, news| {
            let view = view.clone();
            async move {
                let ids: &[EventId] = &news.events;
                let mut found = feed.loader.load_many(ids.iter().copied()).await.ok()?;
                let events = ids.iter().filter_map(|id| found.remove(id));
                let Some(view) = view.as_deref() else {
                    return Some(events.map(Event).collect());
                };
                // Coming events with what they feature; one selection of the view for
                // all of them.
                let now = chrono::Utc::now();
                let mut coming = Vec::new();
                for e in events.filter(|e| e.ends_at >= now) {
                    let featured = feed.model.event_initiatives(e.id).await;
                    coming.push((e, featured));
                }
                let all: Vec<InitiativeId> =
                    coming.iter().flat_map(|(_, f)| f.iter().copied()).collect();
                let selected: HashSet<InitiativeId> = feed
                    .model
                    .view_select_among(viewer, view, &all)
                    .await
                    .ok()?
                    .into_iter()
                    .collect();
                Some(
                    coming
                        .into_iter()
                        .filter(|(_, f)| f.iter().any(|i| selected.contains(i)))
                        .map(|(e, _)| Event(e))
                        .collect(),
                )
            }
        }))
    }
}

/// One subscriber's view of the publications: its loader (bound to its viewer) and the
/// read model, listening from the moment it subscribed.
#[derive(Clone)]
struct Feed {
    model: ReadModel,
    loader: Arc<DataLoader<Loaders>>,
}

impl Feed {
    fn new(ctx: &Context<'_>, model: ReadModel) -> async_graphql::Result<Self> {
        let loader = ctx
            .data::<DataLoaderRef>()
            .map(|l| l.0.clone())
            .map_err(|_| coded(kb_domain::ErrorCode::Internal, "internal error", None))?;
        Ok(Self { model, loader })
    }

    /// The items `pick` takes from each batch of publications, one by one. A batch
    /// `pick` cannot load (`None`: the database is unreachable) is skipped and logged; a
    /// subscriber that fell too far behind skips what it missed.
    fn items<T, F, Fut>(self, pick: F) -> impl Stream<Item = T> + use<T, F, Fut>
    where
        T: Send + 'static,
        F: Fn(Feed, Arc<Published>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Option<Vec<T>>> + Send,
    {
        let rx = self.model.subscribe();
        let state = (rx, VecDeque::<T>::new(), self, pick);
        async_graphql::futures_util::stream::unfold(
            state,
            |(mut rx, mut queue, feed, pick)| async move {
                loop {
                    if let Some(item) = queue.pop_front() {
                        return Some((item, (rx, queue, feed, pick)));
                    }
                    match rx.recv().await {
                        Ok(news) => match pick(feed.clone(), news.clone()).await {
                            Some(items) => queue.extend(items),
                            None => tracing::warn!(
                                position = news.position,
                                "a subscriber could not load a publication"
                            ),
                        },
                        Err(RecvError::Lagged(missed)) => {
                            tracing::warn!(missed, "a subscriber fell behind the change log");
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        )
    }
}
