//! Limits that keep a script from exhausting the host.
//!
//! Every limit ends the script with a clear message on stderr and a
//! non-zero status instead of letting it run away. The defaults are
//! generous: no agent script comes near them.

use std::time::Duration;

/// Resource limits of one `exec` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most commands (simple and compound) one call may run. Default: 10
    /// million.
    pub max_commands: u64,
    /// Most iterations of any single loop. Default: 10 million.
    pub max_loop_iterations: u64,
    /// Deepest nesting of function calls, `source`, `eval` and command
    /// substitutions. Default: 200 (bash's default `FUNCNEST` is unlimited,
    /// but its C stack gives out near a few thousand).
    pub max_call_depth: u32,
    /// Most background jobs (`&`) one call may start, in all its
    /// subshells together. Default: 1000 (a fork bomb ends here).
    pub max_background_jobs: u32,
    /// Largest script or sourced file, in bytes. Default: 16 MiB.
    pub max_source_bytes: usize,
    /// Most words one expansion may produce (`{1..100000000}`). Default: 1
    /// million.
    pub max_expansion_words: usize,
    /// Largest single expanded word or variable value, in bytes. Default:
    /// 64 MiB.
    pub max_string_bytes: usize,
    /// Largest captured stdout or stderr of the call, in bytes. Default: 64
    /// MiB.
    pub max_output_bytes: u64,
    /// Wall-clock time for the whole call. Default: 10 minutes.
    pub timeout: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_commands: 10_000_000,
            max_loop_iterations: 10_000_000,
            max_call_depth: 200,
            max_background_jobs: 1000,
            max_source_bytes: 16 << 20,
            max_expansion_words: 1_000_000,
            max_string_bytes: 64 << 20,
            max_output_bytes: 64 << 20,
            timeout: Some(Duration::from_secs(600)),
        }
    }
}
