//! Reading records from an input stream according to RS.
//!
//! * one character (default newline): records end at that byte;
//! * `""`: paragraph mode, records are separated by one or more blank lines and leading
//!   newlines of the input are skipped;
//! * anything longer: an ERE, as gawk does (a match that reaches the end of the buffered
//!   data is only accepted once more data or EOF shows it cannot grow).

use crate::ere::Regex;
use std::io::{self, Read};
use std::rc::Rc;

/// How RS divides the input.
#[derive(Clone, Debug)]
pub enum RecordSep {
    /// A single byte.
    Byte(u8),
    /// Blank-line separated paragraphs.
    Paragraph,
    /// A regex.
    Regex(Rc<Regex>),
}

impl RecordSep {
    /// Interprets an RS value.
    pub fn from_rs(rs: &[u8]) -> Result<RecordSep, String> {
        Ok(match rs {
            b"" => RecordSep::Paragraph,
            [c] => RecordSep::Byte(*c),
            _ if crate::text::char_count(rs) == 1 => {
                RecordSep::Regex(Rc::new(Regex::new(&crate::fields::escape_literal(rs))?))
            }
            _ => RecordSep::Regex(Rc::new(Regex::new(rs)?)),
        })
    }
}

const CHUNK: usize = 64 * 1024;

/// A buffered reader that yields records.
pub struct RecordReader {
    src: Box<dyn Read>,
    buf: Vec<u8>,
    /// Start of unconsumed data in `buf`.
    pos: usize,
    /// How far past `pos` a separator search has already looked.
    scanned: usize,
    eof: bool,
}

impl RecordReader {
    /// Wraps a byte source.
    pub fn new(src: Box<dyn Read>) -> RecordReader {
        RecordReader {
            src,
            buf: Vec::new(),
            pos: 0,
            scanned: 0,
            eof: false,
        }
    }

    /// Reads more data; false at end of input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        loop {
            match self.src.read(&mut self.buf[old..]) {
                Ok(0) => {
                    self.buf.truncate(old);
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.buf.truncate(old + n);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        }
    }

    /// Reads the next record into `out` (without its terminator); false at end of input.
    pub fn read_record(&mut self, sep: &RecordSep, out: &mut Vec<u8>) -> io::Result<bool> {
        match sep {
            RecordSep::Byte(c) => self.read_byte_sep(*c, out),
            RecordSep::Paragraph => self.read_paragraph(out),
            RecordSep::Regex(re) => self.read_regex_sep(re, out),
        }
    }

    fn take(&mut self, end: usize, skip: usize, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&self.buf[self.pos..end]);
        self.pos = end + skip;
        self.scanned = 0;
    }

    fn read_byte_sep(&mut self, c: u8, out: &mut Vec<u8>) -> io::Result<bool> {
        loop {
            let from = self.pos + self.scanned;
            if let Some(i) = memchr::memchr(c, &self.buf[from..]) {
                self.take(from + i, 1, out);
                return Ok(true);
            }
            self.scanned = self.buf.len() - self.pos;
            if !self.fill()? {
                if self.pos < self.buf.len() {
                    let end = self.buf.len();
                    self.take(end, 0, out);
                    return Ok(true);
                }
                return Ok(false);
            }
        }
    }

    fn read_paragraph(&mut self, out: &mut Vec<u8>) -> io::Result<bool> {
        // Skip leading newlines.
        loop {
            while self.pos < self.buf.len() && self.buf[self.pos] == b'\n' {
                self.pos += 1;
            }
            if self.pos < self.buf.len() {
                break;
            }
            if !self.fill()? {
                return Ok(false);
            }
        }
        self.scanned = 0;
        loop {
            let from = self.pos + self.scanned;
            if let Some(i) = memchr::memmem::find(&self.buf[from..], b"\n\n") {
                // Offsets relative to `pos` stay valid when `fill` compacts the buffer.
                let end_rel = from + i - self.pos;
                let mut j_rel = end_rel;
                loop {
                    while self.pos + j_rel < self.buf.len() && self.buf[self.pos + j_rel] == b'\n' {
                        j_rel += 1;
                    }
                    if self.pos + j_rel < self.buf.len() || !self.fill()? {
                        break;
                    }
                }
                out.clear();
                out.extend_from_slice(&self.buf[self.pos..self.pos + end_rel]);
                self.pos += j_rel;
                self.scanned = 0;
                return Ok(true);
            }
            self.scanned = (self.buf.len() - self.pos).saturating_sub(1);
            if !self.fill()? {
                if self.pos < self.buf.len() {
                    let mut end = self.buf.len();
                    while end > self.pos && self.buf[end - 1] == b'\n' {
                        end -= 1;
                    }
                    self.take(end, 0, out);
                    self.pos = self.buf.len();
                    return Ok(true);
                }
                return Ok(false);
            }
        }
    }

    fn read_regex_sep(&mut self, re: &Regex, out: &mut Vec<u8>) -> io::Result<bool> {
        loop {
            let hay = &self.buf[self.pos..];
            let mut at = 0;
            let found = loop {
                match re.find_at(hay, at) {
                    Some((b, e)) if b == e => {
                        if b >= hay.len() {
                            break None;
                        }
                        at = b + 1;
                    }
                    other => break other,
                }
            };
            if let Some((b, e)) = found {
                if e < hay.len() || self.eof {
                    let start = self.pos;
                    self.take(start + b, e - b, out);
                    return Ok(true);
                }
            }
            if !self.fill()? {
                if self.pos < self.buf.len() {
                    let hay = &self.buf[self.pos..];
                    if let Some((b, e)) = re.find_at(hay, 0).filter(|(b, e)| b != e) {
                        let start = self.pos;
                        self.take(start + b, e - b, out);
                        return Ok(true);
                    }
                    let end = self.buf.len();
                    self.take(end, 0, out);
                    return Ok(true);
                }
                return Ok(false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(rs: &str, input: &str) -> Vec<String> {
        let sep = RecordSep::from_rs(rs.as_bytes()).unwrap();
        let mut r = RecordReader::new(Box::new(io::Cursor::new(input.as_bytes().to_vec())));
        let mut out = Vec::new();
        let mut v = Vec::new();
        while r.read_record(&sep, &mut out).unwrap() {
            v.push(String::from_utf8(out.clone()).unwrap());
        }
        v
    }

    #[test]
    fn lines() {
        assert_eq!(records("\n", "a\nb\n"), vec!["a", "b"]);
        assert_eq!(records("\n", "a\n\nb"), vec!["a", "", "b"]);
        assert_eq!(records(";", "a;b;"), vec!["a", "b"]);
        assert!(records("\n", "").is_empty());
    }

    #[test]
    fn paragraphs() {
        assert_eq!(records("", "\n\na\nb\n\n\nc\n\n"), vec!["a\nb", "c"]);
        assert_eq!(records("", "x\n"), vec!["x"]);
    }

    #[test]
    fn regex_separator() {
        assert_eq!(records("[,;]+", "a,;b;c\n"), vec!["a", "b", "c\n"]);
        assert_eq!(records("ab", "1ab2ab"), vec!["1", "2"]);
    }

    #[test]
    fn long_input_across_chunks() {
        let line = "x".repeat(100_000);
        let input = format!("{line}\n{line}\n");
        assert_eq!(records("\n", &input).len(), 2);
        let para = format!("{line}\n\n\n{line}");
        assert_eq!(records("", &para).len(), 2);
    }
}
