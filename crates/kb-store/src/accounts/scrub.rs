//! Taking a person out of the JSON snapshots revisions keep: every text that holds their
//! address loses it (a text that was only the address becomes null), and every mention of
//! their name becomes their pseudonym. Keys, numbers and other texts stay as they were, so
//! a scrubbed revision still reads (and restores) as the object it recorded.

use serde_json::Value;

/// What to take out, and what a name becomes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scrub<'a> {
    /// The address, matched in any case.
    pub address: Option<&'a str>,
    /// The person's name and their pseudonym, matched in any case.
    pub name: Option<(&'a str, &'a str)>,
}

/// Where `needle` starts in `hay`, ignoring case, from byte `from` on.
fn find_ignoring_case(hay: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    for (start, _) in hay.char_indices().filter(|(i, _)| *i >= from) {
        let mut rest = hay[start..].char_indices();
        let mut end = start;
        let mut matched = true;
        for n in needle.chars() {
            match rest.next() {
                Some((i, h)) if h.to_lowercase().eq(n.to_lowercase()) => {
                    end = start + i + h.len_utf8();
                }
                _ => {
                    matched = false;
                    break;
                }
            }
        }
        if matched {
            return Some((start, end));
        }
    }
    None
}

/// `text` with each case-insensitive `needle` replaced by `with`.
pub(crate) fn replace_ignoring_case(text: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some((start, end)) = find_ignoring_case(text, needle, at) {
        out.push_str(&text[at..start]);
        out.push_str(with);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

impl Scrub<'_> {
    /// Scrubs `value` in place; whether anything changed.
    pub(crate) fn value(&self, value: &mut Value) -> bool {
        match value {
            Value::String(s) => {
                let mut text = s.clone();
                if let Some(a) = self.address {
                    if text.trim().eq_ignore_ascii_case(a) {
                        *value = Value::Null;
                        return true;
                    }
                    text = replace_ignoring_case(&text, a, "");
                }
                if let Some((name, pseudonym)) = self.name {
                    text = replace_ignoring_case(&text, name, pseudonym);
                }
                if text == *s {
                    false
                } else {
                    *s = text;
                    true
                }
            }
            // Every item is scrubbed: no short-circuit after the first change.
            Value::Array(items) => {
                items
                    .iter_mut()
                    .map(|v| self.value(v))
                    .filter(|c| *c)
                    .count()
                    > 0
            }
            Value::Object(fields) => {
                fields
                    .values_mut()
                    .map(|v| self.value(v))
                    .filter(|c| *c)
                    .count()
                    > 0
            }
            _ => false,
        }
    }

    /// A stored snapshot, scrubbed; `None` when nothing in it changed (or it is not
    /// JSON, which the store never writes).
    pub(crate) fn snapshot(&self, json: &str) -> Option<String> {
        let mut v: Value = serde_json::from_str(json).ok()?;
        if self.value(&mut v) {
            serde_json::to_string(&v).ok()
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Scrub, replace_ignoring_case};

    const SCRUB: Scrub<'static> = Scrub {
        address: Some("j.jansen@uni.nl"),
        name: Some(("Jan Jansen", "verwijderde gebruiker 7")),
    };

    #[test]
    fn a_text_that_was_the_address_becomes_null_in_any_case() {
        let mut v = json!({"contact_email": "J.Jansen@UNI.nl", "title": "Buddy"});
        assert!(SCRUB.value(&mut v));
        assert_eq!(v, json!({"contact_email": null, "title": "Buddy"}));
    }

    #[test]
    fn mentions_inside_texts_are_cut_or_pseudonymised() {
        let mut v = json!({
            "body": "Mail j.jansen@uni.nl of bel jan jansen.",
            "topics": ["stress", "Jan Jansen"],
            "version": 3,
        });
        assert!(SCRUB.value(&mut v));
        assert_eq!(
            v,
            json!({
                "body": "Mail  of bel verwijderde gebruiker 7.",
                "topics": ["stress", "verwijderde gebruiker 7"],
                "version": 3,
            })
        );
    }

    #[test]
    fn a_snapshot_without_the_person_is_left_alone() {
        assert_eq!(SCRUB.snapshot(r#"{"title":"Peer support","n":1}"#), None);
        assert_eq!(
            SCRUB.snapshot(r#"{"contact_email":"j.jansen@uni.nl"}"#),
            Some(r#"{"contact_email":null}"#.to_owned())
        );
    }

    #[test]
    fn replacing_keeps_other_text_and_non_ascii_intact() {
        assert_eq!(
            replace_ignoring_case("Zoë en ZOË en zoë", "zoë", "X"),
            "X en X en X"
        );
        assert_eq!(replace_ignoring_case("abc", "", "X"), "abc");
        assert_eq!(replace_ignoring_case("ééa", "a", "b"), "ééb");
    }
}
