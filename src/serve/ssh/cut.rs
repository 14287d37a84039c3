//! A TCP stream that can be cut from outside. russh owns the stream of a connection and may
//! be blocked writing to a client that stopped reading; cutting makes every read and write
//! fail at once, so the connection ends however stuck it is.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::task::AtomicWaker;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// The switch shared by a connection's stream and its watchdog.
#[derive(Debug, Default)]
pub struct Cut {
    done: AtomicBool,
    reader: AtomicWaker,
    writer: AtomicWaker,
}

impl Cut {
    pub fn new() -> Arc<Cut> {
        Arc::new(Cut::default())
    }

    /// Fails every pending and later read and write of the stream.
    pub fn cut(&self) {
        self.done.store(true, Ordering::SeqCst);
        self.reader.wake();
        self.writer.wake();
    }

    fn is_cut(&self) -> bool {
        self.done.load(Ordering::SeqCst)
    }
}

/// A `TcpStream` that stops working once its `Cut` is cut.
pub struct CutStream {
    inner: TcpStream,
    cut: Arc<Cut>,
}

impl CutStream {
    pub fn new(inner: TcpStream, cut: Arc<Cut>) -> CutStream {
        CutStream { inner, cut }
    }
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection closed by the server",
    )
}

impl AsyncRead for CutStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        // Register first, so a cut between the check and the inner poll still wakes us.
        this.cut.reader.register(cx.waker());
        if this.cut.is_cut() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CutStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.cut.writer.register(cx.waker());
        if this.cut.is_cut() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.cut.writer.register(cx.waker());
        if this.cut.is_cut() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.cut.is_cut() {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_blocked_read_and_a_blocked_write_fail_when_cut() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // The peer connects and then neither reads nor writes.
        let _peer = TcpStream::connect(addr).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let cut = Cut::new();
        let mut s = CutStream::new(server, cut.clone());
        let (mut r, mut w) = tokio::io::split(&mut s);
        let reading = async {
            let mut b = [0u8; 16];
            r.read(&mut b).await
        };
        let writing = async {
            // Far more than the socket buffers hold: blocks until cut.
            let chunk = vec![0u8; 1 << 16];
            loop {
                w.write_all(&chunk).await?;
            }
            #[allow(unreachable_code)]
            Ok::<(), io::Error>(())
        };
        let cutting = async {
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            cut.cut();
        };
        let (read, write, ()) = tokio::join!(reading, writing, cutting);
        assert_eq!(read.unwrap_err().kind(), io::ErrorKind::ConnectionAborted);
        assert_eq!(write.unwrap_err().kind(), io::ErrorKind::ConnectionAborted);
    }
}
