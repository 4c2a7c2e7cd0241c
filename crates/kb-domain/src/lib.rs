//! Domain of Kennisbank: the plain types and rules of the knowledge graph on student
//! wellbeing — ids, controlled vocabularies, nodes, filters, viewers, errors.
//!
//! This crate does no I/O and depends on no database, HTTP or GraphQL crate, so that every
//! rule here can be unit tested and reused by the store and the API alike.

/// People's accounts: roles, statuses, joining an organisation, safe `?next=` paths.
pub mod account;
/// The ASCII spelling of text that slugs and sort keys share, so both spell a title alike.
mod ascii;
/// Contact addresses of initiatives: telling a person's address from a team's.
pub mod contact;
/// Error codes shared by every layer, and the domain's own error type.
pub mod error;
/// Typed row ids, and the opaque global ids of graph nodes (Relay `Node.id`).
pub mod id;
/// The import format of initiatives (CSV rows, JSON objects) and its validation.
pub mod import;
/// Inputs of mutations, validated into clean fields.
pub mod input;
/// Localised text and the two languages of the knowledge bank.
pub mod lang;
/// The bilingual lexicon of the field's words, and what makes an entry valid.
pub mod lexicon;
/// Text escaped for HTML and XML: one set of rules for every page, feed and export.
pub mod markup;
/// The nodes of the graph: initiatives, themes, topics, organisations, events.
pub mod model;
/// Filters, orderings and pages of list queries.
pub mod query;
/// What a revision records that happened.
pub mod revision;
/// Cleaning of rich text (Markdown or HTML) against an allow-list, so stored text is safe to show.
pub mod sanitise;
/// Slugs made from titles, spelt in ASCII and sized for the `varchar(80)` slug columns.
pub mod slug;
/// Sort keys of titles: lower case ASCII, so byte order sorts alike on every database.
pub mod sort_key;
/// The Netherlands' time zone.
pub mod time;
/// Validators of input fields: each returns the cleaned value or a `BAD_USER_INPUT` error.
pub mod validate;
/// Saved views: a named filter, ordering and search text that portals embed and feeds follow.
pub mod view;
/// Who is reading, and what they may see.
pub mod viewer;
/// Controlled vocabularies (the flat ones of the taxonomy) as enums.
pub mod vocab;
/// The moderation workflow: which role may move an item from which status.
pub mod workflow;

pub use account::{AccountRole, AccountStatus};
pub use error::{DomainError, ErrorCode, Problem, Problems};
pub use id::{
    AccountId, ApiKeyId, EventId, GlobalId, InitiativeId, NodeId, NodeKind, OrganisationId,
    RevisionId, ThemeId, TopicId,
};
pub use lang::Language;
pub use lexicon::LexiconEntry;
pub use model::*;
pub use query::*;
pub use viewer::{Role, Viewer};
pub use vocab::*;
