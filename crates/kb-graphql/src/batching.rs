//! Deterministic batching. A dataloader normally waits a fixed delay for more keys, so
//! on a busy machine one level of a query can split into several batches. Here a batch
//! waits instead until the request it belongs to has gone idle: every resolver of the
//! level has then asked for its key, so each relation level is exactly one store call.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use async_graphql::dataloader::DataLoader;
use async_graphql::futures_util::Stream;
use async_graphql::futures_util::future::BoxFuture;
use tokio::sync::Notify;

/// Counts the times the request has gone idle (returned `Pending`).
#[derive(Default)]
struct IdleGate {
    idle: AtomicU64,
    notify: Notify,
}

impl IdleGate {
    fn went_idle(&self) {
        self.idle.fetch_add(1, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Completes once the request has gone idle after `seen`.
    async fn idle_after(&self, seen: u64) {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.idle.load(Ordering::SeqCst) > seen {
                return;
            }
            notified.await;
        }
    }
}

/// A request's future that reports to its gate whenever it waits on something outside
/// itself. A poll that ends with the future waking itself (a combinator yielding to be
/// fair to other tasks) is not idle: more of its resolvers are about to run.
struct Tracked<F> {
    inner: Pin<Box<F>>,
    gate: Arc<IdleGate>,
}

/// Wraps the task's waker to notice a wake that happens during a poll.
struct FlagWaker {
    inner: Waker,
    woken: AtomicBool,
}

impl Wake for FlagWaker {
    fn wake(self: Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
}

impl<F: Future> Future for Tracked<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let gate = self.gate.clone();
        poll_tracked(&gate, cx, |cx| self.inner.as_mut().poll(cx))
    }
}

impl<F> Drop for Tracked<F> {
    fn drop(&mut self) {
        // A dropped request (a timeout) releases batches still waiting for it.
        self.gate.went_idle();
    }
}

/// Polls `poll` with a waker that notices a wake during the poll, and tells `gate`
/// when the poll ends pending without one: the request then waits on something outside
/// itself.
fn poll_tracked<R>(
    gate: &IdleGate,
    cx: &mut Context<'_>,
    poll: impl FnOnce(&mut Context<'_>) -> Poll<R>,
) -> Poll<R> {
    let flag = Arc::new(FlagWaker {
        inner: cx.waker().clone(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(flag.clone());
    let r = poll(&mut Context::from_waker(&waker));
    if r.is_pending() && !flag.woken.load(Ordering::SeqCst) {
        gate.went_idle();
    }
    r
}

/// A subscription's stream, which reports to its gate as [`Tracked`] does: between two
/// items it waits on the change log, and the loads of each item batch as a request's.
struct TrackedStream<S> {
    inner: Pin<Box<S>>,
    gate: Arc<IdleGate>,
}

impl<S: Stream> Stream for TrackedStream<S> {
    type Item = S::Item;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let gate = self.gate.clone();
        poll_tracked(&gate, cx, |cx| self.inner.as_mut().poll_next(cx))
    }
}

impl<S> Drop for TrackedStream<S> {
    fn drop(&mut self) {
        self.gate.went_idle();
    }
}

/// Runs one request so that its loader's batches start when it goes idle.
pub(crate) struct RequestGate(Arc<IdleGate>);

impl RequestGate {
    pub(crate) async fn run<F: Future>(self, fut: F) -> F::Output {
        Tracked {
            inner: Box::pin(fut),
            gate: self.0,
        }
        .await
    }

    /// The same for a subscription's stream of responses.
    pub(crate) fn run_stream<S: Stream>(self, stream: S) -> impl Stream<Item = S::Item> {
        TrackedStream {
            inner: Box::pin(stream),
            gate: self.0,
        }
    }
}

/// A loader for one request whose batches start when the request goes idle, and the
/// gate to run that request through.
pub(crate) fn request_loader<T: Send + Sync + 'static>(loader: T) -> (DataLoader<T>, RequestGate) {
    let gate = Arc::new(IdleGate::default());
    let spawn_gate = gate.clone();
    let loader = DataLoader::new(loader, move |batch: BoxFuture<'static, ()>| {
        let gate = spawn_gate.clone();
        let seen = gate.idle.load(Ordering::SeqCst);
        // The batch's statements count among the request's.
        let scope = kb_store::StatementScope::current();
        tokio::spawn(async move {
            gate.idle_after(seen).await;
            match scope {
                Some(scope) => scope.carry(batch).await,
                None => batch.await,
            }
        })
    })
    .delay(Duration::ZERO);
    (loader, RequestGate(gate))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use async_graphql::dataloader::Loader;
    use async_graphql::futures_util::future::{join, join3};

    use super::*;

    /// Records the batches it is asked to load; every key maps to itself.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<Vec<u32>>>>);

    impl Recorder {
        fn batches(&self) -> Vec<Vec<u32>> {
            self.0.lock().expect("lock").clone()
        }
    }

    impl Loader<u32> for Recorder {
        type Value = u32;
        type Error = ();

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, ()> {
            let mut keys = keys.to_vec();
            keys.sort_unstable();
            self.0.lock().expect("lock").push(keys.clone());
            Ok(keys.into_iter().map(|k| (k, k)).collect())
        }
    }

    /// Gives way once, waking itself at once, as a combinator does that yields to be
    /// fair (tokio's `yield_now` defers its wake-up, which is not the case here).
    async fn yield_once() {
        let mut yielded = false;
        std::future::poll_fn(|cx| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await
    }

    #[tokio::test]
    async fn loads_in_one_tick_are_one_batch() {
        let recorder = Recorder::default();
        let (loader, gate) = request_loader(recorder.clone());
        let (a, b, c) = gate
            .run(join3(
                loader.load_one(1),
                loader.load_one(2),
                loader.load_many([3, 4]),
            ))
            .await;
        assert_eq!((a, b), (Ok(Some(1)), Ok(Some(2))));
        assert_eq!(c.map(|m| m.len()), Ok(2));
        assert_eq!(recorder.batches(), [vec![1, 2, 3, 4]]);
    }

    #[tokio::test]
    async fn a_batch_waits_while_the_request_is_busy() {
        let recorder = Recorder::default();
        let (loader, gate) = request_loader(recorder.clone());
        // The second key is asked for after many polls that all had more work to do:
        // the request never waited on anything, so the first batch has not started.
        let late = async {
            for _ in 0..20 {
                yield_once().await;
            }
            loader.load_one(2).await
        };
        let (a, b) = gate.run(join(loader.load_one(1), late)).await;
        assert_eq!((a, b), (Ok(Some(1)), Ok(Some(2))));
        assert_eq!(recorder.batches(), [vec![1, 2]]);
    }

    #[tokio::test]
    async fn a_batch_starts_when_the_request_goes_idle() {
        let recorder = Recorder::default();
        let (loader, gate) = request_loader(recorder.clone());
        // A load that depends on the one before can only come in the next batch; that
        // it comes at all shows the first batch started once the request waited on it.
        let r = gate
            .run(async {
                let first = loader.load_one(1).await?;
                loader.load_one(first.unwrap_or_default() + 1).await
            })
            .await;
        assert_eq!(r, Ok(Some(2)));
        assert_eq!(recorder.batches(), [vec![1], vec![2]]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_request_releases_its_batches() {
        let recorder = Recorder::default();
        let (loader, gate) = request_loader(recorder.clone());
        // A request that is always busy never goes idle; when a timeout drops it, the
        // batch it started must still run rather than wait forever.
        let busy = async {
            loop {
                yield_once().await;
            }
        };
        let request = gate.run(join(loader.load_one(1), busy));
        assert!(
            tokio::time::timeout(Duration::from_millis(20), request)
                .await
                .is_err()
        );
        for _ in 0..100 {
            if !recorder.batches().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(recorder.batches(), [vec![1]]);
    }
}
