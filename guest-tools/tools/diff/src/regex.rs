//! GNU basic regular expressions (`-I RE`, `-F RE`, `-p`), translated to
//! the `regex` crate's syntax and matched on bytes.
//!
//! diff compiles these with GNU's grep syntax: POSIX basic expressions
//! (`\(`, `\)`, `\{n,m\}`, `*`) plus the GNU extensions `\|`, `\+`, `\?`,
//! `\w`, `\W`, `\s`, `\S`, `\b`, `\B`, `\<`, `\>`, `` \` `` and `\'`; a
//! newline separates alternatives. `^` and `$` are anchors only at the
//! start or end of the pattern or of a group or alternative; elsewhere,
//! like `*` at the start, they are literal. Back-references (`\1`) have no
//! equivalent in the `regex` crate and are refused.

use regex::bytes::Regex;

use crate::error::Error;

/// Compiles the alternation of `patterns` (GNU joins several `-I` or `-F`
/// options with `\|`); `None` when there are none.
pub fn compile_any(patterns: &[Vec<u8>]) -> Result<Option<Regex>, Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut parts = Vec::with_capacity(patterns.len());
    for p in patterns {
        let translated = translate(p).map_err(|m| fatal(p, &m))?;
        parts.push(format!("(?:{translated})"));
    }
    let source = format!("(?s-u){}", parts.join("|"));
    Regex::new(&source)
        .map(Some)
        .map_err(|e| fatal(&patterns[0], &e.to_string()))
}

fn fatal(pattern: &[u8], message: &str) -> Error {
    Error::Fatal(format!("{}: {message}", String::from_utf8_lossy(pattern)))
}

/// Translates one basic regular expression.
pub fn translate(p: &[u8]) -> Result<String, String> {
    let mut out = String::with_capacity(p.len() * 2);
    let mut depth = 0usize;
    // At the start of the pattern, a group or an alternative: `*` is
    // literal and `^` is an anchor.
    let mut at_start = true;
    let mut i = 0;
    while i < p.len() {
        let c = p[i];
        i += 1;
        let start_here = at_start;
        at_start = false;
        match c {
            b'\\' => {
                let Some(&e) = p.get(i) else {
                    return Err("Trailing backslash".into());
                };
                i += 1;
                match e {
                    b'(' => {
                        depth += 1;
                        out.push('(');
                        at_start = true;
                    }
                    b')' => {
                        if depth == 0 {
                            return Err("Unmatched ) or \\)".into());
                        }
                        depth -= 1;
                        out.push(')');
                    }
                    b'|' => {
                        out.push('|');
                        at_start = true;
                    }
                    b'{' => {
                        if start_here {
                            out.push_str("\\{");
                        } else {
                            i = interval(p, i, &mut out)?;
                        }
                    }
                    b'+' | b'?' if !start_here => out.push(e as char),
                    b'1'..=b'9' => return Err("back-references are not supported".into()),
                    b'w' | b'W' | b's' | b'S' | b'b' | b'B' => {
                        out.push('\\');
                        out.push(e as char);
                    }
                    b'<' => out.push_str(r"\b{start}"),
                    b'>' => out.push_str(r"\b{end}"),
                    b'`' => out.push_str(r"\A"),
                    b'\'' => out.push_str(r"\z"),
                    _ => literal(e, &mut out),
                }
            }
            b'[' => i = bracket(p, i, &mut out)?,
            b'*' if start_here => out.push_str("\\*"),
            b'*' => out.push('*'),
            b'^' if start_here => {
                out.push('^');
                at_start = true;
            }
            b'$' if at_end(p, i) => out.push('$'),
            b'.' => out.push('.'),
            b'\n' => {
                out.push('|');
                at_start = true;
            }
            _ => literal(c, &mut out),
        }
    }
    if depth > 0 {
        return Err("Unmatched ( or \\(".into());
    }
    Ok(out)
}

/// Whether position `i` (just after a `$`) ends the pattern, a group or an
/// alternative.
fn at_end(p: &[u8], i: usize) -> bool {
    i == p.len() || p[i..].starts_with(b"\\)") || p[i..].starts_with(b"\\|") || p[i] == b'\n'
}

fn literal(c: u8, out: &mut String) {
    if c.is_ascii_alphanumeric() || c == b' ' || c == b'_' {
        out.push(c as char);
    } else {
        out.push_str(&format!("\\x{c:02X}"));
    }
}

/// `\{n\}`, `\{n,\}`, `\{n,m\}` starting after `\{`; returns the index
/// after `\}`.
fn interval(p: &[u8], i: usize, out: &mut String) -> Result<usize, String> {
    let Some(len) = p[i..].windows(2).position(|w| w == b"\\}") else {
        return Err("Unmatched \\{".into());
    };
    let body = std::str::from_utf8(&p[i..i + len]).unwrap_or("x");
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let valid = match body.split_once(',') {
        None => number(body),
        Some((lo, hi)) => {
            (lo.is_empty() || number(lo))
                && (hi.is_empty() || number(hi))
                && (hi.is_empty()
                    || lo.parse::<u64>().unwrap_or(0) <= hi.parse::<u64>().unwrap_or(u64::MAX))
        }
    };
    if !valid {
        return Err("Invalid content of \\{\\}".into());
    }
    out.push('{');
    if body.starts_with(',') {
        out.push('0');
    }
    out.push_str(body);
    out.push('}');
    Ok(i + len + 2)
}

/// A bracket expression starting after `[`; returns the index after `]`.
/// Inside brackets a backslash is an ordinary character (POSIX).
fn bracket(p: &[u8], mut i: usize, out: &mut String) -> Result<usize, String> {
    const UNMATCHED: &str = "Unmatched [, [^, [:, [., or [=";
    out.push('[');
    if p.get(i) == Some(&b'^') {
        out.push('^');
        i += 1;
    }
    if i >= p.len() {
        // GNU's wording when the pattern ends right after the bracket.
        return Err("Invalid regular expression".into());
    }
    let mut first = true;
    // The last item, when a `-` after it would make a range; and whether
    // the last item was a class or a range, after which `-` is an error.
    let mut range_start: Option<u8> = None;
    let mut after_class = false;
    loop {
        let Some(&c) = p.get(i) else {
            return Err(UNMATCHED.into());
        };
        if c == b']' && !first {
            out.push(']');
            return Ok(i + 1);
        }
        first = false;
        if c == b'[' && matches!(p.get(i + 1), Some(b':' | b'.' | b'=')) {
            let kind = p[i + 1];
            let close = [kind, b']'];
            let rest = &p[i + 2..];
            let Some(len) = rest.windows(2).position(|w| w == close) else {
                return Err(UNMATCHED.into());
            };
            let name = &rest[..len];
            if kind == b':' {
                const CLASSES: [&[u8]; 12] = [
                    b"alpha", b"upper", b"lower", b"digit", b"xdigit", b"space", b"print",
                    b"punct", b"graph", b"cntrl", b"blank", b"alnum",
                ];
                if !CLASSES.contains(&name) {
                    return Err("Invalid character class name".into());
                }
                out.push_str("[:");
                out.push_str(std::str::from_utf8(name).unwrap_or_default());
                out.push_str(":]");
                range_start = None;
                after_class = true;
            } else {
                // Collating symbols and equivalence classes: only single
                // characters exist in the C locale.
                let [ch] = name else {
                    return Err("Invalid collation character".into());
                };
                bracket_char(*ch, out);
                range_start = Some(*ch);
                after_class = false;
            }
            i += 2 + len + 2;
            continue;
        }
        let next = p.get(i + 1).copied();
        if c == b'-' && next.is_some_and(|n| n != b']') && (range_start.is_some() || after_class) {
            let hi = next.unwrap_or_default();
            if after_class || range_start.is_some_and(|lo| lo > hi) {
                return Err("Invalid range end".into());
            }
            out.push('-');
            bracket_char(hi, out);
            i += 2;
            // A range cannot start where one ends (`[a-c-e]`).
            range_start = None;
            after_class = true;
            continue;
        }
        bracket_char(c, out);
        range_start = Some(c);
        after_class = false;
        i += 1;
    }
}

fn bracket_char(c: u8, out: &mut String) {
    if c.is_ascii_alphanumeric() {
        out.push(c as char);
    } else {
        out.push_str(&format!("\\x{c:02X}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, line: &str) -> bool {
        compile_any(&[pattern.as_bytes().to_vec()])
            .unwrap()
            .unwrap()
            .is_match(line.as_bytes())
    }

    #[test]
    fn basic_syntax_and_gnu_extensions() {
        assert!(m("^[[:alpha:]$_]", "main() {"));
        assert!(!m("^[[:alpha:]$_]", " indented"));
        assert!(m("a\\|b", "xbx"));
        assert!(m("\\(ab\\)\\{2\\}", "abab"));
        assert!(!m("\\(ab\\)\\{2\\}", "ab"));
        assert!(m("a+", "a+"));
        assert!(m("a\\+", "aaa"));
        assert!(m("*x", "*x"));
        assert!(m("a^b$c", "a^b$c"));
        assert!(m("[]a]", "]"));
        assert!(m("[a\\]", "\\"));
        assert!(m("\\<word\\>", "a word here"));
        assert!(!m("\\<word\\>", "swordfish"));
        assert!(m("x.y", "x-y"));
        assert!(m("[a-c]", "b"));
    }

    #[test]
    fn errors_are_worded_like_gnu() {
        let msg = |p: &str| match compile_any(&[p.as_bytes().to_vec()]) {
            Err(Error::Fatal(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(msg("\\("), "\\(: Unmatched ( or \\(");
        assert_eq!(msg("a\\)"), "a\\): Unmatched ) or \\)");
        assert_eq!(msg("[a"), "[a: Unmatched [, [^, [:, [., or [=");
    }
}
