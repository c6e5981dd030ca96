//! `edit`: exact-match replacement in a text file.
//!
//! The model copies text from `read` output; a replacement is made only
//! when that text is found exactly and, unless `replace_all` is set, once.
//! Failures say which case it was, with line numbers, so the model can fix
//! its next call instead of guessing.

use super::args::Args;
use super::{Tool, ToolContext, ToolOutput};
use async_trait::async_trait;
use serde_json::{json, Value};
use wasm_agent::vfs::Errno;

/// Lines of context shown around the first replacement.
const CONTEXT_LINES: usize = 2;

/// The `edit` tool: replaces `old_string` with `new_string` in a file.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditTool;

#[async_trait]
impl Tool for EditTool {
    fn name(&self) -> &str {
        "edit"
    }

    fn description(&self) -> &str {
        "Replace exact text in a file. old_string must match the file exactly \
         (whitespace and indentation included, without read's line-number prefix) and \
         occur once, unless replace_all is true. Include surrounding lines to make it unique."
    }

    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "File to edit"},
                "old_string": {"type": "string", "description": "Exact text to replace"},
                "new_string": {"type": "string", "description": "Text to put in its place"},
                "replace_all": {"type": "boolean", "description": "Replace every occurrence (default false)"}
            },
            "required": ["path", "old_string", "new_string"],
            "additionalProperties": false
        })
    }

    async fn call(&self, ctx: &ToolContext, args: Value) -> ToolOutput {
        match edit(ctx, &args, &self.parameters()).await {
            Ok(text) => ToolOutput::ok(text),
            Err(message) => ToolOutput::error(message),
        }
    }
}

async fn edit(ctx: &ToolContext, args: &Value, schema: &Value) -> Result<String, String> {
    let args = Args::parse("edit", schema, args)?;
    let path = ctx
        .resolve(args.str("path").unwrap_or_default())
        .map_err(|e| format!("edit: {e}"))?;
    let old = args.str("old_string").unwrap_or_default();
    let new = args.str("new_string").unwrap_or_default();
    if old.is_empty() {
        return Err(
            "edit: old_string is empty; to create or replace a whole file, use write".to_string(),
        );
    }
    if old == new {
        return Err(
            "edit: old_string and new_string are the same; there is nothing to change".to_string(),
        );
    }
    let bytes = ctx
        .sandbox
        .fs()
        .read_file(&path)
        .await
        .map_err(|err| match err.errno() {
            Errno::NoEnt | Errno::NotDir => {
                format!("edit: no such file: {path}; to create it, use write")
            }
            Errno::IsDir => format!("edit: {path} is a directory, not a file"),
            _ => format!("edit: cannot read {path}: {err}"),
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("edit: {path} is not UTF-8 text; edit it with bash tools"))?;
    let starts: Vec<usize> = text.match_indices(old).map(|(i, _)| i).collect();
    if starts.is_empty() {
        return Err(not_found(&path, &text, old));
    }
    let replace_all = args.flag("replace_all");
    if starts.len() > 1 && !replace_all {
        let lines: Vec<String> = starts
            .iter()
            .map(|&i| line_of(&text, i).to_string())
            .collect();
        return Err(format!(
            "edit: old_string occurs {} times in {path} (at lines {}); include more \
             surrounding text to make it unique, or set replace_all to true",
            starts.len(),
            lines.join(", ")
        ));
    }
    let updated = if replace_all {
        text.replace(old, new)
    } else {
        text.replacen(old, new, 1)
    };
    ctx.files()
        .write_file(&path, updated.as_bytes())
        .await
        .map_err(|err| format!("edit: cannot write {path}: {err}"))?;
    let count = starts.len();
    let mut out = format!(
        "Replaced {count} occurrence{} in {path}.\n",
        if count == 1 { "" } else { "s" }
    );
    out.push_str(&context(&updated, starts[0], new));
    Ok(out)
}

/// 1-based line number of byte `index` in `text`.
fn line_of(text: &str, index: usize) -> usize {
    text[..index].matches('\n').count() + 1
}

/// The lines around the new text at `start`, numbered like `read`.
fn context(text: &str, start: usize, new: &str) -> String {
    let first = line_of(text, start);
    let last = line_of(text, start + new.len()).max(first);
    let lines: Vec<&str> = text.split('\n').collect();
    let from = first.saturating_sub(CONTEXT_LINES).max(1);
    let to = (last + CONTEXT_LINES).min(lines.len());
    (from..=to)
        .filter(|&n| !(n == lines.len() && lines[n - 1].is_empty()))
        .map(|n| format!("{n:>6}\t{}\n", super::truncate::cut_line(lines[n - 1])))
        .collect()
}

/// The "not found" message, with a hint when the text is there except for
/// whitespace at line starts or ends (the usual cause: tabs vs spaces, or a
/// line copied with read's number prefix removed badly).
fn not_found(path: &str, text: &str, old: &str) -> String {
    let mut message = format!("edit: old_string was not found in {path}");
    let wanted: Vec<&str> = old.trim_matches('\n').split('\n').map(str::trim).collect();
    let lines: Vec<&str> = text.split('\n').map(str::trim).collect();
    let has_text = wanted.iter().any(|l| !l.is_empty());
    let hit = (0..lines.len().saturating_sub(wanted.len() - 1))
        .find(|&i| has_text && lines[i..i + wanted.len()] == wanted[..]);
    match hit {
        Some(i) => {
            let (from, to) = (i + 1, i + wanted.len());
            let span = if from == to {
                format!("line {from}")
            } else {
                format!("lines {from}-{to}")
            };
            message.push_str(&format!(
                "; {span} match it if leading/trailing whitespace is ignored: check the \
                 indentation (tabs vs spaces) and copy the text exactly as the file has it"
            ));
        }
        None => message.push_str(
            "; read the file again and copy old_string exactly (without the line-number prefix)",
        ),
    }
    message
}
