//! Mutations, one module per object: verbs on one object that take an input object and
//! return a payload with the changed node. Authorisation, validation and the workflow
//! live in the domain and the store; these modules only translate.

/// People's accounts and organisations' membership (editors, admins).
pub(crate) mod accounts;
/// Erasing accounts (admins) and settling contact reviews (editors).
pub(crate) mod erasure;
/// Events: create, update, the workflow.
pub(crate) mod event;
/// Initiatives: create, update, the workflow, links, restoring revisions.
pub(crate) mod initiative;
/// API keys (admins).
pub(crate) mod keys;
/// The bilingual lexicon of search (editors).
pub(crate) mod lexicon;
/// Organisations (editors).
pub(crate) mod organisation;
/// Organisations proposed by contributors, decided on by editors.
pub(crate) mod proposals;
/// The taxonomy (editors).
pub(crate) mod taxonomy;
/// Saved views (editors and partners).
pub(crate) mod view;
