//! `sort` from `uu_sort`, minus the two modes that need threads.
//!
//! On WASI, uu_sort 0.12 sorts in memory on one thread, but `--check`
//! (`-c`, `-C`) and `--merge` (`-m`) still start a reader thread, which
//! WASI cannot do: the guest would trap. Here, `--merge` is served by a
//! plain sort, whose output is the same for sorted inputs (the only inputs
//! `-m` is meant for), and `--check` is refused with a message and status 2.

use std::ffi::OsString;

use super::uutils;

/// Exit status of GNU sort for trouble.
const TROUBLE: i32 = 2;

/// Short options of sort that take a value: the rest of their cluster, or
/// the next argument, is that value and no option.
const SHORT_WITH_VALUE: &[u8] = b"koStT";

/// Runs `sort`.
pub fn main(args: Vec<OsString>) -> i32 {
    let (args, check) = strip_modes(args);
    if check {
        eprintln!(
            "sort: --check (-c, -C) is not available in this sandbox; \
             compare the file with the output of sort instead"
        );
        return TROUBLE;
    }
    uutils::run("sort", args, |args| uu_sort::uumain(args.into_iter()))
}

/// `args` without the merge option (`-m`, `--merge`, or `m` inside a
/// cluster such as `-mn`), and whether a check option was given.
fn strip_modes(args: Vec<OsString>) -> (Vec<OsString>, bool) {
    let mut out = Vec::with_capacity(args.len());
    let mut check = false;
    let mut next_is_value = false;
    let mut options_ended = false;
    for (index, arg) in args.into_iter().enumerate() {
        if index == 0 || next_is_value || options_ended {
            next_is_value = false;
            out.push(arg);
            continue;
        }
        let Some(text) = arg.to_str() else {
            out.push(arg);
            continue;
        };
        if text == "--" {
            options_ended = true;
            out.push(arg);
        } else if let Some(long) = text.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or_default();
            if is_abbreviation(name, "merge") {
                continue;
            }
            check |= is_abbreviation(name, "check") || is_abbreviation(name, "check-silent");
            out.push(arg);
        } else if text.len() > 1 && text.starts_with('-') {
            let (cluster, value_follows) = scan_cluster(&text[1..], &mut check);
            next_is_value = value_follows;
            if !cluster.is_empty() {
                out.push(OsString::from(format!("-{cluster}")));
            }
        } else {
            out.push(arg);
        }
    }
    (out, check)
}

/// A short-option cluster (without its `-`) with every `m` flag removed,
/// noting `c`/`C` in `check`; also whether the next argument is the value
/// of the cluster's last option.
fn scan_cluster(cluster: &str, check: &mut bool) -> (String, bool) {
    let mut kept = String::with_capacity(cluster.len());
    for (at, flag) in cluster.char_indices() {
        if flag.is_ascii() && SHORT_WITH_VALUE.contains(&(flag as u8)) {
            kept.push_str(&cluster[at..]);
            return (kept, at + 1 == cluster.len());
        }
        match flag {
            'm' => {}
            'c' | 'C' => {
                *check = true;
                kept.push(flag);
            }
            _ => kept.push(flag),
        }
    }
    (kept, false)
}

/// `name` is how clap's `infer_long_args` may abbreviate `option`.
fn is_abbreviation(name: &str, option: &str) -> bool {
    name.len() >= 2 && option.starts_with(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(args: &[&str]) -> (Vec<String>, bool) {
        let (out, check) = strip_modes(args.iter().map(OsString::from).collect());
        (
            out.into_iter().map(|a| a.into_string().unwrap()).collect(),
            check,
        )
    }

    #[test]
    fn merge_flags_disappear() {
        assert_eq!(strip(&["sort", "-m", "a", "b"]).0, ["sort", "a", "b"]);
        assert_eq!(strip(&["sort", "--merge", "a"]).0, ["sort", "a"]);
        assert_eq!(strip(&["sort", "--mer", "a"]).0, ["sort", "a"]);
        assert_eq!(strip(&["sort", "-mnr", "a"]).0, ["sort", "-nr", "a"]);
    }

    #[test]
    fn option_values_are_not_flags() {
        let (args, check) = strip(&["sort", "-o", "-mc", "-k2m", "-tm", "x"]);
        assert_eq!(args, ["sort", "-o", "-mc", "-k2m", "-tm", "x"]);
        assert!(!check);
        assert_eq!(strip(&["sort", "-omerged", "-m"]).0, ["sort", "-omerged"]);
    }

    #[test]
    fn operands_after_double_dash_are_kept() {
        assert_eq!(
            strip(&["sort", "--", "-m", "-c"]),
            (
                vec!["sort".into(), "--".into(), "-m".into(), "-c".into()],
                false
            )
        );
    }

    #[test]
    fn check_is_detected_in_every_spelling() {
        for spelling in [
            "-c",
            "-C",
            "-nc",
            "--check",
            "--check=quiet",
            "--check-silent",
            "--ch",
        ] {
            assert!(strip(&["sort", spelling, "f"]).1, "{spelling}");
        }
        assert!(!strip(&["sort", "-n", "--month-sort", "f"]).1);
        assert!(!strip(&["sort", "--compress-program=gzip", "f"]).1);
    }
}
