//! "Did you mean": for a search that found little, the query with each word that no
//! document holds replaced by the indexed word nearest in spelling (at most two edits for
//! words of six letters or more, one for shorter ones of three or more; fewest edits
//! first, then the word in most documents), or else by a one-word equivalent from the
//! lexicon that documents hold. A word is only offered if a document the
//! caller lets the searcher see holds it, so a suggestion never tells of a draft.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use kb_domain::lang::Language;
use tantivy::Term;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::error::SearchError;
use crate::schema::Part;
use crate::search::AllHits;
use crate::user_query::{Item, UserQuery};
use crate::{Hit, SearchIndex, Subject};

/// How many of the nearest words are tried, nearest first, for one word.
const TRIED: usize = 5;

impl SearchIndex {
    /// `text` with its unknown words corrected, or `None` when every word is known or no
    /// correction is seen (`visible` says whether hits include one the searcher may see).
    pub fn spelling<S: Subject>(
        &self,
        text: &str,
        lang: Option<Language>,
        visible: impl Fn(&[Hit<S>]) -> bool,
    ) -> Result<Option<String>, SearchError> {
        let query = UserQuery::parse_in(text, "query", lang)?;
        let mut analyzers = self.inner.analyzers.clone();
        let searcher = self.inner.reader.searcher();
        let (_, lexicon) = self.lexicon();
        let folded_fields: Vec<Field> = Part::ALL
            .iter()
            .map(|&p| self.inner.fields.part(p).folded)
            .collect();
        let mut changed = false;
        let mut out: Vec<String> = Vec::with_capacity(query.items.len());
        for item in &query.items {
            let word = match item {
                Item::Word(w) => w,
                Item::Phrase(words) => {
                    out.push(format!("\"{}\"", words.join(" ")));
                    continue;
                }
            };
            let terms = analyzers.word(word, query.stemming);
            let Some(folded) = terms.folded.as_deref().filter(|_| !terms.is_stop_word()) else {
                out.push(word.clone());
                continue;
            };
            let known = folded_fields.iter().any(|&f| {
                searcher
                    .doc_freq(&Term::from_field_text(f, folded))
                    .is_ok_and(|n| n > 0)
            });
            let letters = folded.chars().count();
            if known || letters < 3 {
                out.push(word.clone());
                continue;
            }
            let edits = if letters >= 6 { 2 } else { 1 };
            let mut near: BTreeMap<String, u64> = BTreeMap::new();
            let automaton =
                FuzzyTermQuery::new(Term::from_field_text(folded_fields[0], folded), edits, true)
                    .automaton()?;
            for segment in searcher.segment_readers() {
                for &field in &folded_fields {
                    let index = segment.inverted_index(field)?;
                    let mut stream = index.terms().search(&automaton).into_stream()?;
                    while stream.advance() {
                        if let Ok(term) = std::str::from_utf8(stream.key()) {
                            *near.entry(term.to_owned()).or_default() +=
                                u64::from(stream.value().doc_freq);
                        }
                    }
                }
            }
            let mut ranked: Vec<(usize, u64, String)> = near
                .into_iter()
                .map(|(term, freq)| (edit_distance(folded, &term), freq, term))
                .collect();
            ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
            // The nearest spellings first, then the word's equivalents in the lexicon
            // (one word each: "zelfmoord" → "suïcide").
            let equivalents = lexicon.equivalents(&[folded]).into_iter().filter_map(|e| {
                match analyzers.folded_words(&e).as_slice() {
                    [one] => Some(one.clone()),
                    _ => None,
                }
            });
            let candidates: Vec<String> = ranked
                .into_iter()
                .take(TRIED)
                .map(|(_, _, c)| c)
                .chain(equivalents.take(TRIED))
                .collect();
            let mut chosen = None;
            for candidate in candidates {
                let holders: Vec<(Occur, Box<dyn Query>)> = folded_fields
                    .iter()
                    .map(|&f| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(f, &candidate),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Should, q)
                    })
                    .collect();
                let hits =
                    searcher.search(&BooleanQuery::new(holders), &AllHits::<S>(PhantomData))?;
                if visible(&hits) {
                    chosen = Some(candidate);
                    break;
                }
            }
            match chosen {
                Some(c) => {
                    changed = true;
                    out.push(c);
                }
                None => out.push(word.clone()),
            }
        }
        Ok(changed.then(|| out.join(" ")))
    }
}

/// The Damerau–Levenshtein distance (edits and swaps of neighbours) of two words.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use kb_domain::InitiativeId;

    use super::*;
    use crate::fixture::index;

    #[test]
    fn edits_and_swaps_count_one_each() {
        assert_eq!(edit_distance("eenzaamheit", "eenzaamheid"), 1);
        assert_eq!(edit_distance("suicde", "suicide"), 1);
        assert_eq!(edit_distance("stduent", "student"), 1);
        assert_eq!(edit_distance("mentorat", "mentoraat"), 1);
        assert_eq!(edit_distance("pestatiedruk", "prestatiedruk"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn an_unknown_word_is_replaced_by_the_nearest_known_one() {
        let index = index();
        let all = |_: &[Hit<InitiativeId>]| true;
        // Two edits away from "eenzaamheid", which a document holds.
        assert_eq!(
            index
                .spelling::<InitiativeId>("eensaamheit", None, all)
                .expect("spelling"),
            Some("eenzaamheid".to_owned())
        );
        // Known words are kept; nothing to suggest.
        assert_eq!(
            index
                .spelling::<InitiativeId>("eenzaamheid", None, all)
                .expect("spelling"),
            None
        );
    }

    #[test]
    fn a_word_only_hidden_documents_hold_is_never_offered() {
        let index = index();
        let none = |_: &[Hit<InitiativeId>]| false;
        assert_eq!(
            index
                .spelling::<InitiativeId>("eensaamheit", None, none)
                .expect("spelling"),
            None
        );
    }
}
