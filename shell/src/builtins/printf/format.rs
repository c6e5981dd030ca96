//! Conversion specifications of `printf` (`%-08.3d`) and the integer and
//! string conversions, as C's `printf` performs them for bash. Widths and
//! precisions count bytes, as glibc's do for `%s`.

/// The flags, width and precision of one conversion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Spec {
    /// `-`: pad on the right.
    pub(crate) minus: bool,
    /// `+`: a sign even for positive numbers.
    pub(crate) plus: bool,
    /// ` `: a space where a positive number has no sign.
    pub(crate) space: bool,
    /// `0`: pad numbers with zeros.
    pub(crate) zero: bool,
    /// `#`: the alternate form (`0x`, a leading `0`, a kept point).
    pub(crate) alt: bool,
    /// Minimum width.
    pub(crate) width: Option<usize>,
    /// Precision (`None` when absent or negative).
    pub(crate) precision: Option<usize>,
}

impl Spec {
    /// `prefix` (sign, `0x`) and `digits`, padded to the width: with zeros
    /// between them when `zero_pad`, else with spaces.
    pub(crate) fn pad_number(&self, prefix: &str, digits: &str, zero_pad: bool) -> Vec<u8> {
        let len = prefix.len() + digits.len();
        let fill = self.width.unwrap_or(0).saturating_sub(len);
        let mut out = Vec::with_capacity(len + fill);
        if zero_pad {
            out.extend_from_slice(prefix.as_bytes());
            out.resize(out.len() + fill, b'0');
            out.extend_from_slice(digits.as_bytes());
            return out;
        }
        if !self.minus {
            out.resize(fill, b' ');
        }
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(digits.as_bytes());
        if self.minus {
            out.resize(out.len() + fill, b' ');
        }
        out
    }

    /// A string conversion: at most `precision` bytes, padded with spaces
    /// to the width.
    pub(crate) fn pad_str(&self, text: &[u8]) -> Vec<u8> {
        let text = match self.precision {
            Some(p) if p < text.len() => &text[..p],
            _ => text,
        };
        let fill = self.width.unwrap_or(0).saturating_sub(text.len());
        let mut out = Vec::with_capacity(text.len() + fill);
        if !self.minus {
            out.resize(fill, b' ');
        }
        out.extend_from_slice(text);
        if self.minus {
            out.resize(out.len() + fill, b' ');
        }
        out
    }

    /// A `%c` conversion: one byte, padded to the width.
    pub(crate) fn pad_char(&self, byte: u8) -> Vec<u8> {
        let precisionless = Spec {
            precision: None,
            ..self.clone()
        };
        precisionless.pad_str(&[byte])
    }

    /// The digits of an integer under the precision: at least that many,
    /// none for a zero with precision 0.
    fn digits(&self, magnitude: String, zero: bool) -> String {
        match self.precision {
            Some(0) if zero => String::new(),
            Some(p) if p > magnitude.len() => {
                format!("{}{magnitude}", "0".repeat(p - magnitude.len()))
            }
            _ => magnitude,
        }
    }

    /// Zeros pad an integer only without `-` or a precision.
    fn zero_pads_integer(&self) -> bool {
        self.zero && !self.minus && self.precision.is_none()
    }
}

/// `%d`/`%i`.
pub(crate) fn signed(value: i64, spec: &Spec) -> Vec<u8> {
    let digits = spec.digits(value.unsigned_abs().to_string(), value == 0);
    let sign = if value < 0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    spec.pad_number(sign, &digits, spec.zero_pads_integer())
}

/// `%o`, `%u`, `%x`, `%X`.
pub(crate) fn unsigned(value: u64, conv: u8, spec: &Spec) -> Vec<u8> {
    let magnitude = match conv {
        b'o' => format!("{value:o}"),
        b'x' => format!("{value:x}"),
        b'X' => format!("{value:X}"),
        _ => value.to_string(),
    };
    let mut digits = spec.digits(magnitude, value == 0);
    let mut prefix = "";
    if spec.alt {
        match conv {
            b'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            b'x' if value != 0 => prefix = "0x",
            b'X' if value != 0 => prefix = "0X",
            _ => {}
        }
    }
    spec.pad_number(prefix, &digits, spec.zero_pads_integer())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(flags: &str, width: Option<usize>, precision: Option<usize>) -> Spec {
        Spec {
            minus: flags.contains('-'),
            plus: flags.contains('+'),
            space: flags.contains(' '),
            zero: flags.contains('0'),
            alt: flags.contains('#'),
            width,
            precision,
        }
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn integers_like_c() {
        assert_eq!(text(signed(7, &spec("", None, Some(3)))), "007");
        assert_eq!(text(signed(7, &spec("", Some(5), Some(3)))), "  007");
        assert_eq!(text(signed(-7, &spec("0", Some(5), None))), "-0007");
        assert_eq!(text(signed(7, &spec("-0", Some(5), None))), "7    ");
        assert_eq!(text(signed(5, &spec("+", None, Some(3)))), "+005");
        assert_eq!(text(signed(0, &spec("", Some(3), Some(0)))), "   ");
        assert_eq!(text(unsigned(0, b'o', &spec("#", None, None))), "0");
        assert_eq!(text(unsigned(8, b'o', &spec("#", None, Some(3)))), "010");
        assert_eq!(text(unsigned(1, b'x', &spec("#", Some(5), None))), "  0x1");
        assert_eq!(text(unsigned(0, b'x', &spec("#", None, None))), "0");
        assert_eq!(text(unsigned(10, b'X', &spec("#", None, None))), "0XA");
        assert_eq!(text(unsigned(5, b'u', &spec("+", None, None))), "5");
    }

    #[test]
    fn strings_count_bytes() {
        assert_eq!(text(spec("", Some(5), None).pad_str(b"abc")), "  abc");
        assert_eq!(text(spec("-", Some(5), None).pad_str(b"abc")), "abc  ");
        assert_eq!(text(spec("", None, Some(1)).pad_str(b"abc")), "a");
        assert_eq!(text(spec("0", Some(3), None).pad_str(b"a")), "  a");
        assert_eq!(spec("", Some(3), None).pad_str("é".as_bytes()).len(), 3);
    }
}
