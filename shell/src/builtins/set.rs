//! `set`: options and positional parameters.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::state::options::SET_OPTIONS;
use crate::state::{Options, Value};
use std::sync::Arc;

/// Sets option `letter` (`e`, `u`…) on or off; false if unknown.
fn set_letter(options: &mut Options, letter: char, on: bool) -> bool {
    match SET_OPTIONS.iter().find(|(_, l, _)| *l == Some(letter)) {
        Some((_, _, field)) => {
            *field(options) = on;
            true
        }
        // Always-on bash flags that need no action here.
        None => matches!(
            letter,
            'h' | 'H' | 'm' | 'b' | 'k' | 'p' | 'P' | 'T' | 'E' | 't'
        ),
    }
}

/// Sets option `name` (`set -o name`) on or off; false if unknown.
pub(crate) fn set_named(options: &mut Options, name: &str, on: bool) -> bool {
    match SET_OPTIONS.iter().find(|(n, _, _)| *n == name) {
        Some((_, _, field)) => {
            *field(options) = on;
            true
        }
        None => matches!(
            name,
            "hashall"
                | "interactive-comments"
                | "monitor"
                | "posix"
                | "physical"
                | "errtrace"
                | "functrace"
                | "history"
                | "ignoreeof"
                | "emacs"
                | "vi"
        ),
    }
}

/// A value as `set` prints it: bare if safe, else in single quotes.
pub(crate) fn shown(value: &str) -> String {
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:@%+,=".contains(c))
    {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

/// Applies shell flags from arguments (shared with `bash -e -o pipefail`):
/// returns the index of the first non-option argument, or an error message.
pub(crate) fn apply_flags(options: &mut Options, args: &[String]) -> Result<(usize, bool), String> {
    let mut i = 0;
    let mut positional_follow = false;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            return Ok((i + 1, true));
        }
        if arg == "-" {
            options.xtrace = false;
            options.verbose = false;
            return Ok((i + 1, true));
        }
        let (on, flags) = match (arg.strip_prefix('-'), arg.strip_prefix('+')) {
            (Some(f), _) if !f.is_empty() => (true, f),
            (_, Some(f)) if !f.is_empty() => (false, f),
            _ => break,
        };
        for c in flags.chars() {
            if c == 'o' {
                i += 1;
                let Some(name) = args.get(i) else {
                    return Err("-o: option name required".into());
                };
                if !set_named(options, name, on) {
                    return Err(format!("{name}: invalid option name"));
                }
            } else if !set_letter(options, c, on) {
                return Err(format!("-{c}: invalid option"));
            }
        }
        i += 1;
        positional_follow = false;
    }
    Ok((i, positional_follow))
}

/// `set`: with no arguments lists the variables; otherwise changes options
/// and, after them (or after `--`), the positional parameters.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let args = &argv[1..];
        if args.is_empty() {
            let mut vars: Vec<(String, Option<Value>)> = sh
                .state
                .vars
                .iter()
                .map(|(n, v)| (n.to_string(), v.value.clone()))
                .collect();
            vars.sort_by(|a, b| a.0.cmp(&b.0));
            let mut text = String::new();
            for (name, value) in vars {
                match value {
                    Some(Value::Scalar(v)) => text.push_str(&format!("{name}={}\n", shown(&v))),
                    Some(Value::Indexed(map)) => {
                        let items: Vec<String> = map
                            .iter()
                            .map(|(k, v)| format!("[{k}]={}", super::export::double_quoted(v)))
                            .collect();
                        text.push_str(&format!("{name}=({})\n", items.join(" ")));
                    }
                    Some(Value::Assoc(pairs)) => {
                        let items: Vec<String> = pairs
                            .iter()
                            .map(|(k, v)| format!("[{k}]={}", super::export::double_quoted(v)))
                            .collect();
                        text.push_str(&format!("{name}=({} )\n", items.join(" ")));
                    }
                    None => {}
                }
            }
            sh.out("set", text.as_bytes()).await?;
            return done(0);
        }
        if args.len() == 1 && (args[0] == "-o" || args[0] == "+o") {
            let mut text = String::new();
            for (name, _, field) in SET_OPTIONS {
                let on = *field(&mut sh.state.options.clone());
                if args[0] == "-o" {
                    text.push_str(&format!("{name:<15}\t{}\n", if on { "on" } else { "off" }));
                } else {
                    text.push_str(&format!("set {}o {name}\n", if on { '-' } else { '+' }));
                }
            }
            sh.out("set", text.as_bytes()).await?;
            return done(0);
        }
        let mut options = sh.state.options.clone();
        match apply_flags(&mut options, args) {
            Ok((first, explicit)) => {
                sh.state.options = options;
                if first < args.len() || explicit {
                    sh.state.positional = Arc::new(args[first..].to_vec());
                }
                done(0)
            }
            Err(message) => {
                sh.builtin_error("set", &message).await;
                if message.ends_with("invalid option") {
                    sh.error_line_bare(
                        "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]",
                    )
                    .await;
                }
                done(2)
            }
        }
    })
}
