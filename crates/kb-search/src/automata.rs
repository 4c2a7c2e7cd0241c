//! The automata of a word's inexact matches (one typo, or a prefix), built once per word
//! and shared: by the word's five parts in one query, and by later queries for the same
//! word.
//!
//! Building a Levenshtein automaton costs as much as searching a small index with it, and
//! tantivy's `FuzzyTermQuery` builds one per field and per query. An automaton depends on
//! the word alone (not on the field or the index's content), so one kept here is never
//! stale; the cache only bounds how many are kept.

use std::fmt;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};

use lru::LruCache;
use tantivy::Term;
use tantivy::query::{AutomatonWeight, DfaWrapper, EnableScoring, FuzzyTermQuery, Query, Weight};
use tantivy::schema::Field;

/// How many automata are kept: words searched for recently, each a few kilobytes.
const KEPT: NonZeroUsize = NonZeroUsize::new(2048).expect("non-zero");

/// Which inexact match an automaton accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Inexact {
    /// The word with one edit: a letter added, removed or replaced, or two neighbours
    /// swapped.
    Typo,
    /// Any word that starts with the word.
    Prefix,
}

/// The kept automata, shared by every search of one index.
pub(crate) struct Automata {
    kept: Mutex<LruCache<(Inexact, String), Arc<DfaWrapper>>>,
}

impl Default for Automata {
    fn default() -> Self {
        Automata {
            kept: Mutex::new(LruCache::new(KEPT)),
        }
    }
}

impl Automata {
    /// The automaton of `word` (folded), built if it is not kept.
    pub(crate) fn get(&self, kind: Inexact, word: &str) -> tantivy::Result<Arc<DfaWrapper>> {
        let key = (kind, word.to_owned());
        if let Some(found) = self.lock().get(&key) {
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
        self.lock().put(key, built.clone());
        Ok(built)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<(Inexact, String), Arc<DfaWrapper>>> {
        // The cache holds no invariant a panic elsewhere could break.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The terms of `field` an automaton accepts, each scoring 1 (boosted by the caller),
/// like `FuzzyTermQuery` but with an automaton built beforehand.
#[derive(Clone)]
pub(crate) struct AutomatonQuery {
    pub(crate) field: Field,
    pub(crate) automaton: Arc<DfaWrapper>,
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
        Ok(Box::new(AutomatonWeight::<DfaWrapper>::new(
            self.field,
            self.automaton.clone(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
