//! The files of `kennisbank import`: records read from CSV and JSON files (the domain
//! validates them, the store writes them as the importer, with revisions), or a dump
//! recognised and restored into an empty database; and what the command reports.

/// Reading CSV and JSON import files into records, or a dump.
mod files;
/// What the command reports, and the actor it imports as.
mod report;

use std::io::IsTerminal;
use std::path::Path;

use kb_domain::import::{
    EventRecord, ImportError, ImportKind, ImportRecord, OrganisationRecord, parse_events,
    parse_organisations, parse_records,
};
use kb_store::{Actor, DumpCounts, ImportReport, ImportStep, Store};

pub use files::{ImportFile, read_csv, read_file, read_json};
pub use report::{Report, command_line_actor};

/// What `kennisbank import` did.
#[derive(Debug)]
pub enum ImportOutcome {
    /// Records were imported (or checked, on a dry run).
    Imported(ImportReport),
    /// The file has problems: nothing was written.
    Invalid(Vec<ImportError>),
    /// A dump was restored (or found restorable, on a dry run).
    Restored { counts: DumpCounts, written: bool },
}

/// A progress bar on stderr when it is a terminal, hidden otherwise.
fn progress_bar(len: usize, message: &'static str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// Imports the initiatives of the file at `path`: [`import_records`] of
/// [`ImportKind::Initiatives`].
pub async fn import_file(
    store: &Store,
    actor: &Actor,
    path: &Path,
    dry_run: bool,
) -> anyhow::Result<ImportOutcome> {
    import_records(store, actor, path, ImportKind::Initiatives, dry_run).await
}

/// The valid records of a file, of one kind.
enum Records {
    Initiatives(Vec<ImportRecord>),
    Organisations(Vec<OrganisationRecord>),
    Events(Vec<EventRecord>),
}

impl Records {
    fn len(&self) -> usize {
        match self {
            Self::Initiatives(r) => r.len(),
            Self::Organisations(r) => r.len(),
            Self::Events(r) => r.len(),
        }
    }

    async fn import(
        &self,
        store: &Store,
        actor: &Actor,
        dry_run: bool,
        progress: &mut (dyn FnMut(ImportStep) + Send),
    ) -> anyhow::Result<ImportReport> {
        Ok(match self {
            Self::Initiatives(r) => {
                store
                    .import_initiatives(actor, r, dry_run, progress)
                    .await?
            }
            Self::Organisations(r) => {
                store
                    .import_organisations(actor, r, dry_run, progress)
                    .await?
            }
            Self::Events(r) => store.import_events(actor, r, dry_run, progress).await?,
        })
    }
}

/// Imports the file at `path`, records of `kind`, into `store` as `actor`: records are
/// validated (all of them, against the store's vocabularies, themes, topics,
/// organisations and initiatives) and upserted in one transaction; a dump is restored
/// into the empty database. With `dry_run` nothing is written.
pub async fn import_records(
    store: &Store,
    actor: &Actor,
    path: &Path,
    kind: ImportKind,
    dry_run: bool,
) -> anyhow::Result<ImportOutcome> {
    let raw = match read_file(path, kind)? {
        Ok(ImportFile::Records(raw)) => raw,
        Ok(ImportFile::Dump(dump)) => {
            let counts = dump.counts();
            if let Some(why) = store.restore_refusal(&dump).await? {
                anyhow::bail!("{}: {why}", path.display());
            }
            if !dry_run {
                store.restore(actor, *dump).await?;
            }
            return Ok(ImportOutcome::Restored {
                counts,
                written: !dry_run,
            });
        }
        Err(errors) => return Ok(ImportOutcome::Invalid(errors)),
    };
    store.seed_taxonomy().await?;
    let names = store.import_names(actor.viewer).await?;
    let (records, mut errors) = match kind {
        ImportKind::Initiatives => {
            let (r, e) = parse_records(&raw, &names);
            (Records::Initiatives(r), e)
        }
        ImportKind::Organisations => {
            let (r, e) = parse_organisations(&raw, &names);
            (Records::Organisations(r), e)
        }
        ImportKind::Events => {
            let (r, e) = parse_events(&raw, &names);
            (Records::Events(r), e)
        }
    };
    if !errors.is_empty() {
        // The valid records are checked against the database too, so the report is
        // whole; nothing is written.
        let report = records.import(store, actor, true, &mut |_| {}).await?;
        errors.extend(report.errors);
        errors.sort_by_key(|e| e.line);
        return Ok(ImportOutcome::Invalid(errors));
    }
    let checking = progress_bar(records.len(), "checking");
    let mut writing: Option<indicatif::ProgressBar> = None;
    let mut step = |s: ImportStep| match s {
        ImportStep::Checked => checking.inc(1),
        ImportStep::Written => writing
            .get_or_insert_with(|| {
                checking.finish_and_clear();
                progress_bar(records.len(), "writing")
            })
            .inc(1),
    };
    let report = records.import(store, actor, dry_run, &mut step).await?;
    checking.finish_and_clear();
    if let Some(w) = writing {
        w.finish_and_clear();
    }
    Ok(if report.errors.is_empty() {
        ImportOutcome::Imported(report)
    } else {
        ImportOutcome::Invalid(report.errors)
    })
}
