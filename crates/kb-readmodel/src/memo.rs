//! Answers of the store kept in memory until the next change.
//!
//! The store answers all viewers of one kind alike (`kb_store::access::Reading`: the
//! public and partners, one organisation's contributors, editors, admins), so what it
//! answered one of them (an initiative's row, its themes, organisations, events and
//! links) answers the next one of that kind too, until anything changes; callers key
//! their answers by that kind. A [`Memo`] keeps such answers by key; every change the read
//! model applies, published or not, starts a new *generation*, and a memo of an older
//! generation is empty. An answer read from SQL is kept only if no change was applied
//! between the start of that read and its keeping, so a memo never holds what the
//! database no longer says once the model has caught up with it.
//!
//! A full memo lets go of the answer used least recently, so the answers most asked for
//! stay however many others pass through.

use std::collections::HashMap;
use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::Mutex;

use lru::LruCache;

/// Answers by key, of one generation of the read model, at most `capacity` of them.
#[derive(Debug)]
pub struct Memo<K: Hash + Eq, V> {
    inner: Mutex<Kept<K, V>>,
}

#[derive(Debug)]
struct Kept<K: Hash + Eq, V> {
    generation: u64,
    by_key: LruCache<K, V>,
}

impl<K: Hash + Eq + Clone, V: Clone> Memo<K, V> {
    /// An empty memo that keeps at most `capacity` answers (at least one); when full, the
    /// one used least recently goes.
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self {
            inner: Mutex::new(Kept {
                generation: 0,
                by_key: LruCache::new(capacity),
            }),
        }
    }

    /// The answers kept for `keys` in `generation`, and the keys without one.
    pub fn get(&self, generation: u64, keys: &[K]) -> (HashMap<K, V>, Vec<K>) {
        // A panic while holding the lock leaves only a map of clones behind: usable.
        let mut kept = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if kept.generation < generation {
            kept.by_key.clear();
            kept.generation = generation;
        }
        let mut found = HashMap::with_capacity(keys.len());
        let mut missing = Vec::new();
        // A reader of an older generation finds nothing.
        let current = kept.generation == generation;
        for k in keys {
            match kept.by_key.get(k).filter(|_| current) {
                Some(v) => {
                    found.insert(k.clone(), v.clone());
                }
                None => missing.push(k.clone()),
            }
        }
        (found, missing)
    }

    /// Keeps `answers`, read in `generation`, if `current` (the model's generation, asked
    /// while the memo is locked) is still that one.
    pub fn keep(
        &self,
        generation: u64,
        current: impl FnOnce() -> u64,
        answers: impl IntoIterator<Item = (K, V)>,
    ) {
        let mut kept = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if current() != generation || kept.generation > generation {
            return;
        }
        if kept.generation < generation {
            kept.by_key.clear();
            kept.generation = generation;
        }
        for (k, v) in answers {
            kept.by_key.put(k, v);
        }
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |k| k.by_key.len())
    }

    /// Whether no answer is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_within_a_generation() {
        let m: Memo<u32, &str> = Memo::new(10);
        let (found, missing) = m.get(1, &[1, 2]);
        assert!(found.is_empty());
        assert_eq!(missing, vec![1, 2]);
        m.keep(1, || 1, [(1, "one")]);
        let (found, missing) = m.get(1, &[1, 2]);
        assert_eq!(found.get(&1), Some(&"one"));
        assert_eq!(missing, vec![2]);
    }

    #[test]
    fn a_new_generation_forgets_everything() {
        let m: Memo<u32, &str> = Memo::new(10);
        m.keep(1, || 1, [(1, "one")]);
        let (found, missing) = m.get(2, &[1]);
        assert!(found.is_empty());
        assert_eq!(missing, vec![1]);
        assert!(m.is_empty());
    }

    #[test]
    fn an_answer_read_before_a_change_is_not_kept() {
        let m: Memo<u32, &str> = Memo::new(10);
        // Read in generation 1; a change was applied (2) before keeping it.
        m.keep(1, || 2, [(1, "stale")]);
        assert_eq!(m.get(2, &[1]).1, vec![1]);
        assert_eq!(m.len(), 0);
    }

    #[test]
    fn past_capacity_the_least_recently_used_answer_goes_and_a_recently_used_one_stays() {
        let m: Memo<u32, u32> = Memo::new(2);
        m.keep(1, || 1, [(1, 1), (2, 2)]);
        // 1 is asked for after 2 was kept, so 2 is the least recently used.
        assert_eq!(m.get(1, &[1]).0.get(&1), Some(&1));
        m.keep(1, || 1, [(3, 3)]);
        assert_eq!(m.len(), 2);
        let (found, missing) = m.get(1, &[1, 2, 3]);
        assert_eq!((found.get(&1), found.get(&3)), (Some(&1), Some(&3)));
        assert_eq!(missing, vec![2]);
    }

    #[test]
    fn an_answer_of_an_older_generation_is_never_served() {
        let m: Memo<u32, &str> = Memo::new(10);
        m.keep(2, || 2, [(1, "new")]);
        // A reader still at generation 1 does not get generation 2's answer.
        assert_eq!(m.get(1, &[1]).1, vec![1]);
        // Nor is an answer read in generation 1 kept beside generation 2's.
        m.keep(1, || 1, [(2, "old")]);
        assert_eq!(m.get(2, &[1, 2]).1, vec![2]);
        // And once generation 3 begins, generation 2's answers are gone.
        assert_eq!(m.get(3, &[1]).1, vec![1]);
        assert!(m.is_empty());
    }
}
