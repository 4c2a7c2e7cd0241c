//! How text becomes terms. Three analyzers share one word splitter and one folding:
//!
//! | analyzer | steps after splitting into words | used for |
//! | --- | --- | --- |
//! | [`DUTCH`] | lower case, fold diacritics, drop Dutch stop words, Dutch stemmer | Dutch documents |
//! | [`ENGLISH`] | lower case, fold diacritics, drop English stop words, English stemmer | English documents |
//! | [`FOLDED`] | lower case, fold diacritics | every document: exact words, phrases, typos, prefixes |
//!
//! Folding comes before stemming, so "suïcide", "Suïcide" and "suicide" are one term in
//! every field, and the stemmers only ever see ASCII-folded lower case.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer, TextAnalyzerBuilder, Token, TokenStream, Tokenizer,
    TokenizerManager,
};

use crate::decompound::Splits;
use crate::lock;

/// The Dutch analyzer's name in the index's tokenizer manager.
pub(crate) const DUTCH: &str = "kb_dutch";
/// The English analyzer's name.
pub(crate) const ENGLISH: &str = "kb_english";
/// The unstemmed analyzer's name.
pub(crate) const FOLDED: &str = "kb_folded";

/// The words that make a text a question rather than name what it looks for, in Dutch
/// and in English (folded): interrogatives, personal pronouns and auxiliary verbs that the
/// stemmers' stop word lists leave in. A natural query ("hoe kom ik rond als student",
/// "how do I deal with exam stress") does not require them; the index keeps them, so a
/// quoted phrase still finds them.
const QUESTION_WORDS: (&[&str], &[&str]) = (
    &[
        "hoe", "wat", "waar", "wanneer", "waarom", "welke", "welk", "wie", "ik", "je", "jij", "u",
        "we", "wij", "kan", "kun", "kunt", "kunnen", "doe", "doet", "doen", "vind", "vindt",
        "vinden", "moet", "moeten", "zou", "zouden", "krijg", "krijgen",
    ],
    &[
        "how", "what", "where", "when", "why", "which", "who", "whom", "i", "me", "my", "we",
        "you", "your", "can", "could", "do", "does", "should", "would", "get", "find", "set", "up",
    ],
);

/// Longest word indexed, in bytes of UTF-8. Longer "words" are glued URLs or noise; Dutch
/// compounds stay well below it ("arbeidsongeschiktheidsverzekering" has 33).
const MAX_WORD_BYTES: usize = 64;

/// Whether `c` belongs to a word: a letter or digit of any script, or a combining mark,
/// so a word typed in decomposed form ("i" followed by U+0308) stays one word.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The combining diacritical marks of Unicode's blocks for them. Folding drops them anyway;
/// they only matter for where a word ends.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// Splits text into words of [`is_word_char`] characters and drops the combining marks
/// from each word's text (its offsets still cover them). Like tantivy's
/// `SimpleTokenizer`, which would cut "sui\u{308}cide" in two.
#[derive(Clone, Default)]
pub(crate) struct WordTokenizer {
    token: Token,
}

/// The words of one text, for [`WordTokenizer`].
pub(crate) struct WordStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            chars: text.char_indices().peekable(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            // Skip to the start of the next word.
            while self.chars.next_if(|&(_, c)| !is_word_char(c)).is_some() {}
            let Some(&(from, _)) = self.chars.peek() else {
                return false;
            };
            let mut to = from;
            while let Some((i, c)) = self.chars.next_if(|&(_, c)| is_word_char(c)) {
                to = i + c.len_utf8();
            }
            self.token.text.clear();
            self.token.text.extend(
                self.text[from..to]
                    .chars()
                    .filter(|&c| !is_combining_mark(c)),
            );
            if self.token.text.is_empty() {
                continue;
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The analyzer registered as `name` ([`DUTCH`], [`ENGLISH`] or [`FOLDED`]).
pub(crate) fn analyzer(name: &str) -> TextAnalyzer {
    let folded = TextAnalyzer::builder(WordTokenizer::default())
        // The filter keeps tokens strictly shorter than its limit.
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES + 1))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match stemming_language(name) {
        Some(language) => stemmed(folded.dynamic(), language),
        None => folded.build(),
    }
}

fn stemming_language(name: &str) -> Option<Language> {
    match name {
        DUTCH => Some(Language::Dutch),
        ENGLISH => Some(Language::English),
        _ => None,
    }
}

/// `builder`'s tokens without `language`'s stop words, stemmed: the steps a stemmed
/// analyzer takes after folding.
fn stemmed(builder: TextAnalyzerBuilder, language: Language) -> TextAnalyzer {
    let builder = match StopWordFilter::new(language) {
        Some(stop_words) => builder.filter_dynamic(stop_words),
        None => builder,
    };
    builder.filter_dynamic(Stemmer::new(language)).build()
}

/// The term the stemmed analyzer `name` makes of a word already folded (one token of
/// [`FOLDED`]): the same as it makes of the word as written.
fn folded_word_stemmer(name: &str) -> TextAnalyzer {
    let language = stemming_language(name).unwrap_or(Language::Dutch);
    stemmed(
        TextAnalyzer::builder(RawTokenizer::default()).dynamic(),
        language,
    )
}

/// Registers the three analyzers with an index's tokenizer manager.
pub(crate) fn register(manager: &TokenizerManager) {
    for name in [DUTCH, ENGLISH, FOLDED] {
        manager.register(name, analyzer(name));
    }
}

/// The tokens `analyzer` makes of `text`, with their offsets in `text`.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

/// The terms `analyzer` makes of `text`.
pub(crate) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    tokens(analyzer, text).into_iter().map(|t| t.text).collect()
}

/// The three analyzers, for text analysed outside the index: query words, snippets and
/// suggestion keys. Cheap to clone; analysing needs `&mut`.
#[derive(Clone)]
pub(crate) struct Analyzers {
    dutch: TextAnalyzer,
    english: TextAnalyzer,
    folded: TextAnalyzer,
    /// [`DUTCH`] and [`ENGLISH`] for one word already folded.
    dutch_of_folded: TextAnalyzer,
    english_of_folded: TextAnalyzer,
    stems: Arc<Stems>,
    splits: Arc<Splits>,
}

impl Analyzers {
    pub(crate) fn new() -> Self {
        Self {
            dutch: analyzer(DUTCH),
            english: analyzer(ENGLISH),
            folded: analyzer(FOLDED),
            dutch_of_folded: folded_word_stemmer(DUTCH),
            english_of_folded: folded_word_stemmer(ENGLISH),
            stems: Arc::default(),
            splits: Arc::default(),
        }
    }

    /// The parts of a folded word, if it is a Dutch compound (see `decompound`).
    pub(crate) fn parts_of_folded(&self, folded: &str) -> Option<Vec<String>> {
        self.splits.of(folded)
    }

    /// The parts of the Dutch compounds of `text`, folded, separated by spaces: the text
    /// of a part's compound-parts field, which the Dutch analyzer stems like any text.
    pub(crate) fn compound_parts(&mut self, text: &str) -> String {
        let mut out = String::new();
        for token in self.folded_tokens(text) {
            for part in self.splits.of(&token.text).into_iter().flatten() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&part);
            }
        }
        out
    }

    /// The terms one word of a query becomes in each kind of field, for a query in the
    /// languages of `stemming`: a language not searched has no stemmed term.
    pub(crate) fn word(&mut self, word: &str, stemming: Stemming) -> WordTerms {
        let first = |a: &mut TextAnalyzer| terms(a, word).into_iter().next();
        WordTerms {
            dutch: first(&mut self.dutch).filter(|_| stemming.dutch),
            english: first(&mut self.english).filter(|_| stemming.english),
            folded: first(&mut self.folded),
            stemming,
        }
    }

    /// The folded words of `text`, in order.
    pub(crate) fn folded_words(&mut self, text: &str) -> Vec<String> {
        terms(&mut self.folded, text)
    }

    /// The folded tokens of `text`, with their offsets in `text`.
    pub(crate) fn folded_tokens(&mut self, text: &str) -> Vec<Token> {
        tokens(&mut self.folded, text)
    }

    /// Calls `each` with every folded token of `text` in turn, keeping none of them.
    pub(crate) fn each_folded_token(&mut self, text: &str, mut each: impl FnMut(&Token)) {
        let mut stream = self.folded.token_stream(text);
        while stream.advance() {
            each(stream.token());
        }
    }

    /// The Dutch term of a folded word (a token of [`folded_tokens`](Self::folded_tokens)),
    /// as the Dutch analyzer makes it of the word as written; `None` for a stop word.
    pub(crate) fn dutch_of_folded(&mut self, folded: &str) -> Option<String> {
        let analyzer = &mut self.dutch_of_folded;
        self.stems.of(0, folded, || first_term(analyzer, folded))
    }

    /// The English term of a folded word; see [`dutch_of_folded`](Self::dutch_of_folded).
    pub(crate) fn english_of_folded(&mut self, folded: &str) -> Option<String> {
        let analyzer = &mut self.english_of_folded;
        self.stems.of(1, folded, || first_term(analyzer, folded))
    }
}

fn first_term(analyzer: &mut TextAnalyzer, text: &str) -> Option<String> {
    terms(analyzer, text).into_iter().next()
}

/// The Dutch and English terms of folded words stemmed before, shared by every clone of
/// [`Analyzers`]: snippets stem the words of every text they mark, and stemming costs
/// far more than a look-up. The words come from the indexed texts' vocabulary, so the
/// memo is simply emptied when it grows past [`Stems::MAX_WORDS`].
#[derive(Default)]
struct Stems {
    /// Per language (Dutch, English): each word's term, `None` for a stop word.
    kept: Mutex<[StemsOf; 2]>,
}

/// Each word's term in one language.
type StemsOf = HashMap<Box<str>, Option<Box<str>>>;

impl Stems {
    const MAX_WORDS: usize = 100_000;

    fn of(
        &self,
        language: usize,
        word: &str,
        stem: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        if let Some(found) = lock(&self.kept)[language].get(word) {
            return found.as_deref().map(str::to_owned);
        }
        // Stemmed outside the lock.
        let stemmed = stem();
        let mut kept = lock(&self.kept);
        if kept[language].len() >= Self::MAX_WORDS {
            kept[language].clear();
        }
        kept[language].insert(word.into(), stemmed.as_deref().map(Box::from));
        stemmed
    }
}

/// What one word of a query is in each kind of field; `None` where the analyzer drops it
/// (a stop word, or a word too long to be indexed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WordTerms {
    pub(crate) dutch: Option<String>,
    pub(crate) english: Option<String>,
    pub(crate) folded: Option<String>,
    /// The languages the word was analysed for.
    pub(crate) stemming: Stemming,
}

impl WordTerms {
    /// Whether the word is a stop word of a language searched ("de", "the", "over").
    /// Such a word is not required to match, only counted when it does: "studeren met
    /// een beperking" must not miss a text that says "studeren met beperking".
    /// The words of a question ("hoe", "wat", "how", "can", "I") count as stop words
    /// of a query too (see [`QUESTION_WORDS`]), though the index keeps them.
    pub(crate) fn is_stop_word(&self) -> bool {
        let Some(folded) = self.folded.as_deref() else {
            return false;
        };
        (self.stemming.dutch && (self.dutch.is_none() || QUESTION_WORDS.0.contains(&folded)))
            || (self.stemming.english
                && (self.english.is_none() || QUESTION_WORDS.1.contains(&folded)))
    }
}

/// Which stemmed fields a document's text goes to, decided by its languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stemming {
    pub(crate) dutch: bool,
    pub(crate) english: bool,
}

impl Stemming {
    /// Both languages: a document or a query of any language, or of none given.
    pub(crate) const BOTH: Self = Self {
        dutch: true,
        english: true,
    };

    /// Dutch only.
    pub(crate) const DUTCH: Self = Self {
        dutch: true,
        english: false,
    };

    /// English only.
    pub(crate) const ENGLISH: Self = Self {
        dutch: false,
        english: true,
    };

    /// A query written in `lang` is stemmed in that language only; without one, in both.
    pub(crate) const fn for_query(lang: Option<kb_domain::lang::Language>) -> Self {
        match lang {
            None => Self::BOTH,
            Some(kb_domain::lang::Language::Nl) => Self {
                dutch: true,
                english: false,
            },
            Some(kb_domain::lang::Language::En) => Self {
                dutch: false,
                english: true,
            },
        }
    }

    /// "nl" goes to the Dutch fields, "en" to the English ones; any other language, or
    /// none, to both, since neither stemmer is wrong more often than the other there.
    pub(crate) fn for_languages(languages: &[String]) -> Self {
        let is = |code: &str| {
            languages
                .iter()
                .any(|l| l.trim().eq_ignore_ascii_case(code))
        };
        let other = languages.is_empty()
            || languages.iter().any(|l| {
                !l.trim().eq_ignore_ascii_case("nl") && !l.trim().eq_ignore_ascii_case("en")
            });
        Self {
            dutch: is("nl") || other,
            english: is("en") || other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, text: &str) -> Vec<String> {
        terms(&mut analyzer(name), text)
    }

    #[test]
    fn the_dutch_analyzer_stems_plurals_to_their_singular() {
        assert_eq!(run(DUTCH, "studenten"), run(DUTCH, "student"));
        assert_eq!(run(DUTCH, "prestaties"), run(DUTCH, "prestatie"));
    }

    #[test]
    fn the_english_analyzer_stems_plurals_to_their_singular() {
        assert_eq!(run(ENGLISH, "students"), run(ENGLISH, "student"));
        assert_eq!(run(ENGLISH, "pressures"), vec!["pressur"]);
    }

    #[test]
    fn stop_words_are_dropped_by_the_stemmed_analyzers_only() {
        assert_eq!(
            run(DUTCH, "de student en het geld"),
            vec!["student", "geld"]
        );
        assert_eq!(run(ENGLISH, "the money"), vec!["money"]);
        assert_eq!(run(FOLDED, "de Student"), vec!["de", "student"]);
    }

    #[test]
    fn every_analyzer_lower_cases_and_folds_diacritics() {
        for name in [DUTCH, ENGLISH, FOLDED] {
            assert_eq!(run(name, "Suïcide"), run(name, "suicide"), "{name}");
            assert_eq!(run(name, "FINANCIËLE"), run(name, "financiele"), "{name}");
        }
        assert_eq!(run(FOLDED, "Suïcidepreventie"), vec!["suicidepreventie"]);
    }

    #[test]
    fn a_decomposed_diacritic_stays_inside_its_word() {
        let tokens = tokens(&mut analyzer(FOLDED), "over sui\u{308}cide!");
        let words: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, vec!["over", "suicide"]);
        assert_eq!((tokens[1].offset_from, tokens[1].offset_to), (5, 14));
        assert_eq!(tokens[1].position, 1);
    }

    #[test]
    fn punctuation_splits_words_and_symbols_vanish() {
        assert_eq!(
            run(FOLDED, "LGBTQIA2S+ burn-out, 113!"),
            vec!["lgbtqia2s", "burn", "out", "113"]
        );
        assert_eq!(run(FOLDED, "* ((( )) :"), Vec::<String>::new());
    }

    #[test]
    fn a_folded_word_stems_as_the_word_as_written() {
        let text = "De Studenten en hun FINANCIËLE zorgen: the students' pressures, \
                    suïcidepreventie, mindfulness-trainingen and the happiest days";
        let mut a = Analyzers::new();
        let folded = a.folded_tokens(text);
        let dutch: Vec<String> = folded
            .iter()
            .filter_map(|t| a.dutch_of_folded(&t.text))
            .collect();
        let english: Vec<String> = folded
            .iter()
            .filter_map(|t| a.english_of_folded(&t.text))
            .collect();
        assert_eq!(dutch, run(DUTCH, text));
        assert_eq!(english, run(ENGLISH, text));
        assert_eq!(a.dutch_of_folded("de"), None);
        assert_eq!(a.english_of_folded("the"), None);
    }

    #[test]
    fn words_longer_than_64_bytes_are_not_indexed() {
        assert_eq!(run(FOLDED, &"a".repeat(65)), Vec::<String>::new());
        assert_eq!(run(FOLDED, &"a".repeat(64)).len(), 1);
    }

    #[test]
    fn a_stop_word_of_either_language_is_marked_as_one() {
        let mut a = Analyzers::new();
        let both = Stemming::BOTH;
        assert!(a.word("de", both).is_stop_word());
        assert!(a.word("The", both).is_stop_word());
        assert!(!a.word("studenten", both).is_stop_word());
        // Question words: of the languages searched only.
        assert!(a.word("Hoe", both).is_stop_word());
        assert!(a.word("how", both).is_stop_word());
        assert_eq!(
            a.word("Studenten", both).folded.as_deref(),
            Some("studenten")
        );
        assert_eq!(
            a.word(&"x".repeat(80), both),
            WordTerms {
                dutch: None,
                english: None,
                folded: None,
                stemming: both,
            }
        );
        assert!(!a.word(&"x".repeat(80), both).is_stop_word());
    }

    #[test]
    fn a_query_in_one_language_is_stemmed_and_stopped_in_that_language_only() {
        let mut a = Analyzers::new();
        let dutch = Stemming::for_query(Some(kb_domain::lang::Language::Nl));
        let english = Stemming::for_query(Some(kb_domain::lang::Language::En));
        let w = a.word("studenten", dutch);
        assert_eq!(
            (w.dutch.as_deref(), w.english.as_deref()),
            (Some("student"), None)
        );
        let w = a.word("students", english);
        assert_eq!(
            (w.dutch.as_deref(), w.english.as_deref()),
            (None, Some("student"))
        );
        // "the" is no Dutch word to leave out, "de" no English one.
        assert!(!a.word("the", dutch).is_stop_word());
        assert!(a.word("de", dutch).is_stop_word());
        assert!(!a.word("de", english).is_stop_word());
        assert!(a.word("the", english).is_stop_word());
        assert!(!a.word("how", dutch).is_stop_word());
        assert!(a.word("hoe", dutch).is_stop_word());
        assert_eq!(Stemming::for_query(None), Stemming::BOTH);
    }

    #[test]
    fn dutch_goes_to_the_dutch_fields_english_to_the_english_others_to_both() {
        let s = |l: &[&str]| {
            let s = Stemming::for_languages(&l.iter().map(|x| x.to_string()).collect::<Vec<_>>());
            (s.dutch, s.english)
        };
        assert_eq!(s(&["nl"]), (true, false));
        assert_eq!(s(&["EN"]), (false, true));
        assert_eq!(s(&["nl", "en"]), (true, true));
        assert_eq!(s(&["de"]), (true, true));
        assert_eq!(s(&["nl", "de"]), (true, true));
        assert_eq!(s(&[]), (true, true));
    }
}
