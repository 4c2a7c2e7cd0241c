//! What each GraphQL operation is measured by, recorded through the `metrics` facade
//! (the server exports it for Prometheus): requests by operation name and outcome, their
//! duration, the SQL statements each ran, and the size of each dataloader batch.
//!
//! Operation names are the clients' own: a name becomes a label only if it looks like
//! one (letters, digits and `_`, at most 64 characters) and is among the first
//! [`MAX_NAMES`] seen; others count as `other`, unnamed operations as `anonymous`, so no
//! client can make the metrics grow without bound.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

use async_graphql::Response;

/// Most distinct operation names kept as labels.
pub const MAX_NAMES: usize = 200;
/// Longest operation name kept as a label.
const MAX_NAME_CHARS: usize = 64;

/// Requests by `operation` and `outcome` (`ok`, `error`, or `kept`: an answer kept until
/// the next change sent again without running, see [`crate::kept_until_next_change`]).
pub const REQUESTS: &str = "kb_graphql_requests_total";
/// Seconds an operation took, by `operation`.
pub const DURATION: &str = "kb_graphql_request_duration_seconds";
/// SQL statements an operation ran, by `operation`.
pub const STATEMENTS: &str = "kb_graphql_sql_statements";
/// Keys per dataloader batch, by `loader`.
pub const BATCH_SIZE: &str = "kb_dataloader_batch_size";

/// The label of an operation name.
fn label(name: Option<&str>) -> String {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return "anonymous".to_owned();
    };
    let valid = name.len() <= MAX_NAME_CHARS
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        return "other".to_owned();
    }
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if seen.contains(name) || seen.len() < MAX_NAMES {
        seen.insert(name.to_owned());
        name.to_owned()
    } else {
        "other".to_owned()
    }
}

/// Records an operation named `name` answered with an answer kept until the next change.
pub fn kept(name: Option<&str>) {
    metrics::counter!(REQUESTS, "operation" => label(name), "outcome" => "kept").increment(1);
}

/// Records the size of a batch a loader of `K` was asked for.
pub(crate) fn batch<K>(keys: &[K]) {
    let name = std::any::type_name::<K>();
    let loader = name.rsplit("::").next().unwrap_or(name);
    metrics::histogram!(BATCH_SIZE, "loader" => loader).record(keys.len() as f64);
}

/// Records a finished operation named `name`: started at `started`, `statements` SQL
/// statements.
pub(crate) fn record(name: Option<&str>, started: Instant, statements: u64, response: &Response) {
    let operation = label(name);
    let outcome = if response.errors.is_empty() {
        "ok"
    } else {
        "error"
    };
    metrics::counter!(REQUESTS, "operation" => operation.clone(), "outcome" => outcome)
        .increment(1);
    metrics::histogram!(DURATION, "operation" => operation.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::histogram!(STATEMENTS, "operation" => operation).record(statements as f64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_labels_only_when_they_look_like_names() {
        assert_eq!(label(None), "anonymous");
        assert_eq!(label(Some("")), "anonymous");
        assert_eq!(label(Some("InitiativePage")), "InitiativePage");
        assert_eq!(label(Some("drop table; --")), "other");
        assert_eq!(label(Some(&"x".repeat(65))), "other");
    }
}
