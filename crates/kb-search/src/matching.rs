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
//!   you type), with 2 or more letters;
//! - as a part of a Dutch compound in the text: its Dutch stem in the compound-parts
//!   fields ("somberheid" finds "somberheidsklachten");
//! - if it is a Dutch compound itself, by its parts: every part must match, as a word or
//!   as a part of a compound ("tentamenstress" finds "stress bij tentamens").
//!
//! A word's clauses in one part of the text are joined as a disjunction-max query: the
//! word scores there by its best match (boosted by the part and weighted by the kind of
//! match, see [`crate::ranking`]) plus a tenth of the others, so a bilingual document
//! (indexed in both stemmed fields) does not count a word twice. The parts add up. A
//! quoted phrase matches its folded words in order, in one part of the text. Stop words
//! (see [`WordTerms::is_stop_word`]) are not required and, beside a word that is, left
//! out: in a small text collection their BM25 is no longer small, and "wat kan ik doen
//! tegen eenzaamheid" must rank as "eenzaamheid" does; a query of stop words only matches
//! the texts that say them. Two or more words near each other in
//! the title add to the score. A word found as a part of a compound in the text scores
//! by BM25 at `ranking::weight(Match::Part)`; a compound query word found by its parts
//! scores a constant share of its part's boost (averaged over its parts).
//!
//! A word, or two to four consecutive words, that form a term of the [`Lexicon`] also
//! match the term's equivalents, weighted as `ranking::weight(Match::Synonym)`: a
//! one-word equivalent through the same per-field clauses as a word (stemmed in the
//! stemmed fields, folded in the folded one, and as a part of a Dutch compound), a
//! longer one as a phrase. The words of a multi-word term stay required as they are,
//! OR'd with its equivalents as one required clause ("exam anxiety" finds "exam …
//! anxiety" and "tentamenstress").

use std::sync::Arc;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis::{Analyzers, WordTerms};
use crate::automata::{Automata, AutomatonQuery, Inexact};
use crate::lexicon::{Lexicon, Term as LexiconTerm};
use crate::ranking::{self, Match};
use crate::schema::{Fields, Part};
use crate::user_query::{Item, UserQuery};

/// The folded words of a query that no document holds, each with the indexed word
/// nearest in spelling (see `spelling::respellings`).
pub(crate) type Respelled = std::collections::HashMap<String, String>;

/// Fewest letters a word needs to match with a typo.
pub(crate) const TYPO_MIN_CHARS: usize = 5;
/// Fewest letters the last word needs to match as a prefix.
pub(crate) const PREFIX_MIN_CHARS: usize = 2;
/// Fewest letters a part of a compound query word needs to match with a typo: more than
/// a whole word needs, as a short part has many neighbours ("moord" of "zelfmoord" is one
/// edit from "noord").
const PART_TYPO_MIN_CHARS: usize = 7;
/// How much a word's matches in one part of the text besides its best one add to its
/// score: its forms, typos and compound parts say the same thing twice.
const TIE_BREAKER: f32 = 0.1;
/// How far apart (in positions) two neighbouring words of a query may stand in a title
/// or summary and still count as near each other.
const PROXIMITY_SLOP: u32 = 3;

/// One thing a query looks for: a word or a quoted phrase, as typed, with its query.
pub(crate) struct Clause {
    /// The word or phrase as the user typed it (a phrase's words joined by spaces).
    pub(crate) shown: String,
    /// Whether it must match: every word but a stop word, and every phrase.
    pub(crate) required: bool,
    /// Whether it is a term of the lexicon: a word of the field, which says what the
    /// searcher wants more than an everyday word does ("exam stress" against "deal").
    pub(crate) of_the_field: bool,
    pub(crate) query: Box<dyn Query>,
}

impl Clause {
    /// The clause in a boolean query: required or optional.
    fn occurring(self) -> (Occur, Box<dyn Query>) {
        let occur = if self.required {
            Occur::Must
        } else {
            Occur::Should
        };
        (occur, self.query)
    }
}

/// The query for `query`, or `None` if none of its words can be in the index (every one
/// longer than the longest indexed word). Typo and prefix automata come from `automata`;
/// equivalents of its words from `lexicon`.
pub(crate) fn build(
    fields: &Fields,
    analyzers: &mut Analyzers,
    automata: &Automata,
    lexicon: &Lexicon,
    respelled: &Respelled,
    query: &UserQuery,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let mut found = clauses(fields, analyzers, automata, lexicon, respelled, query)?;
    if found.is_empty() {
        return Ok(None);
    }
    // Stop words only count where nothing else is asked for.
    if found.iter().any(|c| c.required) {
        found.retain(|c| c.required);
    }
    let mut all: Vec<(Occur, Box<dyn Query>)> = found.into_iter().map(Clause::occurring).collect();
    all.extend(proximity(fields, analyzers, query).map(|q| (Occur::Should, q)));
    Ok(Some(Box::new(BooleanQuery::new(all))))
}

/// The clauses of `query`'s words and phrases, in the order typed, a run of words that
/// forms a lexicon term as one clause; words that cannot be in the index are left out.
pub(crate) fn clauses(
    fields: &Fields,
    analyzers: &mut Analyzers,
    automata: &Automata,
    lexicon: &Lexicon,
    respelled: &Respelled,
    query: &UserQuery,
) -> tantivy::Result<Vec<Clause>> {
    // The word being typed, if the text ends with one: its place among the items.
    let typing = query.last_word().map(|_| query.items.len() - 1);
    let mut per_item: Vec<Option<Clause>> = Vec::new();
    for (i, item) in query.items.iter().enumerate() {
        let clause = match item {
            Item::Word(word) => {
                let terms = analyzers.word(word, query.stemming);
                let required = !terms.is_stop_word();
                let near = terms.folded.as_ref().and_then(|f| respelled.get(f));
                let typed = Typed {
                    terms: &terms,
                    typing: Some(i) == typing,
                    near: near.map(String::as_str),
                };
                word_query(fields, analyzers, automata, typed)?.map(|q| Clause {
                    shown: word.clone(),
                    required,
                    of_the_field: false,
                    query: q,
                })
            }
            Item::Phrase(words) => {
                let folded: Vec<(usize, String)> = words
                    .iter()
                    .enumerate()
                    .filter_map(|(at, w)| analyzers.word(w, query.stemming).folded.map(|t| (at, t)))
                    .collect();
                phrase_query(fields, folded).map(|q| Clause {
                    shown: words.join(" "),
                    required: true,
                    of_the_field: false,
                    query: q,
                })
            }
        };
        per_item.push(clause);
    }
    Ok(with_equivalents(
        fields,
        analyzers,
        lexicon,
        (query, respelled),
        per_item,
    ))
}

/// The query's words (outside quotes, stop words too) near each other in the title, in
/// the order typed: it only adds to the score of what matches anyway. Only the title,
/// which is short: reading the positions of longer texts for every search of two words
/// or more costs more than it adds. `None` for fewer than two words.
fn proximity(
    fields: &Fields,
    analyzers: &mut Analyzers,
    query: &UserQuery,
) -> Option<Box<dyn Query>> {
    let words: Vec<String> = query
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Word(w) => analyzers.word(w, query.stemming).folded,
            Item::Phrase(_) => None,
        })
        .collect();
    if words.len() < 2 {
        return None;
    }
    let field = fields.part(Part::Title).folded;
    let terms = words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    let mut phrase = PhraseQuery::new(terms);
    phrase.set_slop(PROXIMITY_SLOP);
    Some(boosted(
        Box::new(phrase),
        Part::Title.boost() * ranking::PROXIMITY,
    ))
}

/// A query word as typed: its terms, whether it is the word being typed (the last, so
/// it also matches as a prefix), and the indexed word nearest in spelling when no
/// document holds it.
#[derive(Clone, Copy)]
struct Typed<'a> {
    terms: &'a WordTerms,
    typing: bool,
    near: Option<&'a str>,
}

/// The clauses of one word, joined; `None` if the word cannot be in the index. Its typo
/// and prefix automata are built once (or kept from an earlier query) and shared by
/// every part.
fn word_query(
    fields: &Fields,
    analyzers: &mut Analyzers,
    automata: &Automata,
    typed: Typed<'_>,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let Typed {
        terms,
        typing,
        near,
    } = typed;
    let Some(folded) = terms.folded.as_deref() else {
        return Ok(None);
    };
    let near = near.map(|n| (n, analyzers.word(n, terms.stemming)));
    let letters = folded.chars().count();
    // A word no document holds matches as its nearest indexed spelling, scored as a
    // typo, in place of every one-typo neighbour at a constant score.
    let typo = (letters >= TYPO_MIN_CHARS && near.is_none())
        .then(|| automata.get(Inexact::Typo, folded))
        .transpose()?;
    let prefix = (typing && letters >= PREFIX_MIN_CHARS)
        .then(|| automata.get(Inexact::Prefix, folded))
        .transpose()?;
    // The word itself is its exact clause's: the typo and prefix clauses find the rest.
    let besides: Arc<str> = folded.into();
    let mut per_part: Vec<Box<dyn Query>> = Vec::new();
    for part in Part::ALL {
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        let f = fields.part(part);
        let boost = part.boost();
        let stemmed = [(f.dutch, &terms.dutch), (f.english, &terms.english)];
        for (field, term) in stemmed {
            if let Some(term) = term {
                disjuncts.push(boosted(
                    term_query(field, term),
                    boost * ranking::weight(Match::Stem),
                ));
            }
        }
        disjuncts.push(boosted(
            term_query(f.folded, folded),
            boost * ranking::weight(Match::Whole),
        ));
        for (automaton, kind) in [(&typo, Match::Typo), (&prefix, Match::Prefix)] {
            if let Some(automaton) = automaton {
                let query = AutomatonQuery {
                    field: f.folded,
                    automaton: automaton.clone(),
                    besides: Some(besides.clone()),
                };
                disjuncts.push(boosted(Box::new(query), boost * ranking::weight(kind)));
            }
        }
        if let Some(dutch) = &terms.dutch {
            disjuncts.push(boosted(
                term_query(f.compound_parts, dutch),
                boost * ranking::weight(Match::Part),
            ));
        }
        if let Some((near, near_terms)) = &near {
            let typo = boost * ranking::weight(Match::Typo);
            disjuncts.push(boosted(term_query(f.folded, near), typo));
            for (field, term) in [
                (f.dutch, &near_terms.dutch),
                (f.english, &near_terms.english),
            ] {
                if let Some(term) = term {
                    disjuncts.push(boosted(
                        term_query(field, term),
                        typo * ranking::weight(Match::Stem),
                    ));
                }
            }
        }
        per_part.push(Box::new(DisjunctionMaxQuery::with_tie_breaker(
            disjuncts,
            TIE_BREAKER,
        )));
    }
    // A compound is found by its parts; a word no document holds also by the parts of
    // its nearest spelling, scored as a typo ("tentamestress" as "tentamen" and "stress").
    per_part.extend(compound_query(fields, analyzers, automata, folded, terms)?);
    if let Some((near, near_terms)) = &near {
        per_part.extend(
            compound_query(fields, analyzers, automata, near, near_terms)?
                .map(|q| boosted(q, ranking::weight(Match::Typo))),
        );
    }
    // The parts add up, as each says the word again ("veerkracht" in the labels and in
    // the body): a union of optional clauses, which sums its matches' scores.
    Ok(Some(Box::new(BooleanQuery::new(
        per_part.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))))
}

/// The query that finds a Dutch compound query word by its parts, each of which must
/// match as a word (stemmed, exactly, or with one typo if it has
/// [`PART_TYPO_MIN_CHARS`] letters: the Dutch stemmer makes "tentam" of "tentamen" but
/// "tentamen" of "tentamens") or as a part of a compound, in any part of the text; `None`
/// if the word is no compound or the query is not read as Dutch. Its score is the
/// parts' average, each scoring `ranking::weight(Match::Part)` of the boost of the part of the text it
/// is in.
fn compound_query(
    fields: &Fields,
    analyzers: &mut Analyzers,
    automata: &Automata,
    folded: &str,
    terms: &WordTerms,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let parts = match analyzers.parts_of_folded(folded) {
        Some(parts) if terms.stemming.dutch => parts,
        _ => return Ok(None),
    };
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for part in parts {
        let part_terms = analyzers.word(&part, terms.stemming);
        // A part that is a stop word ("over") is left out, as in the indexed parts.
        let (Some(dutch), Some(folded)) = (part_terms.dutch, part_terms.folded) else {
            continue;
        };
        let typo = (folded.chars().count() >= PART_TYPO_MIN_CHARS)
            .then(|| automata.get(Inexact::Typo, &folded))
            .transpose()?;
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        for text_part in Part::ALL {
            let f = fields.part(text_part);
            let score = text_part.boost() * ranking::weight(Match::Part);
            disjuncts.push(scored(term_query(f.dutch, &dutch), score));
            disjuncts.push(scored(term_query(f.compound_parts, &dutch), score));
            let exact_or_typo: Box<dyn Query> = match &typo {
                Some(automaton) => Box::new(AutomatonQuery {
                    field: f.folded,
                    automaton: automaton.clone(),
                    besides: None,
                }),
                None => term_query(f.folded, &folded),
            };
            disjuncts.push(scored(exact_or_typo, score));
        }
        musts.push((
            Occur::Must,
            Box::new(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                TIE_BREAKER,
            )),
        ));
    }
    if musts.is_empty() {
        return Ok(None);
    }
    let share = 1.0 / musts.len() as f32;
    Ok(Some(boosted(Box::new(BooleanQuery::new(musts)), share)))
}

/// The clauses of the items, with the runs of words that form a lexicon term (the
/// longest from the left) joined with the term's equivalents; `per_item` holds each
/// item's clause as built without the lexicon.
fn with_equivalents(
    fields: &Fields,
    analyzers: &mut Analyzers,
    lexicon: &Lexicon,
    (query, respelled): (&UserQuery, &Respelled),
    per_item: Vec<Option<Clause>>,
) -> Vec<Clause> {
    // A word no document holds is looked up as its nearest spelling ("lonelyness" as
    // "loneliness", whose equivalents are "eenzaamheid" …).
    let folded: Vec<Option<String>> = folded_words(analyzers, query)
        .into_iter()
        .map(|w| w.map(|w| respelled.get(&w).cloned().unwrap_or(w)))
        .collect();
    let mut clauses: Vec<Clause> = Vec::new();
    let mut items = per_item.into_iter();
    let mut at = 0;
    while at < folded.len() {
        let Some(words) = lexicon.term_at(&folded, at) else {
            clauses.extend(items.next().flatten());
            at += 1;
            continue;
        };
        let own: Vec<Clause> = items.by_ref().take(words.len()).flatten().collect();
        at += words.len();
        let mut disjuncts: Vec<Box<dyn Query>> = lexicon
            .equivalent_terms(&words)
            .into_iter()
            .filter_map(|t| equivalent_query(fields, analyzers, t))
            .collect();
        let required = own.iter().any(|c| c.required) || own.is_empty();
        let shown = own
            .iter()
            .map(|c| c.shown.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        match own.len() {
            0 => {}
            1 => disjuncts.extend(own.into_iter().map(|c| c.query)),
            _ => disjuncts.push(Box::new(BooleanQuery::new(
                own.into_iter().map(Clause::occurring).collect(),
            ))),
        }
        if !disjuncts.is_empty() {
            let joined = DisjunctionMaxQuery::with_tie_breaker(disjuncts, TIE_BREAKER);
            clauses.push(Clause {
                shown,
                required,
                of_the_field: true,
                query: Box::new(joined),
            });
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

/// The query of one equivalent term, weighted as `ranking::weight(Match::Synonym)`: a word in its forms in every
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
                if let Some(stem) = &dutch {
                    disjuncts.push(boosted(
                        term_query(f.compound_parts, stem),
                        boost * ranking::weight(Match::Part),
                    ));
                }
            }
            Box::new(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                TIE_BREAKER,
            ))
        }
        words => phrase_query(fields, words.iter().cloned().enumerate().collect())?,
    };
    Some(boosted(query, ranking::weight(Match::Synonym)))
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

/// `query` scoring `score` wherever it matches.
fn scored(query: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, score))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

#[cfg(test)]
mod tests {
    use kb_domain::InitiativeId;

    use crate::fixture::ids;
    use crate::{SearchDoc, SearchIndex};

    /// A Dutch initiative with a title and a summary, and no body or labels.
    fn doc(id: i64, title: &str, summary: &str) -> SearchDoc {
        SearchDoc {
            id: InitiativeId(id).into(),
            languages: vec!["nl".into()],
            title: title.into(),
            summary: summary.into(),
            title_en: None,
            summary_en: None,
            body: None,
            organisations: vec![],
            labels: vec![],
        }
    }

    /// An index of `docs`, committed.
    fn index_of(docs: Vec<SearchDoc>) -> SearchIndex {
        let index = SearchIndex::in_memory().expect("index");
        index.upsert(docs).expect("upsert");
        index.commit(1).expect("commit");
        index
    }

    /// Dutch initiatives whose titles hold words whole and inside compounds.
    fn compounds() -> SearchIndex {
        index_of(vec![
            doc(1, "Somberheid bij studenten", "Praten over hoe het gaat."),
            doc(
                2,
                "Online lotgenotengroep voor studenten met somberheidsklachten",
                "Elke week samen.",
            ),
            doc(3, "Stress bij tentamens", "Een workshop in de bibliotheek."),
            doc(4, "Tentamenstress de baas", "Vier avonden oefenen."),
            doc(5, "Geldzorgen? Praat erover", "Een spreekuur."),
            doc(6, "Werkdruk van docenten", "Een onderzoek."),
            doc(7, "Geld voor je studie", "Zorgen over de huur delen."),
        ])
    }

    #[test]
    fn the_parts_of_the_text_add_up() {
        let labelled = |id: i64, label: &str, body: &str| SearchDoc {
            body: Some(body.into()),
            labels: vec![label.into()],
            ..doc(id, "Een workshop", "Drie avonden.")
        };
        // The word in the label, in the body, in both; texts of the same length, so each
        // part scores the same wherever it matches.
        let index = index_of(vec![
            labelled(1, "Mindfulness", "Over rust."),
            labelled(2, "Preventie", "Over mindfulness."),
            labelled(3, "Mindfulness", "Over mindfulness."),
            labelled(4, "Preventie", "Over rust."),
        ]);
        let hits = index.search("mindfulness", 10).expect("search");
        let score = |id: i64| {
            hits.iter()
                .find(|h| h.id == InitiativeId(id))
                .map(|h| h.score)
                .expect("a hit")
        };
        assert_eq!(ids(&index, "mindfulness"), vec![3, 1, 2]);
        // Both parts count in full, not the best one and a tenth of the other.
        let sum = score(1) + score(2);
        assert!((score(3) - sum).abs() < 1e-4 * sum, "{hits:?}");
    }

    #[test]
    fn a_lexicon_equivalent_is_found_inside_a_compound() {
        let index = index_of(vec![
            doc(1, "Poortwachterstraining voor docenten", ""),
            doc(2, "Een avond voor docenten", ""),
        ]);
        index.set_lexicon(crate::Lexicon::new(&[crate::fixture::lexicon_entry(
            "gatekeeper",
            &["poortwachter"],
            &["gatekeeper"],
        )]));
        assert_eq!(ids(&index, "gatekeeper"), vec![1]);
    }

    #[test]
    fn a_word_finds_the_compounds_it_is_part_of_below_the_whole_word() {
        let index = compounds();
        assert_eq!(ids(&index, "somberheid"), vec![1, 2]);
        assert_eq!(ids(&index, "klacht"), vec![2]);
        assert_eq!(ids(&index, "stress"), vec![3, 4]);
        assert_eq!(ids(&index, "druk"), vec![6]);
        assert_eq!(ids(&index, "lotgenotengroep"), vec![2]);
    }

    #[test]
    fn a_compound_finds_its_parts_below_the_whole_word() {
        let index = compounds();
        assert_eq!(ids(&index, "tentamenstress"), vec![4, 3]);
        // "geld" in the title and "zorgen" in the summary of 7.
        assert_eq!(ids(&index, "geldzorgen"), vec![5, 7]);
        // Every part must match: 6 has "druk" but no "tentamen".
        assert_eq!(ids(&index, "tentamendruk"), Vec::<i64>::new());
    }

    #[test]
    fn a_word_no_document_holds_finds_the_parts_of_its_nearest_spelling() {
        let index = compounds();
        let found = |text: &str| {
            let mut hits = index
                .matching::<InitiativeId>(text, None, |_| true, 1)
                .expect("search")
                .hits;
            hits.sort_by(crate::best_first);
            hits.into_iter().map(|h| h.id.0).collect::<Vec<_>>()
        };
        // "tentamestress" is read as "tentamenstress": 4 says it, 3 says its parts.
        assert_eq!(found("tentamestress"), vec![4, 3]);
        assert_eq!(found("tentamenstress"), vec![4, 3]);
    }

    #[test]
    fn stop_words_beside_a_word_add_nothing_to_the_score() {
        let index = index_of(vec![
            doc(
                1,
                "Eenzaamheid onder studenten",
                "Wat kun je doen? Praat erover.",
            ),
            doc(2, "Samen eten", "Tegen eenzaamheid helpt een maaltijd."),
            doc(3, "Wat je kunt doen", "Een avond tegen stress."),
        ]);
        let scored = |text: &str| {
            let mut hits = index.search(text, 10).expect("search");
            hits.sort_by_key(|h| h.id.0);
            hits.into_iter()
                .map(|h| (h.id.0, h.score))
                .collect::<Vec<_>>()
        };
        // The question finds and scores what its one word does: 3, which says only its
        // stop words, is not found, and 1 gains nothing from "wat" and "doen".
        assert_eq!(
            scored("wat kan ik doen tegen eenzaamheid"),
            scored("eenzaamheid")
        );
        assert_eq!(ids(&index, "wat kan ik doen tegen eenzaamheid"), vec![1, 2]);
        // A query of stop words only still finds what says them.
        assert_eq!(ids(&index, "wat kan ik doen").len(), 2);
    }

    #[test]
    fn parts_are_dutch_only() {
        let index = compounds();
        let english = |text: &str| -> Vec<i64> {
            index
                .hits::<InitiativeId>(text, Some(kb_domain::lang::Language::En))
                .expect("hits")
                .into_iter()
                .map(|h| h.id.0)
                .collect()
        };
        assert_eq!(english("tentamenstress"), vec![4]);
    }

    #[test]
    fn a_compound_is_marked_for_its_part_and_parts_for_their_compound() {
        let index = compounds();
        let title = |text: &str, id: i64| {
            let mut all = index
                .snippets(text, None, &[InitiativeId(id)])
                .expect("snippets");
            all.remove(&InitiativeId(id)).expect("a snippet").title
        };
        assert_eq!(
            title("somberheid", 2),
            "Online lotgenotengroep voor studenten met <mark>somberheidsklachten</mark>"
        );
        assert_eq!(
            title("tentamenstress", 3),
            "<mark>Stress</mark> bij <mark>tentamens</mark>"
        );
        // Without "tentamen", "stress" alone is not what "tentamenstress" looks for.
        assert_eq!(
            title("tentamenstress", 4),
            "<mark>Tentamenstress</mark> de baas"
        );
        assert_eq!(title("werkstress", 3), "Stress bij tentamens");
    }
}
