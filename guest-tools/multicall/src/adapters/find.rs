//! `find` from uutils `findutils`.
//!
//! `-exec`, `-execdir`, `-ok` and `-okdir` parse but cannot run anything: a
//! WASI guest cannot spawn processes.
//!
//! findutils 0.11 reports a missing starting point as
//! `Error: nope: No such file or directory (os error 44)`, showing the WASI
//! errno. The module checks the starting points first and reports missing
//! ones as GNU find does (`find: 'nope': No such file or directory`, status
//! 1), then lets findutils walk the others.

use std::ffi::OsString;
use std::ops::Range;

use super::uutils::flush_stdout;

/// Runs `find`: exit 0 when every file was visited, 1 otherwise.
pub fn main(args: Vec<OsString>) -> i32 {
    uucore::panic::mute_sigpipe_panic();
    // findutils takes its arguments as `&str`; reject other bytes with a
    // message instead of guessing an encoding.
    let mut args = match args
        .into_iter()
        .map(OsString::into_string)
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(args) => args,
        Err(invalid) => {
            eprintln!(
                "{}: invalid (non-UTF-8) argument: {}",
                findutils::find::program_name(),
                invalid.to_string_lossy()
            );
            return 1;
        }
    };

    let starts = starting_points(&args);
    let given = starts.len();
    let mut missing = 0;
    for index in starts.rev() {
        if let Err(err) = std::fs::symlink_metadata(&args[index]) {
            eprintln!(
                "{}: '{}': {}",
                findutils::find::program_name(),
                args[index],
                uucore::error::strip_errno(&err)
            );
            args.remove(index);
            missing += 1;
        }
    }
    if missing > 0 && missing == given {
        // Without starting points findutils would search ".".
        return 1;
    }

    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let deps = findutils::find::StandardDependencies::new();
    let code = findutils::find::find_main(&args, &deps);
    flush_stdout(if missing > 0 { code.max(1) } else { code })
}

/// Indices of the starting points in `args` (program name first): the
/// arguments after the leading options `-H`, `-L`, `-P`, `-D LIST` and
/// `-Olevel`, up to the first one that starts an expression (begins with
/// `-`, or is `(` or `!`).
fn starting_points(args: &[String]) -> Range<usize> {
    let mut at = 1;
    while let Some(arg) = args.get(at) {
        match arg.as_str() {
            "-H" | "-L" | "-P" => at += 1,
            "-D" => at += 2,
            level if level.starts_with("-O") => at += 1,
            _ => break,
        }
    }
    let start = at.min(args.len());
    let end = args[start..]
        .iter()
        .position(|arg| arg.starts_with('-') || arg == "(" || arg == "!")
        .map_or(args.len(), |offset| start + offset);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(args: &[&str]) -> Vec<String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args[starting_points(&args)].to_vec()
    }

    #[test]
    fn paths_end_at_the_expression() {
        assert_eq!(points(&["find", "a", "b", "-name", "x"]), ["a", "b"]);
        assert_eq!(points(&["find", "a", "(", "-name", "x", ")"]), ["a"]);
        assert_eq!(points(&["find", "a", "!", "-name", "x"]), ["a"]);
    }

    #[test]
    fn leading_options_are_not_paths() {
        assert_eq!(points(&["find", "-L", "-D", "tree", "-O2", "a"]), ["a"]);
        assert_eq!(points(&["find", "-H", "a", "-print"]), ["a"]);
    }

    #[test]
    fn no_paths_is_empty() {
        assert!(points(&["find"]).is_empty());
        assert!(points(&["find", "-name", "x"]).is_empty());
        assert!(points(&["find", "-D"]).is_empty());
    }
}
