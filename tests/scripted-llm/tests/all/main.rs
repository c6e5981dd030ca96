//! One test binary: each module drives one API (or the server's own behaviour) with a raw
//! HTTP client and checks the exact bytes the server sends.

mod anthropic;
mod client;
mod errors;
mod openai_chat;
mod openai_responses;
mod server;

use serde_json::{json, Value};
use wasm_agent_scripted_llm::{Part, Turn};

/// The scripted text; long enough to be split into several deltas, with non-ASCII bytes.
const TEXT: &str = "Listing the root directory — one moment.";
const THINKING: &str = "The user wants the files in /; ls will do.";

fn arguments() -> Value {
    json!({"command": "ls -la /", "timeout_ms": 5000})
}

/// Thinking, then text, then a tool call.
fn full_turn() -> Turn {
    Turn::reply(vec![
        Part::Thinking(THINKING.into()),
        Part::Text(TEXT.into()),
        Part::tool_call("call_1", "bash", arguments()),
    ])
    .with_usage(321, 45)
}
