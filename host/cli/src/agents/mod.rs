//! Agents defined as files in a project, and running them.
//!
//! A project is a directory holding `.wasm-agent/` (found from the
//! current directory upward):
//!
//! ```text
//! wasm-agent.toml                  providers and [defaults] (optional; see config)
//! AGENTS.md                        instructions (read from the sandbox, as the harness does)
//! .agents/skills/<name>/SKILL.md   skills (likewise)
//! .wasm-agent/agents/<name>.md     one agent each (see definition)
//! .wasm-agent/roles/<name>.md      roles the agents refer to
//! .wasm-agent/sessions/            sessions kept by `wasm-agent run`
//! ```
//!
//! The four types a caller needs: [`Project`] (find it, read agents),
//! [`RunRequest`] (agent, session id, payload, model, variables),
//! [`run`] (one run, events to an observer) and [`RunOutput`] (the result
//! and the run id). `wasm-agent run` and `wasm-agent serve` both call
//! [`run`]; a server keeps one [`Project`] (it holds the wasm runtime
//! shared by all runs) and passes its own store:
//!
//! ```ignore
//! let project = Project::discover(Path::new("."))?;
//! let output = agents::run(
//!     &project,
//!     RunRequest { agent: "triage".into(), id: "issue-7".into(),
//!                  payload: json!({"title": "crash"}), ..RunRequest::default() },
//!     project.session_store()?,              // or a VfsStore over a bucket
//!     Arc::new(|event: &Event| eprintln!("{:?}", event.kind)),
//! ).await?;
//! println!("{} -> {}", output.run_id, output.result);
//! ```
//!
//! The result is the typed value when the agent has a `result` schema,
//! else `{"text": "<the agent's last answer>"}`. Errors carry a
//! [`RunErrorKind`]: `Definition` (unknown agent — see
//! [`DefinitionError::is_unknown_agent`] — or a broken file: 404/500 for
//! a server), `BadRequest` (payload lacks a key the template uses, bad
//! id: 400), `Setup` (sandbox or store: 500), `Agent` (the run failed).
//!
//! Sandboxes: a `memory` sandbox is new for every run, so only the
//! conversation (not the files) carries over when a session continues;
//! `local`, host directories and buckets keep their files.

mod config;
mod definition;
mod error;
mod project;
mod runner;
mod sandbox;
mod template;

pub use error::{DefinitionError, RunError, RunErrorKind};
pub use project::Project;
pub use runner::{run, RunRequest};
