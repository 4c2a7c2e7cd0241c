//! Text made safe to place inside HTML or XML: the one escaper of every page, feed,
//! sitemap, snippet and export that writes markup by hand.
//!
//! One set of rules serves both languages and both places (character data, and attribute
//! values in single or double quotes):
//!
//! - `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`. The
//!   apostrophe takes the numeric form, which HTML 4, HTML 5 and XML all read (`&apos;` is
//!   not HTML 4).
//! - A carriage return becomes `&#13;`: written bare, a parser would read it as a line feed.
//! - Tab and line feed stay as they are.
//! - Every other control character (C0, DEL, C1) and the non-characters U+FFFE and U+FFFF
//!   are left out: XML 1.0 does not allow most of them and HTML reads them as errors.

use std::borrow::Cow;

/// What `c` becomes in markup: `None` to keep it, `Some("")` to leave it out.
fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        '\r' => "&#13;",
        '\t' | '\n' => return None,
        '\u{FFFE}' | '\u{FFFF}' => "",
        c if c.is_control() => "",
        _ => return None,
    })
}

/// `text` escaped for HTML or XML text and attribute values; borrowed when nothing in it
/// needs escaping.
pub fn escape(text: &str) -> Cow<'_, str> {
    match text.find(|c| replacement(c).is_some()) {
        None => Cow::Borrowed(text),
        Some(at) => {
            let mut out = String::with_capacity(text.len() + 16);
            out.push_str(&text[..at]);
            escape_into(&mut out, &text[at..]);
            Cow::Owned(out)
        }
    }
}

/// Appends `text` to `out`, escaped as [`escape`] does.
pub fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(|c| replacement(c).is_some()) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        out.push_str(replacement(c).unwrap_or_default());
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_markup_characters_become_entities() {
        assert_eq!(
            escape("A & B <c> \"d\" 'e'"),
            "A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39;"
        );
    }

    #[test]
    fn text_without_markup_characters_is_borrowed_as_it_is() {
        let text = "Welzijn van studenten — één, twee\tdrie\nvier";
        assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn control_characters_are_left_out_but_tab_and_line_feed_stay() {
        assert_eq!(
            escape("a\u{1}b\u{7f}c\u{85}d\u{FFFE}e\tf\ng"),
            "abcde\tf\ng"
        );
    }

    #[test]
    fn a_carriage_return_is_written_as_a_reference() {
        assert_eq!(escape("regel\r\nregel"), "regel&#13;\nregel");
    }

    #[test]
    fn escaping_appends_to_what_is_there() {
        let mut out = String::from("<p>");
        escape_into(&mut out, "R&D's ü");
        assert_eq!(out, "<p>R&amp;D&#39;s ü");
    }
}
