//! "Did you mean": for a search that found little, the query with each word that no
//! document holds replaced by the indexed word nearest in spelling (at most two edits for
//! words of six letters or more, one for shorter ones of three or more; fewest edits
//! first, then the word in most documents), or else by a one-word equivalent from the
//! lexicon that documents hold. A word is only offered if a document the
//! caller lets the searcher see holds it, so a suggestion never tells of a draft.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use kb_domain::lang::Language;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::analysis::Analyzers;
use crate::error::SearchError;
use crate::lexicon::Lexicon;
use crate::matching::{Respelled, TYPO_MIN_CHARS};
use crate::schema::{Fields, Part};
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
            if held(&searcher, &folded_fields, folded) || folded.chars().count() < 3 {
                out.push(word.clone());
                continue;
            }
            let ranked = nearest_spellings(&searcher, &folded_fields, folded)?;
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
                .chain(equivalents.take(TRIED))
                .collect();
            let mut chosen = None;
            for candidate in candidates {
                if visible(&holders::<S>(&searcher, &folded_fields, &candidate)?) {
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

/// For each word of `query` that no document holds (not a stop word, not a lexicon term,
/// with at least [`TYPO_MIN_CHARS`] letters), the indexed word nearest in spelling: the
/// search also finds what that word finds, scored as a typo ("depresie" finds what
/// "depressie" finds, graded by how well each document matches it).
pub(crate) fn respellings<S: Subject>(
    searcher: &Searcher,
    fields: &Fields,
    analyzers: &mut Analyzers,
    lexicon: &Lexicon,
    query: &UserQuery,
    visible: impl Fn(&[Hit<S>]) -> bool,
) -> tantivy::Result<Respelled> {
    let folded_fields: Vec<Field> = Part::ALL.iter().map(|&p| fields.part(p).folded).collect();
    let mut out = Respelled::new();
    for item in &query.items {
        let Item::Word(word) = item else {
            continue;
        };
        let terms = analyzers.word(word, query.stemming);
        let Some(folded) = terms.folded.as_deref().filter(|_| !terms.is_stop_word()) else {
            continue;
        };
        // Known as written, by a stem ("wandelen" in "wandeling") or as a part of a
        // compound, or as a lexicon term: no typo.
        let stemmed = || {
            Part::ALL.iter().any(|&p| {
                let f = fields.part(p);
                let holds = |field: Field, term: &Option<String>| {
                    term.as_deref().is_some_and(|t| held(searcher, &[field], t))
                };
                holds(f.dutch, &terms.dutch)
                    || holds(f.english, &terms.english)
                    || holds(f.compound_parts, &terms.dutch)
            })
        };
        if folded.chars().count() < TYPO_MIN_CHARS
            || out.contains_key(folded)
            || held(searcher, &folded_fields, folded)
            || stemmed()
            || !lexicon.equivalents(&[folded]).is_empty()
        {
            continue;
        }
        for near in nearest_spellings(searcher, &folded_fields, folded)?
            .into_iter()
            .take(TRIED)
        {
            if visible(&holders::<S>(searcher, &folded_fields, &near)?) {
                out.insert(folded.to_owned(), near);
                break;
            }
        }
    }
    Ok(out)
}

/// The documents of type `S` that hold the folded `word`.
fn holders<S: Subject>(
    searcher: &Searcher,
    folded_fields: &[Field],
    word: &str,
) -> tantivy::Result<Vec<Hit<S>>> {
    let holders: Vec<(Occur, Box<dyn Query>)> = folded_fields
        .iter()
        .map(|&f| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(f, word),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    searcher.search(&BooleanQuery::new(holders), &AllHits::<S>(PhantomData))
}

/// Whether a document holds the folded word in one of `folded_fields`.
pub(crate) fn held(searcher: &Searcher, folded_fields: &[Field], folded: &str) -> bool {
    folded_fields.iter().any(|&f| {
        searcher
            .doc_freq(&Term::from_field_text(f, folded))
            .is_ok_and(|n| n > 0)
    })
}

/// The indexed words within two edits of the folded `word` (of six letters or more; one
/// edit for shorter ones), fewest edits first, then the word in most documents, then by
/// spelling.
pub(crate) fn nearest_spellings(
    searcher: &Searcher,
    folded_fields: &[Field],
    word: &str,
) -> tantivy::Result<Vec<String>> {
    let Some(&first) = folded_fields.first() else {
        return Ok(Vec::new());
    };
    let edits = if word.chars().count() >= 6 { 2 } else { 1 };
    let mut near: BTreeMap<String, u64> = BTreeMap::new();
    let automaton =
        FuzzyTermQuery::new(Term::from_field_text(first, word), edits, true).automaton()?;
    for segment in searcher.segment_readers() {
        for &field in folded_fields {
            let index = segment.inverted_index(field)?;
            let mut stream = index.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *near.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    let mut ranked: Vec<(usize, u64, String)> = near
        .into_iter()
        .map(|(term, freq)| (edit_distance(word, &term), freq, term))
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Ok(ranked.into_iter().map(|(_, _, term)| term).collect())
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

    /// The ids a search finds for a searcher who sees `visible`.
    fn found(index: &SearchIndex, text: &str, visible: bool) -> Vec<i64> {
        let matched = index
            .matching::<InitiativeId>(text, None, |_| visible, 5)
            .expect("search");
        let mut ids: Vec<i64> = matched.hits.iter().map(|h| h.id.0).collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn a_word_no_document_holds_finds_what_its_nearest_spelling_finds() {
        let index = index();
        // Two edits from "prestatiedruk": beyond the one-typo automaton.
        let right = found(&index, "prestatiedruk", true);
        assert!(!right.is_empty());
        assert_eq!(found(&index, "prestatiedruuck", true), right);
        // For a searcher who sees none of the documents that hold it, it is no spelling.
        assert_eq!(found(&index, "prestatiedruuck", false), Vec::<i64>::new());
    }

    #[test]
    fn a_word_known_by_its_stem_or_the_lexicon_is_no_typo() {
        let index = index();
        let searcher = index.inner.reader.searcher();
        let mut analyzers = index.inner.analyzers.clone();
        let (_, lexicon) = index.lexicon();
        let respelled = |text: &str, analyzers: &mut Analyzers| {
            let query = UserQuery::parse_in(text, "query", None).expect("query");
            respellings(
                &searcher,
                &index.inner.fields,
                analyzers,
                &lexicon,
                &query,
                |_: &[Hit<InitiativeId>]| true,
            )
            .expect("respellings")
        };
        // "docent" is held only as "docenten", whose Dutch stem it shares.
        assert!(respelled("docent", &mut analyzers).is_empty());
        assert_eq!(
            respelled("prestatiedruuck", &mut analyzers),
            Respelled::from([("prestatiedruuck".to_owned(), "prestatiedruk".to_owned())])
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
