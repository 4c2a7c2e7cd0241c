//! Answers of the published view kept in memory until the next change.
//!
//! Anonymous readers and partners all see the same published knowledge bank, so what the
//! store answered one of them (an initiative's row, its themes, organisations, events and
//! links) answers the next one too, until anything changes. A [`Memo`] keeps such answers
//! by key; every change the read model applies starts a new *generation*, and a memo of an
//! older generation is empty. An answer read from SQL is kept only if no change was
//! applied between the start of that read and its keeping, so a memo never holds what the
//! database no longer says once the model has caught up with it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Answers by key, of one generation of the read model, at most `capacity` of them.
#[derive(Debug)]
pub struct Memo<K, V> {
    inner: Mutex<Kept<K, V>>,
    capacity: usize,
}

#[derive(Debug)]
struct Kept<K, V> {
    generation: u64,
    by_key: HashMap<K, V>,
}

impl<K: Hash + Eq + Clone, V: Clone> Memo<K, V> {
    /// An empty memo that keeps at most `capacity` answers; when full, it starts afresh.
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(Kept {
                generation: 0,
                by_key: HashMap::new(),
            }),
            capacity,
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
        for k in keys {
            // A reader of an older generation finds nothing.
            match kept.by_key.get(k).filter(|_| kept.generation == generation) {
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
    pub fn keep<'a>(
        &self,
        generation: u64,
        current: impl FnOnce() -> u64,
        answers: impl IntoIterator<Item = (&'a K, &'a V)>,
    ) where
        K: 'a,
        V: 'a,
    {
        let mut kept = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if current() != generation {
            return;
        }
        if kept.generation < generation {
            kept.by_key.clear();
            kept.generation = generation;
        }
        for (k, v) in answers {
            if kept.by_key.len() >= self.capacity {
                kept.by_key.clear();
            }
            kept.by_key.insert(k.clone(), v.clone());
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
        m.keep(1, || 1, [(&1, &"one")]);
        let (found, missing) = m.get(1, &[1, 2]);
        assert_eq!(found.get(&1), Some(&"one"));
        assert_eq!(missing, vec![2]);
    }

    #[test]
    fn a_new_generation_forgets_everything() {
        let m: Memo<u32, &str> = Memo::new(10);
        m.keep(1, || 1, [(&1, &"one")]);
        let (found, missing) = m.get(2, &[1]);
        assert!(found.is_empty());
        assert_eq!(missing, vec![1]);
        assert!(m.is_empty());
    }

    #[test]
    fn an_answer_read_before_a_change_is_not_kept() {
        let m: Memo<u32, &str> = Memo::new(10);
        // Read in generation 1; a change was applied (2) before keeping it.
        m.keep(1, || 2, [(&1, &"stale")]);
        assert_eq!(m.get(2, &[1]).1, vec![1]);
        assert_eq!(m.len(), 0);
    }

    #[test]
    fn a_full_memo_starts_afresh() {
        let m: Memo<u32, u32> = Memo::new(2);
        m.keep(1, || 1, [(&1, &1), (&2, &2)]);
        assert_eq!(m.len(), 2);
        m.keep(1, || 1, [(&3, &3)]);
        assert_eq!(m.len(), 1);
        assert_eq!(m.get(1, &[3]).0.get(&3), Some(&3));
    }
}
