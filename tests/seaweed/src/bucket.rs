//! Unique, valid S3 bucket names.
//!
//! AWS's rules (which SeaweedFS enforces too): 3 to 63 characters of
//! lowercase letters, digits, hyphens and dots, starting and ending with a
//! letter or a digit, not shaped like an IP address, not starting with
//! `xn--` or `sthree-`, not ending with `-s3alias` or `--ol-s3`. The names
//! made here use no dots and never two hyphens in a row, which rules out the
//! IP shape and every reserved prefix and suffix but `sthree-`.

/// Longest part of the caller's hint kept in a name, leaving room for the
/// unique suffix within the 63-character limit.
const MAX_HINT: usize = 40;
/// Longest valid bucket name.
const MAX_LEN: usize = 63;

/// A valid bucket name: the sanitised `hint`, then `sequence` and `nonce`
/// that make it unique (`nonce` differs per process, `sequence` per call).
///
/// `nonce` must consist of lowercase letters and digits, and be short
/// enough to leave room for a hint (a few characters).
pub(crate) fn name(hint: &str, sequence: u64, nonce: &str) -> String {
    let mut stem = String::with_capacity(MAX_HINT);
    for c in hint.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            stem.push(c);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.len() == MAX_HINT {
            break;
        }
    }
    if stem.starts_with("sthree") {
        stem.insert_str(0, "t-");
    }
    let suffix = format!("-{}-{nonce}", base36(sequence));
    // The hint gives way to the suffix, which carries the uniqueness.
    stem.truncate(MAX_LEN.saturating_sub(suffix.len()).min(stem.len()));
    let mut stem = stem.trim_end_matches('-').to_string();
    if stem.is_empty() {
        stem.push_str("test");
    }
    format!("{stem}{suffix}")
}

/// `n` in base 36 with lowercase digits: short and valid in a bucket name.
fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("base-36 digits are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's bucket naming rules for the characters this module emits.
    fn assert_valid(name: &str) {
        assert!((3..=MAX_LEN).contains(&name.len()), "length of {name:?}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "characters of {name:?}"
        );
        let first = name.as_bytes()[0];
        let last = name.as_bytes()[name.len() - 1];
        assert!(
            first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric(),
            "{name:?}"
        );
        assert!(!name.contains("--"), "{name:?}");
        assert!(
            !name.starts_with("xn--") && !name.starts_with("sthree-"),
            "{name:?}"
        );
    }

    #[test]
    fn hints_are_lowercased_and_cleaned() {
        let name = name("My Test::flush_retry", 7, "k3j9");
        assert_eq!(name, "my-test-flush-retry-7-k3j9");
        assert_valid(&name);
    }

    #[test]
    fn empty_or_symbol_only_hints_still_give_a_valid_name() {
        for hint in ["", "---", "ü", "_"] {
            assert_valid(&name(hint, 0, "abc"));
        }
        assert_eq!(name("", 0, "abc"), "test-0-abc");
    }

    #[test]
    fn long_hints_are_cut_to_fit() {
        let short = name(&"x".repeat(200), 5, "abcdef");
        assert_valid(&short);
        assert!(short.starts_with(&format!("{}-", "x".repeat(MAX_HINT))));
        let longest = name(&"x-".repeat(100), u64::MAX, "abcdefghij");
        assert_valid(&longest);
        assert!(longest.ends_with("-3w5e11264sgsf-abcdefghij"), "{longest}");
    }

    #[test]
    fn reserved_prefixes_are_avoided() {
        assert_valid(&name("sthree-data", 1, "n"));
        assert_valid(&name("xn--data", 1, "n"));
    }

    #[test]
    fn sequence_numbers_make_names_differ() {
        assert_ne!(name("a", 1, "n"), name("a", 2, "n"));
        assert_eq!(base36(0), "0");
        assert_eq!(base36(36 * 36 + 35), "10z");
    }
}
