//! `diff` and `cmp` from uutils `diffutils`.
//!
//! diffutils 0.6 (library name `diffutilslib`) publishes its option parsers
//! and output formats as library modules, but `diff`'s `main` lives only in
//! its binary. [`diff_main`] is that `main` rebuilt from the public modules,
//! step for step, taking our argument vector and returning a plain status;
//! the output itself is produced entirely by upstream code. `cmp`'s `main` is
//! public and used as is (see [`cmp_main`]).

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::process::ExitCode;

use diffutilslib::cmp;
use diffutilslib::params::{self, Format};
use diffutilslib::utils::report_failure_to_read_input_file;
use diffutilslib::{context_diff, ed_diff, normal_diff, side_by_side_diff, unified_diff};

use super::uutils::flush_stdout;

/// Exit status for "differences found" (GNU diff and cmp).
const DIFFERENT: i32 = 1;
/// Exit status for trouble: bad options, unreadable input (GNU diff and cmp).
const TROUBLE: i32 = 2;

/// `diff` up to its exit status: 0 when the files are the same, 1 when they
/// differ, 2 on trouble.
fn run_diff(args: Vec<OsString>) -> i32 {
    let params = match params::parse_params(args.into_iter().peekable()) {
        Ok(params) => params,
        Err(message) => {
            eprintln!("{message}");
            return TROUBLE;
        }
    };
    let report_identical = || {
        if params.report_identical_files {
            println!(
                "Files {} and {} are identical",
                params.from.to_string_lossy(),
                params.to.to_string_lossy(),
            );
        }
    };
    if params.from == "-" && params.to == "-"
        || same_file::is_same_file(&params.from, &params.to).unwrap_or(false)
    {
        report_identical();
        return 0;
    }

    let mut unreadable = false;
    let mut read = |path: &OsString| {
        read_input(path).unwrap_or_else(|err| {
            report_failure_to_read_input_file(&params.executable, path, &err);
            unreadable = true;
            Vec::new()
        })
    };
    let from = read(&params.from);
    let to = read(&params.to);
    if unreadable {
        return TROUBLE;
    }

    let output = match params.format {
        Format::Normal => normal_diff(&from, &to, &params),
        Format::Unified => unified_diff(&from, &to, &params),
        Format::Context => context_diff(&from, &to, &params),
        Format::Ed => match ed_diff(&from, &to, &params) {
            Ok(output) => output,
            Err(err) => {
                eprintln!("{err}");
                return TROUBLE;
            }
        },
        Format::SideBySide => side_by_side_diff(&from, &to, &mut io::stdout().lock(), &params),
    };
    if params.brief && !output.is_empty() {
        println!(
            "Files {} and {} differ",
            params.from.to_string_lossy(),
            params.to.to_string_lossy()
        );
    } else if let Err(err) = io::stdout().write_all(&output) {
        eprintln!(
            "{}: write error: {err}",
            params.executable.to_string_lossy()
        );
        return TROUBLE;
    }
    if output.is_empty() {
        report_identical();
        0
    } else {
        DIFFERENT
    }
}

/// The whole content of `path`, or of standard input for `-`.
fn read_input(path: &OsString) -> io::Result<Vec<u8>> {
    if path == "-" {
        let mut content = Vec::new();
        io::stdin().read_to_end(&mut content)?;
        Ok(content)
    } else {
        std::fs::read(path)
    }
}

/// Runs `diff` and flushes its output.
pub fn diff_main(args: Vec<OsString>) -> i32 {
    let code = run_diff(args);
    flush_stdout(code)
}

/// Runs `cmp`: exit 0 when the files are the same, 1 when they differ,
/// 2 on trouble.
///
/// Unlike `diff`, this is upstream's own `main`: the fields of
/// `cmp::Params` are private, so its steps cannot be rebuilt outside the
/// crate. It reads the process arguments itself; the ones the dispatcher
/// consumed before `args` (the module name, when the tool came from argv[1])
/// are skipped here the same way.
pub fn cmp_main(args: Vec<OsString>) -> i32 {
    let mut process_args = std::env::args_os();
    let consumed = process_args.len().saturating_sub(args.len());
    for _ in 0..consumed {
        process_args.next();
    }
    let status = cmp::main(process_args.peekable());
    flush_stdout(exit_status(status))
}

/// The number behind an `ExitCode`, which std does not expose: the `u8`
/// whose `ExitCode` equals it (an `ExitCode` can only be built from a `u8`
/// or as SUCCESS/FAILURE, which are 0 and 1).
fn exit_status(code: ExitCode) -> i32 {
    (0..=u8::MAX)
        .find(|&n| ExitCode::from(n) == code)
        .map_or(TROUBLE, i32::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_convert_back_to_numbers() {
        assert_eq!(exit_status(ExitCode::SUCCESS), 0);
        assert_eq!(exit_status(ExitCode::FAILURE), 1);
        assert_eq!(exit_status(ExitCode::from(2)), 2);
        assert_eq!(exit_status(ExitCode::from(255)), 255);
    }
}
