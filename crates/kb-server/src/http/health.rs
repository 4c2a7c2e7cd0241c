//! `/healthz` (the process answers) and `/readyz` (and so does its database), for load
//! balancers and orchestrators.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kb_store::Writable;

use super::state::AppState;

/// How long readiness waits for the database: a database that hangs (a paused or
/// overloaded server) makes the instance unready instead of hanging the probe.
const PROBE_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Liveness: the process serves requests.
pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers, and whether a write commits now. A database that
/// cannot be reached is 503: the instance serves nothing fresh. A full disk is reported
/// with 200, because reads are still served (taking every instance out of rotation would
/// turn refused writes into an outage); the body says so, as it says when the search
/// index lags behind the store.
pub(super) async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let writable = match tokio::time::timeout(PROBE_LIMIT, state.store.probe_writes()).await {
        Ok(Ok(w)) => w,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "database unreachable");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response();
        }
        Err(_) => {
            tracing::warn!(limit = ?PROBE_LIMIT, "the database did not answer the readiness probe in time");
            return (StatusCode::SERVICE_UNAVAILABLE, "database not answering").into_response();
        }
    };
    let mut conditions = Vec::new();
    if writable == Writable::StorageFull {
        conditions.push("storage full: writes are refused until there is room".to_owned());
    }
    if let Some(at) = state.model.index_lag() {
        conditions.push(format!(
            "search index behind: it holds the changes up to {at} and catches up by itself"
        ));
    }
    if conditions.is_empty() {
        (StatusCode::OK, "ready").into_response()
    } else {
        (
            StatusCode::OK,
            format!("ready, degraded\n{}\n", conditions.join("\n")),
        )
            .into_response()
    }
}
