//! `printf`/`sprintf` formatting, C-compatible: conversions `c d i o x X u e E f F g G s %`,
//! flags `- + space # 0`, width and precision (both may be `*`).
//!
//! Float digits come from Rust's formatter, which rounds the exact binary value like glibc
//! does, so `%.2f` of 2.675 prints 2.67 in both.

/// A printf argument: what the formatter needs to know about a value.
pub trait FmtArg {
    /// Numeric value.
    fn num(&self) -> f64;
    /// Appends the string value (numbers through CONVFMT).
    fn push_str(&self, out: &mut Vec<u8>);
    /// Whether `%c` should treat the value as a character code.
    fn is_numeric(&self) -> bool;
}

impl FmtArg for f64 {
    fn num(&self) -> f64 {
        *self
    }
    fn push_str(&self, out: &mut Vec<u8>) {
        crate::number::push_number(out, *self, b"%.6g");
    }
    fn is_numeric(&self) -> bool {
        true
    }
}

/// Why a format could not be applied.
#[derive(Debug, PartialEq, Eq)]
pub enum FormatError {
    /// More conversions than arguments.
    NotEnoughArgs,
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// Formats `args` according to `fmt`, appending to `out`.
pub fn sprintf<A: FmtArg>(out: &mut Vec<u8>, fmt: &[u8], args: &[A]) -> Result<(), FormatError> {
    let mut next = 0usize;
    let mut i = 0usize;
    let take = |next: &mut usize| -> Result<&A, FormatError> {
        let a = args.get(*next).ok_or(FormatError::NotEnoughArgs)?;
        *next += 1;
        Ok(a)
    };
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            // Copy the literal run in one go.
            let end = memchr::memchr(b'%', &fmt[i..]).map_or(fmt.len(), |p| i + p);
            out.extend_from_slice(&fmt[i..end]);
            i = end;
            continue;
        }
        let start = i;
        i += 1;
        if i >= fmt.len() {
            out.push(b'%');
            break;
        }
        if fmt[i] == b'%' {
            out.push(b'%');
            i += 1;
            continue;
        }
        let mut spec = Spec::default();
        while i < fmt.len() {
            match fmt[i] {
                b'-' => spec.minus = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        if i < fmt.len() && fmt[i] == b'*' {
            i += 1;
            let w = take(&mut next)?.num();
            if w < 0.0 {
                spec.minus = true;
            }
            spec.width = clamp_count(w.abs());
        } else {
            let (w, ni) = digits(fmt, i);
            spec.width = w;
            i = ni;
        }
        if i < fmt.len() && fmt[i] == b'.' {
            i += 1;
            if i < fmt.len() && fmt[i] == b'*' {
                i += 1;
                let p = take(&mut next)?.num();
                spec.prec = if p < 0.0 { None } else { Some(clamp_count(p)) };
            } else {
                let (p, ni) = digits(fmt, i);
                spec.prec = Some(p);
                i = ni;
            }
        }
        while i < fmt.len() && matches!(fmt[i], b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't') {
            i += 1;
        }
        if i >= fmt.len() {
            // Incomplete specification: print it as it stands, like gawk.
            out.extend_from_slice(&fmt[start..]);
            break;
        }
        let conv = fmt[i];
        i += 1;
        match conv {
            // `%5%` and friends print a plain percent sign, as in gawk.
            b'%' => out.push(b'%'),
            b'd' | b'i' if spec.width == 0 && spec.prec.is_none() && !spec.plus && !spec.space => {
                let n = take(&mut next)?.num();
                if n.is_finite() && n.abs() < 9.0e18 {
                    let mut b = [0u8; 24];
                    out.extend_from_slice(crate::number::itoa(&mut b, n as i64));
                } else {
                    fmt_signed(out, n, &spec);
                }
            }
            b'd' | b'i' => {
                let a = take(&mut next)?;
                fmt_signed(out, a.num(), &spec);
            }
            b'o' | b'x' | b'X' | b'u' => {
                let a = take(&mut next)?;
                fmt_unsigned(out, a.num(), conv, &spec);
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                let a = take(&mut next)?;
                fmt_float(out, a.num(), conv, &spec);
            }
            b'c' => {
                let a = take(&mut next)?;
                let mut body = Vec::new();
                if a.is_numeric() {
                    push_char_code(&mut body, a.num());
                } else {
                    let mut s = Vec::new();
                    a.push_str(&mut s);
                    let n = crate::text::char_prefix_len(&s, 1);
                    if n == 0 {
                        // gawk prints a NUL for the first character of "".
                        body.push(0);
                    }
                    body.extend_from_slice(&s[..n]);
                }
                pad_chars(out, &body, &spec);
            }
            b's' if spec.width == 0 && spec.prec.is_none() => {
                take(&mut next)?.push_str(out);
            }
            b's' => {
                let a = take(&mut next)?;
                let mut s = Vec::new();
                a.push_str(&mut s);
                if let Some(p) = spec.prec {
                    let n = crate::text::char_prefix_len(&s, p);
                    s.truncate(n);
                }
                pad_chars(out, &s, &spec);
            }
            _ => {
                // Unknown conversion: copied literally (gawk does the same, with a warning).
                out.extend_from_slice(&fmt[start..i]);
            }
        }
    }
    Ok(())
}

fn clamp_count(v: f64) -> usize {
    if v.is_nan() {
        0
    } else {
        v.min(1e6) as usize
    }
}

fn digits(fmt: &[u8], mut i: usize) -> (usize, usize) {
    let mut v = 0usize;
    while i < fmt.len() && fmt[i].is_ascii_digit() {
        v = (v * 10 + (fmt[i] - b'0') as usize).min(1_000_000);
        i += 1;
    }
    (v, i)
}

/// `%c` of a number: the character with that code (UTF-8 above 127).
fn push_char_code(out: &mut Vec<u8>, n: f64) {
    let code = if n.is_finite() && n >= 0.0 {
        n as u32
    } else {
        0
    };
    if code < 128 {
        out.push(code as u8);
    } else if let Some(ch) = char::from_u32(code) {
        let mut b = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
    } else {
        out.push(code as u8);
    }
}

/// Pads a string body to the width, counting characters rather than bytes (the `0` flag
/// does not apply to strings in gawk).
fn pad_chars(out: &mut Vec<u8>, body: &[u8], spec: &Spec) {
    let len = crate::text::char_count(body);
    let pad = spec.width.saturating_sub(len);
    if spec.minus {
        out.extend_from_slice(body);
        out.resize(out.len() + pad, b' ');
    } else {
        out.resize(out.len() + pad, b' ');
        out.extend_from_slice(body);
    }
}

/// Assembles sign + prefix + digits with width, `-` and `0` handling.
fn pad_number(out: &mut Vec<u8>, sign: &[u8], digits: &[u8], spec: &Spec, zero_ok: bool) {
    let len = sign.len() + digits.len();
    let pad = spec.width.saturating_sub(len);
    if spec.minus {
        out.extend_from_slice(sign);
        out.extend_from_slice(digits);
        out.resize(out.len() + pad, b' ');
    } else if spec.zero && zero_ok {
        out.extend_from_slice(sign);
        out.resize(out.len() + pad, b'0');
        out.extend_from_slice(digits);
    } else {
        out.resize(out.len() + pad, b' ');
        out.extend_from_slice(sign);
        out.extend_from_slice(digits);
    }
}

fn sign_for(neg: bool, spec: &Spec) -> &'static [u8] {
    if neg {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    }
}

fn fmt_nonfinite(out: &mut Vec<u8>, n: f64, upper: bool, spec: &Spec) {
    let body: &[u8] = match (n.is_nan(), upper) {
        (true, false) => b"nan",
        (true, true) => b"NAN",
        (false, false) => b"inf",
        (false, true) => b"INF",
    };
    let neg = n.is_sign_negative();
    let sign = sign_for(neg, spec);
    pad_number(out, sign, body, spec, false);
}

fn fmt_signed(out: &mut Vec<u8>, n: f64, spec: &Spec) {
    if !n.is_finite() {
        return fmt_nonfinite(out, n, false, spec);
    }
    let t = n.trunc();
    let neg = t < 0.0;
    let mut digits = if t.abs() < 9.0e18 {
        (t.abs() as u64).to_string().into_bytes()
    } else {
        crate::number::big_integer(t.abs()).into_bytes()
    };
    apply_int_precision(&mut digits, spec);
    let zero_ok = spec.prec.is_none();
    pad_number(out, sign_for(neg, spec), &digits, spec, zero_ok);
}

fn apply_int_precision(digits: &mut Vec<u8>, spec: &Spec) {
    if let Some(p) = spec.prec {
        if p == 0 && digits == b"0" {
            digits.clear();
        } else if digits.len() < p {
            let mut v = vec![b'0'; p - digits.len()];
            v.extend_from_slice(digits);
            *digits = v;
        }
    }
}

fn fmt_unsigned(out: &mut Vec<u8>, n: f64, conv: u8, spec: &Spec) {
    if !n.is_finite() {
        return fmt_nonfinite(out, n, conv == b'X', spec);
    }
    let t = n.trunc();
    if t.abs() >= 1.8446744073709552e19 {
        // Beyond 64 bits gawk falls back to `%g`; do the same.
        let s = Spec {
            prec: None,
            ..*spec
        };
        return fmt_float(out, t, b'g', &s);
    }
    let u: u64 = if t < 0.0 { (t as i64) as u64 } else { t as u64 };
    let mut digits = match conv {
        b'o' => format!("{u:o}"),
        b'x' => format!("{u:x}"),
        b'X' => format!("{u:X}"),
        _ => u.to_string(),
    }
    .into_bytes();
    apply_int_precision(&mut digits, spec);
    let mut prefix: &[u8] = b"";
    if spec.alt {
        match conv {
            b'o' if !digits.starts_with(b"0") => {
                digits.insert(0, b'0');
            }
            b'x' if u != 0 => prefix = b"0x",
            b'X' if u != 0 => prefix = b"0X",
            _ => {}
        }
    }
    let zero_ok = spec.prec.is_none();
    let s = Spec {
        plus: false,
        space: false,
        ..*spec
    };
    pad_number(out, prefix, &digits, &s, zero_ok);
}

fn fmt_float(out: &mut Vec<u8>, n: f64, conv: u8, spec: &Spec) {
    let upper = conv.is_ascii_uppercase();
    if !n.is_finite() {
        return fmt_nonfinite(out, n, upper, spec);
    }
    let prec = spec.prec.unwrap_or(6);
    let mut body = Vec::new();
    float_digits(
        &mut body,
        n.abs(),
        conv.to_ascii_lowercase(),
        prec,
        spec.alt,
    );
    if upper {
        body.make_ascii_uppercase();
    }
    let neg = n.is_sign_negative();
    pad_number(out, sign_for(neg, spec), &body, spec, true);
}

/// Appends the text of a float formatted `%.{prec}{conv}` (conv one of e f g), with a sign.
pub fn format_one_float(out: &mut Vec<u8>, n: f64, conv: u8, prec: usize, alt: bool, upper: bool) {
    if n.is_sign_negative() {
        out.push(b'-');
    }
    let start = out.len();
    float_digits(out, n.abs(), conv, prec, alt);
    if upper {
        out[start..].make_ascii_uppercase();
    }
}

/// Digits of a non-negative finite `x` for `%e`, `%f` or `%g` (lowercase).
fn float_digits(out: &mut Vec<u8>, x: f64, conv: u8, prec: usize, alt: bool) {
    use std::io::Write;
    match conv {
        b'f' => {
            let _ = write!(out, "{x:.prec$}");
            if alt && prec == 0 {
                out.push(b'.');
            }
        }
        b'e' => push_exp(out, x, prec, alt),
        _ => {
            let p = if prec == 0 { 1 } else { prec };
            let exp = decimal_exponent(x, p);
            let start = out.len();
            if exp < -4 || exp >= p as i32 {
                push_exp(out, x, p - 1, alt);
                if !alt {
                    let epos = out[start..]
                        .iter()
                        .position(|&c| c == b'e')
                        .map(|e| start + e)
                        .unwrap_or(out.len());
                    let tail = out[epos..].to_vec();
                    out.truncate(epos);
                    strip_fraction_zeros(out, start);
                    out.extend_from_slice(&tail);
                }
            } else {
                let fp = (p as i32 - 1 - exp).max(0) as usize;
                let _ = write!(out, "{x:.fp$}");
                if alt {
                    if fp == 0 {
                        out.push(b'.');
                    }
                } else {
                    strip_fraction_zeros(out, start);
                }
            }
        }
    }
}

/// The decimal exponent `x` has once rounded to `p` significant digits.
fn decimal_exponent(x: f64, p: usize) -> i32 {
    if x == 0.0 {
        return 0;
    }
    let s = format!("{:.*e}", p - 1, x);
    s.rsplit('e')
        .next()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0)
}

fn strip_fraction_zeros(out: &mut Vec<u8>, start: usize) {
    if out[start..].contains(&b'.') {
        while out.len() > start && *out.last().unwrap_or(&b'x') == b'0' {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
        }
    }
}

/// `%e` digits: Rust prints `1.5e3`, C prints `1.5e+03`.
fn push_exp(out: &mut Vec<u8>, x: f64, prec: usize, alt: bool) {
    let s = format!("{x:.prec$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    out.extend_from_slice(mant.as_bytes());
    if alt && prec == 0 {
        out.push(b'.');
    }
    out.push(b'e');
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => (b'-', d),
        None => (b'+', exp),
    };
    out.push(sign);
    if digits.len() < 2 {
        out.push(b'0');
    }
    out.extend_from_slice(digits.as_bytes());
}

/// Formats one number through a user format such as CONVFMT (`%.2f`).
pub fn sprintf_number(out: &mut Vec<u8>, fmt: &[u8], n: f64) {
    if sprintf(out, fmt, &[n]).is_err() {
        // A CONVFMT without a conversion: fall back to the default format.
        format_one_float(out, n, b'g', 6, false, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[f64]) -> String {
        let mut v = Vec::new();
        sprintf(&mut v, fmt.as_bytes(), args).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn integers() {
        assert_eq!(
            f("%d|%5d|%-5d|%05d", &[42.9, -3.0, 7.0, -12.0]),
            "42|   -3|7    |-0012"
        );
        assert_eq!(f("%+d % d %.3d", &[5.0, 5.0, 5.0]), "+5  5 005");
        assert_eq!(
            f(
                "%x %X %o %#x %#o %u",
                &[255.0, 255.0, 8.0, 255.0, 8.0, -1.0]
            ),
            "ff FF 10 0xff 010 18446744073709551615"
        );
    }

    #[test]
    fn floats() {
        assert_eq!(
            f("%f %.2f %e %E", &[3.14158, 2.675, 12345.678, 0.000123]),
            "3.141580 2.67 1.234568e+04 1.230000E-04"
        );
        assert_eq!(
            f(
                "%g %g %g %g %#g",
                &[100000.0, 1000000.0, 0.0001, 0.00001, 1.5]
            ),
            "100000 1e+06 0.0001 1e-05 1.50000"
        );
        assert_eq!(
            f("%.3g %10.3f|%-10.1e|", &[3.14158, 2.5, 31415.9]),
            "3.14      2.500|3.1e+04   |"
        );
        assert_eq!(f("%G", &[1e-10]), "1E-10");
    }

    #[test]
    fn star_and_strings() {
        assert_eq!(
            f("%*d|%-*d|%.*f", &[4.0, 1.0, 3.0, 2.0, 1.0, 2.25]),
            "   1|2  |2.2"
        );
        assert_eq!(f("%5s|%-5s|%.2s", &[1.0, 2.0, 12345.0]), "    1|2    |12");
        assert_eq!(f("%c%c", &[65.0, 233.0]), "Aé");
        assert_eq!(f("100%%", &[]), "100%");
    }

    #[test]
    fn missing_arguments_are_reported() {
        let mut v = Vec::new();
        assert_eq!(
            sprintf::<f64>(&mut v, b"%d %d", &[1.0]),
            Err(FormatError::NotEnoughArgs)
        );
    }
}
