//! The MCP methods themselves, independent of the transport.

use serde_json::{json, Value};

use crate::builder::{Config, Tool};

/// The protocol versions this server knows, newest first.
const KNOWN_VERSIONS: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// What a transport must do with one incoming message.
pub(crate) enum Outcome {
    /// A notification or a response from the client: nothing to answer.
    Accepted,
    /// A request this server never answers (see `hang_method`).
    Hang,
    /// The JSON-RPC response to send back.
    Reply(Value),
}

/// Whether `message` is a request (has both `method` and `id`).
pub(crate) fn is_request(message: &Value) -> bool {
    message.get("method").is_some() && message.get("id").is_some()
}

/// Handles one JSON-RPC message.
pub(crate) fn handle(config: &Config, message: &Value) -> Outcome {
    if !is_request(message) {
        return Outcome::Accepted;
    }
    let id = message["id"].clone();
    let method = message["method"].as_str().unwrap_or_default();
    if config.hang_methods.iter().any(|m| m == method) {
        return Outcome::Hang;
    }
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    let result = match method {
        "initialize" => Ok(initialize(config, &params)),
        "ping" => Ok(json!({})),
        "tools/list" => list_tools(config, &params),
        "tools/call" => call_tool(config, &params),
        other => Err((-32601, format!("Method not found: {other}"))),
    };
    Outcome::Reply(match result {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err((code, message)) => {
            json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
        }
    })
}

fn initialize(config: &Config, params: &Value) -> Value {
    let asked = params["protocolVersion"].as_str().unwrap_or_default();
    let version = match &config.protocol_version {
        Some(v) => v.clone(),
        None if KNOWN_VERSIONS.contains(&asked) => asked.to_owned(),
        None => KNOWN_VERSIONS[0].to_owned(),
    };
    let mut result = json!({
        "protocolVersion": version,
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {"name": "wasm-agent-mcp-test-server", "version": env!("CARGO_PKG_VERSION")},
    });
    if let Some(text) = &config.instructions {
        result["instructions"] = json!(text);
    }
    result
}

fn list_tools(config: &Config, params: &Value) -> Result<Value, (i64, String)> {
    let start = match params.get("cursor") {
        None | Some(Value::Null) => 0,
        Some(cursor) => cursor
            .as_str()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|&c| c <= config.tools.len())
            .ok_or((-32602, format!("Invalid cursor: {cursor}")))?,
    };
    let size = config.page_size.unwrap_or(usize::MAX);
    let end = start.saturating_add(size).min(config.tools.len());
    let tools: Vec<Value> = config.tools[start..end].iter().map(describe).collect();
    let mut result = json!({ "tools": tools });
    if end < config.tools.len() {
        result["nextCursor"] = json!(end.to_string());
    }
    Ok(result)
}

fn describe(tool: &Tool) -> Value {
    json!({"name": tool.name, "description": tool.description, "inputSchema": tool.input_schema})
}

fn call_tool(config: &Config, params: &Value) -> Result<Value, (i64, String)> {
    let name = params["name"].as_str().unwrap_or_default();
    let tool = config
        .tools
        .iter()
        .find(|t| t.name == name)
        .ok_or((-32602, format!("Unknown tool: {name}")))?;
    let args = params.get("arguments").cloned().unwrap_or(json!({}));
    Ok(match (tool.handler)(args) {
        Ok(Value::Array(items)) => json!({ "content": items, "isError": false }),
        Ok(Value::String(text)) => {
            json!({ "content": [{"type": "text", "text": text}], "isError": false })
        }
        Ok(result @ Value::Object(_)) if result.get("content").is_some() => result,
        Ok(other) => json!({ "content": [{"type": "text", "text": other.to_string()}] }),
        Err(text) => json!({ "content": [{"type": "text", "text": text}], "isError": true }),
    })
}
