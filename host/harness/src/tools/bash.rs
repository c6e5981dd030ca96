//! `bash`: a script in the sandbox's shell.

use super::args::Args;
use super::truncate::tail;
use super::{Tool, ToolContext, ToolOutput};
use async_trait::async_trait;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use wasm_agent::ExecOptions;

/// Time limit when the call gives none, in seconds.
pub const DEFAULT_TIMEOUT_SECS: f64 = 120.0;
/// Longest time limit a call may ask for, in seconds.
pub const MAX_TIMEOUT_SECS: f64 = 600.0;

/// The `bash` tool: runs a script in the sandbox and reports its output
/// (stdout, then stderr), tail-truncated, with its exit status.
///
/// Each call is one [`Sandbox::exec_with`](wasm_agent::Sandbox::exec_with)
/// in the context's working directory: files persist between calls, shell
/// state (`cd`, variables) does so only in a sandbox built with
/// `keep_shell_state`.
///
/// A non-zero status or a timeout is an error result (`is_error`), with
/// the output and `Command exited with code N` or `Command timed out
/// after S s`; the harness itself does not fail.
#[derive(Debug, Clone, Copy, Default)]
pub struct BashTool;

#[async_trait]
impl Tool for BashTool {
    fn name(&self) -> &str {
        "bash"
    }

    fn description(&self) -> &str {
        "Run a bash script in the sandbox, in the working directory. Output is stdout \
         followed by stderr; only the last 2000 lines / 50 KB are kept. Optional timeout \
         in seconds (default 120, max 600); a timed-out command stops with status 124."
    }

    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "command": {"type": "string", "description": "The bash script to run"},
                "timeout": {"type": "number", "description": "Time limit in seconds (default 120, max 600)"}
            },
            "required": ["command"],
            "additionalProperties": false
        })
    }

    async fn call(&self, ctx: &ToolContext, args: Value) -> ToolOutput {
        let args = match Args::parse("bash", &self.parameters(), &args) {
            Ok(args) => args,
            Err(message) => return ToolOutput::error(message),
        };
        let command = args.str("command").unwrap_or_default();
        let secs = args.f64("timeout").unwrap_or(DEFAULT_TIMEOUT_SECS);
        if !(secs > 0.0 && secs <= MAX_TIMEOUT_SECS) {
            return ToolOutput::error(format!(
                "bash: timeout {secs} is out of range; give seconds above 0 and at most {MAX_TIMEOUT_SECS}"
            ));
        }
        let limit = Duration::from_secs_f64(secs);
        let mut options = ExecOptions::default().cwd(ctx.cwd.clone());
        options.timeout = Some(limit);
        let started = Instant::now();
        let result = match ctx.exec(command, options).await {
            Ok(result) => result,
            Err(err) => return ToolOutput::error(format!("bash: {err}")),
        };
        // 124 is also an ordinary status a script may exit with; only the
        // clock tells the two apart.
        let timed_out = result.exit_code == 124 && started.elapsed() >= limit;
        let mut output = result.stdout;
        if !output.is_empty() && !output.ends_with(b"\n") && !result.stderr.is_empty() {
            output.push(b'\n');
        }
        output.extend_from_slice(&result.stderr);
        let text = String::from_utf8_lossy(&output);
        let mut content = if text.is_empty() {
            "(no output)\n".to_string()
        } else {
            tail(&text)
        };
        if !content.ends_with('\n') {
            content.push('\n');
        }
        if timed_out {
            content.push_str(&format!("Command timed out after {} s\n", secs));
        } else if result.exit_code != 0 {
            content.push_str(&format!("Command exited with code {}\n", result.exit_code));
        }
        ToolOutput {
            content,
            is_error: result.exit_code != 0,
        }
    }
}
