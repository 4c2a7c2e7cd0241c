//! `kennisbank import`.

use clap::Args;
use kb_domain::import::ImportKind;
use kb_store::{Actor, Store};

/// The options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file: `.csv` or `.json`.
    file: std::path::PathBuf,
    /// What the records are: `initiatives`, `organisations` or `events`.
    #[arg(long, default_value = "initiatives", value_parser = parse_kind)]
    kind: ImportKind,
    /// Check the file against the database and say what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Parses `--kind` of `import`.
fn parse_kind(s: &str) -> Result<ImportKind, String> {
    ImportKind::parse(s).ok_or_else(|| format!("`{s}`: initiatives, organisations or events"))
}

/// Migrates, then imports the file.
pub async fn run(database_url: &str, args: ImportArgs) -> anyhow::Result<()> {
    let ImportArgs {
        file,
        kind,
        dry_run,
    } = args;
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    import(&store, &file, kind, dry_run).await
}

/// `kennisbank import`: the report on stderr; an error (a non-zero exit) when the file
/// has problems.
async fn import(
    store: &Store,
    file: &std::path::Path,
    kind: ImportKind,
    dry_run: bool,
) -> anyhow::Result<()> {
    use kb_server::import::ImportOutcome;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let actor = Actor {
        name: format!("cli import ({name})"),
        ..Actor::cli()
    };
    match kb_server::import::import_records(store, &actor, file, kind, dry_run).await? {
        ImportOutcome::Invalid(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", file.display());
            }
            anyhow::bail!(
                "{} problem{} in {}; nothing was imported",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                file.display()
            );
        }
        ImportOutcome::Imported(r) => {
            let verb = if dry_run {
                "Dry run, nothing written"
            } else {
                "Imported"
            };
            eprintln!(
                "{verb}: {} {} created, {} updated, {} unchanged.",
                kind.as_str(),
                r.created,
                r.updated,
                r.unchanged
            );
        }
        ImportOutcome::Restored { counts: c, written } => {
            let verb = if written {
                "Restored"
            } else {
                "Dry run, nothing written; would restore"
            };
            eprintln!(
                "{verb} {} organisations, {} initiatives, {} events, {} links and {} revisions.",
                c.organisations, c.initiatives, c.events, c.links, c.revisions
            );
        }
    }
    Ok(())
}
