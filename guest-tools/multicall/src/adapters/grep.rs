//! `grep`, `egrep` and `fgrep` from `uu_grep`, which is built on uucore 0.10.

use std::ffi::OsString;

use super::uutils::flush_stdout;

/// Runs `grep`: exit 0 when a line matched, 1 when none did, 2 on trouble.
pub fn main(args: Vec<OsString>) -> i32 {
    // uu_grep reads its messages through its own (older) uucore, whose
    // catalogue is separate from the one the coreutils utilities use.
    if let Err(err) = uucore_grep::locale::setup_localization("grep") {
        eprintln!("grep: cannot load the message catalogue: {err}");
        return 99;
    }
    uucore_grep::panic::mute_sigpipe_panic();
    let code = uu_grep::uumain(args.into_iter());
    flush_stdout(code)
}

/// Runs `egrep`, which GNU defines as `grep -E`.
pub fn egrep_main(args: Vec<OsString>) -> i32 {
    main(with_option(args, "-E"))
}

/// Runs `fgrep`, which GNU defines as `grep -F`.
pub fn fgrep_main(args: Vec<OsString>) -> i32 {
    main(with_option(args, "-F"))
}

/// `args` with `option` inserted right after the program name, so that
/// options the user gives later still win as they do with GNU's scripts.
fn with_option(mut args: Vec<OsString>, option: &str) -> Vec<OsString> {
    let at = args.len().min(1);
    args.insert(at, OsString::from(option));
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_goes_after_the_program_name() {
        let args = vec![OsString::from("egrep"), OsString::from("a|b")];
        assert_eq!(with_option(args, "-E"), ["egrep", "-E", "a|b"]);
    }

    #[test]
    fn option_is_kept_without_a_program_name() {
        assert_eq!(with_option(Vec::new(), "-F"), ["-F"]);
    }
}
