//! What a user typed, read as words and quoted phrases — never as query syntax.
//!
//! A search box gets anything: `*`, `title:x`, `AND`, brackets, pasted pages, control
//! characters. Rather than escape tantivy's query language, this reads the text with a
//! grammar of two things: words (runs of letters and digits of any script) and phrases
//! (words between double quotes). Everything else separates words. So no input reaches a
//! parser that could fail on it, and the only errors are about size and emptiness.

use crate::analysis::{Stemming, is_word_char};
use crate::error::SearchError;

/// Longest text searched, in characters (after control characters are removed).
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words searched, counting the words inside phrases.
pub const MAX_QUERY_WORDS: usize = 32;

/// One thing to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// A word, found in its forms (stemmed), with a typo, or exactly.
    Word(String),
    /// Words between quotes, found exactly and in this order. May hold one word.
    Phrase(Vec<String>),
}

/// A user's text as words and phrases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserQuery {
    pub(crate) items: Vec<Item>,
    /// The languages its words are stemmed in: the query's language, or both.
    pub(crate) stemming: Stemming,
}

impl UserQuery {
    /// Reads `text`; `field` names the argument it came from, for errors.
    pub(crate) fn parse(text: &str, field: &'static str) -> Result<Self, SearchError> {
        let text: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if text.trim().is_empty() {
            return Err(SearchError::bad_input(
                field,
                format!("the {field} is empty"),
            ));
        }
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::bad_input(
                field,
                format!("the {field} is longer than {MAX_QUERY_CHARS} characters"),
            ));
        }
        let mut items = Vec::new();
        for (quoted, span) in spans(&text) {
            let mut words = words(span);
            if quoted {
                if !words.is_empty() {
                    items.push(Item::Phrase(words));
                }
            } else {
                items.extend(words.drain(..).map(Item::Word));
            }
        }
        let count: usize = items
            .iter()
            .map(|i| match i {
                Item::Word(_) => 1,
                Item::Phrase(words) => words.len(),
            })
            .sum();
        if count == 0 {
            return Err(SearchError::bad_input(
                field,
                format!("the {field} holds no words or numbers to search for"),
            ));
        }
        if count > MAX_QUERY_WORDS {
            return Err(SearchError::bad_input(
                field,
                format!("the {field} has {count} words; at most {MAX_QUERY_WORDS} are searched"),
            ));
        }
        Ok(Self {
            items,
            stemming: Stemming::BOTH,
        })
    }

    /// Reads `text` as written in `lang` (its words stemmed in that language only), or
    /// in either language without one.
    pub(crate) fn parse_in(
        text: &str,
        field: &'static str,
        lang: Option<kb_domain::lang::Language>,
    ) -> Result<Self, SearchError> {
        Ok(Self {
            stemming: Stemming::for_query(lang),
            ..Self::parse(text, field)?
        })
    }

    /// The word being typed, if the text ends with one outside quotes: it also matches
    /// as the start of a longer word.
    pub(crate) fn last_word(&self) -> Option<&str> {
        match self.items.last() {
            Some(Item::Word(w)) => Some(w),
            _ => None,
        }
    }
}

/// Whether `c` opens or closes a phrase: the ASCII double quote and the typographic ones
/// Dutch and English text use („…”, “…”).
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

/// `text` cut into spans outside and inside quotes, in order, each marked quoted or not.
/// Quotes pair up from the left; a quote left without a partner is an ordinary
/// character, so the text after it is read as plain words.
fn spans(text: &str) -> Vec<(bool, &str)> {
    let quotes: Vec<usize> = text
        .char_indices()
        .filter(|&(_, c)| is_quote(c))
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    let mut from = 0;
    for pair in quotes.chunks_exact(2) {
        let (open, close) = (pair[0], pair[1]);
        out.push((false, &text[from..open]));
        let inner_from = open + quote_len(text, open);
        out.push((true, &text[inner_from..close]));
        from = close + quote_len(text, close);
    }
    out.push((false, &text[from..]));
    out
}

/// The length in bytes of the quote character at byte `at` of `text`.
fn quote_len(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(1, char::len_utf8)
}

/// The words of `text`: runs of word characters that hold a letter or digit.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Item> {
        match UserQuery::parse(text, "query") {
            Ok(q) => q.items,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    fn word(w: &str) -> Item {
        Item::Word(w.to_owned())
    }

    fn phrase(words: &[&str]) -> Item {
        Item::Phrase(words.iter().map(|w| w.to_string()).collect())
    }

    fn bad_input_message(text: &str) -> String {
        match UserQuery::parse(text, "query") {
            Err(SearchError::BadInput { field, message }) => {
                assert_eq!(field, "query");
                message
            }
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_of_any_script() {
        assert_eq!(
            parse("Suïcide, 113 en Łódź!"),
            vec![word("Suïcide"), word("113"), word("en"), word("Łódź")]
        );
    }

    #[test]
    fn query_syntax_is_read_as_plain_words() {
        assert_eq!(
            parse("title:x AND (y OR z*) -w"),
            ["title", "x", "AND", "y", "OR", "z", "w"].map(word)
        );
    }

    #[test]
    fn quoted_words_form_a_phrase() {
        assert_eq!(
            parse("stress \"sociale steun\" hulp"),
            vec![word("stress"), phrase(&["sociale", "steun"]), word("hulp")]
        );
        assert_eq!(
            parse("„sociale steun” of “peer support”"),
            vec![
                phrase(&["sociale", "steun"]),
                word("of"),
                phrase(&["peer", "support"])
            ]
        );
    }

    #[test]
    fn an_unbalanced_quote_is_an_ordinary_character() {
        assert_eq!(
            parse("\"a b\" \"c d"),
            vec![phrase(&["a", "b"]), word("c"), word("d")]
        );
        assert_eq!(parse("\"unbalanced"), vec![word("unbalanced")]);
    }

    #[test]
    fn empty_phrases_are_ignored() {
        assert_eq!(parse("\"\" stress \"*\""), vec![word("stress")]);
    }

    #[test]
    fn control_characters_separate_words() {
        assert_eq!(
            parse("stress\0druk\u{7}"),
            vec![word("stress"), word("druk")]
        );
    }

    #[test]
    fn the_last_word_is_the_one_being_typed_unless_a_phrase_ends_the_text() {
        assert_eq!(
            UserQuery::parse("stress prest", "query")
                .ok()
                .and_then(|q| q.last_word().map(str::to_owned)),
            Some("prest".to_owned())
        );
        assert_eq!(
            UserQuery::parse("\"sociale steun\"", "query")
                .ok()
                .map(|q| q.last_word().is_none()),
            Some(true)
        );
    }

    #[test]
    fn an_empty_or_blank_text_is_bad_input() {
        assert_eq!(bad_input_message(""), "the query is empty");
        assert_eq!(bad_input_message(" \t\0 "), "the query is empty");
    }

    #[test]
    fn a_text_without_words_is_bad_input() {
        for text in ["*", "((((", "\"\"", ": - +"] {
            assert_eq!(
                bad_input_message(text),
                "the query holds no words or numbers to search for"
            );
        }
    }

    #[test]
    fn a_text_over_500_characters_is_bad_input() {
        assert_eq!(parse(&"a".repeat(500)).len(), 1);
        assert_eq!(
            bad_input_message(&"a".repeat(10_000)),
            "the query is longer than 500 characters"
        );
    }

    #[test]
    fn more_than_32_words_is_bad_input() {
        assert_eq!(parse(&"a ".repeat(32)).len(), 32);
        assert_eq!(
            bad_input_message(&"a ".repeat(33)),
            "the query has 33 words; at most 32 are searched"
        );
        assert_eq!(
            bad_input_message(&format!("\"{}\" b", "a ".repeat(32))),
            "the query has 33 words; at most 32 are searched"
        );
    }
}
