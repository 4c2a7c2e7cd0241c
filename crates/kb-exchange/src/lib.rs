//! What goes in and out of the knowledge bank as files: the open-data exports (CSV,
//! GraphML, node-link JSON, JSON-LD), the Atom and iCalendar feeds, and the files of
//! `kennisbank import` and `kennisbank dump`.
//!
//! It reads through the same paths as the API: the read model (`kb-readmodel`, whose
//! visibility is a bitmap of the store's access rule) for ids, numbers and the graph, and
//! the store's public functions, which take a viewer and apply `kb_store::access`, for
//! rows; imports and restores write through the store's audited saves as an actor. It
//! produces bytes, streams of chunks and plain structs: the server adapts them to HTTP
//! (status, headers, entity tags), the command line to files and messages.
//!
//! It must not depend on async-graphql or on HTTP crates (axum, hyper, tower-http), nor
//! directly on the database crates (sea-orm, sea-query, sqlx): `.ci/run` checks both.

/// The files of `kennisbank dump`.
pub mod dump;
/// Open-data exports of the published knowledge bank, written as they are read.
pub mod export;
/// Atom and iCalendar feeds of initiatives, events and saved views.
pub mod feeds;
/// The files of `kennisbank import`: CSV and JSON records, and dumps to restore.
pub mod import;
