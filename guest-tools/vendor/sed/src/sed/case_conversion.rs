// GNU case conversions in the replacement of the `s` command
//
// wasm-agent addition (see WASM-AGENT.md at the crate root): `\U`, `\L`,
// `\E`, `\u` and `\l` in a replacement, as GNU sed 4.9 applies them.
//
// SPDX-License-Identifier: MIT

use crate::sed::command::CharacterMode;

/// The direction of a case conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Upper,
    Lower,
}

/// Appends replacement pieces to an output buffer, converting their case
/// the way the preceding `\U`, `\L`, `\E`, `\u`, `\l` ask.
///
/// One writer serves one substituted match: GNU does not carry a pending
/// conversion from one match of `s///g` to the next.
pub struct CaseWriter {
    /// `\U` or `\L` in force until `\E` (or another of them).
    span: Option<Case>,
    /// `\u` or `\l` waiting for the next character, whichever piece it
    /// comes from: an empty group leaves it pending for the next piece.
    next: Option<Case>,
    mode: CharacterMode,
}

impl CaseWriter {
    /// A writer with no conversion in force.
    pub fn new(mode: CharacterMode) -> Self {
        Self {
            span: None,
            next: None,
            mode,
        }
    }

    /// `\U` / `\L` (`Some`) or `\E` (`None`). As in GNU sed, each of them
    /// also cancels a pending `\u` / `\l`.
    pub fn set_span(&mut self, case: Option<Case>) {
        self.span = case;
        self.next = None;
    }

    /// `\u` / `\l`; the last one given wins.
    pub fn set_next(&mut self, case: Case) {
        self.next = Some(case);
    }

    /// Appends `text` to `out` with the conversions in force.
    pub fn push(&mut self, out: &mut Vec<u8>, text: &[u8]) {
        if text.is_empty() {
            return;
        }
        if self.span.is_none() && self.next.is_none() {
            out.extend_from_slice(text);
            return;
        }
        match self.mode {
            CharacterMode::Byte => {
                for &byte in text {
                    let case = self.next.take().or(self.span);
                    out.push(convert_byte(byte, case));
                }
            }
            CharacterMode::Utf8 => self.push_utf8(out, text),
        }
    }

    /// Converts characters; bytes that are not UTF-8 pass unchanged but
    /// still use up a pending `\u` / `\l`, as one character each.
    fn push_utf8(&mut self, out: &mut Vec<u8>, mut text: &[u8]) {
        while !text.is_empty() {
            let (valid, invalid) = match std::str::from_utf8(text) {
                Ok(valid) => (valid, 0),
                Err(err) => {
                    let valid = std::str::from_utf8(&text[..err.valid_up_to()])
                        .expect("prefix checked by from_utf8");
                    (
                        valid,
                        err.error_len().unwrap_or(text.len() - err.valid_up_to()),
                    )
                }
            };
            for ch in valid.chars() {
                let case = self.next.take().or(self.span);
                let mut buf = [0; 4];
                out.extend_from_slice(convert_char(ch, case).encode_utf8(&mut buf).as_bytes());
            }
            let rest = &text[valid.len()..];
            if invalid > 0 {
                self.next = None;
                out.extend_from_slice(&rest[..invalid]);
            }
            text = &rest[invalid..];
        }
    }
}

/// In the C locale only ASCII letters have a case. (GNU sed 4.9 turns
/// bytes above 0x7f into 0xff there, which is a bug, not followed.)
fn convert_byte(byte: u8, case: Option<Case>) -> u8 {
    match case {
        Some(Case::Upper) => byte.to_ascii_uppercase(),
        Some(Case::Lower) => byte.to_ascii_lowercase(),
        None => byte,
    }
}

/// One character for one, as C's `towupper` / `towlower`: a character
/// whose conversion takes several (`ß` → `SS`) stays as it is.
fn convert_char(ch: char, case: Option<Case>) -> char {
    match case {
        None => ch,
        Some(Case::Upper) => single(ch.to_uppercase()).unwrap_or(ch),
        Some(Case::Lower) => single(ch.to_lowercase()).unwrap_or(ch),
    }
}

/// The only item of `items`, if there is exactly one.
fn single(mut items: impl Iterator<Item = char>) -> Option<char> {
    let first = items.next()?;
    items.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(mode: CharacterMode, steps: &[&dyn Fn(&mut CaseWriter, &mut Vec<u8>)]) -> String {
        let mut writer = CaseWriter::new(mode);
        let mut out = Vec::new();
        for step in steps {
            step(&mut writer, &mut out);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn span_and_next_combine() {
        // s/.*/\L\u&/ on "hELLO wORLD"
        let out = render(
            CharacterMode::Byte,
            &[
                &|w, _| w.set_span(Some(Case::Lower)),
                &|w, _| w.set_next(Case::Upper),
                &|w, o| w.push(o, b"hELLO wORLD"),
            ],
        );
        assert_eq!(out, "Hello world");
    }

    #[test]
    fn span_cancels_a_pending_next() {
        // s/.*/\u\L&/ gives all lower case in GNU sed
        let out = render(
            CharacterMode::Byte,
            &[
                &|w, _| w.set_next(Case::Upper),
                &|w, _| w.set_span(Some(Case::Lower)),
                &|w, o| w.push(o, b"hELLO"),
            ],
        );
        assert_eq!(out, "hello");
    }

    #[test]
    fn next_waits_for_a_non_empty_piece() {
        let out = render(
            CharacterMode::Byte,
            &[
                &|w, _| w.set_next(Case::Upper),
                &|w, o| w.push(o, b""),
                &|w, o| w.push(o, b"yes"),
            ],
        );
        assert_eq!(out, "Yes");
    }

    #[test]
    fn end_stops_the_span() {
        let out = render(
            CharacterMode::Byte,
            &[
                &|w, _| w.set_span(Some(Case::Upper)),
                &|w, o| w.push(o, b"host"),
                &|w, _| w.set_span(None),
                &|w, o| w.push(o, b" = x"),
            ],
        );
        assert_eq!(out, "HOST = x");
    }

    #[test]
    fn byte_mode_converts_ascii_only() {
        let mut writer = CaseWriter::new(CharacterMode::Byte);
        writer.set_span(Some(Case::Upper));
        let mut out = Vec::new();
        writer.push(&mut out, "é-a".as_bytes());
        assert_eq!(out, "é-A".as_bytes());
    }

    #[test]
    fn utf8_mode_converts_one_char_for_one() {
        let mut writer = CaseWriter::new(CharacterMode::Utf8);
        writer.set_span(Some(Case::Upper));
        let mut out = Vec::new();
        writer.push(&mut out, &["straße é".as_bytes(), b"\xff"].concat());
        assert_eq!(out, ["STRAßE É".as_bytes(), b"\xff"].concat());
    }
}
