//! Object types of the graph and the Relay plumbing they share.

pub mod connection;
pub mod event;
pub mod facets;
pub mod initiative;
pub mod keys;
pub mod organisation;
pub mod taxonomy;
pub mod vocab;

use async_graphql::Interface;
pub use event::Event;
pub use initiative::Initiative;
pub use keys::ApiKey;
pub use organisation::Organisation;
pub use taxonomy::{Theme, Topic};

/// An object with a global id (Relay).
#[derive(Interface)]
#[graphql(field(name = "id", ty = "async_graphql::ID", desc = "The opaque global id."))]
pub enum Node {
    Initiative(Initiative),
    Theme(Theme),
    Topic(Topic),
    Organisation(Organisation),
    Event(Event),
}

pub(crate) use crate::context::{lang_of, loader, store, viewer};
