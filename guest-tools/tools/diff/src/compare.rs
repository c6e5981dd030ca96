//! Comparing two operands: files, standard input, directories, or missing
//! files standing for empty ones. This is GNU diff's `compare_files`: it
//! decides what the pair is (two texts, a file and a directory, two
//! directories, a file only on one side...) and prints the verdict or
//! hands the pair to the line comparison or the directory walk.

use std::io::{self, Read, Write};

use crate::analyze;
use crate::error::{self, Error};
use crate::format::{Printer, Side, Style};
use crate::hunk;
use crate::meta::{self, Kind, Meta};
use crate::options::getopt::{bytes, os};
use crate::options::Options;
use crate::quote;
use crate::text::Text;

/// Status: no differences.
pub const SAME: i32 = 0;
/// Status: differences found.
pub const DIFFERENT: i32 = 1;

/// One run of diff: options and streams.
pub struct Session<'a> {
    /// The options.
    pub opts: &'a Options,
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    stdin: &'a mut dyn Read,
    /// Standard input, once read: both sides of `diff - -` share it.
    stdin_data: Option<Vec<u8>>,
    /// Standard input was used up by an earlier comparison; GNU diff closes
    /// it then, so a later `-` (`--from-file - a b`) is an error.
    stdin_closed: bool,
}

/// The state of one side of a comparison (GNU's `desc` markers).
#[derive(Debug)]
pub enum State {
    /// Exists; `stat` succeeded.
    Present(Meta),
    /// Standard input (`-`).
    Stdin(Meta),
    /// Stands for an empty file (`-N`, or only in the other directory).
    Absent(Meta),
    /// `stat` failed.
    Failed(io::Error),
}

impl State {
    /// The file's metadata, if known.
    pub fn meta(&self) -> Option<&Meta> {
        match self {
            State::Present(m) | State::Stdin(m) | State::Absent(m) => Some(m),
            State::Failed(_) => None,
        }
    }

    fn is_dir(&self) -> bool {
        self.meta().is_some_and(|m| m.kind == Kind::Directory)
    }

    fn kind(&self) -> Option<Kind> {
        self.meta().map(|m| m.kind)
    }

    fn is_absent(&self) -> bool {
        matches!(self, State::Absent(_))
    }
}

/// One side: the path as shown and used, and its state.
#[derive(Debug)]
pub struct Operand {
    /// Path bytes (`-` for standard input).
    pub path: Vec<u8>,
    /// What is known about it.
    pub state: State,
}

/// The directories being compared around a pair of names.
pub struct Parent<'p> {
    /// The two directory paths.
    pub paths: [Vec<u8>; 2],
    /// Device and inode of each, for loop detection.
    pub ids: [Option<(u64, u64)>; 2],
    /// Whether each side stands for an empty directory.
    pub absent: [bool; 2],
    /// The enclosing pair.
    pub up: Option<&'p Parent<'p>>,
    /// Nesting depth (1 for the top directories).
    pub depth: usize,
}

impl<'a> Session<'a> {
    /// A session over the given streams.
    pub fn new(
        opts: &'a Options,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        stdin: &'a mut dyn Read,
    ) -> Self {
        Session {
            opts,
            out,
            err,
            stdin,
            stdin_data: None,
            stdin_closed: false,
        }
    }

    /// Compares two command-line operands.
    pub fn compare_operands(&mut self, a: &[u8], b: &[u8]) -> Result<i32, Error> {
        self.compare_files(None, Some(a), Some(b))
    }

    /// GNU's `compare_files`: with a `parent`, `name0`/`name1` are entry
    /// names in its directories (`None`: missing on that side); without,
    /// they are paths.
    pub fn compare_files(
        &mut self,
        parent: Option<&Parent>,
        name0: Option<&[u8]>,
        name1: Option<&[u8]>,
    ) -> Result<i32, Error> {
        let o = &self.opts.files;
        if let Some(parent) = parent {
            let both = name0.is_some() && name1.is_some();
            if !(both || (o.unidirectional_new_file && name1.is_some()) || o.new_file) {
                let name = name0.or(name1).unwrap_or_default();
                let dir = &parent.paths[usize::from(name0.is_none())];
                self.message(&[b"Only in ", dir, b": ", name, b"\n"])?;
                return Ok(DIFFERENT);
            }
        }
        let missing = [name0.is_none(), name1.is_none()];
        let n0 = name0.or(name1).unwrap_or_default();
        let n1 = name1.or(name0).unwrap_or_default();
        let paths = match parent {
            Some(p) => [join(&p.paths[0], n0), join(&p.paths[1], n1)],
            None => [n0.to_vec(), n1.to_vec()],
        };
        let states = self.stat_pair(&paths, missing, parent.is_none());
        let [s0, s1] = states;
        let mut ops = [
            Operand {
                path: paths[0].clone(),
                state: s0,
            },
            Operand {
                path: paths[1].clone(),
                state: s1,
            },
        ];

        let mut status = SAME;
        for op in &ops {
            if let State::Failed(e) = &op.state {
                error::report_io(self.err, &op.path, e).map_err(write_error)?;
                status = error::TROUBLE;
            }
        }

        // A file and a directory on the command line: compare the file with
        // the directory's entry of the same name.
        if status == SAME && parent.is_none() && ops[0].state.is_dir() != ops[1].state.is_dir() {
            let file = usize::from(ops[0].state.is_dir());
            let dir = 1 - file;
            if ops[file].path == b"-" {
                return Err(Error::Fatal("cannot compare '-' to a directory".into()));
            }
            let path = join(&ops[dir].path, last_component(&ops[file].path));
            match meta::stat(&os(&path), !o.no_dereference) {
                Ok(m) => ops[dir].state = State::Present(m),
                Err(e) => {
                    error::report_io(self.err, &path, &e).map_err(write_error)?;
                    status = error::TROUBLE;
                }
            }
            ops[dir].path = path;
        }

        if status == SAME {
            status = self.dispatch(parent, &ops, n0)?;
        }
        if status == SAME && self.opts.report_identical && !ops[0].state.is_dir() {
            let [a, b] = self.shown_names(&ops);
            self.message(&[b"Files ", &a, b" and ", &b, b" are identical\n"])?;
        }
        if status != SAME {
            // Like GNU diff, show the differences before going on, so that
            // they come before later error messages.
            self.out.flush().map_err(write_error)?;
        }
        Ok(status)
    }

    /// Stats both sides and applies `-N`/`--unidirectional-new-file`.
    fn stat_pair(&mut self, paths: &[Vec<u8>; 2], missing: [bool; 2], top: bool) -> [State; 2] {
        let o = &self.opts.files;
        let mut states: [Option<State>; 2] = [None, None];
        for f in 0..2 {
            if missing[f] {
                continue;
            }
            states[f] = Some(if f == 1 && paths[1] == paths[0] && states[0].is_some() {
                clone_state(states[0].as_ref().expect("checked above"))
            } else if paths[f] == b"-" {
                if self.stdin_closed {
                    State::Failed(io::Error::other("Bad file descriptor"))
                } else {
                    State::Stdin(meta::stdin_meta())
                }
            } else {
                match meta::stat(&os(&paths[f]), !o.no_dereference) {
                    Ok(m) => State::Present(m),
                    Err(e) => State::Failed(e),
                }
            });
        }
        let mut absent = missing;
        for f in 0..2 {
            if !(o.new_file || (f == 0 && o.unidirectional_new_file)) {
                continue;
            }
            let other_ok = matches!(states[1 - f], Some(State::Present(_) | State::Stdin(_)));
            absent[f] |= match &states[f] {
                Some(State::Present(m)) => m.kind == Kind::Regular && m.no_access && m.size == 0,
                Some(State::Failed(e)) => e.kind() == io::ErrorKind::NotFound && top && other_ok,
                _ => false,
            };
        }
        let kinds = [
            states[0].as_ref().and_then(State::kind),
            states[1].as_ref().and_then(State::kind),
        ];
        [0, 1].map(|f| {
            if absent[f] {
                State::Absent(Meta::absent(kinds[1 - f].unwrap_or(Kind::Regular)))
            } else {
                states[f].take().expect("present unless absent")
            }
        })
    }

    /// Everything after the files are known to exist (or stand for empty
    /// ones): what kind of pair this is and how to compare it.
    fn dispatch(
        &mut self,
        parent: Option<&Parent>,
        ops: &[Operand; 2],
        name0: &[u8],
    ) -> Result<i32, Error> {
        let o = &self.opts.files;
        let (s0, s1) = (&ops[0].state, &ops[1].state);
        if s0.is_absent() && s1.is_absent() {
            return Ok(SAME);
        }
        let no_diff_means_no_output = self.opts.output.no_diff_means_no_output();
        if let (Some(m0), Some(m1)) = (s0.meta(), s1.meta()) {
            if !s0.is_absent() && !s1.is_absent() && m0.same_file(m1) && no_diff_means_no_output {
                return Ok(SAME);
            }
        }
        let (dir0, dir1) = (s0.is_dir(), s1.is_dir());
        if dir0 && dir1 {
            if self.opts.output.style == Style::Ifdef {
                return Err(Error::Fatal(
                    "-D option not supported with directories".into(),
                ));
            }
            if parent.is_some() && !o.recursive {
                self.message(&[
                    b"Common subdirectories: ",
                    &ops[0].path,
                    b" and ",
                    &ops[1].path,
                    b"\n",
                ])?;
                return Ok(SAME);
            }
            return self.diff_dirs(parent, ops);
        }
        let reg_or_link = |s: &State| matches!(s.kind(), Some(Kind::Regular | Kind::Symlink));
        if dir0 || dir1 || (parent.is_some() && !(reg_or_link(s0) && reg_or_link(s1))) {
            if s0.is_absent() || s1.is_absent() {
                if (dir0 || dir1)
                    && o.recursive
                    && (o.new_file || (o.unidirectional_new_file && s0.is_absent()))
                {
                    return self.diff_dirs(parent, ops);
                }
                let dir = parent
                    .map(|p| p.paths[usize::from(s0.is_absent())].clone())
                    .unwrap_or_default();
                self.message(&[b"Only in ", &dir, b": ", name0, b"\n"])?;
                return Ok(DIFFERENT);
            }
            return self.different_kinds(ops);
        }
        if s0.kind() == Some(Kind::Symlink) || s1.kind() == Some(Kind::Symlink) {
            return self.compare_symlinks(ops);
        }
        if self.treat_as_binary() {
            if let (Some(m0), Some(m1)) = (s0.meta(), s1.meta()) {
                if m0.kind == Kind::Regular
                    && m1.kind == Kind::Regular
                    && m0.size != m1.size
                    && m0.size > 0
                    && m1.size > 0
                {
                    let [a, b] = self.shown_names(ops);
                    self.message(&[b"Files ", &a, b" and ", &b, b" differ\n"])?;
                    return Ok(DIFFERENT);
                }
            }
        }
        self.diff_2_files(parent, ops)
    }

    fn different_kinds(&mut self, ops: &[Operand; 2]) -> Result<i32, Error> {
        let [a, b] = self.shown_names(ops);
        let d0 = ops[0].state.meta().map_or("weird file", Meta::describe);
        let d1 = ops[1].state.meta().map_or("weird file", Meta::describe);
        self.message(&[
            b"File ",
            &a,
            b" is a ",
            d0.as_bytes(),
            b" while file ",
            &b,
            b" is a ",
            d1.as_bytes(),
            b"\n",
        ])?;
        Ok(DIFFERENT)
    }

    /// `--no-dereference`: two links are equal when their targets are.
    fn compare_symlinks(&mut self, ops: &[Operand; 2]) -> Result<i32, Error> {
        if ops.iter().any(|op| op.state.kind() != Some(Kind::Symlink)) {
            return self.different_kinds(ops);
        }
        let mut targets = Vec::with_capacity(2);
        for op in ops {
            match std::fs::read_link(os(&op.path)) {
                Ok(t) => targets.push(bytes(t.as_os_str())),
                Err(e) => {
                    error::report_io(self.err, &op.path, &e).map_err(write_error)?;
                    return Ok(error::TROUBLE);
                }
            }
        }
        if targets[0] == targets[1] {
            return Ok(SAME);
        }
        self.message(&[
            b"Symbolic links ",
            &ops[0].path,
            b" and ",
            &ops[1].path,
            b" differ\n",
        ])?;
        Ok(DIFFERENT)
    }

    /// `-q` without options that make unequal bytes equal lines: the files
    /// are compared as bytes.
    fn treat_as_binary(&self) -> bool {
        let o = self.opts;
        o.brief
            && !o.output.ignorable.active()
            && !o.compare.ignore_case
            && !o.strip_trailing_cr
            && o.compare.white_space == analyze::WhiteSpace::None
    }

    /// The names messages use: the labels if given, else the paths.
    fn shown_names(&self, ops: &[Operand; 2]) -> [Vec<u8>; 2] {
        [0, 1].map(|f| {
            self.opts.output.labels[f]
                .clone()
                .unwrap_or_else(|| ops[f].path.clone())
        })
    }

    /// Compares the contents of two non-directories (GNU's `diff_2_files`).
    fn diff_2_files(&mut self, parent: Option<&Parent>, ops: &[Operand; 2]) -> Result<i32, Error> {
        let status = self.diff_contents(parent, ops);
        if ops.iter().any(|op| matches!(op.state, State::Stdin(_))) {
            self.stdin_closed = true;
            self.stdin_data = None;
        }
        status
    }

    fn diff_contents(&mut self, parent: Option<&Parent>, ops: &[Operand; 2]) -> Result<i32, Error> {
        let mut data: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
        let mut failed = false;
        for f in 0..2 {
            match self.read(&ops[f]) {
                Ok(d) => data[f] = d,
                Err(e) => {
                    error::report_io(self.err, &ops[f].path, &e).map_err(write_error)?;
                    failed = true;
                }
            }
        }
        if failed {
            return Ok(error::TROUBLE);
        }
        let binary = self.treat_as_binary()
            || (!self.opts.text && (0..2).any(|f| looks_binary(&data[f], ops[f].state.meta())));
        if binary {
            if data[0] == data[1] {
                return Ok(SAME);
            }
            let [a, b] = self.shown_names(ops);
            let what: &[u8] = if self.opts.brief {
                b"Files "
            } else {
                b"Binary files "
            };
            self.message(&[what, &a, b" and ", &b, b" differ\n"])?;
            return Ok(DIFFERENT);
        }
        let [d0, d1] = data;
        let texts = [
            Text::new(d0, self.opts.strip_trailing_cr),
            Text::new(d1, self.opts.strip_trailing_cr),
        ];
        let changes = analyze::diff(&texts[0], &texts[1], &self.opts.compare);
        let ignorable = &self.opts.output.ignorable;
        let differ = if ignorable.active() {
            changes.iter().any(|c| {
                hunk::analyze(std::slice::from_ref(c), &texts[0], &texts[1], ignorable).is_some()
            })
        } else {
            !changes.is_empty()
        };
        let mut status = if differ { DIFFERENT } else { SAME };
        if self.opts.brief {
            if differ {
                let [a, b] = self.shown_names(ops);
                self.message(&[b"Files ", &a, b" and ", &b, b" differ\n"])?;
            }
        } else if differ || !self.opts.output.no_diff_means_no_output() {
            let names = self.shown_names(ops);
            let header = parent.map(|_| {
                let mut h = b"diff".to_vec();
                h.extend_from_slice(&self.opts.switch_string);
                for name in &names {
                    h.push(b' ');
                    h.extend(quote::header_name(name));
                }
                h.push(b'\n');
                h
            });
            let mtime = |f: usize| ops[f].state.meta().map_or((0, 0), |m| m.mtime);
            let sides = [
                Side {
                    text: &texts[0],
                    name: &names[0],
                    mtime: mtime(0),
                },
                Side {
                    text: &texts[1],
                    name: &names[1],
                    mtime: mtime(1),
                },
            ];
            let mut printer = Printer::new(self.out, &self.opts.output, sides, header);
            printer.print(&changes).map_err(write_error)?;
        }
        if !self.opts.output.style.robust() {
            let names = self.shown_names(ops);
            for f in 0..2 {
                if texts[f].missing_newline() {
                    self.out.flush().map_err(write_error)?;
                    let mut msg = b"diff: ".to_vec();
                    msg.extend_from_slice(&names[f]);
                    msg.extend_from_slice(b": No newline at end of file\n\n");
                    self.err.write_all(&msg).map_err(write_error)?;
                    status = error::TROUBLE;
                }
            }
        }
        Ok(status)
    }

    fn read(&mut self, op: &Operand) -> io::Result<Vec<u8>> {
        match &op.state {
            State::Absent(_) => Ok(Vec::new()),
            State::Stdin(_) => {
                if self.stdin_closed {
                    return Err(io::Error::other("Bad file descriptor"));
                }
                if self.stdin_data.is_none() {
                    let mut buf = Vec::new();
                    self.stdin.read_to_end(&mut buf)?;
                    self.stdin_data = Some(buf);
                }
                Ok(self.stdin_data.clone().unwrap_or_default())
            }
            _ => std::fs::read(os(&op.path)),
        }
    }

    /// Writes a message made of parts to standard output.
    pub fn message(&mut self, parts: &[&[u8]]) -> Result<(), Error> {
        for part in parts {
            self.out.write_all(part).map_err(write_error)?;
        }
        Ok(())
    }
}

/// A write to standard output failed: stop with status 2.
pub fn write_error(e: io::Error) -> Error {
    Error::Io {
        path: b"standard output".to_vec(),
        error: e,
    }
}

fn clone_state(s: &State) -> State {
    match s {
        State::Present(m) => State::Present(m.clone()),
        State::Stdin(m) => State::Stdin(m.clone()),
        State::Absent(m) => State::Absent(m.clone()),
        State::Failed(e) => State::Failed(io::Error::new(e.kind(), e.to_string())),
    }
}

/// A file is binary when its first block (as much as GNU diff reads at
/// once) holds a NUL byte.
fn looks_binary(data: &[u8], meta: Option<&Meta>) -> bool {
    let block = meta.map_or(4096, |m| m.blksize.max(4096));
    memchr::memchr(0, &data[..data.len().min(block)]).is_some()
}

/// `dir/name`, without doubling a slash `dir` already ends with.
pub fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = dir.to_vec();
    if !p.is_empty() && !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

/// The last component of a path (`a/b` -> `b`; a trailing slash stays).
pub fn last_component(path: &[u8]) -> &[u8] {
    let trimmed = path.len() - path.iter().rev().take_while(|&&b| b == b'/').count();
    let start = path[..trimmed]
        .iter()
        .rposition(|&b| b == b'/')
        .map_or(0, |i| i + 1);
    &path[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_splits_paths_like_gnu() {
        assert_eq!(join(b"old", b"a.txt"), b"old/a.txt");
        assert_eq!(join(b"old/", b"a.txt"), b"old/a.txt");
        assert_eq!(last_component(b"old/a.txt"), b"a.txt");
        assert_eq!(last_component(b"a.txt"), b"a.txt");
        assert_eq!(last_component(b"d/sub/"), b"sub/");
    }
}
