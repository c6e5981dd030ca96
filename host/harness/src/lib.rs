//! Agents over wasm-agent sandboxes, in Flue's model: an LLM loop whose
//! tools act on a sandbox.
//!
//! This crate grows module by module (issue #6). What exists:
//!
//! - [`agent_loop`]: the loop that asks the model, runs the tools it
//!   calls (concurrently) and answers with their results until it is done.
//! - [`context`]: what the agent knows up front: `AGENTS.md` files, skills
//!   and roles, composed into the system prompt.
//! - [`message`]: the conversation (messages, tool calls and results,
//!   usage), independent of any provider's wire format.
//! - [`provider`]: the pieces of LLM providers' wire formats (so far the
//!   server-sent-events decoder of their streams).
//! - [`schema`]: JSON Schema checks of typed results, every violation
//!   located by a JSON pointer.
//! - [`store`]: where sessions are kept (memory, a host directory, a
//!   bucket), one JSON document each.
//! - [`thinking`]: thinking levels and what they mean to each provider.
//! - [`tools`]: the built-in tools (`read`, `write`, `edit`, `bash`,
//!   `grep`, `glob`) with their exact contracts, over a [`Sandbox`].
//!
//! [`Sandbox`]: wasm_agent::Sandbox

pub mod agent_loop;
pub mod commands;
pub mod compaction;
pub mod context;
pub mod custom_tool;
pub mod events;
mod harness;
pub mod mcp;
pub mod message;
mod operation;
pub mod provider;
pub mod sandbox_api;
pub mod schema;
mod session;
pub mod store;
mod task;
pub mod thinking;
pub mod tools;

pub use commands::{Command, HostProgram};
pub use custom_tool::FnTool;
pub use events::{Event, EventKind, RunOutcome, Subscription};
pub use harness::{Harness, HarnessError, InitOptions, SandboxSource, Sessions};
pub use mcp::McpOptions;
pub use operation::{AbortHandle, Operation};
pub use session::{
    PromptOptions, PromptResult, Session, ShellOptions, ShellResult, MAX_TASK_DEPTH,
};
