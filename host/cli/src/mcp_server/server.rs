//! The stdio loop: reads one JSON-RPC message per line, answers requests
//! concurrently (a long `bash` never holds up a `ping`), and writes every
//! answer as one line to stdout through a single writer, so answers never
//! interleave. Nothing else in the process writes to stdout.

use super::protocol::{self, Incoming, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND};
use super::tools::Workspace;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tokio::task::{AbortHandle, JoinSet};

/// JSON-RPC error: the server failed (a tool panicked).
const INTERNAL_ERROR: i64 = -32603;

/// What the request handlers share.
struct Server {
    workspace: Arc<Workspace>,
    answers: UnboundedSender<Value>,
    /// Running `tools/call`s by request id (as JSON text), so that
    /// `notifications/cancelled` can stop them.
    in_flight: Mutex<HashMap<String, AbortHandle>>,
}

/// Serves MCP on stdin/stdout until stdin ends, then lets the calls in
/// flight finish (their answers are still written) and returns.
pub async fn serve(workspace: Arc<Workspace>) {
    let (answers, mut outbox) = unbounded_channel::<Value>();
    let writer = tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        while let Some(answer) = outbox.recv().await {
            let mut line = answer.to_string();
            line.push('\n');
            if stdout.write_all(line.as_bytes()).await.is_err() || stdout.flush().await.is_err() {
                // The client is gone; it can read nothing more.
                break;
            }
        }
    });
    let server = Arc::new(Server {
        workspace,
        answers,
        in_flight: Mutex::new(HashMap::new()),
    });
    let mut calls = JoinSet::new();
    let mut stdin = BufReader::new(tokio::io::stdin());
    let mut line = Vec::new();
    loop {
        line.clear();
        // A message may not hold the server's memory hostage: one longer
        // than the limit is answered with an error and skipped.
        match (&mut stdin)
            .take(MAX_MESSAGE + 1)
            .read_until(b'\n', &mut line)
            .await
        {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) => {
                eprintln!("wasm-agent mcp: cannot read stdin: {err}; stopping");
                break;
            }
        }
        if line.len() as u64 > MAX_MESSAGE {
            server.send(protocol::error(
                Value::Null,
                INVALID_REQUEST,
                format!(
                    "a message is longer than {} MiB; send files in smaller pieces",
                    MAX_MESSAGE >> 20
                ),
            ));
            if !line.ends_with(b"\n") && !skip_line(&mut stdin).await {
                break;
            }
            continue;
        }
        // Invalid UTF-8 becomes U+FFFD and then fails as JSON, with an answer.
        let text = String::from_utf8_lossy(&line);
        server.dispatch(protocol::parse_line(&text), &mut calls);
        while calls.try_join_next().is_some() {}
    }
    while calls.join_next().await.is_some() {}
    // Every call has finished, so this is the last sender: the writer
    // drains what is queued and stops.
    drop(server);
    let _ = writer.await;
}

/// Longest message read, in bytes.
const MAX_MESSAGE: u64 = 64 << 20;

/// Reads and drops the rest of a line; false at the end of input.
async fn skip_line(input: &mut BufReader<tokio::io::Stdin>) -> bool {
    loop {
        let buffer = match input.fill_buf().await {
            Ok([]) | Err(_) => return false,
            Ok(buffer) => buffer,
        };
        match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                return true;
            }
            None => {
                let all = buffer.len();
                input.consume(all);
            }
        }
    }
}

impl Server {
    fn send(&self, answer: Value) {
        // Fails only once the writer stopped because stdout is closed.
        let _ = self.answers.send(answer);
    }

    fn dispatch(self: &Arc<Self>, incoming: Incoming, calls: &mut JoinSet<()>) {
        match incoming {
            Incoming::Ignored => {}
            Incoming::Invalid(answer) => self.send(answer),
            Incoming::Notification { method, params } => self.notification(&method, &params),
            Incoming::Request { id, method, params } => match method.as_str() {
                "initialize" => self.send(protocol::result(id, initialize(&params))),
                "ping" => self.send(protocol::result(id, json!({}))),
                "tools/list" => self.send(protocol::result(
                    id,
                    json!({"tools": self.workspace.list()}),
                )),
                "tools/call" => self.spawn_call(id, params, calls),
                _ => self.send(protocol::error(
                    id,
                    METHOD_NOT_FOUND,
                    format!(
                        "method not found: {method}; this server offers initialize, ping, \
                         tools/list and tools/call"
                    ),
                )),
            },
        }
    }

    fn notification(&self, method: &str, params: &Map<String, Value>) {
        if method == "notifications/cancelled" {
            if let Some(id) = params.get("requestId") {
                let running = lock(&self.in_flight).remove(&id.to_string());
                if let Some(call) = running {
                    // A cancelled request gets no answer (MCP cancellation).
                    call.abort();
                }
            }
        }
        // `notifications/initialized` and any other notification need
        // nothing from this server.
    }

    fn spawn_call(
        self: &Arc<Self>,
        id: Value,
        params: Map<String, Value>,
        calls: &mut JoinSet<()>,
    ) {
        let (name, args) = match call_params(params) {
            Ok(found) => found,
            Err(message) => return self.send(protocol::error(id, INVALID_PARAMS, message)),
        };
        let server = Arc::clone(self);
        let key = id.to_string();
        // Held until the task is registered, so that a fast call cannot
        // unregister itself before it is registered.
        let mut in_flight = lock(&self.in_flight);
        let handle = calls.spawn(async move {
            // The tool runs in a task of its own, so a panic in it becomes
            // an error answer instead of a request left unanswered.
            let workspace = Arc::clone(&server.workspace);
            let mut tool = AbortOnDrop(tokio::spawn(
                async move { workspace.call(&name, args).await },
            ));
            let answer = match (&mut tool.0).await {
                Ok(Ok(result)) => protocol::result(id.clone(), result.to_json()),
                Ok(Err(unknown_tool)) => protocol::error(id.clone(), INVALID_PARAMS, unknown_tool),
                Err(err) => protocol::error(
                    id.clone(),
                    INTERNAL_ERROR,
                    format!("internal error: the tool call failed ({err}); the server goes on"),
                ),
            };
            lock(&server.in_flight).remove(&id.to_string());
            server.send(answer);
        });
        in_flight.insert(key, handle);
    }
}

/// Aborts the tool's task when the request's task is aborted (cancelled).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `name` and `arguments` of a `tools/call`.
fn call_params(mut params: Map<String, Value>) -> Result<(String, Value), String> {
    let name = match params.remove("name") {
        Some(Value::String(name)) => name,
        Some(other) => {
            return Err(format!(
                "invalid params of tools/call: \"name\" must be a string, got {other}"
            ))
        }
        None => {
            return Err("invalid params of tools/call: missing \"name\" (the tool to call)".into())
        }
    };
    let args = match params.remove("arguments") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(args @ Value::Object(_)) => args,
        Some(other) => {
            return Err(format!(
                "invalid params of tools/call: \"arguments\" must be an object, got {other}"
            ))
        }
    };
    Ok((name, args))
}

/// The `initialize` result: the client's protocol version if this server
/// speaks it, else the latest one.
fn initialize(params: &Map<String, Value>) -> Value {
    let asked = params.get("protocolVersion").and_then(Value::as_str);
    let version = asked
        .filter(|v| protocol::SUPPORTED_VERSIONS.contains(v))
        .unwrap_or(protocol::LATEST_VERSION);
    json!({
        "protocolVersion": version,
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {
            "name": "wasm-agent",
            "title": "wasm-agent sandbox",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "instructions": "A wasm-agent sandbox: a virtual filesystem and a bash-like shell whose \
            commands (coreutils, grep, sed, awk, jq, find…) are WebAssembly tools. Files persist \
            across calls; each bash call starts a fresh shell in the working directory. \
            snapshot/restore save and roll back in-memory sandboxes; fork makes a named \
            copy that the other tools reach with their 'sandbox' argument.",
    })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_the_protocol_version() {
        let version = |asked: Value| {
            let mut params = Map::new();
            params.insert("protocolVersion".into(), asked);
            initialize(&params)["protocolVersion"].clone()
        };
        assert_eq!(version(json!("2024-11-05")), json!("2024-11-05"));
        assert_eq!(version(json!("2025-03-26")), json!("2025-03-26"));
        assert_eq!(
            version(json!("1999-01-01")),
            json!(protocol::LATEST_VERSION)
        );
        assert_eq!(version(json!(3)), json!(protocol::LATEST_VERSION));
    }

    #[test]
    fn call_params_need_a_name_and_object_arguments() {
        let params = |v: Value| v.as_object().cloned().unwrap();
        assert!(call_params(params(json!({"arguments": {}}))).is_err());
        assert!(call_params(params(json!({"name": 1}))).is_err());
        assert!(call_params(params(json!({"name": "read", "arguments": [1]}))).is_err());
        let (name, args) = call_params(params(json!({"name": "read"}))).unwrap();
        assert_eq!((name.as_str(), args), ("read", json!({})));
    }
}
