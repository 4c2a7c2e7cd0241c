//! What `kennisbank import` says: who the import acts as, and its outcome in lines for
//! stderr, with the failure that makes the command exit non-zero.

use std::path::Path;

use kb_domain::import::ImportKind;
use kb_store::Actor;

use super::ImportOutcome;

/// The actor of an import from the command line: the operator (an admin), named after
/// the file, as its revisions record it (`cli import (records.json)`).
pub fn command_line_actor(file: &Path) -> Actor {
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Actor {
        name: format!("cli import ({name})"),
        ..Actor::cli()
    }
}

/// What an import of `file` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Lines to show, in order.
    pub lines: Vec<String>,
    /// Why the import failed, when it did: nothing was written.
    pub failure: Option<String>,
}

impl ImportOutcome {
    /// The report of this outcome of importing `file`, records of `kind`.
    pub fn report(&self, file: &Path, kind: ImportKind, dry_run: bool) -> Report {
        match self {
            ImportOutcome::Invalid(errors) => Report {
                lines: errors
                    .iter()
                    .map(|e| format!("{}: {e}", file.display()))
                    .collect(),
                failure: Some(format!(
                    "{} problem{} in {}; nothing was imported",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" },
                    file.display()
                )),
            },
            ImportOutcome::Imported(r) => {
                let verb = if dry_run {
                    "Dry run, nothing written"
                } else {
                    "Imported"
                };
                Report {
                    lines: vec![format!(
                        "{verb}: {} {} created, {} updated, {} unchanged.",
                        kind.as_str(),
                        r.created,
                        r.updated,
                        r.unchanged
                    )],
                    failure: None,
                }
            }
            ImportOutcome::Restored { counts: c, written } => {
                let verb = if *written {
                    "Restored"
                } else {
                    "Dry run, nothing written; would restore"
                };
                Report {
                    lines: vec![format!(
                        "{verb} {} organisations, {} initiatives, {} events, {} links and {} revisions.",
                        c.organisations, c.initiatives, c.events, c.links, c.revisions
                    )],
                    failure: None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use kb_domain::import::ImportError;
    use kb_store::{DumpCounts, ImportReport};

    use super::*;

    #[test]
    fn the_actor_is_the_operator_named_after_the_file() {
        let actor = command_line_actor(Path::new("/data/records.json"));
        assert_eq!(actor.name, "cli import (records.json)");
        assert_eq!(actor.viewer, Actor::cli().viewer);
    }

    #[test]
    fn problems_are_reported_each_on_a_line_of_the_file_and_fail_the_import() {
        let file = Path::new("in/records.csv");
        let one = ImportOutcome::Invalid(vec![ImportError::new(3, "kind", "unknown")]);
        let report = one.report(file, ImportKind::Initiatives, false);
        assert_eq!(
            report.lines,
            vec![format!(
                "in/records.csv: {}",
                ImportError::new(3, "kind", "unknown")
            )]
        );
        assert_eq!(
            report.failure.as_deref(),
            Some("1 problem in in/records.csv; nothing was imported")
        );
        let two = ImportOutcome::Invalid(vec![
            ImportError::new(2, "slug", "empty"),
            ImportError::new(4, "title", "empty"),
        ]);
        let report = two.report(file, ImportKind::Initiatives, false);
        assert_eq!(report.lines.len(), 2);
        assert_eq!(
            report.failure.as_deref(),
            Some("2 problems in in/records.csv; nothing was imported")
        );
    }

    #[test]
    fn an_import_and_a_restore_say_what_they_wrote_or_would_write() {
        let file = Path::new("x.csv");
        let imported = ImportOutcome::Imported(ImportReport {
            created: 2,
            updated: 1,
            unchanged: 0,
            ..ImportReport::default()
        });
        assert_eq!(
            imported.report(file, ImportKind::Organisations, true),
            Report {
                lines: vec![
                    "Dry run, nothing written: organisations 2 created, 1 updated, 0 unchanged."
                        .to_owned()
                ],
                failure: None,
            }
        );
        assert_eq!(
            imported.report(file, ImportKind::Events, false).lines,
            vec!["Imported: events 2 created, 1 updated, 0 unchanged."]
        );
        let counts = DumpCounts {
            organisations: 35,
            initiatives: 77,
            events: 16,
            links: 32,
            revisions: 0,
        };
        let restored = ImportOutcome::Restored {
            counts,
            written: true,
        };
        assert_eq!(
            restored.report(file, ImportKind::Initiatives, false).lines,
            vec!["Restored 35 organisations, 77 initiatives, 16 events, 32 links and 0 revisions."]
        );
        let dry = ImportOutcome::Restored {
            counts,
            written: false,
        };
        assert_eq!(
            dry.report(file, ImportKind::Initiatives, true).lines,
            vec![
                "Dry run, nothing written; would restore 35 organisations, 77 initiatives, 16 events, 32 links and 0 revisions."
            ]
        );
    }
}
