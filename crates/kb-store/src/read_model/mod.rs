//! What in-memory read models (the bitmaps and search index of `kb-readmodel`) read from the
//! store to build themselves and to stay current: facts, edges and texts in a handful of
//! statements however many rows, and the change log they follow. Only ids and values,
//! never a row of an entity.

/// The change log: its head, and the changes after a position.
mod change_log;
/// Events with their edges, and the organisation hierarchy.
mod graph_edges;
/// The values initiatives are filtered, counted and ordered by; organisations' kind and
/// status.
mod initiative_facts;
/// The texts full-text search indexes.
mod search_texts;

pub use change_log::Change;
pub use graph_edges::EventFacts;
pub use initiative_facts::{InitiativeFacts, OrganisationFacts};
pub use search_texts::{EventText, InitiativeText, OrganisationText};
