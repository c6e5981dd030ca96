//! Compiling the filter and running it over the inputs, with jq's exit codes.

use crate::cli::Options;
use crate::compile::{self, Data, DataKind};
use crate::input::{InputError, Inputs, Position};
use crate::value::Val;
use jaq_core::{Ctx, Vars};
use jaq_std::input::RcIter;
use std::cell::RefCell;
use std::io::{Read, Write};

/// jq's exit statuses.
pub mod status {
    /// Success.
    pub const OK: i32 = 0;
    /// `-e`: the last output was `false` or `null`.
    pub const NULL_KIND: i32 = 1;
    /// Usage error or system error (unreadable file, bad input JSON).
    pub const SYSTEM: i32 = 2;
    /// The filter does not compile.
    pub const COMPILE: i32 = 3;
    /// `-e`: there was no output at all.
    pub const NO_OUTPUT: i32 = 4;
    /// The filter raised an error that nothing caught.
    pub const RUNTIME: i32 = 5;
}

/// Result of running the filter on one input, as jq's `process()` reports it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    NoOutput,
    /// At least one output; whether the last one was truthy.
    Output(bool),
    Error,
    Halt(i32),
}

/// Writes output values per the command line.
struct Printer<'o> {
    opts: &'o Options,
    out: &'o mut dyn Write,
    buf: Vec<u8>,
}

impl Printer<'_> {
    fn print(&mut self, v: &Val) -> std::io::Result<()> {
        let o = self.opts;
        self.buf.clear();
        if o.seq {
            self.buf.push(0x1e);
        }
        match v {
            Val::TStr(s) | Val::BStr(s) if o.raw_output && !o.format.ascii => {
                self.buf.extend_from_slice(s)
            }
            // jq prints `-r -a` strings quoted, so the escapes stay readable.
            _ => o.format.write(&mut self.buf, v),
        }
        if o.raw_output0 {
            self.buf.push(0);
        } else if !o.join_output {
            self.buf.push(b'\n');
        }
        self.out.write_all(&self.buf)
    }
}

/// Runs jq with parsed options; returns the exit status.
pub fn run(
    opts: &Options,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let filter = match compile::compile(opts) {
        Ok(f) => f,
        Err(msg) => {
            let _ = stderr.write_all(msg.as_bytes());
            return status::COMPILE;
        }
    };
    let position = Position::default();
    let input_error: RefCell<Option<InputError>> = RefCell::new(None);
    let err_out: RefCell<&mut dyn Write> = RefCell::new(stderr);
    let inputs = Inputs::new(opts.sources.clone(), opts.input_mode, stdin, &position);

    let stream: Box<dyn Iterator<Item = Result<Val, String>> + '_> = if opts.slurp {
        Box::new(std::iter::once(inputs.slurp()).map(|r| r.map_err(|e| record(&input_error, e))))
    } else {
        Box::new(inputs.map(|r| r.map_err(|e| record(&input_error, e))))
    };
    let stream = RcIter::new(stream);
    let data = Data {
        lut: &filter.lut,
        inputs: &stream,
        position: &position,
        stderr: &err_out,
    };
    let ctx = Ctx::<DataKind>::new(&data, Vars::new(compile::var_values(opts)));

    let mut printer = Printer {
        opts,
        out: stdout,
        buf: Vec::new(),
    };
    let mut ret = Outcome::NoOutput;
    let mut last_output: Option<bool> = None;
    let mut system_error = false;

    let run_one = |input: Val, printer: &mut Printer| -> Outcome {
        let mut outcome = Outcome::NoOutput;
        for y in filter.id.run((ctx.clone(), input)) {
            match y {
                Ok(v) => {
                    if let Err(e) = printer.print(&v) {
                        if e.kind() != std::io::ErrorKind::BrokenPipe {
                            let msg = format!(
                                "jq: error: writing output failed: {}\n",
                                crate::io_reason(&e)
                            );
                            let _ = err_out.borrow_mut().write_all(msg.as_bytes());
                        }
                        return Outcome::Halt(status::SYSTEM);
                    }
                    outcome = Outcome::Output(!matches!(v, Val::Null | Val::Bool(false)));
                }
                Err(exn) => match exn.get_err() {
                    Ok(err) => {
                        report_error(&mut **err_out.borrow_mut(), &position, err.into_val());
                        return Outcome::Error;
                    }
                    Err(exn) => match exn.get_halt() {
                        Ok(code) => return Outcome::Halt(code),
                        Err(_) => return Outcome::Error,
                    },
                },
            }
        }
        outcome
    };

    if opts.null_input {
        ret = run_one(Val::Null, &mut printer);
        if let Outcome::Output(b) = ret {
            last_output = Some(b);
        }
    } else {
        for item in &stream {
            match item {
                Ok(v) => {
                    ret = run_one(v, &mut printer);
                    match ret {
                        Outcome::Output(b) => last_output = Some(b),
                        Outcome::Halt(_) => break,
                        _ => {}
                    }
                }
                Err(_) => break,
            }
        }
    }
    // An input error ends the run; the filter may also have hit it via `input`.
    if let Some(e) = input_error.borrow_mut().take() {
        let msg = match e {
            InputError::Open(m) => format!("jq: error: {m}\n"),
            InputError::Parse(m) => format!("jq: error (at {}): {m}\n", position.describe()),
        };
        let _ = err_out.borrow_mut().write_all(msg.as_bytes());
        system_error = true;
    }
    let _ = printer.out.flush();
    if let Outcome::Halt(code) = ret {
        return code;
    }
    if system_error {
        return status::SYSTEM;
    }
    match (ret, opts.exit_status) {
        (Outcome::Error, _) => status::RUNTIME,
        (_, false) => status::OK,
        (Outcome::Output(true), true) => status::OK,
        (Outcome::Output(false), true) => status::NULL_KIND,
        (_, true) => match last_output {
            None => status::NO_OUTPUT,
            Some(false) => status::NULL_KIND,
            Some(true) => status::OK,
        },
    }
}

fn record(slot: &RefCell<Option<InputError>>, e: InputError) -> String {
    let msg = match &e {
        InputError::Open(m) | InputError::Parse(m) => m.clone(),
    };
    *slot.borrow_mut() = Some(e);
    msg
}

/// `jq: error (at <stdin>:1): msg`, or `(not a string): json` for other values.
fn report_error(err: &mut dyn Write, position: &Position, v: Val) {
    let at = position.describe();
    let msg = match &v {
        Val::TStr(s) | Val::BStr(s) => {
            format!("jq: error (at {at}): {}\n", String::from_utf8_lossy(s))
        }
        v => format!("jq: error (at {at}) (not a string): {v}\n"),
    };
    let _ = err.write_all(msg.as_bytes());
}
