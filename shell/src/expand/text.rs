//! Backslash escapes: `$'…'` (ANSI-C quoting) and `echo -e` / `printf %b`.

/// The value of `$'text'`: `\n`, `\t`, `\xHH`, `\uHHHH`, `\nnn` (octal),
/// `\cX` and the rest of bash's ANSI-C escapes.
pub(crate) fn ansi_c(text: &str) -> String {
    unescape(text, Dialect::AnsiC).0
}

/// The value of `echo -e` / `printf %b` text, and whether `\c` asked to
/// stop all output there.
pub(crate) fn echo_escapes(text: &str) -> (String, bool) {
    unescape(text, Dialect::Echo)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    AnsiC,
    Echo,
}

fn unescape(text: &str, dialect: Dialect) -> (String, bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '\\' || i + 1 >= chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = chars[i + 1];
        i += 2;
        match e {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '\'' if dialect == Dialect::AnsiC => out.push('\''),
            '"' if dialect == Dialect::AnsiC => out.push('"'),
            '?' if dialect == Dialect::AnsiC => out.push('?'),
            'c' if dialect == Dialect::Echo => return (out, true),
            'c' if dialect == Dialect::AnsiC && i < chars.len() => {
                // Control character: \cA is 1, \c? is 127.
                let x = chars[i];
                i += 1;
                let code = if x == '?' {
                    127
                } else {
                    (x.to_ascii_uppercase() as u32) & 0x1f
                };
                out.push(char::from_u32(code).unwrap_or(x));
            }
            'x' => {
                let (value, used) = hex(&chars[i..], 2);
                if used == 0 {
                    out.push_str("\\x");
                } else {
                    push_byte(&mut out, value);
                    i += used;
                }
            }
            'u' | 'U' => {
                let (value, used) = hex(&chars[i..], if e == 'u' { 4 } else { 8 });
                if used == 0 {
                    out.push('\\');
                    out.push(e);
                } else {
                    out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                    i += used;
                }
            }
            '0'..='7' => {
                // echo's octal escapes start with 0 and take up to three
                // more digits; ANSI-C's take up to three in all.
                let (start, max) = match (dialect, e) {
                    (Dialect::Echo, '0') => (i, 3),
                    (Dialect::Echo, _) => {
                        out.push('\\');
                        out.push(e);
                        continue;
                    }
                    (Dialect::AnsiC, _) => (i - 1, 3),
                };
                let mut value = 0u32;
                let mut used = 0;
                while used < max
                    && start + used < chars.len()
                    && ('0'..='7').contains(&chars[start + used])
                {
                    value = value * 8 + (chars[start + used] as u32 - '0' as u32);
                    used += 1;
                }
                i = start + used;
                push_byte(&mut out, value & 0xff);
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// Reads up to `max` hex digits; returns the value and how many were used.
fn hex(chars: &[char], max: usize) -> (u32, usize) {
    let mut value = 0u32;
    let mut used = 0;
    while used < max && used < chars.len() {
        match chars[used].to_digit(16) {
            Some(d) => value = value * 16 + d,
            None => break,
        }
        used += 1;
    }
    (value, used)
}

/// Pushes a byte value: ASCII as itself, the rest as the Latin-1 character
/// (strings are UTF-8 here; raw bytes above 127 cannot be represented).
fn push_byte(out: &mut String, value: u32) {
    out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_c_escapes() {
        assert_eq!(ansi_c(r"a\tb\n"), "a\tb\n");
        assert_eq!(ansi_c(r"\x41\101\u00e9"), "AAé");
        assert_eq!(ansi_c(r"it\'s"), "it's");
        assert_eq!(ansi_c(r"\cA"), "\x01");
        assert_eq!(ansi_c(r"\q"), "\\q");
    }

    #[test]
    fn echo_escapes_stop_at_c() {
        assert_eq!(echo_escapes(r"a\nb\cdef"), ("a\nb".to_string(), true));
        assert_eq!(echo_escapes(r"\0101\101"), ("A\\101".to_string(), false));
    }
}
