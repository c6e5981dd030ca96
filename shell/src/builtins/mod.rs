//! Builtins: commands the shell runs itself, one file per builtin, and
//! the table that registers them (marking POSIX special builtins, whose
//! prefix assignments persist).

mod alias;
mod bash;
mod builtin_;
mod cd;
mod chmod;
mod command;
mod control;
mod declare;
mod dirs;
mod echo;
mod enable;
mod env;
mod eval;
mod exec;
mod export;
pub(crate) mod find_exec;
mod getopts;
mod gnu_getopt;
mod hash;
mod internal_getopt;
mod kill;
mod r#let;
mod line_reader;
mod mapfile;
mod printf;
pub(crate) mod program;
mod read;
mod set;
mod shift;
mod shopt;
mod test;
mod timeout;
mod trap;
mod trivial;
mod type_;
mod umask;
mod unset;
mod wait;
mod which;
mod xargs;

use crate::error::{Exec, Flow, Interrupt};
use crate::interp::{BoxFuture, Interp};
use crate::io::StreamError;

/// What a builtin returns: its exit status and any control flow
/// (`break`, `return`…).
pub(crate) type Ret = (i32, Flow);

/// A builtin: runs with its argv (`argv[0]` is its name).
pub(crate) type BuiltinFn = for<'a> fn(&'a mut Interp, Vec<String>) -> BoxFuture<'a, Exec<Ret>>;

/// One row of the table.
struct Builtin {
    name: &'static str,
    run: BuiltinFn,
    /// A POSIX special builtin (`export`, `set`, `eval`…).
    special: bool,
}

/// A builtin's normal completion with `status`.
pub(crate) fn done(status: i32) -> Exec<Ret> {
    Ok((status, Flow::Normal))
}

const fn builtin(name: &'static str, run: BuiltinFn) -> Builtin {
    Builtin {
        name,
        run,
        special: false,
    }
}

const fn special(name: &'static str, run: BuiltinFn) -> Builtin {
    Builtin {
        name,
        run,
        special: true,
    }
}

/// Every builtin, sorted by name.
static BUILTINS: &[Builtin] = &[
    special(".", eval::source),
    special(":", trivial::colon),
    builtin("[", test::run),
    builtin("alias", alias::alias),
    builtin("bash", bash::run),
    special("break", control::break_),
    builtin("builtin", builtin_::run),
    builtin("cd", cd::run),
    builtin("chmod", chmod::run),
    builtin("command", command::run),
    special("continue", control::continue_),
    builtin("declare", declare::declare),
    builtin("dirs", dirs::dirs),
    builtin("echo", echo::run),
    builtin("enable", enable::run),
    builtin("env", env::run),
    special("eval", eval::eval),
    special("exec", exec::run),
    special("exit", control::exit),
    special("export", export::export),
    builtin("false", trivial::false_),
    builtin("getopts", getopts::run),
    builtin("hash", hash::run),
    builtin("kill", kill::run),
    builtin("let", r#let::run),
    builtin("local", declare::local),
    builtin("mapfile", mapfile::run),
    builtin("popd", dirs::popd),
    builtin("printf", printf::run),
    builtin("pushd", dirs::pushd),
    builtin("pwd", cd::pwd),
    builtin("read", read::run),
    builtin("readarray", mapfile::run),
    special("readonly", export::readonly),
    special("return", control::return_),
    special("set", set::run),
    builtin("sh", bash::run),
    special("shift", shift::run),
    builtin("shopt", shopt::run),
    special("source", eval::source),
    builtin("test", test::run),
    builtin("timeout", timeout::run),
    special("trap", trap::run),
    builtin("true", trivial::true_),
    builtin("type", type_::run),
    builtin("typeset", declare::declare),
    builtin("umask", umask::run),
    builtin("unalias", alias::unalias),
    special("unset", unset::run),
    builtin("wait", wait::run),
    builtin("which", which::run),
    builtin("xargs", xargs::run),
];

/// The builtin called `name`, if any.
pub(crate) fn lookup(name: &str) -> Option<BuiltinFn> {
    BUILTINS
        .binary_search_by(|b| b.name.cmp(name))
        .ok()
        .map(|i| BUILTINS[i].run)
}

/// True for a POSIX special builtin.
pub(crate) fn is_special(name: &str) -> bool {
    BUILTINS
        .binary_search_by(|b| b.name.cmp(name))
        .is_ok_and(|i| BUILTINS[i].special)
}

/// The names of every builtin, sorted.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|b| b.name)
}

impl Interp {
    /// Writes a builtin's output to stdout. A closed pipe ends the
    /// (sub)shell like SIGPIPE (status 141); other failures print
    /// `name: write error: …` and return false.
    pub(crate) async fn out(&mut self, name: &str, data: &[u8]) -> Exec<bool> {
        if self.state.fds.get(1).is_none() && !data.is_empty() {
            // `echo x >&-`: the descriptor is closed.
            self.error_line(&format!("{name}: write error: Bad file descriptor"))
                .await;
            return Ok(false);
        }
        match self.state.fds.stdout().write_all(data).await {
            Ok(()) => Ok(true),
            Err(StreamError::BrokenPipe) => Err(Interrupt::Exit(141)),
            Err(err) => {
                self.error_line(&format!("{name}: write error: {err}"))
                    .await;
                Ok(false)
            }
        }
    }

    /// The builtin `name` runs, unless there is none or `enable -n` turned
    /// it off.
    pub(crate) fn enabled_builtin(&self, name: &str) -> Option<BuiltinFn> {
        if self.state.disabled_builtins.contains(name) {
            return None;
        }
        lookup(name)
    }

    /// Writes a builtin's diagnostic to stderr (`bash: name: message`).
    pub(crate) async fn builtin_error(&mut self, name: &str, message: &str) {
        self.error_line(&format!("{name}: {message}")).await;
    }

    /// Writes the diagnostic of a builtin that stands in for a GNU tool
    /// (`chmod: message`, without bash's `bash: line N:` prefix).
    pub(crate) async fn tool_error(&mut self, tool: &str, message: &str) {
        let line = format!("{tool}: {message}\n");
        let _ = self.state.fds.stderr().write_all(line.as_bytes()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        let names: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(lookup("echo").is_some());
        assert!(lookup("nope").is_none());
        assert!(is_special("export"));
        assert!(!is_special("echo"));
    }
}
