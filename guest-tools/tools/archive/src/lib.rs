//! Archive tools for the sandbox: `gzip`, `gunzip`, `zcat` (flate2 with the
//! pure-Rust miniz_oxide backend) and `tar` (the `tar` crate), following the
//! GNU tools' options, messages and exit statuses.
//!
//! Each `*_main` takes the full argument vector (`args[0]` is the program
//! name), uses the process's standard streams and returns the exit status;
//! [`gzip_run`] and [`tar_run`] do the same over given streams, for tests.
#![deny(missing_docs)]

pub mod gzip;
pub mod tar;

use std::ffi::OsString;
use std::io::{Read, Write};

/// gzip's exit statuses, ordered so that `max` keeps the most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// 0
    Ok,
    /// 2: something was skipped (existing output, wrong suffix, ...).
    Warning,
    /// 1: an operand failed.
    Error,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> i32 {
        match self {
            Status::Ok => 0,
            Status::Warning => 2,
            Status::Error => 1,
        }
    }
}

/// Runs gzip (as `gzip`, `gunzip` or `zcat`, chosen by `preset`) on the
/// given streams.
pub fn gzip_run(
    args: &[OsString],
    preset: gzip::Options,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    match gzip::parse(args.get(1..).unwrap_or_default(), preset) {
        Ok(o) => gzip::run(&o, stdin, stdout, stderr).code(),
        Err((status, text)) => {
            let out: &mut dyn Write = if status == Status::Ok { stdout } else { stderr };
            let _ = out.write_all(text.as_bytes());
            status.code()
        }
    }
}

fn with_std_streams(f: impl FnOnce(&mut dyn Read, &mut dyn Write, &mut dyn Write) -> i32) -> i32 {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = f(&mut stdin.lock(), &mut out, &mut stderr.lock());
    let _ = out.flush();
    code
}

/// `gzip` entry point for the multicall module.
pub fn gzip_main(args: Vec<OsString>) -> i32 {
    with_std_streams(|i, o, e| gzip_run(&args, gzip::defaults(), i, o, e))
}

/// `gunzip` entry point: `gzip -d`.
pub fn gunzip_main(args: Vec<OsString>) -> i32 {
    let preset = gzip::Options {
        decompress: true,
        ..gzip::defaults()
    };
    with_std_streams(|i, o, e| gzip_run(&args, preset, i, o, e))
}

/// `zcat` entry point: `gzip -dc`.
pub fn zcat_main(args: Vec<OsString>) -> i32 {
    let preset = gzip::Options {
        decompress: true,
        stdout: true,
        ..gzip::defaults()
    };
    with_std_streams(|i, o, e| gzip_run(&args, preset, i, o, e))
}

/// Runs tar on the given streams.
pub fn tar_run(
    args: &[OsString],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    tar::run(args, stdin, stdout, stderr)
}

/// `tar` entry point for the multicall module.
pub fn tar_main(args: Vec<OsString>) -> i32 {
    with_std_streams(|i, o, e| tar_run(&args, i, o, e))
}

/// The strerror-style reason GNU tools print for an I/O error.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "No such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "Permission denied".to_owned(),
        ErrorKind::AlreadyExists => "File exists".to_owned(),
        ErrorKind::IsADirectory => "Is a directory".to_owned(),
        ErrorKind::NotADirectory => "Not a directory".to_owned(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}
