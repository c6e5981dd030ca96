//! `wasm-agent logs <runId>`: a run's events from a running
//! `wasm-agent serve`, as readable lines or NDJSON; `--follow` streams
//! them (SSE) until the run ends, resuming after a dropped connection.
//!
//! Exit status: 0 when the run succeeded (or, without `--follow`, is
//! still running), 1 when it failed, 2 when the server could not be
//! asked (unreachable, unknown run, bad token).

use crate::events_print::Pretty;
use clap::{Args, ValueEnum};
use serde_json::Value;
use std::io::Write;
use std::time::Duration;
use wasm_agent::{Error, ErrorKind, Result};
use wasm_agent_harness::events::Event;

/// Flags of `wasm-agent logs`.
#[derive(Args, Debug)]
pub struct LogsArgs {
    /// The run id (`runId` of a webhook answer, `run_…`).
    run_id: String,
    /// The server (default: the WASM_AGENT_SERVER variable, else
    /// http://127.0.0.1:8080).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// Keep printing events as they come until the run ends.
    #[arg(long, short = 'f')]
    follow: bool,
    /// `pretty`: readable lines; `json`: one event per line, then the
    /// run's summary as a last line of type `end`.
    #[arg(long, value_enum, default_value_t = Format::Pretty)]
    format: Format,
    /// The server's bearer token (default: the WASM_AGENT_TOKEN variable).
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
}

/// How events are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable progress lines.
    Pretty,
    /// NDJSON.
    Json,
}

/// Reconnections of `--follow` after the stream broke, before giving up.
const RECONNECTS: u32 = 5;

/// Prints the run's events; see the module docs for the exit status.
pub async fn run(args: LogsArgs) -> Result<i32> {
    let server = args
        .server
        .clone()
        .or_else(|| std::env::var("WASM_AGENT_SERVER").ok())
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_string());
    let client = Client {
        http: reqwest::Client::new(),
        base: server.trim_end_matches('/').to_string(),
        token: args
            .token
            .clone()
            .or_else(|| std::env::var("WASM_AGENT_TOKEN").ok())
            .filter(|t| !t.is_empty()),
    };
    let mut printer = Printer {
        format: args.format,
        pretty: Pretty::new(),
    };
    let summary = if args.follow {
        follow(&client, &args.run_id, &mut printer).await?
    } else {
        page_through(&client, &args.run_id, &mut printer).await?
    };
    printer.end(&summary)?;
    Ok(if summary["status"] == "failed" { 1 } else { 0 })
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    async fn get(&self, path: &str, last_id: Option<u64>) -> Result<reqwest::Response> {
        let url = format!("{}{path}", self.base);
        let mut request = self.http.get(&url);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(id) = last_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!(
                    "cannot reach the server at {}: {e}; start `wasm-agent serve` or pass --server URL",
                    self.base
                ),
            )
        })?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let bytes = response.bytes().await.unwrap_or_default();
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let message = body["error"]["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| status.to_string());
        Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("{url}: {message}"),
        ))
    }

    async fn json(&self, path: &str) -> Result<Value> {
        let not_json = |e: &dyn std::fmt::Display| {
            Error::new(
                ErrorKind::Io,
                format!("{}{path}: the answer is not JSON: {e}", self.base),
            )
        };
        let bytes = self
            .get(path, None)
            .await?
            .bytes()
            .await
            .map_err(|e| not_json(&e))?;
        serde_json::from_slice(&bytes).map_err(|e| not_json(&e))
    }
}

/// Prints every event so far, page by page; returns the run's summary.
async fn page_through(client: &Client, run_id: &str, printer: &mut Printer) -> Result<Value> {
    let mut after: Option<u64> = None;
    loop {
        let query = after.map(|a| format!("?after={a}")).unwrap_or_default();
        let page = client
            .json(&format!("/runs/{run_id}/events{query}"))
            .await?;
        let events = page["events"].as_array().cloned().unwrap_or_default();
        for event in &events {
            printer.event(event)?;
        }
        match events.last().and_then(|e| e["index"].as_u64()) {
            Some(last) => after = Some(last),
            None => break,
        }
    }
    client.json(&format!("/runs/{run_id}")).await
}

/// Streams the run's events until its `end` event; returns its summary.
async fn follow(client: &Client, run_id: &str, printer: &mut Printer) -> Result<Value> {
    use futures_util::StreamExt;
    let mut last_id: Option<u64> = None;
    let mut retries = 0;
    loop {
        let response = client
            .get(&format!("/runs/{run_id}/stream"), last_id)
            .await?;
        let mut body = response.bytes_stream();
        let mut buffer = String::new();
        let mut broken = None;
        while let Some(chunk) = body.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    broken = Some(e.to_string());
                    break;
                }
            };
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let Some(message) = parse_block(&block) else {
                    continue;
                };
                if message.event.as_deref() == Some("end") {
                    return Ok(message.data);
                }
                if let Some(id) = message.id {
                    last_id = Some(id);
                }
                retries = 0;
                printer.event(&message.data)?;
            }
        }
        retries += 1;
        if retries > RECONNECTS {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "the event stream of {run_id} broke {RECONNECTS} times ({}); \
                     run `wasm-agent logs {run_id}` again to see the rest",
                    broken.unwrap_or_else(|| "closed early".into())
                ),
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// One SSE message.
#[derive(Debug, PartialEq)]
struct Message {
    id: Option<u64>,
    event: Option<String>,
    data: Value,
}

/// An SSE block (lines up to a blank one); `None` for comments
/// (heartbeats) and data that is not JSON.
fn parse_block(block: &str) -> Option<Message> {
    let (mut id, mut event, mut data) = (None, None, String::new());
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("id:") {
            id = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("event:") {
            event = Some(value.trim().to_string());
        } else if let Some(value) = line.strip_prefix("data:") {
            if !data.is_empty() {
                data.push('\n');
            }
            data.push_str(value.strip_prefix(' ').unwrap_or(value));
        }
    }
    let data = serde_json::from_str(&data).ok()?;
    Some(Message { id, event, data })
}

struct Printer {
    format: Format,
    pretty: Pretty,
}

impl Printer {
    fn event(&mut self, event: &Value) -> Result<()> {
        let mut out = std::io::stdout().lock();
        let written = match self.format {
            Format::Json => writeln!(out, "{event}"),
            Format::Pretty => match event_from_json(event) {
                Some(event) => self.pretty.print(&mut out, &event),
                None => Ok(()),
            },
        };
        written.map_err(|e| Error::new(ErrorKind::Io, format!("cannot write to stdout: {e}")))
    }

    fn end(&mut self, summary: &Value) -> Result<()> {
        let mut out = std::io::stdout().lock();
        let written = match self.format {
            Format::Json => {
                let mut line = summary.clone();
                line["type"] = Value::from("end");
                writeln!(out, "{line}")
            }
            Format::Pretty => {
                let _ = self.pretty.close_line(&mut out);
                let id = summary["id"].as_str().unwrap_or("?");
                match summary["status"].as_str().unwrap_or("?") {
                    "succeeded" => {
                        let result =
                            serde_json::to_string_pretty(&summary["result"]).unwrap_or_default();
                        writeln!(out, "── run {id} succeeded:\n{result}")
                    }
                    "failed" => writeln!(
                        out,
                        "── run {id} failed: {}",
                        summary["error"].as_str().unwrap_or("(no message)")
                    ),
                    status => writeln!(out, "── run {id} is {status}"),
                }
            }
        };
        written.map_err(|e| Error::new(ErrorKind::Io, format!("cannot write to stdout: {e}")))
    }
}

/// A server's JSON event back as a harness [`Event`], so `logs` prints
/// with the same printer as `run`; `None` for what is not one.
fn event_from_json(value: &Value) -> Option<Event> {
    serde_json::from_value(value.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_agent_harness::events::{EventKind, RunOutcome};

    #[test]
    fn events_round_trip_through_json() {
        let kinds = [
            EventKind::RunStart {
                model: "p/m".into(),
                role: None,
            },
            EventKind::ToolCall {
                id: "t1".into(),
                name: "bash".into(),
                output: "ok".into(),
                is_error: false,
                duration_ms: 3,
            },
            EventKind::RunEnd {
                outcome: RunOutcome::Error("boom".into()),
                usage: Default::default(),
                cost: None,
                turns: 2,
            },
            EventKind::Task {
                child_session: "c".into(),
                child_run: "r2".into(),
                depth: 1,
                outcome: Some(RunOutcome::Cancelled),
            },
        ];
        for kind in kinds {
            let event = Event {
                run_id: "r".into(),
                index: 4,
                session: "s".into(),
                kind,
            };
            let value = serde_json::to_value(&event).unwrap();
            assert_eq!(event_from_json(&value), Some(event));
        }
        assert_eq!(event_from_json(&json!({"type": "idle"})), None);
    }

    #[test]
    fn sse_blocks() {
        assert_eq!(
            parse_block("id: 3\ndata: {\"a\":1}\n\n"),
            Some(Message {
                id: Some(3),
                event: None,
                data: json!({"a": 1})
            })
        );
        assert_eq!(parse_block(": heartbeat\n\n"), None);
        let end = parse_block("event: end\ndata: {\"status\":\"failed\"}\n\n").unwrap();
        assert_eq!(end.event.as_deref(), Some("end"));
    }
}
