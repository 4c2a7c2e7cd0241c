//! Natural queries: when requiring every word finds too little, the search falls back
//! step by step to the best partial matches, as Meilisearch's `frequency` matching
//! strategy does: first it leaves out the words that match nothing, then the most
//! frequent ones (those that say least about what is wanted: "hulp" in "hulp bij
//! geldzorgen"), the later typed first among equals, until enough is found or one word
//! is left; a query of three words or more then takes the documents matching any of
//! them. Hits matching more of the words come first (see [`crate::ranking::tiered`]),
//! and the answer says which words the later hits may lack.
//!
//! Only required words take part: stop words are never required, and a quoted phrase
//! counts as one word.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::marker::PhantomData;

use kb_domain::lang::Language;

use crate::error::SearchError;
use crate::matching;
use crate::ranking;
use crate::search::AllHits;
use crate::spelling;
use crate::user_query::UserQuery;
use crate::{Hit, SearchIndex, Subject};

/// The hits of a search, and the words the fallback left out (empty when every hit
/// matches every word).
#[derive(Debug, Clone, PartialEq)]
pub struct Matched<S> {
    /// Every hit, in no particular order (see [`crate::best_first`]).
    pub hits: Vec<Hit<S>>,
    /// The words (and phrases), as typed and in the order typed, that hits may lack.
    pub left_out: Vec<String>,
    /// Whether a word no document holds was read as its nearest spelling.
    pub respelled: bool,
}

impl SearchIndex {
    /// The hits of `text` like [`SearchIndex::hits`]; if fewer than `enough` of them are
    /// `visible` (to the searcher: the caller decides), the best partial matches among the
    /// visible documents. Only visible documents count in the fallback's choices, so its
    /// answer tells nothing of the others.
    pub fn matching<S: Subject>(
        &self,
        text: &str,
        lang: Option<Language>,
        visible: impl Fn(&Hit<S>) -> bool,
        enough: usize,
    ) -> Result<Matched<S>, SearchError> {
        let is_enough =
            |hits: &[Hit<S>]| hits.iter().filter(|h| visible(h)).take(enough).count() >= enough;
        let user_query = UserQuery::parse_in(text, "query", lang)?;
        let mut analyzers = self.inner.analyzers.clone();
        let (_, lexicon) = self.lexicon();
        let searcher = self.inner.reader.searcher();
        // A word no document holds also matches as its nearest spelling that a document
        // the searcher may see holds, so the choice tells nothing of the others.
        let respelled = spelling::respellings(
            &searcher,
            &self.inner.fields,
            &mut analyzers,
            &lexicon,
            &user_query,
            |hits: &[Hit<S>]| hits.iter().any(&visible),
        )?;
        let hits = self.hits_of::<S>(&user_query, text, lang, &respelled)?;
        let respelled_any = !respelled.is_empty();
        if is_enough(&hits) {
            return Ok(Matched {
                hits,
                left_out: Vec::new(),
                respelled: respelled_any,
            });
        }
        let words: Vec<matching::Clause> = matching::clauses(
            &self.inner.fields,
            &mut analyzers,
            &self.inner.automata,
            &lexicon,
            &respelled,
            &user_query,
        )?
        .into_iter()
        .filter(|c| c.required)
        .collect();
        if words.len() < 2 {
            return Ok(Matched {
                hits,
                left_out: Vec::new(),
                respelled: respelled_any,
            });
        }
        let mut each: Vec<HashMap<S, f32>> = Vec::with_capacity(words.len());
        for word in &words {
            let found = searcher.search(word.query.as_ref(), &AllHits::<S>(PhantomData))?;
            each.push(
                found
                    .into_iter()
                    .filter(|h| visible(h))
                    .map(|h| (h.id, h.score))
                    .collect(),
            );
        }
        // A question ("how do I deal with exam stress"): three words or more as typed,
        // stop words too, of which the required ones may be as few as two. In a
        // sentence the field's words carry its subject; in a short query every word may
        // ("hogeschool zoekland": the rarer name is what is wanted).
        let question = user_query.items.len() >= ANY_WORD_FROM;
        let order = leaving_order(
            &each
                .iter()
                .zip(&words)
                .map(|(found, word)| (found.len(), question && word.of_the_field))
                .collect::<Vec<_>>(),
        );
        // Partial hits are all visible: the fallback must find more than these.
        let seen = hits.iter().filter(|h| visible(h)).count();
        for dropped in 1..words.len() {
            let kept: Vec<usize> = (0..words.len())
                .filter(|i| !order[..dropped].contains(i))
                .collect();
            let partial = tiered(&each, &kept);
            // A step that finds no more than every word did is no fallback.
            if partial.len() <= seen {
                continue;
            }
            if is_enough(&partial) || dropped == words.len() - 1 {
                let mut left: Vec<usize> = order[..dropped].to_vec();
                left.sort_unstable();
                return Ok(Matched {
                    hits: partial,
                    left_out: left.into_iter().map(|i| words[i].shown.clone()).collect(),
                    respelled: respelled_any,
                });
            }
        }
        // Even the rarest word alone finds too little. A query of three required words
        // or more ("ik slaap slecht door stress") is answered in part by documents that match
        // any of its words, those matching more of them first; of two words, one alone
        // says too little ("student tafel" does not list every page about students).
        let any = if words.len() >= ANY_WORD_FROM {
            tiered_any(&each)
        } else {
            Vec::new()
        };
        if any.len() > seen {
            let lacking: Vec<String> = (0..words.len())
                .filter(|&i| any.iter().any(|h| !each[i].contains_key(&h.id)))
                .map(|i| words[i].shown.clone())
                .collect();
            return Ok(Matched {
                hits: any,
                left_out: lacking,
                respelled: respelled_any,
            });
        }
        Ok(Matched {
            hits,
            left_out: Vec::new(),
            respelled: respelled_any,
        })
    }
}

/// How many required words a query needs before documents matching any one of them
/// answer it in part, and how many words as typed (stop words too) make it a question,
/// whose words of the field are left out last.
const ANY_WORD_FROM: usize = 3;

/// The documents matching any of the words, each scored by every word it matches.
fn tiered_any<S: Subject>(each: &[HashMap<S, f32>]) -> Vec<Hit<S>> {
    let mut scored: HashMap<S, (usize, f32)> = HashMap::new();
    for scores in each {
        for (id, s) in scores {
            let e = scored.entry(*id).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += s;
        }
    }
    scored
        .into_iter()
        .map(|(id, (words, text))| Hit {
            id,
            score: ranking::tiered(words, text),
        })
        .collect()
}

/// The order in which words are left out, given how many documents each matches and
/// whether it counts as a word of the field (a term of the lexicon, in a question):
/// those matching nothing first, then everyday words before the field's, each the most
/// frequent first, the later typed first among equals. "how do I deal with exam stress" leaves out "deal"
/// although "exam stress" (with "tentamenstress" and its other equivalents) is found
/// more often.
fn leaving_order(words: &[(usize, bool)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..words.len()).collect();
    order.sort_by_key(|&i| {
        let (matches, of_the_field) = words[i];
        (matches > 0, of_the_field, Reverse(matches), Reverse(i))
    });
    order
}

/// The documents matching every word of `kept`, each scored by every word it matches.
fn tiered<S: Subject>(each: &[HashMap<S, f32>], kept: &[usize]) -> Vec<Hit<S>> {
    let Some((&rarest, others)) = kept
        .iter()
        .min_by_key(|&&i| each[i].len())
        .map(|r| (r, kept))
    else {
        return Vec::new();
    };
    each[rarest]
        .keys()
        .filter(|id| others.iter().all(|&i| each[i].contains_key(id)))
        .map(|id| {
            let (words, text) = each
                .iter()
                .filter_map(|scores| scores.get(id))
                .fold((0, 0.0), |(n, sum), s| (n + 1, sum + s));
            Hit {
                id: *id,
                score: ranking::tiered(words, text),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use kb_domain::InitiativeId;

    use super::*;
    use crate::fixture::index;

    fn ids(m: &Matched<InitiativeId>) -> Vec<i64> {
        let mut hits = m.hits.clone();
        hits.sort_by(crate::best_first);
        hits.iter().map(|h| h.id.0).collect()
    }

    #[test]
    fn a_word_no_document_holds_is_left_out_and_said() {
        let index = index();
        let all = |_: &Hit<InitiativeId>| true;
        // No document says "hulp": requiring it finds nothing; the money document follows.
        let m = index
            .matching::<InitiativeId>("hulp bij geldzorgen", None, all, 1)
            .expect("search");
        assert_eq!(ids(&m), vec![6]);
        assert_eq!(m.left_out, vec!["hulp".to_owned()]);
        // Enough without leaving anything out: nothing is said.
        let m = index
            .matching::<InitiativeId>("geldzorgen schulden", None, all, 1)
            .expect("search");
        assert_eq!(ids(&m), vec![6]);
        assert!(m.left_out.is_empty());
    }

    #[test]
    fn leaving_words_out_that_finds_nothing_more_says_nothing() {
        let index = index();
        let all = |_: &Hit<InitiativeId>| true;
        // Only 6 says "geldzorgen", and it says "schulden" too: leaving either out finds
        // no other document, so the one full match stands alone.
        let m = index
            .matching::<InitiativeId>("geldzorgen schulden", None, all, 5)
            .expect("search");
        assert_eq!(ids(&m), vec![6]);
        assert!(m.left_out.is_empty());
    }

    #[test]
    fn hits_matching_more_words_come_first() {
        let index = index();
        // Never enough: the search leaves out words down to the last one.
        let all = |_: &Hit<InitiativeId>| true;
        // "suïcide" is in 3 and 5, "docenten" in 2 and 3: 3 holds both. Equally frequent,
        // the later typed leaves first; 5 follows 3, which matches both words.
        let m = index
            .matching::<InitiativeId>("suïcide docenten", None, all, usize::MAX)
            .expect("search");
        assert_eq!(ids(&m), vec![3, 5]);
        assert_eq!(m.left_out, vec!["docenten".to_owned()]);
        // "campus" is in 3 only: leaving out the others finds nothing more than 3, so
        // with three words the documents matching any of them follow it, each of which
        // lacks two of the words.
        let m = index
            .matching::<InitiativeId>("suïcide docenten campus", None, all, usize::MAX)
            .expect("search");
        assert_eq!(ids(&m)[0], 3);
        let mut rest = ids(&m)[1..].to_vec();
        rest.sort_unstable();
        assert_eq!(rest, vec![2, 5]);
        assert_eq!(m.left_out, vec!["suïcide", "docenten", "campus"]);
        // Of two words, one alone is no answer: only what matches both.
        let m = index
            .matching::<InitiativeId>("docenten campus", None, all, usize::MAX)
            .expect("search");
        assert_eq!(ids(&m), vec![3]);
        assert!(m.left_out.is_empty());
    }

    #[test]
    fn documents_the_searcher_may_not_see_play_no_part() {
        let index = index();
        let hidden = |h: &Hit<InitiativeId>| h.id != InitiativeId(6);
        let m = index
            .matching::<InitiativeId>("schulden docenten", None, hidden, 1)
            .expect("search");
        // "schulden" is only in 6: hidden, it counts as matching nothing and goes first.
        assert_eq!(m.left_out, vec!["schulden".to_owned()]);
        // "docenten" in the title's neighbour, the summary, of 3 scores above the body of 2.
        assert_eq!(ids(&m), vec![3, 2]);
        let all = |_: &Hit<InitiativeId>| true;
        let m = index
            .matching::<InitiativeId>("schulden docenten", None, all, 1)
            .expect("search");
        // Seen, "schulden" (in 1 document) is kept and "docenten" (in 2) goes.
        assert_eq!(m.left_out, vec!["docenten".to_owned()]);
        assert_eq!(ids(&m), vec![6]);
    }

    #[test]
    fn words_matching_nothing_go_first_then_the_most_frequent_then_the_later() {
        // "hulp bij geldzorgen" without the stop word: "hulp" in 12, "geldzorgen" in 2.
        assert_eq!(leaving_order(&[(12, false), (2, true)]), vec![0, 1]);
        // A word matching nothing goes before any other.
        assert_eq!(
            leaving_order(&[(5, false), (0, true), (40, false)]),
            vec![1, 2, 0]
        );
        // Equals: the later typed first.
        assert_eq!(
            leaving_order(&[(3, false), (3, false), (3, false)]),
            vec![2, 1, 0]
        );
        // "deal" (in 4) goes before "exam stress" (in 5), a word of the field.
        assert_eq!(leaving_order(&[(4, false), (5, true)]), vec![0, 1]);
        assert_eq!(leaving_order(&[(5, true), (4, false)]), vec![1, 0]);
    }
}
