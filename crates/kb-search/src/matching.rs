//! The tantivy query for a user's words and phrases, built clause by clause.
//!
//! Every word must match (AND across words), in any part of the text (OR across fields):
//!
//! - in its forms: its Dutch stem in the Dutch fields, its English stem in the English
//!   fields (only the stem of the query's language when it names one), and its folded
//!   spelling in the unstemmed fields;
//! - with one typo, if it has 5 or more letters (an edit or a swap of two neighbours, in
//!   the unstemmed fields; shorter words have too many neighbours: "geld" → "gels", "held");
//! - as the start of a longer word, if it is the last word and not in quotes (search as
//!   you type), with 2 or more letters.
//!
//! A word's clauses are joined as a disjunction-max query: a word scores by its best
//! match (boosted by the part it is in, see [`Part::boost`]) plus a tenth of the others,
//! so a bilingual document (indexed in both stemmed fields) does not count a word twice.
//! Typo and prefix matches score a constant half of their part's boost, below most exact
//! matches. A quoted phrase matches its folded words in order, in one part of the text.
//! Stop words are optional (see [`WordTerms::is_stop_word`]).
//!
//! A word, or two to four consecutive words, that form a term of the [`Lexicon`] also
//! match the term's equivalents, at [`SYNONYM_WEIGHT`] of their part's boost: a one-word
//! equivalent through the same per-field clauses as a word (stemmed in the stemmed
//! fields, folded in the folded one), a longer one as a phrase. The words of a
//! multi-word term stay required as they are, OR'd with its equivalents as one required
//! clause ("exam anxiety" finds "exam … anxiety" and "tentamenstress").

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis::{Analyzers, WordTerms};
use crate::automata::{Automata, AutomatonQuery, Inexact};
use crate::lexicon::{Lexicon, Term as LexiconTerm};
use crate::schema::{Fields, Part};
use crate::user_query::{Item, UserQuery};

/// Fewest letters a word needs to match with a typo.
pub(crate) const TYPO_MIN_CHARS: usize = 5;
/// Fewest letters the last word needs to match as a prefix.
pub(crate) const PREFIX_MIN_CHARS: usize = 2;
/// The score of a typo or prefix match, as a share of its part's boost.
const INEXACT_WEIGHT: f32 = 0.5;
/// How much a word's matches besides its best one add to its score.
const TIE_BREAKER: f32 = 0.1;
/// The score of a match by a lexicon equivalent, as a share of its part's boost: below
/// the word itself (1.0), above a typo ([`INEXACT_WEIGHT`]).
pub(crate) const SYNONYM_WEIGHT: f32 = 0.6;

/// The query for `query`, or `None` if none of its words can be in the index (every one
/// longer than the longest indexed word). Typo and prefix automata come from `automata`;
/// equivalents of its words from `lexicon`.
pub(crate) fn build(
    fields: &Fields,
    analyzers: &mut Analyzers,
    automata: &Automata,
    lexicon: &Lexicon,
    query: &UserQuery,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    // The word being typed, if the text ends with one: its place among the items.
    let typing = query.last_word().map(|_| query.items.len() - 1);
    let mut per_item: Vec<Option<(Occur, Box<dyn Query>)>> = Vec::new();
    for (i, item) in query.items.iter().enumerate() {
        let clause = match item {
            Item::Word(word) => {
                let terms = analyzers.word(word, query.stemming);
                let occur = if terms.is_stop_word() {
                    Occur::Should
                } else {
                    Occur::Must
                };
                word_query(fields, automata, &terms, Some(i) == typing)?.map(|q| (occur, q))
            }
            Item::Phrase(words) => {
                let folded: Vec<(usize, String)> = words
                    .iter()
                    .enumerate()
                    .filter_map(|(at, w)| analyzers.word(w, query.stemming).folded.map(|t| (at, t)))
                    .collect();
                phrase_query(fields, folded).map(|q| (Occur::Must, q))
            }
        };
        per_item.push(clause);
    }
    let clauses = with_equivalents(fields, analyzers, lexicon, query, per_item);
    if clauses.is_empty() {
        return Ok(None);
    }
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}

/// The clauses of one word, joined; `None` if the word cannot be in the index. Its typo
/// and prefix automata are built once (or kept from an earlier query) and shared by
/// every part.
fn word_query(
    fields: &Fields,
    automata: &Automata,
    terms: &WordTerms,
    typing: bool,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let Some(folded) = terms.folded.as_deref() else {
        return Ok(None);
    };
    let letters = folded.chars().count();
    let typo = (letters >= TYPO_MIN_CHARS)
        .then(|| automata.get(Inexact::Typo, folded))
        .transpose()?;
    let prefix = (typing && letters >= PREFIX_MIN_CHARS)
        .then(|| automata.get(Inexact::Prefix, folded))
        .transpose()?;
    let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
    for part in Part::ALL {
        let f = fields.part(part);
        let boost = part.boost();
        let stemmed = [(f.dutch, &terms.dutch), (f.english, &terms.english)];
        for (field, term) in stemmed {
            if let Some(term) = term {
                disjuncts.push(boosted(term_query(field, term), boost));
            }
        }
        disjuncts.push(boosted(term_query(f.folded, folded), boost));
        for automaton in [&typo, &prefix].into_iter().flatten() {
            let query = AutomatonQuery {
                field: f.folded,
                automaton: automaton.clone(),
            };
            disjuncts.push(boosted(Box::new(query), boost * INEXACT_WEIGHT));
        }
    }
    Ok(Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
        disjuncts,
        TIE_BREAKER,
    ))))
}

/// The clauses of the items, with the runs of words that form a lexicon term (the
/// longest from the left) joined with the term's equivalents; `per_item` holds each
/// item's clause as built without the lexicon.
fn with_equivalents(
    fields: &Fields,
    analyzers: &mut Analyzers,
    lexicon: &Lexicon,
    query: &UserQuery,
    per_item: Vec<Option<(Occur, Box<dyn Query>)>>,
) -> Vec<(Occur, Box<dyn Query>)> {
    let folded = folded_words(analyzers, query);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut items = per_item.into_iter();
    let mut at = 0;
    while at < folded.len() {
        let Some(words) = lexicon.term_at(&folded, at) else {
            clauses.extend(items.next().flatten());
            at += 1;
            continue;
        };
        let own: Vec<(Occur, Box<dyn Query>)> =
            items.by_ref().take(words.len()).flatten().collect();
        at += words.len();
        let mut disjuncts: Vec<Box<dyn Query>> = lexicon
            .equivalent_terms(&words)
            .into_iter()
            .filter_map(|t| equivalent_query(fields, analyzers, t))
            .collect();
        let occur = if own.iter().any(|(o, _)| *o == Occur::Must) || own.is_empty() {
            Occur::Must
        } else {
            Occur::Should
        };
        match own.len() {
            0 => {}
            1 => disjuncts.extend(own.into_iter().map(|(_, q)| q)),
            _ => disjuncts.push(Box::new(BooleanQuery::new(own))),
        }
        if !disjuncts.is_empty() {
            let joined = DisjunctionMaxQuery::with_tie_breaker(disjuncts, TIE_BREAKER);
            clauses.push((occur, Box::new(joined)));
        }
    }
    clauses
}

/// The folded word of each item of `query`; `None` for a phrase, which is matched as
/// written and never as a lexicon term.
pub(crate) fn folded_words(analyzers: &mut Analyzers, query: &UserQuery) -> Vec<Option<String>> {
    query
        .items
        .iter()
        .map(|item| match item {
            Item::Word(word) => analyzers.word(word, query.stemming).folded,
            Item::Phrase(_) => None,
        })
        .collect()
}

/// The query of one equivalent term, at [`SYNONYM_WEIGHT`]: a word in its forms in every
/// part (stemmed in the languages the term is listed in, and folded), a longer term as a
/// phrase of its folded words; `None` for a term of no words.
fn equivalent_query(
    fields: &Fields,
    analyzers: &mut Analyzers,
    term: &LexiconTerm,
) -> Option<Box<dyn Query>> {
    let query = match term.words.as_slice() {
        [word] => {
            let dutch = term
                .stemming
                .dutch
                .then(|| analyzers.dutch_of_folded(word))
                .flatten();
            let english = term
                .stemming
                .english
                .then(|| analyzers.english_of_folded(word))
                .flatten();
            let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
            for part in Part::ALL {
                let f = fields.part(part);
                let boost = part.boost();
                let stemmed = [(f.dutch, &dutch), (f.english, &english)];
                for (field, stem) in stemmed {
                    if let Some(stem) = stem {
                        disjuncts.push(boosted(term_query(field, stem), boost));
                    }
                }
                disjuncts.push(boosted(term_query(f.folded, word), boost));
            }
            Box::new(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                TIE_BREAKER,
            ))
        }
        words => phrase_query(fields, words.iter().cloned().enumerate().collect())?,
    };
    Some(boosted(query, SYNONYM_WEIGHT))
}

/// A phrase of folded words at their offsets (a word too long to be indexed leaves a
/// gap, as it does in the indexed text), in any part; `None` if no word is left.
fn phrase_query(fields: &Fields, words: Vec<(usize, String)>) -> Option<Box<dyn Query>> {
    if words.is_empty() {
        return None;
    }
    let disjuncts = Part::ALL
        .iter()
        .map(|&part| {
            let field = fields.part(part).folded;
            let query: Box<dyn Query> = if let [(_, word)] = words.as_slice() {
                term_query(field, word)
            } else {
                let terms = words
                    .iter()
                    .map(|(at, w)| (*at, Term::from_field_text(field, w)))
                    .collect();
                Box::new(PhraseQuery::new_with_offset(terms))
            };
            boosted(query, part.boost())
        })
        .collect();
    Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
        disjuncts,
        TIE_BREAKER,
    )))
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}
