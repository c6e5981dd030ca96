//! `shopt [-pqsu] [-o] [optname…]`.
//!
//! bash 5.2 knows 57 `shopt` options. The ones this shell acts on live in
//! [`Options`] (see [`SHOPT_OPTIONS`]); the others are accepted, listed
//! and remembered like bash's, without effect. Their values are kept
//! where bash publishes them anyway: the read-only `BASHOPTS` variable,
//! the colon-separated list of enabled options, which `shopt` rewrites
//! after every change.

use super::internal_getopt::{self, Parsed};
use super::set::set_named;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::state::options::{SET_OPTIONS, SHOPT_OPTIONS};
use crate::state::{Options, Value, Variable};

const USAGE: &str = "shopt [-pqsu] [-o] [optname ...]";

/// Every `shopt` option of bash 5.2 and its value in a non-interactive
/// bash, in bash's listing order.
const BASH_SHOPTS: &[(&str, bool)] = &[
    ("autocd", false),
    ("assoc_expand_once", false),
    ("cdable_vars", false),
    ("cdspell", false),
    ("checkhash", false),
    ("checkjobs", false),
    ("checkwinsize", true),
    ("cmdhist", true),
    ("compat31", false),
    ("compat32", false),
    ("compat40", false),
    ("compat41", false),
    ("compat42", false),
    ("compat43", false),
    ("compat44", false),
    ("complete_fullquote", true),
    ("direxpand", false),
    ("dirspell", false),
    ("dotglob", false),
    ("execfail", false),
    ("expand_aliases", false),
    ("extdebug", false),
    ("extglob", false),
    ("extquote", true),
    ("failglob", false),
    ("force_fignore", true),
    ("globasciiranges", true),
    ("globskipdots", true),
    ("globstar", false),
    ("gnu_errfmt", false),
    ("histappend", false),
    ("histreedit", false),
    ("histverify", false),
    ("hostcomplete", true),
    ("huponexit", false),
    ("inherit_errexit", false),
    ("interactive_comments", true),
    ("lastpipe", false),
    ("lithist", false),
    ("localvar_inherit", false),
    ("localvar_unset", false),
    ("login_shell", false),
    ("mailwarn", false),
    ("no_empty_cmd_completion", false),
    ("nocaseglob", false),
    ("nocasematch", false),
    ("noexpand_translation", false),
    ("nullglob", false),
    ("patsub_replacement", true),
    ("progcomp", true),
    ("progcomp_alias", false),
    ("promptvars", true),
    ("restricted_shell", false),
    ("shift_verbose", false),
    ("sourcepath", true),
    ("varredir_close", false),
    ("xpg_echo", false),
];

/// The `set -o` options in bash's listing order, with the value of those
/// this shell accepts but does not model.
const BASH_SET_OPTIONS: &[(&str, bool)] = &[
    ("allexport", false),
    ("braceexpand", true),
    ("emacs", false),
    ("errexit", false),
    ("errtrace", false),
    ("functrace", false),
    ("hashall", true),
    ("histexpand", false),
    ("history", false),
    ("ignoreeof", false),
    ("interactive-comments", true),
    ("keyword", false),
    ("monitor", false),
    ("noclobber", false),
    ("noexec", false),
    ("noglob", false),
    ("nolog", false),
    ("notify", false),
    ("nounset", false),
    ("onecmd", false),
    ("physical", false),
    ("pipefail", false),
    ("posix", false),
    ("privileged", false),
    ("verbose", false),
    ("vi", false),
    ("xtrace", false),
];

/// What the flags ask for.
struct Flags {
    set: bool,
    unset: bool,
    quiet: bool,
    set_o: bool,
    reusable: bool,
}

/// `shopt`: lists, queries, sets (`-s`) or unsets (`-u`) shell options;
/// `-o` works on the `set -o` options instead.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let Parsed {
            options,
            first_operand,
        } = match internal_getopt::parse(&argv, "psuoq") {
            Ok(parsed) => parsed,
            Err(err) => return done(sh.option_error("shopt", err, USAGE).await),
        };
        let has = |letter: char| options.iter().any(|(c, _)| *c == letter);
        let flags = Flags {
            set: has('s'),
            unset: has('u'),
            quiet: has('q'),
            set_o: has('o'),
            reusable: has('p'),
        };
        let names = &argv[first_operand..];
        if flags.set && flags.unset {
            sh.builtin_error("shopt", "cannot set and unset shell options simultaneously")
                .await;
            return done(1);
        }
        let changing = flags.set || flags.unset;
        let mut text = String::new();
        let status = match (flags.set_o, changing, names.is_empty()) {
            (true, false, _) => list_set_options(sh, names, &flags, &mut text).await,
            (true, true, false) => {
                set_set_options(sh, names, flags.set).await;
                // bash ignores unknown names here in the status (its
                // `set -o` error code is not the one it checks for).
                0
            }
            (true, true, true) => {
                for (name, on) in set_option_values(&sh.state.options) {
                    if !flags.quiet && on == flags.set {
                        print_set_option(&mut text, name, on, flags.reusable);
                    }
                }
                0
            }
            (false, true, false) => toggle(sh, names, flags.set).await,
            (false, false, _) => list_shopts(sh, names, &flags, &mut text).await,
            (false, true, true) => {
                for (name, on) in shopt_values(sh) {
                    if !flags.quiet && on == flags.set {
                        print_shopt(&mut text, name, on, flags.reusable);
                    }
                }
                0
            }
        };
        if !sh.out("shopt", text.as_bytes()).await? {
            return done(1);
        }
        done(status)
    })
}

/// `shopt [names]`: prints options (all, or the named ones); status 1 if
/// a named one is off or unknown.
async fn list_shopts(sh: &mut Interp, names: &[String], flags: &Flags, text: &mut String) -> i32 {
    let listing = Listing {
        values: shopt_values(sh),
        unknown: "invalid shell option name",
        print: print_shopt,
    };
    listing.print(sh, names, flags, text).await
}

/// `shopt -s/-u names`: status 1 if a name is unknown (the others still
/// change).
async fn toggle(sh: &mut Interp, names: &[String], on: bool) -> i32 {
    let mut values = shopt_values(sh);
    let mut status = 0;
    for name in names {
        let Some(slot) = values.iter_mut().find(|(n, _)| n == name) else {
            sh.builtin_error("shopt", &format!("{name}: invalid shell option name"))
                .await;
            status = 1;
            continue;
        };
        slot.1 = on;
        if let Some((_, field)) = SHOPT_OPTIONS.iter().find(|(n, _)| n == name) {
            *field(&mut sh.state.options) = on;
        }
    }
    publish(sh, &values);
    status
}

/// `shopt -o [names]`: like `set -o`, or the named options only.
async fn list_set_options(
    sh: &mut Interp,
    names: &[String],
    flags: &Flags,
    text: &mut String,
) -> i32 {
    let listing = Listing {
        values: set_option_values(&sh.state.options),
        unknown: "invalid option name",
        print: print_set_option,
    };
    listing.print(sh, names, flags, text).await
}

/// Option values to list, as `shopt` and `shopt -o` list them.
struct Listing {
    values: Vec<(&'static str, bool)>,
    /// The message for a name that is not an option.
    unknown: &'static str,
    /// Writes one option's line.
    print: fn(&mut String, &str, bool, bool),
}

impl Listing {
    /// Prints every option, or the named ones; status 1 if a named one is
    /// off or unknown.
    async fn print(
        &self,
        sh: &mut Interp,
        names: &[String],
        flags: &Flags,
        text: &mut String,
    ) -> i32 {
        if names.is_empty() {
            if !flags.quiet {
                for &(name, on) in &self.values {
                    (self.print)(text, name, on, flags.reusable);
                }
            }
            return 0;
        }
        let mut status = 0;
        for name in names {
            let Some(&(_, on)) = self.values.iter().find(|(n, _)| n == name) else {
                sh.builtin_error("shopt", &format!("{name}: {}", self.unknown))
                    .await;
                status = 1;
                continue;
            };
            if !on {
                status = 1;
            }
            if !flags.quiet {
                (self.print)(text, name, on, flags.reusable);
            }
        }
        status
    }
}

/// `shopt -so/-uo names`: `set -o`/`set +o` for each.
async fn set_set_options(sh: &mut Interp, names: &[String], on: bool) {
    for name in names {
        if !set_named(&mut sh.state.options, name, on) {
            sh.builtin_error("shopt", &format!("{name}: invalid option name"))
                .await;
        }
    }
}

fn print_shopt(text: &mut String, name: &str, on: bool, reusable: bool) {
    if reusable {
        text.push_str(&format!("shopt {} {name}\n", if on { "-s" } else { "-u" }));
    } else {
        text.push_str(&format!("{name:<15}\t{}\n", if on { "on" } else { "off" }));
    }
}

fn print_set_option(text: &mut String, name: &str, on: bool, reusable: bool) {
    if reusable {
        text.push_str(&format!("set {}o {name}\n", if on { '-' } else { '+' }));
    } else {
        text.push_str(&format!("{name:<15}\t{}\n", if on { "on" } else { "off" }));
    }
}

/// The value of every `shopt` option, in bash's order: implemented ones
/// from [`Options`], the others from `BASHOPTS` (or their defaults while
/// `shopt` has not published it).
fn shopt_values(sh: &mut Interp) -> Vec<(&'static str, bool)> {
    let published: Option<Vec<String>> = sh
        .state
        .vars
        .scalar("BASHOPTS")
        .map(|list| list.split(':').map(str::to_string).collect());
    let mut options = sh.state.options.clone();
    BASH_SHOPTS
        .iter()
        .map(|&(name, default)| {
            let on = match SHOPT_OPTIONS.iter().find(|(n, _)| *n == name) {
                Some((_, field)) => *field(&mut options),
                None => published
                    .as_ref()
                    .map_or(default, |list| list.iter().any(|n| n == name)),
            };
            (name, on)
        })
        .collect()
}

/// The value of every `set -o` option, in bash's order.
fn set_option_values(options: &Options) -> Vec<(&'static str, bool)> {
    let mut options = options.clone();
    BASH_SET_OPTIONS
        .iter()
        .map(|&(name, fixed)| {
            let on = match SET_OPTIONS.iter().find(|(n, _, _)| *n == name) {
                Some((_, _, field)) => *field(&mut options),
                None => fixed,
            };
            (name, on)
        })
        .collect()
}

/// Stores the enabled options in the read-only `BASHOPTS`, as bash does.
fn publish(sh: &mut Interp, values: &[(&'static str, bool)]) {
    let enabled: Vec<&str> = values
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
    let mut attrs = sh
        .state
        .vars
        .get("BASHOPTS")
        .map(|v| v.attrs)
        .unwrap_or_default();
    attrs.readonly = true;
    sh.state.vars.insert(
        "BASHOPTS",
        Variable {
            value: Some(Value::Scalar(enabled.join(":"))),
            attrs,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_implemented_option_is_in_bash_order_table() {
        for (name, _) in SHOPT_OPTIONS {
            assert!(BASH_SHOPTS.iter().any(|(n, _)| n == name), "{name}");
        }
        for (name, _, _) in SET_OPTIONS {
            assert!(BASH_SET_OPTIONS.iter().any(|(n, _)| n == name), "{name}");
        }
        let mut sorted: Vec<&str> = BASH_SET_OPTIONS.iter().map(|(n, _)| *n).collect();
        sorted.sort();
        assert!(sorted.iter().eq(BASH_SET_OPTIONS.iter().map(|(n, _)| n)));
    }
}
