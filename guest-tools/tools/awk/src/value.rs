//! awk values: numbers, strings, numeric strings from input, and "uninitialized".

use crate::format::FmtArg;
use crate::number::{looks_numeric, parse_prefix, push_number};
use std::cmp::Ordering;
use std::rc::Rc;

/// A cheaply cloned byte string. Shared copies are immutable; an unshared one can grow in
/// place, which turns the common `s = s x` loop from quadratic copying into appends.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Str(Rc<Vec<u8>>);

impl Str {
    /// The bytes, for appending, if no other value shares them.
    pub fn get_mut(&mut self) -> Option<&mut Vec<u8>> {
        Rc::get_mut(&mut self.0)
    }
}

impl std::ops::Deref for Str {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl std::borrow::Borrow<[u8]> for Str {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

impl std::hash::Hash for Str {
    // Must hash like `[u8]`, so maps keyed by `Str` can be searched with byte slices.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.as_slice().hash(state)
    }
}

impl From<&[u8]> for Str {
    fn from(b: &[u8]) -> Str {
        Str(Rc::new(b.to_vec()))
    }
}

impl From<Vec<u8>> for Str {
    fn from(v: Vec<u8>) -> Str {
        Str(Rc::new(v))
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

/// A scalar value.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Never assigned: acts as both "" and 0.
    #[default]
    Uninit,
    /// A number.
    Num(f64),
    /// A string (constants, results of string operations).
    Str(Str),
    /// A string that came from input (fields, getline, split, ARGV, ENVIRON, -v): it
    /// compares as a number if it looks like one (POSIX "numeric string").
    StrNum(Str),
}

impl Value {
    /// A string value from bytes.
    pub fn from_bytes(b: &[u8]) -> Value {
        Value::Str(Str::from(b))
    }

    /// A numeric-string value (from input) from bytes.
    pub fn strnum(b: &[u8]) -> Value {
        Value::StrNum(Str::from(b))
    }

    /// The numeric value.
    #[inline]
    pub fn to_num(&self) -> f64 {
        match self {
            Value::Uninit => 0.0,
            Value::Num(n) => *n,
            Value::Str(s) | Value::StrNum(s) => parse_prefix(s),
        }
    }

    /// Appends the string value; numbers are formatted with `convfmt`.
    #[inline]
    pub fn push_str(&self, out: &mut Vec<u8>, convfmt: &[u8]) {
        match self {
            Value::Uninit => {}
            Value::Num(n) => push_number(out, *n, convfmt),
            Value::Str(s) | Value::StrNum(s) => out.extend_from_slice(s),
        }
    }

    /// The string value as a shared string (allocates only for numbers).
    pub fn to_str(&self, convfmt: &[u8]) -> Str {
        match self {
            Value::Uninit => Str::default(),
            Value::Str(s) | Value::StrNum(s) => s.clone(),
            Value::Num(n) => {
                let mut v = Vec::new();
                push_number(&mut v, *n, convfmt);
                Str::from(v)
            }
        }
    }

    /// Truth value: numbers are true when non-zero, strings when non-empty, numeric
    /// strings by their number.
    pub fn to_bool(&self) -> bool {
        match self {
            Value::Uninit => false,
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => match looks_numeric(s) {
                Some(n) => n != 0.0,
                None => !s.is_empty(),
            },
        }
    }

    /// The number this value compares as, if it compares numerically.
    #[inline]
    fn cmp_num(&self) -> Option<f64> {
        match self {
            Value::Uninit => Some(0.0),
            Value::Num(n) => Some(*n),
            Value::Str(_) => None,
            Value::StrNum(s) => looks_numeric(s),
        }
    }
}

/// Compares two values by awk's rules: numerically when both are numbers, numeric strings
/// or uninitialized, otherwise as strings (numbers converted with `convfmt`).
/// `None` when a NaN makes the numbers unordered.
pub fn compare(a: &Value, b: &Value, convfmt: &[u8]) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.cmp_num(), b.cmp_num()) {
        return x.partial_cmp(&y);
    }
    Some(match (a, b) {
        (Value::Str(x) | Value::StrNum(x), Value::Str(y) | Value::StrNum(y)) => x[..].cmp(&y[..]),
        _ => {
            let mut x = Vec::new();
            let mut y = Vec::new();
            a.push_str(&mut x, convfmt);
            b.push_str(&mut y, convfmt);
            x.cmp(&y)
        }
    })
}

/// A value viewed as a printf argument, with the CONVFMT to turn numbers into strings.
pub struct FmtValue<'a> {
    /// The value.
    pub value: &'a Value,
    /// CONVFMT.
    pub convfmt: &'a [u8],
}

impl FmtArg for FmtValue<'_> {
    fn num(&self) -> f64 {
        self.value.to_num()
    }
    fn push_str(&self, out: &mut Vec<u8>) {
        self.value.push_str(out, self.convfmt);
    }
    fn is_numeric(&self) -> bool {
        match self.value {
            Value::Num(_) => true,
            Value::StrNum(s) => looks_numeric(s).is_some(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_rules() {
        let c = |a: &Value, b: &Value| compare(a, b, b"%.6g");
        assert_eq!(
            c(&Value::strnum(b"10"), &Value::strnum(b"9")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            c(&Value::from_bytes(b"10"), &Value::from_bytes(b"9")),
            Some(Ordering::Less)
        );
        assert_eq!(
            c(&Value::strnum(b"10"), &Value::Num(10.0)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            c(&Value::strnum(b"abc"), &Value::Num(0.0)),
            Some(Ordering::Greater)
        );
        assert_eq!(c(&Value::Uninit, &Value::Num(0.0)), Some(Ordering::Equal));
        assert_eq!(
            c(&Value::Uninit, &Value::from_bytes(b"")),
            Some(Ordering::Equal)
        );
        assert_eq!(
            c(&Value::Num(2.0), &Value::from_bytes(b"10")),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn truth() {
        assert!(!Value::strnum(b" 0.0 ").to_bool());
        assert!(Value::from_bytes(b"0").to_bool());
        assert!(Value::strnum(b"x").to_bool());
        assert!(!Value::Uninit.to_bool());
    }
}
