//! Graceful shutdown: the signals that start it, the word every subscriber is given when
//! it begins, and the connections the drain waits for until its deadline.
//!
//! axum's graceful shutdown stops accepting and waits for the HTTP connections it serves,
//! however long they take, and knows nothing of WebSockets (an upgraded connection has
//! left it). So the server counts every connection it accepted, WebSockets included,
//! tells subscribers to leave, and stops waiting at `--shutdown-grace-secs`.

use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The shutdown of one server: begun once, awaited by whatever has to end with it.
#[derive(Debug, Clone)]
pub struct Shutdown(watch::Sender<bool>);

impl Default for Shutdown {
    fn default() -> Self {
        Self(watch::Sender::new(false))
    }
}

impl Shutdown {
    /// Begins the shutdown; what awaits [`Shutdown::begun`] goes on.
    pub fn begin(&self) {
        self.0.send_replace(true);
    }

    /// Completes once the shutdown has begun, at once if it has.
    pub async fn begun(&self) {
        // `self` holds the sender, so the channel cannot close while this waits.
        let _ = self.0.subscribe().wait_for(|begun| *begun).await;
    }
}

/// The number of connections open: every one accepted, HTTP or upgraded to a WebSocket,
/// until it is dropped.
#[derive(Debug, Clone)]
pub(crate) struct Connections(watch::Sender<usize>);

impl Default for Connections {
    fn default() -> Self {
        Self(watch::Sender::new(0))
    }
}

impl Connections {
    /// How many are open now.
    pub(crate) fn open(&self) -> usize {
        *self.0.borrow()
    }

    /// Completes when none is open.
    pub(crate) async fn closed(&self) {
        let _ = self.0.subscribe().wait_for(|open| *open == 0).await;
    }

    fn opened(&self) -> Opened {
        self.0.send_modify(|open| *open += 1);
        Opened(self.0.clone())
    }
}

/// One open connection in [`Connections`]; dropping it closes it there.
#[derive(Debug)]
struct Opened(watch::Sender<usize>);

impl Drop for Opened {
    fn drop(&mut self) {
        self.0.send_modify(|open| *open -= 1);
    }
}

/// A TCP listener whose connections count in [`Connections`] as long as they are open.
#[derive(Debug)]
pub(crate) struct CountedListener {
    listener: TcpListener,
    connections: Connections,
}

impl CountedListener {
    pub(crate) fn new(listener: TcpListener, connections: Connections) -> Self {
        Self {
            listener,
            connections,
        }
    }
}

impl axum::serve::Listener for CountedListener {
    type Io = CountedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // axum's accept retries and logs the errors of accepting.
        let (stream, address) = axum::serve::Listener::accept(&mut self.listener).await;
        let counted = CountedStream {
            stream,
            _opened: self.connections.opened(),
        };
        (counted, address)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

/// A TCP connection, counted while it is open.
#[derive(Debug)]
pub(crate) struct CountedStream {
    stream: TcpStream,
    _opened: Opened,
}

impl AsyncRead for CountedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for CountedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_connection_counts_until_it_is_dropped() {
        let connections = Connections::default();
        let a = connections.opened();
        let b = connections.opened();
        assert_eq!(connections.open(), 2);
        drop(a);
        assert_eq!(connections.open(), 1);
        let closed = tokio::spawn({
            let connections = connections.clone();
            async move { connections.closed().await }
        });
        drop(b);
        closed.await.expect("closed");
        assert_eq!(connections.open(), 0);
    }

    #[tokio::test]
    async fn whoever_waits_for_the_shutdown_goes_on_when_it_begins() {
        let shutdown = Shutdown::default();
        let waiting = tokio::spawn({
            let shutdown = shutdown.clone();
            async move { shutdown.begun().await }
        });
        shutdown.begin();
        waiting.await.expect("begun");
        // Who asks later goes on at once.
        shutdown.begun().await;
    }
}
