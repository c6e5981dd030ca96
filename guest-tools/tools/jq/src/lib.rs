//! `jq` for the sandbox: jq 1.7's command line and output over the jaq
//! interpreter.
//!
//! [`main`] is the multicall entry point; [`run`] is the same with explicit
//! streams, for tests. The parts: [`cli`] reads the command line into
//! [`cli::Options`], [`compile`] builds the jaq filter with jq-compatible
//! definitions, [`input`] streams JSON values or raw lines, [`print`] writes
//! values exactly like jq 1.7, and `value` is the JSON value type.
#![deny(missing_docs)]

extern crate alloc;

mod base32;
pub mod cli;
pub mod compile;
pub mod input;
pub mod numfmt;
pub mod print;
mod run;
pub mod value;

pub use run::status;

use std::ffi::OsString;
use std::io::{Read, Write};

/// Runs `jq` with `args` (`args[0]` is the program name) on the process's
/// standard streams and returns the exit status.
pub fn main(args: Vec<OsString>) -> i32 {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = run(&args, &mut stdin.lock(), &mut out, &mut stderr.lock());
    let _ = out.flush();
    code
}

/// Runs `jq` with `args` (`args[0]` is the program name) on the given streams.
pub fn run(
    args: &[OsString],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let opts = match cli::parse(args.get(1..).unwrap_or_default()) {
        Ok(o) => o,
        Err(cli::Exit::Print(text)) => {
            let _ = stdout.write_all(text.as_bytes());
            return status::OK;
        }
        Err(cli::Exit::Usage(text)) => {
            let _ = stderr.write_all(text.as_bytes());
            return status::SYSTEM;
        }
    };
    let code = run::run(&opts, stdin, stdout, stderr);
    let _ = stdout.flush();
    code
}

/// The strerror-style reason GNU tools print for an I/O error.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "No such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "Permission denied".to_owned(),
        ErrorKind::IsADirectory => "Is a directory".to_owned(),
        _ => {
            // std appends " (os error N)"; jq prints only the reason.
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}
