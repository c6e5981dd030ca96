//! An in-memory output sink with a byte cap.

use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, Default)]
struct Buffer {
    bytes: Vec<u8>,
    truncated: bool,
}

/// Collects a command's output in memory, up to a limit.
///
/// Clones share the buffer, so the caller keeps one clone and reads the
/// result after the command ends. When a write would pass the limit, the
/// part that fits is kept, the buffer is marked truncated and the write
/// reports [`LimitReached`]; the runtime then stops the command.
#[derive(Debug, Clone)]
pub struct Capture {
    buffer: Arc<Mutex<Buffer>>,
    limit: u64,
}

/// The capture's byte limit was reached; the output was truncated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitReached {
    /// The limit in bytes.
    pub limit: u64,
}

impl Capture {
    /// A capture holding at most `limit` bytes.
    pub fn new(limit: u64) -> Capture {
        Capture {
            buffer: Arc::default(),
            limit,
        }
    }

    /// A capture without a limit (bounded only by memory).
    pub fn unlimited() -> Capture {
        Capture::new(u64::MAX)
    }

    fn lock(&self) -> MutexGuard<'_, Buffer> {
        // Appending to a Vec cannot leave it inconsistent; ignore poisoning.
        self.buffer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends `data`, keeping what fits under the limit.
    pub fn write(&self, data: &[u8]) -> Result<(), LimitReached> {
        let mut buffer = self.lock();
        let room = self.limit.saturating_sub(buffer.bytes.len() as u64);
        if (data.len() as u64) <= room {
            buffer.bytes.extend_from_slice(data);
            Ok(())
        } else {
            buffer.bytes.extend_from_slice(&data[..room as usize]);
            buffer.truncated = true;
            Err(LimitReached { limit: self.limit })
        }
    }

    /// Takes the collected bytes, leaving the capture empty.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.lock().bytes)
    }

    /// True if output was dropped because of the limit.
    pub fn truncated(&self) -> bool {
        self.lock().truncated
    }

    /// Number of bytes collected so far.
    pub fn len(&self) -> usize {
        self.lock().bytes.len()
    }

    /// True if nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_fits_and_reports_the_limit() {
        let capture = Capture::new(5);
        capture.write(b"abc").unwrap();
        assert_eq!(capture.write(b"defg"), Err(LimitReached { limit: 5 }));
        assert!(capture.truncated());
        assert_eq!(capture.take(), b"abcde");
    }
}
