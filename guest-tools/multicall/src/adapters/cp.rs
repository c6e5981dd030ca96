//! `cp` from `uu_cp`, without permission bits.
//!
//! WASI preview 1 has no file modes: copying them fails with "Function not
//! implemented", which made `cp -p` and `cp -a` fail on every file. The
//! module therefore always asks uu_cp not to preserve the mode; everything
//! else `-p`/`-a` keep (timestamps, links) still works.

use std::ffi::OsString;

use super::uutils;

/// Runs `cp`.
pub fn main(args: Vec<OsString>) -> i32 {
    uutils::run("cp", without_mode(args), |args| {
        uu_cp::uumain(args.into_iter())
    })
}

/// `args` with `--no-preserve=mode` as the last option: after any `-p`,
/// `-a` or `--preserve`, so that it wins, and before a `--` that ends the
/// options.
fn without_mode(mut args: Vec<OsString>) -> Vec<OsString> {
    let end_of_options = args
        .iter()
        .skip(1)
        .position(|arg| arg == "--")
        .map_or(args.len(), |at| at + 1);
    args.insert(end_of_options, OsString::from("--no-preserve=mode"));
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(args: &[&str]) -> Vec<OsString> {
        without_mode(args.iter().map(OsString::from).collect())
    }

    #[test]
    fn goes_after_every_option() {
        assert_eq!(
            rewrite(&["cp", "-a", "src", "dst"]),
            ["cp", "-a", "src", "dst", "--no-preserve=mode"]
        );
    }

    #[test]
    fn goes_before_the_end_of_options() {
        assert_eq!(
            rewrite(&["cp", "-p", "--", "-src", "dst"]),
            ["cp", "-p", "--no-preserve=mode", "--", "-src", "dst"]
        );
    }

    #[test]
    fn program_name_is_never_taken_for_the_end_of_options() {
        assert_eq!(rewrite(&["--"]), ["--", "--no-preserve=mode"]);
    }
}
