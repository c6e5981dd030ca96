//! An input's contents split into lines.
//!
//! Like GNU diff, a text whose last line lacks its newline gets one appended
//! in memory and remembers that it did ([`Text::missing_newline`]): the
//! comparison then sees every line ending in `\n`, and the printers decide
//! whether the incomplete line is shown as such (`\ No newline at end of
//! file`) or silently completed (ed scripts).

/// The lines of one input.
#[derive(Debug, Clone)]
pub struct Text {
    /// The contents, always ending in `\n` unless empty.
    bytes: Vec<u8>,
    /// Line `i` is `bytes[starts[i]..starts[i + 1]]`; one more entry than lines.
    starts: Vec<usize>,
    /// Whether the input's last line had no newline (one was appended).
    missing_newline: bool,
}

impl Text {
    /// Splits `bytes` into lines. With `strip_cr`, a carriage return right
    /// before a newline is dropped (`--strip-trailing-cr`); one ending an
    /// incomplete last line stays, as in GNU diff 3.8.
    pub fn new(mut bytes: Vec<u8>, strip_cr: bool) -> Text {
        if strip_cr && memchr::memchr(b'\r', &bytes).is_some() {
            bytes = strip_trailing_cr(&bytes);
        }
        let missing_newline = bytes.last().is_some_and(|&b| b != b'\n');
        if missing_newline {
            bytes.push(b'\n');
        }
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', &bytes).map(|i| i + 1));
        Text {
            bytes,
            starts,
            missing_newline,
        }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether there are no lines at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All bytes, each line ending in `\n` (the last one possibly appended).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether the input's last line had no newline.
    pub fn missing_newline(&self) -> bool {
        self.missing_newline
    }

    /// Line `i` including its newline (appended or not).
    pub fn line(&self, i: usize) -> &[u8] {
        &self.bytes[self.starts[i]..self.starts[i + 1]]
    }

    /// Line `i` without its newline.
    pub fn body(&self, i: usize) -> &[u8] {
        let line = self.line(i);
        &line[..line.len() - 1]
    }

    /// Whether line `i` is the last one and had no newline in the input.
    pub fn is_incomplete(&self, i: usize) -> bool {
        self.missing_newline && i + 1 == self.len()
    }

    /// Byte offset where line `i` starts (`len()` gives the end).
    pub fn start(&self, i: usize) -> usize {
        self.starts[i]
    }

    /// The index of the line starting at byte `offset` (which must be a
    /// line start or the end of the text).
    pub fn line_at(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s < offset)
    }
}

/// Drops every `\r` that comes right before a `\n`.
fn strip_trailing_cr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(i) = memchr::memchr(b'\r', rest) {
        out.extend_from_slice(&rest[..i]);
        if rest.get(i + 1) != Some(&b'\n') {
            out.push(b'\r');
        }
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_and_remembers_a_missing_newline() {
        let t = Text::new(b"a\nbc".to_vec(), false);
        assert_eq!(t.len(), 2);
        assert_eq!(t.line(1), b"bc\n");
        assert_eq!(t.body(1), b"bc");
        assert!(t.is_incomplete(1));
        assert!(!t.is_incomplete(0));
        assert_eq!(t.line_at(2), 1);
        assert_eq!(t.line_at(5), 2);
    }

    #[test]
    fn empty_input_has_no_lines() {
        let t = Text::new(Vec::new(), false);
        assert!(t.is_empty());
        assert!(!t.missing_newline());
    }

    #[test]
    fn strips_carriage_returns_before_newlines_only() {
        let t = Text::new(b"a\r\nb\rc\r".to_vec(), true);
        assert_eq!(t.bytes(), b"a\nb\rc\r\n");
        assert!(t.missing_newline());
        let lone = Text::new(b"\r".to_vec(), true);
        assert_eq!(lone.len(), 1);
        assert_eq!(lone.body(0), b"\r");
    }
}
