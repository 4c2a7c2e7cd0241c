//! The lexical rules of the export formats: CSV records (RFC 4180), XML escaping and
//! numbers as every reader parses them back.

/// Appends one CSV record as RFC 4180 has it, written by the `csv` crate: fields
/// separated by commas, a field quoted only when it holds a comma, a quote or a line
/// break, quotes inside doubled; the record ends in CRLF.
pub(super) fn csv_record<S: AsRef<str>>(out: &mut Vec<u8>, fields: &[S]) -> csv::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        // One record at a time: the writer's own buffer need not be the default 8 KiB.
        .buffer_capacity(1024)
        .from_writer(out);
    writer.write_record(fields.iter().map(AsRef::as_ref))?;
    writer.flush()?;
    Ok(())
}

/// Appends `s` as XML character data or an attribute value, escaped by
/// [`kb_domain::markup::escape`]: markup characters as references, and characters XML 1.0
/// does not allow (most control characters) left out.
pub(super) fn xml(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(kb_domain::markup::escape(s).as_bytes());
}

/// A measure as text: the shortest form that reads back to the same number, with an
/// exponent for very small and very large ones; empty for what is not a number.
pub(super) fn number(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> String {
        let mut out = Vec::new();
        csv_record(&mut out, fields).expect("a record in memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn csv_fields_are_quoted_only_when_they_must_be() {
        assert_eq!(record(&["a", "b c", ""]), "a,b c,\r\n");
        assert_eq!(
            record(&["x,y", "zeg \"hoi\"", "regel\nregel"]),
            "\"x,y\",\"zeg \"\"hoi\"\"\",\"regel\nregel\"\r\n"
        );
        assert_eq!(record(&[" spatie", "ĳsbeer"]), " spatie,ĳsbeer\r\n");
    }

    #[test]
    fn xml_text_escapes_markup_and_drops_what_xml_forbids() {
        let mut out = Vec::new();
        xml(&mut out, "A & B <c> \"d\" 'e'\u{1}\tf");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39;\tf"
        );
    }

    #[test]
    fn numbers_read_back_exactly_and_never_as_nan() {
        assert_eq!(number(1.0), "1.0");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(1e-300), "1e-300");
        assert_eq!(number(f64::NAN), "");
        assert_eq!(number(f64::INFINITY), "");
    }
}
