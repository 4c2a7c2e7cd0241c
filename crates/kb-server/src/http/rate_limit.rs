//! Counting a request against the rate limit of its key, or of the address it came from.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use kb_domain::ErrorCode;
use kb_graphql::RequestContext;

use super::response::error_response;
use super::state::AppState;

/// The address a request came from: the peer of its connection, or the client a trusted
/// proxy forwards (see `crate::public`).
pub(super) struct ClientAddress(pub(super) std::net::IpAddr);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let address = match parts.extensions.get::<crate::public::Client>() {
            Some(client) => client.0,
            None => parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip()),
        };
        Ok(Self(address))
    }
}

/// Counts a request against its key's or address's rate limit: RATE_LIMITED with
/// `Retry-After` when it is over.
pub(super) fn rate_check(
    state: &AppState,
    ctx: &RequestContext,
    address: std::net::IpAddr,
    media: &'static str,
) -> Result<(), Box<Response>> {
    let Err(wait) = state
        .rate
        .check(ctx.key.as_ref().map(|k| (k.id, k.role)), address)
    else {
        return Ok(());
    };
    let seconds = crate::rate::retry_after(wait);
    let mut r = error_response(
        media,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        &format!("too many requests; try again in {seconds} s"),
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    Err(Box::new(r))
}
