//! `contactReviews`: the initiatives whose contact address belonged to a person who had
//! their account erased, waiting for an editor (`resolveContactReview`).

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use kb_domain::NodeId;

use crate::context::{store, viewer};
use crate::error::StoreResultExt;

/// An initiative whose contact address is to be replaced or removed. The address itself
/// is not shown here: it is on the initiative until the review is settled.
#[derive(SimpleObject)]
pub struct ContactReview {
    /// The review's number, for `resolveContactReview`.
    pub id: i64,
    /// The initiative's global id.
    pub initiative: ID,
    /// The initiative's title, to find it.
    pub title: String,
    /// The initiative's slug, its address on the website.
    pub slug: String,
    /// When the erasure asked for the review.
    pub requested_at: DateTime<Utc>,
}

/// The contact reviews.
#[derive(Debug, Default, Clone, Copy)]
pub struct ContactReviewQuery;

#[Object]
impl ContactReviewQuery {
    /// Contact addresses waiting for review, oldest first (editors and admins).
    async fn contact_reviews(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ContactReview>> {
        Ok(store(ctx)?
            .contact_reviews(viewer(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(|r| ContactReview {
                id: r.id,
                initiative: ID(r.initiative.global().encode()),
                title: r.title,
                slug: r.slug,
                requested_at: r.requested_at,
            })
            .collect())
    }
}
