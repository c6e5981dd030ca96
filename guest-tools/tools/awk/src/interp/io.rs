//! Input and output streams: the main input (ARGV operands or stdin), `getline` sources,
//! `print > file` destinations, `close`, `fflush`.
//!
//! Commands cannot run in the sandbox (no processes), so `cmd | getline` and `print | cmd`
//! are fatal errors with a message saying so, and `system()` returns -1 with a warning.

use super::{Cell, Interp, Unwind, R};
use crate::error::{describe_io, Error, ErrorKind};
use crate::record::RecordReader;
use crate::special;
use crate::value::Value;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};

/// The process streams the interpreter uses, plus files it opened for output.
pub struct Streams {
    stdout: BufWriter<Box<dyn Write>>,
    stderr: Box<dyn Write>,
    stdin: RecordReader,
    files: HashMap<Vec<u8>, BufWriter<File>>,
}

impl Streams {
    /// Wraps stdin, stdout and stderr (stdout is buffered here; pass unbuffered writers).
    pub fn new(stdin: Box<dyn Read>, stdout: Box<dyn Write>, stderr: Box<dyn Write>) -> Streams {
        Streams {
            stdout: BufWriter::with_capacity(64 * 1024, stdout),
            stderr,
            stdin: RecordReader::new(stdin),
            files: HashMap::new(),
        }
    }

    /// Prints a message line on stderr (after flushing stdout, to keep the order readable).
    pub fn warn(&mut self, msg: &str) {
        let _ = self.stdout.flush();
        let _ = writeln!(self.stderr, "{msg}");
        let _ = self.stderr.flush();
    }

    /// Flushes and closes everything; the first error is returned.
    pub fn close_all(&mut self) -> Result<(), Error> {
        let mut first = None;
        for (name, mut f) in self.files.drain() {
            if let Err(e) = f.flush() {
                first.get_or_insert(Error::new(ErrorKind::Io {
                    what: format!("error writing `{}'", String::from_utf8_lossy(&name)),
                    err: e,
                }));
            }
        }
        if let Err(e) = self.stdout.flush() {
            first.get_or_insert(Error::new(ErrorKind::Io {
                what: "error writing standard output".into(),
                err: e,
            }));
        }
        let _ = self.stderr.flush();
        match first {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn write_to(&mut self, dest: Option<(&[u8], bool)>, bytes: &[u8]) -> Result<(), Error> {
        let res = match dest {
            None => self.stdout.write_all(bytes),
            Some((b"/dev/stdout" | b"-", _)) => self.stdout.write_all(bytes),
            Some((b"/dev/stderr", _)) => {
                let _ = self.stdout.flush();
                self.stderr.write_all(bytes)
            }
            Some((name, append)) => {
                if !self.files.contains_key(name) {
                    let path = crate::cli::os_path(name);
                    let f = std::fs::OpenOptions::new()
                        .write(true)
                        .create(true)
                        .append(append)
                        .truncate(!append)
                        .open(path)
                        .map_err(|e| {
                            Error::new(ErrorKind::Io {
                                what: format!(
                                    "cannot redirect to `{}'",
                                    String::from_utf8_lossy(name)
                                ),
                                err: e,
                            })
                        })?;
                    self.files.insert(name.to_vec(), BufWriter::new(f));
                }
                match self.files.get_mut(name) {
                    Some(f) => f.write_all(bytes),
                    None => Ok(()),
                }
            }
        };
        res.map_err(|e| {
            let what = match dest {
                Some((n, _)) => format!("error writing `{}'", String::from_utf8_lossy(n)),
                None => "error writing standard output".into(),
            };
            Error::new(ErrorKind::Io { what, err: e })
        })
    }
}

/// Where the main input currently reads from.
enum Current {
    Stdin,
    File(RecordReader),
}

/// Progress through the ARGV operands.
#[derive(Default)]
pub(crate) struct MainInput {
    next_arg: usize,
    cur: Option<Current>,
    saw_file: bool,
    done: bool,
}

impl MainInput {
    /// Abandons the current file (`nextfile`).
    pub(crate) fn skip_file(&mut self) {
        self.cur = None;
    }
}

impl Interp<'_> {
    fn set_counter(&mut self, slot: u32, v: f64) {
        self.globals[slot as usize] = Cell::Val(Value::Num(v));
    }

    /// Reads the next main-input record into `$0`; false at the end of all input.
    pub(crate) fn next_main_record(&mut self) -> R<bool> {
        let mut text = std::mem::take(&mut self.rec.text);
        let r = self.next_main_into(&mut text);
        self.rec.text = text;
        if let Ok(true) = r {
            self.rec.reset();
        }
        r
    }

    /// Reads the next main-input record into `buf`, counting NR and FNR.
    pub(crate) fn next_main_into(&mut self, buf: &mut Vec<u8>) -> R<bool> {
        if self.input.done {
            return Ok(false);
        }
        if self.input.next_arg == 0 {
            self.input.next_arg = 1;
        }
        loop {
            if let Some(cur) = &mut self.input.cur {
                let got = match cur {
                    Current::Stdin => self.streams.stdin.read_record(&self.rs, buf),
                    Current::File(r) => r.read_record(&self.rs, buf),
                };
                let got = got.map_err(|e| {
                    Unwind::from(Error::new(ErrorKind::Io {
                        what: "error reading input".into(),
                        err: e,
                    }))
                })?;
                if got {
                    self.nr += 1.0;
                    self.fnr += 1.0;
                    self.set_counter(special::NR, self.nr);
                    self.set_counter(special::FNR, self.fnr);
                    return Ok(true);
                }
                self.input.cur = None;
            }
            if !self.open_next_operand()? {
                if !self.input.saw_file {
                    self.input.saw_file = true;
                    self.input.cur = Some(Current::Stdin);
                    continue;
                }
                // `buf` is untouched at the end, so END still sees the last record.
                self.input.done = true;
                return Ok(false);
            }
        }
    }

    /// Opens the next file operand, applying assignments on the way; false if none is left.
    fn open_next_operand(&mut self) -> R<bool> {
        loop {
            let argc = self.scalar(crate::ast::Var::Global(special::ARGC)).to_num();
            if (self.input.next_arg as f64) >= argc {
                return Ok(false);
            }
            let idx = self.input.next_arg;
            self.input.next_arg += 1;
            let arg = match &self.globals[special::ARGV as usize] {
                Cell::Arr(a) => a
                    .borrow()
                    .get(idx.to_string().as_bytes())
                    .map(|v| v.to_str(&self.convfmt)),
                Cell::Val(_) => None,
            };
            let Some(arg) = arg else { continue };
            if arg.is_empty() {
                continue;
            }
            if let Some((name, value)) = crate::cli::split_assignment(&arg) {
                self.assign_by_name(name, value)?;
                continue;
            }
            self.input.saw_file = true;
            let cur = if &arg[..] == b"-" || &arg[..] == b"/dev/stdin" {
                Current::Stdin
            } else {
                let path = crate::cli::os_path(&arg);
                if std::fs::metadata(&path)
                    .map(|m| m.is_dir())
                    .unwrap_or(false)
                {
                    self.streams.warn(&format!(
                        "awk: warning: command line argument `{}' is a directory: skipped",
                        String::from_utf8_lossy(&arg)
                    ));
                    continue;
                }
                match File::open(&path) {
                    Ok(f) => Current::File(RecordReader::new(Box::new(f))),
                    Err(e) => {
                        return Err(Unwind::from(Error::new(ErrorKind::Io {
                            what: format!(
                                "cannot open file `{}' for reading",
                                String::from_utf8_lossy(&arg)
                            ),
                            err: e,
                        })))
                    }
                }
            };
            self.globals[special::FILENAME as usize] = Cell::Val(Value::StrNum(arg));
            self.fnr = 0.0;
            self.set_counter(special::FNR, 0.0);
            self.input.cur = Some(cur);
            return Ok(true);
        }
    }

    /// `getline < file` / `getline var < file`: 1, 0 at EOF, -1 if it cannot be read.
    pub(crate) fn getline_file(&mut self, name: &[u8], buf: &mut Vec<u8>) -> R<f64> {
        let is_stdin = name == b"-" || name == b"/dev/stdin";
        if !is_stdin && !self.readers.contains_key(name) {
            let path = crate::cli::os_path(name);
            if std::fs::metadata(&path)
                .map(|m| m.is_dir())
                .unwrap_or(false)
            {
                return Ok(-1.0);
            }
            match File::open(&path) {
                Ok(f) => {
                    self.readers
                        .insert(name.to_vec(), RecordReader::new(Box::new(f)));
                }
                Err(_) => return Ok(-1.0),
            }
        }
        let r = if is_stdin {
            self.streams.stdin.read_record(&self.rs, buf)
        } else {
            match self.readers.get_mut(name) {
                Some(r) => r.read_record(&self.rs, buf),
                None => return Ok(-1.0),
            }
        };
        Ok(match r {
            Ok(true) => 1.0,
            Ok(false) => 0.0,
            Err(_) => -1.0,
        })
    }

    /// `cmd | getline`: commands cannot run here.
    pub(crate) fn getline_cmd(&mut self, cmd: &[u8]) -> R<f64> {
        Err(self.fail(format!(
            "cannot run command `{}' for `| getline': running commands is not supported in this sandbox",
            String::from_utf8_lossy(cmd)
        )))
    }

    /// Writes `bytes` to stdout or a redirection target.
    pub(crate) fn write_out(&mut self, dest: Option<(&[u8], bool)>, bytes: &[u8]) -> R<()> {
        self.streams.write_to(dest, bytes).map_err(Unwind::from)
    }

    /// `print | cmd`: commands cannot run here.
    pub(crate) fn pipe_out(&mut self, cmd: &[u8]) -> R<()> {
        Err(self.fail(format!(
            "cannot run command `{}' for `print | cmd': running commands is not supported in this sandbox",
            String::from_utf8_lossy(cmd)
        )))
    }

    /// `close(name)`: 0 if something was open under that name, else -1.
    pub(crate) fn close_stream(&mut self, name: &[u8]) -> f64 {
        let mut found = false;
        if let Some(mut f) = self.streams.files.remove(name) {
            found = true;
            if let Err(e) = f.flush() {
                self.streams.warn(&format!(
                    "awk: warning: error closing `{}': {}",
                    String::from_utf8_lossy(name),
                    describe_io(&e)
                ));
                return -1.0;
            }
        }
        if self.readers.remove(name).is_some() {
            found = true;
        }
        if name == b"/dev/stdout" || name == b"-" {
            let _ = self.streams.stdout.flush();
            found = true;
        }
        if found {
            0.0
        } else {
            -1.0
        }
    }

    /// `fflush()` / `fflush(name)`.
    pub(crate) fn flush_stream(&mut self, name: Option<&[u8]>) -> f64 {
        match name {
            None => {
                for f in self.streams.files.values_mut() {
                    let _ = f.flush();
                }
                let _ = self.streams.stdout.flush();
                0.0
            }
            Some(b"/dev/stdout" | b"-") => {
                let _ = self.streams.stdout.flush();
                0.0
            }
            Some(b"/dev/stderr") => {
                let _ = self.streams.stderr.flush();
                0.0
            }
            Some(n) => match self.streams.files.get_mut(n) {
                Some(f) => {
                    let _ = f.flush();
                    0.0
                }
                None => -1.0,
            },
        }
    }

    /// `system(cmd)`: flushes output; commands cannot run, so -1 with a warning.
    pub(crate) fn system(&mut self, cmd: &[u8]) -> f64 {
        self.flush_stream(None);
        if cmd.is_empty() {
            return 0.0;
        }
        self.streams.warn(&format!(
            "awk: warning: system(\"{}\"): running commands is not supported in this sandbox; returning -1",
            String::from_utf8_lossy(cmd)
        ));
        -1.0
    }

    /// Prints a warning line.
    pub(crate) fn warn(&mut self, msg: &str) {
        self.streams.warn(msg);
    }
}
