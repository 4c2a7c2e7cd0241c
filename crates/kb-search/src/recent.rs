//! The hits of recent searches, kept until the index changes.
//!
//! A visitor who searches goes on to page through the results and to narrow them by a
//! facet, and each of those asks the index the same text again; a frontend or a partner
//! tool does the same. So the hits of a search (every matching document with its score,
//! before anyone's visibility or filter is applied: the callers apply those) are kept
//! for the searcher they were found with. A commit gives the index a new searcher, and
//! the first search on it empties what was kept, so a kept answer is never older than
//! the index it is read from.

use std::sync::{Arc, Mutex, MutexGuard};

use kb_domain::lang::Language;
use lru::LruCache;

use crate::{DocType, Hit, Subject, lock};

/// Most searches kept.
const MAX_SEARCHES: usize = 256;
/// Most hits kept over all searches (16 bytes each): a search matching the whole of a
/// large index is kept alone, and one larger than this not at all.
const MAX_HITS: usize = 1 << 20;

/// What a search is kept by: its type, its language, its text as given, the generation
/// of the lexicon it was read with, and the spellings its unknown words were read as.
pub(crate) type Key = (
    DocType,
    Option<Language>,
    String,
    u64,
    Vec<(String, String)>,
);

/// A kept search's hits: row ids and scores.
type Kept = Arc<[(i64, f32)]>;

#[derive(Default)]
pub(crate) struct RecentHits {
    kept: Mutex<Recent>,
}

struct Recent {
    /// The searcher generation the kept hits were found with.
    generation: u64,
    searches: LruCache<Key, Kept>,
    hits: usize,
}

impl Default for Recent {
    fn default() -> Self {
        Recent {
            generation: 0,
            searches: LruCache::unbounded(),
            hits: 0,
        }
    }
}

impl Recent {
    /// Moves on to searcher `generation`: what was kept for an earlier one goes.
    /// Whether `generation` is the current one (not an older searcher's).
    fn at(&mut self, generation: u64) -> bool {
        if generation > self.generation {
            self.searches.clear();
            self.hits = 0;
            self.generation = generation;
        }
        generation == self.generation
    }
}

impl RecentHits {
    /// The hits kept for `key` on searcher `generation`.
    pub(crate) fn get<S: Subject>(&self, generation: u64, key: &Key) -> Option<Vec<Hit<S>>> {
        let mut recent = self.lock();
        if !recent.at(generation) {
            return None;
        }
        let kept = recent.searches.get(key)?;
        Some(
            kept.iter()
                .map(|&(row, score)| Hit {
                    id: S::from_row(row),
                    score,
                })
                .collect(),
        )
    }

    /// Keeps the hits of `key` found on searcher `generation`.
    pub(crate) fn keep<S: Subject>(&self, generation: u64, key: Key, hits: &[Hit<S>]) {
        if hits.len() > MAX_HITS {
            return;
        }
        let kept: Kept = hits.iter().map(|h| (h.id.row(), h.score)).collect();
        let mut recent = self.lock();
        if !recent.at(generation) {
            return;
        }
        recent.hits += kept.len();
        if let Some(replaced) = recent.searches.put(key, kept) {
            recent.hits -= replaced.len();
        }
        while recent.hits > MAX_HITS || recent.searches.len() > MAX_SEARCHES {
            let Some((_, gone)) = recent.searches.pop_lru() else {
                break;
            };
            recent.hits -= gone.len();
        }
    }

    /// Forgets every kept search (the lexicon changed).
    pub(crate) fn clear(&self) {
        let mut recent = self.lock();
        recent.searches.clear();
        recent.hits = 0;
    }

    /// How many searches are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().searches.len()
    }

    fn lock(&self) -> MutexGuard<'_, Recent> {
        lock(&self.kept)
    }
}
