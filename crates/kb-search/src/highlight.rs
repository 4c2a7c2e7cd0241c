//! Which words of a stored text a query matched, for snippets.
//!
//! The marking is done here rather than by tantivy's snippet generator, which knows only
//! the exact terms of a query: a word found by its stem ("studenten" for "student"), with
//! a typo, or as a prefix must be marked too. Each stored text is split and folded again,
//! and a word is marked when any of its forms (folded, Dutch stem, English stem) is one
//! the query looks for. Stop words of the query are not marked (they match everywhere);
//! a phrase is marked as a whole, where its words stand together. A Dutch compound is
//! marked as a whole when one of its parts is what the query looks for ("somberheid"
//! marks "somberheidsklachten"), and the words that are parts of a compound query word
//! are marked in a text that holds all its parts ("tentamenstress" marks "stress" and
//! "tentamens" in "stress bij tentamens", but not "stress" alone).
//! The lexicon's equivalents of the query's words are marked too.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tantivy::tokenizer::Token;

use crate::analysis::Analyzers;
use crate::lexicon::Lexicon;
use crate::matching::{PREFIX_MIN_CHARS, TYPO_MIN_CHARS, folded_words};
use crate::user_query::{Item, UserQuery};

/// What a query looks for, in each kind of field.
pub(crate) struct Marker {
    dutch: HashSet<String>,
    /// The parts of each of the query's compound words: folded, and their Dutch stems.
    compounds: Vec<Vec<(String, String)>>,
    english: HashSet<String>,
    exact: HashSet<String>,
    typo: Vec<String>,
    prefix: Option<String>,
    phrases: Vec<Vec<String>>,
    /// Whether each folded word seen so far is marked.
    decided: HashMap<String, bool>,
}

impl Marker {
    pub(crate) fn new(query: &UserQuery, analyzers: &mut Analyzers) -> Self {
        let mut m = Marker {
            dutch: HashSet::new(),
            compounds: Vec::new(),
            english: HashSet::new(),
            exact: HashSet::new(),
            typo: Vec::new(),
            prefix: None,
            phrases: Vec::new(),
            decided: HashMap::new(),
        };
        for item in &query.items {
            match item {
                Item::Word(word) => {
                    let terms = analyzers.word(word, query.stemming);
                    let Some(folded) = terms.folded.clone().filter(|_| !terms.is_stop_word())
                    else {
                        continue;
                    };
                    if terms.dutch.is_some() {
                        let parts: Vec<(String, String)> = analyzers
                            .parts_of_folded(&folded)
                            .into_iter()
                            .flatten()
                            .filter_map(|part| {
                                analyzers.dutch_of_folded(&part).map(|stem| (part, stem))
                            })
                            .collect();
                        if !parts.is_empty() {
                            m.compounds.push(parts);
                        }
                    }
                    m.dutch.extend(terms.dutch);
                    m.english.extend(terms.english);
                    if folded.chars().count() >= TYPO_MIN_CHARS {
                        m.typo.push(folded.clone());
                    }
                    m.exact.insert(folded);
                }
                Item::Phrase(words) => {
                    let folded: Vec<String> = words
                        .iter()
                        .filter_map(|w| analyzers.word(w, query.stemming).folded)
                        .collect();
                    match <[String; 1]>::try_from(folded) {
                        Ok([word]) => {
                            m.exact.insert(word);
                        }
                        Err(folded) if !folded.is_empty() => m.phrases.push(folded),
                        Err(_) => {}
                    }
                }
            }
        }
        if let Some(last) = query.last_word() {
            let terms = analyzers.word(last, query.stemming);
            let stop_word = terms.is_stop_word();
            m.prefix = terms
                .folded
                .filter(|f| !stop_word && f.chars().count() >= PREFIX_MIN_CHARS);
        }
        m
    }

    /// Marks also the equivalents in `lexicon` of the query's words and multi-word terms,
    /// which the search finds as well: a one-word equivalent in its forms, a longer one
    /// as a phrase.
    pub(crate) fn with_equivalents(
        mut self,
        lexicon: &Lexicon,
        query: &UserQuery,
        analyzers: &mut Analyzers,
    ) -> Self {
        let folded = folded_words(analyzers, query);
        let mut at = 0;
        while at < folded.len() {
            let Some(words) = lexicon.term_at(&folded, at) else {
                at += 1;
                continue;
            };
            at += words.len();
            for term in lexicon.equivalent_terms(&words) {
                match term.words.as_slice() {
                    [word] => {
                        if term.stemming.dutch {
                            self.dutch.extend(analyzers.dutch_of_folded(word));
                        }
                        if term.stemming.english {
                            self.english.extend(analyzers.english_of_folded(word));
                        }
                        self.exact.insert(word.clone());
                    }
                    words => self.phrases.push(words.to_vec()),
                }
            }
        }
        self
    }

    /// The byte ranges of `text` to mark, in order, not overlapping.
    ///
    /// The text is split and folded once; a word's stems are those the Dutch and English
    /// analyzers make of it (stop words dropped, then stemmed), taken from its folded
    /// form. Whether a word is marked depends on the word alone, so it is decided once
    /// per word for all the texts this marker marks.
    pub(crate) fn marks(&mut self, analyzers: &mut Analyzers, text: &str) -> Vec<Range<usize>> {
        if !self.phrases.is_empty() || !self.compounds.is_empty() {
            return self.marks_in_context(analyzers, text);
        }
        // Words alone: each token is read as it comes, and only the words not decided
        // before are copied, to be decided once the text is read.
        let mut marks: Vec<Range<usize>> = Vec::new();
        let mut undecided: Vec<(Range<usize>, String)> = Vec::new();
        let decided = &self.decided;
        analyzers.each_folded_token(text, |t| match decided.get(t.text.as_str()) {
            Some(true) => marks.push(t.offset_from..t.offset_to),
            Some(false) => {}
            None => undecided.push((t.offset_from..t.offset_to, t.text.clone())),
        });
        for (range, word) in undecided {
            if self.decide(analyzers, &word) {
                marks.push(range);
            }
        }
        merged(marks)
    }

    /// [`marks`](Self::marks) of a query with phrases or compound words, which look at
    /// the words around each word.
    fn marks_in_context(&mut self, analyzers: &mut Analyzers, text: &str) -> Vec<Range<usize>> {
        let folded = analyzers.folded_tokens(text);
        let mut marks: Vec<Range<usize>> = Vec::new();
        for t in &folded {
            if self.decide(analyzers, &t.text) {
                marks.push(t.offset_from..t.offset_to);
            }
        }
        for phrase in &self.phrases {
            for run in folded.windows(phrase.len()) {
                let together = run
                    .iter()
                    .zip(phrase)
                    .enumerate()
                    .all(|(k, (t, w))| t.text == *w && t.position == run[0].position + k);
                if let (true, Some(first), Some(last)) = (together, run.first(), run.last()) {
                    marks.push(first.offset_from..last.offset_to);
                }
            }
        }
        if !self.compounds.is_empty() {
            marks.extend(self.compound_marks(analyzers, &folded));
        }
        merged(marks)
    }

    /// Whether the folded word `word` is marked: decided once per word.
    fn decide(&mut self, analyzers: &mut Analyzers, word: &str) -> bool {
        if let Some(&marked) = self.decided.get(word) {
            return marked;
        }
        let marked = self.matches(analyzers, word);
        self.decided.insert(word.to_owned(), marked);
        marked
    }

    /// Whether the folded word `word` is one the query looks for, in any of its forms.
    fn matches(&self, analyzers: &mut Analyzers, word: &str) -> bool {
        self.exact.contains(word)
            || self.typo.iter().any(|w| within_one_edit(w, word))
            || self
                .prefix
                .as_ref()
                .is_some_and(|p| word.starts_with(p.as_str()))
            || (!self.dutch.is_empty()
                && analyzers
                    .dutch_of_folded(word)
                    .is_some_and(|stem| self.dutch.contains(&stem)))
            || (!self.english.is_empty()
                && analyzers
                    .english_of_folded(word)
                    .is_some_and(|stem| self.english.contains(&stem)))
            || self.matches_by_parts(analyzers, word)
    }

    /// Whether the folded word `word` is a Dutch compound with a part the query looks for.
    fn matches_by_parts(&self, analyzers: &mut Analyzers, word: &str) -> bool {
        !self.dutch.is_empty()
            && analyzers
                .parts_of_folded(word)
                .into_iter()
                .flatten()
                .any(|part| {
                    analyzers
                        .dutch_of_folded(&part)
                        .is_some_and(|stem| self.dutch.contains(&stem))
                })
    }

    /// The words of a text (its folded tokens) that are parts of a compound query word
    /// whose parts the text all holds: as words (by their stem, or with one typo as the
    /// query matches them) or as parts of its own compounds.
    fn compound_marks(&self, analyzers: &mut Analyzers, folded: &[Token]) -> Vec<Range<usize>> {
        // Each word's Dutch stem and the stems of its parts.
        let stems: Vec<Vec<String>> = folded
            .iter()
            .map(|t| {
                let mut stems: Vec<String> =
                    analyzers.dutch_of_folded(&t.text).into_iter().collect();
                for part in analyzers.parts_of_folded(&t.text).into_iter().flatten() {
                    stems.extend(analyzers.dutch_of_folded(&part));
                }
                stems
            })
            .collect();
        let is = |(part, stem): &(String, String), t: &Token, of_word: &Vec<String>| {
            of_word.contains(stem)
                || (part.chars().count() >= TYPO_MIN_CHARS && within_one_edit(part, &t.text))
        };
        let mut marks = Vec::new();
        for parts in &self.compounds {
            let held = parts.iter().all(|p| {
                folded
                    .iter()
                    .zip(&stems)
                    .any(|(t, of_word)| is(p, t, of_word))
            });
            if !held {
                continue;
            }
            for (t, of_word) in folded.iter().zip(&stems) {
                if parts.iter().any(|p| is(p, t, of_word)) {
                    marks.push(t.offset_from..t.offset_to);
                }
            }
        }
        marks
    }
}

/// `marks` in order, those that overlap joined.
fn merged(mut marks: Vec<Range<usize>>) -> Vec<Range<usize>> {
    marks.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(marks.len());
    for r in marks {
        match merged.last_mut() {
            Some(prev) if r.start < prev.end => prev.end = prev.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Whether `a` and `b` differ by at most one edit: a letter added, removed or replaced,
/// or two neighbours swapped (the distance the typo query allows).
fn within_one_edit(a: &str, b: &str) -> bool {
    // A character is at most 4 bytes: lengths far apart cannot be one edit apart.
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return within_one_edit_of(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    within_one_edit_of(&a, &b)
}

fn within_one_edit_of<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let same_start = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        if same_start == short.len() {
            return true;
        }
        let rest = same_start + 1;
        let replaced = short[rest..] == long[rest..];
        let swapped = rest < short.len()
            && short[same_start] == long[rest]
            && short[rest] == long[same_start]
            && short[rest + 1..] == long[rest + 1..];
        replaced || swapped
    } else {
        short[same_start..] == long[same_start + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_a_letter_added_removed_replaced_or_two_swapped() {
        assert!(within_one_edit("prestatiedruk", "prestatiedruk"));
        assert!(within_one_edit("prestatiedruk", "prestatiedrok"));
        assert!(within_one_edit("prestatiedruk", "prestatidruk"));
        assert!(within_one_edit("prestatiedruk", "prestatiedrukk"));
        assert!(within_one_edit("prestatiedruk", "perstatiedruk"));
        assert!(!within_one_edit("prestatiedruk", "perstatiedrok"));
        assert!(!within_one_edit("prestatiedruk", "prestatie"));
        assert!(!within_one_edit("abc", "cba"));
        assert!(within_one_edit("suïcide", "suicide"));
        assert!(within_one_edit("financiële", "financiëel"));
        assert!(!within_one_edit("ë", "abcde"));
    }
}
