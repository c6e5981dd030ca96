//! Character-level views of byte strings.
//!
//! awk strings are bytes (input need not be UTF-8), but `length`, `substr`, `index`,
//! `match` and printf widths count characters, as gawk does in a UTF-8 locale. A byte that
//! does not start a valid UTF-8 sequence counts as one character, so every byte string has
//! a well-defined length and no input can make these functions fail.

/// Byte length of the character starting at `s[i]` (1 for invalid bytes).
#[inline]
pub fn char_len_at(s: &[u8], i: usize) -> usize {
    let b = s[i];
    if b < 0x80 {
        return 1;
    }
    let n = match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return 1,
    };
    if i + n > s.len() {
        return 1;
    }
    if s[i + 1..i + n].iter().all(|&c| (0x80..=0xBF).contains(&c)) {
        n
    } else {
        1
    }
}

/// Number of characters in `s`.
pub fn char_count(s: &[u8]) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    let mut i = 0;
    let mut n = 0;
    while i < s.len() {
        i += char_len_at(s, i);
        n += 1;
    }
    n
}

/// Byte length of the first `n` characters of `s` (all of `s` if it is shorter).
pub fn char_prefix_len(s: &[u8], n: usize) -> usize {
    if s.is_ascii() {
        return n.min(s.len());
    }
    let mut i = 0;
    let mut k = 0;
    while i < s.len() && k < n {
        i += char_len_at(s, i);
        k += 1;
    }
    i
}

/// Number of characters in `s[..byte]` (`byte` must be a character boundary).
pub fn chars_before(s: &[u8], byte: usize) -> usize {
    char_count(&s[..byte.min(s.len())])
}

/// Splits `s` into its characters (for `split(s, a, "")` and an empty FS).
pub fn chars(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= s.len() {
            return None;
        }
        let n = char_len_at(s, i);
        let c = &s[i..i + n];
        i += n;
        Some(c)
    })
}

/// Maps characters with `f` when `s` is valid UTF-8, else ASCII-only (`ascii`).
pub fn map_case(s: &[u8], upper: bool) -> Vec<u8> {
    if s.is_ascii() {
        let mut v = s.to_vec();
        if upper {
            v.make_ascii_uppercase();
        } else {
            v.make_ascii_lowercase();
        }
        return v;
    }
    match std::str::from_utf8(s) {
        Ok(t) => {
            if upper {
                t.to_uppercase().into_bytes()
            } else {
                t.to_lowercase().into_bytes()
            }
        }
        Err(_) => {
            let mut v = s.to_vec();
            if upper {
                v.make_ascii_uppercase();
            } else {
                v.make_ascii_lowercase();
            }
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf8_and_invalid_bytes() {
        assert_eq!(char_count("héllo".as_bytes()), 5);
        assert_eq!(char_count(b"a\xffb"), 3);
        assert_eq!(char_prefix_len("héllo".as_bytes(), 2), 3);
        assert_eq!(chars("aé".as_bytes()).count(), 2);
    }

    #[test]
    fn case_mapping() {
        assert_eq!(map_case("Héllo".as_bytes(), true), "HÉLLO".as_bytes());
        assert_eq!(map_case(b"A\xffB", false), b"a\xffb");
    }
}
