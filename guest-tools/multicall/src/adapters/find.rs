//! `find` from uutils `findutils`.
//!
//! `-exec`, `-execdir`, `-ok` and `-okdir` cannot run anything: a WASI guest
//! cannot spawn processes. findutils would accept them, report a failure per
//! file and still exit 0, so the module refuses them before walking (message,
//! status 1), as GNU find refuses an expression it cannot use.
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

    if let Some(action) = process_action(&args) {
        eprintln!(
            "{}: {action} cannot run commands here: the sandbox's tools cannot start \
             processes (print the paths instead and act on them)",
            findutils::find::program_name()
        );
        return 1;
    }

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

/// Tests of the expression that take one argument, which may look like an
/// action (`-name -exec`) without being one.
const TAKES_ARGUMENT: &[&str] = &[
    "-amin", "-anewer", "-atime", "-cmin", "-cnewer", "-context", "-ctime", "-files0-from",
    "-fls", "-fprint", "-fprint0", "-fstype", "-gid", "-group", "-ilname", "-iname", "-inum",
    "-ipath", "-iregex", "-iwholename", "-links", "-lname", "-maxdepth", "-mindepth", "-mmin",
    "-mtime", "-name", "-newer", "-path", "-perm", "-printf", "-regex", "-regextype",
    "-samefile", "-size", "-type", "-uid", "-used", "-user", "-wholename", "-xtype",
];

/// The first action of the expression in `args` that would start a process.
fn process_action(args: &[String]) -> Option<&str> {
    let mut expression = args.iter().skip(1);
    while let Some(arg) = expression.next() {
        match arg.as_str() {
            "-exec" | "-execdir" | "-ok" | "-okdir" => return Some(arg),
            "-fprintf" => {
                expression.nth(1);
            }
            test if TAKES_ARGUMENT.contains(&test) || test.starts_with("-newer") => {
                expression.next();
            }
            _ => {}
        }
    }
    None
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

    fn action(args: &[&str]) -> Option<String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        process_action(&args).map(str::to_string)
    }

    #[test]
    fn actions_that_start_processes_are_found() {
        assert_eq!(action(&["find", ".", "-exec", "cat", "{}", ";"]).as_deref(), Some("-exec"));
        assert_eq!(action(&["find", "-name", "*.rs", "-okdir", "rm", "{}", ";"]).as_deref(), Some("-okdir"));
        assert_eq!(action(&["find", ".", "-print"]), None);
    }

    #[test]
    fn arguments_of_tests_are_not_actions() {
        assert_eq!(action(&["find", ".", "-name", "-exec"]), None);
        assert_eq!(action(&["find", ".", "-newermt", "-ok", "-print"]), None);
        assert_eq!(action(&["find", ".", "-fprintf", "out", "-exec", "-print"]), None);
    }

    #[test]
    fn no_paths_is_empty() {
        assert!(points(&["find"]).is_empty());
        assert!(points(&["find", "-name", "x"]).is_empty());
        assert!(points(&["find", "-D"]).is_empty());
    }
}
