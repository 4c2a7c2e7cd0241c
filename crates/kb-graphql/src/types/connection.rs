//! Relay cursor connections. Cursors are opaque (base64 of the position in the list);
//! `first`/`after` page forward, `last`/`before` backward, at most 100 a page.

use async_graphql::{Object, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kb_domain::{DomainError, Page, PageRequest};

use super::nodes::{Event, Organisation};
use crate::context::domain;

/// The cursor of the item at `position` in a list.
pub(crate) fn encode_cursor(position: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("cursor:{position}"))
}

/// The position a cursor stands for; anything else is BAD_USER_INPUT on `field`.
pub(crate) fn decode_cursor(field: &str, cursor: &str) -> Result<u64, DomainError> {
    let bad = || DomainError::bad_input(field, format!("`{cursor}` is not a cursor of this list"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("cursor:")
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or_else(bad)
}

/// Relay arguments as a window of the list.
pub(crate) fn page_request(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> async_graphql::Result<PageRequest> {
    let after = after
        .map(|c| decode_cursor("after", &c))
        .transpose()
        .map_err(domain)?;
    let before = before
        .map(|c| decode_cursor("before", &c))
        .transpose()
        .map_err(domain)?;
    PageRequest::from_relay(first, after, last, before).map_err(domain)
}

/// Forward-only Relay arguments.
pub(crate) fn forward(
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<PageRequest> {
    page_request(first, after, None, None)
}

/// Where a page stands in its list.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// Whether items follow this page.
    pub has_next_page: bool,
    /// Whether items come before this page.
    pub has_previous_page: bool,
    /// The cursor of the page's first item; null when the page is empty.
    pub start_cursor: Option<String>,
    /// The cursor of the page's last item, for the next page's `after`; null when the page
    /// is empty.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    pub(crate) fn of<T>(page: &Page<T>) -> Self {
        let n = page.items.len() as u64;
        PageInfo {
            has_next_page: page.has_next,
            has_previous_page: page.offset > 0,
            start_cursor: (n > 0).then(|| encode_cursor(page.offset)),
            end_cursor: (n > 0).then(|| encode_cursor(page.offset + n - 1)),
        }
    }
}

/// Connection types for nodes whose lists carry a known or lazily counted total.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $domain:ty, $count:ident, $what:literal) => {
        #[doc = concat!("A page of ", $what, "s.")]
        pub struct $conn {
            pub(crate) page: Page<$domain>,
            pub(crate) count: Option<$count>,
        }

        #[doc = concat!("An ", $what, " in a connection, with its cursor.")]
        #[derive(SimpleObject)]
        pub struct $edge {
            /// The opaque cursor of this position in the list, for `after`.
            pub cursor: String,
            #[doc = concat!("The ", $what, ".")]
            pub node: $node,
        }

        #[doc = concat!("A page of ", $what, "s.")]
        #[Object]
        impl $conn {
            #[doc = concat!("The ", $what, "s of the page, each with its cursor.")]
            async fn edges(&self) -> Vec<$edge> {
                self.page
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| $edge {
                        cursor: encode_cursor(self.page.offset + i as u64),
                        node: <$node>::from(n.clone()),
                    })
                    .collect()
            }
            #[doc = concat!("The ", $what, "s of the page, in order.")]
            async fn nodes(&self) -> Vec<$node> {
                self.page.items.iter().cloned().map(<$node>::from).collect()
            }
            /// Where the page stands in the list.
            async fn page_info(&self) -> PageInfo {
                PageInfo::of(&self.page)
            }
            /// The number of items in the whole list.
            async fn total_count(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<i64> {
                if let Some(total) = self.page.total {
                    return Ok(total as i64);
                }
                match &self.count {
                    Some(c) => Ok(c.count(ctx).await? as i64),
                    None => Ok(0),
                }
            }
        }
    };
}

/// How to count a top-level event list.
pub(crate) struct EventCount(pub kb_store::EventFilter);
/// How to count a top-level organisation list.
pub(crate) struct OrganisationCount(pub kb_store::OrganisationFilter);

impl EventCount {
    async fn count(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<u64> {
        Ok(crate::context::loader(ctx)?
            .load_one(crate::loaders::EventTotal(self.0.clone()))
            .await
            .map_err(crate::error::loader_error)?
            .unwrap_or(0))
    }
}

impl OrganisationCount {
    async fn count(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<u64> {
        use crate::error::StoreResultExt;
        crate::context::store(ctx)?
            .count_organisations(crate::context::viewer(ctx)?, &self.0)
            .await
            .gql()
    }
}

connection!(
    EventConnection,
    EventEdge,
    Event,
    kb_domain::Event,
    EventCount,
    "event"
);
connection!(
    OrganisationConnection,
    OrganisationEdge,
    Organisation,
    kb_domain::Organisation,
    OrganisationCount,
    "organisation"
);

impl EventConnection {
    /// A page of the events under a parent, through the request's loader.
    pub(crate) async fn nested_of(
        ctx: &async_graphql::Context<'_>,
        parent: crate::loaders::EventParent,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Self> {
        let page = forward(first, after)?.with_count(ctx.look_ahead().field("totalCount").exists());
        let p = crate::context::loader(ctx)?
            .load_one(crate::loaders::EventsOf { parent, page })
            .await
            .map_err(crate::error::loader_error)?;
        Ok(EventConnection {
            page: p.unwrap_or_else(|| Page::empty(page)),
            count: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(decode_cursor("after", &encode_cursor(41)), Ok(41));
        assert!(decode_cursor("after", "bm9wZQ").is_err());
        assert_eq!(
            decode_cursor("after", "!!")
                .expect_err("bad")
                .field
                .as_deref(),
            Some("after")
        );
    }
}
