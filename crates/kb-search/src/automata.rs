//! The automata of a word's inexact matches (one typo, or a prefix), built once per word
//! and shared: by the word's five parts in one query, and by later queries for the same
//! word.
//!
//! Building a Levenshtein automaton costs as much as searching a small index with it, and
//! tantivy's `FuzzyTermQuery` builds one per field and per query. An automaton depends on
//! the word alone (not on the field or the index's content), so one kept here is never
//! stale; the cache only bounds the memory the kept ones take.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use lru::LruCache;
use tantivy::Term;
use tantivy::query::{AutomatonWeight, DfaWrapper, EnableScoring, FuzzyTermQuery, Query, Weight};
use tantivy::schema::Field;
use tantivy_fst::Automaton;

use crate::lock;

/// The memory the kept automata may take, by [`Inexact::estimated_bytes`].
const KEPT_BYTES: usize = 16 << 20;

/// Which inexact match an automaton accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Inexact {
    /// The word with one edit: a letter added, removed or replaced, or two neighbours
    /// swapped.
    Typo,
    /// Any word that starts with the word.
    Prefix,
}

impl Inexact {
    /// About how much memory the automaton of a word of `chars` characters takes: each
    /// of its states has a table of 256 transitions, and a typo automaton has about
    /// seven states per letter, a prefix automaton one (measured with levenshtein_automata
    /// 0.2: 66 KB for the typo automaton of a word of 6 letters, 170 KB for one of 22).
    fn estimated_bytes(self, chars: usize) -> usize {
        let per_char = match self {
            Inexact::Typo => 7 * 1024,
            Inexact::Prefix => 1024,
        };
        (chars + 2) * per_char + 16 * 1024
    }
}

/// The kept automata, shared by every search of one index: the least recently used go
/// first once they take more than [`KEPT_BYTES`] (a thousand or so words).
pub(crate) struct Automata {
    kept: Mutex<Kept>,
}

struct Kept {
    automata: LruCache<(Inexact, String), Arc<DfaWrapper>>,
    bytes: usize,
}

impl Default for Automata {
    fn default() -> Self {
        Automata {
            kept: Mutex::new(Kept {
                automata: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }
}

impl Automata {
    /// The automaton of `word` (folded), built if it is not kept.
    pub(crate) fn get(&self, kind: Inexact, word: &str) -> tantivy::Result<Arc<DfaWrapper>> {
        let key = (kind, word.to_owned());
        if let Some(found) = self.lock().automata.get(&key) {
            return Ok(found.clone());
        }
        // Built outside the lock: a build takes far longer than a look-up. The field of
        // the term plays no part in the automaton.
        let term = Term::from_field_text(Field::from_field_id(0), word);
        let query = match kind {
            Inexact::Typo => FuzzyTermQuery::new(term, 1, true),
            Inexact::Prefix => FuzzyTermQuery::new_prefix(term, 0, false),
        };
        let built = Arc::new(query.automaton()?);
        let bytes = kind.estimated_bytes(word.chars().count());
        let mut kept = self.lock();
        if kept.automata.put(key, built.clone()).is_none() {
            kept.bytes += bytes;
        }
        while kept.bytes > KEPT_BYTES {
            let Some(((kind, word), _)) = kept.automata.pop_lru() else {
                break;
            };
            kept.bytes = kept
                .bytes
                .saturating_sub(kind.estimated_bytes(word.chars().count()));
        }
        Ok(built)
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        lock(&self.kept)
    }
}

/// The terms of `field` an automaton accepts, each scoring 1 (boosted by the caller),
/// like `FuzzyTermQuery` but with an automaton built beforehand; with `besides`, every
/// one but that word.
#[derive(Clone)]
pub(crate) struct AutomatonQuery {
    pub(crate) field: Field,
    pub(crate) automaton: Arc<DfaWrapper>,
    /// A word the query leaves to another clause: a word's typo and prefix automata
    /// accept the word itself, whose documents its exact clause finds already. Reading
    /// its postings again, into a bit set of every document of the segment, in each part
    /// of the text, cost most of an inexact clause for a frequent word.
    pub(crate) besides: Option<Arc<str>>,
}

/// An automaton that accepts what `inner` accepts except one word.
struct Besides {
    inner: Arc<DfaWrapper>,
    word: Arc<str>,
}

impl Automaton for Besides {
    /// The inner state, and how many bytes of the word the input has matched so far;
    /// `None` once it differs.
    type State = (u32, Option<usize>);

    fn start(&self) -> Self::State {
        (self.inner.start(), Some(0))
    }

    fn is_match(&self, state: &Self::State) -> bool {
        self.inner.is_match(&state.0) && state.1 != Some(self.word.len())
    }

    fn can_match(&self, state: &Self::State) -> bool {
        self.inner.can_match(&state.0)
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let same = state
            .1
            .filter(|&at| self.word.as_bytes().get(at) == Some(&byte))
            .map(|at| at + 1);
        (self.inner.accept(&state.0, byte), same)
    }
}

impl fmt::Debug for AutomatonQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AutomatonQuery")
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
}

impl Query for AutomatonQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(match &self.besides {
            None => Box::new(AutomatonWeight::<DfaWrapper>::new(
                self.field,
                self.automaton.clone(),
            )),
            Some(word) => Box::new(AutomatonWeight::<Besides>::new(
                self.field,
                Besides {
                    inner: self.automaton.clone(),
                    word: word.clone(),
                },
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts<A: Automaton>(automaton: &A, word: &str) -> bool {
        let state = word
            .bytes()
            .fold(automaton.start(), |s, b| automaton.accept(&s, b));
        automaton.is_match(&state)
    }

    #[test]
    fn an_automaton_besides_a_word_accepts_all_it_accepts_but_the_word() {
        let automata = Automata::default();
        for (kind, others) in [
            (Inexact::Typo, ["netwerc", "netwerkk", "entwerk"]),
            (Inexact::Prefix, ["netwerken", "netwerkdag", "netwerks"]),
        ] {
            let inner = automata.get(kind, "netwerk").expect("built");
            assert!(accepts(inner.as_ref(), "netwerk"), "{kind:?}");
            let besides = Besides {
                inner,
                word: "netwerk".into(),
            };
            assert!(!accepts(&besides, "netwerk"), "{kind:?}");
            for other in others {
                assert!(accepts(&besides, other), "{kind:?} {other}");
            }
            assert!(!accepts(&besides, "netwe"), "{kind:?}");
            assert!(!accepts(&besides, "zandwerk"), "{kind:?}");
        }
    }

    #[test]
    fn an_automaton_is_built_once_per_word_and_kind() {
        let automata = Automata::default();
        let a = automata.get(Inexact::Typo, "netwerk").expect("built");
        let b = automata.get(Inexact::Typo, "netwerk").expect("kept");
        assert!(Arc::ptr_eq(&a, &b));
        let prefix = automata.get(Inexact::Prefix, "netwerk").expect("built");
        assert!(!Arc::ptr_eq(&a, &prefix));
        let other = automata.get(Inexact::Typo, "netwerken").expect("built");
        assert!(!Arc::ptr_eq(&a, &other));
    }

    #[test]
    fn the_least_recently_used_go_once_the_kept_ones_take_too_much_memory() {
        let automata = Automata::default();
        let first = automata.get(Inexact::Typo, "eerste").expect("built");
        let words = KEPT_BYTES / Inexact::Typo.estimated_bytes(12) + 1;
        for i in 0..words {
            automata
                .get(Inexact::Typo, &format!("woord{i:07}"))
                .expect("built");
        }
        let kept = automata.lock();
        assert!(kept.bytes <= KEPT_BYTES);
        assert!(kept.automata.len() < words);
        assert!(
            !kept
                .automata
                .contains(&(Inexact::Typo, "eerste".to_owned()))
        );
        drop(kept);
        let again = automata.get(Inexact::Typo, "eerste").expect("built again");
        assert!(!Arc::ptr_eq(&first, &again));
    }
}
