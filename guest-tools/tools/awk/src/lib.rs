//! `wa-awk`: a POSIX awk for the wasm-agent guest tools, GNU-compatible where POSIX
//! defines the behaviour.
//!
//! The pipeline is [`parser::parse_program`] (source text to an [`ast::Program`] whose
//! variables are resolved to slots, types inferred by [`resolve`]) and then
//! [`interp::Interp`], which walks the tree over the streams in [`interp::Streams`].
//! [`main`] is the multicall entry point; [`run`] is the same with injected streams, for
//! tests:
//!
//! ```
//! let mut out = Vec::new();
//! let status = wa_awk::run(
//!     &["awk", "-F,", "{ s += $2 } END { print s }"],
//!     Box::new(std::io::Cursor::new(b"a,1\nb,2\n".to_vec())),
//!     &mut out,
//!     &mut Vec::new(),
//! );
//! assert_eq!((status, out), (0, b"3\n".to_vec()));
//! ```
//!
//! Differences from gawk are listed in the crate's README.md.

pub mod array;
pub mod ast;
pub mod cli;
pub mod ere;
pub mod error;
pub mod fields;
pub mod format;
pub mod interp;
pub mod lexer;
pub mod number;
pub mod parser;
pub mod record;
pub mod resolve;
pub mod special;
pub mod stack;
pub mod text;
pub mod time;
pub mod value;

use std::ffi::OsString;
use std::io::{Read, Write};

/// Version line printed by `--version`.
pub const VERSION: &str = concat!("awk (wa-awk) ", env!("CARGO_PKG_VERSION"));

/// Multicall entry point: `args[0]` is the program name; uses the process's standard
/// streams and returns the exit status.
pub fn main(args: Vec<OsString>) -> i32 {
    let args: Vec<Vec<u8>> = args.iter().map(|a| cli::os_bytes(a)).collect();
    let env = std::env::vars_os()
        .map(|(k, v)| (cli::os_bytes(&k), cli::os_bytes(&v)))
        .collect();
    let stdout = std::io::stdout().lock();
    let stderr = std::io::stderr();
    run_bytes(
        &args,
        env,
        Box::new(std::io::stdin()),
        Box::new(stdout),
        Box::new(stderr),
    )
}

/// Runs awk with the given arguments (including argv[0]) over injected streams and an
/// empty environment; returns the exit status.
pub fn run<W1: Write, W2: Write>(
    args: &[&str],
    stdin: Box<dyn Read>,
    stdout: &mut W1,
    stderr: &mut W2,
) -> i32 {
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    let out = Shared::default();
    let err = Shared::default();
    let status = run_bytes(
        &args,
        Vec::new(),
        stdin,
        Box::new(out.clone()),
        Box::new(err.clone()),
    );
    let _ = stdout.write_all(&out.0.borrow());
    let _ = stderr.write_all(&err.0.borrow());
    status
}

/// A cloneable in-memory writer, so [`run`] can hand `'static` writers to the interpreter.
#[derive(Clone, Default)]
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs awk over byte arguments (including argv[0]), an environment and streams.
pub fn run_bytes(
    args: &[Vec<u8>],
    env: Vec<(Vec<u8>, Vec<u8>)>,
    stdin: Box<dyn Read>,
    stdout: Box<dyn Write>,
    mut stderr: Box<dyn Write>,
) -> i32 {
    let rest = if args.is_empty() { &[][..] } else { &args[1..] };
    let opts = match cli::parse_args(rest) {
        Ok(cli::Command::Run(o)) => o,
        Ok(cli::Command::Help) => {
            let mut out = stdout;
            let _ = out.write_all(cli::USAGE.as_bytes());
            let _ = out.flush();
            return 0;
        }
        Ok(cli::Command::Version) => {
            let mut out = stdout;
            let _ = writeln!(out, "{VERSION}");
            let _ = out.flush();
            return 0;
        }
        Err(e) => {
            let _ = writeln!(stderr, "awk: {e}");
            return e.exit_status();
        }
    };
    let mut warnings = Vec::new();
    let parsed = parser::parse_program(&opts.sources, &mut warnings);
    for w in &warnings {
        let _ = writeln!(stderr, "awk: {w}");
    }
    let prog = match parsed {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(stderr, "awk: {e}");
            return e.exit_status();
        }
    };
    let cfg = interp::RunConfig {
        assigns: opts.assigns,
        // ARGV[0] is "awk" whatever path the multicall was invoked by, as gawk uses its name.
        argv0: b"awk".to_vec(),
        operands: opts.operands,
        env,
    };
    let streams = interp::Streams::new(stdin, stdout, stderr);
    interp::Interp::new(&prog, streams, cfg).run()
}
