// This file is part of the uutils grep package.
//
// For the full copyright and license information, please view the LICENSE
// file that was distributed with this source code.

//! wasm-agent addition (see WASM-AGENT.md at the crate root): option
//! errors reported the way GNU grep reports them.
//!
//! uucore 0.10's clap error formatter ends with a usage line looked up in
//! the utility's message catalogue, which uu_grep does not ship: a bad
//! option printed `Usage: grep-usage`. It also turned invalid option values
//! into status 1, where GNU grep exits 2 for every usage error.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgMatches, Command};
use uucore::error::{UResult, USimpleError};

/// GNU grep's usage synopsis.
const USAGE: &str = "[OPTION]... PATTERNS [FILE]...";

/// Parses `args` with `app`; on a usage error prints what GNU grep prints
/// (the problem, the synopsis, where to get help) and fails with status 2.
/// `--help` and `--version` go through unchanged.
pub fn parse_args(app: Command, args: Vec<OsString>) -> UResult<ArgMatches> {
    app.try_get_matches_from(args).map_err(|err| {
        if err.exit_code() == 0 {
            return err.into();
        }
        let name = uucore::util_name();
        eprintln!(
            "{name}: {}\nUsage: {name} {USAGE}\nTry '{name} --help' for more information.",
            describe(&err)
        );
        USimpleError::new(2, "")
    })
}

/// The first line of GNU grep's message for `err`.
fn describe(err: &clap::Error) -> String {
    let arg = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => Some(arg.as_str()),
        _ => None,
    };
    match (err.kind(), arg) {
        (ErrorKind::UnknownArgument, Some(arg)) if arg.starts_with("--") => {
            format!("unrecognized option '{arg}'")
        }
        (ErrorKind::UnknownArgument, Some(arg)) => {
            let option = arg.trim_start_matches('-').chars().next().unwrap_or('-');
            format!("invalid option -- '{option}'")
        }
        (ErrorKind::InvalidValue, Some(arg)) if matches!(err.get(ContextKind::InvalidValue), Some(ContextValue::String(v)) if v.is_empty()) =>
        {
            // clap names the option as `--regexp <PATTERNS>`.
            let option = arg.split_whitespace().next().unwrap_or(arg);
            format!("option '{option}' requires an argument")
        }
        _ => {
            // clap's own wording, without its `error: ` label and tips.
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            first.strip_prefix("error: ").unwrap_or(first).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(args: &[&str]) -> String {
        let err = crate::uu_app()
            .try_get_matches_from(args.iter().map(OsString::from))
            .unwrap_err();
        describe(&err)
    }

    #[test]
    fn unknown_options_read_like_gnu() {
        assert_eq!(
            message(&["grep", "--bogus", "x"]),
            "unrecognized option '--bogus'"
        );
        assert_eq!(message(&["grep", "-k", "x"]), "invalid option -- 'k'");
    }

    #[test]
    fn missing_values_name_the_option() {
        assert_eq!(
            message(&["grep", "-e"]),
            "option '--regexp' requires an argument"
        );
    }
}
