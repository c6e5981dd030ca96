//! The tree-walking interpreter.
//!
//! [`Interp`] holds all run-time state: global and local slots, the current record, the
//! cached forms of the special variables, open files and the main input. Its `impl` is split
//! by concern: expressions (`expr.rs`), statements and output (`stmt.rs`), built-ins
//! (`builtins.rs`), user calls (`call.rs`), input and output streams (`io.rs`).

mod builtins;
mod call;
mod expr;
mod io;
mod stmt;

use crate::array::Array;
use crate::ast::{Pattern, Program, Var, VarType};
use crate::ere::Regex;
use crate::error::Error;
use crate::fields::{FieldSep, Record};
use crate::record::RecordSep;
use crate::special;
use crate::value::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub use io::Streams;

/// A variable slot: a scalar or an array (shared when passed by reference).
pub(crate) enum Cell {
    Val(Value),
    Arr(Rc<RefCell<Array>>),
}

/// Non-local exits that travel through expression evaluation.
pub(crate) enum Unwind {
    /// `next`
    Next,
    /// `nextfile`
    Nextfile,
    /// `exit`; the status is in [`Interp::exit_code`].
    Exit,
    /// A fatal error (boxed: keeps `Result<Value, Unwind>` small on the hot paths).
    Error(Box<Error>),
}

impl From<Error> for Unwind {
    fn from(e: Error) -> Unwind {
        Unwind::Error(Box::new(e))
    }
}

pub(crate) type R<T> = Result<T, Unwind>;

/// How a statement finished.
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

/// Deepest user-function recursion allowed. In wasm, frames also use the engine's native
/// stack (wasmtime's `max_wasm_stack`, 512 KiB by default), which the guest cannot measure;
/// about 450 levels of a simple recursive function and 270 of a loop-heavy one fit in
/// the default, so stop before.
#[cfg(target_arch = "wasm32")]
const MAX_CALL_DEPTH: usize = 200;
#[cfg(not(target_arch = "wasm32"))]
const MAX_CALL_DEPTH: usize = 100_000;

/// Command-line assignments and operands to set up before running.
pub struct RunConfig {
    /// `-v name=value` assignments, applied before BEGIN.
    pub assigns: Vec<(String, Vec<u8>)>,
    /// ARGV[0].
    pub argv0: Vec<u8>,
    /// Operands (files and `name=value`), become ARGV[1..].
    pub operands: Vec<Vec<u8>>,
    /// Environment for ENVIRON.
    pub env: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The interpreter for one program run.
pub struct Interp<'p> {
    prog: &'p Program,
    globals: Vec<Cell>,
    stack: Vec<Cell>,
    base: usize,
    rec: Record,
    fs: FieldSep,
    rs: RecordSep,
    ofs: Vec<u8>,
    ors: Vec<u8>,
    subsep: Vec<u8>,
    convfmt: Vec<u8>,
    ofmt: Vec<u8>,
    nr: f64,
    fnr: f64,
    ranges: Vec<bool>,
    re_cache: HashMap<Vec<u8>, Rc<Regex>>,
    streams: Streams,
    input: io::MainInput,
    readers: HashMap<Vec<u8>, crate::record::RecordReader>,
    rand_state: u64,
    seed: f64,
    line: u32,
    exit_code: i32,
    depth: usize,
    print_buf: Vec<u8>,
    key_buf: Vec<u8>,
    uninit: Value,
    guard: crate::stack::StackGuard,
    pending_assigns: Vec<(String, Vec<u8>)>,
}

impl<'p> Interp<'p> {
    /// Prepares a run of `prog` over `streams`.
    pub fn new(prog: &'p Program, streams: Streams, cfg: RunConfig) -> Interp<'p> {
        let globals = prog
            .global_types
            .iter()
            .map(|t| match t {
                VarType::Array => Cell::Arr(Rc::new(RefCell::new(Array::default()))),
                _ => Cell::Val(Value::Uninit),
            })
            .collect();
        let mut it = Interp {
            prog,
            globals,
            stack: Vec::new(),
            base: 0,
            rec: Record::default(),
            fs: FieldSep::Space,
            rs: RecordSep::Byte(b'\n'),
            ofs: b" ".to_vec(),
            ors: b"\n".to_vec(),
            subsep: b"\x1c".to_vec(),
            convfmt: b"%.6g".to_vec(),
            ofmt: b"%.6g".to_vec(),
            nr: 0.0,
            fnr: 0.0,
            ranges: vec![false; prog.ranges],
            re_cache: HashMap::new(),
            streams,
            input: io::MainInput::default(),
            readers: HashMap::new(),
            rand_state: 0,
            seed: 0.0,
            line: 0,
            exit_code: 0,
            depth: 0,
            print_buf: Vec::new(),
            key_buf: Vec::new(),
            uninit: Value::Uninit,
            guard: crate::stack::StackGuard::new(),
            pending_assigns: cfg.assigns,
        };
        it.srand_with(0.0);
        let defaults: [(u32, &[u8]); 8] = [
            (special::FS, b" "),
            (special::OFS, b" "),
            (special::ORS, b"\n"),
            (special::RS, b"\n"),
            (special::SUBSEP, b"\x1c"),
            (special::CONVFMT, b"%.6g"),
            (special::OFMT, b"%.6g"),
            (special::FILENAME, b""),
        ];
        for (slot, v) in defaults {
            it.globals[slot as usize] = Cell::Val(Value::from_bytes(v));
        }
        for slot in [special::NR, special::FNR, special::NF, special::RSTART] {
            it.globals[slot as usize] = Cell::Val(Value::Num(0.0));
        }
        it.globals[special::RLENGTH as usize] = Cell::Val(Value::Num(-1.0));
        it.globals[special::ARGC as usize] = Cell::Val(Value::Num((cfg.operands.len() + 1) as f64));
        if let Cell::Arr(a) = &it.globals[special::ARGV as usize] {
            let mut a = a.borrow_mut();
            a.set(b"0", Value::from_bytes(&cfg.argv0));
            for (i, op) in cfg.operands.iter().enumerate() {
                a.set((i + 1).to_string().as_bytes(), Value::strnum(op));
            }
        }
        if let Cell::Arr(a) = &it.globals[special::ENVIRON as usize] {
            let mut a = a.borrow_mut();
            for (k, v) in &cfg.env {
                a.set(k, Value::strnum(v));
            }
        }
        it
    }

    /// Runs BEGIN, the main loop and END; returns the exit status.
    pub fn run(&mut self) -> i32 {
        self.guard = crate::stack::StackGuard::new();
        let r = self.run_inner();
        let flushed = self.streams.close_all();
        match r {
            Ok(()) => {
                if let Err(e) = flushed {
                    self.report(&e);
                    return 2;
                }
                self.exit_code
            }
            Err(e) => {
                self.report(&e);
                2
            }
        }
    }

    fn report(&mut self, e: &Error) {
        if let crate::error::ErrorKind::Io { err, .. } = e.kind() {
            if err.kind() == std::io::ErrorKind::BrokenPipe {
                return;
            }
        }
        self.streams.warn(&format!("awk: {e}"));
    }

    fn run_inner(&mut self) -> Result<(), Error> {
        let prog = self.prog;
        for (name, value) in std::mem::take(&mut self.pending_assigns) {
            self.assign_by_name(&name, &value)?;
        }
        let mut exited = false;
        match self.exec_block(&prog.begin) {
            Ok(_) => {}
            Err(Unwind::Exit) => exited = true,
            Err(Unwind::Error(e)) => return Err(*e),
            Err(Unwind::Next | Unwind::Nextfile) => {}
        }
        if !exited && (!prog.items.is_empty() || !prog.end.is_empty()) {
            match self.main_loop() {
                Ok(()) => {}
                Err(Unwind::Exit) => {}
                Err(Unwind::Error(e)) => return Err(*e),
                Err(Unwind::Next | Unwind::Nextfile) => {}
            }
        }
        match self.exec_block(&prog.end) {
            Ok(_) | Err(Unwind::Exit) | Err(Unwind::Next | Unwind::Nextfile) => Ok(()),
            Err(Unwind::Error(e)) => Err(*e),
        }
    }

    fn main_loop(&mut self) -> R<()> {
        let prog = self.prog;
        while self.next_main_record()? {
            for item in &prog.items {
                let matched = match &item.pattern {
                    Pattern::All => true,
                    Pattern::Expr(e) => self.eval_bool(e)?,
                    Pattern::Range(a, b, idx) => {
                        if self.ranges[*idx] {
                            if self.eval_bool(b)? {
                                self.ranges[*idx] = false;
                            }
                            true
                        } else if self.eval_bool(a)? {
                            if !self.eval_bool(b)? {
                                self.ranges[*idx] = true;
                            }
                            true
                        } else {
                            false
                        }
                    }
                };
                if !matched {
                    continue;
                }
                let r = match &item.action {
                    Some(stmts) => self.exec_block(stmts).map(|_| ()),
                    None => self.print_record(),
                };
                match r {
                    Ok(()) => {}
                    Err(Unwind::Next) => break,
                    Err(Unwind::Nextfile) => {
                        self.input.skip_file();
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    /// A runtime error at the current statement.
    pub(crate) fn fail(&self, msg: impl Into<String>) -> Unwind {
        Unwind::Error(Box::new(Error::runtime(self.line as usize, msg)))
    }

    /// Cached string forms of the special variables, refreshed after assignment.
    pub(crate) fn special_assigned(&mut self, slot: u32) -> R<()> {
        let val = match &self.globals[slot as usize] {
            Cell::Val(v) => v.clone(),
            Cell::Arr(_) => return Ok(()),
        };
        let bytes = |v: &Value, cf: &[u8]| -> Vec<u8> {
            let mut b = Vec::new();
            v.push_str(&mut b, cf);
            b
        };
        match slot {
            special::NF => {
                let n = val.to_num();
                if n < 0.0 || n.is_nan() {
                    return Err(self.fail(format!(
                        "NF set to negative value {}",
                        crate::number::format_number_plain(n)
                    )));
                }
                let n = n as usize;
                if n > expr::MAX_FIELDS {
                    return Err(self.fail(format!(
                        "NF set to {n}: more than {} fields",
                        expr::MAX_FIELDS
                    )));
                }
                self.rec.set_nf(n, &self.fs, &self.ofs, &self.convfmt);
            }
            special::NR => self.nr = val.to_num().trunc(),
            special::FNR => self.fnr = val.to_num().trunc(),
            special::FS => {
                // The current record keeps the separator it was read with.
                self.rec.ensure_split(&self.fs);
                let fs = bytes(&val, &self.convfmt);
                self.fs = self.field_sep_for(&fs)?;
            }
            special::RS => {
                let rs = bytes(&val, &self.convfmt);
                self.rs = RecordSep::from_rs(&rs).map_err(|m| self.fail(m))?;
                let fs = match &self.globals[special::FS as usize] {
                    Cell::Val(v) => bytes(v, &self.convfmt),
                    Cell::Arr(_) => b" ".to_vec(),
                };
                self.rec.ensure_split(&self.fs);
                self.fs = self.field_sep_for(&fs)?;
            }
            special::OFS => self.ofs = bytes(&val, &self.convfmt),
            special::ORS => self.ors = bytes(&val, &self.convfmt),
            special::SUBSEP => self.subsep = bytes(&val, &self.convfmt),
            special::CONVFMT => self.convfmt = bytes(&val, b"%.6g"),
            special::OFMT => self.ofmt = bytes(&val, &self.convfmt),
            _ => {}
        }
        Ok(())
    }

    fn field_sep_for(&self, fs: &[u8]) -> R<FieldSep> {
        let paragraph = matches!(self.rs, RecordSep::Paragraph);
        FieldSep::from_fs(fs, paragraph).map_err(|m| self.fail(m))
    }

    /// A command-line assignment `name=value` (from `-v` or an operand).
    pub(crate) fn assign_by_name(&mut self, name: &str, raw: &[u8]) -> Result<(), Error> {
        let value = Value::strnum(&crate::cli::process_escapes(raw));
        let Some(slot) = self.prog.global_names.iter().position(|n| n == name) else {
            // Not used by the program: nothing can observe it.
            return Ok(());
        };
        if self.prog.global_types[slot] == VarType::Array {
            return Err(Error::runtime(
                0,
                format!("cannot assign to `{name}': it is used as an array"),
            ));
        }
        match self.set_var(Var::Global(slot as u32), value) {
            Ok(()) => Ok(()),
            Err(Unwind::Error(e)) => Err(*e),
            Err(_) => Ok(()),
        }
    }

    /// The regex for a dynamic regex string, compiled once and cached.
    pub(crate) fn dynamic_regex(&mut self, src: &[u8]) -> R<Rc<Regex>> {
        if let Some(r) = self.re_cache.get(src) {
            return Ok(r.clone());
        }
        let re = Rc::new(Regex::new(src).map_err(|m| self.fail(m))?);
        if self.re_cache.len() > 1000 {
            self.re_cache.clear();
        }
        self.re_cache.insert(src.to_vec(), re.clone());
        Ok(re)
    }
}
