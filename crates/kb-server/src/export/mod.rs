//! Open-data exports of the published knowledge bank, for analysts' own tools: the
//! initiatives and a co-occurrence table as CSV, the graph as GraphML and as node-link
//! JSON, and everything as JSON-LD (schema.org and SKOS). The same writers serve
//! `/export/…` over HTTP and `kennisbank export` on the command line.
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
/// The `/export/…` routes: media types, file names, ETags and `304 Not Modified`.
mod routes;
/// `initiatives.csv` and `cooccurrence.csv`.
mod tables;
/// CSV quoting, XML escaping and number formatting.
mod text;

use std::io::Write;
use std::path::Path;

use axum::body::{Body, Bytes};
use kb_domain::Viewer;
use kb_graph::ReadModel;
use kb_graph::analytics::Dimension;
use kb_store::Store;
use tokio::sync::mpsc;

pub use routes::routes;

/// Exports are open data: what an anonymous reader sees.
const VIEWER: Viewer = Viewer::Anonymous;

/// Rows read per statement.
const BATCH: usize = 500;

/// Bytes gathered before they are sent on as one chunk.
const CHUNK: usize = 64 * 1024;

/// The dimensions of a co-occurrence table by their names in the GraphQL API.
const DIMENSIONS: [(&str, Dimension); 11] = [
    ("THEME", Dimension::Theme),
    ("TOPIC", Dimension::Topic),
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

    /// The (weak) entity tag of this export with the read model at change-log
    /// `position`: every change moves the position, so a tag names one content.
    pub fn etag(self, position: i64) -> String {
        crate::caching::etag(position, &self.file_name().replace('.', "-"))
    }
}

/// Where an export's text goes: chunks of an HTTP body, or a writer (a file, stdout).
struct Sink {
    buf: Vec<u8>,
    out: Out,
}

enum Out {
    Channel(mpsc::Sender<Result<Bytes, std::io::Error>>),
    Writer(Box<dyn Write + Send>),
}

impl Sink {
    fn new(out: Out) -> Self {
        Self {
            buf: Vec::with_capacity(CHUNK),
            out,
        }
    }

    fn text(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// The text gathered so far, to write into.
    fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// Sends what was gathered once it makes a chunk.
    async fn flush_if_full(&mut self) -> anyhow::Result<()> {
        if self.buf.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> anyhow::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        match &mut self.out {
            Out::Channel(tx) => tx
                .send(Ok(Bytes::from(chunk)))
                .await
                .map_err(|_| anyhow::anyhow!("the client stopped reading"))?,
            Out::Writer(w) => w.write_all(&chunk)?,
        }
        Ok(())
    }

    async fn finish(mut self) -> anyhow::Result<()> {
        self.flush().await?;
        if let Out::Writer(w) = &mut self.out {
            w.flush()?;
        }
        Ok(())
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

/// `export` as an HTTP body, written by a task of its own as fast as the client reads
/// it (at most a few chunks ahead).
fn body(store: Store, model: ReadModel, export: Export) -> Body {
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
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
                // The body ends in an error, so the client sees a broken transfer
                // rather than a document that looks whole.
                let _ = failed
                    .send(Err(std::io::Error::other("the export failed")))
                    .await;
            }
        }
    });
    channel_body(rx)
}

/// The chunks sent into `rx`, as a body. Once ended, the stream answers that it has ended
/// however often it is asked again, as a compressing layer does (an `unfold` stream
/// would panic there).
fn channel_body(mut rx: mpsc::Receiver<Result<Bytes, std::io::Error>>) -> Body {
    Body::from_stream(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)))
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
pub fn cli_export(
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
    use axum::http::{Request, Response, header};
    use tower::{Layer, ServiceExt};

    #[tokio::test]
    async fn a_streamed_export_can_be_compressed_and_read_to_its_end() {
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(async move {
            for _ in 0..100 {
                let row = Bytes::from_static(b"SW5pdGlhdGl2ZTox,buddyprogramma,Buddyprogramma\r\n");
                if tx.send(Ok(row)).await.is_err() {
                    return;
                }
            }
        });
        let mut rx = Some(rx);
        let service =
            crate::compression::layer().layer(tower::service_fn(move |_: Request<Body>| {
                let body = rx.take().map(channel_body).unwrap_or_default();
                async move {
                    Response::builder()
                        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
                        .body(body)
                }
            }));
        let request = Request::get("/export/initiatives.csv")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .expect("a request");
        let response = service.oneshot(request).await.expect("an answer");
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        let body = axum::body::to_bytes(Body::new(response.into_body()), usize::MAX)
            .await
            .expect("the whole body");
        // The gzip magic number, and far fewer bytes than the 4,900 sent.
        assert_eq!(body[..2], [0x1f, 0x8b]);
        assert!(body.len() < 1_000, "{} bytes", body.len());
    }

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
    fn each_export_names_its_file_and_tags_its_position() {
        let t = Export::Cooccurrence {
            rows: Dimension::Theme,
            columns: Dimension::Topic,
        };
        assert_eq!(t.file_name(), "cooccurrence-theme-topic.csv");
        assert_eq!(t.etag(42), "W/\"kb-42-cooccurrence-theme-topic-csv\"");
        assert_eq!(Export::GraphMl.content_type(), "application/graphml+xml");
        assert_eq!(Export::JsonLd.etag(7), "W/\"kb-7-kennisbank-jsonld\"");
    }
}
