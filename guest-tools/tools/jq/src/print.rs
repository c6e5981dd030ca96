//! JSON output exactly like jq 1.7's `jv_dump`.
//!
//! Pretty output indents by two spaces (or `--indent n`, or tabs), writes
//! `"key": value`, and keeps `[]`/`{}` on one line; compact output has no
//! spaces at all. Strings escape `"` and `\`, write `\b \t \n \f \r`, other
//! control characters and DEL as `\u00XX`, and everything else raw unless
//! `--ascii-output` asks for `\uXXXX` (with surrogate pairs).

use crate::numfmt;
use crate::value::{Num, Val};

/// How to lay out one output value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Format {
    /// Spaces per level, or `None` for compact output. Default: 2.
    pub indent: Option<usize>,
    /// Indent with one tab per level instead of spaces. Default: off.
    pub tab: bool,
    /// Write object keys in byte order (`-S`). Default: off.
    pub sort_keys: bool,
    /// Escape every non-ASCII character (`-a`). Default: off.
    pub ascii: bool,
}

impl Default for Format {
    fn default() -> Self {
        Format {
            indent: Some(2),
            tab: false,
            sort_keys: false,
            ascii: false,
        }
    }
}

impl Format {
    /// Compact, unsorted, UTF-8 output: what `tojson` and `-c` produce.
    pub fn compact() -> Self {
        Format {
            indent: None,
            ..Format::default()
        }
    }

    /// Appends `v` to `out` (without a trailing newline).
    pub fn write(&self, out: &mut Vec<u8>, v: &Val) {
        self.value(out, v, 0);
    }

    fn pretty(&self) -> bool {
        self.tab || self.indent.is_some()
    }

    fn newline_indent(&self, out: &mut Vec<u8>, level: usize) {
        out.push(b'\n');
        if self.tab {
            out.extend(std::iter::repeat_n(b'\t', level));
        } else if let Some(n) = self.indent {
            out.extend(std::iter::repeat_n(b' ', level * n));
        }
    }

    fn value(&self, out: &mut Vec<u8>, v: &Val, level: usize) {
        match v {
            Val::Null => out.extend_from_slice(b"null"),
            Val::Bool(true) => out.extend_from_slice(b"true"),
            Val::Bool(false) => out.extend_from_slice(b"false"),
            Val::Num(n) => out.extend_from_slice(format_num(n).as_bytes()),
            Val::TStr(s) | Val::BStr(s) => write_string(out, s, self.ascii),
            Val::Arr(a) if a.is_empty() => out.extend_from_slice(b"[]"),
            Val::Arr(a) => {
                out.push(b'[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    if self.pretty() {
                        self.newline_indent(out, level + 1);
                    }
                    self.value(out, x, level + 1);
                }
                if self.pretty() {
                    self.newline_indent(out, level);
                }
                out.push(b']');
            }
            Val::Obj(o) if o.is_empty() => out.extend_from_slice(b"{}"),
            Val::Obj(o) => {
                let mut entries: Vec<(&Val, &Val)> = o.iter().collect();
                if self.sort_keys {
                    entries.sort_by_key(|(k, _)| *k);
                }
                out.push(b'{');
                for (i, (k, x)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    if self.pretty() {
                        self.newline_indent(out, level + 1);
                    }
                    match k {
                        Val::TStr(s) | Val::BStr(s) => write_string(out, s, self.ascii),
                        // jq allows only string keys; jaq allows any, so show
                        // other keys as their JSON text to keep output valid.
                        other => write_string(out, &other.to_json(), self.ascii),
                    }
                    out.push(b':');
                    if self.pretty() {
                        out.push(b' ');
                    }
                    self.value(out, x, level + 1);
                }
                if self.pretty() {
                    self.newline_indent(out, level);
                }
                out.push(b'}');
            }
        }
    }
}

/// Number text as jq 1.7 prints it.
pub fn format_num(n: &Num) -> String {
    match n {
        Num::Int(i) => i.to_string(),
        Num::BigInt(i) => i.to_string(),
        Num::Float(f) => numfmt::format_f64(*f),
        Num::Dec(lit) => numfmt::format_literal(lit)
            .unwrap_or_else(|| numfmt::format_f64(lit.parse().unwrap_or(f64::NAN))),
    }
}

/// Writes `s` as a quoted JSON string; invalid UTF-8 becomes U+FFFD, as jq
/// does when it reads such bytes.
pub fn write_string(out: &mut Vec<u8>, s: &[u8], ascii: bool) {
    out.push(b'"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            write_char(out, c, ascii);
        }
        if !chunk.invalid().is_empty() {
            write_char(out, char::REPLACEMENT_CHARACTER, ascii);
        }
    }
    out.push(b'"');
}

fn write_char(out: &mut Vec<u8>, c: char, ascii: bool) {
    match c {
        '"' => out.extend_from_slice(b"\\\""),
        '\\' => out.extend_from_slice(b"\\\\"),
        '\u{8}' => out.extend_from_slice(b"\\b"),
        '\t' => out.extend_from_slice(b"\\t"),
        '\r' => out.extend_from_slice(b"\\r"),
        '\n' => out.extend_from_slice(b"\\n"),
        '\u{c}' => out.extend_from_slice(b"\\f"),
        '\u{0}'..='\u{1f}' | '\u{7f}' => {
            out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
        }
        c if ascii && !c.is_ascii() => {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
            }
        }
        c => {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::read::parse_single;

    fn show(fmt: &Format, json: &str) -> String {
        let v = parse_single(json.as_bytes()).unwrap();
        let mut out = Vec::new();
        fmt.write(&mut out, &v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn pretty_output_matches_jq() {
        let got = show(&Format::default(), r#"{"a":[1,{"b":null}],"c":{},"d":[]}"#);
        let want = "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}";
        assert_eq!(got, want);
    }

    #[test]
    fn compact_has_no_spaces() {
        assert_eq!(
            show(&Format::compact(), r#"{"a" : [1, 2], "b":"x"}"#),
            r#"{"a":[1,2],"b":"x"}"#
        );
    }

    #[test]
    fn tab_and_sorted() {
        let fmt = Format {
            tab: true,
            sort_keys: true,
            ..Format::default()
        };
        assert_eq!(
            show(&fmt, r#"{"b":1,"a":2}"#),
            "{\n\t\"a\": 2,\n\t\"b\": 1\n}"
        );
    }

    #[test]
    fn string_escapes() {
        let got = show(&Format::compact(), r#""a\"\\\b\f\n\r\t\u0001\u007fé😀""#);
        assert_eq!(got, "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u007fé😀\"");
        let ascii = Format {
            ascii: true,
            ..Format::compact()
        };
        assert_eq!(show(&ascii, r#""é😀""#), r#""\u00e9\ud83d\ude00""#);
    }
}
