//! Number text exactly as jq 1.7 prints it.
//!
//! jq 1.7 has two kinds of numbers: literals (from the program or the input)
//! keep their text, canonicalised the way decNumber's `toString` does it
//! (`1.000` stays `1.000`, `1e2` becomes `1E+2`); computed numbers are
//! doubles printed by `jvp_dtoa_fmt`, the shortest digits that read back to
//! the same double, switching to exponent form outside `1e-5 < |x| < 1e17`
//! (`1e+17`, `1e-05`).

/// Formats a double the way jq's `jvp_dtoa_fmt` does; NaN prints as `null`
/// and infinities as the largest finite double, as jq does.
pub fn format_f64(x: f64) -> String {
    if x.is_nan() {
        return "null".to_owned();
    }
    let x = x.clamp(-f64::MAX, f64::MAX);
    // Rust's `{:e}` yields the shortest round-trip digits, as dtoa mode 0.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push('0');
        return out;
    }
    // `decpt` is where the decimal point falls relative to the digits.
    let decpt = exp + 1;
    let n = digits.len() as i32;
    if decpt <= -4 || decpt > n + 15 {
        out.push_str(&digits[..1]);
        if n > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = decpt - 1;
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", e.abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-decpt) as usize));
        out.push_str(&digits);
    } else if decpt >= n {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (decpt - n) as usize));
    } else {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    }
    out
}

/// Canonicalises a JSON number literal the way decNumber's to-scientific-string
/// conversion does, which is what jq 1.7 prints for unmodified literals.
///
/// Returns `None` if `lit` is not a decimal literal (then the caller falls
/// back to the double value).
pub fn format_literal(lit: &str) -> Option<String> {
    let (negative, rest) = match lit.as_bytes().first()? {
        b'-' => (true, &lit[1..]),
        b'+' => (false, &lit[1..]),
        _ => (false, lit),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let all: String = int.chars().chain(frac.chars()).collect();
    let coef = all.trim_start_matches('0');
    let coef = if coef.is_empty() { "0" } else { coef };
    let exponent = exp - frac.len() as i64;
    let n = coef.len() as i64;
    let adjusted = exponent + n - 1;
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if exponent <= 0 && adjusted >= -6 {
        let point = n + exponent;
        if exponent == 0 {
            out.push_str(coef);
        } else if point > 0 {
            out.push_str(&coef[..point as usize]);
            out.push('.');
            out.push_str(&coef[point as usize..]);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-point) as usize));
            out.push_str(coef);
        }
    } else {
        out.push_str(&coef[..1]);
        if n > 1 {
            out.push('.');
            out.push_str(&coef[1..]);
        }
        out.push('E');
        out.push(if adjusted < 0 { '-' } else { '+' });
        out.push_str(&adjusted.abs().to_string());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_follow_jvp_dtoa_fmt() {
        let cases = [
            (3.0, "3"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e17, "1e+17"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000"),
            (12e15, "12000000000000000"),
            (4611686018427387904.0, "4611686018427388000"),
            (0.00001, "1e-05"),
            (0.0001, "0.0001"),
            (1.5e300, "1.5e+300"),
            (-0.0, "-0"),
            (1e-7, "1e-07"),
            (123456789012.0, "123456789012"),
            (f64::INFINITY, "1.7976931348623157e+308"),
            (f64::NEG_INFINITY, "-1.7976931348623157e+308"),
            (f64::NAN, "null"),
            (2.5, "2.5"),
            (-12.75, "-12.75"),
        ];
        for (x, want) in cases {
            assert_eq!(format_f64(x), want, "formatting {x:?}");
        }
    }

    #[test]
    fn literals_follow_decnumber() {
        let cases = [
            ("1.000", "1.000"),
            ("1e2", "1E+2"),
            ("1.5e3", "1.5E+3"),
            ("12e-1", "1.2"),
            ("0.0000001", "1E-7"),
            ("0.000001", "0.000001"),
            ("-0.0", "-0.0"),
            ("0.00", "0.00"),
            ("1E1000", "1E+1000"),
            ("00012.5", "12.5"),
            ("1.23e-2", "0.0123"),
        ];
        for (lit, want) in cases {
            assert_eq!(format_literal(lit).as_deref(), Some(want), "literal {lit}");
        }
        assert_eq!(format_literal("abc"), None);
    }
}
