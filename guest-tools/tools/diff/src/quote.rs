//! File names and options as GNU diff 3.8 quotes them in its output (C
//! locale).
//!
//! - File names in headers (`diff -r a b`, `--- a`, `*** a`) are put in
//!   double quotes with C escapes when they hold white space, control
//!   characters, `"`, `\` or non-ASCII bytes: `"x y"`, `"p\tq"`, `"n\351"`.
//! - The options echoed in `diff -r ...` lines are quoted for the shell:
//!   `-x 'a b'`, `"a'b"`, `'a'\''$b'`.

/// `name` as it appears in a header line.
pub fn header_name(name: &[u8]) -> Vec<u8> {
    let needs = name
        .iter()
        .any(|&b| !(0x20..0x80).contains(&b) || b == b' ' || b == b'"' || b == b'\\');
    if !needs {
        return name.to_vec();
    }
    let mut out = Vec::with_capacity(name.len() + 8);
    out.push(b'"');
    for &b in name {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0b => out.extend_from_slice(b"\\v"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b if !(0x20..0x80).contains(&b) => {
                out.extend_from_slice(format!("\\{b:03o}").as_bytes())
            }
            b => out.push(b),
        }
    }
    out.push(b'"');
    out
}

/// `arg` quoted for a POSIX shell, only when needed.
pub fn shell(arg: &[u8]) -> Vec<u8> {
    if arg.is_empty() {
        return b"''".to_vec();
    }
    let special = |(i, &b): (usize, &u8)| match b {
        b' ' | b'!' | b'"' | b'$' | b'&' | b'(' | b')' | b'*' | b';' | b'<' | b'=' | b'>'
        | b'?' | b'[' | b'\\' | b'^' | b'`' | b'|' => true,
        b'#' | b'~' => i == 0,
        b'{' | b'}' => arg.len() == 1,
        b => b < 0x20 || b == 0x7f,
    };
    let has_quote = arg.contains(&b'\'');
    if !has_quote && !arg.iter().enumerate().any(special) {
        return arg.to_vec();
    }
    // A single quote alone can be wrapped in double quotes, unless the
    // string holds characters special inside them.
    if has_quote
        && !arg
            .iter()
            .any(|b| matches!(b, b'"' | b'$' | b'`' | b'\\' | b'!'))
    {
        let mut out = Vec::with_capacity(arg.len() + 2);
        out.push(b'"');
        out.extend_from_slice(arg);
        out.push(b'"');
        return out;
    }
    let mut out = Vec::with_capacity(arg.len() + 8);
    out.push(b'\'');
    for &b in arg {
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(b);
        }
    }
    out.push(b'\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &[u8]) -> String {
        String::from_utf8(header_name(s)).unwrap()
    }

    fn sh(s: &str) -> String {
        String::from_utf8(shell(s.as_bytes())).unwrap()
    }

    #[test]
    fn header_names_get_c_quotes_when_needed() {
        assert_eq!(h(b"plain/name.txt"), "plain/name.txt");
        assert_eq!(h(b"x y"), "\"x y\"");
        assert_eq!(h(b"p\tq"), "\"p\\tq\"");
        assert_eq!(h(b"n\xe9"), "\"n\\351\"");
        assert_eq!(h(b"a\"b"), "\"a\\\"b\"");
        assert_eq!(h(b"a'b$"), "a'b$");
    }

    #[test]
    fn options_get_shell_quotes_when_needed() {
        assert_eq!(sh("-r"), "-r");
        assert_eq!(sh("a b"), "'a b'");
        assert_eq!(sh("a'b"), "\"a'b\"");
        assert_eq!(sh("a'$b"), "'a'\\''$b'");
        assert_eq!(sh("a{b}"), "a{b}");
        assert_eq!(sh("{"), "'{'");
        assert_eq!(sh("~a"), "'~a'");
        assert_eq!(sh("a~"), "a~");
        assert_eq!(sh(""), "''");
    }
}
