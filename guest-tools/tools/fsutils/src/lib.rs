//! `stat` and `du` for the sandbox, written over `std::fs` (no crate fits
//! and uutils lacks both under WASI).
//!
//! [`meta::Info`] gathers what both need, portably: on Unix from
//! `MetadataExt`, under WASI from the host's filestat, with what WASI does
//! not report (owner, permission bits, block counts) filled in as
//! documented there. [`stat_main`] and [`du_main`] are the multicall entry
//! points; [`stat_run`] and [`du_run`] take explicit streams for tests.
#![deny(missing_docs)]

mod about;
pub mod du;
pub mod meta;
mod names;
pub mod stat;
mod time;

use std::ffi::OsString;
use std::io::Write;

/// Runs `stat` on the given streams.
pub fn stat_run(args: &[OsString], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    stat::run(args, stdout, stderr)
}

/// Runs `du` on the given streams.
pub fn du_run(args: &[OsString], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    du::run(args, stdout, stderr)
}

fn with_std_streams(f: impl FnOnce(&mut dyn Write, &mut dyn Write) -> i32) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = f(&mut out, &mut stderr.lock());
    let _ = out.flush();
    code
}

/// `stat` entry point for the multicall module.
pub fn stat_main(args: Vec<OsString>) -> i32 {
    with_std_streams(|o, e| stat_run(&args, o, e))
}

/// `du` entry point for the multicall module.
pub fn du_main(args: Vec<OsString>) -> i32 {
    with_std_streams(|o, e| du_run(&args, o, e))
}

/// The strerror-style reason GNU tools print for an I/O error.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "No such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "Permission denied".to_owned(),
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
