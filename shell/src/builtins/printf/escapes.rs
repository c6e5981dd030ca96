//! Backslash escapes of `printf` formats and `%b` arguments (bash's
//! `tescape` and `bexpand`), and `%q` quoting (`sh_backslash_quote` and
//! `ansic_quote`). Everything works on bytes: `\xff` is one byte.

/// Where an escape appears: the two differ in octal escapes, `\c` and
/// `\'`, `\"`, `\?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// The format string.
    Format,
    /// A `%b` argument.
    Argument,
}

/// One escape sequence.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Escape {
    /// The bytes it stands for.
    pub(crate) bytes: Vec<u8>,
    /// Bytes used after the backslash; 0 when the backslash stands for
    /// itself and the next character is read as usual.
    pub(crate) used: usize,
    /// `\c` in an argument: no more output at all.
    pub(crate) stop: bool,
}

fn literal_backslash() -> Escape {
    Escape {
        bytes: vec![b'\\'],
        used: 0,
        stop: false,
    }
}

/// The escape whose text follows a backslash; `errors` receives bash's
/// complaints (`missing hex digit for \x`).
pub(crate) fn escape(text: &[u8], dialect: Dialect, errors: &mut Vec<String>) -> Escape {
    let Some(&c) = text.first() else {
        return literal_backslash();
    };
    let simple = |byte: u8| Escape {
        bytes: vec![byte],
        used: 1,
        stop: false,
    };
    match c {
        b'a' => simple(0x07),
        b'b' => simple(0x08),
        b'e' | b'E' => simple(0x1b),
        b'f' => simple(0x0c),
        b'n' => simple(b'\n'),
        b'r' => simple(b'\r'),
        b't' => simple(b'\t'),
        b'v' => simple(0x0b),
        b'\\' => simple(b'\\'),
        b'0'..=b'7' => {
            let mut value = u32::from(c - b'0');
            // `\0nnn` in an argument, `\nnn` anywhere.
            let more = if value == 0 && dialect == Dialect::Argument {
                3
            } else {
                2
            };
            let mut used = 1;
            while used <= more && text.get(used).is_some_and(|b| (b'0'..=b'7').contains(b)) {
                value = value * 8 + u32::from(text[used] - b'0');
                used += 1;
            }
            Escape {
                bytes: vec![(value & 0xff) as u8],
                used,
                stop: false,
            }
        }
        b'x' => {
            let (value, digits) = hex(&text[1..], 2);
            if digits == 0 {
                errors.push("missing hex digit for \\x".into());
                return literal_backslash();
            }
            Escape {
                bytes: vec![value as u8],
                used: 1 + digits,
                stop: false,
            }
        }
        b'u' | b'U' => {
            let (value, digits) = hex(&text[1..], if c == b'u' { 4 } else { 8 });
            if digits == 0 {
                errors.push(format!("missing unicode digit for \\{}", c as char));
                return literal_backslash();
            }
            let bytes = if value <= 0x7f {
                vec![value as u8]
            } else {
                let c = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
                c.to_string().into_bytes()
            };
            Escape {
                bytes,
                used: 1 + digits,
                stop: false,
            }
        }
        b'\'' | b'"' | b'?' if dialect == Dialect::Format => simple(c),
        b'c' if dialect == Dialect::Argument => Escape {
            bytes: Vec::new(),
            used: 1,
            stop: true,
        },
        _ => literal_backslash(),
    }
}

/// Up to `max` hex digits: their value and how many there were.
fn hex(text: &[u8], max: usize) -> (u32, usize) {
    let mut value = 0u32;
    let mut used = 0;
    while used < max {
        match text.get(used).and_then(|&b| (b as char).to_digit(16)) {
            Some(d) => value = value.wrapping_mul(16).wrapping_add(d),
            None => break,
        }
        used += 1;
    }
    (value, used)
}

/// A `%b` argument with its escapes expanded, and whether `\c` ended all
/// output.
pub(crate) fn expand_argument(text: &[u8], errors: &mut Vec<String>) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        i += 1;
        if c != b'\\' || i == text.len() {
            out.push(c);
            continue;
        }
        let escape = escape(&text[i..], Dialect::Argument, errors);
        if escape.stop {
            return (out, true);
        }
        i += escape.used;
        out.extend(escape.bytes);
    }
    (out, false)
}

/// ASCII characters `%q` protects with a backslash (bash's `bstab`).
fn needs_backslash(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | ' '
            | '!'
            | '"'
            | '$'
            | '&'
            | '\''
            | '('
            | ')'
            | '*'
            | ','
            | ';'
            | '<'
            | '>'
            | '?'
            | '['
            | '\\'
            | ']'
            | '^'
            | '`'
            | '{'
            | '|'
            | '}'
    )
}

fn printable(c: char) -> bool {
    if c.is_ascii() {
        (' '..='~').contains(&c)
    } else {
        !c.is_control()
    }
}

/// `%q`: `text` quoted for reuse as shell input: `''` when empty, `$'…'`
/// when it holds unprintable characters, backslashes otherwise.
pub(crate) fn quote(text: &str) -> String {
    if text.is_empty() {
        return "''".into();
    }
    if !text.chars().all(printable) {
        return ansi_c_quote(text);
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut previous = None;
    for (i, c) in text.chars().enumerate() {
        let tilde_start = c == '~' && (i == 0 || matches!(previous, Some(':' | '=')));
        if needs_backslash(c) || (c == '#' && i == 0) || tilde_start {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// bash's `ansic_quote`: `$'…'` with C escapes and octal bytes.
fn ansi_c_quote(text: &str) -> String {
    let mut out = String::from("$'");
    for c in text.chars() {
        match c {
            '\x1b' => out.push_str("\\E"),
            '\x07' => out.push_str("\\a"),
            '\x0b' => out.push_str("\\v"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            c if printable(c) => out.push(c),
            c => {
                let mut buf = [0; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{byte:03o}"));
                }
            }
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_escapes_differ_between_format_and_argument() {
        let mut errors = Vec::new();
        assert_eq!(escape(b"0101", Dialect::Format, &mut errors).bytes, [0o10]);
        assert_eq!(escape(b"0101", Dialect::Argument, &mut errors).bytes, b"A");
        assert_eq!(escape(b"101", Dialect::Argument, &mut errors).bytes, b"A");
        assert!(errors.is_empty());
    }

    #[test]
    fn arguments_stop_at_backslash_c() {
        let mut errors = Vec::new();
        assert_eq!(
            expand_argument(br"a\tb\cd", &mut errors),
            (b"a\tb".to_vec(), true)
        );
        assert_eq!(
            expand_argument(br"x\", &mut errors),
            (br"x\".to_vec(), false)
        );
        assert_eq!(
            expand_argument(br"\'\q", &mut errors),
            (br"\'\q".to_vec(), false)
        );
        assert_eq!(
            expand_argument(br"\x", &mut errors),
            (br"\x".to_vec(), false)
        );
        assert_eq!(errors, ["missing hex digit for \\x"]);
    }

    #[test]
    fn quoting_like_bash() {
        assert_eq!(quote("a b"), r"a\ b");
        assert_eq!(quote("it's"), r"it\'s");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("~x"), r"\~x");
        assert_eq!(quote("a~"), "a~");
        assert_eq!(quote("x=~y"), r"x=\~y");
        assert_eq!(quote("#x"), r"\#x");
        assert_eq!(quote("a#"), "a#");
        assert_eq!(quote("é"), "é");
        assert_eq!(quote("tab\tx"), r"$'tab\tx'");
        assert_eq!(quote("\x7f"), r"$'\177'");
        assert_eq!(quote("a\x01b"), r"$'a\001b'");
    }
}
