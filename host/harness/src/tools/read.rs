//! `read`: a text file with line numbers, a window of it at a time.

use super::args::Args;
use super::truncate::cut_line;
use super::{Tool, ToolContext, ToolOutput};
use async_trait::async_trait;
use serde_json::{json, Value};
use wasm_agent::vfs::Errno;

/// Lines shown when no `limit` is given.
pub const DEFAULT_LIMIT: u64 = 2000;
/// Files larger than this are read only with `offset` or `limit`.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// How much of the start of a file is checked for binary content.
const SNIFF_BYTES: usize = 8192;

/// The `read` tool: `cat -n`-style numbered lines of a text file.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadTool;

#[async_trait]
impl Tool for ReadTool {
    fn name(&self) -> &str {
        "read"
    }

    fn description(&self) -> &str {
        "Read a text file. Lines come numbered like `cat -n` (number, tab, line). \
         By default up to 2000 lines from the start; use offset (first line, 1-based) \
         and limit (number of lines) for other parts. Lines longer than 2000 characters \
         are cut. Binary files are reported, not shown."
    }

    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "File to read (absolute, or relative to the working directory)"},
                "offset": {"type": "integer", "minimum": 1, "description": "First line to show, 1-based (default 1)"},
                "limit": {"type": "integer", "minimum": 1, "description": "Number of lines to show (default 2000)"}
            },
            "required": ["path"],
            "additionalProperties": false
        })
    }

    async fn call(&self, ctx: &ToolContext, args: Value) -> ToolOutput {
        match read(ctx, &args, &self.parameters()).await {
            Ok(text) => ToolOutput::ok(text),
            Err(message) => ToolOutput::error(message),
        }
    }
}

async fn read(ctx: &ToolContext, args: &Value, schema: &Value) -> Result<String, String> {
    let args = Args::parse("read", schema, args)?;
    let given = args.str("path").unwrap_or_default();
    let path = ctx.resolve(given).map_err(|e| format!("read: {e}"))?;
    let fs = ctx.sandbox.fs();
    let meta = fs.metadata(&path).await.map_err(|err| match err.errno() {
        Errno::NoEnt | Errno::NotDir => format!("read: no such file: {path}"),
        _ => format!("read: cannot read {path}: {err}"),
    })?;
    if meta.is_dir() {
        return Err(format!(
            "read: {path} is a directory, not a file; list it with glob or `ls` in bash"
        ));
    }
    let windowed = args.u64("offset").is_some() || args.u64("limit").is_some();
    if meta.len > MAX_FILE_BYTES && !windowed {
        return Err(format!(
            "read: {path} is {} bytes, over the {} MB limit for a whole read; \
             read a part with offset and limit, or search it with grep",
            meta.len,
            MAX_FILE_BYTES >> 20
        ));
    }
    let bytes = fs
        .read_file(&path)
        .await
        .map_err(|err| format!("read: cannot read {path}: {err}"))?;
    if is_binary(&bytes) {
        return Ok(format!(
            "{path}: binary file, {} bytes (not shown)",
            bytes.len()
        ));
    }
    if bytes.is_empty() {
        return Ok(format!("{path}: empty file (0 bytes)"));
    }
    let text = String::from_utf8_lossy(&bytes);
    let body = text.strip_suffix('\n').unwrap_or(&text);
    let lines: Vec<&str> = body.split('\n').collect();
    let total = lines.len() as u64;
    let offset = args.u64("offset").unwrap_or(1);
    let limit = args.u64("limit").unwrap_or(DEFAULT_LIMIT);
    if offset > total {
        return Err(format!(
            "read: offset {offset} is past the end of {path}, which has {total} line{}",
            if total == 1 { "" } else { "s" }
        ));
    }
    let end = offset.saturating_add(limit).saturating_sub(1).min(total);
    let mut out = String::new();
    for number in offset..=end {
        let line = lines[(number - 1) as usize];
        out.push_str(&format!("{number:>6}\t{}\n", cut_line(line)));
    }
    if end < total {
        out.push_str(&format!(
            "… {} more lines; use offset {} to read on\n",
            total - end,
            end + 1
        ));
    }
    Ok(out)
}

/// NUL bytes or invalid UTF-8 in the first [`SNIFF_BYTES`] bytes. A
/// multi-byte character cut by the sniff window is not a reason.
fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return true;
    }
    match std::str::from_utf8(head) {
        Ok(_) => false,
        Err(err) => err.error_len().is_some() || head.len() == bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_binary;

    #[test]
    fn binary_is_nul_or_bad_utf8() {
        assert!(!is_binary(b"plain text\n"));
        assert!(is_binary(b"a\0b"));
        assert!(is_binary(b"\xff\xfe"));
        // "é" cut by the window is text; cut by the file's end is not.
        let mut long = vec![b'a'; 8191];
        long.extend_from_slice("é and more".as_bytes());
        assert!(!is_binary(&long));
        assert!(is_binary(b"abc\xc3"));
    }
}
