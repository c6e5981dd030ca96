//! The bash-compatible shell of wasm-agent.
//!
//! The shell parses scripts with `brush-parser` and evaluates them in
//! process. It knows nothing of WebAssembly: it works on a virtual
//! filesystem ([`wasm_agent_vfs::Vfs`]) and runs every command that is not a
//! builtin or a function through a [`CommandRunner`] that the `wasm-agent`
//! host crate implements, so it can be tested against an in-memory tree.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use std::sync::Arc;
//! use wasm_agent_shell::Shell;
//! use wasm_agent_vfs::MemFs;
//!
//! let mut shell = Shell::new(Arc::new(MemFs::new()));
//! let result = shell.exec("for i in 1 2 3; do echo $((i * i)); done").await;
//! assert_eq!(result.stdout, b"1\n4\n9\n");
//! assert_eq!(result.exit_code, 0);
//! # });
//! ```
//!
//! [`io`] holds the streams commands are connected with: bounded pipes
//! between the stages of a pipeline, capture buffers, files.

mod builtins;
mod error;
mod expand;
mod interp;
pub mod io;
mod limits;
mod parse;
mod runner;
mod shell;
mod state;

pub use error::Error;
pub use limits::Limits;
pub use parse::SyntaxError;
pub use runner::{CommandKind, CommandRunner, Invocation, NoCommands, RunnerError};
pub use shell::{ExecOptions, ExecResult, Shell, ShellBuilder};
