//! Conversions between numbers and strings, with gawk's rules.
//!
//! * string → number: the longest leading decimal floating constant (like `strtod`, but
//!   without hex, and `inf`/`nan` only in the signed forms `+inf`, `-nan`, ... as gawk does);
//! * "looks numeric" (POSIX numeric string): the whole string, blanks around allowed, is
//!   such a constant;
//! * number → string: integral values print as integers (exactly, even past 2^63), others
//!   through CONVFMT/OFMT.

use crate::format::format_one_float;

/// Parses the longest numeric prefix of `s` (after leading blanks); 0 if there is none.
pub fn parse_prefix(s: &[u8]) -> f64 {
    scan(s).map(|(v, _)| v).unwrap_or(0.0)
}

/// The numeric value if the whole of `s` (blanks around allowed) is a number.
pub fn looks_numeric(s: &[u8]) -> Option<f64> {
    let (v, end) = scan(s)?;
    if s[end..].iter().all(|&c| is_blank(c)) {
        Some(v)
    } else {
        None
    }
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Scans a number at the start of `s`: its value and the index just past it.
fn scan(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while i < s.len() && is_blank(s[i]) {
        i += 1;
    }
    let start = i;
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
        // gawk accepts the special values only with an explicit sign.
        if s.len() >= i + 3 {
            let w = &s[i..i + 3];
            if w.eq_ignore_ascii_case(b"inf") {
                let v = if neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                };
                let mut end = i + 3;
                if s.len() >= i + 8 && s[i..i + 8].eq_ignore_ascii_case(b"infinity") {
                    end = i + 8;
                }
                return Some((v, end));
            }
            if w.eq_ignore_ascii_case(b"nan") {
                let v = if neg { -f64::NAN } else { f64::NAN };
                return Some((v, i + 3));
            }
        }
    }
    let digits_start = i;
    let mut int_val: u64 = 0;
    let mut simple = true;
    while i < s.len() && s[i].is_ascii_digit() {
        if i - digits_start >= 18 {
            simple = false;
        } else {
            int_val = int_val * 10 + (s[i] - b'0') as u64;
        }
        i += 1;
    }
    let mut ndigits = i - digits_start;
    if i < s.len() && s[i] == b'.' {
        simple = false;
        i += 1;
        let fs = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        ndigits += i - fs;
    }
    if ndigits == 0 {
        return None;
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        let mut j = i + 1;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            j += 1;
        }
        if j < s.len() && s[j].is_ascii_digit() {
            while j < s.len() && s[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
            simple = false;
        }
    }
    if simple {
        let v = int_val as f64;
        return Some((if neg { -v } else { v }, i));
    }
    // The slice is ASCII by construction; std's parser rounds correctly.
    let text = std::str::from_utf8(&s[start..i]).ok()?;
    let text = text.strip_prefix('+').unwrap_or(text);
    let v: f64 = text.parse().ok()?;
    Some((v, i))
}

/// Appends the string form of `n`: integers exactly, others through `fmt` (CONVFMT/OFMT).
pub fn push_number(out: &mut Vec<u8>, n: f64, fmt: &[u8]) {
    if n.is_nan() {
        out.extend_from_slice(if n.is_sign_negative() {
            b"-nan"
        } else {
            b"+nan"
        });
    } else if n.is_infinite() {
        out.extend_from_slice(if n < 0.0 { b"-inf" } else { b"+inf" });
    } else if n == n.trunc() {
        push_integer(out, n);
    } else if fmt == b"%.6g" {
        format_one_float(out, n, b'g', 6, false, false);
    } else {
        crate::format::sprintf_number(out, fmt, n);
    }
}

/// Appends the exact decimal form of an integral, finite `n`.
pub fn push_integer(out: &mut Vec<u8>, n: f64) {
    if n.abs() < 9.0e18 {
        let i = n as i64;
        let mut buf = itoa_buf();
        out.extend_from_slice(itoa(&mut buf, i));
        return;
    }
    out.extend_from_slice(big_integer(n).as_bytes());
}

fn itoa_buf() -> [u8; 24] {
    [0u8; 24]
}

/// Formats `i` into `buf` and returns the used tail.
pub fn itoa(buf: &mut [u8; 24], i: i64) -> &[u8] {
    let mut u = i.unsigned_abs();
    let mut p = buf.len();
    loop {
        p -= 1;
        buf[p] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if i < 0 {
        p -= 1;
        buf[p] = b'-';
    }
    &buf[p..]
}

/// Exact decimal expansion of a large integral double (mantissa times a power of two).
pub fn big_integer(n: f64) -> String {
    let bits = n.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mant = if exp == 0 {
        (bits & ((1 << 52) - 1)) << 1
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    let shift = exp - 1075;
    // Little-endian base-1e9 limbs.
    let mut limbs: Vec<u64> = vec![mant % 1_000_000_000, mant / 1_000_000_000];
    if shift < 0 {
        // Only integral values reach here, so the low bits shifted out are zero.
        let v = mant >> (-shift).min(63);
        return if n < 0.0 {
            format!("-{v}")
        } else {
            v.to_string()
        };
    }
    for _ in 0..shift {
        let mut carry = 0u64;
        for l in limbs.iter_mut() {
            let v = *l * 2 + carry;
            *l = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    while limbs.len() > 1 && *limbs.last().unwrap_or(&1) == 0 {
        limbs.pop();
    }
    let mut s = String::new();
    if n < 0.0 {
        s.push('-');
    }
    let mut iter = limbs.iter().rev();
    if let Some(first) = iter.next() {
        s.push_str(&first.to_string());
    }
    for l in iter {
        s.push_str(&format!("{l:09}"));
    }
    s
}

/// `%.6g`-style text of a number, for messages.
pub fn format_number_plain(n: f64) -> String {
    let mut v = Vec::new();
    push_number(&mut v, n, b"%.6g");
    String::from_utf8_lossy(&v).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: f64) -> String {
        let mut v = Vec::new();
        push_number(&mut v, n, b"%.6g");
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn prefixes() {
        assert_eq!(parse_prefix(b"  12abc"), 12.0);
        assert_eq!(parse_prefix(b"-3.5e2x"), -350.0);
        assert_eq!(parse_prefix(b".5"), 0.5);
        assert_eq!(parse_prefix(b"1e"), 1.0);
        assert_eq!(parse_prefix(b"0x1A"), 0.0);
        assert_eq!(parse_prefix(b"inf"), 0.0);
        assert_eq!(parse_prefix(b"+inf"), f64::INFINITY);
        assert_eq!(parse_prefix(b"abc"), 0.0);
        assert_eq!(parse_prefix(b"-"), 0.0);
    }

    #[test]
    fn numeric_strings() {
        assert_eq!(looks_numeric(b" 10 "), Some(10.0));
        assert_eq!(looks_numeric(b"1e3"), Some(1000.0));
        assert_eq!(looks_numeric(b"10x"), None);
        assert_eq!(looks_numeric(b""), None);
        assert_eq!(looks_numeric(b"."), None);
    }

    #[test]
    fn number_strings() {
        assert_eq!(s(1.0), "1");
        assert_eq!(s(-0.0), "0");
        assert_eq!(s(0.1 + 0.2), "0.3");
        assert_eq!(s(1e6), "1000000");
        assert_eq!(s(123456789.5), "1.23457e+08");
        assert_eq!(s(1e30), "1000000000000000019884624838656");
        assert_eq!(s(-2f64.powi(70)), "-1180591620717411303424");
        assert_eq!(s(f64::INFINITY), "+inf");
    }
}
