//! What someone else changed in an initiative since the version a person started from,
//! read from its revisions, for the form that refuses a stale save.

use serde::Deserialize;
use serde_json::json;

use super::draft::Snapshot;
use crate::client::{Failure, nullable};
use crate::context::Ctx;
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
struct History {
    #[serde(deserialize_with = "nullable")]
    initiative: Option<WithRevisions>,
}

#[derive(Debug, Deserialize)]
struct WithRevisions {
    #[serde(deserialize_with = "nullable")]
    revisions: Option<Vec<Rev>>,
}

#[derive(Debug, Deserialize)]
struct Rev {
    version: i64,
    #[serde(deserialize_with = "nullable")]
    after: Option<Snapshot>,
}

/// What changed in an initiative since version `base`: each changed field's label and
/// its value now.
pub(super) async fn changes_since(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    id: &str,
    base: Option<i64>,
) -> Vec<(String, String)> {
    let history: Result<History, Failure> = site
        .query_as(
            v,
            ctx.lang,
            "query History($id: ID!) { initiative(id: $id) { revisions { version after } } }",
            json!({ "id": id }),
        )
        .await;
    let revisions = history
        .ok()
        .and_then(|h| h.initiative)
        .and_then(|i| i.revisions)
        .unwrap_or_default();
    // Newest first: the first revision at or of a version is its latest state.
    let at = |version: Option<i64>| {
        revisions
            .iter()
            .filter(|r| version.is_none_or(|v| r.version == v))
            .find_map(|r| r.after.clone())
    };
    let (Some(then), Some(now)) = (at(base), at(None)) else {
        return vec![(
            ctx.t("Versie", "Version").to_owned(),
            ctx.t("nieuwer dan de uwe", "newer than yours").to_owned(),
        )];
    };
    then.changed(&now)
        .into_iter()
        .filter_map(|field| {
            Snapshot::FIELDS
                .iter()
                .find(|(k, _, _)| *k == field)
                .map(|(_, nl, en)| (ctx.t(nl, en).to_owned(), now.text(field)))
        })
        .collect()
}
