//! `alias [-p] [name[=value]…]` and `unalias [-a] name…`.
//!
//! Aliases are stored and listed as bash does. With `shopt -s
//! expand_aliases` (off in scripts, as in bash) a command word naming one
//! is replaced when the command runs (`Interp::run_alias`); `type` and
//! `command -v` report them then.

use super::internal_getopt;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use std::sync::Arc;

/// `'text'`, with single quotes inside written `'\''` (bash's
/// `sh_single_quote`).
pub(crate) fn single_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// One `alias name='value'` line; names starting with `-` get `--`.
fn listing(name: &str, value: &str) -> String {
    let dashes = if name.starts_with('-') { "-- " } else { "" };
    format!("alias {dashes}{name}={}\n", single_quote(value))
}

/// False for names bash refuses: with a blank, a quote, `$`, `/`, `=`,
/// or a character that ends a word.
fn legal_name(name: &str) -> bool {
    !name.chars().any(|c| {
        matches!(
            c,
            ' ' | '\t'
                | '\n'
                | '('
                | ')'
                | '<'
                | '>'
                | ';'
                | '&'
                | '|'
                | '"'
                | '\''
                | '`'
                | '\\'
                | '$'
                | '/'
                | '='
        )
    })
}

/// `alias`: defines aliases, or prints them.
pub(crate) fn alias(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let parsed = match internal_getopt::parse(&argv, "p") {
            Ok(parsed) => parsed,
            Err(err) => {
                return done(
                    sh.option_error("alias", err, "alias [-p] [name[=value] ... ]")
                        .await,
                )
            }
        };
        let options = parsed.options;
        let operands = argv[parsed.first_operand..].to_vec();
        let mut text = String::new();
        if operands.is_empty() || !options.is_empty() {
            let mut all: Vec<(Arc<str>, Arc<str>)> = sh
                .state
                .aliases
                .iter()
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect();
            all.sort();
            for (name, value) in all {
                text.push_str(&listing(&name, &value));
            }
        }
        let mut status = 0;
        for operand in operands {
            match operand.split_once('=') {
                Some((name, value)) if !name.is_empty() => {
                    if !legal_name(name) {
                        sh.builtin_error("alias", &format!("`{name}': invalid alias name"))
                            .await;
                        status = 1;
                        continue;
                    }
                    sh.state.aliases.insert(Arc::from(name), Arc::from(value));
                }
                _ => match sh.state.aliases.get(operand.as_str()).cloned() {
                    Some(value) => text.push_str(&listing(&operand, &value)),
                    None => {
                        sh.builtin_error("alias", &format!("{operand}: not found"))
                            .await;
                        status = 1;
                    }
                },
            }
        }
        let ok = sh.out("alias", text.as_bytes()).await?;
        done(if ok { status } else { 1 })
    })
}

/// `unalias`: removes aliases (`-a`: all of them).
pub(crate) fn unalias(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        const USAGE: &str = "unalias [-a] name [name ...]";
        let parsed = match internal_getopt::parse(&argv, "a") {
            Ok(parsed) => parsed,
            Err(err) => return done(sh.option_error("unalias", err, USAGE).await),
        };
        let options = parsed.options;
        let operands = argv[parsed.first_operand..].to_vec();
        if !options.is_empty() {
            sh.state.aliases.clear();
            return done(0);
        }
        if operands.is_empty() {
            let line = format!("unalias: usage: {USAGE}\n");
            let _ = sh.state.fds.stderr().write_all(line.as_bytes()).await;
            return done(2);
        }
        let mut status = 0;
        for name in operands {
            if sh.state.aliases.remove(name.as_str()).is_none() {
                sh.builtin_error("unalias", &format!("{name}: not found"))
                    .await;
                status = 1;
            }
        }
        done(status)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_like_bash() {
        assert_eq!(listing("ll", "ls -l"), "alias ll='ls -l'\n");
        assert_eq!(listing("a", "it's"), "alias a='it'\\''s'\n");
        assert_eq!(listing("-a", "1"), "alias -- -a='1'\n");
        assert!(legal_name("ll"));
        assert!(!legal_name("a b"));
        assert!(!legal_name("a/b"));
    }
}
