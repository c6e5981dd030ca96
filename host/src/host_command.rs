//! Host commands: Rust closures a sandbox offers as commands.
//!
//! A host command runs in the host process with the host's privileges, so
//! it can hold what a guest must never see (API keys, network clients) and
//! hand the script only its output. The shell finds it by name after
//! functions and builtins, before the guest tools, and connects it to
//! pipes and redirections like any command.

use crate::io::{Input, Output, StreamError};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use wasm_agent_vfs::Vfs;

/// One run of a host command: its arguments, environment and streams.
#[derive(Debug)]
pub struct HostCall {
    /// The argument vector, the command name first.
    pub argv: Vec<String>,
    /// The exported variables of the calling shell.
    pub env: Vec<(String, String)>,
    /// The working directory (absolute).
    pub cwd: String,
    /// Standard input.
    pub stdin: Input,
    /// Standard output.
    pub stdout: Output,
    /// Standard error.
    pub stderr: Output,
    /// The sandbox's filesystem.
    pub fs: Arc<dyn Vfs>,
}

impl HostCall {
    /// All of standard input.
    pub async fn read_stdin(&self) -> Result<Vec<u8>, StreamError> {
        self.stdin.read_to_end().await
    }

    /// Writes `data` to standard output.
    pub async fn write_stdout(&self, data: impl AsRef<[u8]>) -> Result<(), StreamError> {
        self.stdout.write_all(data.as_ref()).await
    }

    /// Writes `data` to standard error.
    pub async fn write_stderr(&self, data: impl AsRef<[u8]>) -> Result<(), StreamError> {
        self.stderr.write_all(data.as_ref()).await
    }

    /// The value of the exported variable `name`.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The future a host command returns: its exit status.
pub type HostFuture = Pin<Box<dyn Future<Output = i32> + Send>>;

/// A registered host command.
#[derive(Clone)]
pub struct HostCommand(Arc<dyn Fn(HostCall) -> HostFuture + Send + Sync>);

impl HostCommand {
    /// Wraps an async closure.
    pub fn new<F, Fut>(f: F) -> HostCommand
    where
        F: Fn(HostCall) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = i32> + Send + 'static,
    {
        HostCommand(Arc::new(move |call| Box::pin(f(call))))
    }

    /// Runs the command.
    pub(crate) fn call(&self, call: HostCall) -> HostFuture {
        (self.0)(call)
    }
}

impl std::fmt::Debug for HostCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HostCommand")
    }
}
