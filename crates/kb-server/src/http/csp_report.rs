//! `/csp-report`: where browsers report what the Content-Security-Policy refused on a
//! page (its `report-uri`; the policy names no `report-to`, whose reports browsers batch
//! for up to a minute, while `report-uri` reports arrive at once). A report means a
//! page tried to load or run something the policy does not allow: an injection, a
//! browser extension, or a page of ours that broke the policy. Each is counted (the
//! `kb_csp_violation_reports` gauge) and logged, at most one line a second, with the
//! directive, the refused source and the page's path (never its query, which may hold
//! what a visitor searched for).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

/// A report is small; anything longer is cut off and not read.
const MAX_REPORT_BYTES: usize = 16 * 1024;

/// The reports this server received.
#[derive(Debug, Default)]
pub struct CspReports {
    received: AtomicU64,
    /// The second of the last line logged, so a flood of reports logs one a second.
    logged_at: AtomicI64,
}

impl CspReports {
    /// How many reports arrived since the start.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }
}

/// Takes a report in either format: `application/csp-report` (`{"csp-report": {…}}`)
/// or `application/reports+json` (a list of `{"type": "csp-violation", "body": {…}}`).
pub(super) async fn receive(State(reports): State<Arc<CspReports>>, body: Body) -> StatusCode {
    let Ok(bytes) = to_bytes(body, MAX_REPORT_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE;
    };
    let Ok(json) = serde_json::from_slice::<Value>(&bytes) else {
        return StatusCode::BAD_REQUEST;
    };
    let violations: Vec<&Value> = match &json {
        Value::Array(list) => list
            .iter()
            .filter(|r| r["type"] == "csp-violation")
            .map(|r| &r["body"])
            .collect(),
        Value::Object(o) => o.get("csp-report").into_iter().collect(),
        _ => Vec::new(),
    };
    if violations.is_empty() {
        return StatusCode::BAD_REQUEST;
    }
    for v in violations {
        reports.received.fetch_add(1, Ordering::Relaxed);
        let now = chrono::Utc::now().timestamp();
        if reports.logged_at.swap(now, Ordering::Relaxed) == now {
            continue;
        }
        let text = |a: &str, b: &str| {
            v.get(a)
                .or_else(|| v.get(b))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        tracing::warn!(
            directive = %text("effectiveDirective", "effective-directive"),
            blocked = %without_query(&text("blockedURL", "blocked-uri")),
            page = %without_query(&text("documentURL", "document-uri")),
            "the Content-Security-Policy refused something on a page"
        );
    }
    StatusCode::NO_CONTENT
}

/// `url` without its query and fragment.
fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_not_logged() {
        assert_eq!(
            without_query("https://kb.example/zoeken?q=somber#x"),
            "https://kb.example/zoeken"
        );
        assert_eq!(without_query("inline"), "inline");
    }
}
