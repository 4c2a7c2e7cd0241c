//! Counting the SQL statements of one unit of work (a request) across the tasks it runs
//! on: the count lives in a task-local scope, which work handed to another task carries
//! along with [`StatementScope::carry`].

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

tokio::task_local! {
    static COUNT: Arc<AtomicU64>;
}

/// Runs `work` and returns its output with the number of SQL statements it ran (those of
/// the work it carried to other tasks included).
pub async fn counting_statements<F: Future>(work: F) -> (F::Output, u64) {
    let count = Arc::new(AtomicU64::new(0));
    let output = COUNT.scope(count.clone(), work).await;
    (output, count.load(Ordering::Relaxed))
}

/// The statement count of the work running now, to carry into another task.
#[derive(Debug, Clone)]
pub struct StatementScope(Arc<AtomicU64>);

impl StatementScope {
    /// The scope of the current task, if it counts its statements.
    pub fn current() -> Option<Self> {
        COUNT.try_with(|c| Self(c.clone())).ok()
    }

    /// Runs `work` counting its statements in this scope.
    pub async fn carry<F: Future>(self, work: F) -> F::Output {
        COUNT.scope(self.0, work).await
    }
}

/// Connections the pool closed because they came back inside a transaction they could
/// not end (see `durability`), since the process started.
static DISCARDED: AtomicU64 = AtomicU64::new(0);

/// How many connections the pool closed for coming back inside a transaction.
pub fn discarded_connections() -> u64 {
    DISCARDED.load(Ordering::Relaxed)
}

pub(crate) fn count_discarded() {
    DISCARDED.fetch_add(1, Ordering::Relaxed);
}

/// Counts one statement in the current scope, if there is one.
pub(crate) fn count_one() {
    let _outside_any_scope = COUNT.try_with(|c| c.fetch_add(1, Ordering::Relaxed));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn statements_are_counted_in_their_scope_and_in_tasks_it_is_carried_to() {
        let ((), n) = counting_statements(async {
            count_one();
            count_one();
            let scope = StatementScope::current().expect("a scope");
            tokio::spawn(scope.carry(async { count_one() }))
                .await
                .expect("task");
            // Not carried: not counted.
            tokio::spawn(async { count_one() }).await.expect("task");
        })
        .await;
        assert_eq!(n, 3);
        assert!(StatementScope::current().is_none());
        count_one();
    }
}
