//! `diff` and `cmp` from uutils `diffutils`.
//!
//! diffutils 0.6 (library name `diffutilslib`) publishes its option parsers
//! and output formats as library modules, but `diff`'s `main` lives only in
//! its binary. [`diff_main`] is that `main` rebuilt from the public modules,
//! step for step, taking our argument vector and returning a plain status;
//! the output itself is produced entirely by upstream code. `cmp`'s `main` is
//! public and used as is (see [`cmp_main`]).
//!
//! Added on top: directory operands, `-r` and `-N` (diffutils 0.6 compares
//! two files only; see [`diff_recursive`]), and fixes to upstream's output
//! (see [`super::diff_output`]).

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::process::ExitCode;

use diffutilslib::cmp;
use diffutilslib::params;
use diffutilslib::utils::report_failure_to_read_input_file;

use super::diff_output::compare;
use super::diff_recursive;
use super::uutils::flush_stdout;

/// Exit status for "differences found" (GNU diff and cmp).
pub const DIFFERENT: i32 = 1;
/// Exit status for trouble: bad options, unreadable input (GNU diff and cmp).
pub const TROUBLE: i32 = 2;

/// `diff` up to its exit status: 0 when the files are the same, 1 when they
/// differ, 2 on trouble.
fn run_diff(args: Vec<OsString>) -> i32 {
    let switches = switches(&args);
    let (args, flags) = split_flags(args);
    let params = match params::parse_params(args.into_iter().peekable()) {
        Ok(params) => params,
        Err(message) => {
            eprintln!("{message}");
            return TROUBLE;
        }
    };
    if is_dir(&params.from) && is_dir(&params.to) {
        return diff_recursive::run(params, &switches, &flags);
    }
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
            if !(flags.new_file && err.kind() == io::ErrorKind::NotFound) {
                report_failure_to_read_input_file(&params.executable, path, &err);
                unreadable = true;
            }
            Vec::new()
        })
    };
    let from = read(&params.from);
    let to = read(&params.to);
    if unreadable {
        return TROUBLE;
    }

    let comparison = match compare(&params, &from, &to) {
        Ok(comparison) => comparison,
        Err(code) => return code,
    };
    if let Err(err) = io::stdout().write_all(&comparison.output) {
        eprintln!(
            "{}: write error: {err}",
            params.executable.to_string_lossy()
        );
        return TROUBLE;
    }
    if comparison.differ {
        DIFFERENT
    } else {
        report_identical();
        0
    }
}

/// Options of `diff` that the module implements itself, diffutils 0.6
/// not knowing them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ModuleFlags {
    /// `-r`, `--recursive`: compare directories recursively.
    pub recursive: bool,
    /// `-N`, `--new-file`: a missing file is compared as an empty one.
    pub new_file: bool,
}

/// `args` without the options in [`ModuleFlags`], with flag clusters such
/// as `-uq` split up (diffutils knows its flags one by one only), and the
/// module's flags that were found.
fn split_flags(args: Vec<OsString>) -> (Vec<OsString>, ModuleFlags) {
    let mut flags = ModuleFlags::default();
    let mut out = Vec::with_capacity(args.len());
    let mut options_ended = false;
    for (index, arg) in args.into_iter().enumerate() {
        let text = arg.to_str().unwrap_or_default();
        if index == 0 || options_ended || !text.starts_with('-') || text == "-" {
            out.push(arg);
        } else if text == "--" {
            options_ended = true;
            out.push(arg);
        } else if text == "--recursive" {
            flags.recursive = true;
        } else if text == "--new-file" {
            flags.new_file = true;
        } else if !text.starts_with("--") && text[1..].chars().all(|c| c.is_ascii_alphabetic()) {
            // Clusters with a value (`-U5`) hold digits and are left alone.
            for flag in text[1..].chars() {
                match flag {
                    'r' => flags.recursive = true,
                    'N' => flags.new_file = true,
                    _ => out.push(OsString::from(format!("-{flag}"))),
                }
            }
        } else {
            out.push(arg);
        }
    }
    (out, flags)
}

/// The options of a `diff` command line as GNU repeats them in the
/// `diff -r a/f b/f` lines of a recursive diff: every argument but the
/// program name and the last two operands.
fn switches(args: &[OsString]) -> String {
    let operands: Vec<usize> = args
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, arg)| arg.to_str().is_none_or(|a| a == "-" || !a.starts_with('-')))
        .map(|(index, _)| index)
        .collect();
    let skip = &operands[operands.len().saturating_sub(2)..];
    args.iter()
        .enumerate()
        .skip(1)
        .filter(|(index, _)| !skip.contains(index))
        .map(|(_, arg)| format!(" {}", arg.to_string_lossy()))
        .collect()
}

/// `path` names a directory (following symbolic links, as GNU diff does).
fn is_dir(path: &OsString) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| meta.is_dir())
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

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    fn flags(recursive: bool, new_file: bool) -> ModuleFlags {
        ModuleFlags {
            recursive,
            new_file,
        }
    }

    #[test]
    fn module_flags_are_taken_out() {
        assert_eq!(
            split_flags(os(&["diff", "-r", "a", "b"])),
            (os(&["diff", "a", "b"]), flags(true, false))
        );
        assert_eq!(
            split_flags(os(&["diff", "-ruN", "a", "b"])),
            (os(&["diff", "-u", "a", "b"]), flags(true, true))
        );
        assert_eq!(
            split_flags(os(&["diff", "--recursive", "--new-file", "a", "b"])).1,
            flags(true, true)
        );
    }

    #[test]
    fn flag_clusters_are_split() {
        assert_eq!(
            split_flags(os(&["diff", "-uq", "a", "b"])),
            (os(&["diff", "-u", "-q", "a", "b"]), flags(false, false))
        );
        assert_eq!(
            split_flags(os(&["diff", "-u", "a", "b"])),
            (os(&["diff", "-u", "a", "b"]), flags(false, false))
        );
    }

    #[test]
    fn module_flags_are_not_found_in_values_or_operands() {
        let args = os(&["diff", "--label=-r", "-U3", "--", "-r", "b"]);
        assert_eq!(split_flags(args.clone()), (args, flags(false, false)));
    }

    #[test]
    fn switches_are_the_options_in_order() {
        assert_eq!(switches(&os(&["diff", "-r", "-u", "a", "b"])), " -r -u");
        assert_eq!(switches(&os(&["diff", "a", "-ru", "b"])), " -ru");
        assert_eq!(switches(&os(&["diff", "a", "b"])), "");
    }

    #[test]
    fn exit_codes_convert_back_to_numbers() {
        assert_eq!(exit_status(ExitCode::SUCCESS), 0);
        assert_eq!(exit_status(ExitCode::FAILURE), 1);
        assert_eq!(exit_status(ExitCode::from(2)), 2);
        assert_eq!(exit_status(ExitCode::from(255)), 255);
    }
}
