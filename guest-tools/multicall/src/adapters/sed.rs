//! `sed` from uutils `sed` (on uucore 0.12).

use std::ffi::OsString;

use super::uutils::flush_stdout;

/// Runs `sed`: exit 0 on success, 1 for a bad script or option, 2 when an
/// input file cannot be read, 4 on an I/O error (as GNU sed).
pub fn main(args: Vec<OsString>) -> i32 {
    uucore::panic::mute_sigpipe_panic();
    let code = sed::sed::uumain(args.into_iter());
    flush_stdout(code)
}
