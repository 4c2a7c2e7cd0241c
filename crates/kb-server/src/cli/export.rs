//! `kennisbank export`.

use clap::Args;
use kb_exchange::export::{Export, dimension_error, parse_dimension};
use kb_store::Store;

/// The options of `export`: the format, the dimensions of a co-occurrence table, the file.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: CliFormat,
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

/// The formats of `kennisbank export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CliFormat {
    /// `initiatives.csv`.
    Csv,
    /// `cooccurrence.csv`, of `--rows` and `--columns`.
    CooccurrenceCsv,
    /// `graph.graphml`.
    Graphml,
    /// `graph.json` (node-link).
    Json,
    /// `kennisbank.jsonld`.
    Jsonld,
}

/// The export a command line asks for.
fn cli_export(
    format: CliFormat,
    rows: Option<&str>,
    columns: Option<&str>,
) -> anyhow::Result<Export> {
    let dimension = |field: &str, given: Option<&str>| {
        given
            .and_then(parse_dimension)
            .ok_or_else(|| anyhow::anyhow!("{}", dimension_error(field, given)))
    };
    Ok(match format {
        CliFormat::Csv => Export::Initiatives,
        CliFormat::CooccurrenceCsv => Export::Cooccurrence {
            rows: dimension("--rows", rows)?,
            columns: dimension("--columns", columns)?,
        },
        CliFormat::Graphml => Export::GraphMl,
        CliFormat::Json => Export::GraphJson,
        CliFormat::Jsonld => Export::JsonLd,
    })
}

/// Writes the export asked for, of what the published knowledge bank holds.
pub async fn run(database_url: &str, args: ExportArgs) -> anyhow::Result<()> {
    let ExportArgs {
        format,
        rows,
        columns,
        output,
    } = args;
    let export = cli_export(format, rows.as_deref(), columns.as_deref())?;
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    kb_exchange::export::export_to(&store, export, output.as_deref()).await?;
    Ok(())
}
