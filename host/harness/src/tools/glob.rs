//! `glob`: file paths matching a glob with `**`, found by the sandbox's
//! `find`.
//!
//! `find -path` cannot say `**` (its `*` already crosses `/`, so `a/*.rs`
//! would match `a/b/c.rs`). The pattern is therefore turned into two
//! forms: a looser `-path` pattern that `find` uses to list candidates,
//! and an exact regular expression that keeps only the true matches.

use super::args::Args;
use super::{Tool, ToolContext, ToolOutput};
use async_trait::async_trait;
use regex::Regex;
use serde_json::{json, Value};

/// Most paths listed.
pub const MAX_PATHS: usize = 1000;

/// The `glob` tool: files whose path (relative to `path`) matches a glob.
///
/// `*` and `?` stay within one path component, `**` spans any number of
/// them (`src/**/*.rs` includes `src/main.rs`), `[abc]`/`[!abc]` are
/// classes, `{a,b}` alternatives and `\` quotes the next character.
#[derive(Debug, Clone, Copy, Default)]
pub struct GlobTool;

#[async_trait]
impl Tool for GlobTool {
    fn name(&self) -> &str {
        "glob"
    }

    fn description(&self) -> &str {
        "Find files by path pattern, e.g. **/*.rs or src/**/test_*.{js,ts}. * and ? match \
         within one path component, ** across directories. Matched against paths relative \
         to path (default: the working directory); an absolute pattern starts at /. \
         Returns absolute paths of files, sorted; at most 1000."
    }

    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "pattern": {"type": "string", "description": "Glob pattern, e.g. **/*.rs"},
                "path": {"type": "string", "description": "Directory to search (default: working directory)"}
            },
            "required": ["pattern"],
            "additionalProperties": false
        })
    }

    async fn call(&self, ctx: &ToolContext, args: Value) -> ToolOutput {
        match glob(ctx, &args, &self.parameters()).await {
            Ok(text) => ToolOutput::ok(text),
            Err(message) => ToolOutput::error(message),
        }
    }
}

async fn glob(ctx: &ToolContext, args: &Value, schema: &Value) -> Result<String, String> {
    let args = Args::parse("glob", schema, args)?;
    let pattern = args.str("pattern").unwrap_or_default();
    if pattern.is_empty() {
        return Err("glob: the pattern is empty; give one such as **/*.rs".to_string());
    }
    let base = ctx
        .resolve(args.str("path").unwrap_or("."))
        .map_err(|e| format!("glob: {e}"))?;
    // An absolute pattern names its own root; `path` is then unused.
    if !pattern.starts_with('/') {
        match ctx.sandbox.fs().metadata(&base).await {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(format!("glob: {base} is not a directory")),
            Err(_) => return Err(format!("glob: no such directory: {base}")),
        }
    }
    let (root, rest) = split_literal_prefix(&base, pattern);
    // A literal prefix naming nothing just means nothing matches.
    if !ctx
        .sandbox
        .fs()
        .metadata(&root)
        .await
        .is_ok_and(|m| m.is_dir())
    {
        return Ok("No matches\n".to_string());
    }
    let translated = translate(rest)?;

    let command = vec![
        "find".to_string(),
        ".".to_string(),
        "-type".to_string(),
        "f".to_string(),
        "-path".to_string(),
        format!("./{}", translated.find_path),
    ];
    let output = ctx
        .sandbox
        .run(command, &root)
        .await
        .map_err(|err| format!("glob: {err}"))?;
    if output.exit_code != 0 && output.stdout.is_empty() {
        return Err(format!("glob: {}", output.stderr_lossy().trim()));
    }
    let stdout = output.stdout_lossy();
    let prefix = if root == "/" { "" } else { root.as_str() };
    let mut paths: Vec<String> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("./"))
        .filter(|rel| translated.exact.is_match(rel))
        .map(|rel| format!("{prefix}/{rel}"))
        .collect();
    if paths.is_empty() {
        return Ok("No matches\n".to_string());
    }
    paths.sort_unstable();
    let total = paths.len();
    let mut out: String = paths
        .iter()
        .take(MAX_PATHS)
        .map(|p| format!("{p}\n"))
        .collect();
    if total > MAX_PATHS {
        out.push_str(&format!(
            "[results truncated: showing {MAX_PATHS} of {total} paths; use a narrower pattern or path]\n"
        ));
    }
    Ok(out)
}

/// Moves the pattern's leading literal components into the search root
/// (`src/lib/**/*.rs` under `/w` searches `/w/src/lib` for `**/*.rs`), so
/// `find` walks no more than it must. The last component always stays in
/// the pattern. An absolute pattern starts at `/`.
fn split_literal_prefix<'p>(base: &str, pattern: &'p str) -> (String, &'p str) {
    let (mut root, mut rest) = match pattern.strip_prefix('/') {
        Some(rest) => ("/".to_string(), rest),
        None => (base.to_string(), pattern),
    };
    while let Some((head, tail)) = rest.split_once('/') {
        let literal = !head.is_empty()
            && head != "."
            && head != ".."
            && !head.contains(['*', '?', '[', '{', '\\']);
        if !literal {
            break;
        }
        if !root.ends_with('/') {
            root.push('/');
        }
        root.push_str(head);
        rest = tail;
    }
    (root, rest)
}

/// A glob in its two forms; see the module docs.
struct Translated {
    /// For `find -path` (after `./`): matches at least every true match.
    find_path: String,
    /// Matches exactly the paths the glob names (relative, no `./`).
    exact: Regex,
}

fn translate(glob: &str) -> Result<Translated, String> {
    let chars: Vec<char> = glob.chars().collect();
    let mut regex = String::from("^");
    let mut find = String::new();
    let mut brace_depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Inside braces `find` gets one `*` for the whole group.
        let in_braces = brace_depth > 0;
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                if chars.get(i + 1) == Some(&'/') {
                    i += 1;
                    regex.push_str("(?:.*/)?");
                } else {
                    regex.push_str(".*");
                }
                if !in_braces {
                    find.push('*');
                }
            }
            '*' => {
                regex.push_str("[^/]*");
                if !in_braces {
                    find.push('*');
                }
            }
            '?' => {
                regex.push_str("[^/]");
                if !in_braces {
                    find.push('?');
                }
            }
            '[' => match class_end(&chars, i) {
                Some(end) => {
                    regex.push('[');
                    let mut j = i + 1;
                    if matches!(chars[j], '!' | '^') {
                        regex.push('^');
                        j += 1;
                    }
                    for &member in &chars[j..end] {
                        if member == '-' {
                            regex.push('-');
                        } else {
                            regex.push_str(&regex::escape(&member.to_string()));
                        }
                    }
                    regex.push(']');
                    if !in_braces {
                        find.extend(&chars[i..=end]);
                    }
                    i = end;
                }
                None => {
                    regex.push_str(r"\[");
                    if !in_braces {
                        find.push_str(r"\[");
                    }
                }
            },
            '{' => {
                regex.push_str("(?:");
                if !in_braces {
                    find.push('*');
                }
                brace_depth += 1;
            }
            ',' if in_braces => regex.push('|'),
            '}' if in_braces => {
                regex.push(')');
                brace_depth -= 1;
            }
            '\\' if i + 1 < chars.len() => {
                i += 1;
                regex.push_str(&regex::escape(&chars[i].to_string()));
                if !in_braces {
                    find.push('\\');
                    find.push(chars[i]);
                }
            }
            other => {
                regex.push_str(&regex::escape(&other.to_string()));
                if !in_braces {
                    find.push(other);
                }
            }
        }
        i += 1;
    }
    if brace_depth > 0 {
        return Err(format!(
            "glob: unclosed '{{' in pattern '{glob}'; close it or write \\{{ for a literal brace"
        ));
    }
    regex.push('$');
    let exact =
        Regex::new(&regex).map_err(|err| format!("glob: invalid pattern '{glob}': {err}"))?;
    Ok(Translated {
        find_path: find,
        exact,
    })
}

/// Index of the `]` closing the class opened at `open`; a `]` right after
/// `[` or `[!` is a member, as in fnmatch.
fn class_end(chars: &[char], open: usize) -> Option<usize> {
    let mut j = open + 1;
    if matches!(chars.get(j), Some('!' | '^')) {
        j += 1;
    }
    if chars.get(j) == Some(&']') {
        j += 1;
    }
    (j..chars.len()).find(|&k| chars[k] == ']')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(glob: &str, path: &str) -> bool {
        translate(glob).unwrap().exact.is_match(path)
    }

    #[test]
    fn star_stays_in_a_component() {
        assert!(matches("*.rs", "main.rs"));
        assert!(!matches("*.rs", "src/main.rs"));
        assert!(matches("src/*.rs", "src/main.rs"));
        assert!(!matches("src/*.rs", "src/a/main.rs"));
    }

    #[test]
    fn double_star_spans_directories() {
        assert!(matches("**/*.rs", "main.rs"));
        assert!(matches("**/*.rs", "a/b/main.rs"));
        assert!(matches("src/**", "src/a/b"));
        assert!(matches("a/**/b.txt", "a/b.txt"));
        assert!(!matches("a/**/b.txt", "ab.txt"));
    }

    #[test]
    fn classes_braces_and_escapes() {
        assert!(matches("[ab].txt", "a.txt"));
        assert!(!matches("[!ab].txt", "a.txt"));
        assert!(matches("f[0-9].txt", "f7.txt"));
        assert!(matches("*.{js,ts}", "x.ts"));
        assert!(!matches("*.{js,ts}", "x.rs"));
        assert!(matches(r"\*.txt", "*.txt"));
        assert!(!matches(r"\*.txt", "a.txt"));
        assert!(matches("$(x)[.txt", "$(x)[.txt"));
        assert!(translate("{a,b").is_err());
    }

    #[test]
    fn literal_prefix_becomes_the_root() {
        assert_eq!(
            split_literal_prefix("/w", "src/lib/**/*.rs"),
            ("/w/src/lib".to_string(), "**/*.rs")
        );
        assert_eq!(
            split_literal_prefix("/w", "a.txt"),
            ("/w".to_string(), "a.txt")
        );
        assert_eq!(
            split_literal_prefix("/w", "/etc/*"),
            ("/etc".to_string(), "*")
        );
    }
}
