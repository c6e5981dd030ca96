//! `grep`: the sandbox's own `grep -r`, run by argv.
//!
//! The pattern, glob and path are separate argv entries given to the guest
//! tool directly (no shell parses them), so quotes, spaces or `$(…)` in
//! them are only text to match.

use super::args::Args;
use super::truncate::cut_line;
use super::{Tool, ToolContext, ToolOutput};
use async_trait::async_trait;
use serde_json::{json, Value};

/// Results shown when `max_results` is not given.
pub const DEFAULT_MAX_RESULTS: u64 = 200;

/// The `grep` tool: searches file contents with Perl-style regular
/// expressions (`grep -P`) through the sandbox's `grep`.
///
/// Perl syntax rather than ERE because models write ripgrep/PCRE patterns
/// (`\d`, `\s+`, `(?i)`); ERE would take `\d` as a plain `d`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GrepTool;

#[async_trait]
impl Tool for GrepTool {
    fn name(&self) -> &str {
        "grep"
    }

    fn description(&self) -> &str {
        "Search file contents with a Perl-style regular expression (grep -P), recursively \
         under path (default: the working directory). output_mode: content (matching lines \
         as path:line:text, the default), files_with_matches (paths only, sorted) or count \
         (path:count, sorted). glob limits the files searched by name (e.g. *.rs). \
         At most max_results lines (default 200) are shown."
    }

    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "pattern": {"type": "string", "description": "Perl-style regular expression (grep -P), e.g. fn\\s+\\w+"},
                "path": {"type": "string", "description": "File or directory to search (default: working directory)"},
                "glob": {"type": "string", "description": "Only search files whose name matches this glob (grep --include)"},
                "ignore_case": {"type": "boolean", "description": "Case-insensitive match (default false)"},
                "output_mode": {"type": "string", "enum": ["content", "files_with_matches", "count"], "description": "What to show (default content)"},
                "context": {"type": "integer", "minimum": 0, "description": "Lines of context around each match (content mode)"},
                "max_results": {"type": "integer", "minimum": 1, "description": "Most result lines shown (default 200)"}
            },
            "required": ["pattern"],
            "additionalProperties": false
        })
    }

    async fn call(&self, ctx: &ToolContext, args: Value) -> ToolOutput {
        match grep(ctx, &args, &self.parameters()).await {
            Ok(text) => ToolOutput::ok(text),
            Err(message) => ToolOutput::error(message),
        }
    }
}

/// What to give `grep` as its paths: `path` itself, except that a search
/// of the whole tree (`/`) lists the top-level entries but `/dev`, whose
/// endless devices (`/dev/zero`) the guest `grep -r` would read.
async fn search_roots(ctx: &ToolContext, path: &str, absolute: &str) -> Vec<String> {
    if absolute != "/" {
        return vec![path.to_string()];
    }
    match ctx.sandbox.fs().read_dir("/").await {
        Ok(entries) => entries
            .into_iter()
            .filter(|entry| entry.name != "dev")
            .map(|entry| format!("/{}", entry.name))
            .collect(),
        // `/` exists (the caller checked), so listing it cannot fail for
        // want of it; any other failure, grep reports itself.
        Err(_) => vec![path.to_string()],
    }
}

/// The three shapes of output.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Content,
    Files,
    Count,
}

async fn grep(ctx: &ToolContext, args: &Value, schema: &Value) -> Result<String, String> {
    let args = Args::parse("grep", schema, args)?;
    let pattern = args.str("pattern").unwrap_or_default();
    let mode = match args.str("output_mode").unwrap_or("content") {
        "files_with_matches" => Mode::Files,
        "count" => Mode::Count,
        _ => Mode::Content,
    };
    if args.u64("context").is_some() && mode != Mode::Content {
        return Err("grep: context applies to output_mode content only".to_string());
    }
    let path = args.str("path").unwrap_or(".");
    let absolute = ctx.resolve(path).map_err(|e| format!("grep: {e}"))?;
    if !ctx.sandbox.fs().exists(&absolute).await {
        return Err(format!("grep: no such file or directory: {absolute}"));
    }

    let mut command: Vec<String> = ["grep", "-r", "-H", "-P"].map(String::from).to_vec();
    command.push(
        match mode {
            Mode::Content => "-n",
            Mode::Files => "-l",
            Mode::Count => "-c",
        }
        .to_string(),
    );
    if args.flag("ignore_case") {
        command.push("-i".to_string());
    }
    if let Some(lines) = args.u64("context") {
        command.push(format!("-C{lines}"));
    }
    if let Some(glob) = args.str("glob") {
        command.push(format!("--include={glob}"));
    }
    // `-e` and `--` keep a pattern or path starting with `-` from being
    // taken as an option.
    let roots = search_roots(ctx, path, &absolute).await;
    if roots.is_empty() {
        return Ok("No matches\n".to_string());
    }
    command.extend(["-e", pattern, "--"].map(String::from));
    command.extend(roots);
    let output = ctx
        .sandbox
        .run(command, &ctx.cwd)
        .await
        .map_err(|err| format!("grep: {err}"))?;
    let stderr = output.stderr_lossy();
    if output.exit_code >= 2 && output.stdout.is_empty() {
        let detail = stderr.trim();
        return Err(if detail.is_empty() {
            format!("grep: failed with status {}", output.exit_code)
        } else {
            detail.to_string()
        });
    }

    let stdout = output.stdout_lossy();
    let mut lines: Vec<&str> = stdout.lines().collect();
    if mode == Mode::Count {
        // grep -c lists every file searched; the model wants the hits.
        lines.retain(|line| line.rsplit_once(':').is_none_or(|(_, n)| n != "0"));
    }
    if mode != Mode::Content {
        lines.sort_unstable();
    }
    if lines.is_empty() {
        return Ok("No matches\n".to_string());
    }
    let max = args.u64("max_results").unwrap_or(DEFAULT_MAX_RESULTS) as usize;
    let total = lines.len();
    let mut out: String = lines
        .iter()
        .take(max)
        .map(|line| format!("{}\n", cut_line(line)))
        .collect();
    if total > max {
        out.push_str(&format!(
            "[results truncated: showing {max} of {total} lines; narrow the pattern or path, or raise max_results]\n"
        ));
    }
    if output.exit_code >= 2 && !stderr.trim().is_empty() {
        out.push_str(&format!("[some files could not be searched]\n{stderr}"));
    }
    Ok(out)
}
