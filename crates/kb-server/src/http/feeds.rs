//! `/feeds/…`: the Atom and iCalendar feeds of `kb_exchange::feeds`, overall and per
//! saved view. Each answer carries an entity tag of the change-log position, the feed and
//! a digest of its text, and a client that holds it gets `304`.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kb_exchange::feeds::{EVENTS_ICS, Feed, Feeds, INITIATIVES_ATOM, VIEWS, view_file};
use kb_readmodel::ReadModel;
use kb_store::{Store, StoreError};

use crate::caching;

/// The feeds and the deployment's public address, which their links start with (never
/// the request's `Host` or forwarded headers).
struct Served {
    feeds: Feeds,
    origin: String,
}

/// The feed routes, over the same store and read model as the API, with links that
/// start with `origin`.
pub(super) fn routes(store: Store, model: ReadModel, origin: &str) -> Router {
    Router::new()
        .route(INITIATIVES_ATOM, get(initiatives_atom))
        .route(EVENTS_ICS, get(events_ics))
        .route(&format!("{VIEWS}/{{file}}"), get(view_feed))
        .with_state(Arc::new(Served {
            feeds: Feeds::new(store, model),
            origin: origin.to_owned(),
        }))
}

fn failed(e: &StoreError) -> Response {
    tracing::error!(error = %e, "a feed failed");
    match e {
        StoreError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `feed` as its media type, tagged with the position it was read at, its name and the
/// digest of its text (coming events leave a calendar with the clock, not only with a
/// change).
fn answer(headers: &HeaderMap, feed: Result<Feed, StoreError>) -> Response {
    let feed = match feed {
        Ok(f) => f,
        Err(e) => return failed(&e),
    };
    let digest = caching::digest([feed.text.as_bytes()]);
    let etag = caching::etag(feed.position, &format!("{}-{digest}", feed.name));
    caching::conditional(headers, &etag, false, || {
        let mut r = feed.text.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(feed.format.media_type()),
        );
        r
    })
}

#[tracing::instrument(skip_all)]
async fn initiatives_atom(State(served): State<Arc<Served>>, headers: HeaderMap) -> Response {
    answer(&headers, served.feeds.initiatives(&served.origin).await)
}

#[tracing::instrument(skip_all)]
async fn events_ics(State(served): State<Arc<Served>>, headers: HeaderMap) -> Response {
    answer(&headers, served.feeds.events().await)
}

/// `/feeds/views/{slug}.atom` and `/feeds/views/{slug}.ics`; an unknown or archived
/// view is 404.
#[tracing::instrument(skip(served, headers))]
async fn view_feed(
    State(served): State<Arc<Served>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((slug, format)) = view_file(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match served.feeds.view(slug, format, &served.origin).await {
        Ok(Some(feed)) => answer(&headers, Ok(feed)),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => failed(&e),
    }
}
