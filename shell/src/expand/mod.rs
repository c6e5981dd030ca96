//! Word expansion, in bash's order: brace expansion, then tilde,
//! parameter, arithmetic and command substitution (left to right), then
//! field splitting, pathname expansion and quote removal.
//!
//! A word is first expanded into [`Part`]s that remember whether each
//! piece of text was quoted and whether it came from an unquoted
//! expansion (only those are split on `IFS`); `"$@"` inserts field breaks.
//! Splitting then makes fields, each a list of segments, so that globbing
//! can tell quoted `*` (literal) from unquoted `*` (a wildcard).
//!
//! - `brace`: `{a,b}`, `{1..10..2}`;
//! - `param`: every `${…}` form;
//! - `arith`: arithmetic evaluation;
//! - `pattern`: shell pattern matching;
//! - `glob`: pathname expansion over the filesystem;
//! - `subst`: command substitution and process substitution;
//! - `text`: ANSI-C escapes and other text helpers.

pub(crate) mod arith;
mod brace;
mod glob;
mod param;
pub(crate) mod pattern;
pub(crate) mod subst;
pub(crate) mod text;

use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::parse;
use brush_parser::word::{TildeExpr, WordPiece, WordPieceWithSource};

/// A piece of an expanded word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// Text, and how it may be treated.
    Text {
        /// The text.
        text: String,
        /// From inside quotes (or an escape): never split, never a wildcard.
        quoted: bool,
        /// From an unquoted expansion: split on `IFS`.
        split: bool,
    },
    /// Ends the current field (between the elements of `"$@"`).
    Break,
    /// `"$@"` (or `"${a[@]}"`) with no elements: nothing, not even the
    /// empty field its quotes would otherwise make.
    NoFields,
}

impl Part {
    fn literal(text: impl Into<String>) -> Part {
        Part::Text {
            text: text.into(),
            quoted: false,
            split: false,
        }
    }

    fn quoted(text: impl Into<String>) -> Part {
        Part::Text {
            text: text.into(),
            quoted: true,
            split: false,
        }
    }

    /// Text from an expansion: quoted inside double quotes, otherwise
    /// subject to splitting and globbing.
    fn expanded(text: impl Into<String>, quoted: bool) -> Part {
        Part::Text {
            text: text.into(),
            quoted,
            split: !quoted,
        }
    }
}

/// One field after splitting: its segments and whether each was quoted.
type Field = Vec<(String, bool)>;

/// The default `IFS`.
const DEFAULT_IFS: &str = " \t\n";

/// Splits parts into fields on `ifs` (see the module docs).
fn split_fields(parts: Vec<Part>, ifs: &str) -> Vec<Field> {
    let is_ws = |c: char| c == ' ' || c == '\t' || c == '\n';
    let mut fields = Vec::new();
    let mut current: Field = Vec::new();
    let mut has = false;
    let finish = |current: &mut Field, has: &mut bool, fields: &mut Vec<Field>, force: bool| {
        if *has || force {
            fields.push(std::mem::take(current));
        }
        current.clear();
        *has = false;
    };
    for part in parts {
        match part {
            Part::Break => finish(&mut current, &mut has, &mut fields, false),
            Part::NoFields => {}
            Part::Text {
                text,
                quoted,
                split,
            } => {
                if !split || ifs.is_empty() {
                    if quoted || !text.is_empty() {
                        has = true;
                    }
                    current.push((text, quoted));
                    continue;
                }
                let chars: Vec<char> = text.chars().collect();
                let mut segment = String::new();
                let mut i = 0;
                while i < chars.len() {
                    let c = chars[i];
                    if !ifs.contains(c) {
                        segment.push(c);
                        has = true;
                        i += 1;
                        continue;
                    }
                    if !segment.is_empty() {
                        current.push((std::mem::take(&mut segment), false));
                    }
                    if is_ws(c) {
                        while i < chars.len() && ifs.contains(chars[i]) && is_ws(chars[i]) {
                            i += 1;
                        }
                        if i < chars.len() && ifs.contains(chars[i]) && !is_ws(chars[i]) {
                            // Whitespace around a real delimiter is part of it.
                            finish(&mut current, &mut has, &mut fields, true);
                            i += 1;
                            while i < chars.len() && ifs.contains(chars[i]) && is_ws(chars[i]) {
                                i += 1;
                            }
                        } else {
                            finish(&mut current, &mut has, &mut fields, false);
                        }
                    } else {
                        finish(&mut current, &mut has, &mut fields, true);
                        i += 1;
                        while i < chars.len() && ifs.contains(chars[i]) && is_ws(chars[i]) {
                            i += 1;
                        }
                    }
                }
                if !segment.is_empty() {
                    current.push((segment, false));
                }
            }
        }
    }
    finish(&mut current, &mut has, &mut fields, false);
    fields
}

/// Joins parts into one string without splitting (quote removal only);
/// field breaks (between the elements of `"$@"`) become `separator`.
fn join_parts(parts: &[Part], separator: &str) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text { text, .. } => out.push_str(text),
            Part::Break => out.push_str(separator),
            Part::NoFields => {}
        }
    }
    out
}

/// The text after `${` when the word parser left a `${…}` unread: a text
/// piece ending in `$`, then one starting with `{`.
fn unread_braces<'a>(text: &str, next: Option<&'a WordPieceWithSource>) -> Option<&'a str> {
    if !text.ends_with('$') {
        return None;
    }
    match next {
        Some(WordPieceWithSource {
            piece: WordPiece::Text(next),
            ..
        }) => next.strip_prefix('{'),
        _ => None,
    }
}

/// `$` + `{name~~}rest` (or `~`): the variable, whether all characters
/// toggle, and the text after the brace.
fn case_toggle<'a>(
    text: &str,
    next: Option<&'a WordPieceWithSource>,
) -> Option<(&'a str, bool, &'a str)> {
    let inner = unread_braces(text, next)?;
    let close = inner.find('}')?;
    let (body, rest) = (&inner[..close], &inner[close + 1..]);
    let (name, all) = match body.strip_suffix("~~") {
        Some(name) => (name, true),
        None => (body.strip_suffix('~')?, false),
    };
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some((name, all, rest))
}

/// `c` in the other case.
fn toggle(c: char) -> String {
    if c.is_uppercase() {
        c.to_lowercase().collect()
    } else {
        c.to_uppercase().collect()
    }
}

/// The word parser leaves a `${…}` it cannot read as the texts `$` and
/// `{…}`: bash's "bad substitution", with its message.
fn bad_substitution(text: &str, next: Option<&WordPieceWithSource>) -> Option<String> {
    let inner = unread_braces(text, next)?;
    let end = inner.find('}').map_or(inner.len(), |i| i + 1);
    Some(format!("${{{}: bad substitution", &inner[..end]))
}

/// The command inside `` `…` ``: a backslash keeps its quoting meaning
/// only before `$`, `` ` `` and `\` (and `"` inside double quotes), where
/// it is removed.
fn unescape_backquoted(command: &str, in_quotes: bool) -> String {
    let mut out = String::with_capacity(command.len());
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if matches!(next, '$' | '`' | '\\') || (in_quotes && next == '"') {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// True if expanding `word` cannot change it: no quoting, expansion,
/// brace, tilde or pattern character (most words of most commands).
fn is_literal(word: &str) -> bool {
    !word.is_empty()
        && !word.bytes().any(|b| {
            matches!(
                b,
                b'$' | b'`' | b'\'' | b'"' | b'\\' | b'*' | b'?' | b'[' | b'~' | b'{' | b'(' | b']'
            )
        })
}

impl Interp {
    /// `$IFS` (the default when unset).
    pub(crate) fn ifs(&mut self) -> String {
        self.scalar("IFS")
            .unwrap_or_else(|| DEFAULT_IFS.to_string())
    }

    /// Expands the words of a command into fields: all expansions,
    /// splitting, pathname expansion, quote removal.
    pub(crate) async fn expand_words(&mut self, words: &[&str]) -> Exec<Vec<String>> {
        let mut out = Vec::with_capacity(words.len());
        for word in words {
            if is_literal(word) {
                out.push(word.to_string());
                continue;
            }
            for alternative in self.brace_expand(word).await? {
                let parts = self.expand_parts(&alternative, false).await?;
                let ifs = self.ifs();
                for field in split_fields(parts, &ifs) {
                    self.push_globbed(field, &mut out).await?;
                }
            }
            if out.len() > self.env.limits.max_expansion_words {
                let message = format!(
                    "expansion of `{word}' produced more than {} words; raise Limits::max_expansion_words if this is intended",
                    self.env.limits.max_expansion_words
                );
                return Err(self.fatal(1, message).await);
            }
        }
        Ok(out)
    }

    /// Expands a word into a single string: no splitting, no globbing
    /// (assignments, redirection targets, `case` words, here-strings).
    pub(crate) async fn expand_string(&mut self, word: &str) -> Exec<String> {
        if is_literal(word) {
            return Ok(word.to_string());
        }
        let parts = self.expand_parts(word, false).await?;
        Ok(join_parts(&parts, " "))
    }

    /// Expands a word used as a pattern (`case`, `[[ == ]]`, `${x#…}`):
    /// quoted parts are escaped so they match literally.
    pub(crate) async fn expand_pattern(&mut self, word: &str) -> Exec<String> {
        let parts = self.expand_parts(word, false).await?;
        let mut out = String::new();
        for part in parts {
            if let Part::Text { text, quoted, .. } = part {
                if quoted {
                    out.push_str(&pattern::escape(&text));
                } else {
                    out.push_str(&text);
                }
            }
        }
        Ok(out)
    }

    /// Globs one field (if it has an unquoted wildcard) and adds the
    /// resulting words to `out`.
    async fn push_globbed(&mut self, field: Field, out: &mut Vec<String>) -> Exec<()> {
        let extglob = self.state.options.extglob;
        let wants_glob = !self.state.options.noglob
            && field
                .iter()
                .any(|(text, quoted)| !quoted && pattern::has_magic(text, extglob));
        let literal: String = field.iter().map(|(text, _)| text.as_str()).collect();
        if !wants_glob {
            out.push(literal);
            return Ok(());
        }
        let pattern: String = field
            .iter()
            .map(|(text, quoted)| {
                if *quoted {
                    pattern::escape(text)
                } else {
                    text.clone()
                }
            })
            .collect();
        let matches = self.glob(&pattern).await?;
        if !matches.is_empty() {
            out.extend(matches);
        } else if self.state.options.failglob {
            return Err(self.fatal(1, format!("no match: {literal}")).await);
        } else if !self.state.options.nullglob {
            out.push(literal);
        }
        Ok(())
    }

    /// Expands the pieces of one word (after brace expansion) into parts.
    pub(crate) fn expand_parts<'a>(
        &'a mut self,
        word: &'a str,
        in_quotes: bool,
    ) -> BoxFuture<'a, Exec<Vec<Part>>> {
        Box::pin(async move {
            let mut options = parse::options(self.state.options.extglob);
            options.tilde_expansion_after_colon = self.in_assignment;
            let pieces = match parse::with_stack_for(parse::nesting(word), || {
                brush_parser::word::parse(word, &options)
            }) {
                Ok(pieces) => pieces,
                Err(_) => {
                    let message = format!("{word}: bad substitution");
                    return Err(self.fatal(1, message).await);
                }
            };
            let mut parts = Vec::with_capacity(pieces.len());
            self.expand_pieces(&pieces, in_quotes, &mut parts).await?;
            Ok(parts)
        })
    }

    fn expand_pieces<'a>(
        &'a mut self,
        pieces: &'a [WordPieceWithSource],
        in_quotes: bool,
        parts: &'a mut Vec<Part>,
    ) -> BoxFuture<'a, Exec<()>> {
        Box::pin(async move {
            let mut skip_next = false;
            for (index, piece) in pieces.iter().enumerate() {
                if std::mem::take(&mut skip_next) {
                    continue;
                }
                match &piece.piece {
                    WordPiece::Text(text) => {
                        if let Some((name, all, rest)) = case_toggle(text, pieces.get(index + 1)) {
                            // `${v~~}` / `${v~}`, which the word parser
                            // leaves as text: toggle the case.
                            let before = &text[..text.len() - 1];
                            let value = self.scalar(name).unwrap_or_default();
                            let toggled: String = value
                                .chars()
                                .enumerate()
                                .map(|(i, c)| {
                                    if all || i == 0 {
                                        toggle(c)
                                    } else {
                                        c.to_string()
                                    }
                                })
                                .collect();
                            for piece in [before, toggled.as_str(), rest] {
                                if !piece.is_empty() {
                                    parts.push(Part::expanded(piece, in_quotes));
                                }
                            }
                            skip_next = true;
                            continue;
                        }
                        if let Some(message) = bad_substitution(text, pieces.get(index + 1)) {
                            return Err(self.fatal(1, message).await);
                        }
                        parts.push(if in_quotes {
                            Part::quoted(text.clone())
                        } else {
                            Part::literal(text.clone())
                        })
                    }
                    WordPiece::SingleQuotedText(text) => parts.push(Part::quoted(text.clone())),
                    WordPiece::AnsiCQuotedText(text) => {
                        parts.push(Part::quoted(text::ansi_c(text)))
                    }
                    WordPiece::DoubleQuotedSequence(inner)
                    | WordPiece::GettextDoubleQuotedSequence(inner) => {
                        let before = parts.len();
                        self.expand_pieces(inner, true, parts).await?;
                        if parts.len() == before {
                            // `""` is an empty field, not nothing.
                            parts.push(Part::quoted(""));
                        }
                    }
                    WordPiece::EscapeSequence(seq) => {
                        let text = seq.strip_prefix('\\').unwrap_or(seq);
                        if in_quotes
                            && !matches!(text.chars().next(), Some('$' | '`' | '"' | '\\' | '\n'))
                        {
                            // Inside double quotes a backslash only escapes
                            // those characters; otherwise it stays.
                            parts.push(Part::quoted(seq.clone()));
                        } else if text == "\n" {
                            // A backslash-newline joins lines.
                        } else {
                            parts.push(Part::quoted(text.to_string()));
                        }
                    }
                    WordPiece::TildeExpansion(tilde) => {
                        let text = self.expand_tilde(tilde);
                        parts.push(Part::quoted(text));
                    }
                    WordPiece::ParameterExpansion(expr) => {
                        self.expand_parameter(expr, in_quotes, parts).await?;
                    }
                    WordPiece::CommandSubstitution(command) => {
                        let output = self.command_substitution(command).await?;
                        parts.push(Part::expanded(output, in_quotes));
                    }
                    WordPiece::BackquotedCommandSubstitution(command) => {
                        let command = unescape_backquoted(command, in_quotes);
                        let output = self.command_substitution(&command).await?;
                        parts.push(Part::expanded(output, in_quotes));
                    }
                    WordPiece::ArithmeticExpression(expr) => {
                        let value = self.arith_expansion(&expr.value).await?;
                        parts.push(Part::expanded(value.to_string(), in_quotes));
                    }
                }
            }
            Ok(())
        })
    }

    /// Expands the pieces of a here-document body: like double-quoted text
    /// (parameters, command and arithmetic substitution; no splitting or
    /// globbing).
    pub(crate) async fn expand_heredoc(&mut self, pieces: &[WordPieceWithSource]) -> Exec<String> {
        let mut parts = Vec::new();
        self.expand_pieces(pieces, true, &mut parts).await?;
        Ok(join_parts(&parts, " "))
    }

    /// `$(( expr ))`: the expression is expanded first (parameters, command
    /// substitutions), then evaluated. An error ends the shell, as in bash.
    pub(crate) async fn arith_expansion(&mut self, expr: &str) -> Exec<i64> {
        let text = self.expand_arith_text(expr).await?;
        match self.eval_arith_str(&text) {
            Ok(value) => Ok(value),
            Err(message) => Err(self.fatal(1, message).await),
        }
    }

    /// The text of an arithmetic expression after parameter expansion and
    /// command substitution (quotes removed).
    pub(crate) async fn expand_arith_text(&mut self, expr: &str) -> Exec<String> {
        if !expr.contains(['$', '`', '\'', '"', '\\']) {
            return Ok(expr.to_string());
        }
        let parts = self.expand_parts(expr, true).await?;
        Ok(join_parts(&parts, " "))
    }

    fn expand_tilde(&mut self, tilde: &TildeExpr) -> String {
        match tilde {
            TildeExpr::Home => self.scalar("HOME").unwrap_or_else(|| "/".to_string()),
            TildeExpr::UserHome(user) => {
                if user == "root" {
                    "/root".to_string()
                } else {
                    format!("~{user}")
                }
            }
            TildeExpr::WorkingDir => self.state.cwd.clone(),
            TildeExpr::OldWorkingDir => self.scalar("OLDPWD").unwrap_or_else(|| "~-".to_string()),
            TildeExpr::NthDirFromTopOfDirStack { n, .. } => {
                let mut stack = vec![self.state.cwd.clone()];
                stack.extend(self.state.dir_stack.iter().cloned());
                stack.get(*n).cloned().unwrap_or_default()
            }
            TildeExpr::NthDirFromBottomOfDirStack { n } => {
                let mut stack = vec![self.state.cwd.clone()];
                stack.extend(self.state.dir_stack.iter().cloned());
                stack.iter().rev().nth(*n).cloned().unwrap_or_default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(parts: Vec<Part>, ifs: &str) -> Vec<String> {
        split_fields(parts, ifs)
            .into_iter()
            .map(|f| f.into_iter().map(|(t, _)| t).collect())
            .collect()
    }

    #[test]
    fn splits_unquoted_expansions_only() {
        let parts = vec![
            Part::literal("a"),
            Part::expanded(" b  c ", false),
            Part::quoted(" d "),
        ];
        assert_eq!(fields(parts, DEFAULT_IFS), ["a", "b", "c", " d "]);
    }

    #[test]
    fn non_whitespace_delimiters_keep_empty_fields() {
        assert_eq!(
            fields(vec![Part::expanded("a::b:", false)], ":"),
            ["a", "", "b"]
        );
        assert_eq!(fields(vec![Part::expanded(":a", false)], ":"), ["", "a"]);
        assert_eq!(
            fields(vec![Part::expanded("a : b", false)], " :"),
            ["a", "b"]
        );
    }

    #[test]
    fn empty_expansions_vanish_but_empty_quotes_stay() {
        assert!(fields(vec![Part::expanded("", false)], DEFAULT_IFS).is_empty());
        assert_eq!(fields(vec![Part::quoted("")], DEFAULT_IFS), [""]);
        let at = vec![Part::quoted("x y"), Part::Break, Part::quoted("")];
        assert_eq!(fields(at, DEFAULT_IFS), ["x y", ""]);
    }

    #[test]
    fn empty_ifs_does_not_split() {
        assert_eq!(fields(vec![Part::expanded("a b", false)], ""), ["a b"]);
    }
}
