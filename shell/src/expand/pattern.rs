//! Shell patterns: `*`, `?`, bracket expressions and, with `extglob`,
//! `?(…)`, `*(…)`, `+(…)`, `@(…)`, `!(…)`.
//!
//! Patterns are compiled once into tokens and matched by backtracking over
//! characters; a backslash makes the next character literal (the expander
//! escapes quoted parts of a word this way). An unterminated bracket is a
//! literal `[`, as in bash.

/// A compiled shell pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    tokens: Vec<Token>,
    nocase: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    Any,
    Star,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
    Ext {
        kind: ExtKind,
        alternatives: Vec<Vec<Token>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(NamedClass),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NamedClass {
    Alnum,
    Alpha,
    Blank,
    Cntrl,
    Digit,
    Graph,
    Lower,
    Print,
    Punct,
    Space,
    Upper,
    Xdigit,
    Word,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExtKind {
    /// `?(…)`: zero or one.
    Optional,
    /// `*(…)`: zero or more.
    Star,
    /// `+(…)`: one or more.
    Plus,
    /// `@(…)`: exactly one.
    One,
    /// `!(…)`: anything except.
    Not,
}

impl NamedClass {
    fn parse(name: &str) -> Option<NamedClass> {
        Some(match name {
            "alnum" => NamedClass::Alnum,
            "alpha" => NamedClass::Alpha,
            "blank" => NamedClass::Blank,
            "cntrl" => NamedClass::Cntrl,
            "digit" => NamedClass::Digit,
            "graph" => NamedClass::Graph,
            "lower" => NamedClass::Lower,
            "print" => NamedClass::Print,
            "punct" => NamedClass::Punct,
            "space" => NamedClass::Space,
            "upper" => NamedClass::Upper,
            "xdigit" => NamedClass::Xdigit,
            "word" => NamedClass::Word,
            _ => return None,
        })
    }

    fn contains(self, c: char) -> bool {
        match self {
            NamedClass::Alnum => c.is_alphanumeric(),
            NamedClass::Alpha => c.is_alphabetic(),
            NamedClass::Blank => c == ' ' || c == '\t',
            NamedClass::Cntrl => c.is_control(),
            NamedClass::Digit => c.is_ascii_digit(),
            NamedClass::Graph => !c.is_whitespace() && !c.is_control(),
            NamedClass::Lower => c.is_lowercase(),
            NamedClass::Print => !c.is_control(),
            NamedClass::Punct => c.is_ascii_punctuation(),
            NamedClass::Space => c.is_whitespace(),
            NamedClass::Upper => c.is_uppercase(),
            NamedClass::Xdigit => c.is_ascii_hexdigit(),
            NamedClass::Word => c.is_alphanumeric() || c == '_',
        }
    }
}

/// True if `pattern` has an unescaped glob character (worth matching
/// against the filesystem at all).
pub(crate) fn has_magic(pattern: &str, extglob: bool) -> bool {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '*' | '?' => return true,
            // A bracket only opens a set if a `]` closes it (`[` alone, the
            // test command, is a plain word); the first character of the
            // set may itself be `]` (`[]a]`), after an optional `!` or `^`.
            '[' => {
                let mut body = chars.clone();
                body.next_if(|c| matches!(c, '!' | '^'));
                if body.next().is_some() && body.any(|c| c == ']') {
                    return true;
                }
            }
            '+' | '@' | '!' if extglob && chars.peek() == Some(&'(') => return true,
            _ => {}
        }
    }
    false
}

/// Escapes `text` so it matches itself literally inside a pattern.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '*' | '?' | '[' | ']' | '\\' | '(' | ')' | '|' | '+' | '@' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Removes the backslashes of [`escape`] (a pattern used as plain text).
pub(crate) fn unescape(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
                continue;
            }
        }
        out.push(c);
    }
    out
}

impl Pattern {
    /// Compiles `pattern`.
    pub(crate) fn new(pattern: &str, extglob: bool, nocase: bool) -> Pattern {
        let chars: Vec<char> = pattern.chars().collect();
        let (tokens, _) = parse_seq(&chars, 0, extglob, false);
        Pattern { tokens, nocase }
    }

    /// True if the whole of `text` matches.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        match_tokens(&self.tokens, &chars, self.nocase)
    }

    /// Byte lengths of the prefixes of `text` that match, shortest first.
    pub(crate) fn matching_prefixes(&self, text: &str) -> Vec<usize> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut byte = 0;
        for i in 0..=chars.len() {
            if match_tokens(&self.tokens, &chars[..i], self.nocase) {
                out.push(byte);
            }
            if i < chars.len() {
                byte += chars[i].len_utf8();
            }
        }
        out
    }

    /// Byte offsets where matching suffixes of `text` start, longest
    /// suffix first.
    pub(crate) fn matching_suffixes(&self, text: &str) -> Vec<usize> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut byte = 0;
        for i in 0..=chars.len() {
            if match_tokens(&self.tokens, &chars[i..], self.nocase) {
                out.push(byte);
            }
            if i < chars.len() {
                byte += chars[i].len_utf8();
            }
        }
        out
    }

    /// The first match in `text` at or after byte `from`: `(start, end)`,
    /// longest at the leftmost start (what `${x/pat/rep}` replaces).
    pub(crate) fn find(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let plain: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
        let start_index = chars
            .iter()
            .position(|&(b, _)| b >= from)
            .unwrap_or(chars.len());
        for start in start_index..=plain.len() {
            for end in (start..=plain.len()).rev() {
                if match_tokens(&self.tokens, &plain[start..end], self.nocase) {
                    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
                    return Some((byte(start), byte(end)));
                }
            }
        }
        None
    }
}

/// Parses tokens from `chars[i..]` until the end, or (inside an extglob
/// group) until an unescaped `|` or `)`. Returns the tokens and where
/// parsing stopped.
fn parse_seq(chars: &[char], mut i: usize, extglob: bool, in_group: bool) -> (Vec<Token>, usize) {
    let mut tokens = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if in_group && (c == '|' || c == ')') {
            return (tokens, i);
        }
        match c {
            '\\' if i + 1 < chars.len() => {
                tokens.push(Token::Literal(chars[i + 1]));
                i += 2;
            }
            '*' if extglob && chars.get(i + 1) == Some(&'(') => {
                i = parse_ext(chars, i, ExtKind::Star, &mut tokens, extglob);
            }
            '?' if extglob && chars.get(i + 1) == Some(&'(') => {
                i = parse_ext(chars, i, ExtKind::Optional, &mut tokens, extglob);
            }
            '+' | '@' | '!' if extglob && chars.get(i + 1) == Some(&'(') => {
                let kind = match c {
                    '+' => ExtKind::Plus,
                    '@' => ExtKind::One,
                    _ => ExtKind::Not,
                };
                i = parse_ext(chars, i, kind, &mut tokens, extglob);
            }
            '*' => {
                // Consecutive stars mean the same as one.
                if tokens.last() != Some(&Token::Star) {
                    tokens.push(Token::Star);
                }
                i += 1;
            }
            '?' => {
                tokens.push(Token::Any);
                i += 1;
            }
            '[' => match parse_class(chars, i) {
                Some((token, next)) => {
                    tokens.push(token);
                    i = next;
                }
                None => {
                    tokens.push(Token::Literal('['));
                    i += 1;
                }
            },
            c => {
                tokens.push(Token::Literal(c));
                i += 1;
            }
        }
    }
    (tokens, i)
}

/// Parses an extglob group starting at `chars[at]` (the operator); pushes
/// it (or the operator as a literal when the group is unterminated) and
/// returns the index after it.
fn parse_ext(
    chars: &[char],
    at: usize,
    kind: ExtKind,
    tokens: &mut Vec<Token>,
    extglob: bool,
) -> usize {
    let mut alternatives = Vec::new();
    let mut i = at + 2;
    loop {
        let (alt, next) = parse_seq(chars, i, extglob, true);
        alternatives.push(alt);
        match chars.get(next) {
            Some('|') => i = next + 1,
            Some(')') => {
                tokens.push(Token::Ext { kind, alternatives });
                return next + 1;
            }
            _ => {
                tokens.push(Token::Literal(chars[at]));
                return at + 1;
            }
        }
    }
}

/// Parses a bracket expression at `chars[at]` (`[`); `None` if it is not
/// terminated.
fn parse_class(chars: &[char], at: usize) -> Option<(Token, usize)> {
    let mut i = at + 1;
    let negated = matches!(chars.get(i), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Token::Class { negated, items }, i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                if let Some(class) = NamedClass::parse(&rest[..end]) {
                    items.push(ClassItem::Named(class));
                    i += 2 + rest[..end].chars().count() + 2;
                    continue;
                }
            }
        }
        let c = if c == '\\' && i + 1 < chars.len() {
            i += 1;
            chars[i]
        } else {
            c
        };
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            let mut end = chars[i + 2];
            let mut skip = 3;
            if end == '\\' && i + 3 < chars.len() {
                end = chars[i + 3];
                skip = 4;
            }
            items.push(ClassItem::Range(c, end));
            i += skip;
        } else {
            items.push(ClassItem::Char(c));
            i += 1;
        }
    }
}

fn eq(a: char, b: char, nocase: bool) -> bool {
    a == b || (nocase && a.to_lowercase().eq(b.to_lowercase()))
}

fn class_contains(items: &[ClassItem], c: char, nocase: bool) -> bool {
    let test = |c: char| {
        items.iter().any(|item| match *item {
            ClassItem::Char(x) => x == c,
            ClassItem::Range(lo, hi) => lo <= c && c <= hi,
            ClassItem::Named(class) => class.contains(c),
        })
    };
    if test(c) {
        return true;
    }
    nocase && (c.to_lowercase().any(test) || c.to_uppercase().any(test))
}

/// True if `tokens` match all of `text`.
fn match_tokens(tokens: &[Token], text: &[char], nocase: bool) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return text.is_empty();
    };
    match first {
        Token::Literal(c) => {
            text.first().is_some_and(|&t| eq(t, *c, nocase))
                && match_tokens(rest, &text[1..], nocase)
        }
        Token::Any => !text.is_empty() && match_tokens(rest, &text[1..], nocase),
        Token::Class { negated, items } => {
            text.first()
                .is_some_and(|&t| class_contains(items, t, nocase) != *negated)
                && match_tokens(rest, &text[1..], nocase)
        }
        Token::Star => {
            if rest.is_empty() {
                return true;
            }
            // A literal next token lets us skip to its occurrences.
            (0..=text.len()).any(|skip| match rest.first() {
                Some(Token::Literal(c)) if !nocase => {
                    text.get(skip).is_some_and(|t| t == c)
                        && match_tokens(rest, &text[skip..], nocase)
                }
                _ => match_tokens(rest, &text[skip..], nocase),
            })
        }
        Token::Ext { kind, alternatives } => match_ext(*kind, alternatives, rest, text, nocase),
    }
}

/// Matches an extglob group followed by `rest` against `text`.
fn match_ext(
    kind: ExtKind,
    alternatives: &[Vec<Token>],
    rest: &[Token],
    text: &[char],
    nocase: bool,
) -> bool {
    let one = |chunk: &[char]| {
        alternatives
            .iter()
            .any(|alt| match_tokens(alt, chunk, nocase))
    };
    match kind {
        ExtKind::One => {
            (0..=text.len()).any(|n| one(&text[..n]) && match_tokens(rest, &text[n..], nocase))
        }
        ExtKind::Optional => {
            match_tokens(rest, text, nocase)
                || (0..=text.len())
                    .any(|n| one(&text[..n]) && match_tokens(rest, &text[n..], nocase))
        }
        ExtKind::Star | ExtKind::Plus => {
            if kind == ExtKind::Star && match_tokens(rest, text, nocase) {
                return true;
            }
            // One occurrence of a non-empty chunk, then zero or more more.
            (1..=text.len()).any(|n| {
                one(&text[..n]) && match_ext(ExtKind::Star, alternatives, rest, &text[n..], nocase)
            })
        }
        ExtKind::Not => {
            (0..=text.len()).any(|n| !one(&text[..n]) && match_tokens(rest, &text[n..], nocase))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, text: &str) -> bool {
        Pattern::new(pattern, true, false).matches(text)
    }

    #[test]
    fn wildcards_and_classes() {
        assert!(m("*.rs", "main.rs"));
        assert!(!m("*.rs", "main.rsx"));
        assert!(m("a?c", "abc"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(m("[]]", "]"));
        assert!(m("[[:digit:]][[:alpha:]]", "1a"));
        assert!(m("[", "["));
        assert!(m("a\\*", "a*"));
        assert!(!m("a\\*", "ab"));
    }

    #[test]
    fn extended_patterns() {
        assert!(m("@(a|b).txt", "b.txt"));
        assert!(m("*(ab)", ""));
        assert!(m("*(ab)", "abab"));
        assert!(m("+(ab)c", "ababc"));
        assert!(!m("+(ab)c", "c"));
        assert!(m("?(x)y", "y"));
        assert!(m("!(*.log)", "a.txt"));
        assert!(!m("!(*.log)", "a.log"));
    }

    #[test]
    fn prefix_suffix_and_find() {
        let p = Pattern::new("*/", false, false);
        assert_eq!(p.matching_prefixes("a/b/c"), [2, 4]);
        let p = Pattern::new(".*", false, false);
        assert_eq!(p.matching_suffixes("a.tar.gz"), [1, 5]);
        let p = Pattern::new("o*", false, false);
        assert_eq!(p.find("foo bar", 0), Some((1, 7)));
    }

    #[test]
    fn case_insensitive() {
        assert!(Pattern::new("*.TXT", false, true).matches("a.txt"));
        assert!(Pattern::new("[A-C]", false, true).matches("b"));
    }

    #[test]
    fn detects_magic() {
        assert!(has_magic("*.c", false));
        assert!(has_magic("[ab]", false) && has_magic("x[!a]", false) && has_magic("[]a]", false));
        assert!(!has_magic("[", false) && !has_magic("]", false) && !has_magic("[]", false));
        assert!(!has_magic("\\*.c", false));
        assert!(has_magic("@(a)", true));
        assert!(!has_magic("@(a)", false));
    }
}
