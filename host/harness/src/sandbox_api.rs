//! What an agent needs from a sandbox, as a trait: a filesystem, a
//! working directory, and a way to run commands.
//!
//! [`wasm_agent::Sandbox`] implements it (memory, host directory or
//! bucket, whatever its filesystem). Another implementation (a remote
//! sandbox, a container, a recording double for tests) plugs into the
//! harness the same way: the built-in tools and sessions only use this
//! trait.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use wasm_agent::shell::{ExecOptions, ExecResult};
use wasm_agent::vfs::Vfs;
use wasm_agent::{CommandOutput, HostCommand, Sandbox};

/// Host commands by name, as offered to one call.
pub type HostCommands = HashMap<String, HostCommand>;

/// A sandbox as the harness uses it.
#[async_trait]
pub trait SandboxApi: Send + Sync + fmt::Debug {
    /// The filesystem the tools read and write.
    fn fs(&self) -> Arc<dyn Vfs>;

    /// The working directory commands and relative paths start from.
    fn cwd(&self) -> String;

    /// Runs a bash script; `granted` host commands are callable by name
    /// for this call only. A script that fails is not an error: its status
    /// is in the result.
    async fn exec(
        &self,
        script: &str,
        options: ExecOptions,
        granted: &HostCommands,
    ) -> wasm_agent::Result<ExecResult>;

    /// Runs one program by its argument vector, without a shell (so no
    /// argument is ever re-parsed), in `cwd`, capturing its output.
    async fn run(&self, argv: Vec<String>, cwd: &str) -> wasm_agent::Result<CommandOutput>;
}

#[async_trait]
impl SandboxApi for Sandbox {
    fn fs(&self) -> Arc<dyn Vfs> {
        Sandbox::fs(self)
    }

    fn cwd(&self) -> String {
        Sandbox::cwd(self).to_string()
    }

    async fn exec(
        &self,
        script: &str,
        options: ExecOptions,
        granted: &HostCommands,
    ) -> wasm_agent::Result<ExecResult> {
        self.exec_granting(script, options, granted).await
    }

    async fn run(&self, argv: Vec<String>, cwd: &str) -> wasm_agent::Result<CommandOutput> {
        let mut argv = argv.into_iter();
        let mut command = wasm_agent::Command::new(argv.next().unwrap_or_default());
        command.args(argv).cwd(cwd.to_string());
        self.run_command(command).await
    }
}
