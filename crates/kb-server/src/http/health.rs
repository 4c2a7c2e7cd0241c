//! `/healthz` (the process answers) and `/readyz` (and so does its database), for load
//! balancers and orchestrators.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::state::AppState;

/// Liveness: the process serves requests.
pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers too.
pub(super) async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}
