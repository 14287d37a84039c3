//! What a session writes, carried to its channel: stdout as channel data, stderr as extended
//! data 1, and the exit status followed by EOF and close.
//!
//! Each channel has its own two tasks and no lock shared with any other channel, so a slow
//! client delays only itself. The writer never hands russh more than the client's SSH window
//! allows (russh would queue the rest without limit); what waits beyond the window is counted
//! here. A session's `out` is unbounded (the sessions never wait for a client), so the bound
//! is enforced by ending the session: when more than `cap` bytes wait and the client has taken
//! nothing for `stall`, or when more than `HARD_FACTOR × cap` wait at all, the session's input
//! is dropped (which ends it) and the channel is closed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::server::Msg;
use russh::ChannelWriteHalf;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::sync::watch;

use crate::serve::{SessionInput, SessionOutput};

/// However fast the client reads, at most this many times the cap may wait.
pub const HARD_FACTOR: usize = 16;
/// How long a channel's last messages (exit status, EOF, close) may take to leave.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// The session's input sender, shared by the connection (which feeds it) and the output
/// tasks (which drop it to end a session whose client stopped reading).
pub type InputSlot = Arc<Mutex<Option<UnboundedSender<SessionInput>>>>;

/// The back-pressure limits of one channel.
#[derive(Debug, Clone, Copy)]
pub struct OutputLimits {
    pub cap: usize,
    pub stall: Duration,
}

/// Starts carrying `out` to the channel. The tasks end when the session exits, when it is
/// ended for not being read, or when `closed` fires (the client closed the channel or the
/// connection ended: its sender is dropped).
pub fn spawn(
    write: ChannelWriteHalf<Msg>,
    out: UnboundedReceiver<SessionOutput>,
    input: InputSlot,
    closed: watch::Receiver<()>,
    limits: OutputLimits,
    label: String,
) {
    let shared = Arc::new(Shared {
        waiting: AtomicUsize::new(0),
        last_progress: Mutex::new(Instant::now()),
    });
    let (tx, rx) = unbounded_channel();
    tokio::spawn(pump(
        out,
        tx,
        shared.clone(),
        input,
        closed.clone(),
        limits,
        label.clone(),
    ));
    tokio::spawn(writer(write, rx, shared, closed, label));
}

struct Shared {
    /// Bytes taken from the session and not yet handed to russh.
    waiting: AtomicUsize,
    /// When the writer last handed bytes to russh (the client had window for them).
    last_progress: Mutex<Instant>,
}

enum Item {
    Out(SessionOutput),
    /// The session was ended for not being read: close without an exit status.
    Abort,
}

/// Moves the session's output to the writer, counting it, and ends the session when too
/// much waits.
async fn pump(
    mut out: UnboundedReceiver<SessionOutput>,
    tx: UnboundedSender<Item>,
    shared: Arc<Shared>,
    input: InputSlot,
    mut closed: watch::Receiver<()>,
    limits: OutputLimits,
    label: String,
) {
    loop {
        let item = tokio::select! {
            item = out.recv() => item,
            _ = closed.changed() => return,
        };
        let Some(item) = item else {
            tracing::warn!("{label}: the session ended without an exit status");
            let _ = tx.send(Item::Abort);
            return;
        };
        let exit = matches!(item, SessionOutput::Exit(_));
        if let SessionOutput::Stdout(b) | SessionOutput::Stderr(b) = &item {
            let before = shared.waiting.fetch_add(b.len(), Ordering::SeqCst);
            let waiting = before + b.len();
            let stalled = {
                let mut last = shared
                    .last_progress
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                if before == 0 {
                    // Nothing was waiting: the client cannot have been slow until now.
                    *last = Instant::now();
                }
                last.elapsed()
            };
            if over(waiting, stalled, limits) {
                tracing::warn!(
                    "{label}: {waiting} bytes wait for a client that has read nothing for {:.1} s; \
                     the session is ended",
                    stalled.as_secs_f64()
                );
                input.lock().unwrap_or_else(|e| e.into_inner()).take();
                let _ = tx.send(Item::Abort);
                return;
            }
        }
        if tx.send(Item::Out(item)).is_err() || exit {
            return;
        }
    }
}

/// Whether `waiting` bytes, the client having taken nothing for `stalled`, is too much.
fn over(waiting: usize, stalled: Duration, limits: OutputLimits) -> bool {
    waiting > limits.cap.saturating_mul(HARD_FACTOR)
        || (waiting > limits.cap && stalled >= limits.stall)
}

/// Writes to the channel as fast as the client's window allows.
async fn writer(
    write: ChannelWriteHalf<Msg>,
    mut rx: UnboundedReceiver<Item>,
    shared: Arc<Shared>,
    mut closed: watch::Receiver<()>,
    label: String,
) {
    let mut stdout = write.make_writer_ext(None);
    let mut stderr = write.make_writer_ext(Some(1));
    let work = async {
        while let Some(item) = rx.recv().await {
            let (sink, bytes) = match item {
                Item::Out(SessionOutput::Stdout(b)) => (&mut stdout, b),
                Item::Out(SessionOutput::Stderr(b)) => (&mut stderr, b),
                Item::Out(SessionOutput::Exit(code)) => {
                    let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
                        write.exit_status(code).await?;
                        write.eof().await?;
                        write.close().await
                    })
                    .await;
                    return;
                }
                Item::Abort => {
                    let _ = tokio::time::timeout(CLOSE_TIMEOUT, write.close()).await;
                    return;
                }
            };
            // Handed over in window-sized pieces; each piece is progress.
            let mut rest: &[u8] = &bytes;
            while !rest.is_empty() {
                match sink.write(rest).await {
                    Ok(0) | Err(_) => {
                        tracing::debug!("{label}: the channel is gone");
                        return;
                    }
                    Ok(n) => {
                        rest = &rest[n..];
                        shared.waiting.fetch_sub(n, Ordering::SeqCst);
                        *shared
                            .last_progress
                            .lock()
                            .unwrap_or_else(|e| e.into_inner()) = Instant::now();
                    }
                }
            }
            let _ = sink.flush().await;
        }
    };
    tokio::select! {
        () = work => {}
        _ = closed.changed() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn over_the_cap_only_when_the_client_has_stalled_or_far_over() {
        let l = OutputLimits {
            cap: 1000,
            stall: 500 * MS,
        };
        assert!(!over(1000, 10_000 * MS, l), "at the cap is fine");
        assert!(!over(1001, 499 * MS, l), "over the cap but reading");
        assert!(over(1001, 500 * MS, l), "over the cap and stalled");
        assert!(!over(16_000, Duration::ZERO, l));
        assert!(
            over(16_001, Duration::ZERO, l),
            "far over, however fast it reads"
        );
    }
}
