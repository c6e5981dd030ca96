//! The current record (`$0`) and its fields, split lazily.
//!
//! Fields are byte ranges into `$0` until one is assigned; only then are they copied into
//! owned values and `$0` rebuilt with OFS. Reading `$3` of a fresh record therefore costs a
//! split (once) and no allocation.

use crate::ere::Regex;
use crate::value::Value;
use std::rc::Rc;

/// How FS (or split's separator) divides a string.
#[derive(Clone, Debug)]
pub enum FieldSep {
    /// `" "`: runs of blanks and newlines, leading and trailing ones ignored.
    Space,
    /// Any other single character: each occurrence separates.
    Byte(u8),
    /// `""`: every character is a field.
    Chars,
    /// Anything longer: an ERE.
    Regex(Rc<Regex>),
}

impl FieldSep {
    /// Interprets an FS value. `paragraph` (RS == "") makes newline a separator too.
    pub fn from_fs(fs: &[u8], paragraph: bool) -> Result<FieldSep, String> {
        let sep = match fs {
            b" " => FieldSep::Space,
            b"" => FieldSep::Chars,
            [c] if *c != b'\\' => FieldSep::Byte(*c),
            b"\\" => FieldSep::Byte(b'\\'),
            _ if crate::text::char_count(fs) == 1 => {
                FieldSep::Regex(Rc::new(Regex::new(&escape_literal(fs))?))
            }
            _ => FieldSep::Regex(Rc::new(Regex::new(fs)?)),
        };
        if !paragraph {
            return Ok(sep);
        }
        Ok(match sep {
            FieldSep::Space | FieldSep::Chars => sep,
            FieldSep::Byte(b'\n') => sep,
            FieldSep::Byte(c) => {
                let mut re = escape_literal(&[c]);
                re.extend_from_slice(b"|\n");
                FieldSep::Regex(Rc::new(Regex::new(&re)?))
            }
            FieldSep::Regex(r) => {
                let mut re = b"(".to_vec();
                re.extend_from_slice(r.source());
                re.extend_from_slice(b")|\n");
                FieldSep::Regex(Rc::new(Regex::new(&re)?))
            }
        })
    }

    /// Splits `s`, calling `f(start, end)` for each field.
    pub fn split(&self, s: &[u8], mut f: impl FnMut(usize, usize)) {
        match self {
            FieldSep::Space => {
                let mut i = 0;
                let n = s.len();
                loop {
                    while i < n && matches!(s[i], b' ' | b'\t' | b'\n') {
                        i += 1;
                    }
                    if i >= n {
                        break;
                    }
                    let start = i;
                    while i < n && !matches!(s[i], b' ' | b'\t' | b'\n') {
                        i += 1;
                    }
                    f(start, i);
                }
            }
            FieldSep::Byte(c) => {
                if s.is_empty() {
                    return;
                }
                let mut start = 0;
                for p in memchr::memchr_iter(*c, s) {
                    f(start, p);
                    start = p + 1;
                }
                f(start, s.len());
            }
            FieldSep::Chars => {
                let mut i = 0;
                while i < s.len() {
                    let n = crate::text::char_len_at(s, i);
                    f(i, i + n);
                    i += n;
                }
            }
            FieldSep::Regex(re) => {
                if s.is_empty() {
                    return;
                }
                let mut start = 0;
                let mut pos = 0;
                while pos <= s.len() {
                    let Some((b, e)) = re.find_at(s, pos) else {
                        break;
                    };
                    if e == b {
                        // Empty matches never separate fields.
                        pos = b + 1;
                        continue;
                    }
                    f(start, b);
                    start = e;
                    pos = e;
                }
                f(start, s.len());
            }
        }
    }
}

/// Escapes a literal string for use as an ERE.
pub fn escape_literal(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len() * 2);
    for &c in s {
        if b"\\^$.[]|()*+?{}/".contains(&c) {
            v.push(b'\\');
        }
        v.push(c);
    }
    v
}

/// The current record.
///
/// After a field assignment the original text moves to `base` (the spans still point into
/// it), assigned fields live in `overrides`, and `$0` is rebuilt from both: no per-field
/// allocation for the fields that were not touched.
#[derive(Default)]
pub struct Record {
    /// `$0`
    pub text: Vec<u8>,
    split: bool,
    /// Field ranges, into `text` (or into `base` once modified).
    spans: Vec<(u32, u32)>,
    modified: bool,
    base: Vec<u8>,
    /// One entry per field once modified: `Some` for assigned fields.
    overrides: Vec<Option<Value>>,
    /// Cached shared copy of `$0` for reads as a value.
    text_value: Option<Value>,
}

impl Record {
    /// Replaces `$0` with `bytes` (fields are re-split on demand).
    pub fn set_text(&mut self, bytes: &[u8]) {
        self.text.clear();
        self.text.extend_from_slice(bytes);
        self.reset();
    }

    /// Marks `text` as changed in place.
    pub fn reset(&mut self) {
        self.split = false;
        self.modified = false;
        self.overrides.clear();
        self.text_value = None;
    }

    /// Splits `$0` if not yet done.
    #[inline]
    pub fn ensure_split(&mut self, fs: &FieldSep) {
        if self.split {
            return;
        }
        self.spans.clear();
        let spans = &mut self.spans;
        fs.split(&self.text, |a, b| spans.push((a as u32, b as u32)));
        self.split = true;
    }

    /// NF (after splitting).
    pub fn nf(&mut self, fs: &FieldSep) -> usize {
        self.ensure_split(fs);
        if self.modified {
            self.overrides.len()
        } else {
            self.spans.len()
        }
    }

    /// Field `i` (0 is the whole record), borrowed.
    #[inline]
    pub fn field_bytes(&mut self, i: usize, fs: &FieldSep) -> FieldRef<'_> {
        if i == 0 {
            return FieldRef::Bytes(&self.text);
        }
        self.ensure_split(fs);
        if !self.modified {
            return match self.spans.get(i - 1) {
                Some(&(a, b)) => FieldRef::Bytes(&self.text[a as usize..b as usize]),
                None => FieldRef::Missing,
            };
        }
        match self.overrides.get(i - 1) {
            None => FieldRef::Missing,
            Some(Some(v)) => FieldRef::Value(v),
            Some(None) => match self.spans.get(i - 1) {
                Some(&(a, b)) => FieldRef::Bytes(&self.base[a as usize..b as usize]),
                None => FieldRef::Bytes(b""),
            },
        }
    }

    /// Field `i` as a value (numeric string), `Uninit` past NF.
    pub fn field_value(&mut self, i: usize, fs: &FieldSep) -> Value {
        if i == 0 {
            if let Some(v) = &self.text_value {
                return v.clone();
            }
            let v = Value::strnum(&self.text);
            self.text_value = Some(v.clone());
            return v;
        }
        match self.field_bytes(i, fs) {
            FieldRef::Bytes(b) => Value::strnum(b),
            FieldRef::Value(v) => v.clone(),
            FieldRef::Missing => Value::Uninit,
        }
    }

    fn make_modified(&mut self, fs: &FieldSep) {
        self.ensure_split(fs);
        if !self.modified {
            std::mem::swap(&mut self.text, &mut self.base);
            self.overrides.clear();
            self.overrides.resize(self.spans.len(), None);
            self.modified = true;
        }
    }

    /// Assigns field `i >= 1` and rebuilds `$0` with `ofs`.
    pub fn set_field(&mut self, i: usize, v: Value, fs: &FieldSep, ofs: &[u8], convfmt: &[u8]) {
        self.make_modified(fs);
        if self.overrides.len() < i {
            self.overrides.resize(i, None);
        }
        self.overrides[i - 1] = Some(v);
        self.rebuild(ofs, convfmt);
    }

    /// Sets NF: truncates or pads with empty fields, then rebuilds `$0`.
    pub fn set_nf(&mut self, n: usize, fs: &FieldSep, ofs: &[u8], convfmt: &[u8]) {
        self.make_modified(fs);
        // Fields cut off must come back empty if NF grows again.
        self.spans.truncate(n);
        self.overrides.resize(n, None);
        self.rebuild(ofs, convfmt);
    }

    fn rebuild(&mut self, ofs: &[u8], convfmt: &[u8]) {
        self.text.clear();
        for (k, f) in self.overrides.iter().enumerate() {
            if k > 0 {
                self.text.extend_from_slice(ofs);
            }
            match f {
                Some(v) => v.push_str(&mut self.text, convfmt),
                None => {
                    if let Some(&(a, b)) = self.spans.get(k) {
                        self.text
                            .extend_from_slice(&self.base[a as usize..b as usize]);
                    }
                }
            }
        }
        self.text_value = None;
    }
}

/// A borrowed field.
pub enum FieldRef<'a> {
    /// Raw bytes of an unmodified field (a numeric string).
    Bytes(&'a [u8]),
    /// An assigned field.
    Value(&'a Value),
    /// Past NF.
    Missing,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(fs: &str, s: &str) -> Vec<String> {
        let sep = FieldSep::from_fs(fs.as_bytes(), false).unwrap();
        let mut v = Vec::new();
        sep.split(s.as_bytes(), |a, b| v.push(s[a..b].to_string()));
        v
    }

    #[test]
    fn separators() {
        assert_eq!(split(" ", "  a b\t\tc  "), vec!["a", "b", "c"]);
        assert_eq!(split(",", "a,,b,"), vec!["a", "", "b", ""]);
        assert_eq!(split("|", "a|b"), vec!["a", "b"]);
        assert_eq!(split(", *", "a, b,c"), vec!["a", "b", "c"]);
        assert_eq!(split(" +", " a b "), vec!["", "a", "b", ""]);
        assert_eq!(split("", "abc"), vec!["a", "b", "c"]);
        assert!(split(",", "").is_empty());
    }

    #[test]
    fn assigning_a_field_rebuilds_the_record() {
        let fs = FieldSep::Space;
        let mut r = Record::default();
        r.set_text(b"a b c");
        r.set_field(2, Value::from_bytes(b"X"), &fs, b"-", b"%.6g");
        assert_eq!(r.text, b"a-X-c");
        r.set_field(5, Value::Num(5.0), &fs, b"-", b"%.6g");
        assert_eq!(r.text, b"a-X-c--5");
        r.set_nf(2, &fs, b":", b"%.6g");
        assert_eq!(r.text, b"a:X");
        r.set_nf(3, &fs, b":", b"%.6g");
        assert_eq!(r.text, b"a:X:");
        r.set_text(b"p q");
        assert_eq!(r.nf(&fs), 2);
    }
}
