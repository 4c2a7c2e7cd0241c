//! `kennisbank import`.

use clap::Args;
use kb_domain::import::ImportKind;
use kb_exchange::import::{command_line_actor, import_records};
use kb_store::Store;

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

/// Migrates, then imports the file as the operator: the report on stderr; an error (a
/// non-zero exit) when the file has problems.
pub async fn run(database_url: &str, args: ImportArgs) -> anyhow::Result<()> {
    let ImportArgs {
        file,
        kind,
        dry_run,
    } = args;
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    let actor = command_line_actor(&file);
    let outcome = import_records(&store, &actor, &file, kind, dry_run).await?;
    let report = outcome.report(&file, kind, dry_run);
    for line in &report.lines {
        eprintln!("{line}");
    }
    if let Some(failure) = report.failure {
        anyhow::bail!("{failure}");
    }
    Ok(())
}
