//! `hash [-lr] [-p path] [-dt] [name…]`.
//!
//! This shell keeps no table of remembered command paths (it never
//! searches `$PATH`), so the table always reads as empty: `hash` says so,
//! `hash name` only checks that the command exists, `-r` and `-d` have
//! nothing to forget, and `-t name` prints where the command lives.

use super::internal_getopt;
use super::type_::{file_path, is_builtin};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

const USAGE: &str = "hash [-lr] [-p pathname] [-dt] [name ...]";

/// `hash`: checks and reports command locations.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let parsed = match internal_getopt::parse(&argv, "dlp:rt") {
            Ok(parsed) => parsed,
            Err(err) => return done(sh.option_error("hash", err, USAGE).await),
        };
        let options = parsed.options;
        let names = argv[parsed.first_operand..].to_vec();
        let has = |c: char| options.iter().any(|(o, _)| *o == c);
        let (delete, targets, list, path, reset) =
            (has('d'), has('t'), has('l'), has('p'), has('r'));
        if names.is_empty() {
            if delete || targets {
                let option = if delete { "-d" } else { "-t" };
                sh.builtin_error("hash", &format!("{option}: option requires an argument"))
                    .await;
                return done(1);
            }
            if !reset && !list && !path {
                let ok = sh.out("hash", b"hash: hash table empty\n").await?;
                return done(if ok { 0 } else { 1 });
            }
            return done(0);
        }
        if path || delete {
            return done(0);
        }
        let mut status = 0;
        let mut text = String::new();
        let several = names.len() > 1;
        for name in &names {
            if targets {
                // Only files are ever hashed: not builtins, functions or paths.
                let hashable = !name.contains('/')
                    && !is_builtin(name)
                    && !sh.state.functions.contains_key(name.as_str());
                let path = if hashable {
                    file_path(sh, name).await
                } else {
                    None
                };
                match path {
                    Some(path) if several => text.push_str(&format!("{name}\t{path}\n")),
                    Some(path) => text.push_str(&format!("{path}\n")),
                    None => {
                        sh.builtin_error("hash", &format!("{name}: not found"))
                            .await;
                        status = 1;
                    }
                }
                continue;
            }
            let known = name.contains('/')
                || is_builtin(name)
                || sh.state.functions.contains_key(name.as_str())
                || file_path(sh, name).await.is_some();
            if !known {
                sh.builtin_error("hash", &format!("{name}: not found"))
                    .await;
                status = 1;
            }
        }
        sh.out("hash", text.as_bytes()).await?;
        done(status)
    })
}
