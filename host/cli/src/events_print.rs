//! Printing a harness's events: readable progress for people
//! ([`Pretty`]) or one JSON object per line for programs ([`ndjson`]).
//! `run` prints its own run's events; `logs` can print a server's the
//! same way.

use std::io::Write;

use wasm_agent_harness::{Event, EventKind, RunOutcome};

/// The longest tool summary or output line shown, in characters.
const WIDTH: usize = 100;

/// Writes `event` as one line of JSON (NDJSON), as the harness serialises
/// it: `{"run_id", "index", "session", "type", ...}`.
pub fn ndjson(out: &mut dyn Write, event: &Event) -> std::io::Result<()> {
    let line = serde_json::to_string(event).map_err(std::io::Error::other)?;
    writeln!(out, "{line}")
}

/// Readable progress: turns, streamed text, tool calls with a one-line
/// summary and their outcome, the run's totals. Streamed text is written
/// as it comes, so the printer remembers whether a line is open.
#[derive(Debug, Default)]
pub struct Pretty {
    /// What the open line holds: streamed text or thinking.
    open: Option<Stream>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Text,
    Thinking,
}

impl Pretty {
    /// A printer with no line open.
    pub fn new() -> Pretty {
        Pretty::default()
    }

    /// Writes what `event` says, if it says anything worth a person's
    /// attention.
    pub fn print(&mut self, out: &mut dyn Write, event: &Event) -> std::io::Result<()> {
        match &event.kind {
            EventKind::TextDelta { text } => return self.stream(out, Stream::Text, text),
            EventKind::Thinking { text } => return self.stream(out, Stream::Thinking, text),
            _ => {}
        }
        let line = match &event.kind {
            EventKind::RunStart { model, role } => match role {
                Some(role) => format!("── run {} · {model} · role {role}", event.run_id),
                None => format!("── run {} · {model}", event.run_id),
            },
            EventKind::TurnStart { turn } => format!("── turn {turn}"),
            EventKind::ToolStart { name, input, .. } => {
                format!("→ {name} {}", tool_summary(name, input))
            }
            EventKind::ToolCall {
                name,
                output,
                is_error,
                duration_ms,
                ..
            } => {
                let first = output.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                let more = output.lines().count().saturating_sub(1);
                let more = if more > 0 {
                    format!(" (+{more} lines)")
                } else {
                    String::new()
                };
                let mark = if *is_error { "✗" } else { "←" };
                format!(
                    "  {mark} {name} {duration_ms} ms: {}{more}",
                    clip(first.trim())
                )
            }
            EventKind::Task {
                child_session,
                depth,
                outcome,
                ..
            } => match outcome {
                None => format!("── task {child_session} (depth {depth}) started"),
                Some(outcome) => {
                    format!("── task {child_session} ended: {}", describe(outcome))
                }
            },
            EventKind::Compaction {
                reason,
                messages_before,
                messages_after,
            } => format!(
                "── conversation compacted ({reason}): {messages_before} → {messages_after} messages"
            ),
            EventKind::Log { level, message } => format!("{level}: {message}"),
            EventKind::RunEnd {
                outcome,
                usage,
                cost,
                turns,
            } => {
                let cost = cost.map(|c| format!(", ${:.4}", c.total())).unwrap_or_default();
                format!(
                    "── {} after {turns} turn{}: {} tokens in, {} out{cost}",
                    describe(outcome),
                    if *turns == 1 { "" } else { "s" },
                    usage.input_tokens,
                    usage.output_tokens
                )
            }
            _ => return Ok(()),
        };
        self.close_line(out)?;
        writeln!(out, "{line}")
    }

    /// Ends an open line of streamed text, so what follows starts on its
    /// own line.
    pub fn close_line(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.open.take().is_some() {
            writeln!(out)?;
        }
        Ok(())
    }

    fn stream(&mut self, out: &mut dyn Write, kind: Stream, text: &str) -> std::io::Result<()> {
        if self.open != Some(kind) {
            self.close_line(out)?;
            if kind == Stream::Thinking {
                write!(out, "(thinking) ")?;
            }
            self.open = Some(kind);
        }
        write!(out, "{text}")?;
        out.flush()
    }
}

/// The gist of a tool call: the command of `bash`, the path of file
/// tools, the pattern of searches; else its arguments as JSON.
pub fn tool_summary(name: &str, input: &serde_json::Value) -> String {
    let field = |key: &str| input.get(key).and_then(|v| v.as_str());
    let gist = match name {
        "bash" => field("command").map(str::to_owned),
        "read" | "write" | "edit" => field("path").map(str::to_owned),
        "grep" | "glob" => field("pattern").map(|p| match field("path") {
            Some(path) => format!("{p} in {path}"),
            None => p.to_owned(),
        }),
        "task" => field("prompt").map(str::to_owned),
        _ => None,
    };
    let gist = gist.unwrap_or_else(|| input.to_string());
    clip(gist.lines().next().unwrap_or("").trim())
}

fn describe(outcome: &RunOutcome) -> String {
    match outcome {
        RunOutcome::Ok => "done".to_owned(),
        RunOutcome::Error(message) => format!("failed ({message})"),
        RunOutcome::Cancelled => "aborted".to_owned(),
    }
}

/// `text` cut to [`WIDTH`] characters, marked when cut.
fn clip(text: &str) -> String {
    match text.char_indices().nth(WIDTH) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: EventKind) -> Event {
        Event {
            run_id: "r-run-1".into(),
            index: 0,
            session: "s".into(),
            kind,
        }
    }

    #[test]
    fn progress_reads_as_lines() {
        let mut pretty = Pretty::new();
        let mut out = Vec::new();
        for kind in [
            EventKind::TurnStart { turn: 1 },
            EventKind::TextDelta {
                text: "Look".into(),
            },
            EventKind::TextDelta {
                text: "ing.".into(),
            },
            EventKind::ToolStart {
                id: "t".into(),
                name: "bash".into(),
                input: json!({"command": "ls -la\necho hi"}),
            },
            EventKind::ToolCall {
                id: "t".into(),
                name: "bash".into(),
                output: "a\nb\n".into(),
                is_error: false,
                duration_ms: 3,
            },
        ] {
            pretty.print(&mut out, &event(kind)).unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "── turn 1\nLooking.\n→ bash ls -la\n  ← bash 3 ms: a (+1 lines)\n"
        );
    }

    #[test]
    fn summaries_are_clipped() {
        let long = "x".repeat(300);
        let summary = tool_summary("custom", &json!({ "q": long }));
        assert_eq!(summary.chars().count(), WIDTH + 1);
        let mut out = Vec::new();
        ndjson(&mut out, &event(EventKind::TurnStart { turn: 2 })).unwrap();
        let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(line["type"], "turn_start");
    }
}
