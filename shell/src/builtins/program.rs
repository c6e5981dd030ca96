//! Programs: what `env`, `timeout`, `xargs` and `find -exec` start.
//!
//! On a real system these run executables found in `$PATH`, never shell
//! functions or builtins, so `env echo` runs `/usr/bin/echo`. Here a
//! program is one of:
//!
//! - a guest tool or host command of the [`CommandRunner`], which by
//!   convention lives in [`BIN_DIR`] (`type`, `command -v` and `which`
//!   report `/usr/bin/<name>`);
//! - a command this shell implements but that is a program elsewhere
//!   ([`SHELL_PROGRAMS`]: `bash`, `env`, `xargs`…), so `xargs sh -c '…'`
//!   and `timeout 5 bash script.sh` work;
//! - a script named by a path (`find . -exec ./fix.sh {} \;`).
//!
//! [`run`] starts one with its own environment, streams, working directory
//! and deadline, and tells the caller whether it ran at all, so each caller
//! can word the failure the way its GNU original does.
//!
//! [`CommandRunner`]: crate::runner::CommandRunner

use crate::builtins;
use crate::error::{Exec, Interrupt};
use crate::interp::{BoxFuture, Interp};
use crate::io::{Input, Output};
use crate::runner::Invocation;
use crate::state::{Attrs, Fd, Value, Variable, Variables};
use std::time::Instant;

/// Where programs live, as `type` and `which` report them.
pub(crate) const BIN_DIR: &str = "/usr/bin";

/// The directories of a Linux system where programs live: paths into them
/// name tools, and a `PATH` without any of them finds none.
pub(crate) const SYSTEM_DIRS: &[&str] =
    &["/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin"];

/// Commands implemented by the shell that are programs on a real system:
/// `type` calls them files in [`BIN_DIR`], and programs may run them.
pub(crate) const SHELL_PROGRAMS: &[&str] =
    &["bash", "chmod", "env", "sh", "timeout", "which", "xargs"];

/// True if `name` is one of [`SHELL_PROGRAMS`].
pub(crate) fn is_shell_program(name: &str) -> bool {
    SHELL_PROGRAMS.contains(&name)
}

/// How to start a program; every field defaults to the shell's own.
#[derive(Debug, Default)]
pub(crate) struct Launch {
    /// The whole environment (replacing the shell's exported variables).
    pub(crate) env: Option<Vec<(String, String)>>,
    /// Standard input.
    pub(crate) stdin: Option<Input>,
    /// Standard output.
    pub(crate) stdout: Option<Output>,
    /// Working directory (absolute).
    pub(crate) cwd: Option<String>,
    /// When to stop it (`timeout`).
    pub(crate) deadline: Option<Instant>,
}

/// How a program ended, or why it never started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// It ran and exited with this status.
    Exited(i32),
    /// A tool was stopped the way a signal would stop a process (the
    /// runner's 128+n statuses: 141 broken pipe, 137 memory limit…).
    Signaled(i32),
    /// It was stopped at [`Launch::deadline`].
    TimedOut,
    /// No such program (`ENOENT`).
    NotFound,
    /// The name is a directory or a file without an execute bit
    /// (`EACCES`).
    NotExecutable,
    /// The runner could not start it.
    Failed(String),
}

/// Runs `argv` as a program. Only the end of the whole call (its own
/// deadline or a limit) is an `Err`.
pub(crate) fn run(
    sh: &mut Interp,
    mut argv: Vec<String>,
    launch: Launch,
) -> BoxFuture<'_, Exec<Outcome>> {
    // Boxed: a program may be `find`, `xargs`… starting programs again.
    Box::pin(async move {
        sh.tick().await?;
        if let Some(program) = system_program(sh, &argv[0]).await {
            argv[0] = program;
        }
        let name = argv[0].clone();
        if name.contains('/') {
            let path = sh.absolute_path(&name);
            return match sh.env.fs.metadata(&path).await {
                Err(_) => Ok(Outcome::NotFound),
                // bash's 126: a directory, or a file nobody may run.
                Ok(meta) if meta.is_dir() || meta.mode & 0o111 == 0 => Ok(Outcome::NotExecutable),
                Ok(_) => {
                    let deadline = launch.deadline;
                    let mut child = child(sh, launch);
                    let status = with_deadline(sh, deadline, async {
                        child.run_script_file(&name, argv).await
                    })
                    .await?;
                    Ok(status.map_or(Outcome::TimedOut, Outcome::Exited))
                }
            };
        }
        if is_shell_program(&name) {
            let Some(builtin) = builtins::lookup(&name) else {
                return Ok(Outcome::NotFound);
            };
            let deadline = launch.deadline;
            let mut child = child(sh, launch);
            let status = with_deadline(sh, deadline, async {
                builtin(&mut child, argv).await.map(|(status, _)| status)
            })
            .await?;
            return Ok(status.map_or(Outcome::TimedOut, Outcome::Exited));
        }
        if name == "find" && super::find_exec::has_exec(&argv) {
            let deadline = launch.deadline;
            let mut child = child(sh, launch);
            let status =
                with_deadline(sh, deadline, super::find_exec::run(&mut child, argv)).await?;
            return Ok(status.map_or(Outcome::TimedOut, Outcome::Exited));
        }
        if sh.env.runner.lookup(&name).await.is_none() {
            return Ok(Outcome::NotFound);
        }
        run_tool(sh, argv, launch).await
    })
}

/// The program a path such as `/usr/bin/grep` names when no such file
/// exists: programs live nowhere, but scripts (and `which`) name them by
/// the paths they have on a Linux system.
pub(crate) async fn system_program(sh: &Interp, path: &str) -> Option<String> {
    let name = SYSTEM_DIRS
        .iter()
        .find_map(|dir| path.strip_prefix(dir)?.strip_prefix('/'))?;
    if name.is_empty() || name.contains('/') || sh.env.fs.symlink_metadata(path).await.is_ok() {
        return None;
    }
    let known = is_shell_program(name) || sh.env.runner.lookup(name).await.is_some();
    known.then(|| name.to_string())
}

/// Runs a command of the runner (no lookup: the caller knows it exists).
pub(crate) async fn run_tool(sh: &mut Interp, argv: Vec<String>, launch: Launch) -> Exec<Outcome> {
    let deadline = match (sh.env.deadline, launch.deadline) {
        (Some(call), Some(own)) => Some(call.min(own)),
        (call, own) => call.or(own),
    };
    let invocation = Invocation {
        argv,
        env: launch.env.unwrap_or_else(|| sh.state.vars.environment()),
        cwd: launch.cwd.unwrap_or_else(|| sh.state.cwd.clone()),
        stdin: launch.stdin.unwrap_or_else(|| sh.state.fds.stdin()),
        stdout: launch.stdout.unwrap_or_else(|| sh.state.fds.stdout()),
        stderr: sh.state.fds.stderr(),
        deadline,
    };
    let status = match sh.env.runner.run(invocation).await {
        Ok(status) => status,
        Err(err) => return Ok(Outcome::Failed(err.to_string())),
    };
    let now = Instant::now();
    if status == 124 {
        if sh.env.deadline.is_some_and(|d| now >= d) {
            return Err(call_timed_out());
        }
        if launch.deadline.is_some_and(|d| now >= d) {
            return Ok(Outcome::TimedOut);
        }
    }
    if (129..=128 + super::trap::MAX_SIGNAL as i32).contains(&status) {
        return Ok(Outcome::Signaled(status - 128));
    }
    Ok(Outcome::Exited(status))
}

/// The interrupt that ends a call whose time is up.
fn call_timed_out() -> Interrupt {
    Interrupt::Fatal {
        status: 124,
        message: "timed out".into(),
    }
}

/// A shell to run a program in: a subshell of `sh` with the launch's
/// environment, streams and directory.
fn child(sh: &Interp, launch: Launch) -> Interp {
    let mut child = sh.subshell();
    if let Some(env) = launch.env {
        // A program sees its environment and nothing else of the shell.
        let mut vars = Variables::default();
        for (name, value) in env {
            vars.insert(
                &name,
                Variable {
                    value: Some(Value::Scalar(value)),
                    attrs: Attrs {
                        exported: true,
                        ..Attrs::default()
                    },
                },
            );
        }
        child.state.vars = vars;
    }
    if let Some(stdin) = launch.stdin {
        child.state.fds.set(0, Some(Fd::Input(stdin)));
    }
    if let Some(stdout) = launch.stdout {
        child.state.fds.set(1, Some(Fd::Output(stdout)));
    }
    if let Some(cwd) = launch.cwd {
        child.state.cwd = cwd;
    }
    child
}

/// Runs `work` until `deadline`; `None` if the deadline came first. The
/// end of the whole call still ends the caller.
async fn with_deadline(
    sh: &Interp,
    deadline: Option<Instant>,
    work: impl std::future::Future<Output = Exec<i32>>,
) -> Exec<Option<i32>> {
    let result = match deadline {
        Some(deadline) => {
            match tokio::time::timeout_at(tokio::time::Instant::from_std(deadline), work).await {
                Ok(result) => result,
                Err(_) => return Ok(None),
            }
        }
        None => work.await,
    };
    match result {
        Ok(status) => Ok(Some(status)),
        Err(interrupt) if sh.env.deadline.is_some_and(|d| Instant::now() >= d) => Err(interrupt),
        Err(interrupt) => Ok(Some(interrupt.status())),
    }
}
