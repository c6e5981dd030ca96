//! Floating-point arguments of `printf`, the way bash handles them: bash
//! converts with `strtold` and prints with glibc's `printf("%Lf")`, so
//! numbers are x87 80-bit extended values (a 64-bit significand), not
//! doubles. `printf '%.1f' 0.15` prints `0.2` because `0.15L` is a little
//! above 0.15 while the nearest double is a little below.
//!
//! [`parse`] converts text to that precision with correct rounding, and
//! [`format`] prints the exact binary value rounded half-to-even, as glibc
//! does, with big-integer arithmetic ([`Big`]).

use super::format::Spec;

/// Largest binary exponent of a normal extended value (`1.x * 2^e`).
const MAX_EXP: i32 = 16383;
/// Smallest binary exponent of a normal extended value.
const MIN_EXP: i32 = -16382;
/// Decimal digits kept from the input; the rest only decide rounding.
const MAX_DIGITS: usize = 2000;

/// An extended-precision value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Float {
    /// `mantissa * 2^exp` (a zero mantissa is ±0).
    Finite {
        negative: bool,
        mantissa: u64,
        exp: i32,
    },
    /// ±infinity.
    Inf(bool),
    /// Not a number (with its sign, which glibc prints).
    NaN(bool),
}

impl Float {
    /// The value of an integer (`printf '%f' "'a"` prints a character
    /// code).
    pub(crate) fn from_int(value: i64) -> Float {
        round_to_float(value < 0, Big::from_u64(value.unsigned_abs()), 0, false).0
    }
}

/// `strtold`: the value of the longest numeric prefix of `text`, how many
/// bytes it used (0 if none), and whether the value was out of range.
pub(crate) fn parse(text: &str) -> (Float, usize, bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let negative = bytes.get(i) == Some(&b'-');
    if matches!(bytes.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let rest = &text[i..];
    let lower = rest.to_ascii_lowercase();
    if lower.starts_with("inf") {
        let len = if lower.starts_with("infinity") { 8 } else { 3 };
        return (Float::Inf(negative), i + len, false);
    }
    if lower.starts_with("nan") {
        let mut len = 3;
        if let Some(close) = rest[3..].strip_prefix('(').and_then(|r| r.find(')')) {
            let inner = &rest[4..4 + close];
            if inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                len = 4 + close + 1;
            }
        }
        return (Float::NaN(negative), i + len, false);
    }
    let parsed = if lower.starts_with("0x")
        && rest[2..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_hexdigit() || b == b'.')
    {
        parse_hex(&rest[2..]).map(|(f, used, range)| (f, used + 2, range))
    } else {
        parse_decimal(rest)
    };
    match parsed {
        Some((value, used, range)) => (with_sign(value, negative), i + used, range),
        None => (
            Float::Finite {
                negative: false,
                mantissa: 0,
                exp: 0,
            },
            0,
            false,
        ),
    }
}

fn with_sign(value: Float, negative: bool) -> Float {
    match value {
        Float::Finite { mantissa, exp, .. } => Float::Finite {
            negative,
            mantissa,
            exp,
        },
        Float::Inf(_) => Float::Inf(negative),
        Float::NaN(_) => Float::NaN(negative),
    }
}

/// Digits, an optional fraction and an optional exponent; `None` if no
/// digit.
fn parse_decimal(text: &str) -> Option<(Float, usize, bool)> {
    let bytes = text.as_bytes();
    let mut digits = Vec::new();
    let mut sticky = false;
    let mut scale: i64 = 0;
    let mut i = 0;
    let mut seen = false;
    let push = |d: u8, digits: &mut Vec<u8>, sticky: &mut bool| {
        if digits.is_empty() && d == 0 {
            return false;
        }
        if digits.len() < MAX_DIGITS {
            digits.push(d);
            false
        } else {
            *sticky |= d != 0;
            true
        }
    };
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        seen = true;
        if push(bytes[i] - b'0', &mut digits, &mut sticky) {
            scale += 1;
        }
        i += 1;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            seen = true;
            let dropped = push(bytes[i] - b'0', &mut digits, &mut sticky);
            if !dropped {
                scale -= 1;
            }
            i += 1;
        }
    }
    if !seen {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        let exp_negative = bytes.get(j) == Some(&b'-');
        if matches!(bytes.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            let mut exp: i64 = 0;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                exp = (exp * 10 + i64::from(bytes[j] - b'0')).min(1_000_000);
                j += 1;
            }
            scale += if exp_negative { -exp } else { exp };
            i = j;
        }
    }
    if digits.is_empty() {
        return Some((zero(false), i, false));
    }
    if sticky {
        digits.push(1);
        scale -= 1;
    }
    let magnitude = scale + digits.len() as i64;
    if magnitude > 5000 {
        return Some((Float::Inf(false), i, true));
    }
    if magnitude < -5000 {
        return Some((zero(false), i, true));
    }
    let mut number = Big::zero();
    for d in &digits {
        number.mul_small(10);
        number.add_small(u32::from(*d));
    }
    let (value, range) = if scale >= 0 {
        number.mul_pow(10, scale as u32);
        round_to_float(false, number, 0, false)
    } else {
        let mut denominator = Big::from_u64(1);
        denominator.mul_pow(10, (-scale) as u32);
        let shift = (70 + denominator.bit_len() as i64 - number.bit_len() as i64).max(0) as u32;
        number.shl(shift);
        let (quotient, remainder) = number.div_rem(&denominator);
        round_to_float(false, quotient, -(shift as i32), !remainder.is_zero())
    };
    Some((value, i, range))
}

/// Hex digits, an optional fraction and an optional binary exponent.
fn parse_hex(text: &str) -> Option<(Float, usize, bool)> {
    let bytes = text.as_bytes();
    let mut number = Big::zero();
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut i = 0;
    let mut seen = false;
    let mut significant = 0;
    let mut fraction = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'.' && !fraction {
            fraction = true;
            i += 1;
            continue;
        }
        let Some(d) = (b as char).to_digit(16) else {
            break;
        };
        seen = true;
        if significant < 40 {
            number.mul_small(16);
            number.add_small(d);
            if !number.is_zero() {
                significant += 1;
            }
            if fraction {
                exp -= 4;
            }
        } else {
            sticky |= d != 0;
            if !fraction {
                exp += 4;
            }
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if matches!(bytes.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let negative = bytes.get(j) == Some(&b'-');
        if matches!(bytes.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            let mut e: i64 = 0;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                e = (e * 10 + i64::from(bytes[j] - b'0')).min(1_000_000);
                j += 1;
            }
            exp += if negative { -e } else { e };
            i = j;
        }
    }
    let exp = exp.clamp(-100_000, 100_000) as i32;
    let (value, range) = round_to_float(false, number, exp, sticky);
    Some((value, i, range))
}

fn zero(negative: bool) -> Float {
    Float::Finite {
        negative,
        mantissa: 0,
        exp: 0,
    }
}

/// `number * 2^exp` (plus a little more when `sticky`) rounded to a 64-bit
/// significand, half to even; true if out of range.
fn round_to_float(negative: bool, number: Big, exp: i32, sticky: bool) -> (Float, bool) {
    let bits = number.bit_len() as i32;
    if bits == 0 {
        return (zero(negative), false);
    }
    // Normal values keep 64 bits; subnormal ones fewer.
    let top = exp + bits - 1;
    let keep = if top < MIN_EXP {
        64 - (MIN_EXP - top)
    } else {
        64
    };
    if keep <= 0 {
        return (zero(negative), true);
    }
    let drop = bits - keep;
    let (mantissa, exp) = if drop > 0 {
        let half = number.bit(drop as u32 - 1);
        let below = number.any_below(drop as u32 - 1) || sticky;
        let kept = number.shr_u64(drop as u32);
        if half && (below || kept & 1 == 1) {
            match kept.checked_add(1) {
                Some(kept) => (kept, exp + drop),
                // The rounding carried out of 64 bits.
                None => (1 << 63, exp + drop + 1),
            }
        } else {
            (kept, exp + drop)
        }
    } else {
        (number.shr_u64(0) << (-drop), exp + drop)
    };
    let top = exp + 63 - mantissa.leading_zeros() as i32;
    if top > MAX_EXP {
        return (Float::Inf(negative), true);
    }
    (
        Float::Finite {
            negative,
            mantissa,
            exp,
        },
        top < MIN_EXP,
    )
}

/// The exact decimal expansion of a finite value: `0.d1d2d3… * 10^point`
/// (no digits for zero).
fn decimal_digits(mantissa: u64, exp: i32) -> (Vec<u8>, i32) {
    if mantissa == 0 {
        return (Vec::new(), 0);
    }
    let mut number = Big::from_u64(mantissa);
    let point_shift = if exp >= 0 {
        number.shl(exp as u32);
        0
    } else {
        number.mul_pow(5, (-exp) as u32);
        exp
    };
    let digits = number.to_decimal();
    let point = digits.len() as i32 + point_shift;
    (digits, point)
}

/// Rounds `digits` to its first `keep` digits, half to even; returns the
/// kept digits and the (possibly moved) decimal point.
fn round_digits(digits: &[u8], point: i32, keep: i32) -> (Vec<u8>, i32) {
    if keep < 0 {
        return (Vec::new(), point);
    }
    let keep = keep as usize;
    if keep >= digits.len() {
        return (digits.to_vec(), point);
    }
    let mut kept = digits[..keep].to_vec();
    let first_dropped = digits[keep];
    let rest_nonzero = digits[keep + 1..].iter().any(|&d| d != 0);
    let last_odd = kept.last().is_some_and(|d| d % 2 == 1);
    let up = first_dropped > 5 || (first_dropped == 5 && (rest_nonzero || last_odd));
    if !up {
        return (kept, point);
    }
    for d in kept.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return (kept, point);
        }
    }
    kept.insert(0, 1);
    (kept, point + 1)
}

/// `%f`: `precision` digits after the point.
fn fixed(digits: &[u8], point: i32, precision: usize, alt: bool) -> String {
    let (digits, point) = round_digits(digits, point, point + precision as i32);
    let digit = |i: i32| -> char {
        if i >= 0 && (i as usize) < digits.len() {
            char::from(b'0' + digits[i as usize])
        } else {
            '0'
        }
    };
    let mut out = String::new();
    if point <= 0 {
        out.push('0');
    } else {
        out.extend((0..point).map(digit));
    }
    if precision > 0 || alt {
        out.push('.');
    }
    out.extend((point..point + precision as i32).map(digit));
    out
}

/// `%e`: one digit, the point, `precision` digits, the exponent.
fn scientific(digits: &[u8], point: i32, precision: usize, alt: bool, upper: bool) -> String {
    let (digits, point) = round_digits(digits, point, precision as i32 + 1);
    let exp = if digits.is_empty() { 0 } else { point - 1 };
    let digit = |i: usize| char::from(b'0' + digits.get(i).copied().unwrap_or(0));
    let mut out = String::new();
    out.push(digit(0));
    if precision > 0 || alt {
        out.push('.');
    }
    out.extend((1..=precision).map(digit));
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.abs()));
    out
}

/// `%g`: `%e` or `%f` by the exponent, trailing zeros removed unless `#`.
fn general(digits: &[u8], point: i32, precision: usize, alt: bool, upper: bool) -> String {
    let p = precision.max(1) as i32;
    let (rounded, rounded_point) = round_digits(digits, point, p);
    let x = if rounded.is_empty() {
        0
    } else {
        rounded_point - 1
    };
    let mut text = if p > x && x >= -4 {
        fixed(digits, point, (p - 1 - x) as usize, alt)
    } else {
        scientific(digits, point, (p - 1) as usize, alt, upper)
    };
    if !alt {
        let (body, exponent) = match text.find(['e', 'E']) {
            Some(at) => text.split_at(at),
            None => (text.as_str(), ""),
        };
        if body.contains('.') {
            let body = body.trim_end_matches('0').trim_end_matches('.');
            text = format!("{body}{exponent}");
        }
    }
    text
}

/// `%a`: hexadecimal, glibc's long double style (`0x8p-3` for 1).
fn hexadecimal(
    mantissa: u64,
    exp: i32,
    precision: Option<usize>,
    alt: bool,
    upper: bool,
) -> String {
    let (mut lead, mut fraction, mut exp) = if mantissa == 0 {
        (0u64, 0u64, 0)
    } else {
        let shift = mantissa.leading_zeros();
        let m = mantissa << shift;
        (m >> 60, m & ((1 << 60) - 1), exp - shift as i32 + 60)
    };
    let mut digits = 15;
    if let Some(p) = precision.filter(|&p| p < 15) {
        let drop = (15 - p) * 4;
        let half = 1u64 << (drop - 1);
        let rest = fraction & ((1u64 << drop) - 1);
        fraction >>= drop;
        if rest > half || (rest == half && fraction & 1 == 1) {
            fraction += 1;
            if fraction >> (p * 4) != 0 {
                fraction = 0;
                lead += 1;
            }
        }
        if lead == 16 {
            lead = 1;
            exp += 4;
        }
        digits = p;
    }
    let mut hex: Vec<char> = (0..digits)
        .map(|i| {
            let nibble = (fraction >> ((digits - 1 - i) * 4)) & 0xf;
            std::char::from_digit(nibble as u32, 16).unwrap_or('0')
        })
        .collect();
    if let Some(p) = precision {
        hex.resize(p, '0');
    } else {
        while hex.last() == Some(&'0') {
            hex.pop();
        }
    }
    let mut out = format!("0x{lead:x}");
    if !hex.is_empty() || alt {
        out.push('.');
    }
    out.extend(hex);
    out.push_str(&format!("p{exp:+}"));
    if upper {
        out.to_uppercase()
    } else {
        out
    }
}

/// Formats `value` with conversion `conv` (`e E f F g G a A`) under `spec`.
pub(crate) fn format(value: Float, conv: u8, spec: &Spec) -> Vec<u8> {
    let upper = conv.is_ascii_uppercase();
    let (negative, body, finite) = match value {
        Float::Inf(negative) => (
            negative,
            if upper { "INF" } else { "inf" }.to_string(),
            false,
        ),
        Float::NaN(negative) => (
            negative,
            if upper { "NAN" } else { "nan" }.to_string(),
            false,
        ),
        Float::Finite {
            negative,
            mantissa,
            exp,
        } => {
            let precision = spec.precision.unwrap_or(6);
            let body = if conv.eq_ignore_ascii_case(&b'a') {
                hexadecimal(mantissa, exp, spec.precision, spec.alt, upper)
            } else {
                let (digits, point) = decimal_digits(mantissa, exp);
                match conv.to_ascii_lowercase() {
                    b'e' => scientific(&digits, point, precision, spec.alt, upper),
                    b'g' => general(&digits, point, precision, spec.alt, upper),
                    _ => fixed(&digits, point, precision, spec.alt),
                }
            };
            (negative, body, true)
        }
    };
    let sign = if negative {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    // Zeros go after the sign (and after `0x`); never for inf or nan.
    let (prefix, digits) = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        Some(rest) if finite => (format!("{sign}{}", &body[..2]), rest.to_string()),
        _ => (sign.to_string(), body),
    };
    spec.pad_number(&prefix, &digits, finite && !spec.minus && spec.zero)
}

/// A non-negative big integer, 32-bit limbs, least significant first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn zero() -> Big {
        Big(Vec::new())
    }

    fn from_u64(value: u64) -> Big {
        let mut big = Big(vec![value as u32, (value >> 32) as u32]);
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn bit_len(&self) -> u32 {
        match self.0.last() {
            None => 0,
            Some(top) => (self.0.len() as u32 - 1) * 32 + (32 - top.leading_zeros()),
        }
    }

    fn bit(&self, n: u32) -> bool {
        self.0
            .get((n / 32) as usize)
            .is_some_and(|limb| limb >> (n % 32) & 1 == 1)
    }

    /// True if any bit below bit `n` is set.
    fn any_below(&self, n: u32) -> bool {
        let full = (n / 32) as usize;
        if self.0.iter().take(full).any(|&l| l != 0) {
            return true;
        }
        let partial = n % 32;
        partial > 0
            && self
                .0
                .get(full)
                .is_some_and(|&l| l & ((1 << partial) - 1) != 0)
    }

    /// The low 64 bits of `self >> n`.
    fn shr_u64(&self, n: u32) -> u64 {
        let mut value = 0u64;
        for i in 0..64 {
            if self.bit(n + i) {
                value |= 1 << i;
            }
        }
        value
    }

    fn mul_small(&mut self, factor: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let product = u64::from(*limb) * u64::from(factor) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// Multiplies by `base^exp` (`base` is 5 or 10), several factors at a
    /// time.
    fn mul_pow(&mut self, base: u32, mut exp: u32) {
        // The largest power of `base` that fits in a limb.
        let (chunk, chunk_exp) = if base == 5 {
            (1_220_703_125, 13)
        } else {
            (1_000_000_000, 9)
        };
        while exp >= chunk_exp {
            self.mul_small(chunk);
            exp -= chunk_exp;
        }
        for _ in 0..exp {
            self.mul_small(base);
        }
    }

    fn add_small(&mut self, value: u32) {
        let mut carry = u64::from(value);
        for limb in &mut self.0 {
            if carry == 0 {
                return;
            }
            let sum = u64::from(*limb) + carry;
            *limb = sum as u32;
            carry = sum >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn shl(&mut self, n: u32) {
        if self.is_zero() {
            return;
        }
        let (limbs, bits) = ((n / 32) as usize, n % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let next = *limb >> (32 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let diff = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            *limb = diff.rem_euclid(1 << 32) as u32;
            borrow = i64::from(diff < 0);
        }
        self.trim();
    }

    /// Quotient and remainder, by binary long division (the quotients
    /// needed here are about 70 bits long).
    fn div_rem(&self, divisor: &Big) -> (Big, Big) {
        let mut quotient = Big::zero();
        let mut remainder = Big::zero();
        for n in (0..self.bit_len()).rev() {
            remainder.shl(1);
            if self.bit(n) {
                if remainder.is_zero() {
                    remainder.0.push(1);
                } else {
                    remainder.0[0] |= 1;
                }
            }
            quotient.shl(1);
            if remainder.cmp(divisor) != std::cmp::Ordering::Less {
                remainder.sub(divisor);
                if quotient.is_zero() {
                    quotient.0.push(1);
                } else {
                    quotient.0[0] |= 1;
                }
            }
        }
        (quotient, remainder)
    }

    /// Decimal digits, most significant first.
    fn to_decimal(&self) -> Vec<u8> {
        let mut limbs = self.0.clone();
        let mut chunks = Vec::new();
        while !limbs.is_empty() {
            let mut rest = 0u64;
            for limb in limbs.iter_mut().rev() {
                let value = (rest << 32) | u64::from(*limb);
                *limb = (value / 1_000_000_000) as u32;
                rest = value % 1_000_000_000;
            }
            chunks.push(rest as u32);
            while limbs.last() == Some(&0) {
                limbs.pop();
            }
        }
        let mut digits = Vec::new();
        for (i, chunk) in chunks.iter().rev().enumerate() {
            let text = if i == 0 {
                chunk.to_string()
            } else {
                format!("{chunk:09}")
            };
            digits.extend(text.bytes().map(|b| b - b'0'));
        }
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str, conv: u8, precision: Option<usize>) -> String {
        let spec = Spec {
            precision,
            ..Spec::default()
        };
        String::from_utf8(format(parse(text).0, conv, &spec)).unwrap()
    }

    #[test]
    fn values_are_80_bit_extended() {
        assert_eq!(show("0.15", b'f', Some(1)), "0.2");
        assert_eq!(show("0.1", b'f', Some(20)), "0.10000000000000000000");
        assert_eq!(
            show("1e-310", b'e', Some(25)),
            "9.9999999999999999995483215e-311"
        );
        assert_eq!(show("0.1", b'a', None), "0xc.ccccccccccccccdp-7");
        assert_eq!(show("1e-320", b'a', None), "0xf.d00b897478238d1p-1067");
    }

    #[test]
    fn rounding_is_half_to_even_on_the_exact_value() {
        assert_eq!(show("0.25", b'f', Some(1)), "0.2");
        assert_eq!(show("0.5", b'f', Some(0)), "0");
        assert_eq!(show("1.5", b'f', Some(0)), "2");
        assert_eq!(show("9.5", b'e', Some(0)), "1e+01");
        assert_eq!(show("2.0005", b'f', Some(3)), "2.001");
    }

    #[test]
    fn general_format_picks_the_shorter_style() {
        assert_eq!(show("100000", b'g', None), "100000");
        assert_eq!(show("1000000", b'g', None), "1e+06");
        assert_eq!(show("0.0001", b'g', None), "0.0001");
        assert_eq!(show("0.00001234", b'g', None), "1.234e-05");
        assert_eq!(show("999999.5", b'g', None), "1e+06");
        assert_eq!(show("0", b'g', None), "0");
    }

    #[test]
    fn hex_floats_and_specials_parse() {
        assert_eq!(show("0x1.8p1", b'f', None), "3.000000");
        assert_eq!(show("1", b'a', None), "0x8p-3");
        assert_eq!(show("-2.5", b'A', None), "-0XAP-2");
        assert_eq!(show("1.999", b'a', Some(2)), "0xf.fep-3");
        assert_eq!(show("1.99", b'a', Some(0)), "0x1p+1");
        assert_eq!(show("infinity", b'f', None), "inf");
        assert_eq!(parse("nan(12)x").1, 7);
        assert_eq!(parse("1e+").1, 1);
        assert_eq!(parse(".").1, 0);
        assert!(parse("1e5000").2);
    }
}
