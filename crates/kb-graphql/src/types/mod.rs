//! Object types of the graph and the Relay plumbing they share.

/// People's accounts, as editors see them.
pub mod account;
pub mod connection;
pub mod event;
pub mod facets;
pub mod initiative;
pub mod keys;
/// An entry of the bilingual lexicon of search.
pub mod lexicon;
pub mod nodes;
pub mod organisation;
pub mod related;
/// An initiative's history.
pub mod revision;
pub mod search;
pub mod taxonomy;
pub mod vocab;

pub use account::Account;
use async_graphql::Interface;
pub use keys::ApiKey;
pub use nodes::{Event, Initiative, Organisation, Theme, Topic};

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
