//! `enable [-a] [-n] [-p] [-s] [name ...]`: turns builtins off and on.
//!
//! A disabled builtin is skipped by command lookup, `type`, `command` and
//! `builtin`, so `enable -n echo` makes `echo` the guest tool, as it makes
//! it `/bin/echo` in bash. Loading builtins from shared objects (`-f`,
//! `-d`) is refused: a sandbox has no shared objects to load.

use super::internal_getopt::{self, Parsed};
use super::type_::is_builtin;
use super::{done, names, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use std::sync::Arc;

const USAGE: &str = "enable [-a] [-dnps] [-f filename] [name ...]";

/// `enable`: lists builtins, or disables (`-n`) and enables the names given.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let Parsed {
            options,
            first_operand,
        } = match internal_getopt::parse(&argv, "adnpsf:") {
            Ok(parsed) => parsed,
            Err(err) => return done(sh.option_error("enable", err, USAGE).await),
        };
        let has = |flag: char| options.iter().any(|(c, _)| *c == flag);
        if has('f') || has('d') {
            sh.builtin_error("enable", "dynamic loading not available")
                .await;
            return done(1);
        }
        let disable = has('n');
        let names_given = &argv[first_operand..];
        if names_given.is_empty() {
            let special_only = has('s');
            let mut text = String::new();
            for name in names().filter(|n| is_builtin(n)) {
                if special_only && !super::is_special(name) {
                    continue;
                }
                let off = sh.state.disabled_builtins.contains(name);
                // -a lists all; -n the disabled ones; otherwise the enabled.
                if has('a') || off == disable {
                    let flag = if off { "-n " } else { "" };
                    text.push_str(&format!("enable {flag}{name}\n"));
                }
            }
            let ok = sh.out("enable", text.as_bytes()).await?;
            return done(if ok { 0 } else { 1 });
        }
        let mut status = 0;
        for name in names_given {
            if !is_builtin(name) {
                sh.builtin_error("enable", &format!("{name}: not a shell builtin"))
                    .await;
                status = 1;
            } else if disable {
                sh.state.disabled_builtins.insert(Arc::from(name.as_str()));
            } else {
                sh.state.disabled_builtins.remove(name.as_str());
            }
        }
        done(status)
    })
}
