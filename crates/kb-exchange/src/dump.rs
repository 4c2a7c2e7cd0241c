//! The files of `kennisbank dump`: the whole knowledge bank as one JSON document, which
//! `kennisbank import` restores. The store reads it in one snapshot, for viewers who see
//! everything only (its access module decides).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use kb_store::{DumpCounts, Store, Viewer};

/// Writes a complete dump of `store`, as `viewer` may read it (the whole knowledge bank, for
/// editors and admins only), as JSON to `output`, or to stdout.
pub async fn dump_to(
    store: &Store,
    viewer: Viewer,
    output: Option<&Path>,
) -> anyhow::Result<DumpCounts> {
    let dump = store.dump(viewer).await?;
    let counts = dump.counts();
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    serde_json::to_writer_pretty(&mut out, &dump)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(counts)
}

/// What `kennisbank dump` says it wrote.
pub fn summary(c: &DumpCounts) -> String {
    format!(
        "Dumped {} organisations, {} initiatives, {} events, {} links and {} revisions.",
        c.organisations, c.initiatives, c.events, c.links, c.revisions
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_every_kind_of_row() {
        let c = DumpCounts {
            organisations: 35,
            initiatives: 78,
            events: 16,
            links: 32,
            revisions: 1,
        };
        assert_eq!(
            summary(&c),
            "Dumped 35 organisations, 78 initiatives, 16 events, 32 links and 1 revisions."
        );
    }
}
