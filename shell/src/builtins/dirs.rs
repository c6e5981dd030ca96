//! The directory stack: `dirs [-clpv] [+N] [-N]`, `pushd [-n] [+N | -N |
//! dir]`, `popd [-n] [+N | -N]`.
//!
//! A port of bash's `pushd.def`. bash numbers its stack from the bottom
//! (`list[0]` is the oldest entry, `list[len - 1]` the top, the working
//! directory above it); [`State::dir_stack`] holds the entries newest
//! first, so each builtin works on a bottom-first copy and stores it back.
//!
//! [`State::dir_stack`]: crate::state::State::dir_stack

use super::test::{invalid_number, legal_number};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use wasm_agent_vfs::path::join_normalized;

const DIRS_USAGE: &str = "dirs [-clpv] [+N] [-N]";
const PUSHD_USAGE: &str = "pushd [-n] [+N | -N | dir]";
const POPD_USAGE: &str = "popd [-n] [+N | -N]";

/// The stack bottom first, as bash indexes it.
fn bottom_first(sh: &Interp) -> Vec<String> {
    sh.state.dir_stack.iter().rev().cloned().collect()
}

fn store(sh: &mut Interp, list: Vec<String>) {
    sh.state.dir_stack = list.into_iter().rev().collect();
}

/// `~/x` for a directory under `$HOME` (bash leaves a `HOME` of `/` alone).
fn polite(sh: &mut Interp, dir: &str) -> String {
    match sh.scalar("HOME") {
        Some(home) if home.len() > 1 => match dir.strip_prefix(home.as_str()) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("~{rest}"),
            _ => dir.to_string(),
        },
        _ => dir.to_string(),
    }
}

/// bash's `pushd_error`.
async fn stack_error(sh: &mut Interp, name: &str, len: usize, arg: &str) {
    let message = if len == 0 {
        "directory stack empty".to_string()
    } else {
        format!("{arg}: directory stack index out of range")
    };
    sh.builtin_error(name, &message).await;
}

/// `+N`/`-N`: the sign and the number, or an "invalid number" usage error.
async fn stack_number(sh: &mut Interp, name: &str, word: &str, usage: &str) -> Result<i64, i32> {
    match legal_number(&word[1..]) {
        Some(n) => Ok(n),
        None => {
            sh.builtin_error(name, &invalid_number(word)).await;
            Err(sh.usage(name, usage).await)
        }
    }
}

/// `cd` as the stack builtins use it (messages carry their name); `-`
/// goes to `$OLDPWD` and prints it. False if the directory was refused.
async fn change_dir(sh: &mut Interp, name: &str, dir: &str) -> Exec<bool> {
    let (target, print) = if dir == "-" {
        match sh.scalar("OLDPWD") {
            Some(old) => (old, true),
            None => {
                sh.builtin_error(name, "OLDPWD not set").await;
                return Ok(false);
            }
        }
    } else {
        (dir.to_string(), false)
    };
    if target.is_empty() {
        return Ok(true);
    }
    let Ok(absolute) = join_normalized(&sh.state.cwd, &target) else {
        sh.builtin_error(name, &format!("{target}: File name too long"))
            .await;
        return Ok(false);
    };
    match sh.env.fs.metadata(&absolute).await {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            sh.builtin_error(name, &format!("{target}: Not a directory"))
                .await;
            return Ok(false);
        }
        Err(err) => {
            sh.builtin_error(name, &format!("{target}: {}", err.errno()))
                .await;
            return Ok(false);
        }
    }
    let old = std::mem::replace(&mut sh.state.cwd, absolute.clone());
    let _ = sh.set_scalar("OLDPWD", old);
    let _ = sh.set_scalar("PWD", absolute.clone());
    if print {
        sh.out(name, format!("{absolute}\n").as_bytes()).await?;
    }
    Ok(true)
}

/// Prints the stack the way `dirs` alone does (after `pushd`/`popd`).
async fn print_stack(sh: &mut Interp, name: &str) -> Exec<bool> {
    let mut line = polite(sh, &sh.state.cwd.clone());
    for dir in sh.state.dir_stack.clone() {
        line.push(' ');
        line.push_str(&polite(sh, &dir));
    }
    line.push('\n');
    sh.out(name, line.as_bytes()).await
}

/// `dirs`: prints the stack, the working directory first (`-p` one per
/// line, `-v` numbered, `-l` without `~`), or one entry (`+N` from the
/// left, `-N` from the right); `-c` clears it.
pub(crate) fn dirs(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let (mut long, mut clear, mut numbered, mut per_line) = (false, false, false, false);
        // bash's `index_flag`: 1 counts from the left, 2 from the right.
        let mut index: Option<(i64, u8, String)> = None;
        let list = bottom_first(sh);
        let len = list.len() as i64;
        for word in &argv[1..] {
            match word.as_str() {
                "-l" => long = true,
                "-c" => clear = true,
                "-v" => numbered = true,
                "-p" => per_line = true,
                "--" => break,
                w if w.starts_with('+') || w.starts_with('-') => {
                    let n = match stack_number(sh, "dirs", w, DIRS_USAGE).await {
                        Ok(n) => n,
                        Err(status) => return done(status),
                    };
                    let left = w.starts_with('+');
                    index = Some(if n == 0 && left {
                        (0, 1, w[1..].to_string())
                    } else if n == len {
                        (0, if left { 2 } else { 1 }, w[1..].to_string())
                    } else if (0..=len).contains(&n) {
                        (
                            if left { len - n } else { n },
                            if left { 1 } else { 2 },
                            w[1..].to_string(),
                        )
                    } else {
                        (-1, if left { 1 } else { 2 }, w[1..].to_string())
                    });
                }
                w => {
                    sh.builtin_error("dirs", &format!("{w}: invalid option"))
                        .await;
                    return done(sh.usage("dirs", DIRS_USAGE).await);
                }
            }
        }
        if clear {
            sh.state.dir_stack.clear();
            return done(0);
        }
        let show = |sh: &mut Interp, dir: &str| {
            if long {
                dir.to_string()
            } else {
                polite(sh, dir)
            }
        };
        let cwd = sh.state.cwd.clone();
        let mut text = String::new();
        match index {
            Some((desired, _, word)) if desired < 0 || desired > len => {
                stack_error(sh, "dirs", list.len(), &word).await;
                return done(1);
            }
            Some((0, 1, _)) => {
                let dir = show(sh, &cwd);
                text = if numbered {
                    format!(" 0  {dir}\n")
                } else {
                    format!("{dir}\n")
                };
            }
            Some((desired, _, _)) => {
                let dir = show(sh, &list[desired as usize]);
                text = if numbered {
                    format!("{:2}  {dir}\n", len - desired)
                } else {
                    format!("{dir}\n")
                };
            }
            None => {
                let dir = show(sh, &cwd);
                text.push_str(&if numbered { format!(" 0  {dir}") } else { dir });
                for (i, entry) in list.iter().enumerate().rev() {
                    let dir = show(sh, entry);
                    if numbered {
                        text.push_str(&format!("\n{:2}  {dir}", len - i as i64));
                    } else {
                        text.push_str(if per_line { "\n" } else { " " });
                        text.push_str(&dir);
                    }
                }
                text.push('\n');
            }
        }
        let ok = sh.out("dirs", text.as_bytes()).await?;
        done(if ok { 0 } else { 1 })
    })
}

/// `pushd`: with a directory, changes to it and pushes the old working
/// directory; with `+N`/`-N`, rotates the stack; alone, swaps the top two.
/// `-n` changes the stack but not the working directory.
pub(crate) fn pushd(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut list = bottom_first(sh);
        let mut args = &argv[1..];
        let skip_options = args.first().is_some_and(|a| a == "--");
        if skip_options {
            args = &args[1..];
        }
        if args.is_empty() {
            let Some(top) = list.pop() else {
                sh.builtin_error("pushd", "no other directory").await;
                return done(1);
            };
            list.push(sh.state.cwd.clone());
            if !change_dir(sh, "pushd", &top).await? {
                return done(1);
            }
            store(sh, list);
            print_stack(sh, "pushd").await?;
            return done(0);
        }
        let mut no_cd = false;
        let mut rotate = None;
        let mut i = 0;
        while !skip_options && i < args.len() {
            let word = args[i].as_str();
            if word == "-n" {
                no_cd = true;
            } else if word == "--" {
                i += 1;
                break;
            } else if word == "-" {
                break;
            } else if word.starts_with('+') || word.starts_with('-') {
                let n = match stack_number(sh, "pushd", word, PUSHD_USAGE).await {
                    Ok(n) => n,
                    Err(status) => return done(status),
                };
                let len = list.len() as i64;
                let n = if word.starts_with('-') { len - n } else { n };
                if n > len || n < 0 {
                    stack_error(sh, "pushd", list.len(), word).await;
                    return done(1);
                }
                rotate = Some(n as usize);
                break;
            } else {
                break;
            }
            i += 1;
        }
        if let Some(n) = rotate {
            // The working directory counts as the top of the stack.
            let mut target = sh.state.cwd.clone();
            for _ in 0..n {
                let top = list.pop().expect("n is at most the stack's length");
                list.insert(0, target);
                target = top;
            }
            if no_cd {
                store(sh, list);
                return done(0);
            }
            if !change_dir(sh, "pushd", &target).await? {
                return done(1);
            }
            store(sh, list);
            print_stack(sh, "pushd").await?;
            return done(0);
        }
        let args = &args[i..];
        let Some(dir) = args.first() else {
            return done(0);
        };
        if args.len() > 1 {
            sh.builtin_error("pushd", "too many arguments").await;
            return done(1);
        }
        let previous = sh.state.cwd.clone();
        if no_cd {
            list.push(dir.clone());
        } else {
            if !change_dir(sh, "pushd", dir).await? {
                return done(1);
            }
            list.push(previous);
        }
        store(sh, list);
        print_stack(sh, "pushd").await?;
        done(0)
    })
}

/// `popd`: removes the top entry and changes to the new top (`-n`: keeps
/// the working directory), or removes entry `+N`/`-N`.
pub(crate) fn popd(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut list = bottom_first(sh);
        let len = list.len() as i64;
        let (mut no_cd, mut which, mut from_left, mut which_word) = (false, 0i64, true, None);
        for word in &argv[1..] {
            match word.as_str() {
                "-n" => no_cd = true,
                "--" => break,
                w if w.starts_with('+') || w.starts_with('-') => {
                    which = match stack_number(sh, "popd", w, POPD_USAGE).await {
                        Ok(n) => n,
                        Err(status) => return done(status),
                    };
                    from_left = w.starts_with('+');
                    which_word = Some(w.to_string());
                }
                "" => break,
                w => {
                    sh.builtin_error("popd", &format!("{w}: invalid argument"))
                        .await;
                    return done(sh.usage("popd", POPD_USAGE).await);
                }
            }
        }
        let word = which_word.unwrap_or_default();
        if which > len || which < -len || (len == 0 && which == 0) {
            stack_error(sh, "popd", list.len(), &word).await;
            return done(1);
        }
        if (from_left && which == 0) || (!from_left && which == len) {
            let top = list.last().cloned().expect("the stack is not empty");
            if !no_cd && !change_dir(sh, "popd", &top).await? {
                return done(1);
            }
            list.pop();
        } else {
            let i = if from_left { len - which } else { which };
            if i < 0 || i > len {
                stack_error(sh, "popd", list.len(), &word).await;
                return done(1);
            }
            list.remove(i as usize);
        }
        store(sh, list);
        print_stack(sh, "popd").await?;
        done(0)
    })
}
