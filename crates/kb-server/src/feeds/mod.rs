//! `/feeds/…`: Atom for initiatives and iCalendar for coming events, overall and per
//! saved view. Feeds are read as the anonymous public through the store's access module
//! and the read model, so drafts never appear; each answer carries an entity tag of the
//! change-log position and the feed, and a client that holds it gets `304`.

/// The Atom serialiser.
pub mod atom;
/// The iCalendar serialiser.
pub mod ical;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kb_domain::view::View;
use kb_domain::{
    Event, Initiative, InitiativeFilter, InitiativeId, InitiativeOrder, OrganisationRole, Page,
    PageRequest, Viewer,
};
use kb_graph::ReadModel;
use kb_store::{EventFilter, Store, StoreError};

use crate::caching;

/// The domain of every tag URI and UID in the feeds: fixed, so they never change.
pub const FEED_DOMAIN: &str = "kennisbank.nl";
/// How many initiatives an Atom feed holds (the newest, or a view's first).
pub const FEED_ENTRIES: u64 = 50;
/// How many coming events an iCalendar feed holds (the soonest).
pub const FEED_EVENTS: u64 = 200;

/// Feeds read what the public reads.
const READER: Viewer = Viewer::Anonymous;

const ATOM: &str = "application/atom+xml; charset=utf-8";
const ICAL: &str = "text/calendar; charset=utf-8";

struct Feeds {
    store: Store,
    model: ReadModel,
}

/// The feed routes, over the same store and read model as the API.
pub fn routes(store: Store, model: ReadModel) -> Router {
    Router::new()
        .route("/feeds/initiatives.atom", get(initiatives_atom))
        .route("/feeds/events.ics", get(events_ics))
        .route("/feeds/views/{file}", get(view_feed))
        .with_state(Arc::new(Feeds { store, model }))
}

fn first(limit: u64) -> PageRequest {
    PageRequest {
        offset: 0,
        limit,
        count: false,
    }
}

/// The address this server was reached at, for the feeds' self links.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|s| *s == "https" || *s == "http")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

fn failed(e: &StoreError) -> Response {
    tracing::error!(error = %e, "a feed failed");
    match e {
        StoreError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `body` as `media`, tagged with the position it was read at, its name and its digest
/// (coming events leave a calendar with the clock, not only with a change).
fn answer(
    headers: &HeaderMap,
    position: i64,
    name: &str,
    media: &'static str,
    body: String,
) -> Response {
    let digest = caching::digest([body.as_bytes()]);
    let etag = caching::etag(position, &format!("{name}-{digest}"));
    caching::conditional(headers, &etag, false, || {
        let mut r = body.into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
        r
    })
}

impl Feeds {
    /// The rows of `ids` in their order, with each one's lead organisation's name.
    async fn entries(
        &self,
        ids: &[InitiativeId],
    ) -> Result<Vec<(Initiative, Option<String>)>, StoreError> {
        let mut rows = self.store.initiatives_by_ids(READER, ids).await?;
        let orgs = self.store.organisations_of_initiatives(READER, ids).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(at) = rows.iter().position(|i| i.id == *id) else {
                continue;
            };
            let lead = orgs
                .iter()
                .find(|(i, role, _)| i == id && *role == OrganisationRole::Lead)
                .map(|(_, _, o)| o.name.clone());
            out.push((rows.swap_remove(at), lead));
        }
        Ok(out)
    }

    async fn coming_events(&self, filter: EventFilter) -> Result<Vec<Event>, StoreError> {
        let page: Page<Event> = self
            .store
            .list_events(READER, &filter, first(FEED_EVENTS))
            .await?;
        Ok(page.items)
    }

    /// The active view `slug` as the public sees it.
    async fn view(&self, slug: &str) -> Result<Option<View>, StoreError> {
        self.store.view_by_slug(READER, None, slug).await
    }
}

fn atom_body(head: &atom::FeedHead<'_>, rows: &[(Initiative, Option<String>)]) -> String {
    let entries: Vec<atom::Entry<'_>> = rows
        .iter()
        .map(|(i, lead)| atom::Entry {
            initiative: i,
            author: lead.as_deref(),
        })
        .collect();
    atom::feed(head, &entries)
}

#[tracing::instrument(skip_all)]
async fn initiatives_atom(State(feeds): State<Arc<Feeds>>, headers: HeaderMap) -> Response {
    let position = feeds.model.position().await;
    let ids = match feeds
        .model
        .list(
            READER,
            &InitiativeFilter::default(),
            InitiativeOrder::Newest,
            first(FEED_ENTRIES),
        )
        .await
    {
        Ok(p) => p.items,
        Err(e) => return failed(&e),
    };
    let rows = match feeds.entries(&ids).await {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    let url = format!("{}/feeds/initiatives.atom", base_url(&headers));
    let head = atom::FeedHead {
        id: "feed:initiatives",
        title: "Kennisbank: nieuwe initiatieven",
        subtitle: "De nieuwste gepubliceerde initiatieven voor studentenwelzijn",
        self_url: &url,
        lang: "nl",
    };
    answer(
        &headers,
        position,
        "feed-initiatives-atom",
        ATOM,
        atom_body(&head, &rows),
    )
}

#[tracing::instrument(skip_all)]
async fn events_ics(State(feeds): State<Arc<Feeds>>, headers: HeaderMap) -> Response {
    let position = feeds.model.position().await;
    let filter = EventFilter {
        from: Some(chrono::Utc::now()),
        ..Default::default()
    };
    match feeds.coming_events(filter).await {
        Ok(events) => answer(
            &headers,
            position,
            "feed-events-ics",
            ICAL,
            ical::calendar("Kennisbank: bijeenkomsten", &events),
        ),
        Err(e) => failed(&e),
    }
}

/// `/feeds/views/{slug}.atom` and `/feeds/views/{slug}.ics`; an unknown or archived
/// view is 404.
#[tracing::instrument(skip(feeds, headers))]
async fn view_feed(
    State(feeds): State<Arc<Feeds>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (slug, ics) = match (file.strip_suffix(".atom"), file.strip_suffix(".ics")) {
        (Some(s), _) => (s, false),
        (None, Some(s)) => (s, true),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let position = feeds.model.position().await;
    let view = match feeds.view(slug).await {
        Ok(Some(v)) => v,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return failed(&e),
    };
    let name = format!(
        "feed-view-{}-{}",
        view.slug,
        if ics { "ics" } else { "atom" }
    );
    if ics {
        let events = match feeds.model.view_events(READER, &view).await {
            Ok(filter) => feeds.coming_events(filter).await,
            Err(e) => Err(e),
        };
        return match events {
            Ok(events) => answer(
                &headers,
                position,
                &name,
                ICAL,
                ical::calendar(&view.title, &events),
            ),
            Err(e) => failed(&e),
        };
    }
    let ids = match feeds
        .model
        .view_page(READER, &view, first(FEED_ENTRIES))
        .await
    {
        Ok(p) => p.ids.items,
        Err(e) => return failed(&e),
    };
    let rows = match feeds.entries(&ids).await {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    let url = format!("{}/feeds/views/{}.atom", base_url(&headers), view.slug);
    let head = atom::FeedHead {
        id: &format!("view:{}", view.slug),
        title: &view.title,
        subtitle: &view.description,
        self_url: &url,
        lang: match view.lang {
            Some(kb_domain::Language::En) => "en",
            _ => "nl",
        },
    };
    answer(&headers, position, &name, ATOM, atom_body(&head, &rows))
}
