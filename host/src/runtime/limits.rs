//! Per-command resource limits.

use std::fmt;
use std::time::Duration;
use wasmtime::ResourceLimiter;

/// What one guest command may use. The defaults are generous: they exist to
/// stop runaway or hostile commands, not to constrain normal work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time before the command is stopped with status 124, like
    /// `timeout(1)`. Default: 10 minutes.
    pub timeout: Option<Duration>,
    /// Largest linear memory of the guest, in bytes. Default: 1 GiB.
    pub memory_bytes: u64,
    /// Largest captured stdout or stderr, in bytes (each); a command writing
    /// more is stopped and its output truncated. Default: 64 MiB.
    pub output_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            timeout: Some(Duration::from_secs(600)),
            memory_bytes: 1 << 30,
            output_bytes: 64 << 20,
        }
    }
}

/// The guest tried to grow its memory past [`Limits::memory_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryLimitExceeded {
    /// The limit in bytes.
    pub limit: u64,
    /// The size the guest asked for, in bytes.
    pub requested: u64,
}

impl fmt::Display for MemoryLimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "memory limit of {} exceeded (asked for {})",
            human_bytes(self.limit),
            human_bytes(self.requested)
        )
    }
}

impl std::error::Error for MemoryLimitExceeded {}

/// Formats a byte count the way people read it (`512 MiB`).
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Enforces the memory cap. Growth past the cap traps at once with
/// [`MemoryLimitExceeded`] instead of failing `memory.grow`: a Rust guest
/// would abort anyway, and the trap lets the runtime say precisely why.
pub(crate) struct GuestLimiter {
    pub(crate) memory_bytes: u64,
    pub(crate) table_elements: usize,
}

impl ResourceLimiter for GuestLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired as u64 > self.memory_bytes {
            return Err(wasmtime::Error::new(MemoryLimitExceeded {
                limit: self.memory_bytes,
                requested: desired as u64,
            }));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= self.table_elements)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        4
    }

    fn memories(&self) -> usize {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_sizes_for_people() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(64 << 20), "64 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }

    #[test]
    fn growth_past_the_cap_traps_with_the_reason() {
        let mut limiter = GuestLimiter {
            memory_bytes: 1 << 20,
            table_elements: 10,
        };
        assert!(limiter.memory_growing(0, 1 << 20, None).unwrap());
        let err = limiter.memory_growing(0, 2 << 20, None).unwrap_err();
        let exceeded = err.downcast_ref::<MemoryLimitExceeded>().unwrap();
        assert_eq!(exceeded.requested, 2 << 20);
        assert!(!limiter.table_growing(0, 11, None).unwrap());
    }
}
