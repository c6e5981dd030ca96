//! Brace expansion: `a{b,c}d`, `{1..10}`, `{01..10..2}`, `{a..e}`.
//!
//! It works on the raw text of a word, before any other expansion, and
//! leaves alone what is quoted, escaped, or inside `${…}`, `$(…)` and
//! backquotes. A brace pair with neither a comma nor a valid sequence is
//! literal text (`{x}`, `{}`), though braces inside it may still expand.

use crate::error::Exec;
use crate::interp::Interp;

/// A brace group found in a word.
struct Group {
    start: usize,
    end: usize,
    items: Vec<String>,
}

/// The index just past the end of a `$(`…`)`, `${`…`}`, quote or
/// backquote starting at `i`, or `i + 1` for an ordinary character.
fn skip_token(chars: &[char], i: usize) -> usize {
    let closing = |open: char, close: char, from: usize| {
        let mut depth = 0;
        let mut j = from;
        while j < chars.len() {
            match chars[j] {
                '\\' => j += 1,
                '\'' if open != '\'' => {
                    j += 1;
                    while j < chars.len() && chars[j] != '\'' {
                        j += 1;
                    }
                }
                c if c == open && open != close => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth <= 0 {
                        return j + 1;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        chars.len()
    };
    match chars[i] {
        '\\' => (i + 2).min(chars.len()),
        '\'' => {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            (j + 1).min(chars.len())
        }
        '"' => {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            (j + 1).min(chars.len())
        }
        '`' => {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '`' {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            (j + 1).min(chars.len())
        }
        '$' if chars.get(i + 1) == Some(&'{') => closing('{', '}', i + 1),
        '$' if chars.get(i + 1) == Some(&'(') => closing('(', ')', i + 1),
        '$' if chars.get(i + 1) == Some(&'\'') => {
            let mut j = i + 2;
            while j < chars.len() && chars[j] != '\'' {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            (j + 1).min(chars.len())
        }
        _ => i + 1,
    }
}

/// Finds the first expandable brace group of `chars`.
fn find_group(chars: &[char], limit: usize) -> Option<Group> {
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '{' {
            i = skip_token(chars, i);
            continue;
        }
        // Find the matching close brace and the top-level commas.
        let mut depth = 0;
        let mut j = i;
        let mut commas = Vec::new();
        let mut close = None;
        while j < chars.len() {
            match chars[j] {
                '{' => {
                    depth += 1;
                    j += 1;
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                    j += 1;
                }
                ',' if depth == 1 => {
                    commas.push(j);
                    j += 1;
                }
                _ => j = skip_token(chars, j),
            }
        }
        let close = close?;
        if !commas.is_empty() {
            let mut items = Vec::new();
            let mut from = i + 1;
            for comma in commas.iter().copied().chain(std::iter::once(close)) {
                items.push(chars[from..comma].iter().collect());
                from = comma + 1;
            }
            return Some(Group {
                start: i,
                end: close,
                items,
            });
        }
        let inner: String = chars[i + 1..close].iter().collect();
        if let Some(items) = sequence(&inner, limit) {
            return Some(Group {
                start: i,
                end: close,
                items,
            });
        }
        i += 1;
    }
    None
}

/// The items of a sequence expression (`1..5`, `a..e`, `01..10..3`).
fn sequence(inner: &str, limit: usize) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(step) => step.parse().ok()?,
        None => 1,
    };
    let step = if step == 0 { 1 } else { step.abs() };
    let (a, b) = (parts[0], parts[1]);
    if let (Ok(start), Ok(end)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let padded = |s: &str| {
            let digits = s.trim_start_matches('-');
            digits.len() > 1 && digits.starts_with('0')
        };
        let width = if padded(a) || padded(b) {
            a.len().max(b.len())
        } else {
            0
        };
        let mut items = Vec::new();
        let mut n = start;
        loop {
            items.push(if width > 0 {
                if n < 0 {
                    format!("-{:0w$}", -n, w = width - 1)
                } else {
                    format!("{n:0width$}")
                }
            } else {
                n.to_string()
            });
            if items.len() > limit {
                break;
            }
            if start <= end {
                n += step;
                if n > end {
                    break;
                }
            } else {
                n -= step;
                if n < end {
                    break;
                }
            }
        }
        return Some(items);
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    let (start, end) = (ca.next()?, cb.next()?);
    if ca.next().is_some()
        || cb.next().is_some()
        || !start.is_ascii_alphabetic()
        || !end.is_ascii_alphabetic()
    {
        return None;
    }
    let (s, e) = (start as i64, end as i64);
    let mut items = Vec::new();
    let mut n = s;
    loop {
        items.push(char::from_u32(n as u32)?.to_string());
        if items.len() > limit {
            break;
        }
        if s <= e {
            n += step;
            if n > e {
                break;
            }
        } else {
            n -= step;
            if n < e {
                break;
            }
        }
    }
    Some(items)
}

/// Expands every brace group of `word`; stops (returning what it has)
/// past `limit` words.
pub(crate) fn expand(word: &str, limit: usize) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let Some(group) = find_group(&chars, limit) else {
        return vec![word.to_string()];
    };
    let prefix: String = chars[..group.start].iter().collect();
    let suffix: String = chars[group.end + 1..].iter().collect();
    let mut out = Vec::new();
    for item in group.items {
        for expanded in expand(&format!("{prefix}{item}{suffix}"), limit) {
            out.push(expanded);
            if out.len() > limit {
                return out;
            }
        }
    }
    out
}

impl Interp {
    /// Brace-expands `word` into the words to expand further.
    pub(crate) async fn brace_expand(&mut self, word: &str) -> Exec<Vec<String>> {
        if !word.contains('{') || !self.state.options.braceexpand {
            return Ok(vec![word.to_string()]);
        }
        let limit = self.env.limits.max_expansion_words;
        let words = expand(word, limit);
        if words.len() > limit {
            let message = format!(
                "brace expansion of `{word}' produces more than {limit} words; raise Limits::max_expansion_words if this is intended"
            );
            return Err(self.fatal(1, message).await);
        }
        Ok(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(word: &str) -> Vec<String> {
        expand(word, 1000)
    }

    #[test]
    fn alternatives_and_nesting() {
        assert_eq!(e("a{b,c}d"), ["abd", "acd"]);
        assert_eq!(e("{a,b{1,2}}"), ["a", "b1", "b2"]);
        assert_eq!(e("{a,b}{x,y}"), ["ax", "ay", "bx", "by"]);
        assert_eq!(e("x{,y}"), ["x", "xy"]);
    }

    #[test]
    fn sequences() {
        assert_eq!(e("{1..4}"), ["1", "2", "3", "4"]);
        assert_eq!(e("{5..1..2}"), ["5", "3", "1"]);
        assert_eq!(e("{01..03}"), ["01", "02", "03"]);
        assert_eq!(e("{a..c}"), ["a", "b", "c"]);
        assert_eq!(e("{-1..1}"), ["-1", "0", "1"]);
    }

    #[test]
    fn literal_braces_and_quotes() {
        assert_eq!(e("{x}"), ["{x}"]);
        assert_eq!(e("{}"), ["{}"]);
        assert_eq!(e("'{a,b}'"), ["'{a,b}'"]);
        assert_eq!(e("${x:-{a,b}}"), ["${x:-{a,b}}"]);
        assert_eq!(e("\\{a,b}"), ["\\{a,b}"]);
        assert_eq!(e("{a..}"), ["{a..}"]);
    }

    #[test]
    fn stops_at_the_limit() {
        assert!(expand("{1..100000}", 1000).len() <= 1001);
    }
}
