//! Open-data exports of the published knowledge bank, for analysts' own tools: the
//! initiatives and a co-occurrence table as CSV, the graph as GraphML and as node-link
//! JSON, and everything as JSON-LD (schema.org and SKOS). The same writers serve
//! `/export/…` over HTTP (as a [`stream`] of chunks) and `kennisbank export` on the
//! command line (into a file, [`export_to`]).
//!
//! Exports are of what the public sees: every read goes through the store's access rule
//! or the read model's visibility for an anonymous viewer, never around them. Each is
//! written in chunks as it is read, from batches of rows, so memory stays flat however
//! large the knowledge bank grows; only ids (of the graph, or of the initiatives) are
//! held whole.

/// `graph.graphml` and `graph.json`.
mod graph;
/// `kennisbank.jsonld`.
mod linked_data;
/// The nodes of the graph with what exports say of them, read in batches.
mod nodes;
/// Initiatives with their themes, topics, organisations and terms, read in batches.
mod records;
/// Where an export's text goes: chunks of a stream, or a file.
mod sink;
/// `initiatives.csv` and `cooccurrence.csv`.
mod tables;
/// CSV quoting, XML escaping and number formatting.
mod text;

use std::io::Write;
use std::path::Path;

use kb_domain::Viewer;
use kb_readmodel::ReadModel;
use kb_readmodel::analytics::Dimension;
use kb_store::Store;
use tokio::sync::mpsc;

pub use sink::Chunks;
use sink::{Out, Sink};

/// Exports are open data: what an anonymous reader sees.
const VIEWER: Viewer = Viewer::Anonymous;

/// Rows read per statement.
const BATCH: usize = 500;

/// The dimensions of a co-occurrence table by their names in the GraphQL API.
const DIMENSIONS: [(&str, Dimension); 13] = [
    ("THEME", Dimension::Theme),
    ("TOPIC", Dimension::Topic),
    ("BROAD_TOPIC", Dimension::BroadTopic),
    ("NARROW_TOPIC", Dimension::NarrowTopic),
    ("KIND", Dimension::Kind),
    ("ORGANISATION", Dimension::Organisation),
    ("ORGANISATION_KIND", Dimension::OrganisationKind),
    ("TARGET_GROUP", Dimension::TargetGroup),
    ("EDUCATION_LEVEL", Dimension::EducationLevel),
    ("REGION", Dimension::Region),
    ("EVIDENCE_LEVEL", Dimension::EvidenceLevel),
    ("LANGUAGE", Dimension::Language),
    ("YEAR", Dimension::Year),
];

/// A dimension by its GraphQL name (`THEME`, `TARGET_GROUP`), in any case.
pub fn parse_dimension(name: &str) -> Option<Dimension> {
    let name = name.trim();
    DIMENSIONS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, d)| *d)
}

fn dimension_name(d: Dimension) -> &'static str {
    DIMENSIONS
        .iter()
        .find(|(_, x)| *x == d)
        .map_or("UNKNOWN", |(n, _)| *n)
}

/// Why a dimension given by name is refused.
pub fn dimension_error(field: &str, given: Option<&str>) -> String {
    let names: Vec<&str> = DIMENSIONS.iter().map(|(n, _)| *n).collect();
    match given {
        None => format!("`{field}` is required: one of {}", names.join(", ")),
        Some(g) => format!(
            "`{g}` is not a dimension; `{field}` is one of {}",
            names.join(", ")
        ),
    }
}

/// One export of the published knowledge bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// `initiatives.csv`: one row per initiative.
    Initiatives,
    /// `cooccurrence.csv`: one row per cell of the table of two dimensions.
    Cooccurrence { rows: Dimension, columns: Dimension },
    /// `graph.graphml`.
    GraphMl,
    /// `graph.json`: nodes and links as networkx's node-link format reads them.
    GraphJson,
    /// `kennisbank.jsonld`.
    JsonLd,
}

impl Export {
    /// The media type of the export.
    pub fn content_type(self) -> &'static str {
        match self {
            Export::Initiatives | Export::Cooccurrence { .. } => "text/csv; charset=utf-8",
            Export::GraphMl => "application/graphml+xml",
            Export::GraphJson => "application/json",
            Export::JsonLd => "application/ld+json",
        }
    }

    /// The file name a download is saved under.
    pub fn file_name(self) -> String {
        match self {
            Export::Initiatives => "initiatives.csv".to_owned(),
            Export::Cooccurrence { rows, columns } => format!(
                "cooccurrence-{}-{}.csv",
                dimension_name(rows).to_ascii_lowercase(),
                dimension_name(columns).to_ascii_lowercase()
            ),
            Export::GraphMl => "graph.graphml".to_owned(),
            Export::GraphJson => "graph.json".to_owned(),
            Export::JsonLd => "kennisbank.jsonld".to_owned(),
        }
    }
}

/// Writes `export` into `sink`.
async fn write(
    store: &Store,
    model: &ReadModel,
    export: Export,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    match export {
        Export::Initiatives => tables::initiatives(store, model, sink).await,
        Export::Cooccurrence { rows, columns } => {
            tables::cooccurrence(model, rows, columns, sink).await
        }
        Export::GraphMl => graph::graphml(store, model, sink).await,
        Export::GraphJson => graph::node_link(store, model, sink).await,
        Export::JsonLd => linked_data::jsonld(store, model, sink).await,
    }
}

/// `export` as a stream of chunks, written by a task of its own as fast as the reader
/// takes them (at most a few chunks ahead). A failure ends the stream in an error, so
/// the reader sees a broken transfer rather than a document that looks whole.
pub fn stream(store: Store, model: ReadModel, export: Export) -> Chunks {
    let (tx, rx) = mpsc::channel::<std::io::Result<Vec<u8>>>(4);
    let failed = tx.clone();
    tokio::spawn(async move {
        let mut sink = Sink::new(Out::Channel(tx));
        let result = match write(&store, &model, export, &mut sink).await {
            Ok(()) => sink.finish().await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            if failed.is_closed() {
                tracing::debug!(?export, "the client left before the export ended");
            } else {
                tracing::error!(error = %e, ?export, "an export failed");
                let _ = failed
                    .send(Err(std::io::Error::other("the export failed")))
                    .await;
            }
        }
    });
    Chunks::from(rx)
}

/// Writes `export` of the database of `store` to `output`, or to stdout without one.
pub async fn export_to(store: &Store, export: Export, output: Option<&Path>) -> anyhow::Result<()> {
    let model = ReadModel::build(store).await?;
    let out: Box<dyn Write + Send> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let mut sink = Sink::new(Out::Writer(out));
    write(store, &model, export, &mut sink).await?;
    sink.finish().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_are_read_by_their_graphql_names_in_any_case() {
        assert_eq!(parse_dimension("THEME"), Some(Dimension::Theme));
        assert_eq!(
            parse_dimension("target_group"),
            Some(Dimension::TargetGroup)
        );
        assert_eq!(parse_dimension("colour"), None);
        for (name, d) in DIMENSIONS {
            assert_eq!(dimension_name(d), name);
        }
    }

    #[test]
    fn each_export_names_its_file_and_its_media_type() {
        let t = Export::Cooccurrence {
            rows: Dimension::Theme,
            columns: Dimension::Topic,
        };
        assert_eq!(t.file_name(), "cooccurrence-theme-topic.csv");
        assert_eq!(t.content_type(), "text/csv; charset=utf-8");
        assert_eq!(Export::GraphMl.content_type(), "application/graphml+xml");
        assert_eq!(Export::JsonLd.file_name(), "kennisbank.jsonld");
    }

    #[test]
    fn a_missing_or_unknown_dimension_is_refused_with_the_names_it_may_take() {
        assert!(dimension_error("rows", None).starts_with("`rows` is required: one of THEME, "));
        assert!(
            dimension_error("--columns", Some("colour"))
                .starts_with("`colour` is not a dimension; `--columns` is one of THEME, ")
        );
    }
}
