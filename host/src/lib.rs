//! wasm-agent: sandboxes for AI agents.
//!
//! An agent gets a filesystem and real command-line tools — coreutils,
//! grep, sed, awk, find, diff, jq, tar… compiled to WebAssembly (WASI
//! preview1) and run in wasmtime, one fresh instance per command. The
//! filesystem is virtual: in memory (with O(1) fork and snapshot), a host
//! directory, an overlay, or a composition of mounts (see
//! [`wasm_agent_vfs`]).
//!
//! The central types:
//!
//! - [`Runtime`]: one per process. Owns the wasmtime engine and the guest
//!   tools, compiled once and cached on disk.
//! - [`Sandbox`]: a filesystem plus a runtime. File operations by path, and
//!   [`Sandbox::exec`] to run a bash script, [`Sandbox::run`] to run a
//!   tool by argv.
//! - [`Command`]: a tool invocation with stdin, env, cwd and limits.
//!
//! ```no_run
//! # async fn demo() -> wasm_agent::Result<()> {
//! use wasm_agent::{Runtime, Sandbox};
//!
//! let runtime = Runtime::new()?;
//! let sandbox = Sandbox::new(&runtime);
//! sandbox.write_file("/src/main.rs", "fn main() {}\n// TODO: more\n").await?;
//! let out = sandbox.run(["grep", "-rn", "TODO", "/src"]).await?;
//! assert_eq!(out.stdout_lossy(), "/src/main.rs:2:// TODO: more\n");
//! # Ok(()) }
//! ```

pub mod bench;
pub mod error;
pub mod host_command;
pub mod runtime;
pub mod sandbox;
mod shell_runner;
pub mod wasi;

pub use error::{Error, ErrorKind, Result};
pub use host_command::{HostCall, HostCommand};
pub use runtime::{Command, Limits, Runtime, RuntimeBuilder};
pub use sandbox::{CommandOutput, FileStat, Files, RmOptions, Sandbox, SandboxBuilder, Snapshot};
pub use wasm_agent_s3 as s3;
pub use wasm_agent_shell as shell;
pub use wasm_agent_shell::io;
pub use wasm_agent_shell::{ExecOptions, ExecResult};
pub use wasm_agent_vfs as vfs;
