//! Prometheus metrics at `/metrics`: what the GraphQL layer records per operation (see
//! `kb_graphql::observe`), and gauges read at each scrape: the database pool's
//! connections, how far this instance's read model trails the change log, and the
//! notifications waiting in the outbox (`kb_notifications_pending`; failed sendings are
//! counted as they happen, `kb_notifications_failed_total`).
//!
//! The recorder is the process's one `metrics` recorder, installed on first use; every
//! server of the process (tests run several) reports into it.

use std::sync::{Arc, OnceLock};

use crate::http::csp_report::CspReports;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kb_graphql::observe;
use kb_readmodel::ReadModel;
use kb_store::Store;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Connections of the database pool, by `state` (`idle`, `in_use`).
pub const POOL: &str = "kb_db_pool_connections";
/// The change-log position this instance's read model has applied.
pub const POSITION: &str = "kb_read_model_position";
/// How many changes of the log this instance's read model has not applied yet.
pub const LAG: &str = "kb_read_model_lag_changes";
/// Content-Security-Policy violations browsers reported to this server since it started.
pub const CSP_REPORTS: &str = "kb_csp_violation_reports";
/// 1 while the search index could not follow the change log (a full disk), else 0.
pub const INDEX_BEHIND: &str = "kb_search_index_behind";
/// Connections the pool closed because they came back inside a transaction they could
/// not end (a failed commit or rollback), since the process started.
pub const DISCARDED: &str = "kb_db_connections_discarded_total";

/// The media type of Prometheus' text format.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The process's recorder, installed on first use; `None` if another recorder was
/// installed before (then `/metrics` answers 503).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let seconds = [
                0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0,
            ];
            let statements = [
                0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 64.0,
            ];
            let keys = [
                1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1_000.0,
            ];
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(observe::DURATION.into()), &seconds)
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full(observe::STATEMENTS.into()), &statements)
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full(observe::BATCH_SIZE.into()), &keys)
                })
                .and_then(|b| b.install_recorder());
            match built {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics are not recorded");
                    None
                }
            }
        })
        .as_ref()
}

/// Installs the recorder, so that what happens before the first scrape is counted.
pub fn install() {
    handle();
}

#[derive(Clone)]
struct Sources {
    store: Store,
    model: ReadModel,
    csp: Arc<CspReports>,
}

/// The `/metrics` route.
pub(crate) fn routes(store: Store, model: ReadModel, csp: Arc<CspReports>) -> Router {
    install();
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(Sources { store, model, csp })
}

async fn scrape(State(s): State<Sources>) -> Response {
    let Some(handle) = handle() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "metrics are not recorded\n",
        )
            .into_response();
    };
    let (open, idle) = s.store.pool_use();
    metrics::gauge!(POOL, "state" => "idle").set(idle as f64);
    let in_use = usize::try_from(open).map_or(0, |open| open.saturating_sub(idle));
    metrics::gauge!(POOL, "state" => "in_use").set(in_use as f64);
    let position = s.model.position().await;
    metrics::gauge!(POSITION).set(position as f64);
    metrics::gauge!(INDEX_BEHIND).set(if s.model.index_lag().is_some() {
        1.0
    } else {
        0.0
    });
    metrics::gauge!(CSP_REPORTS).set(s.csp.received() as f64);
    metrics::gauge!(DISCARDED).set(kb_store::discarded_connections() as f64);
    match s.store.pending_notifications().await {
        Ok(n) => metrics::gauge!(crate::notify::PENDING).set(n as f64),
        Err(e) => tracing::warn!(error = %e, "cannot count pending notifications for /metrics"),
    }
    match s.store.change_log_head().await {
        Ok(head) => metrics::gauge!(LAG).set((head - position).max(0) as f64),
        Err(e) => tracing::warn!(error = %e, "cannot read the change-log head for /metrics"),
    }
    handle.run_upkeep();
    let mut r = handle.render().into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(TEXT_FORMAT));
    r
}
