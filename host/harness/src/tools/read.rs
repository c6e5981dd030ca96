//! `read`: a text file with line numbers, a window of it at a time.

use super::args::Args;
use super::truncate::cut_line;
use super::{Tool, ToolContext, ToolOutput};
use async_trait::async_trait;
use serde_json::{json, Value};
use wasm_agent::vfs::{Errno, OpenOptions, VfsError, VfsFile, VfsResult};

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
    let file = fs
        .open(&path, OpenOptions::read())
        .await
        .map_err(|err| format!("read: cannot read {path}: {err}"))?;
    let failed = |err: VfsError| format!("read: cannot read {path}: {err}");
    let mut head = vec![0; SNIFF_BYTES];
    let n = file.read_full_at(&mut head, 0).await.map_err(failed)?;
    head.truncate(n);
    if is_binary(&head, (n as u64) < SNIFF_BYTES as u64) {
        return Ok(format!(
            "{path}: binary file, {} bytes (not shown)",
            meta.len
        ));
    }
    if head.is_empty() {
        return Ok(format!("{path}: empty file (0 bytes)"));
    }
    let offset = args.u64("offset").unwrap_or(1);
    let limit = args.u64("limit").unwrap_or(DEFAULT_LIMIT);
    let last = offset.saturating_add(limit).saturating_sub(1);
    // Counting the lines after the window means reading to the end; past
    // the size limit the note says "more" without a count.
    let count_all = meta.len <= MAX_FILE_BYTES;
    let window = scan(file.as_ref(), offset, last, count_all)
        .await
        .map_err(failed)?;
    if window.lines.is_empty() {
        let total = window.seen;
        return Err(format!(
            "read: offset {offset} is past the end of {path}, which has {total} line{}",
            if total == 1 { "" } else { "s" }
        ));
    }
    let mut out = String::new();
    for (number, line) in &window.lines {
        out.push_str(&format!("{number:>6}\t{}\n", cut_line(line)));
    }
    let end = offset + window.lines.len() as u64 - 1;
    match (window.complete, window.seen > end) {
        (true, true) => out.push_str(&format!(
            "… {} more lines; use offset {} to read on\n",
            window.seen - end,
            end + 1
        )),
        (false, _) => out.push_str(&format!(
            "… more lines follow ({path} is {} bytes); use offset {} to read on\n",
            meta.len,
            end + 1
        )),
        (true, false) => {}
    }
    Ok(out)
}

/// Size of each read while scanning a file for lines.
const CHUNK_BYTES: usize = 64 * 1024;

/// Lines `first..=last` of a file, read in chunks so that a window of a
/// huge file does not load all of it.
struct Window {
    /// The lines of the window, numbered from 1, without their newline.
    lines: Vec<(u64, String)>,
    /// Lines seen: all of them when `complete`.
    seen: u64,
    /// The scan reached the end of the file.
    complete: bool,
}

async fn scan(file: &dyn VfsFile, first: u64, last: u64, count_all: bool) -> VfsResult<Window> {
    let mut window = Window {
        lines: Vec::new(),
        seen: 0,
        complete: false,
    };
    let mut chunk = vec![0; CHUNK_BYTES];
    let mut pending: Vec<u8> = Vec::new();
    let mut pos = 0u64;
    loop {
        let n = file.read_at(&mut chunk, pos).await?;
        if n == 0 {
            break;
        }
        pos += n as u64;
        let mut rest = &chunk[..n];
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            window.seen += 1;
            if (first..=last).contains(&window.seen) {
                pending.extend_from_slice(&rest[..i]);
                let line = String::from_utf8_lossy(&pending).into_owned();
                window.lines.push((window.seen, line));
            }
            pending.clear();
            rest = &rest[i + 1..];
        }
        if window.seen >= last && !count_all {
            return Ok(window);
        }
        // Only a line that may be shown is worth keeping.
        if (first..=last).contains(&(window.seen + 1)) {
            pending.extend_from_slice(rest);
        } else if !rest.is_empty() {
            pending.push(b'x');
        }
    }
    if !pending.is_empty() {
        window.seen += 1;
        if (first..=last).contains(&window.seen) {
            window
                .lines
                .push((window.seen, String::from_utf8_lossy(&pending).into_owned()));
        }
    }
    window.complete = true;
    Ok(window)
}

/// NUL bytes or invalid UTF-8 in `head`, the first bytes of a file
/// (`whole`: all of it). A multi-byte character cut at the end of a part
/// is not a reason.
fn is_binary(head: &[u8], whole: bool) -> bool {
    if head.contains(&0) {
        return true;
    }
    match std::str::from_utf8(head) {
        Ok(_) => false,
        Err(err) => err.error_len().is_some() || whole,
    }
}

#[cfg(test)]
mod tests {
    use super::is_binary;

    #[test]
    fn binary_is_nul_or_bad_utf8() {
        assert!(!is_binary(b"plain text\n", true));
        assert!(is_binary(b"a\0b", true));
        assert!(is_binary(b"\xff\xfe", false));
        // "é" cut by the window is text; cut by the file's end is not.
        assert!(!is_binary(b"abc\xc3", false));
        assert!(is_binary(b"abc\xc3", true));
    }
}
