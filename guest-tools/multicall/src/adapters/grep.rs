//! `grep`, `egrep` and `fgrep` from `uu_grep` (vendored, on uucore 0.12).

use std::ffi::OsString;

/// Runs `grep`: exit 0 when a line matched, 1 when none did, 2 on trouble.
pub fn main(args: Vec<OsString>) -> i32 {
    super::uutils::run("grep", args, |args| uu_grep::uumain(args.into_iter()))
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
