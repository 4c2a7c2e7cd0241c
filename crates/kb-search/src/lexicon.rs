//! The bilingual lexicon as search uses it: sets of terms that mean the same, each term
//! folded as the analyzers fold text (lower case, diacritics folded, split in words), so
//! "Suïcide", "suicide" and "SUICIDE" are one term. A query word, or two to four
//! consecutive query words, that form a term also find the documents of the term's
//! equivalents (see `matching`).

use std::collections::HashMap;

use kb_domain::LexiconEntry;

use crate::analysis::{Analyzers, Stemming};

/// The lexicon of search. Built from the store's entries; empty by default.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// The terms of each set, each folded term once.
    sets: Vec<Vec<Term>>,
    /// The sets each folded term (its words joined by a space) belongs to.
    by_key: HashMap<String, Vec<usize>>,
    /// Most words in a term.
    longest: usize,
}

/// One term of a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// As first written in the entry.
    pub(crate) written: String,
    /// Its folded words.
    pub(crate) words: Vec<String>,
    /// The languages it is listed in, which decide how it is stemmed.
    pub(crate) stemming: Stemming,
}

impl Term {
    fn key(&self) -> String {
        self.words.join(" ")
    }
}

impl Lexicon {
    /// The lexicon of `entries`: each entry one set of terms, the Dutch ones stemmed as
    /// Dutch, the English ones as English. A term that folds to no word is left out.
    pub fn new(entries: &[LexiconEntry]) -> Self {
        let mut analyzers = Analyzers::new();
        let mut lexicon = Lexicon::default();
        for entry in entries {
            let mut set: Vec<Term> = Vec::new();
            let listed = entry
                .nl
                .iter()
                .map(|t| (t, Stemming::DUTCH))
                .chain(entry.en.iter().map(|t| (t, Stemming::ENGLISH)));
            for (written, stemming) in listed {
                let words = analyzers.folded_words(written);
                if words.is_empty() {
                    continue;
                }
                match set.iter_mut().find(|t| t.words == words) {
                    Some(known) => {
                        known.stemming.dutch |= stemming.dutch;
                        known.stemming.english |= stemming.english;
                    }
                    None => set.push(Term {
                        written: written.clone(),
                        words,
                        stemming,
                    }),
                }
            }
            if set.len() < 2 {
                continue;
            }
            let at = lexicon.sets.len();
            for term in &set {
                lexicon.longest = lexicon.longest.max(term.words.len());
                lexicon.by_key.entry(term.key()).or_default().push(at);
            }
            lexicon.sets.push(set);
        }
        lexicon
    }

    /// How many sets of equivalent terms the lexicon holds.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// Whether the lexicon holds no set.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The terms that mean the same as the term `words` (as typed: they are folded and
    /// split like the index's text), as written in the lexicon, in its order, each once;
    /// empty when `words` is no term of the lexicon.
    pub fn equivalents(&self, words: &[&str]) -> Vec<String> {
        let mut analyzers = Analyzers::new();
        let folded: Vec<String> = words
            .iter()
            .flat_map(|w| analyzers.folded_words(w))
            .collect();
        self.equivalent_terms(&folded)
            .into_iter()
            .map(|t| t.written.clone())
            .collect()
    }

    /// The terms equivalent to the folded words `words`, each once, `words`' own term not
    /// among them.
    pub(crate) fn equivalent_terms(&self, words: &[String]) -> Vec<&Term> {
        let key = words.join(" ");
        let Some(sets) = self.by_key.get(&key) else {
            return Vec::new();
        };
        let mut out: Vec<&Term> = Vec::new();
        for term in sets.iter().flat_map(|&s| &self.sets[s]) {
            if term.words != words && !out.iter().any(|t| t.words == term.words) {
                out.push(term);
            }
        }
        out
    }

    /// The longest term that the words from `at` on form, as its folded words; `None`
    /// if none starts there. `words` are a query's items folded, `None` for an item that
    /// is no word (a quoted phrase, which is matched as written).
    pub(crate) fn term_at(&self, words: &[Option<String>], at: usize) -> Option<Vec<String>> {
        let most = self.longest.min(words.len().saturating_sub(at));
        (1..=most).rev().find_map(|len| {
            let run: Option<Vec<String>> = words[at..at + len].iter().cloned().collect();
            run.filter(|w| self.by_key.contains_key(&w.join(" ")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::lexicon_entry;

    fn lexicon() -> Lexicon {
        Lexicon::new(&[
            lexicon_entry(
                "suicide",
                &["suïcide", "suicide", "zelfmoord", "zelfdoding"],
                &["suicide"],
            ),
            lexicon_entry(
                "exam_anxiety",
                &["tentamenstress", "examenvrees"],
                &["exam anxiety", "test anxiety"],
            ),
            lexicon_entry("stress", &["stress"], &["stress", "stressed"]),
            lexicon_entry("alone", &["x"], &[]),
        ])
    }

    #[test]
    fn a_word_has_the_other_terms_of_its_set_as_written() {
        let l = lexicon();
        assert_eq!(l.len(), 3);
        assert_eq!(l.equivalents(&["Zelfmoord"]), vec!["suïcide", "zelfdoding"]);
        assert_eq!(l.equivalents(&["SUÏCIDE"]), vec!["zelfmoord", "zelfdoding"]);
        assert_eq!(l.equivalents(&["geld"]), Vec::<String>::new());
    }

    #[test]
    fn words_that_form_a_term_together_have_its_equivalents() {
        let l = lexicon();
        assert_eq!(
            l.equivalents(&["exam", "anxiety"]),
            vec!["tentamenstress", "examenvrees", "test anxiety"]
        );
        assert_eq!(
            l.equivalents(&["tentamenstress"]),
            vec!["examenvrees", "exam anxiety", "test anxiety"]
        );
        assert_eq!(l.equivalents(&["exam"]), Vec::<String>::new());
        let query = |w: &[&str]| w.iter().map(|x| Some(x.to_string())).collect::<Vec<_>>();
        let words = query(&["exam", "anxiety", "tentamenstress", "exam"]);
        assert_eq!(
            l.term_at(&words, 0),
            Some(vec!["exam".to_owned(), "anxiety".to_owned()])
        );
        assert_eq!(l.term_at(&words, 1), None);
        assert_eq!(
            l.term_at(&words, 2),
            Some(vec!["tentamenstress".to_owned()])
        );
        assert_eq!(l.term_at(&words, 3), None);
        assert_eq!(l.term_at(&[Some("exam".into()), None], 0), None);
    }

    #[test]
    fn a_term_listed_in_both_languages_is_stemmed_in_both() {
        let l = lexicon();
        let stress = l.equivalent_terms(&["stressed".to_owned()]);
        assert_eq!(stress.len(), 1);
        assert_eq!(stress[0].stemming, Stemming::BOTH);
        let zelfmoord = l.equivalent_terms(&["zelfmoord".to_owned()]);
        assert_eq!(zelfmoord[0].stemming, Stemming::BOTH);
        assert_eq!(zelfmoord[1].stemming, Stemming::DUTCH);
    }
}
