//! How the shell runs commands it does not implement itself.
//!
//! Functions and builtins run in the shell. Everything else — host commands
//! registered by the embedder, guest tools — goes to a [`CommandRunner`],
//! which the `wasm-agent` host crate implements over wasmtime.

use crate::io::{Input, Output};
use async_trait::async_trait;
use std::fmt;
use std::time::Instant;

/// What kind of external command a name refers to (for dispatch, `type`,
/// `command -v`, `which`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// A Rust closure registered by the embedder (privileged: its secrets
    /// never reach a guest).
    Host,
    /// A tool compiled to WebAssembly.
    Tool,
}

/// One external command to run.
#[derive(Debug)]
pub struct Invocation {
    /// The argument vector, the command name first.
    pub argv: Vec<String>,
    /// The environment: the shell's exported variables.
    pub env: Vec<(String, String)>,
    /// The working directory (absolute, normalised).
    pub cwd: String,
    /// Standard input.
    pub stdin: Input,
    /// Standard output.
    pub stdout: Output,
    /// Standard error.
    pub stderr: Output,
    /// When the command must be stopped (the shell's own deadline, or a
    /// `timeout` builtin's).
    pub deadline: Option<Instant>,
}

/// A runner could not start a command at all (as opposed to the command
/// failing, which is an exit status).
#[derive(Debug)]
pub struct RunnerError {
    message: String,
}

impl RunnerError {
    /// An error with a complete message.
    pub fn new(message: impl Into<String>) -> RunnerError {
        RunnerError {
            message: message.into(),
        }
    }
}

impl fmt::Display for RunnerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RunnerError {}

/// Runs external commands for the shell.
#[async_trait]
pub trait CommandRunner: Send + Sync {
    /// Whether `name` is a command of this runner, and which kind. Async
    /// because the first lookup may have to load the tools.
    async fn lookup(&self, name: &str) -> Option<CommandKind>;

    /// Runs `invocation` to completion and returns its exit status.
    async fn run(&self, invocation: Invocation) -> Result<i32, RunnerError>;
}

/// A runner without any command: every external command is "not found".
/// Useful to test the shell alone.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoCommands;

#[async_trait]
impl CommandRunner for NoCommands {
    async fn lookup(&self, _name: &str) -> Option<CommandKind> {
        None
    }

    async fn run(&self, invocation: Invocation) -> Result<i32, RunnerError> {
        Err(RunnerError::new(format!(
            "{}: no command runner",
            invocation.argv.first().map(String::as_str).unwrap_or("")
        )))
    }
}
