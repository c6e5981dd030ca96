//! The parser front: brush-parser with our options, and syntax errors
//! reported the way bash reports them.

mod locate;

use brush_parser::{ast, ParseError, ParserOptions, SourcePosition};
use locate::Located;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// A script that does not parse, with bash's message for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The line of the error (1-based).
    pub line: usize,
    /// The message, without the `bash: -c: line N:` prefix
    /// (`syntax error near unexpected token `fi'`).
    pub message: String,
    /// The offending source line, as bash echoes it.
    pub source_line: Option<String>,
}

impl SyntaxError {
    /// bash's lines for this error, each after `prefix` (`bash: -c: line
    /// 2: `, `file: line 2: `…): the message, then the offending line.
    pub(crate) fn report(&self, prefix: &str) -> String {
        let mut text = format!("{prefix}{}\n", self.message);
        if let Some(line) = &self.source_line {
            text.push_str(&format!("{prefix}`{line}'\n"));
        }
        text
    }
}

/// The parser options matching the shell options in force.
///
/// Extended globs are always parsed: a script is parsed whole before it
/// runs, so its own `shopt -s extglob` could not change how its later lines
/// parse; and without the option bash rejects the syntax outright, so
/// accepting it changes no valid script. Matching still follows the
/// option.
pub(crate) fn options(_extglob: bool) -> ParserOptions {
    ParserOptions {
        enable_extended_globbing: true,
        posix_mode: false,
        sh_mode: false,
        tilde_expansion_at_word_start: true,
        tilde_expansion_after_colon: false,
        parser_impl: Default::default(),
    }
}

/// Deepest nesting of parentheses and braces a script may have (the
/// parser recurses once per level; bash's own parser gives out near a few
/// thousand).
pub(crate) const MAX_NESTING: usize = 1000;

/// Scripts at most this long are remembered once parsed.
const CACHED_SCRIPT_BYTES: usize = 4096;
/// How many parsed scripts are remembered (the cache starts over when full).
const CACHED_SCRIPTS: usize = 256;

/// Parses `source`, reusing the tree of an identical recent script: agents
/// send the same short commands again and again, and parsing is a good
/// part of running a builtin.
pub(crate) fn parse_cached(source: &str, extglob: bool) -> Result<Arc<Parsed>, SyntaxError> {
    static CACHE: LazyLock<Mutex<HashMap<Box<str>, Arc<Parsed>>>> = LazyLock::new(Default::default);
    if source.len() > CACHED_SCRIPT_BYTES {
        return parse_reporting(source, extglob).map(Arc::new);
    }
    if let Some(program) = CACHE
        .lock()
        .ok()
        .and_then(|cache| cache.get(source).cloned())
    {
        return Ok(program);
    }
    let program = Arc::new(parse_reporting(source, extglob)?);
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHED_SCRIPTS {
            cache.clear();
        }
        cache.insert(source.into(), program.clone());
    }
    Ok(program)
}

/// Parses `source` into a program.
pub(crate) fn parse(source: &str, extglob: bool) -> Result<ast::Program, SyntaxError> {
    parse_reporting(source, extglob).map(|parsed| parsed.program)
}

/// The whole lines of `source` before the line of a syntax error, parsed:
/// bash reads and runs one complete command at a time, so these run
/// before the error is reported. `None` if no such prefix parses.
pub(crate) fn complete_prefix(
    source: &str,
    error_line: usize,
    extglob: bool,
) -> Option<ast::Program> {
    /// Prefixes tried, from the longest (a bound for huge scripts).
    const MAX_ATTEMPTS: usize = 256;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let complete_lines = error_line.saturating_sub(1).min(line_starts.len() - 1);
    (1..=complete_lines)
        .rev()
        .take(MAX_ATTEMPTS)
        .find_map(|lines| parse(&source[..line_starts[lines]], extglob).ok())
}

/// A parsed script and the warnings bash would print while reading it.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The program.
    pub(crate) program: ast::Program,
    /// Messages for stderr (without the `bash: ` prefix).
    pub(crate) warnings: Vec<String>,
}

/// Parses `source`; a here-document left open at the end of the input is
/// closed there with a warning, as bash does.
pub(crate) fn parse_reporting(source: &str, extglob: bool) -> Result<Parsed, SyntaxError> {
    let depth = nesting(source);
    if depth > MAX_NESTING {
        return Err(SyntaxError {
            line: 1,
            message: format!(
                "script nested {depth} levels deep (parentheses, braces, substitutions); \
                 the limit is {MAX_NESTING}"
            ),
            source_line: None,
        });
    }

    let attempt = |text: &str| {
        with_stack_for(depth, || {
            brush_parser::Parser::new(text.as_bytes(), &options(extglob)).parse_program()
        })
    };
    match attempt(source) {
        Ok(program) => Ok(Parsed {
            program,
            warnings: Vec::new(),
        }),
        Err(ParseError::Tokenizing {
            inner: brush_parser::TokenizerError::UnterminatedHereDocuments(tags, positions),
            ..
        }) => {
            let tags: Vec<String> = tags.split(", ").map(unquote_tag).collect();
            let mut repaired = source.to_string();
            if !repaired.ends_with('\n') {
                repaired.push('\n');
            }
            for tag in &tags {
                repaired.push_str(tag);
                repaired.push('\n');
            }
            let program = attempt(&repaired).map_err(|err| syntax_error(source, &err))?;
            let warnings = tags
                .iter()
                .zip(positions.split(", "))
                .map(|(tag, position)| {
                    let line = position.split(',').next().unwrap_or("1");
                    format!(
                        "line {}: warning: here-document at line {line} delimited by end-of-file (wanted `{tag}')",
                        source.lines().count()
                    )
                })
                .collect();
            Ok(Parsed { program, warnings })
        }
        Err(err) => {
            // brush-parser rejects empty parts in `for ((;;))`; bash reads
            // them as no-ops and an always-true condition.
            if let Some(filled) = fill_empty_for_parts(source) {
                if let Ok(program) = attempt(&filled) {
                    return Ok(Parsed {
                        program,
                        warnings: Vec::new(),
                    });
                }
            }
            Err(syntax_error(source, &err))
        }
    }
}

/// `source` with the empty parts of every `for ((init; cond; step))`
/// filled in (`0`, `1`, `0`), or `None` if it has none.
fn fill_empty_for_parts(source: &str) -> Option<String> {
    let mut out = String::with_capacity(source.len() + 8);
    let mut rest = source;
    let mut changed = false;
    while let Some(at) = rest.find("((") {
        let head = &rest[..at];
        out.push_str(head);
        let is_for = head.trim_end().ends_with("for");
        let Some(len) = rest[at + 2..].find("))") else {
            break;
        };
        let inner = &rest[at + 2..at + 2 + len];
        let parts: Vec<&str> = inner.split(';').collect();
        if is_for && parts.len() == 3 && parts.iter().any(|p| p.trim().is_empty()) {
            let filled: Vec<&str> = parts
                .iter()
                .zip(["0", "1", "0"])
                .map(|(part, default)| {
                    if part.trim().is_empty() {
                        default
                    } else {
                        part
                    }
                })
                .collect();
            out.push_str("((");
            out.push_str(&filled.join(";"));
            out.push_str("))");
            changed = true;
        } else {
            out.push_str(&rest[at..at + 2 + len + 2]);
        }
        rest = &rest[at + 2 + len + 2..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The line that ends a here-document whose tag is `tag` as written
/// (`'EOF'`, `"EOF"`, `\EOF` all end at `EOF`).
fn unquote_tag(tag: &str) -> String {
    tag.chars()
        .filter(|c| !matches!(c, '\'' | '"' | '\\'))
        .collect()
}

/// Runs `f`, a parse of text nested `depth` levels deep, on a stack large
/// enough for brush-parser's recursion.
pub(crate) fn with_stack_for<T>(depth: usize, f: impl FnOnce() -> T) -> T {
    /// Generous stack per nesting level (debug builds need most).
    const PER_LEVEL: usize = 64 * 1024;
    const BASE: usize = 1024 * 1024;
    let needed = BASE + depth * PER_LEVEL;
    stacker::maybe_grow(needed, needed.max(4 * BASE), f)
}

/// The deepest nesting of `(`/`{` in `source`: an upper bound of the
/// parser's recursion, cheap to compute (quotes are not considered, so it
/// can only overestimate).
pub(crate) fn nesting(source: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    for byte in source.bytes() {
        match byte {
            b'(' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Turns brush-parser's error into bash's wording.
fn syntax_error(source: &str, err: &ParseError) -> SyntaxError {
    let line_of = |line: usize| {
        source
            .lines()
            .nth(line.saturating_sub(1))
            .map(str::to_string)
    };
    if !matches!(err, ParseError::Tokenizing { .. }) {
        if let Ok(tokens) = brush_parser::tokenize_str(source) {
            match locate::locate(&tokens) {
                Located::Unexpected { token, line } => {
                    return SyntaxError {
                        line,
                        message: format!("syntax error near unexpected token `{token}'"),
                        source_line: line_of(line),
                    }
                }
                Located::EndOfFile => return end_of_file(source),
                Located::Unknown => {}
            }
        }
    }
    match err {
        ParseError::ParsingNear(position) => {
            let line = position.line.max(1);
            match token_at(source, position) {
                Some(token) if token == "\n" => SyntaxError {
                    line,
                    message: "syntax error near unexpected token `newline'".into(),
                    source_line: line_of(line),
                },
                Some(token) => SyntaxError {
                    line,
                    message: format!("syntax error near unexpected token `{token}'"),
                    source_line: line_of(line),
                },
                None => end_of_file(source),
            }
        }
        ParseError::ParsingAtEndOfInput => end_of_file(source),
        ParseError::Tokenizing { inner, position } => {
            let text = inner.to_string();
            let line = position
                .as_ref()
                .map_or_else(|| line_count(source), |p| p.line.max(1));
            let message = if text.contains("unterminated") || text.contains("EOF") {
                // An unclosed quote or here-document: bash reports where the
                // input ended.
                let quote = if text.contains("single") { "'" } else { "\"" };
                if text.contains("here") {
                    "warning: here-document delimited by end-of-file".to_string()
                } else {
                    format!("unexpected EOF while looking for matching `{quote}'")
                }
            } else {
                format!("syntax error: {text}")
            };
            SyntaxError {
                line,
                message,
                source_line: None,
            }
        }
    }
}

/// bash reports the end of the input one line past the last.
fn end_of_file(source: &str) -> SyntaxError {
    SyntaxError {
        line: source.lines().count() + 1,
        message: "syntax error: unexpected end of file".into(),
        source_line: None,
    }
}

fn line_count(source: &str) -> usize {
    source.lines().count().max(1)
}

/// The text of the token starting at `position`, if any.
fn token_at(source: &str, position: &SourcePosition) -> Option<String> {
    let tokens = brush_parser::tokenize_str(source).ok()?;
    tokens
        .iter()
        .find(|token| {
            let loc = token.location();
            loc.start.line == position.line && loc.start.column == position.column
        })
        .map(|token| token.to_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_pipeline() {
        let program = parse("echo hi | tr a-z A-Z && ls", false).unwrap();
        assert_eq!(program.complete_commands.len(), 1);
    }

    #[test]
    fn reports_the_unexpected_token() {
        let err = parse("echo a\nif true; then fi", false).unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.message, "syntax error near unexpected token `fi'");
        assert_eq!(err.source_line.as_deref(), Some("if true; then fi"));
    }

    #[test]
    fn reports_an_unexpected_end() {
        let err = parse("if true; then\necho x\n", false).unwrap_err();
        assert!(err.message.contains("unexpected end of file"), "{err:?}");
    }
}
