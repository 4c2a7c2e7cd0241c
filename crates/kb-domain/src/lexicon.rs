//! The bilingual lexicon of the field's words: sets of Dutch and English words and short
//! phrases that mean the same thing ("zelfmoord", "suïcide", "suicide"). Search reads a
//! word of an entry as any word of the same entry; editors keep the entries.
//!
//! An entry is valid when its code is lower_snake_case, it has at least two terms in
//! all, each term has 1 to [`TERM_MAX_CHARS`] characters and at most [`TERM_MAX_WORDS`]
//! words, and no term is listed twice in one language (a word may be both Dutch and
//! English: "stress"). Errors are `BAD_USER_INPUT` naming the input field.

use crate::error::DomainError;

/// Longest term, in characters.
pub const TERM_MAX_CHARS: usize = 60;
/// Most words in a term. Four, because the field's names run that long ("university of
/// applied sciences", "attention deficit hyperactivity disorder").
pub const TERM_MAX_WORDS: usize = 4;
/// Most terms in one entry.
pub const TERMS_MAX: usize = 40;
/// Longest code, in characters.
pub const CODE_MAX_CHARS: usize = 64;

/// One entry of the lexicon: the terms, as written, in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconEntry {
    /// Stable identifier, lower_snake_case.
    pub code: String,
    /// Dutch words and phrases.
    pub nl: Vec<String>,
    /// English words and phrases.
    pub en: Vec<String>,
}

impl LexiconEntry {
    /// The entry of `code`, `nl` and `en` with each term's spaces collapsed, or the first
    /// problem found. Fields are named as in a GraphQL input (`input.code`, `input.nl`,
    /// `input.en`).
    pub fn parse(code: &str, nl: &[String], en: &[String]) -> Result<Self, DomainError> {
        let code = parse_code(code)?;
        let nl = parse_terms("input.nl", nl)?;
        let en = parse_terms("input.en", en)?;
        if nl.len() + en.len() < 2 {
            return Err(DomainError::bad_input(
                "input.nl",
                "an entry has at least two terms in all",
            ));
        }
        if nl.len() + en.len() > TERMS_MAX {
            return Err(DomainError::bad_input(
                "input.nl",
                format!("an entry has at most {TERMS_MAX} terms"),
            ));
        }
        Ok(Self { code, nl, en })
    }

    /// Every term, Dutch first.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.nl.iter().chain(&self.en).map(String::as_str)
    }
}

fn parse_code(code: &str) -> Result<String, DomainError> {
    let valid = (2..=CODE_MAX_CHARS).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(code.to_owned())
    } else {
        Err(DomainError::bad_input(
            "input.code",
            format!("a code is lower_snake_case, 2 to {CODE_MAX_CHARS} characters"),
        ))
    }
}

/// The number of words of `term` as search splits it: runs of letters and digits.
pub fn word_count(term: &str) -> usize {
    term.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

fn parse_terms(field: &str, terms: &[String]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::with_capacity(terms.len());
    for raw in terms {
        let term = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let chars = term.chars().count();
        if chars == 0 || chars > TERM_MAX_CHARS {
            return Err(DomainError::bad_input(
                field,
                format!("a term has 1 to {TERM_MAX_CHARS} characters"),
            ));
        }
        let words = word_count(&term);
        if words == 0 {
            return Err(DomainError::bad_input(
                field,
                format!("the term `{term}` has no letters or digits"),
            ));
        }
        if words > TERM_MAX_WORDS {
            return Err(DomainError::bad_input(
                field,
                format!("the term `{term}` has more than {TERM_MAX_WORDS} words"),
            ));
        }
        if out.iter().any(|t| t.to_lowercase() == term.to_lowercase()) {
            return Err(DomainError::bad_input(
                field,
                format!("the term `{term}` is listed twice"),
            ));
        }
        out.push(term);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn list(terms: &[&str]) -> Vec<String> {
        terms.iter().map(|t| t.to_string()).collect()
    }

    fn problem(code: &str, nl: &[&str], en: &[&str]) -> (ErrorCode, Option<String>, String) {
        let e = LexiconEntry::parse(code, &list(nl), &list(en)).expect_err("invalid");
        (e.code, e.field, e.message)
    }

    #[test]
    fn a_valid_entry_keeps_its_terms_as_written_with_spaces_collapsed() {
        let e = LexiconEntry::parse(
            "suicide",
            &list(&["suïcide", " zelf   moord "]),
            &list(&["Suicide"]),
        )
        .expect("valid");
        assert_eq!(e.nl, list(&["suïcide", "zelf moord"]));
        assert_eq!(e.en, list(&["Suicide"]));
        assert_eq!(
            e.terms().collect::<Vec<_>>(),
            vec!["suïcide", "zelf moord", "Suicide"]
        );
    }

    #[test]
    fn a_code_that_is_not_lower_snake_case_is_refused() {
        for code in ["", "a", "Exam", "exam-anxiety", "1exam", "exam anxiety"] {
            let (c, field, _) = problem(code, &["tentamen"], &["exam"]);
            assert_eq!(
                (c, field.as_deref()),
                (ErrorCode::BadUserInput, Some("input.code"))
            );
        }
    }

    #[test]
    fn an_entry_needs_two_terms_in_all() {
        let (c, field, message) = problem("exam", &["tentamen"], &[]);
        assert_eq!(
            (c, field.as_deref(), message.as_str()),
            (
                ErrorCode::BadUserInput,
                Some("input.nl"),
                "an entry has at least two terms in all"
            )
        );
        assert!(LexiconEntry::parse("exam", &[], &list(&["exam", "examination"])).is_ok());
    }

    #[test]
    fn terms_that_are_empty_too_long_or_have_too_many_words_are_refused() {
        let long = "a".repeat(61);
        let (_, field, message) = problem("exam", &["tentamen"], &[long.as_str()]);
        assert_eq!(
            (field.as_deref(), message.as_str()),
            (Some("input.en"), "a term has 1 to 60 characters")
        );
        assert!(LexiconEntry::parse("exam", &list(&["x"]), &list(&[&"a".repeat(60)])).is_ok());
        let (_, field, message) = problem("exam", &["  "], &["exam"]);
        assert_eq!(
            (field.as_deref(), message.as_str()),
            (Some("input.nl"), "a term has 1 to 60 characters")
        );
        let (_, _, message) = problem("exam", &["tentamen"], &["a b-c d e"]);
        assert_eq!(message, "the term `a b-c d e` has more than 4 words");
        let (_, _, message) = problem("exam", &["tentamen"], &["+++"]);
        assert_eq!(message, "the term `+++` has no letters or digits");
    }

    #[test]
    fn a_term_listed_twice_in_one_language_is_refused_in_both_it_is_not() {
        let (_, field, message) = problem("exam", &["tentamen", "Tentamen"], &["exam"]);
        assert_eq!(
            (field.as_deref(), message.as_str()),
            (Some("input.nl"), "the term `Tentamen` is listed twice")
        );
        assert!(LexiconEntry::parse("stress", &list(&["stress"]), &list(&["stress"])).is_ok());
    }

    #[test]
    fn words_are_counted_as_search_splits_them() {
        assert_eq!(word_count("buy-now-pay-later"), 4);
        assert_eq!(word_count("LGBTQIA2S+"), 1);
        assert_eq!(word_count("exam anxiety"), 2);
    }
}
