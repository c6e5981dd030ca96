//! A bounded in-memory byte pipe between two concurrently running commands.
//!
//! The writer waits while the pipe is full and the reader waits while it is
//! empty, so a fast producer cannot fill memory. When the last writer is
//! dropped the reader sees end of file; when the reader is dropped, writers
//! get [`BrokenPipe`], which the WASI layer turns into the writer's death by
//! SIGPIPE — this is what makes `yes | head -1` return.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// Default pipe capacity: Linux's default pipe buffer.
pub const DEFAULT_PIPE_CAPACITY: usize = 64 * 1024;

/// The reader of a pipe is gone; nothing written can ever be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokenPipe;

#[derive(Debug)]
struct State {
    buf: VecDeque<u8>,
    capacity: usize,
    writers: usize,
    reader_open: bool,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when data arrives or the last writer leaves.
    readable: Notify,
    /// Signalled when space frees up or the reader leaves.
    writable: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the byte queue in an
        // inconsistent state, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Creates a pipe holding at most `capacity` unread bytes.
pub fn pipe(capacity: usize) -> (PipeWriter, PipeReader) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            buf: VecDeque::new(),
            capacity: capacity.max(1),
            writers: 1,
            reader_open: true,
        }),
        readable: Notify::new(),
        writable: Notify::new(),
    });
    (
        PipeWriter {
            shared: shared.clone(),
        },
        PipeReader { shared },
    )
}

/// The write end of a pipe. Cloning adds a writer; the reader sees end of
/// file once every writer is dropped.
#[derive(Debug)]
pub struct PipeWriter {
    shared: Arc<Shared>,
}

impl PipeWriter {
    /// Writes some of `data`, waiting while the pipe is full. Returns how
    /// many bytes were accepted (at least one unless `data` is empty).
    pub async fn write(&self, data: &[u8]) -> Result<usize, BrokenPipe> {
        if data.is_empty() {
            return Ok(0);
        }
        loop {
            let notified = self.shared.writable.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut state = self.shared.lock();
                if !state.reader_open {
                    return Err(BrokenPipe);
                }
                let room = state.capacity.saturating_sub(state.buf.len());
                if room > 0 {
                    let n = room.min(data.len());
                    state.buf.extend(&data[..n]);
                    drop(state);
                    self.shared.readable.notify_waiters();
                    return Ok(n);
                }
            }
            notified.await;
        }
    }

    /// Writes all of `data`, waiting as needed.
    pub async fn write_all(&self, mut data: &[u8]) -> Result<(), BrokenPipe> {
        while !data.is_empty() {
            let n = self.write(data).await?;
            data = &data[n..];
        }
        Ok(())
    }

    /// True once the reader is gone.
    pub fn is_broken(&self) -> bool {
        !self.shared.lock().reader_open
    }
}

impl Clone for PipeWriter {
    fn clone(&self) -> PipeWriter {
        self.shared.lock().writers += 1;
        PipeWriter {
            shared: self.shared.clone(),
        }
    }
}

impl Drop for PipeWriter {
    fn drop(&mut self) {
        let last = {
            let mut state = self.shared.lock();
            state.writers -= 1;
            state.writers == 0
        };
        if last {
            self.shared.readable.notify_waiters();
        }
    }
}

/// The read end of a pipe.
#[derive(Debug)]
pub struct PipeReader {
    shared: Arc<Shared>,
}

impl PipeReader {
    /// Reads into `out`, waiting while the pipe is empty and a writer is
    /// left. Returns 0 at end of file.
    pub async fn read(&mut self, out: &mut [u8]) -> usize {
        if out.is_empty() {
            return 0;
        }
        loop {
            let notified = self.shared.readable.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut state = self.shared.lock();
                if !state.buf.is_empty() {
                    let n = out.len().min(state.buf.len());
                    let (a, b) = state.buf.as_slices();
                    let from_a = n.min(a.len());
                    out[..from_a].copy_from_slice(&a[..from_a]);
                    out[from_a..n].copy_from_slice(&b[..n - from_a]);
                    state.buf.drain(..n);
                    drop(state);
                    self.shared.writable.notify_waiters();
                    return n;
                }
                if state.writers == 0 {
                    return 0;
                }
            }
            notified.await;
        }
    }

    /// Reads everything until end of file.
    pub async fn read_to_end(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut chunk = vec![0; 16 * 1024];
        loop {
            let n = self.read(&mut chunk).await;
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&chunk[..n]);
        }
    }
}

impl Drop for PipeReader {
    fn drop(&mut self) {
        {
            let mut state = self.shared.lock();
            state.reader_open = false;
            state.buf.clear();
        }
        self.shared.writable.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn transfers_more_than_capacity_between_tasks() {
        let (writer, mut reader) = pipe(7);
        let data: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
        let expected = data.clone();
        let producer = tokio::spawn(async move { writer.write_all(&data).await });
        let got = reader.read_to_end().await;
        producer.await.unwrap().unwrap();
        assert_eq!(got, expected);
    }

    #[tokio::test]
    async fn dropped_reader_breaks_a_blocked_writer() {
        let (writer, reader) = pipe(4);
        let producer = tokio::spawn(async move { writer.write_all(&[1; 100]).await });
        tokio::task::yield_now().await;
        drop(reader);
        assert_eq!(producer.await.unwrap(), Err(BrokenPipe));
    }

    #[tokio::test]
    async fn eof_only_after_every_writer_is_gone() {
        let (writer, mut reader) = pipe(16);
        let second = writer.clone();
        writer.write_all(b"a").await.unwrap();
        drop(writer);
        second.write_all(b"b").await.unwrap();
        drop(second);
        assert_eq!(reader.read_to_end().await, b"ab");
    }
}
