//! A scripted LLM provider for tests.
//!
//! [`ScriptedLlm`] listens on `127.0.0.1` (a free port) and answers each request with the
//! next [`Turn`] of a script, in the real wire format of the endpoint the client called:
//!
//! - `POST /v1/messages`: Anthropic Messages; needs `anthropic-version` and an `x-api-key`
//!   or `Authorization: Bearer` header (the Anthropic SDKs send keys as bearer tokens);
//! - `POST /v1/chat/completions`: OpenAI Chat Completions; needs `Authorization: Bearer`;
//! - `POST /v1/responses`: OpenAI Responses; needs `Authorization: Bearer`.
//!
//! Requests missing those headers are refused as the provider would (401/400) and do not
//! use up a turn.
//!
//! A body with `"stream": true` gets a chunked `text/event-stream` in that API's event
//! format; every text, thinking and tool-argument string is split into several deltas, so a
//! client must join them. Otherwise the reply is the API's JSON object.
//!
//! A [`Turn`] is neutral: a [`Reply`] of [`Part`]s (text, thinking, tool calls) with
//! [`Usage`] — the stop reason follows from the parts — or a [`Failure`] rendered in each
//! provider's error shape (429 with `retry-after`, context overflow, 500, overloaded), or a
//! reply broken on purpose ([`Fault`]: truncated stream, dropped connection, invalid JSON,
//! an in-stream error event).
//! [`ScriptedLlm::requests`] returns every request as [`Recorded`] (headers, JSON body), so
//! tests can assert what the client sent. A request after the script ran out gets a 500
//! whose message names it.
//!
//! ```
//! use serde_json::json;
//! use wasm_agent_scripted_llm::{Part, ScriptedLlm, Turn};
//!
//! let llm = ScriptedLlm::start(vec![
//!     Turn::rate_limited(1),
//!     Turn::reply(vec![
//!         Part::Text("Let me look.".into()),
//!         Part::tool_call("call_1", "bash", json!({"command": "ls /"})),
//!     ]),
//!     Turn::text("Done."),
//! ]);
//! let base = llm.base_url(); // "http://127.0.0.1:PORT": point the client here
//! # assert!(base.starts_with("http://127.0.0.1:"));
//! // ... run the agent ...
//! assert_eq!(llm.remaining(), 3);
//! assert!(llm.requests().is_empty());
//! ```

mod anthropic;
mod api;
mod http;
mod openai_chat;
mod openai_responses;
mod reply;
mod script;
mod server;

pub use api::Api;
pub use script::{Failure, Fault, Part, Reply, Turn, Usage};
pub use server::{Recorded, ScriptedLlm};
