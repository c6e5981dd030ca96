//! `cmp` from uutils `diffutils`.
//!
//! `diff` is the project's own GNU-compatible one (`wa-diff`); diffutils
//! 0.6 still provides `cmp`, whose `main` is public and used as is.

use std::ffi::OsString;
use std::process::ExitCode;

use diffutilslib::cmp;

use super::uutils::flush_stdout;

/// Exit status for trouble: bad options, unreadable input (GNU cmp).
const TROUBLE: i32 = 2;

/// Runs `cmp`: exit 0 when the files are the same, 1 when they differ,
/// 2 on trouble.
///
/// upstream's `main` reads the process arguments itself (the fields of
/// `cmp::Params` are private, so its steps cannot be rebuilt outside the
/// crate); the ones the dispatcher consumed before `args` (the module name,
/// when the tool came from argv[1]) are skipped here the same way.
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
