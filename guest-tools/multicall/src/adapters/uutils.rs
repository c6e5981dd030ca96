//! uutils coreutils utilities (`uu_*` crates on uucore 0.12).

use std::ffi::OsString;
use std::io::Write;

/// Runs a coreutils utility the way the coreutils multicall does.
///
/// `locale` names the utility's message bundle; without loading it, uucore
/// prints raw Fluent message ids (`cat-error-no-such-file`) instead of text.
pub fn run(locale: &str, args: Vec<OsString>, uumain: impl FnOnce(Vec<OsString>) -> i32) -> i32 {
    if let Err(code) = setup_localization(locale) {
        return code;
    }
    // A reader that goes away early (`yes | head`) must end the writer
    // quietly, as SIGPIPE would on Linux.
    uucore::panic::mute_sigpipe_panic();
    let code = uumain(args);
    flush_stdout(code)
}

/// Loads the embedded messages of utility `name` into uucore 0.12.
///
/// On failure prints why and returns the exit status to end with (99, as
/// coreutils does for a broken message bundle).
pub fn setup_localization(name: &str) -> Result<(), i32> {
    uucore::locale::setup_localization(name).map_err(|err| {
        eprintln!("{name}: cannot load the message catalogue: {err}");
        99
    })
}

/// Flushes standard output before the process exits, reporting a failure the
/// way uucore's own `main` does; a tool whose output was lost must not
/// report success.
pub fn flush_stdout(code: i32) -> i32 {
    match std::io::stdout().flush() {
        Ok(()) => code,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(err) => {
            eprintln!("{}: write error: {err}", uucore::util_name());
            if code == 0 {
                1
            } else {
                code
            }
        }
    }
}
