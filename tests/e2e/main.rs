//! End-to-end tests of Kennisbank: the real server over HTTP, on SQLite and on
//! PostgreSQL. One binary, shared templates, a fresh database per test.

mod oracle;
mod postgres;
mod proxy;
mod support;
mod tools;

mod accounts;
mod analytics;
mod catalogue;
mod configuration;
mod contributions;
mod curation;
mod exports;
mod faults;
mod federation;
mod feeds;
mod graph;
mod headers;
mod hostile;
mod http;
mod import;
mod integrity;
mod keys;
mod limits;
mod listing;
mod live;
mod matrix;
mod metrics;
mod observatory;
mod oidc;
mod persisted;
mod privacy;
mod public_address;
mod read_model;
mod resilience;
mod schema;
mod search;
mod sign_in;
mod site;
mod statements;
mod storage;
mod telemetry;
mod translations;
mod views;
mod visibility;
