//! Timing and memory helpers.

use std::time::{Duration, Instant};

/// Resident set size of this process in bytes (from `/proc/self/statm`;
/// 0 where that does not exist).
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Memory one object costs, in bytes: the growth of the resident set while
/// `count` of them are made and kept alive.
///
/// A first batch of `count` is made (and kept) before measuring, so that
/// memory the allocator already holds (freed by earlier work) is used up
/// and the measured batch has to grow the heap.
pub fn bytes_per_instance<T>(count: usize, mut make: impl FnMut() -> T) -> f64 {
    let first: Vec<T> = (0..count).map(|_| make()).collect();
    let before = rss_bytes();
    let second: Vec<T> = (0..count).map(|_| make()).collect();
    let after = rss_bytes();
    drop((first, second));
    after.saturating_sub(before) as f64 / count.max(1) as f64
}

/// Returns the allocator's free memory to the operating system (glibc's
/// `malloc_trim`; nothing elsewhere).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only releases memory glibc's allocator holds
        // free; it is safe to call at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// How long to measure one metric.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Stop sampling after this much time (at least `min_runs` are taken).
    pub time: Duration,
    /// Fewest timed runs.
    pub min_runs: usize,
    /// Most timed runs.
    pub max_runs: usize,
}

impl Budget {
    /// A budget for operations of microseconds: many runs, short time.
    pub fn fast(scale: f64) -> Budget {
        Budget {
            time: Duration::from_secs_f64(0.4 * scale),
            min_runs: 20,
            max_runs: 20_000,
        }
    }

    /// A budget for operations of milliseconds.
    pub fn slow(scale: f64) -> Budget {
        Budget {
            time: Duration::from_secs_f64(1.0 * scale),
            min_runs: 5,
            max_runs: 200,
        }
    }
}

/// Collects timings of repeated runs under a [`Budget`]; the first few
/// runs warm caches and are not counted.
///
/// ```ignore
/// let mut sampler = Sampler::new(budget);
/// while sampler.more() {
///     let start = Instant::now();
///     work().await?;
///     sampler.record(start.elapsed());
/// }
/// let median = sampler.median();
/// ```
#[derive(Debug)]
pub struct Sampler {
    budget: Budget,
    warm_up: usize,
    times: Vec<Duration>,
    started: Option<Instant>,
}

impl Sampler {
    /// A sampler that warms up for a few runs, then times runs until the
    /// budget is spent.
    pub fn new(budget: Budget) -> Sampler {
        Sampler {
            budget,
            warm_up: budget.min_runs.min(5),
            times: Vec::new(),
            started: None,
        }
    }

    /// True while another run should be made.
    pub fn more(&mut self) -> bool {
        if self.warm_up > 0 {
            return true;
        }
        let started = *self.started.get_or_insert_with(Instant::now);
        self.times.len() < self.budget.max_runs
            && (self.times.len() < self.budget.min_runs || started.elapsed() < self.budget.time)
    }

    /// Records one run's time (ignored while warming up).
    pub fn record(&mut self, took: Duration) {
        if self.warm_up > 0 {
            self.warm_up -= 1;
        } else {
            self.times.push(took);
        }
    }

    /// The median of the recorded runs (zero if none).
    pub fn median(&mut self) -> Duration {
        self.times.sort();
        self.times
            .get(self.times.len() / 2)
            .copied()
            .unwrap_or_default()
    }
}
