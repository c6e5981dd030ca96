//! POSIX extended regular expressions (as awk and gawk read them), translated to the
//! `regex` crate's syntax, with POSIX leftmost-longest match extents.
//!
//! Translation covers: bracket expressions (`]` first is literal, `[:class:]` names,
//! backslash escapes inside brackets as gawk allows), interval expressions `{n}`, `{n,}`,
//! `{n,m}`, `{,m}` (a `{` that does not start one is literal), quantifiers with nothing to
//! repeat (literal, like gawk), stacked quantifiers (`a+*`), awk escapes (`\/`, `\"`, `\t`,
//! octal), and gawk's `\y \< \> \B \s \S \w \W \` \'`. `.` matches newline, as in awk.
//!
//! The `regex` crate finds leftmost-*first* matches; POSIX wants leftmost-*longest*. The
//! start of the leftmost match is the same under both rules, so [`Regex::find_at`] takes
//! the start from `regex` and, when the pattern could match more than one length there,
//! extends the end with an anchored DFA search that keeps the longest match.

use regex_automata::{hybrid::dfa, Anchored, Input, MatchKind};
use std::cell::RefCell;

/// A compiled awk regex.
pub struct Regex {
    src: Vec<u8>,
    re: regex::bytes::Regex,
    longest: Option<Longest>,
    /// Set when the regex is a plain string: searched with memchr instead of the engine,
    /// whose per-search setup dominates `gsub(/a/, ...)` on short records.
    literal: Option<memchr::memmem::Finder<'static>>,
}

struct Longest {
    dfa: dfa::DFA,
    cache: RefCell<dfa::Cache>,
}

impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/{}/", String::from_utf8_lossy(&self.src))
    }
}

impl Regex {
    /// Compiles awk ERE text; the error says what is wrong with it.
    pub fn new(src: &[u8]) -> Result<Regex, String> {
        let t = translate(src)?;
        let re = regex::bytes::RegexBuilder::new(&t.pattern)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| describe_regex_error(src, &e))?;
        let longest = if t.ambiguous {
            dfa::DFA::builder()
                .configure(dfa::DFA::config().match_kind(MatchKind::All))
                .build(&t.pattern)
                .ok()
                .map(|d| {
                    let cache = RefCell::new(d.create_cache());
                    Longest { dfa: d, cache }
                })
        } else {
            None
        };
        let is_literal = !src.is_empty()
            && src.is_ascii()
            && !src.iter().any(|c| b"\\^$.[]|()*+?{}".contains(c));
        let literal = is_literal.then(|| memchr::memmem::Finder::new(src).into_owned());
        Ok(Regex {
            src: src.to_vec(),
            re,
            longest,
            literal,
        })
    }

    /// The awk source text of the regex.
    pub fn source(&self) -> &[u8] {
        &self.src
    }

    /// Whether the regex matches anywhere in `s`.
    #[inline]
    pub fn is_match(&self, s: &[u8]) -> bool {
        match &self.literal {
            Some(f) => f.find(s).is_some(),
            None => self.re.is_match(s),
        }
    }

    /// Group extents of the leftmost match at or after `start` (group 0 is the match),
    /// for gensub; groups that did not take part are `None`.
    pub fn captures_at(&self, s: &[u8], start: usize) -> Option<Vec<Option<(usize, usize)>>> {
        let caps = self.re.captures_at(s, start)?;
        Some(
            (0..caps.len())
                .map(|i| caps.get(i).map(|m| (m.start(), m.end())))
                .collect(),
        )
    }

    /// Leftmost-longest match starting at or after byte `start`: `(begin, end)`.
    /// Anchors refer to the whole of `s`, so `^` never matches at `start > 0`.
    pub fn find_at(&self, s: &[u8], start: usize) -> Option<(usize, usize)> {
        if let Some(f) = &self.literal {
            let at = start + f.find(s.get(start..)?)?;
            return Some((at, at + f.needle().len()));
        }
        let m = self.re.find_at(s, start)?;
        let (b, mut e) = (m.start(), m.end());
        if let Some(l) = &self.longest {
            let input = Input::new(s).range(b..).anchored(Anchored::Yes);
            if let Ok(mut cache) = l.cache.try_borrow_mut() {
                if let Ok(Some(h)) = l.dfa.try_search_fwd(&mut cache, &input) {
                    if h.offset() > e {
                        e = h.offset();
                    }
                }
            }
        }
        Some((b, e))
    }
}

fn describe_regex_error(src: &[u8], e: &regex::Error) -> String {
    let detail = match e {
        regex::Error::Syntax(s) => s
            .lines()
            .rev()
            .find(|l| l.starts_with("error:"))
            .map(|l| l.trim_start_matches("error:").trim().to_string())
            .unwrap_or_else(|| s.clone()),
        regex::Error::CompiledTooBig(_) => "regular expression too big".into(),
        other => other.to_string(),
    };
    format!(
        "invalid regular expression /{}/: {detail}",
        String::from_utf8_lossy(src)
    )
}

struct Translated {
    pattern: String,
    /// Whether the pattern could match several lengths at one start (alternation, or a
    /// quantifier that is not the last item), which needs the longest-match pass.
    ambiguous: bool,
}

const CLASSES: [&str; 12] = [
    "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "print", "graph",
    "cntrl", "xdigit",
];

fn push_lit(out: &mut String, c: char) {
    if c.is_ascii() {
        let mut b = [0u8; 4];
        out.push_str(&regex::escape(c.encode_utf8(&mut b)));
    } else {
        out.push(c);
    }
}

fn push_byte(out: &mut String, b: u8) {
    if b < 0x80 {
        push_lit(out, b as char);
    } else {
        out.push_str(&format!("(?-u:\\x{b:02X})"));
    }
}

/// Reads the character at `i`: valid UTF-8 as a char, invalid bytes as `Err(byte)`.
fn char_at(s: &[u8], i: usize) -> (Result<char, u8>, usize) {
    let n = crate::text::char_len_at(s, i);
    if n == 1 && s[i] >= 0x80 {
        return (Err(s[i]), 1);
    }
    match std::str::from_utf8(&s[i..i + n]) {
        Ok(t) => (Ok(t.chars().next().unwrap_or('\u{FFFD}')), n),
        Err(_) => (Err(s[i]), 1),
    }
}

/// Value of an awk escape that stands for one character (`\t`, `\/`, octal, ...).
fn simple_escape(s: &[u8], i: usize) -> Option<(u8, usize)> {
    let c = *s.get(i)?;
    Some(match c {
        b'n' => (b'\n', 1),
        b't' => (b'\t', 1),
        b'r' => (b'\r', 1),
        b'f' => (0x0c, 1),
        b'v' => (0x0b, 1),
        b'a' => (0x07, 1),
        b'b' => (0x08, 1),
        b'/' => (b'/', 1),
        b'"' => (b'"', 1),
        b'x' if s.get(i + 1).is_some_and(|d| d.is_ascii_hexdigit()) => {
            let mut v = 0u32;
            let mut n = 1;
            while n < 3 && s.get(i + n).is_some_and(|d| d.is_ascii_hexdigit()) {
                v = v * 16 + (s[i + n] as char).to_digit(16).unwrap_or(0);
                n += 1;
            }
            (v as u8, n)
        }
        b'0'..=b'7' => {
            let mut v = 0u32;
            let mut n = 0;
            while n < 3 && i + n < s.len() && (b'0'..=b'7').contains(&s[i + n]) {
                v = v * 8 + (s[i + n] - b'0') as u32;
                n += 1;
            }
            (v as u8, n)
        }
        _ => return None,
    })
}

/// gawk turns octal escapes into their characters before compiling, so `\\056` is the
/// metacharacter `.`; do the same (a resulting backslash stays escaped).
fn expand_octal(src: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !src
        .windows(2)
        .any(|w| w[0] == b'\\' && (b'0'..=b'7').contains(&w[1]))
    {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        if src[i] == b'\\' && i + 1 < src.len() {
            if let (b'0'..=b'7', Some((b, n))) = (src[i + 1], simple_escape(src, i + 1)) {
                if b == b'\\' {
                    out.push(b'\\');
                }
                out.push(b);
                i += 1 + n;
                continue;
            }
            out.extend_from_slice(&src[i..i + 2]);
            i += 2;
            continue;
        }
        out.push(src[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

fn translate(src: &[u8]) -> Result<Translated, String> {
    let expanded = expand_octal(src);
    let src: &[u8] = &expanded;
    let mut out = String::with_capacity(src.len() + 8);
    out.push_str("(?s)");
    let mut ambiguous = false;
    // Start (in `out`) of the last atom, for wrapping stacked quantifiers; None when there
    // is nothing to repeat (start, after `(` or `|`).
    let mut atom: Option<usize> = None;
    let mut last_was_quant = false;
    let mut depth = 0usize;
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        let mut is_quant = false;
        match c {
            b'\\' => {
                let start = out.len();
                i += 1;
                if i >= src.len() {
                    out.push_str("\\\\");
                } else if let Some((b, n)) = simple_escape(src, i) {
                    push_byte(&mut out, b);
                    i += n;
                    atom = Some(start);
                    last_was_quant = false;
                    continue;
                } else {
                    let e = src[i];
                    i += 1;
                    match e {
                        b'y' => out.push_str(r"\b"),
                        b'B' => out.push_str(r"\B"),
                        b'<' => out.push_str(r"\b{start}"),
                        b'>' => out.push_str(r"\b{end}"),
                        b's' => out.push_str("[[:space:]]"),
                        b'S' => out.push_str("[^[:space:]]"),
                        b'w' => out.push_str("[[:alnum:]_]"),
                        b'W' => out.push_str("[^[:alnum:]_]"),
                        b'`' => out.push_str(r"\A"),
                        b'\'' => out.push_str(r"\z"),
                        _ => {
                            let (ch, n) = char_at(src, i - 1);
                            i = i - 1 + n;
                            match ch {
                                Ok(ch) => push_lit(&mut out, ch),
                                Err(b) => push_byte(&mut out, b),
                            }
                        }
                    }
                    atom = Some(start);
                    last_was_quant = false;
                    continue;
                }
                atom = Some(start);
            }
            b'[' => {
                let start = out.len();
                i = bracket(src, i, &mut out)?;
                atom = Some(start);
                last_was_quant = false;
                continue;
            }
            b'(' => {
                // Capturing, so gensub's `\\N` can refer to awk's groups by number.
                depth += 1;
                out.push('(');
                atom = None;
            }
            b')' => {
                if depth == 0 {
                    return Err(format!(
                        "invalid regular expression /{}/: unmatched )",
                        String::from_utf8_lossy(src)
                    ));
                }
                depth -= 1;
                out.push(')');
                // The group as a whole is the atom a following quantifier repeats.
                atom = Some(group_start(&out));
            }
            b'|' => {
                ambiguous = true;
                out.push('|');
                atom = None;
            }
            b'^' | b'$' => {
                out.push(c as char);
                atom = None;
            }
            b'.' => {
                atom = Some(out.len());
                out.push('.');
            }
            b'*' | b'+' | b'?' => match atom {
                None => {
                    atom = Some(out.len());
                    push_lit(&mut out, c as char);
                }
                Some(a) => {
                    if last_was_quant {
                        wrap(&mut out, a);
                    }
                    out.push(c as char);
                    is_quant = true;
                }
            },
            b'{' => match (atom, interval(src, i)) {
                (Some(a), Some((text, n))) => {
                    if last_was_quant {
                        wrap(&mut out, a);
                    }
                    out.push_str(&text);
                    i += n;
                    last_was_quant = true;
                    if i < src.len() {
                        ambiguous = true;
                    }
                    continue;
                }
                _ => {
                    atom = Some(out.len());
                    out.push_str(r"\{");
                }
            },
            _ => {
                let start = out.len();
                let (ch, n) = char_at(src, i);
                match ch {
                    Ok(ch) => push_lit(&mut out, ch),
                    Err(b) => push_byte(&mut out, b),
                }
                i += n;
                atom = Some(start);
                last_was_quant = false;
                continue;
            }
        }
        if is_quant && i + 1 < src.len() {
            ambiguous = true;
        }
        last_was_quant = is_quant;
        i += 1;
    }
    if depth > 0 {
        return Err(format!(
            "invalid regular expression /{}/: unmatched (",
            String::from_utf8_lossy(src)
        ));
    }
    Ok(Translated {
        pattern: out,
        ambiguous,
    })
}

/// Where the group that `out` just closed begins.
fn group_start(out: &str) -> usize {
    let b = out.as_bytes();
    let mut depth = 0i32;
    let mut i = b.len();
    while i > 0 {
        i -= 1;
        match b[i] {
            b')' if !escaped(b, i) => depth += 1,
            b'(' if !escaped(b, i) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    0
}

fn escaped(b: &[u8], i: usize) -> bool {
    let mut n = 0;
    let mut j = i;
    while j > 0 && b[j - 1] == b'\\' {
        n += 1;
        j -= 1;
    }
    n % 2 == 1
}

/// Wraps `out[from..]` in a non-capturing group so another quantifier can follow
/// (`a*?` must not become the crate's lazy `*?`).
fn wrap(out: &mut String, from: usize) {
    let tail = out.split_off(from);
    out.push_str("(?:");
    out.push_str(&tail);
    out.push(')');
}

/// Parses an interval at `src[i] == '{'`: the translated text and bytes consumed.
fn interval(src: &[u8], i: usize) -> Option<(String, usize)> {
    let mut j = i + 1;
    let num = |j: &mut usize| -> Option<u32> {
        let s = *j;
        while *j < src.len() && src[*j].is_ascii_digit() {
            *j += 1;
        }
        if *j == s {
            None
        } else {
            std::str::from_utf8(&src[s..*j]).ok()?.parse().ok()
        }
    };
    let lo = num(&mut j);
    let text = if src.get(j) == Some(&b',') {
        j += 1;
        let hi = num(&mut j);
        match (lo, hi) {
            (Some(l), Some(h)) if l <= h => format!("{{{l},{h}}}"),
            (Some(l), None) => format!("{{{l},}}"),
            (None, Some(h)) => format!("{{0,{h}}}"),
            _ => return None,
        }
    } else {
        format!("{{{}}}", lo?)
    };
    if src.get(j) != Some(&b'}') {
        return None;
    }
    if lo.unwrap_or(0) > 1000 {
        return None;
    }
    Some((text, j + 1 - i))
}

/// Translates a bracket expression starting at `src[i] == '['`; returns the index after it.
fn bracket(src: &[u8], mut i: usize, out: &mut String) -> Result<usize, String> {
    let unterminated = || {
        format!(
            "invalid regular expression /{}/: unterminated [",
            String::from_utf8_lossy(src)
        )
    };
    i += 1;
    let mut body = String::new();
    let mut negate = false;
    if src.get(i) == Some(&b'^') {
        negate = true;
        i += 1;
    }
    let mut first = true;
    // Each item is a literal char (for ranges) or an already-translated class.
    let mut prev_lit: Option<Result<char, u8>> = None;
    loop {
        let Some(&c) = src.get(i) else {
            return Err(unterminated());
        };
        if c == b']' && !first {
            i += 1;
            break;
        }
        first = false;
        if c == b'[' && matches!(src.get(i + 1), Some(b':' | b'.' | b'=')) {
            let kind = src[i + 1];
            let close = [kind, b']'];
            let rest = &src[i + 2..];
            let Some(end) = rest.windows(2).position(|w| w == close) else {
                return Err(unterminated());
            };
            let name = &rest[..end];
            i += 2 + end + 2;
            if kind == b':' {
                let name = String::from_utf8_lossy(name).into_owned();
                if !CLASSES.contains(&name.as_str()) {
                    return Err(format!(
                        "invalid regular expression /{}/: invalid character class [:{name}:]",
                        String::from_utf8_lossy(src)
                    ));
                }
                body.push_str(&format!("[:{name}:]"));
                prev_lit = None;
            } else {
                // Collating symbols and equivalence classes: only single characters.
                let (ch, _) = if name.is_empty() {
                    (Err(b'['), 0)
                } else {
                    char_at(name, 0)
                };
                push_class_item(&mut body, ch);
                prev_lit = Some(ch);
            }
            continue;
        }
        let escaped = c == b'\\' && i + 1 < src.len();
        let (ch, n) = if escaped {
            match simple_escape(src, i + 1) {
                Some((b, n)) => (byte_char(b), n + 1),
                None => {
                    let (ch, n) = char_at(src, i + 1);
                    (ch, n + 1)
                }
            }
        } else {
            char_at(src, i)
        };
        i += n;
        // A range `a-z`: an unescaped `-` neither first nor last.
        if !escaped
            && ch == Ok('-')
            && prev_lit.is_some()
            && src.get(i) != Some(&b']')
            && src.get(i).is_some()
        {
            let lo = prev_lit.take().unwrap_or(Ok('-'));
            let (hi, n2) = if src[i] == b'\\' && i + 1 < src.len() {
                match simple_escape(src, i + 1) {
                    Some((b, n)) => (byte_char(b), n + 1),
                    None => {
                        let (ch, n) = char_at(src, i + 1);
                        (ch, n + 1)
                    }
                }
            } else if src[i] == b'[' && src.get(i + 1) == Some(&b'.') {
                let rest = &src[i + 2..];
                let end = rest
                    .windows(2)
                    .position(|w| w == b".]")
                    .ok_or_else(unterminated)?;
                (char_at(rest, 0).0, end + 4)
            } else {
                char_at(src, i)
            };
            i += n2;
            let (Ok(l), Ok(h)) = (lo, hi) else {
                return Err(format!(
                    "invalid regular expression /{}/: invalid range end",
                    String::from_utf8_lossy(src)
                ));
            };
            if l > h {
                return Err(format!(
                    "invalid regular expression /{}/: invalid range end",
                    String::from_utf8_lossy(src)
                ));
            }
            body.push('-');
            push_class_item(&mut body, Ok(h));
            continue;
        }
        push_class_item(&mut body, ch);
        prev_lit = Some(ch);
    }
    out.push('[');
    if negate {
        out.push('^');
    }
    if body.is_empty() {
        // Only reachable for `[^]...` shapes that ended early; match nothing sensible.
        return Err(unterminated());
    }
    out.push_str(&body);
    out.push(']');
    Ok(i)
}

fn byte_char(b: u8) -> Result<char, u8> {
    if b < 0x80 {
        Ok(b as char)
    } else {
        Err(b)
    }
}

fn push_class_item(body: &mut String, ch: Result<char, u8>) {
    match ch {
        Ok(c) if c.is_ascii_alphanumeric() || !c.is_ascii() => body.push(c),
        Ok(c) if c.is_ascii_graphic() => {
            body.push('\\');
            body.push(c);
        }
        Ok(c) => body.push_str(&format!("\\x{:02X}", c as u32)),
        Err(b) => body.push_str(&format!("(?-u:\\x{b:02X})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(re: &str, s: &str) -> Option<(usize, usize)> {
        Regex::new(re.as_bytes()).unwrap().find_at(s.as_bytes(), 0)
    }

    #[test]
    fn brackets() {
        assert_eq!(m("[]a]+", "x]a]y"), Some((1, 4)));
        assert_eq!(m("[^]a]", "]ab"), Some((2, 3)));
        assert_eq!(m("[[:digit:]]+", "ab123c"), Some((2, 5)));
        assert_eq!(m("[a-c-]+", "x-ab-"), Some((1, 5)));
        assert_eq!(m(r"[\]]", "a]"), Some((1, 2)));
        assert_eq!(m("[&~|]", "a~"), Some((1, 2)));
        assert!(Regex::new(b"[[:bogus:]]").is_err());
        assert!(Regex::new(b"[abc").is_err());
    }

    #[test]
    fn intervals_and_literal_braces() {
        assert_eq!(m("a{2,3}", "aaaa"), Some((0, 3)));
        assert_eq!(m("a{2}", "aaaa"), Some((0, 2)));
        assert_eq!(m("a{,2}b", "aab"), Some((0, 3)));
        assert_eq!(m("{", "x{"), Some((1, 2)));
        assert_eq!(m("a{x", "a{x"), Some((0, 3)));
    }

    #[test]
    fn leading_and_stacked_quantifiers() {
        assert_eq!(m("*a", "x*a"), Some((1, 3)));
        assert_eq!(m("a*?", "aaa"), Some((0, 3)));
        assert_eq!(m("(a|b)+c", "xabac"), Some((1, 5)));
    }

    #[test]
    fn leftmost_longest() {
        assert_eq!(m("ab|abcd", "xabcde"), Some((1, 5)));
        assert_eq!(m("x*(xy)?", "xy"), Some((0, 2)));
        assert_eq!(m("(a|ab)(c|bcd)", "abcd"), Some((0, 4)));
    }

    #[test]
    fn escapes_and_dot() {
        assert_eq!(m(r"a\.b", "axb a.b"), Some((4, 7)));
        assert_eq!(m(r"\/", "a/b"), Some((1, 2)));
        assert_eq!(m("a.b", "a\nb"), Some((0, 3)));
        assert_eq!(m(r"\t", "a\tb"), Some((1, 2)));
        assert_eq!(m(r"\<b", "ab b"), Some((3, 4)));
        assert_eq!(m("^b", "ab"), None);
        assert!(Regex::new(b"(a").is_err());
        assert!(Regex::new(b"a)").is_err());
    }
}
