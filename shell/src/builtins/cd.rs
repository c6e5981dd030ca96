//! `cd [-L|-P] [dir]` and `pwd [-LP]`, with `CDPATH`.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use std::sync::Arc;
use wasm_agent_vfs::path::join_normalized;
use wasm_agent_vfs::{FileType, Vfs};

/// Most symbolic links followed while resolving one path (Linux's limit).
const MAX_LINKS: usize = 40;

/// `cd`: changes the working directory, logically by default (`..`
/// removes the last component of `$PWD`) or physically with `-P` (symbolic
/// links resolved first). `cd` alone goes to `$HOME`, `cd -` to `$OLDPWD`
/// (printed); a relative name is looked up in `$CDPATH` (printed when found
/// there).
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut physical = false;
        let mut operands = Vec::new();
        let mut options_done = false;
        for arg in &argv[1..] {
            if options_done || !arg.starts_with('-') || arg == "-" {
                options_done = true;
                operands.push(arg.clone());
                continue;
            }
            if arg == "--" {
                options_done = true;
                continue;
            }
            for letter in arg[1..].chars() {
                match letter {
                    'P' => physical = true,
                    'L' => physical = false,
                    'e' | '@' => {}
                    _ => {
                        sh.builtin_error("cd", &format!("{arg}: invalid option"))
                            .await;
                        sh.error_line_bare("cd: usage: cd [-L|[-P [-e]] [-@]] [dir]")
                            .await;
                        return done(2);
                    }
                }
            }
        }
        if operands.len() > 1 {
            sh.builtin_error("cd", "too many arguments").await;
            return done(1);
        }
        let (target, mut print) = match operands.first().map(String::as_str) {
            None => match sh.scalar("HOME") {
                Some(home) => (home, false),
                None => {
                    sh.builtin_error("cd", "HOME not set").await;
                    return done(1);
                }
            },
            Some("-") => match sh.scalar("OLDPWD") {
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
        let fs = sh.env.fs.clone();
        let mut candidates = Vec::new();
        if !target.starts_with('/') && !is_dot_relative(&target) {
            for entry in sh.scalar("CDPATH").unwrap_or_default().split(':') {
                if !entry.is_empty() {
                    candidates.push((format!("{entry}/{target}"), true));
                }
            }
        }
        candidates.push((target.clone(), false));
        for (candidate, from_cdpath) in &candidates {
            let Ok(logical) = join_normalized(&sh.state.cwd, candidate) else {
                continue;
            };
            let found = if *from_cdpath {
                is_dir(&fs, &logical).await
            } else {
                true
            };
            if !found {
                continue;
            }
            let destination = if physical {
                let unresolved = if candidate.starts_with('/') {
                    candidate.clone()
                } else {
                    format!("{}/{candidate}", sh.state.cwd)
                };
                match resolve_physical(&fs, &unresolved).await {
                    Ok(path) => path,
                    Err(message) => {
                        sh.builtin_error("cd", &format!("{target}: {message}"))
                            .await;
                        return done(1);
                    }
                }
            } else {
                logical
            };
            match fs.metadata(&destination).await {
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
            print |= *from_cdpath;
            let old = std::mem::replace(&mut sh.state.cwd, destination.clone());
            let _ = sh.set_scalar("OLDPWD", old);
            let _ = sh.set_scalar("PWD", destination.clone());
            if print {
                let line = format!("{destination}\n");
                sh.out("cd", line.as_bytes()).await?;
            }
            return done(0);
        }
        unreachable!("the target itself is always a candidate")
    })
}

/// `pwd`: prints the working directory (`-P`: with symbolic links
/// resolved).
pub(crate) fn pwd(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut physical = false;
        for arg in &argv[1..] {
            match arg.as_str() {
                "-P" => physical = true,
                "-L" => physical = false,
                "--" => break,
                option if option.starts_with('-') && option.len() > 1 => {
                    sh.builtin_error("pwd", &format!("{option}: invalid option"))
                        .await;
                    sh.error_line_bare("pwd: usage: pwd [-LP]").await;
                    return done(2);
                }
                _ => break,
            }
        }
        let mut dir = sh.state.cwd.clone();
        if physical {
            let fs = sh.env.fs.clone();
            if let Ok(resolved) = resolve_physical(&fs, &dir).await {
                dir = resolved;
            }
        }
        let line = format!("{dir}\n");
        let ok = sh.out("pwd", line.as_bytes()).await?;
        done(if ok { 0 } else { 1 })
    })
}

/// `./x`, `../x`, `.`, `..`: names that `CDPATH` does not apply to.
fn is_dot_relative(name: &str) -> bool {
    name == "." || name == ".." || name.starts_with("./") || name.starts_with("../")
}

async fn is_dir(fs: &Arc<dyn Vfs>, path: &str) -> bool {
    fs.metadata(path).await.is_ok_and(|meta| meta.is_dir())
}

/// `path` (absolute, possibly with `.`, `..` and symbolic links) with
/// every symbolic link resolved before the `..` that follows it, as the
/// kernel resolves it.
async fn resolve_physical(fs: &Arc<dyn Vfs>, path: &str) -> Result<String, String> {
    let mut pending: Vec<String> = path.split('/').rev().map(str::to_string).collect();
    let mut resolved: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(component) = pending.pop() {
        match component.as_str() {
            "" | "." => continue,
            ".." => {
                resolved.pop();
                continue;
            }
            _ => {}
        }
        let candidate = format!(
            "/{}",
            [resolved.join("/"), component.clone()]
                .join("/")
                .trim_start_matches('/')
        );
        let meta = fs
            .symlink_metadata(&candidate)
            .await
            .map_err(|err| err.errno().to_string())?;
        if meta.file_type != FileType::Symlink {
            resolved.push(component);
            continue;
        }
        links += 1;
        if links > MAX_LINKS {
            return Err("Too many levels of symbolic links".into());
        }
        let target = fs
            .read_link(&candidate)
            .await
            .map_err(|err| err.errno().to_string())?;
        if target.starts_with('/') {
            resolved.clear();
        }
        pending.extend(target.split('/').rev().map(str::to_string));
    }
    Ok(format!("/{}", resolved.join("/")))
}
