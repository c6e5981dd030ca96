//! `find` from uutils `findutils`.
//!
//! `-exec`, `-execdir`, `-ok` and `-okdir` parse but cannot run anything: a
//! WASI guest cannot spawn processes.

use std::ffi::OsString;

use super::uutils::flush_stdout;

/// Runs `find`: exit 0 when every file was visited, 1 otherwise.
pub fn main(args: Vec<OsString>) -> i32 {
    uucore::panic::mute_sigpipe_panic();
    // findutils takes its arguments as `&str`; reject other bytes with a
    // message instead of guessing an encoding.
    let args = match args
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
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let deps = findutils::find::StandardDependencies::new();
    let code = findutils::find::find_main(&args, &deps);
    flush_stdout(code)
}
