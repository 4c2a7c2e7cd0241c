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
use async_graphql::futures_util::future::BoxFuture;
use tokio::sync::Notify;

use crate::loaders::Loaders;

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
        let flag = Arc::new(FlagWaker {
            inner: cx.waker().clone(),
            woken: AtomicBool::new(false),
        });
        let waker = Waker::from(flag.clone());
        let r = self.inner.as_mut().poll(&mut Context::from_waker(&waker));
        if r.is_pending() && !flag.woken.load(Ordering::SeqCst) {
            self.gate.went_idle();
        }
        r
    }
}

impl<F> Drop for Tracked<F> {
    fn drop(&mut self) {
        // A dropped request (a timeout) releases batches still waiting for it.
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
}

/// A loader for one request whose batches start when the request goes idle, and the
/// gate to run that request through.
pub(crate) fn request_loader(loaders: Loaders) -> (DataLoader<Loaders>, RequestGate) {
    let gate = Arc::new(IdleGate::default());
    let spawn_gate = gate.clone();
    let loader = DataLoader::new(loaders, move |batch: BoxFuture<'static, ()>| {
        let gate = spawn_gate.clone();
        let seen = gate.idle.load(Ordering::SeqCst);
        tokio::spawn(async move {
            gate.idle_after(seen).await;
            batch.await;
        })
    })
    .delay(Duration::ZERO);
    (loader, RequestGate(gate))
}
