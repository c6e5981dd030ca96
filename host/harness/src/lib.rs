//! Agents over wasm-agent sandboxes, in Flue's model: a [`Harness`] holds
//! a sandbox, models and tools; [`Session`]s hold conversations; each
//! operation ([`Session::prompt`], [`Session::skill`], [`Session::task`],
//! [`Session::shell`]) runs as an [`Operation`] to await or abort.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use serde_json::json;
//! use wasm_agent_harness::{Command, Harness, InitOptions, PromptOptions};
//!
//! let harness = Harness::init(InitOptions {
//!     model: Some("anthropic/claude-sonnet-4-5".into()), // ANTHROPIC_API_KEY
//!     ..InitOptions::default() // an in-memory sandbox, cwd /home/user
//! })
//! .await?;
//! let _events = harness.observe(|event| eprintln!("{:?}", event.kind));
//! let session = harness.session("main").await?;
//! let answer = session
//!     .prompt(
//!         "Write fizzbuzz.py, run it for 1..15 and count the Fizz lines",
//!         PromptOptions::default()
//!             .result(json!({"type": "object", "properties": {"fizz": {"type": "integer"}},
//!                            "required": ["fizz"]}))
//!             .command(Command::new("notify", |call| async move {
//!                 // Runs in the host: its secrets never reach the sandbox.
//!                 let _ = call.write_stdout("sent\n").await;
//!                 0
//!             })),
//!     )
//!     .await?;
//! println!("{:?} for {} tokens", answer.value, answer.usage.input_tokens);
//! # Ok(()) }
//! ```
//!
//! The modules underneath, usable on their own:
//!
//! - [`agent_loop`]: ask the model, run the tools it calls (concurrently),
//!   answer with their results, until it is done; typed results through
//!   `finish`; cancellation; compaction.
//! - [`commands`]: host commands granted to operations.
//! - [`compaction`]: summarising old turns to fit the context window.
//! - [`context`]: `AGENTS.md` files, skills and roles, composed into the
//!   system prompt.
//! - [`custom_tool`]: tools from a name, a schema and a closure.
//! - [`events`]: the typed event stream.
//! - [`mcp`]: MCP servers' tools as agent tools.
//! - [`message`]: the conversation, independent of any wire format.
//! - [`provider`]: Anthropic Messages, OpenAI Chat Completions and
//!   Responses over HTTP with streaming and retries; named providers;
//!   prices.
//! - [`sandbox_api`]: what the harness needs from a sandbox.
//! - [`schema`]: JSON Schema checks of typed results.
//! - [`store`]: where sessions are kept (memory, a host directory, a
//!   bucket).
//! - [`thinking`]: thinking levels.
//! - [`tools`]: the built-in tools with their exact contracts.

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
