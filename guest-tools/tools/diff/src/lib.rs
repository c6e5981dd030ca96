//! `diff` compatible with GNU diffutils 3.8, for the wasm-agent sandbox.
//!
//! The multicall module calls [`diff_main`]; tests call [`diff_run`] with
//! their own streams. A run goes:
//!
//! 1. [`options`]: the command line becomes [`options::Options`];
//! 2. [`compare`]: each pair of operands is classified (files, directories,
//!    standard input, missing files) and [`dir`] walks directories;
//! 3. [`analyze`]: two [`text::Text`]s become a list of
//!    [`analyze::Change`]s, with GNU's algorithm and heuristics so that
//!    hunks come out the same;
//! 4. [`format`](mod@format): the changes are printed (normal, context, unified, ed,
//!    RCS, side by side), hunks grouped and ignorable ones dropped by
//!    [`hunk`].
//!
//! ```
//! let args: Vec<std::ffi::OsString> = vec!["diff".into(), "--version".into()];
//! let (mut out, mut err) = (Vec::new(), Vec::new());
//! let status = wa_diff::diff_run(&args, &mut std::io::empty(), &mut out, &mut err);
//! assert_eq!(status, 0);
//! assert!(String::from_utf8(out).unwrap().starts_with("diff "));
//! ```
#![deny(missing_docs)]

pub mod analyze;
pub mod compare;
pub mod dir;
pub mod error;
pub mod format;
pub mod glob;
pub mod hunk;
pub mod meta;
pub mod options;
pub mod quote;
pub mod regex;
pub mod text;
pub mod timefmt;

use std::ffi::OsString;
use std::io::{Read, Write};

use compare::Session;
use error::{Error, TROUBLE};
use options::getopt::bytes;
use options::{Command, Env};

/// Runs diff on the given streams with the process environment; returns
/// the exit status (0 same, 1 different, 2 trouble).
pub fn diff_run(
    args: &[OsString],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    diff_run_env(args, &Env::from_process(), stdin, stdout, stderr)
}

/// [`diff_run`] with an explicit environment (`TZ`, locale).
pub fn diff_run_env(
    args: &[OsString],
    env: &Env,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let opts = match options::parse(args, env) {
        Ok(Command::Diff(opts)) => opts,
        Ok(Command::Help) => {
            return finish(stdout.write_all(options::help::HELP.as_bytes()), 0, stderr)
        }
        Ok(Command::Version) => {
            return finish(
                stdout.write_all(options::help::version().as_bytes()),
                0,
                stderr,
            )
        }
        Err(e) => {
            e.report(stderr);
            return TROUBLE;
        }
    };
    let mut session = Session::new(&opts, stdout, stderr, stdin);
    let result = run(&mut session);
    let flushed = session.out.flush();
    match result {
        Ok(status) => finish(flushed, status, stderr),
        Err(e) => {
            if !is_broken_pipe(&e) {
                e.report(stderr);
            }
            TROUBLE
        }
    }
}

fn run(session: &mut Session) -> Result<i32, Error> {
    let opts = session.opts;
    let mut status = 0;
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = match (&opts.from_file, &opts.to_file) {
        (Some(from), _) => opts
            .operands
            .iter()
            .map(|o| (bytes(from), bytes(o)))
            .collect(),
        (None, Some(to)) => opts
            .operands
            .iter()
            .map(|o| (bytes(o), bytes(to)))
            .collect(),
        (None, None) => vec![(bytes(&opts.operands[0]), bytes(&opts.operands[1]))],
    };
    for (a, b) in pairs {
        status = status.max(session.compare_operands(&a, &b)?);
    }
    Ok(status)
}

fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { error, .. } if error.kind() == std::io::ErrorKind::BrokenPipe)
}

/// The status after the final flush of standard output.
fn finish(flushed: std::io::Result<()>, status: i32, stderr: &mut dyn Write) -> i32 {
    match flushed {
        Ok(()) => status,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => TROUBLE,
        Err(e) => {
            let _ = writeln!(stderr, "diff: standard output: {}", error::reason(&e));
            TROUBLE
        }
    }
}

/// Entry point for the multicall module: `args[0]` is the command name.
pub fn diff_main(args: Vec<OsString>) -> i32 {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut err = stderr.lock();
    diff_run(&args, &mut stdin.lock(), &mut out, &mut err)
}
