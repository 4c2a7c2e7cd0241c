//! Kennisbank's benchmark, one command for every figure of docs/BENCHMARKS.md: for each
//! size it generates the synthetic data set on SQLite and/or a throwaway PostgreSQL,
//! starts the real server, drives the operations of `operations.rs` over HTTP at a set
//! concurrency and reports latency percentiles, throughput, SQL statements per request,
//! resident memory, load and start-up times; with `--peer postgraphile` it serves the same
//! PostgreSQL data with PostGraphile v5 and gives the throughput ratio of each pair. The
//! report is a Markdown document on stdout (and in `--output`), progress on stderr.
//!
//! `scripts/bench.sh` builds and runs it:
//! `scripts/bench.sh --sizes 1000,10000 --db sqlite,postgres --peer postgraphile`.
//! `--url URL` instead drives a server that is already running (a side-by-side run of
//! two builds). Talks to 127.0.0.1 only.

mod load;
mod operations;
mod processes;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;

use load::{Measured, Target};
use operations::Operation;
use processes::{Kennisbank, PostGraphile, Postgres};

#[derive(Debug, Parser)]
#[command(
    name = "bench",
    about = "Kennisbank's benchmark (see docs/BENCHMARKS.md)"
)]
struct Args {
    /// Numbers of synthetic initiatives, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
    sizes: Vec<usize>,
    /// Databases: `sqlite`, `postgres`, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    db: Vec<String>,
    /// A peer served on the same PostgreSQL data: `postgraphile`.
    #[arg(long)]
    peer: Option<String>,
    /// Timed requests per operation.
    #[arg(long, default_value_t = 1000)]
    requests: usize,
    /// Connections sending requests at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Every operation, not only the standard ones.
    #[arg(long)]
    all: bool,
    /// Only operations whose name starts with one of these (comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Also write the report to this file.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The `kennisbank` binary; default: the one built beside this example.
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Where PostGraphile is (or is to be) installed from its pinned package-lock.
    #[arg(long, env = "PEER_DIR")]
    peer_dir: Option<PathBuf>,
    /// Only drive the server at this base URL (`http://127.0.0.1:8080`), already running.
    #[arg(long)]
    url: Option<String>,
}

impl Args {
    fn operations(&self) -> Vec<Operation> {
        operations::kennisbank()
            .into_iter()
            .filter(|op| {
                if self.only.is_empty() {
                    self.all || op.standard
                } else {
                    self.only.iter().any(|o| op.name.starts_with(o.as_str()))
                }
            })
            .collect()
    }

    fn load(&self) -> (usize, usize, usize) {
        (100, self.requests, self.concurrency)
    }
}

/// The header and one row of an operation's table.
const HEADER: &str = "| operation | requests | p50 ms | p95 ms | p99 ms | max ms | req/s | SQL/request |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";

fn row(name: &str, m: &Measured) -> String {
    let sql = m.sql.map_or_else(|| "–".to_owned(), |s| format!("{s:.2}"));
    format!(
        "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {sql} |\n",
        m.requests, m.p50, m.p95, m.p99, m.max, m.per_second
    )
}

/// Measures every operation against `target`; the report's table and the figures.
async fn measure_all(
    client: &reqwest::Client,
    target: &Target,
    ops: &[Operation],
    load: (usize, usize, usize),
) -> (String, Vec<(&'static str, Measured)>) {
    let mut table = HEADER.to_owned();
    let mut figures = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        eprintln!("  {}", op.name);
        let m = load::measure(client, target, op, &format!("Bench{}", i + 1), load).await;
        table.push_str(&row(op.name, &m));
        figures.push((op.name, m));
    }
    (table, figures)
}

/// Generates `n` initiatives into `url`, starts the server twice (the first start builds
/// the search index, the second reuses it) and measures it; the section of the report.
async fn one_database(
    args: &Args,
    client: &reqwest::Client,
    kennisbank: &Kennisbank,
    (label, url): (&str, &str),
    n: usize,
    peer: Option<&PostGraphile>,
) -> anyhow::Result<String> {
    let work = tempfile::Builder::new().prefix("kb-bench").tempdir()?;
    let mut out = format!(
        "## {n} initiatives, {label}, {} connections\n\n",
        args.concurrency
    );
    eprintln!("{n} initiatives on {label}: generating");
    let loaded = kennisbank.seed(url, n)?;
    let index = work.path().join("index");
    let port = processes::free_port()?;
    let ready_url = format!("http://127.0.0.1:{port}/readyz");
    let started = Instant::now();
    let first = kennisbank.serve(url, port, &index)?;
    let first_start = processes::wait_ready(client, &ready_url, None, started).await?;
    first.stop()?;
    let started = Instant::now();
    let server = kennisbank.serve(url, port, &index)?;
    let start = processes::wait_ready(client, &ready_url, None, started).await?;
    let rss_at_start = server.rss_mib();
    let base = format!("http://127.0.0.1:{port}");
    let target = Target::new(client, &base, operations::nodes_query(false)).await?;
    eprintln!("  Kennisbank");
    let (table, figures) = measure_all(client, &target, &args.operations(), args.load()).await;
    let rss = server.rss_mib();
    let mib = |m: Option<f64>| m.map_or_else(|| "?".to_owned(), |m| format!("{m:.0} MiB"));
    writeln!(
        out,
        "- generated in {:.1} s; first start-up to ready (read model and index built) {:.2} s; \
         start-up to ready (index reused) {:.2} s\n- resident memory: {} after start-up, {} after the run\n",
        loaded.as_secs_f64(),
        first_start.as_secs_f64(),
        start.as_secs_f64(),
        mib(rss_at_start),
        mib(rss)
    )?;
    out.push_str(&table);
    if let Some(peer) = peer {
        out.push('\n');
        out.push_str(&beside_peer(args, client, peer, url, work.path(), &figures).await?);
    }
    out.push('\n');
    server.stop()?;
    Ok(out)
}

/// PostGraphile on the same data: its figures and the ratio of each pair.
async fn beside_peer(
    args: &Args,
    client: &reqwest::Client,
    peer: &PostGraphile,
    url: &str,
    work: &std::path::Path,
    ours: &[(&'static str, Measured)],
) -> anyhow::Result<String> {
    let port = processes::free_port()?;
    let started = Instant::now();
    let server = peer.serve(url, port, &work.join("postgraphile.log"))?;
    let base = format!("http://127.0.0.1:{port}");
    let probe = serde_json::json!({ "query": "{ __typename }" });
    let start =
        processes::wait_ready(client, &format!("{base}/graphql"), Some(&probe), started).await?;
    let target = Target::new(client, &base, operations::nodes_query(true)).await?;
    let mut table = format!(
        "PostGraphile {} (start-up to ready {:.2} s) on the same database, the same load:\n\n\
         | operation | PostGraphile p50 / p99 ms | req/s | Kennisbank p50 / p99 ms | req/s | Kennisbank ÷ PostGraphile |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |\n",
        peer.version(),
        start.as_secs_f64()
    );
    eprintln!("  PostGraphile");
    for (i, (pair, op)) in operations::postgraphile().into_iter().enumerate() {
        let Some((_, mine)) = ours.iter().find(|(name, _)| *name == pair) else {
            continue;
        };
        eprintln!("  {}", op.name);
        let theirs =
            load::measure(client, &target, &op, &format!("Peer{}", i + 1), args.load()).await;
        writeln!(
            table,
            "| {pair} | {:.1} / {:.1} | {:.0} | {:.1} / {:.1} | {:.0} | {:.1}× |",
            theirs.p50,
            theirs.p99,
            theirs.per_second,
            mine.p50,
            mine.p99,
            mine.per_second,
            mine.per_second / theirs.per_second
        )?;
    }
    let rss = server
        .rss_mib()
        .map_or_else(|| "?".to_owned(), |m| format!("{m:.0} MiB"));
    writeln!(
        table,
        "\n- PostGraphile's resident memory after the run: {rss}"
    )?;
    Ok(table)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    kb_server::install_crypto();
    let client = reqwest::Client::new();
    let mut report = String::new();
    if let Some(base) = &args.url {
        let base = base.trim_end_matches('/').trim_end_matches("/graphql");
        let target = Target::new(&client, base, operations::nodes_query(false)).await?;
        writeln!(report, "## {base}, {} connections\n", args.concurrency)?;
        report.push_str(
            &measure_all(&client, &target, &args.operations(), args.load())
                .await
                .0,
        );
    } else {
        let bin = match &args.bin {
            Some(b) => b.clone(),
            None => std::env::current_exe()?
                .parent()
                .and_then(std::path::Path::parent)
                .map(|d| d.join("kennisbank"))
                .ok_or_else(|| anyhow::anyhow!("where is the kennisbank binary? --bin"))?,
        };
        anyhow::ensure!(
            bin.exists(),
            "no {}: build it, or name one with --bin",
            bin.display()
        );
        let kennisbank = Kennisbank { bin };
        let peer = match args.peer.as_deref() {
            None => None,
            Some("postgraphile") => {
                let dir = args.peer_dir.clone().unwrap_or_else(|| {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/postgraphile")
                });
                Some(PostGraphile::install(&dir)?)
            }
            Some(other) => anyhow::bail!("--peer {other}: the peer known is `postgraphile`"),
        };
        let postgres = if args.db.iter().any(|d| d == "postgres") {
            Some(Postgres::start()?)
        } else {
            None
        };
        writeln!(
            report,
            "# Kennisbank benchmark\n\n`bench {}`\n",
            std::env::args().skip(1).collect::<Vec<_>>().join(" ")
        )?;
        print!("{report}");
        for &n in &args.sizes {
            for db in &args.db {
                let section = match (db.as_str(), &postgres) {
                    ("sqlite", _) => {
                        let dir = tempfile::Builder::new().prefix("kb-bench-db").tempdir()?;
                        let url =
                            format!("sqlite://{}?mode=rwc", dir.path().join("kb.db").display());
                        one_database(&args, &client, &kennisbank, ("SQLite", &url), n, None).await?
                    }
                    ("postgres", Some(pg)) => {
                        let url = pg.create_database(&format!("kb{n}"))?;
                        one_database(
                            &args,
                            &client,
                            &kennisbank,
                            ("PostgreSQL", &url),
                            n,
                            peer.as_ref(),
                        )
                        .await?
                    }
                    (other, _) => anyhow::bail!("--db {other}: `sqlite` or `postgres`"),
                };
                print!("{section}");
                report.push_str(&section);
            }
        }
    }
    if args.url.is_some() {
        print!("{report}");
    }
    if let Some(path) = &args.output {
        std::fs::write(path, &report)?;
    }
    let errors = load::ERRORS.load(std::sync::atomic::Ordering::Relaxed);
    anyhow::ensure!(errors == 0, "{errors} error responses");
    Ok(())
}
