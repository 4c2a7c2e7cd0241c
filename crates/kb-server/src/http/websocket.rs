//! Subscriptions: the upgrade of a GET of `/graphql` to a WebSocket, authenticated and
//! counted like any request, then handed to [`crate::live`].

use std::net::IpAddr;

use axum::extract::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use kb_domain::ErrorCode;

use super::auth::request_context;
use super::rate_limit::rate_check;
use super::response::{error_response, media_type};
use super::state::AppState;

/// A WebSocket upgrade, when the request asks for one (`Upgrade: websocket`).
pub(super) struct MaybeUpgrade(pub(super) Option<WebSocketUpgrade>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for MaybeUpgrade {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let asks = parts
            .headers
            .get(header::UPGRADE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
        if !asks {
            return Ok(Self(None));
        }
        Ok(Self(
            WebSocketUpgrade::from_request_parts(parts, state)
                .await
                .ok(),
        ))
    }
}

/// Opens a WebSocket for GraphQL over graphql-transport-ws (or graphql-ws), for the key
/// of the upgrade request if it has one; counted by the rate limits as one request.
pub(super) async fn websocket(
    state: &AppState,
    upgrade: WebSocketUpgrade,
    headers: &HeaderMap,
    address: IpAddr,
) -> Response {
    let media = media_type(headers);
    let Some(protocol) = crate::live::protocol(headers) else {
        return error_response(
            media,
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            "ask for the WebSocket subprotocol graphql-transport-ws (or graphql-ws)",
        );
    };
    let ctx = match request_context(&state.store, headers).await {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if let Err(r) = rate_check(state, &ctx, address, media) {
        return *r;
    }
    crate::live::upgrade(
        upgrade,
        protocol,
        state.schema.clone(),
        state.store.clone(),
        &state.subscriptions,
        address,
        ctx,
    )
}
