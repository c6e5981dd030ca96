//! `type [-afptP] name…`, and the lookup it shares with `command -v/-V`,
//! `which` and `hash`: what a name means, in bash's order — alias (only
//! with `expand_aliases`), keyword, function, builtin, file.
//!
//! Files: a name with a `/` is a file if it exists; any other name is one
//! when the command runner has it (a guest tool or host command) or when
//! it is one of the shell's own programs (`xargs`, `env`…). Programs live
//! in [`BIN_DIR`], so `type ls` says `ls is /usr/bin/ls`. `$PATH` is not
//! searched, as dispatch does not search it either; nothing is hashed.

use super::internal_getopt;
use super::program::{is_shell_program, BIN_DIR};
use super::{done, Ret};
use crate::builtins;
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// bash's reserved words.
const KEYWORDS: &[&str] = &[
    "!", "[[", "]]", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for",
    "function", "if", "in", "select", "then", "time", "until", "while", "{", "}",
];

/// How a meaning is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `ls is /usr/bin/ls` (`type`, `command -V`).
    Sentence,
    /// `file` (`type -t`).
    Kind,
    /// The path of files only (`type -p`, `type -P`).
    Path,
    /// As a command would reuse it: `/usr/bin/ls`, `alias ll='ls -l'`
    /// (`command -v`).
    Reusable,
}

/// What to look for and how to print it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Describe {
    /// How to write what is found.
    pub(crate) style: Style,
    /// Every meaning, not just the first (`-a`).
    pub(crate) all: bool,
    /// Skip functions (`-f`).
    pub(crate) no_functions: bool,
    /// Files only (`-P`).
    pub(crate) force_path: bool,
}

impl Describe {
    /// The first meaning, written in `style`.
    pub(crate) fn first(style: Style) -> Describe {
        Describe {
            style,
            all: false,
            no_functions: false,
            force_path: false,
        }
    }
}

/// True if `name` is a builtin of this shell in bash's sense (not one of
/// the programs it implements).
pub(crate) fn is_builtin(name: &str) -> bool {
    builtins::lookup(name).is_some() && !is_shell_program(name)
}

/// The file `name` runs, if it runs one: its path (`/usr/bin/ls`, or
/// the name itself when it has a `/`).
pub(crate) async fn file_path(sh: &Interp, name: &str) -> Option<String> {
    if name.contains('/') {
        let path = sh.absolute_path(name);
        return match sh.env.fs.metadata(&path).await {
            Ok(meta) if !meta.is_dir() => Some(name.to_string()),
            _ => None,
        };
    }
    if name.is_empty() {
        return None;
    }
    if is_shell_program(name) || sh.env.runner.lookup(name).await.is_some() {
        return Some(format!("{BIN_DIR}/{name}"));
    }
    None
}

/// Appends what `name` means to `out`; returns whether it means anything
/// (bash's `describe_command`).
pub(crate) async fn describe(sh: &Interp, name: &str, how: Describe, out: &mut String) -> bool {
    let mut found = false;
    let line = |out: &mut String, kind: &str, sentence: String, reusable: String| {
        match how.style {
            Style::Kind => out.push_str(kind),
            Style::Sentence => out.push_str(&sentence),
            Style::Reusable => out.push_str(&reusable),
            Style::Path => return,
        }
        out.push('\n');
    };
    if !how.force_path && sh.state.options.expand_aliases {
        if let Some(value) = sh.state.aliases.get(name) {
            line(
                out,
                "alias",
                format!("{name} is aliased to `{value}'"),
                format!("alias {name}={}", super::alias::single_quote(value)),
            );
            found = true;
            if !how.all {
                return true;
            }
        }
    }
    if !how.force_path && KEYWORDS.contains(&name) {
        line(
            out,
            "keyword",
            format!("{name} is a shell keyword"),
            name.to_string(),
        );
        found = true;
        if !how.all {
            return true;
        }
    }
    if !how.force_path && !how.no_functions {
        if let Some(function) = sh.state.functions.get(name) {
            line(
                out,
                "function",
                format!("{name} is a function\n{function}"),
                name.to_string(),
            );
            found = true;
            if !how.all {
                return true;
            }
        }
    }
    if !how.force_path && is_builtin(name) && sh.enabled_builtin(name).is_some() {
        line(
            out,
            "builtin",
            format!("{name} is a shell builtin"),
            name.to_string(),
        );
        found = true;
        if !how.all {
            return true;
        }
    }
    if let Some(path) = file_path(sh, name).await {
        match how.style {
            Style::Kind => out.push_str("file\n"),
            Style::Sentence => out.push_str(&format!("{name} is {path}\n")),
            Style::Path | Style::Reusable => out.push_str(&format!("{path}\n")),
        }
        found = true;
    }
    found
}

/// `type`: says what each name means.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let parsed = match internal_getopt::parse(&argv, "afptP") {
            Ok(parsed) => parsed,
            Err(err) => {
                return done(
                    sh.option_error("type", err, "type [-afptP] name [name ...]")
                        .await,
                )
            }
        };
        let options = parsed.options;
        let names = argv[parsed.first_operand..].to_vec();
        let mut how = Describe::first(Style::Sentence);
        for (option, _) in options {
            match option {
                'a' => how.all = true,
                'f' => how.no_functions = true,
                'p' => how.style = Style::Path,
                't' => how.style = Style::Kind,
                'P' => {
                    how.style = Style::Path;
                    how.force_path = true;
                }
                _ => {}
            }
        }
        let mut status = 0;
        for name in names {
            let mut text = String::new();
            let found = describe(sh, &name, how, &mut text).await;
            sh.out("type", text.as_bytes()).await?;
            if !found {
                if how.style == Style::Sentence {
                    sh.builtin_error("type", &format!("{name}: not found"))
                        .await;
                }
                status = 1;
            }
        }
        done(status)
    })
}
