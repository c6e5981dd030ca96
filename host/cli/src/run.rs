//! `wasm-agent run`: one run of an agent of the project, from the command
//! line or CI.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use wasm_agent_harness::Event;

use crate::agents::{self, Project, RunError, RunErrorKind, RunRequest};
use crate::events_print::{self, Pretty};

/// Examples shown by `wasm-agent run --help`.
const EXAMPLES: &str = "\
Examples:
  wasm-agent run triage --id issue-42 --payload '{\"title\": \"crash on start\"}'
  wasm-agent run triage --id issue-42 --payload @issue.json --env .env --output json
  WASM_AGENT_MODEL=anthropic/claude-haiku-4-5 wasm-agent run review --id pr-7

The agent is .wasm-agent/agents/<AGENT>.md in the nearest directory (from here upward)
holding .wasm-agent/. Progress goes to stderr; the result to stdout as JSON: the typed
value when the agent has a result schema, else {\"text\": \"<its last answer>\"}. The
same --id continues the session kept in .wasm-agent/sessions/.

Exit status: 0 on success, 1 when the agent or its definition fails, 2 for a wrong
command line (unknown agent, bad --payload, --env or --id, a payload lacking a key
the template uses).";

/// Flags of `wasm-agent run`.
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct RunArgs {
    /// The agent to run: .wasm-agent/agents/<AGENT>.md.
    #[arg(value_name = "AGENT")]
    agent: String,
    /// The session id: the same id continues the same conversation.
    #[arg(long, visible_alias = "session-id", value_name = "ID")]
    id: String,
    /// The payload the prompt template reads: JSON, or @FILE holding JSON
    /// (@- reads stdin).
    #[arg(long, value_name = "JSON|@FILE")]
    payload: Option<String>,
    /// The model, provider/model-id (default: WASM_AGENT_MODEL, then the
    /// agent's `model`, its role's, and [defaults] model of
    /// wasm-agent.toml).
    #[arg(long, value_name = "MODEL")]
    model: Option<String>,
    /// A file of KEY=VALUE lines for {{env.KEY}}, ${KEY} in host-command
    /// env and provider keys (repeatable; later files win; never printed).
    #[arg(long = "env", value_name = "FILE")]
    env_files: Vec<PathBuf>,
    /// pretty: progress on stderr, the result as pretty JSON on stdout;
    /// json: every event as one JSON line on stdout, then
    /// {"type":"result","run_id":..,"result":..}.
    #[arg(long, value_enum, default_value_t = Output::Pretty)]
    output: Output,
    /// The config file (default: WASM_AGENT_CONFIG, else wasm-agent.toml
    /// at the project root).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// How `run` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// Readable progress on stderr, the result as pretty JSON.
    Pretty,
    /// NDJSON events and result on stdout.
    Json,
}

/// Why `run` stopped before or during the run, with its exit status.
struct Failure {
    status: u8,
    kind: &'static str,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            status: 2,
            kind: "usage",
            message: message.into(),
        }
    }
}

impl From<RunError> for Failure {
    fn from(err: RunError) -> Failure {
        let unknown_agent = err.definition().is_some_and(|d| d.is_unknown_agent());
        let (status, kind) = match err.kind() {
            _ if unknown_agent => (2, "usage"),
            RunErrorKind::BadRequest => (2, "bad_request"),
            RunErrorKind::Definition => (1, "definition"),
            RunErrorKind::Setup => (1, "setup"),
            _ => (1, "agent"),
        };
        Failure {
            status,
            kind,
            message: err.to_string(),
        }
    }
}

/// Runs the agent; returns the exit status. Everything is reported here.
pub async fn run(args: RunArgs) -> u8 {
    let output = args.output;
    match run_inner(args).await {
        Ok(()) => 0,
        Err(failure) => {
            if output == Output::Json {
                let line = json!({"type": "error", "kind": failure.kind,
                                  "message": failure.message});
                let _ = writeln!(std::io::stdout().lock(), "{line}");
            }
            eprintln!("wasm-agent run: {}", failure.message);
            failure.status
        }
    }
}

async fn run_inner(args: RunArgs) -> Result<(), Failure> {
    let payload = match &args.payload {
        Some(text) => parse_payload(text)?,
        None => Value::Null,
    };
    let mut env = Vec::new();
    for file in &args.env_files {
        env.extend(read_env_file(file)?);
    }
    let cwd = std::env::current_dir()
        .map_err(|e| Failure::usage(format!("cannot find the current directory: {e}")))?;
    let project = Project::discover(&cwd).map_err(|e| Failure::usage(e.to_string()))?;
    let config = args
        .config
        .clone()
        .or_else(|| std::env::var_os("WASM_AGENT_CONFIG").map(PathBuf::from));
    let project = match config {
        Some(path) => project
            .with_config_file(&path)
            .map_err(|e| Failure::from(RunError::from(e)))?,
        None => project,
    };
    let model = args
        .model
        .clone()
        .or_else(|| std::env::var("WASM_AGENT_MODEL").ok())
        .filter(|m| !m.trim().is_empty());
    let store = project.session_store().map_err(|message| Failure {
        status: 1,
        kind: "setup",
        message,
    })?;
    let printer = Arc::new(Mutex::new(Pretty::new()));
    let observe: Arc<dyn Fn(&Event) + Send + Sync> = match args.output {
        Output::Pretty => {
            let sink = printer.clone();
            Arc::new(move |event: &Event| {
                let mut printer = sink.lock().unwrap_or_else(|e| e.into_inner());
                // Progress is best effort: a closed stderr must not stop
                // the run.
                let _ = printer.print(&mut std::io::stderr().lock(), event);
            })
        }
        Output::Json => Arc::new(|event: &Event| {
            let _ = events_print::ndjson(&mut std::io::stdout().lock(), event);
        }),
    };
    // Ctrl-C (or SIGTERM) aborts the run; the session keeps what happened.
    let interrupt = tokio_util::sync::CancellationToken::new();
    let on_signal = interrupt.clone();
    let signals = tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("\nwasm-agent run: interrupted; saving the session");
        on_signal.cancel();
    });
    let request = RunRequest {
        agent: args.agent.clone(),
        id: args.id.clone(),
        payload,
        model,
        env,
        interrupt: Some(interrupt),
    };
    let finished = agents::run(&project, request, store, observe).await;
    signals.abort();
    // Streamed text may have left a line open.
    let _ = printer
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .close_line(&mut std::io::stderr().lock());
    let finished = finished?;
    let mut stdout = std::io::stdout().lock();
    let written = match args.output {
        Output::Pretty => serde_json::to_string_pretty(&finished.result)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(stdout, "{text}")),
        Output::Json => writeln!(
            stdout,
            "{}",
            json!({"type": "result", "run_id": finished.run_id, "result": finished.result})
        ),
    };
    written.map_err(|e| Failure {
        status: 1,
        kind: "output",
        message: format!("cannot write the result: {e}"),
    })
}

/// The payload of `--payload`: JSON, `@FILE` or `@-` (stdin).
fn parse_payload(text: &str) -> Result<Value, Failure> {
    let (source, json) = match text.strip_prefix('@') {
        Some("-") => {
            let mut input = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
                .map_err(|e| Failure::usage(format!("--payload @-: cannot read stdin: {e}")))?;
            ("stdin".to_owned(), input)
        }
        Some(file) => {
            let input = std::fs::read_to_string(file)
                .map_err(|e| Failure::usage(format!("--payload @{file}: cannot read: {e}")))?;
            (file.to_owned(), input)
        }
        None => ("--payload".to_owned(), text.to_owned()),
    };
    serde_json::from_str(&json).map_err(|e| {
        Failure::usage(format!(
            "{source}:{}:{}: the payload is not valid JSON: {e}; give a JSON value such as \
             '{{\"key\": \"value\"}}' or @FILE",
            e.line(),
            e.column()
        ))
    })
}

/// `KEY=VALUE` lines of an env file (`#` comments, blank lines, an
/// `export ` prefix and quotes around the value allowed).
fn read_env_file(path: &Path) -> Result<Vec<(String, String)>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("--env {}: cannot read: {e}", path.display())))?;
    parse_env(&text)
        .map_err(|(line, message)| Failure::usage(format!("{}:{line}: {message}", path.display())))
}

fn parse_env(text: &str) -> Result<Vec<(String, String)>, (usize, String)> {
    let mut vars = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            // The line is not echoed: it may be a secret without its name.
            return Err((index + 1, "expected KEY=VALUE".to_owned()));
        };
        let name = name.trim();
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err((
                index + 1,
                format!("'{name}' is not a variable name (letters, digits and '_')"),
            ));
        }
        let value = value.trim();
        let value = [('"', '"'), ('\'', '\'')]
            .iter()
            .find_map(|(open, close)| {
                value
                    .strip_prefix(*open)
                    .and_then(|v| v.strip_suffix(*close))
            })
            .unwrap_or(value);
        vars.push((name.to_owned(), value.to_owned()));
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_parse() {
        let vars = parse_env("# c\n\nexport A=1\nB = \"two words\"\nC='x=y'\n").unwrap();
        assert_eq!(
            vars,
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "two words".into()),
                ("C".into(), "x=y".into())
            ]
        );
        assert_eq!(parse_env("A=1\nsecret\n").unwrap_err().0, 2);
        assert!(parse_env("1A=x").is_err());
    }

    #[test]
    fn payloads_parse_or_point_at_the_error() {
        assert_eq!(parse_payload("{\"a\": 1}").ok(), Some(json!({"a": 1})));
        let err = parse_payload("{\"a\": }").err().unwrap();
        assert_eq!(err.status, 2);
        assert!(err.message.starts_with("--payload:1:"), "{}", err.message);
    }
}
