//! A minimal MCP client over the stdio of a spawned `wasm-agent mcp`:
//! writes JSON-RPC lines, reads answers on a thread, and asserts that
//! every line the server prints is a JSON-RPC message.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Longest wait for any one answer (a cold debug build is slow).
pub const WAIT: Duration = Duration::from_secs(60);

/// A running server and the pipes to it.
pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    /// Answers read while waiting for another id.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `wasm-agent mcp ARGS` (stderr discarded: logs only).
    pub fn start(args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wasm-agent"))
            .arg("mcp")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn wasm-agent mcp");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            lines,
            pending: Vec::new(),
            next_id: 1,
        }
    }

    /// Starts a server and completes the handshake.
    pub fn initialized(args: &[&str]) -> Client {
        let mut client = Client::start(args);
        let result = client.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "mcp_stdio test", "version": "1"}
            }),
        );
        assert_eq!(
            result["result"]["protocolVersion"], "2025-06-18",
            "{result}"
        );
        client.notify("notifications/initialized", json!({}));
        client
    }

    /// Writes one raw line.
    pub fn send_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        writeln!(stdin, "{line}").expect("write to the server");
        stdin.flush().expect("flush to the server");
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_line(&message.to_string());
    }

    /// Sends a request without waiting; returns its id.
    pub fn send(&mut self, method: &str, params: Value) -> Value {
        let id = json!(self.next_id);
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_line(&message.to_string());
        id
    }

    /// Sends a request and returns its whole answer.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        self.answer_to(&id)
    }

    /// Calls a tool; returns the `tools/call` result object.
    pub fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let answer = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        assert!(answer.get("error").is_none(), "{tool}: {answer}");
        answer["result"].clone()
    }

    /// Calls a tool that must succeed; returns its text.
    #[track_caller]
    pub fn ok(&mut self, tool: &str, arguments: Value) -> String {
        let result = self.call(tool, arguments.clone());
        assert_eq!(result["isError"], false, "{tool} {arguments}: {result}");
        text(&result)
    }

    /// Calls a tool that must fail; returns its text.
    #[track_caller]
    pub fn fails(&mut self, tool: &str, arguments: Value) -> String {
        let result = self.call(tool, arguments.clone());
        assert_eq!(result["isError"], true, "{tool} {arguments}: {result}");
        text(&result)
    }

    /// The next message the server prints, whatever its id.
    pub fn next_message(&mut self, timeout: Duration) -> Option<Value> {
        if !self.pending.is_empty() {
            return Some(self.pending.remove(0));
        }
        match self.lines.recv_timeout(timeout) {
            Ok(line) => Some(parse(&line)),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Waits for the answer carrying `id`, keeping the others.
    pub fn answer_to(&mut self, id: &Value) -> Value {
        if let Some(at) = self.pending.iter().position(|m| &m["id"] == id) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|err| panic!("no answer to request {id}: {err}"));
            let message = parse(&line);
            if &message["id"] == id {
                return message;
            }
            self.pending.push(message);
        }
    }

    /// Closes stdin and waits for the exit status, failing after `limit`.
    pub fn close(&mut self, limit: Duration) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status.code().unwrap_or(-1);
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit within {limit:?} of EOF"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every message still printed until stdout closes (after `close`).
    pub fn remaining(&mut self) -> Vec<Value> {
        let mut messages = std::mem::take(&mut self.pending);
        while let Ok(line) = self.lines.recv_timeout(WAIT) {
            messages.push(parse(&line));
        }
        messages
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave a server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A line of stdout: it must be one JSON-RPC 2.0 message.
fn parse(line: &str) -> Value {
    let message: Value = serde_json::from_str(line)
        .unwrap_or_else(|err| panic!("stdout line is not JSON ({err}): {line}"));
    assert_eq!(message["jsonrpc"], "2.0", "not JSON-RPC: {line}");
    message
}

/// The text of a tool result's single text content.
pub fn text(result: &Value) -> String {
    let content = result["content"].as_array().expect("content array");
    assert_eq!(content.len(), 1, "{result}");
    assert_eq!(content[0]["type"], "text", "{result}");
    content[0]["text"].as_str().expect("text").to_string()
}
