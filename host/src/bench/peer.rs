//! What the benchmark asks of each system it compares: wasm-agent, native
//! bash, and (with the `bashkit` feature) the bashkit crate.

use async_trait::async_trait;
use std::io;
use std::time::Duration;

/// What a script printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutput {
    /// Standard output, with the peer's fixture location shown as `/data`.
    pub stdout: Vec<u8>,
    /// Exit status.
    pub status: i32,
}

/// A system under comparison. Every method is one measured operation; a
/// method answers `Ok(None)` where the metric does not apply to the peer
/// (bashkit has no process to start, native bash no in-memory populate).
#[async_trait(?Send)]
pub trait Peer {
    /// Column title.
    fn name(&self) -> &'static str;

    /// Creates a fresh instance and runs `echo hi` in it.
    async fn fresh_echo(&mut self) -> io::Result<RunOutput>;

    /// Runs `script` in the long-lived instance holding the fixture, with
    /// `/data` as the working directory.
    async fn existing(&mut self, script: &str) -> io::Result<RunOutput>;

    /// Runs one agent workload the way an agent would pay for it: in the
    /// long-lived instance, or (native bash) through `bash -c`.
    async fn workload(&mut self, script: &str) -> io::Result<RunOutput> {
        self.existing(script).await
    }

    /// Starts a new operating-system process that prints `hi`, if the peer
    /// is a program rather than a library.
    async fn process_echo(&mut self) -> io::Result<Option<RunOutput>> {
        Ok(None)
    }

    /// Time to fill a new instance with `files` (path, contents), paths
    /// absolute; `None` if the peer has no in-memory filesystem.
    async fn populate(&mut self, files: &[(String, Vec<u8>)]) -> io::Result<Option<Duration>>;

    /// Memory one idle instance costs, in bytes, measured over `count`
    /// instances alive at once.
    async fn idle_bytes(&mut self, count: usize) -> io::Result<Option<f64>>;
}
