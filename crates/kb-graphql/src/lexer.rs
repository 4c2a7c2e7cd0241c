//! The tokens of a GraphQL text without parsing it: one pass, no recursion, no
//! allocation. The limits count them before the parser runs (a document of many tokens
//! costs the parser and the validator in proportion), and trusted documents compare
//! operations by them, so that whitespace, commas and comments do not matter.

/// The lexical tokens of `text` in order: punctuators (`...` as one), names, numbers,
/// and strings (block strings included) as written. Whitespace, line ends, commas,
/// comments and a byte-order mark are left out, as the GraphQL grammar ignores them. A
/// character that starts no token is a token of its own (the parser refuses it later),
/// and a string left open runs to the end of its line (a block string to the end of the
/// text).
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, at: 0 }
}

/// The tokens of `text` as [`tokens`] gives them, each with its offset in bytes.
pub fn spanned(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut tokens = tokens(text);
    std::iter::from_fn(move || {
        let token = tokens.next()?;
        // A token ends where the iterator now stands.
        Some((tokens.at - token.len(), token))
    })
}

/// The iterator of [`tokens`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        // What the grammar ignores.
        loop {
            match bytes.get(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | b',') => i += 1,
                Some(b'#') => {
                    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                        i += 1;
                    }
                }
                Some(0xEF) if bytes[i..].starts_with("\u{feff}".as_bytes()) => i += 3,
                Some(_) => break,
                None => {
                    self.at = i;
                    return None;
                }
            }
        }
        let start = i;
        let end = match bytes[i] {
            b'.' if bytes[i..].starts_with(b"...") => i + 3,
            b'"' if bytes[i..].starts_with(b"\"\"\"") => block_string_end(bytes, i + 3),
            b'"' => string_end(bytes, i + 1),
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                i += 1;
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                i
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || bytes[i] == b'.'
                        || ((bytes[i] == b'+' || bytes[i] == b'-')
                            && matches!(bytes[i - 1], b'e' | b'E')))
                {
                    i += 1;
                }
                i
            }
            _ => {
                // One character, whole (it may take several bytes).
                let width = self.text[i..].chars().next().map_or(1, char::len_utf8);
                i + width
            }
        };
        let end = end.min(bytes.len());
        self.at = end;
        // Every end above is at a character boundary: after ASCII, or after a whole
        // character, or at the end of the text.
        self.text.get(start..end)
    }
}

/// Where a string that opened before `i` ends: after its closing quote, or at the end of
/// its line when it has none.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return i + 1,
            b'\n' | b'\r' => return i,
            // An escape takes the next character; a multi-byte one continues below.
            b'\\' if i + 1 < bytes.len() && bytes[i + 1].is_ascii() => i += 2,
            _ => i += 1,
        }
    }
    i
}

/// Where a block string that opened before `i` ends: after its closing `"""`.
fn block_string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return i + 3;
        } else {
            i += 1;
        }
    }
    i
}

/// Whether `text` has more than `max` tokens; stops counting there.
pub fn more_tokens_than(text: &str, max: usize) -> bool {
    tokens(text).nth(max).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<&str> {
        tokens(text).collect()
    }

    #[test]
    fn whitespace_commas_and_comments_are_not_tokens() {
        assert_eq!(
            all("query  Q($a: [Int!]! = [1, -2.5e+3]) {\n  # a comment { \n  x(a: $a), ...F }"),
            vec![
                "query", "Q", "(", "$", "a", ":", "[", "Int", "!", "]", "!", "=", "[", "1",
                "-2.5e+3", "]", ")", "{", "x", "(", "a", ":", "$", "a", ")", "...", "F", "}"
            ]
        );
    }

    #[test]
    fn strings_are_one_token_as_written() {
        assert_eq!(
            all(r##"{ a(s: "x, \"# y", b: """ {{ \""" , """) }"##),
            vec![
                "{",
                "a",
                "(",
                "s",
                ":",
                r##""x, \"# y""##,
                "b",
                ":",
                r#"""" {{ \""" , """"#,
                ")",
                "}"
            ]
        );
        assert_eq!(
            all("{ a(s: \"open\n) }"),
            vec!["{", "a", "(", "s", ":", "\"open", ")", "}"]
        );
        assert_eq!(all("\u{feff}{ é }"), vec!["{", "é", "}"]);
    }

    #[test]
    fn each_token_comes_with_its_offset() {
        let text = "{ a(s: \"é\") # c\n  ...F }";
        let spans: Vec<(usize, &str)> = spanned(text).collect();
        assert_eq!(
            spans,
            vec![
                (0, "{"),
                (2, "a"),
                (3, "("),
                (4, "s"),
                (5, ":"),
                (7, "\"é\""),
                (11, ")"),
                (19, "..."),
                (22, "F"),
                (24, "}")
            ]
        );
        assert!(
            spans
                .iter()
                .all(|&(at, token)| text[at..].starts_with(token))
        );
    }

    #[test]
    fn counting_stops_past_the_limit() {
        assert!(!more_tokens_than("{ a b }", 4));
        assert!(more_tokens_than("{ a b c }", 4));
        assert!(more_tokens_than(&"a ".repeat(1_000_000), 10));
    }
}
