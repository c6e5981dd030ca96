//! `cd [-L|-P] [dir]`.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use wasm_agent_vfs::path::join_normalized;

/// `cd`: changes the working directory (logically, like bash without
/// `-P`: `..` removes the last component of `$PWD`). `cd` alone goes to
/// `$HOME`, `cd -` to `$OLDPWD` (and prints it).
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let args: Vec<&str> = argv[1..]
            .iter()
            .map(String::as_str)
            .skip_while(|a| matches!(*a, "-L" | "-P" | "-e" | "-@"))
            .collect();
        let args: Vec<&str> = args.into_iter().skip_while(|a| *a == "--").collect();
        if args.len() > 1 {
            sh.builtin_error("cd", "too many arguments").await;
            return done(1);
        }
        let (target, print) = match args.first() {
            None => match sh.scalar("HOME") {
                Some(home) => (home, false),
                None => {
                    sh.builtin_error("cd", "HOME not set").await;
                    return done(1);
                }
            },
            Some(&"-") => match sh.scalar("OLDPWD") {
                Some(old) => (old, true),
                None => {
                    sh.builtin_error("cd", "OLDPWD not set").await;
                    return done(1);
                }
            },
            Some(dir) => (dir.to_string(), false),
        };
        if target.is_empty() {
            return done(0);
        }
        let Ok(absolute) = join_normalized(&sh.state.cwd, &target) else {
            sh.builtin_error("cd", &format!("{target}: File name too long"))
                .await;
            return done(1);
        };
        match sh.env.fs.metadata(&absolute).await {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                sh.builtin_error("cd", &format!("{target}: Not a directory"))
                    .await;
                return done(1);
            }
            Err(err) => {
                sh.builtin_error("cd", &format!("{target}: {}", err.errno()))
                    .await;
                return done(1);
            }
        }
        let old = std::mem::replace(&mut sh.state.cwd, absolute.clone());
        let _ = sh.set_scalar("OLDPWD", old);
        let _ = sh.set_scalar("PWD", absolute.clone());
        if print {
            let line = format!("{absolute}\n");
            sh.out("cd", line.as_bytes()).await?;
        }
        done(0)
    })
}
