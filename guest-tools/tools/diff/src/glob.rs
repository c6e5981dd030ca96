//! Shell patterns for `-x`/`-X`, matched against file names found in
//! directories, as `fnmatch` does without flags: `*` and `?` match any
//! characters (a leading `.` and `/` included), `[...]` sets with `!` or
//! `^` negation, ranges and `[:class:]`es, and `\` quoting the next
//! character.

/// Whether `name` matches `pattern`; `fold` ignores ASCII case.
pub fn matches(pattern: &[u8], name: &[u8], fold: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if fold {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // Iterative matcher with one backtracking point for the last `*`.
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    n += 1;
                    continue;
                }
                b'[' => {
                    if let Some((hit, next)) = set(pattern, p + 1, name[n], fold) {
                        if hit {
                            p = next;
                            n += 1;
                            continue;
                        }
                    } else if eq(b'[', name[n]) {
                        // No closing bracket: a literal `[`.
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pattern.len() => {
                    if eq(pattern[p + 1], name[n]) {
                        p += 2;
                        n += 1;
                        continue;
                    }
                }
                c => {
                    if eq(c, name[n]) {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, sn)) => {
                p = sp + 1;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Matches `c` against the set starting at `pattern[start]` (after `[`).
/// Returns whether it matched and where the pattern continues, or `None`
/// if the set is not closed.
fn set(pattern: &[u8], start: usize, c: u8, fold: bool) -> Option<(bool, usize)> {
    let mut i = start;
    let negate = matches!(pattern.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    let lc = |b: u8| if fold { b.to_ascii_lowercase() } else { b };
    loop {
        let &ch = pattern.get(i)?;
        if ch == b']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        if ch == b'[' && pattern.get(i + 1) == Some(&b':') {
            let rest = &pattern[i + 2..];
            let end = rest.windows(2).position(|w| w == b":]")?;
            hit |= class(&rest[..end], c);
            i += 2 + end + 2;
            continue;
        }
        let lo = if ch == b'\\' {
            i += 1;
            *pattern.get(i)?
        } else {
            ch
        };
        i += 1;
        if pattern.get(i) == Some(&b'-') && pattern.get(i + 1).is_some_and(|&b| b != b']') {
            let mut hi = pattern[i + 1];
            i += 2;
            if hi == b'\\' {
                hi = *pattern.get(i)?;
                i += 1;
            }
            hit |= (lc(lo)..=lc(hi)).contains(&lc(c)) || (lo..=hi).contains(&c);
        } else {
            hit |= lc(lo) == lc(c);
        }
    }
}

fn class(name: &[u8], c: u8) -> bool {
    match name {
        b"alpha" => c.is_ascii_alphabetic(),
        b"digit" => c.is_ascii_digit(),
        b"alnum" => c.is_ascii_alphanumeric(),
        b"upper" => c.is_ascii_uppercase(),
        b"lower" => c.is_ascii_lowercase(),
        b"space" => matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'),
        b"blank" => c == b' ' || c == b'\t',
        b"punct" => c.is_ascii_punctuation(),
        b"print" => (0x20..0x7f).contains(&c),
        b"graph" => c.is_ascii_graphic(),
        b"cntrl" => c.is_ascii_control(),
        b"xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards_sets_and_escapes() {
        assert!(matches(b"*.o", b"main.o", false));
        assert!(matches(b"*", b".hidden", false));
        assert!(!matches(b"*.o", b"main.c", false));
        assert!(matches(b"?.txt", b"a.txt", false));
        assert!(matches(b"[a-c]x", b"bx", false));
        assert!(!matches(b"[!a-c]x", b"bx", false));
        assert!(matches(b"[[:digit:]]*", b"1abc", false));
        assert!(matches(b"a\\*", b"a*", false));
        assert!(!matches(b"a\\*", b"ab", false));
        assert!(matches(b"README", b"readme", true));
        assert!(matches(b"a*b*c", b"axxbyyc", false));
        assert!(matches(b"[", b"[", false));
    }
}
