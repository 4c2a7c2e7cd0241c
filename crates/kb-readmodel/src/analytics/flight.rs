//! One computation per question at a time. Right after a change nothing is kept, and a
//! page asked by many readers at once would otherwise count the same table, map or
//! centrality once for each of them (sixteen PageRanks side by side on two cores). The
//! first to ask computes; those who ask the same while it runs wait for its answer.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

/// A computation's answer once it is there, shared by all who wait for it.
type Flight<V> = Arc<OnceCell<V>>;

/// The computations running, by change-log position and key.
pub(super) struct Flights<K, V> {
    running: Mutex<HashMap<(i64, K), Flight<V>>>,
}

impl<K, V> Default for Flights<K, V> {
    fn default() -> Self {
        Flights {
            running: Mutex::new(HashMap::new()),
        }
    }
}

impl<K, V> fmt::Debug for Flights<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let running = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        f.debug_struct("Flights")
            .field("running", &running)
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V: Clone> Flights<K, V> {
    /// The answer of `compute` for `key` at `position`, computed once for everyone who
    /// asks while it runs. A failure is the failing caller's alone: the next one waiting
    /// computes afresh. A caller that goes away while computing hands the work to the
    /// next one waiting.
    pub(super) async fn once<E, F, Fut>(&self, position: i64, key: K, compute: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let at = (position, key);
        let cell = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(at.clone())
            .or_default()
            .clone();
        let answer = cell.get_or_try_init(compute).await.cloned();
        // Done: later callers find the answer where the computation kept it, or compute
        // anew. Those still waiting hold this flight themselves.
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if running.get(&at).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            running.remove(&at);
        }
        answer
    }

    /// How many computations run now.
    #[cfg(test)]
    fn running(&self) -> usize {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_who_ask_the_same_at_once_share_one_computation() {
        let flights = Arc::new(Flights::<&str, Arc<u64>>::default());
        let computed = Arc::new(AtomicUsize::new(0));
        let mut asked = Vec::new();
        for _ in 0..16 {
            let (flights, computed) = (flights.clone(), computed.clone());
            asked.push(tokio::spawn(async move {
                flights
                    .once(7, "table", || async {
                        computed.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        Ok::<_, String>(Arc::new(42))
                    })
                    .await
            }));
        }
        let mut answers = Vec::new();
        for a in asked {
            answers.push(a.await.expect("the task ends").expect("an answer"));
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        assert!(
            answers
                .iter()
                .all(|a| Arc::ptr_eq(a, &answers[0]) && **a == 42)
        );
        assert_eq!(flights.running(), 0);
    }

    #[tokio::test]
    async fn other_keys_and_other_positions_are_other_computations() {
        let flights = Flights::<&str, u64>::default();
        let a = flights.once(1, "a", || async { Ok::<_, ()>(1) }).await;
        let b = flights.once(1, "b", || async { Ok::<_, ()>(2) }).await;
        let c = flights.once(2, "a", || async { Ok::<_, ()>(3) }).await;
        assert_eq!((a, b, c), (Ok(1), Ok(2), Ok(3)));
        assert_eq!(flights.running(), 0);
    }

    #[tokio::test]
    async fn a_failure_is_not_kept_and_the_next_caller_computes() {
        let flights = Flights::<&str, u64>::default();
        let failed = flights.once(1, "a", || async { Err::<u64, _>("no") }).await;
        let next = flights.once(1, "a", || async { Ok::<_, &str>(5) }).await;
        assert_eq!((failed, next), (Err("no"), Ok(5)));
        assert_eq!(flights.running(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_that_goes_away_hands_the_work_to_the_next() {
        let flights = Arc::new(Flights::<&str, u64>::default());
        let leaving = {
            let flights = flights.clone();
            tokio::spawn(async move {
                flights
                    .once(1, "a", || async {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        Ok::<_, ()>(1)
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let waiting = {
            let flights = flights.clone();
            tokio::spawn(async move { flights.once(1, "a", || async { Ok::<_, ()>(2) }).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        leaving.abort();
        let answer = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the waiting caller is not left waiting")
            .expect("the task ends");
        assert_eq!(answer, Ok(2));
        assert_eq!(flights.running(), 0);
    }
}
