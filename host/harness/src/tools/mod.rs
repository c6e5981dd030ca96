//! The built-in tools an agent calls on its sandbox.
//!
//! A [`Tool`] has a name, a description and JSON-Schema parameters (what
//! the model is shown), and an async [`Tool::call`] that acts on a
//! [`ToolContext`] (a sandbox and a working directory). Every outcome,
//! including bad arguments and failed commands, is a [`ToolOutput`]: text
//! for the model plus an `is_error` flag. Tools never panic on input and
//! never return a harness error, so the agent loop can hand any result
//! back to the model as is.
//!
//! The built-ins, from [`builtin_tools`]:
//!
//! | tool | does |
//! |------|------|
//! | [`ReadTool`] | numbered lines of a text file, with offset/limit |
//! | [`WriteTool`] | creates or replaces a file (and its parents) |
//! | [`EditTool`] | exact-match replacement, refusing ambiguity |
//! | [`BashTool`] | a script in the sandbox shell, output tail-truncated |
//! | [`GrepTool`] | the sandbox's `grep -r`, argv built without a shell |
//! | [`GlobTool`] | the sandbox's `find`, filtered by a `**` glob |
//!
//! ```no_run
//! # async fn demo() -> wasm_agent::Result<()> {
//! use std::sync::Arc;
//! use wasm_agent_harness::tools::{ReadTool, Tool, ToolContext};
//! let runtime = wasm_agent::Runtime::new()?;
//! let ctx = ToolContext::new(Arc::new(wasm_agent::Sandbox::new(&runtime)));
//! let out = ReadTool.call(&ctx, serde_json::json!({"path": "/etc/hosts"})).await;
//! println!("{} (error: {})", out.content, out.is_error);
//! # Ok(()) }
//! ```

mod args;
mod bash;
mod edit;
mod glob;
mod grep;
mod read;
mod truncate;
mod write;

pub use args::validate;
pub use bash::BashTool;
pub use edit::EditTool;
pub use glob::GlobTool;
pub use grep::GrepTool;
pub use read::ReadTool;
pub use write::WriteTool;

/// Output cut to its last 2,000 lines / 50 KB, as the `bash` tool shows it.
pub(crate) use truncate::tail as tail_for_model;

use async_trait::async_trait;
use std::sync::Arc;

use crate::sandbox_api::{HostCommands, SandboxApi};

/// What a tool call gives back to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolOutput {
    /// The text the model reads.
    pub content: String,
    /// The call failed (bad arguments, missing file, non-zero exit…); the
    /// content says why and what to do.
    pub is_error: bool,
}

impl ToolOutput {
    /// A successful result.
    pub fn ok(content: impl Into<String>) -> ToolOutput {
        ToolOutput {
            content: content.into(),
            is_error: false,
        }
    }

    /// A failed result; `content` is the message for the model.
    pub fn error(content: impl Into<String>) -> ToolOutput {
        ToolOutput {
            content: content.into(),
            is_error: true,
        }
    }
}

/// Where a tool acts: a sandbox, the working directory that relative
/// paths and commands start from, and the host commands granted to the
/// call.
#[derive(Debug, Clone)]
pub struct ToolContext {
    /// The sandbox the tool reads, writes and runs commands in.
    pub sandbox: Arc<dyn SandboxApi>,
    /// Absolute working directory in the sandbox.
    pub cwd: String,
    /// Host commands scripts may call during this operation.
    pub commands: Arc<HostCommands>,
}

impl ToolContext {
    /// A context in the sandbox's own working directory, granting no host
    /// commands.
    pub fn new(sandbox: Arc<dyn SandboxApi>) -> ToolContext {
        let cwd = sandbox.cwd();
        ToolContext {
            sandbox,
            cwd,
            commands: Arc::default(),
        }
    }

    /// Grants `commands` to the scripts the tools run.
    pub fn with_commands(mut self, commands: Arc<HostCommands>) -> ToolContext {
        self.commands = commands;
        self
    }

    /// Runs a bash script in the sandbox with the granted host commands.
    pub async fn exec(
        &self,
        script: &str,
        options: wasm_agent::ExecOptions,
    ) -> wasm_agent::Result<wasm_agent::ExecResult> {
        self.sandbox.exec(script, options, &self.commands).await
    }

    /// Sets the working directory (absolute, or relative to the current
    /// one). A path that cannot be a path (a NUL byte, too long) leaves
    /// the working directory as it was; whether the directory exists is
    /// found out by the tools that use it.
    pub fn with_cwd(mut self, cwd: &str) -> ToolContext {
        if let Ok(dir) = self.resolve(cwd) {
            self.cwd = dir;
        }
        self
    }

    /// The sandbox's file operations, relative paths starting at
    /// [`cwd`](Self::cwd); every change is saved to the sandbox's store
    /// before they return.
    pub fn files(&self) -> wasm_agent::Files {
        wasm_agent::Files::new(self.sandbox.fs(), self.cwd.clone())
    }

    /// The absolute, normalised sandbox path for `path` (relative paths
    /// start at [`cwd`](Self::cwd)); the error is a message for the model.
    pub fn resolve(&self, path: &str) -> Result<String, String> {
        if path.is_empty() {
            return Err("the path is empty; give a file path".to_string());
        }
        wasm_agent::vfs::path::join_normalized(&self.cwd, path)
            .map_err(|err| format!("invalid path '{path}': {err}"))
    }
}

/// A tool the model can call.
#[async_trait]
pub trait Tool: Send + Sync {
    /// The name the model calls it by (`read`, `bash`…).
    fn name(&self) -> &str;

    /// What the tool does and when to use it, for the model.
    fn description(&self) -> &str;

    /// The JSON Schema of the arguments (an `object` schema).
    fn parameters(&self) -> serde_json::Value;

    /// Runs the tool. Bad arguments and failures come back as a
    /// [`ToolOutput`] with `is_error` set, never as a panic.
    async fn call(&self, ctx: &ToolContext, args: serde_json::Value) -> ToolOutput;
}

/// The six built-in tools: read, write, edit, bash, grep, glob.
pub fn builtin_tools() -> Vec<Arc<dyn Tool>> {
    vec![
        Arc::new(ReadTool),
        Arc::new(WriteTool),
        Arc::new(EditTool),
        Arc::new(BashTool),
        Arc::new(GrepTool),
        Arc::new(GlobTool),
    ]
}
