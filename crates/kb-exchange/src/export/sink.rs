//! Where an export's text goes: chunks sent down a channel to a [`Chunks`] stream (the
//! server's body), or a writer (a file, stdout). The writers gather text into a buffer
//! and hand it on a chunk at a time, so what is held stays small.

use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use tokio::sync::mpsc;

/// Bytes gathered before they are sent on as one chunk.
const CHUNK: usize = 64 * 1024;

/// The text of an export as it is written, a buffer at a time.
pub(super) struct Sink {
    buf: Vec<u8>,
    out: Out,
}

pub(super) enum Out {
    Channel(mpsc::Sender<std::io::Result<Vec<u8>>>),
    Writer(Box<dyn Write + Send>),
}

impl Sink {
    pub(super) fn new(out: Out) -> Self {
        Self {
            buf: Vec::with_capacity(CHUNK),
            out,
        }
    }

    pub(super) fn text(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// The text gathered so far, to write into.
    pub(super) fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// Sends what was gathered once it makes a chunk.
    pub(super) async fn flush_if_full(&mut self) -> anyhow::Result<()> {
        if self.buf.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> anyhow::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        match &mut self.out {
            Out::Channel(tx) => tx
                .send(Ok(chunk))
                .await
                .map_err(|_| anyhow::anyhow!("the client stopped reading"))?,
            Out::Writer(w) => w.write_all(&chunk)?,
        }
        Ok(())
    }

    pub(super) async fn finish(mut self) -> anyhow::Result<()> {
        self.flush().await?;
        if let Out::Writer(w) = &mut self.out {
            w.flush()?;
        }
        Ok(())
    }
}

/// The chunks of an export as a writer task sends them, in order; an error ends a
/// transfer that broke off. Once ended, the stream answers that it has ended however often
/// it is asked again, as a compressing layer of the server does (an `unfold` stream would
/// panic there).
#[derive(Debug)]
pub struct Chunks(mpsc::Receiver<std::io::Result<Vec<u8>>>);

impl From<mpsc::Receiver<std::io::Result<Vec<u8>>>> for Chunks {
    /// The chunks sent into `rx`.
    fn from(rx: mpsc::Receiver<std::io::Result<Vec<u8>>>) -> Self {
        Self(rx)
    }
}

impl Stream for Chunks {
    type Item = std::io::Result<Vec<u8>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().0.poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn a_stream_that_ended_keeps_saying_so() {
        let (tx, rx) = mpsc::channel(4);
        tx.send(Ok(b"id,slug\r\n".to_vec())).await.expect("sent");
        drop(tx);
        let mut chunks = Chunks::from(rx);
        let first = chunks.next().await.map(|c| c.expect("a chunk"));
        assert_eq!(first.as_deref(), Some(b"id,slug\r\n".as_slice()));
        for _ in 0..3 {
            assert!(chunks.next().await.is_none());
        }
    }

    #[tokio::test]
    async fn text_goes_on_in_chunks_once_it_fills_one() {
        let (tx, mut rx) = mpsc::channel(4);
        let mut sink = Sink::new(Out::Channel(tx));
        sink.text("kort");
        sink.flush_if_full().await.expect("kept");
        assert!(
            rx.try_recv().is_err(),
            "nothing sent before a chunk is full"
        );
        sink.buf().extend(std::iter::repeat_n(b'x', CHUNK));
        sink.flush_if_full().await.expect("sent");
        let chunk = rx.recv().await.expect("a chunk").expect("no error");
        assert_eq!(chunk.len(), CHUNK + 4);
        assert!(chunk.starts_with(b"kortx"));
        sink.text("rest");
        sink.finish().await.expect("finished");
        let rest = rx.recv().await.expect("the rest").expect("no error");
        assert_eq!(rest, b"rest");
        assert!(rx.recv().await.is_none());
    }
}
