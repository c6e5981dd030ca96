//! Tools and servers the tests share.

use std::time::Duration;

use serde_json::{json, Value};
use wasm_agent_mcp::ConnectOptions;
use wasm_agent_mcp_test_server::{McpTestServerBuilder, Tool};

/// The token tests send; it must never show up in an error or a debug print.
pub const SECRET: &str = "Bearer tok-7c1f-very-secret";

/// `echo`: returns its `text` argument as one text item.
pub fn echo() -> Tool {
    Tool::new(
        "echo",
        "Echoes its text",
        json!({"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}),
        |args: Value| match args["text"].as_str() {
            Some(text) => Ok(json!([{"type": "text", "text": text}])),
            None => Err("missing `text`".to_owned()),
        },
    )
}

/// `fail`: always a tool error.
pub fn fail() -> Tool {
    Tool::new("fail", "Always fails", json!({"type": "object"}), |_| {
        Err("disk on fire".to_owned())
    })
}

/// A builder with `echo` and `fail`.
pub fn server() -> McpTestServerBuilder {
    let mut builder = wasm_agent_mcp_test_server::McpTestServer::builder();
    builder.tool(echo()).tool(fail());
    builder
}

/// Options naming the server `test`, with the secret header and a short timeout.
pub fn options() -> ConnectOptions {
    ConnectOptions::named("test")
        .header("Authorization", SECRET)
        .header("X-Trace", "t-1")
        .timeout(Duration::from_secs(10))
}
