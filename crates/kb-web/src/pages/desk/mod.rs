//! The editors' desk: the queue of submissions and account requests, oldest first with
//! their age, and the review page of one submission beside its last published version,
//! with the editors' decisions. Like the workspace it runs the API's documents as the
//! signed-in person; the API refuses anyone who is not an editor.

/// The queue and the decisions on account requests.
mod queue;
/// One submission under review, and the decisions on it.
mod review;

pub(crate) use queue::{page as queue, post_account};
pub(crate) use review::{decide, page as review};

use serde::Deserialize;
use serde_json::json;

use crate::context::Ctx;
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
struct Count {
    initiatives: Total,
    events: EventIds,
    accounts: Vec<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
struct EventIds {
    nodes: Vec<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Total {
    total_count: i64,
}

/// How many submissions (initiatives, events) and account requests wait for an editor,
/// for the header.
pub(crate) async fn queue_count(site: &Site, ctx: &Ctx, v: &Visitor) -> Option<i64> {
    let count: Count = site
        .query_as(
            v,
            ctx.lang,
            "query QueueCount {
               initiatives(first: 0, filter: { statuses: [SUBMITTED] }) { totalCount }
               events(first: 100, filter: { statuses: [SUBMITTED] }) { nodes { id } }
               accounts(status: PENDING) { id } }",
            json!({}),
        )
        .await
        .ok()?;
    Some(
        count.initiatives.total_count
            + count.events.nodes.len() as i64
            + count.accounts.len() as i64,
    )
}
