//! What the tests need from the machine besides Rust: PostgreSQL's server binaries, a
//! Python with the export readers, Node with the npm packages of `tests/federation` and
//! `tests/browser`, and Debian's Chromium. Tests never install any of it; one that finds
//! its tool missing fails and names the command that installs everything.

/// The command that installs what the tests need from the machine.
pub const SETUP: &str = "bash scripts/setup-tests.sh";
