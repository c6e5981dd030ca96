//! The input stream: JSON values (or raw lines) from files or stdin.
//!
//! Files are read whole, one after the other, and parsed one value at a
//! time, so `input`/`inputs` inside the filter and the main loop share one
//! stream. The stream also tracks jq's error position (`<stdin>:3`): the
//! number of complete lines jq's line-by-line reader had consumed when the
//! value ended.

use crate::value::{read, Val};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;

/// How input text becomes values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A sequence of JSON texts.
    Json,
    /// Every line is one string (`-R`).
    Raw,
}

/// Where to read from, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input (no file operands, or `-`).
    Stdin,
    /// A named file.
    File(PathBuf),
}

impl Source {
    fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// Position of the stream, shared with error reporting and `input_filename`.
#[derive(Default)]
pub struct Position {
    name: RefCell<Option<String>>,
    file: RefCell<Option<String>>,
    line: Cell<usize>,
}

impl Position {
    /// `<stdin>:N` / `file:N` as jq prints it in errors, `<unknown>` before
    /// any input was read.
    pub fn describe(&self) -> String {
        match &*self.name.borrow() {
            Some(name) => format!("{name}:{}", self.line.get()),
            None => "<unknown>".to_owned(),
        }
    }

    /// Complete lines read from the current file.
    pub fn line(&self) -> usize {
        self.line.get()
    }

    /// The file the current input came from (`null` for stdin).
    pub fn filename(&self) -> Option<String> {
        self.file.borrow().clone()
    }
}

/// Why the stream stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// A file could not be opened or read; jq prints this and exits 2.
    Open(String),
    /// Input is not valid JSON; the message has jq's `at line L, column C`.
    Parse(String),
}

struct Current {
    data: Vec<u8>,
    /// Bytes consumed so far.
    at: usize,
    /// Newlines counted in `data[..counted]`.
    counted: usize,
    lines: usize,
}

/// Iterator over input values.
pub struct Inputs<'a> {
    sources: VecDeque<Source>,
    mode: Mode,
    stdin: &'a mut dyn Read,
    current: Option<Current>,
    position: &'a Position,
    failed: bool,
}

impl<'a> Inputs<'a> {
    /// A stream over `sources` (stdin when empty) in `mode`.
    pub fn new(
        sources: Vec<Source>,
        mode: Mode,
        stdin: &'a mut dyn Read,
        position: &'a Position,
    ) -> Self {
        let sources = if sources.is_empty() {
            vec![Source::Stdin]
        } else {
            sources
        };
        Inputs {
            sources: sources.into(),
            mode,
            stdin,
            current: None,
            position,
            failed: false,
        }
    }

    /// Reads everything: all values as one array (`-s`), or with `-R -s`
    /// all text as one string.
    pub fn slurp(mut self) -> Result<Val, InputError> {
        if self.mode == Mode::Raw {
            let mut all = Vec::new();
            while let Some(()) = self.open_next()? {
                let cur = self.current.take().expect("just opened");
                all.extend_from_slice(&cur.data);
                self.advance_lines_to_end(cur);
            }
            return Ok(Val::from(String::from_utf8_lossy(&all).into_owned()));
        }
        let values: Result<Vec<Val>, InputError> = self.by_ref().collect();
        Ok(values?.into_iter().collect())
    }

    /// Opens the next source into `current`; `Ok(None)` when none is left.
    fn open_next(&mut self) -> Result<Option<()>, InputError> {
        let Some(source) = self.sources.pop_front() else {
            return Ok(None);
        };
        let mut data = Vec::new();
        let read = match &source {
            Source::Stdin => self.stdin.read_to_end(&mut data).map(drop),
            Source::File(p) => std::fs::File::open(p)
                .and_then(|mut f| f.read_to_end(&mut data))
                .map(drop),
        };
        if let Err(e) = read {
            return Err(InputError::Open(format!(
                "Could not open {}: {}",
                source.name(),
                crate::io_reason(&e)
            )));
        }
        *self.position.name.borrow_mut() = Some(source.name());
        *self.position.file.borrow_mut() = match &source {
            Source::Stdin => None,
            Source::File(p) => Some(p.display().to_string()),
        };
        self.position.line.set(0);
        self.current = Some(Current {
            data,
            at: 0,
            counted: 0,
            lines: 0,
        });
        Ok(Some(()))
    }

    fn advance_lines_to_end(&self, cur: Current) {
        let lines = cur.lines + count_newlines(&cur.data[cur.counted..]);
        self.position.line.set(lines);
    }

    fn next_value(&mut self) -> Option<Result<Val, InputError>> {
        loop {
            if self.current.is_none() {
                match self.open_next() {
                    Ok(Some(())) => {}
                    Ok(None) => return None,
                    Err(e) => return Some(Err(e)),
                }
            }
            let cur = self.current.as_mut().expect("opened above");
            let rest = &cur.data[cur.at..];
            let item = match self.mode {
                Mode::Json => read::parse_next(rest).map(|r| {
                    r.map_err(|e| {
                        let end = cur.at + e.offset();
                        // jq had read the whole line holding the error.
                        let upto = line_end(&cur.data, end);
                        self.position
                            .line
                            .set(cur.lines + count_newlines(&cur.data[cur.counted..upto]));
                        InputError::Parse(parse_message(&cur.data, end, &e.message()))
                    })
                }),
                Mode::Raw if rest.is_empty() => None,
                Mode::Raw => {
                    let (line, used) = match rest.iter().position(|b| *b == b'\n') {
                        Some(i) => (&rest[..i], i + 1),
                        None => (rest, rest.len()),
                    };
                    Some(Ok((
                        Val::from(String::from_utf8_lossy(line).into_owned()),
                        used,
                    )))
                }
            };
            match item {
                None => {
                    let cur = self.current.take().expect("checked");
                    self.advance_lines_to_end(cur);
                }
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok((v, used))) => {
                    cur.at += used;
                    // jq reads whole lines, so the line holding the end of
                    // the value counts as read once it has its newline.
                    let upto = line_end(&cur.data, cur.at.saturating_sub(1));
                    if upto > cur.counted {
                        cur.lines += count_newlines(&cur.data[cur.counted..upto]);
                        cur.counted = upto;
                    }
                    self.position.line.set(cur.lines);
                    return Some(Ok(v));
                }
            }
        }
    }
}

impl Iterator for Inputs<'_> {
    type Item = Result<Val, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = self.next_value();
        if matches!(item, Some(Err(_))) {
            self.failed = true;
        }
        item
    }
}

/// Offset just past the newline ending the line that holds `at`, or the end
/// of `data` if that line is unterminated.
fn line_end(data: &[u8], at: usize) -> usize {
    let at = at.min(data.len());
    match data[at..].iter().position(|b| *b == b'\n') {
        Some(i) => at + i + 1,
        None => data.len(),
    }
}

fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|c| **c == b'\n').count()
}

/// jq's wording for a JSON syntax error at byte `end` of `data`.
fn parse_message(data: &[u8], end: usize, detail: &str) -> String {
    let end = end.min(data.len());
    let line = 1 + count_newlines(&data[..end]);
    let col = end
        - data[..end]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
    if data[end..].iter().all(u8::is_ascii_whitespace) && !detail.is_empty() && end == data.len() {
        format!("Unfinished JSON term at EOF at line {line}, column {col}")
    } else {
        format!("{detail} at line {line}, column {col}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(mode: Mode, text: &str) -> (Vec<String>, String) {
        let pos = Position::default();
        let mut stdin = text.as_bytes();
        let inputs = Inputs::new(vec![], mode, &mut stdin, &pos);
        let vals: Vec<String> = inputs
            .map(|v| {
                v.map(|v| v.to_string())
                    .unwrap_or_else(|e| format!("{e:?}"))
            })
            .collect();
        (vals, pos.describe())
    }

    #[test]
    fn json_stream_tracks_lines() {
        let (vals, pos) = values(Mode::Json, "1 2\n[3,\n4]\n");
        assert_eq!(vals, ["1", "2", "[3,4]"]);
        assert_eq!(pos, "<stdin>:3");
    }

    #[test]
    fn raw_lines_keep_last_unterminated_line() {
        let (vals, _) = values(Mode::Raw, "a\r\nb\n\nc");
        assert_eq!(vals, ["\"a\\r\"", "\"b\"", "\"\"", "\"c\""]);
    }

    #[test]
    fn unfinished_json_is_reported_like_jq() {
        let (vals, _) = values(Mode::Json, "{\n");
        assert_eq!(
            vals,
            ["Parse(\"Unfinished JSON term at EOF at line 2, column 0\")"]
        );
    }

    #[test]
    fn nothing_read_is_unknown_position() {
        assert_eq!(Position::default().describe(), "<unknown>");
    }
}
