//! sea-orm entities: one file per table, rows only. They never leave this crate; the
//! repositories turn them into domain types. Their rows (de)serialise for the dump, whose
//! document is the database's rows.

pub mod account;
pub mod api_key;
pub mod change_log;
pub mod contact_review;
pub mod event;
pub mod event_initiative;
pub mod event_organisation;
pub mod event_theme;
pub mod event_topic;
pub mod initiative;
pub mod initiative_link;
pub mod initiative_organisation;
pub mod initiative_term;
pub mod initiative_theme;
pub mod initiative_topic;
pub mod lexicon_entry;
pub mod notification;
pub mod notification_cursor;
pub mod organisation;
pub mod organisation_domain;
pub mod organisation_proposal;
pub mod revision;
pub mod saved_view;
pub mod session;
pub mod sign_in_attempt;
pub mod sign_in_link;
pub mod theme;
pub mod topic;
pub mod trusted_document;
pub mod vocabulary_term;
