//! Which words of a stored text a query matched, for snippets.
//!
//! The marking is done here rather than by tantivy's snippet generator, which knows only
//! the exact terms of a query: a word found by its stem ("studenten" for "student"), with
//! a typo, or as a prefix must be marked too. Each stored text is analysed again by the
//! three analyzers, and a word is marked when any of its forms is one the query looks
//! for. Stop words of the query are not marked (they match everywhere); a phrase is
//! marked as a whole, where its words stand together.

use std::collections::HashSet;
use std::ops::Range;

use crate::analysis::Analyzers;
use crate::matching::{PREFIX_MIN_CHARS, TYPO_MIN_CHARS};
use crate::user_query::{Item, UserQuery};

/// What a query looks for, in each kind of field.
pub(crate) struct Marker {
    dutch: HashSet<String>,
    english: HashSet<String>,
    exact: HashSet<String>,
    typo: Vec<String>,
    prefix: Option<String>,
    phrases: Vec<Vec<String>>,
}

impl Marker {
    pub(crate) fn new(query: &UserQuery, analyzers: &mut Analyzers) -> Self {
        let mut m = Marker {
            dutch: HashSet::new(),
            english: HashSet::new(),
            exact: HashSet::new(),
            typo: Vec::new(),
            prefix: None,
            phrases: Vec::new(),
        };
        for item in &query.items {
            match item {
                Item::Word(word) => {
                    let terms = analyzers.word(word, query.stemming);
                    let Some(folded) = terms.folded.clone().filter(|_| !terms.is_stop_word())
                    else {
                        continue;
                    };
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

    /// The byte ranges of `text` to mark, in order, not overlapping.
    pub(crate) fn marks(&self, analyzers: &mut Analyzers, text: &str) -> Vec<Range<usize>> {
        let [dutch, english, folded] = analyzers.all_tokens(text);
        let mut marks: Vec<Range<usize>> = Vec::new();
        let mut mark = |t: &tantivy::tokenizer::Token| marks.push(t.offset_from..t.offset_to);
        dutch
            .iter()
            .filter(|t| self.dutch.contains(&t.text))
            .for_each(&mut mark);
        english
            .iter()
            .filter(|t| self.english.contains(&t.text))
            .for_each(&mut mark);
        folded
            .iter()
            .filter(|t| {
                self.exact.contains(&t.text)
                    || self.typo.iter().any(|w| within_one_edit(w, &t.text))
                    || self
                        .prefix
                        .as_ref()
                        .is_some_and(|p| t.text.starts_with(p.as_str()))
            })
            .for_each(&mut mark);
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
}

/// Whether `a` and `b` differ by at most one edit: a letter added, removed or replaced,
/// or two neighbours swapped (the distance the typo query allows).
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
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
    }
}
