//! The files of `kennisbank import` and `kennisbank dump`: reading CSV and JSON import
//! files into records (the domain validates them, the store writes them), recognising a
//! dump and restoring it, and writing a dump as JSON.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use kb_domain::import::{
    Cell, EventRecord, ImportError, ImportKind, ImportRecord, OrganisationRecord, RawRecord,
    check_columns, parse_events, parse_organisations, parse_records,
};
use kb_store::{Actor, DUMP_FORMAT, Dump, DumpCounts, ImportReport, ImportStep, Store, Viewer};

/// What an import file holds.
#[derive(Debug)]
pub enum ImportFile {
    /// Initiative records.
    Records(Vec<RawRecord>),
    /// A dump made by `kennisbank dump`.
    Dump(Box<Dump>),
}

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

/// Reads an import file of records of `kind`: CSV by the extension `.csv`, JSON by
/// `.json`.
pub fn read_file(
    path: &Path,
    kind: ImportKind,
) -> anyhow::Result<Result<ImportFile, Vec<ImportError>>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .as_deref()
    {
        Some("csv") => Ok(read_csv(text, kind).map(ImportFile::Records)),
        Some("json") => Ok(read_json(text)),
        _ => anyhow::bail!("{}: an import file ends in .csv or .json", path.display()),
    }
}

/// Records of a CSV file: a header of column names, then one record of `kind` per row.
/// An unknown column is reported once, on the header's line.
pub fn read_csv(text: &str, kind: ImportKind) -> Result<Vec<RawRecord>, Vec<ImportError>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_owned()).collect::<Vec<_>>(),
        Err(e) => return Err(vec![csv_error(&e, 1)]),
    };
    let mut errors = check_columns(kind, 1, headers.iter().map(String::as_str));
    let known: Vec<bool> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| kind.columns().contains(&h.as_str()) && !headers[..i].contains(h))
        .collect();
    let mut records = Vec::new();
    for row in reader.records() {
        match row {
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line() as usize);
                let cells = headers
                    .iter()
                    .zip(&known)
                    .zip(row.iter())
                    .filter(|((_, known), _)| **known)
                    .map(|((h, _), v)| (h.clone(), Cell::Text(v.to_owned())))
                    .collect();
                records.push(RawRecord { line, cells });
            }
            Err(e) => errors.push(csv_error(&e, 0)),
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

fn csv_error(e: &csv::Error, fallback_line: usize) -> ImportError {
    let line = e.position().map_or(fallback_line, |p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} fields, the header {expected_len}"),
        _ => e.to_string(),
    };
    ImportError::new(line, "row", message)
}

/// A JSON file: an array of records (objects whose keys are the columns), or a dump.
pub fn read_json(text: &str) -> Result<ImportFile, Vec<ImportError>> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| vec![ImportError::new(e.line(), "file", e.to_string())])?;
    match value {
        serde_json::Value::Object(o)
            if o.get("format").and_then(|f| f.as_str()) == Some(DUMP_FORMAT) =>
        {
            serde_json::from_value(serde_json::Value::Object(o))
                .map(|d| ImportFile::Dump(Box::new(d)))
                .map_err(|e| {
                    vec![ImportError::new(
                        1,
                        "file",
                        format!("not a whole dump: {e}"),
                    )]
                })
        }
        serde_json::Value::Array(items) => {
            let lines = element_lines(text);
            let mut errors = Vec::new();
            let mut records = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                let line = lines.get(i).copied().unwrap_or(0);
                match json_record(line, item) {
                    Ok(r) => records.push(r),
                    Err(e) => errors.extend(e),
                }
            }
            if errors.is_empty() {
                Ok(ImportFile::Records(records))
            } else {
                Err(errors)
            }
        }
        _ => Err(vec![ImportError::new(
            1,
            "file",
            "a JSON import is an array of records, or a dump made by `kennisbank dump`",
        )]),
    }
}

fn json_record(line: usize, item: serde_json::Value) -> Result<RawRecord, Vec<ImportError>> {
    use serde_json::Value;
    let Value::Object(fields) = item else {
        return Err(vec![ImportError::new(
            line,
            "record",
            "a record is a JSON object",
        )]);
    };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let mut errors = Vec::new();
    let mut cells = Vec::new();
    for (key, v) in fields {
        let cell = match &v {
            Value::Null => Some(Cell::Text(String::new())),
            Value::Array(items) => items
                .iter()
                .map(text)
                .collect::<Option<Vec<_>>>()
                .map(Cell::List),
            other => text(other).map(Cell::Text),
        };
        match cell {
            Some(c) => cells.push((key, c)),
            None => errors.push(ImportError::new(
                line,
                key,
                "a value is a string, a number, a boolean, a list of them, or null",
            )),
        }
    }
    if errors.is_empty() {
        Ok(RawRecord { line, cells })
    } else {
        Err(errors)
    }
}

/// The line each element of a top-level JSON array starts on.
fn element_lines(text: &str) -> Vec<usize> {
    let (mut line, mut depth, mut lines) = (1, 0usize, Vec::new());
    let (mut in_string, mut escaped, mut expecting) = (false, false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if depth == 1 && expecting && !c.is_whitespace() && c != ']' {
            lines.push(line);
            expecting = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                expecting = depth == 1;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_line_and_unknown_columns_are_reported_once() {
        let text = "slug,title,colour\na,\"Twee\nregels\",rood\nb,Drie,blauw\n";
        let errors = read_csv(text, ImportKind::Initiatives).expect_err("unknown column");
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].field.as_str()), (1, "colour"));
        let ok = read_csv(
            "slug,title\na,\"Twee\nregels\"\nb,Drie\n",
            ImportKind::Initiatives,
        )
        .expect("valid");
        let lines: Vec<usize> = ok.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4]);
        assert_eq!(
            ok[1].cells[1],
            ("title".to_owned(), Cell::Text("Drie".into()))
        );
    }

    #[test]
    fn a_short_csv_row_is_reported_on_its_line() {
        let errors =
            read_csv("slug,title\na,Een\nb\n", ImportKind::Initiatives).expect_err("short row");
        assert_eq!((errors[0].line, errors[0].field.as_str()), (3, "row"));
    }

    #[test]
    fn json_records_know_the_line_they_start_on() {
        let text = "[\n  {\"slug\": \"a\", \"themes\": [\"support\"]},\n\n  {\"slug\": \"b\",\n   \"start_year\": 2024, \"region\": null}\n]";
        let Ok(ImportFile::Records(records)) = read_json(text) else {
            panic!("records expected");
        };
        assert_eq!(
            records.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 4]
        );
        assert!(
            records[1]
                .cells
                .contains(&("start_year".to_owned(), Cell::Text("2024".into())))
        );
        assert!(
            records[1]
                .cells
                .contains(&("region".to_owned(), Cell::Text(String::new())))
        );
        let errors = read_json("[\n{\"slug\": {\"a\": 1}}\n]").expect_err("an object");
        assert_eq!((errors[0].line, errors[0].field.as_str()), (2, "slug"));
    }
}
