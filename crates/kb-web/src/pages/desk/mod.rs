//! The editors' desk: the queue of submissions and account requests, oldest first with
//! their age, and the review page of one submission beside its last published version,
//! with the editors' decisions. Like the workspace it runs the API's documents as the
//! signed-in person; the API refuses anyone who is not an editor.

/// The queue and the decisions on account requests.
mod queue;
/// One submission under review, and the decisions on it.
mod review;

pub(crate) use queue::{page as queue, post_account, post_proposal};
pub(crate) use review::{decide, page as review};

use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::client::Refusal;
use crate::context::Ctx;
use crate::layout::{failure_page, render};
use crate::pages::workspace::private;
use crate::{Site, Visitor};

/// The page of a decision the API refused.
fn refused(ctx: &Ctx, r: Refusal) -> Response {
    private(render(ctx, failure_page(ctx, r.failure())))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Count {
    initiatives: Total,
    events: Total,
    accounts: Vec<serde::de::IgnoredAny>,
    organisation_proposals: Vec<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Total {
    total_count: i64,
}

/// How many submissions (initiatives, events), account requests and proposed
/// organisations wait for an editor, for the header.
pub(crate) async fn queue_count(site: &Site, ctx: &Ctx, v: &Visitor) -> Option<i64> {
    let count: Count = site
        .query_as(
            v,
            ctx.lang,
            "query QueueCount {
               initiatives(first: 0, filter: { statuses: [SUBMITTED] }) { totalCount }
               events(first: 0, filter: { statuses: [SUBMITTED] }) { totalCount }
               accounts(status: PENDING) { id }
               organisationProposals { id } }",
            json!({}),
        )
        .await
        .ok()?;
    Some(
        count.initiatives.total_count
            + count.events.total_count
            + count.accounts.len() as i64
            + count.organisation_proposals.len() as i64,
    )
}
