//! AGENTS.md: standing instructions for agents, kept in the project.
//!
//! Every directory from the root down to the working directory may hold
//! one. Where a directory has no `AGENTS.md`, a `CLAUDE.md` stands in (the
//! name Claude Code reads), so projects written for either work; with
//! both, `AGENTS.md` wins and `CLAUDE.md` is not read. The files come
//! outermost first, so the nearest, most specific ones are read last.

use wasm_agent::vfs::Vfs;

use super::{ancestors, read_text, ContextError};

/// The file names looked for in each directory, preferred first.
pub const FILE_NAMES: [&str; 2] = ["AGENTS.md", "CLAUDE.md"];

/// How much instruction text goes into a prompt, all files together.
///
/// Instructions ride along in every request, so a huge file would crowd out
/// the conversation; 64 KiB is about 16,000 tokens.
pub const MAX_TOTAL_BYTES: usize = 64 * 1024;

/// One instruction file and the text taken from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instructions {
    /// The file's absolute path in the sandbox.
    pub path: String,
    /// Its contents, or the part that fits under the size cap followed by a
    /// note saying where the rest is.
    pub text: String,
    /// True when `text` is not the whole file.
    pub truncated: bool,
}

/// The instruction files from `/` down to `cwd`, outermost first, capped at
/// [`MAX_TOTAL_BYTES`] in all.
///
/// Missing files (and a `cwd` that does not exist) are normal and give
/// nothing. A file that exists but cannot be read, or is not UTF-8 text,
/// is an error naming it.
pub async fn discover(fs: &dyn Vfs, cwd: &str) -> Result<Vec<Instructions>, ContextError> {
    discover_capped(fs, cwd, MAX_TOTAL_BYTES).await
}

/// [`discover`] with another cap on the total size, in bytes.
///
/// Files are taken outermost first until the cap is reached: the file that
/// crosses it is cut (at a line end where possible), and later ones are
/// listed with a note instead of their text, so the model knows they exist
/// and can read them with the `read` tool.
pub async fn discover_capped(
    fs: &dyn Vfs,
    cwd: &str,
    max_total_bytes: usize,
) -> Result<Vec<Instructions>, ContextError> {
    let mut dirs = ancestors(cwd)?;
    dirs.reverse();
    let mut found = Vec::new();
    let mut left = max_total_bytes;
    for dir in dirs {
        for name in FILE_NAMES {
            let path = super::join(&dir, name);
            let Some(text) = read_text(fs, &path).await? else {
                continue;
            };
            found.push(fit(path, text, &mut left, max_total_bytes));
            break;
        }
    }
    Ok(found)
}

/// Takes what fits of `text` into the `left` bytes still allowed.
fn fit(path: String, text: String, left: &mut usize, cap: usize) -> Instructions {
    if text.len() <= *left {
        *left -= text.len();
        return Instructions {
            path,
            text,
            truncated: false,
        };
    }
    let mut end = *left;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // A cut mid-line reads as garbled instructions; end on a whole line
    // unless that would drop everything.
    if let Some(newline) = text[..end].rfind('\n') {
        end = newline + 1;
    }
    *left = 0;
    let shown = &text[..end];
    let note = if shown.is_empty() {
        format!(
            "[{path} is not included: instruction files are capped at {cap} bytes in all; \
             read it with the read tool if it matters]"
        )
    } else {
        format!(
            "\n[... truncated: the rest of {path} ({} more bytes) is not shown; \
             read it with the read tool if it matters]",
            text.len() - end
        )
    };
    Instructions {
        text: format!("{shown}{note}"),
        path,
        truncated: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_ends_on_a_line_and_says_where_the_rest_is() {
        let mut left = 10;
        let cut = fit(
            "/AGENTS.md".into(),
            "line one\nline two\n".into(),
            &mut left,
            10,
        );
        assert!(cut.truncated);
        assert!(
            cut.text.starts_with("line one\n\n[... truncated"),
            "{}",
            cut.text
        );
        assert!(cut.text.contains("/AGENTS.md (9 more bytes)"));
        assert_eq!(left, 0);
        let dropped = fit("/a/AGENTS.md".into(), "x".into(), &mut left, 10);
        assert!(dropped.text.starts_with("[/a/AGENTS.md is not included"));
    }
}
