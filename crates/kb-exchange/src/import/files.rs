//! Reading import files: CSV with a header of column names, JSON arrays of records, and
//! dumps recognised by their `format`. Every problem is reported with its line and column;
//! the domain validates the records' values afterwards.

use std::path::Path;

use anyhow::Context;
use kb_domain::import::{Cell, ImportError, ImportKind, RawRecord, check_columns};
use kb_store::{DUMP_FORMAT, Dump};

/// What an import file holds.
#[derive(Debug)]
pub enum ImportFile {
    /// Initiative records.
    Records(Vec<RawRecord>),
    /// A dump made by `kennisbank dump`.
    Dump(Box<Dump>),
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
