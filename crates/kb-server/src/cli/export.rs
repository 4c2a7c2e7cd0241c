//! `kennisbank export`.

use clap::Args;
use kb_store::Store;

/// The options of `export`: the format, the dimensions of a co-occurrence table, the file.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: kb_server::export::CliFormat,
    /// The rows of `cooccurrence-csv`: a dimension (THEME, TOPIC, KIND, …).
    #[arg(long, value_name = "DIMENSION")]
    rows: Option<String>,
    /// The columns of `cooccurrence-csv`: a dimension.
    #[arg(long, value_name = "DIMENSION")]
    columns: Option<String>,
    /// The file to write; stdout without one.
    #[arg(long, short)]
    output: Option<std::path::PathBuf>,
}

/// Writes the export asked for, of what the published knowledge bank holds.
pub async fn run(database_url: &str, args: ExportArgs) -> anyhow::Result<()> {
    let ExportArgs {
        format,
        rows,
        columns,
        output,
    } = args;
    let export = kb_server::export::cli_export(format, rows.as_deref(), columns.as_deref())?;
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    kb_server::export::export_to(&store, export, output.as_deref()).await?;
    Ok(())
}
