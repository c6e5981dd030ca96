//! The public face of the crate: a [`Shell`] runs scripts over a filesystem
//! and a command runner, and returns their output and exit status.
//!
//! State model: the filesystem is the caller's and persists by nature.
//! Shell state (variables, functions, aliases, options, working directory)
//! starts fresh for every call unless [`ShellBuilder::keep_state`] is set,
//! in which case each call continues where the previous one ended, like
//! successive commands typed into one interactive bash.

use crate::interp::{Env, Interp};
use crate::io::{Capture, Input, Output};
use crate::limits::Limits;
use crate::parse;
use crate::runner::{CommandRunner, NoCommands};
use crate::state::{Attrs, Fds, State, Value, Variable, Variables};
use std::sync::atomic::{AtomicU32, AtomicU64};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasm_agent_vfs::Vfs;

/// What a script printed and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecResult {
    /// Everything written to standard output.
    pub stdout: Vec<u8>,
    /// Everything written to standard error.
    pub stderr: Vec<u8>,
    /// The exit status, 0–255 as bash reports it (124 on timeout).
    pub exit_code: i32,
}

impl ExecResult {
    /// Standard output as text (invalid UTF-8 replaced).
    pub fn stdout_lossy(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text (invalid UTF-8 replaced).
    pub fn stderr_lossy(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// True if the script exited with status 0.
    pub fn success(&self) -> bool {
        self.exit_code == 0
    }
}

/// Per-call settings of [`Shell::exec_with`]; all optional.
#[derive(Debug, Clone, Default)]
pub struct ExecOptions {
    /// Working directory for this call (absolute, or relative to the
    /// shell's); default: the shell's.
    pub cwd: Option<String>,
    /// Variables exported to this call, on top of the shell's.
    pub env: Vec<(String, String)>,
    /// Standard input; default: empty.
    pub stdin: Option<Input>,
    /// Wall-clock limit for this call; default: [`Limits::timeout`].
    pub timeout: Option<Duration>,
    /// `$0`; default `bash`.
    pub arg0: Option<String>,
    /// `$1`, `$2`…
    pub args: Vec<String>,
    /// The script came from this file (`bash FILE`): messages read
    /// `FILE: line N: …` instead of `bash: -c: line N: …`.
    pub script_file: Option<String>,
}

impl ExecOptions {
    /// Sets the working directory.
    pub fn cwd(mut self, dir: impl Into<String>) -> Self {
        self.cwd = Some(dir.into());
        self
    }

    /// Exports `name=value` to the script.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Sets standard input.
    pub fn stdin(mut self, input: impl Into<Input>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// Sets the wall-clock limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets `$0` and the positional parameters.
    pub fn args(mut self, arg0: impl Into<String>, args: impl IntoIterator<Item = String>) -> Self {
        self.arg0 = Some(arg0.into());
        self.args = args.into_iter().collect();
        self
    }
}

/// A bash-compatible shell over a filesystem and a command runner.
///
/// Cloning is cheap (shared filesystem and runner, O(1) copies of the
/// variable tables): a clone of a configured shell is the fastest way to
/// get another one.
#[derive(Clone)]
pub struct Shell {
    fs: Arc<dyn Vfs>,
    runner: Arc<dyn CommandRunner>,
    limits: Limits,
    cwd: String,
    keep_state: bool,
    /// The state the last call ended with, when state is kept.
    kept: Option<State>,
    /// The variables every fresh call starts with (cloning is O(1)).
    base: Variables,
}

impl std::fmt::Debug for Shell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shell")
            .field("cwd", &self.cwd)
            .field("keep_state", &self.keep_state)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Shell`].
pub struct ShellBuilder {
    fs: Arc<dyn Vfs>,
    runner: Arc<dyn CommandRunner>,
    limits: Limits,
    cwd: String,
    env: Vec<(String, String)>,
    keep_state: bool,
}

impl ShellBuilder {
    /// Runs external commands with `runner` (default: none, every external
    /// command is "not found").
    pub fn runner(mut self, runner: Arc<dyn CommandRunner>) -> Self {
        self.runner = runner;
        self
    }

    /// Sets the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the initial working directory (default `/`).
    pub fn cwd(mut self, dir: impl Into<String>) -> Self {
        self.cwd = dir.into();
        self
    }

    /// Exports `name=value` to every call.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Keeps variables, functions, options and the working directory from
    /// one call to the next (default: every call starts fresh).
    pub fn keep_state(mut self, keep: bool) -> Self {
        self.keep_state = keep;
        self
    }

    /// Builds the shell.
    pub fn build(self) -> Shell {
        let cwd = wasm_agent_vfs::path::normalize(&self.cwd).unwrap_or_else(|_| "/".to_string());
        let mut base = BASE_VARIABLES.clone();
        for (name, value) in &self.env {
            base.insert(name, exported(value.clone()));
        }
        base.insert("PWD", exported(cwd.clone()));
        Shell {
            fs: self.fs,
            runner: self.runner,
            limits: self.limits,
            cwd,
            keep_state: self.keep_state,
            kept: None,
            base,
        }
    }
}

/// Variables a non-interactive bash sets itself.
const SHELL_VARIABLES: &[(&str, &str)] = &[
    ("BASH", "/bin/bash"),
    ("BASH_VERSION", "5.2.15(1)-release"),
    ("IFS", " \t\n"),
    ("OPTIND", "1"),
    ("OSTYPE", "linux-gnu"),
    ("HOSTTYPE", "x86_64"),
    ("MACHTYPE", "x86_64-pc-linux-gnu"),
    ("PS4", "+ "),
    ("SHELLOPTS", "braceexpand:hashall:interactive-comments"),
    ("UID", "1000"),
    ("EUID", "1000"),
    ("PPID", "1"),
];

/// Exported defaults, unless the caller's environment sets them.
const DEFAULT_ENV: &[(&str, &str)] = &[
    ("PATH", "/usr/local/bin:/usr/bin:/bin"),
    ("HOME", "/"),
    ("SHELL", "/bin/bash"),
    ("USER", "user"),
    ("LOGNAME", "user"),
    ("HOSTNAME", "sandbox"),
    ("SHLVL", "1"),
];

impl Shell {
    /// A shell over `fs` with default settings and no external commands.
    pub fn new(fs: Arc<dyn Vfs>) -> Shell {
        Shell::builder(fs).build()
    }

    /// A builder for a shell over `fs`.
    pub fn builder(fs: Arc<dyn Vfs>) -> ShellBuilder {
        ShellBuilder {
            fs,
            runner: Arc::new(NoCommands),
            limits: Limits::default(),
            cwd: "/".to_string(),
            env: Vec::new(),
            keep_state: false,
        }
    }

    /// The filesystem.
    pub fn fs(&self) -> &Arc<dyn Vfs> {
        &self.fs
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The working directory the next call starts in.
    pub fn cwd(&self) -> &str {
        self.kept.as_ref().map_or(&self.cwd, |state| &state.cwd)
    }

    /// Replaces the filesystem and the command runner (an embedder whose
    /// filesystem was swapped, e.g. restored from a snapshot, keeps the
    /// shell state).
    pub fn rebind(&mut self, fs: Arc<dyn Vfs>, runner: Arc<dyn CommandRunner>) {
        self.fs = fs;
        self.runner = runner;
    }

    /// Forgets the kept state: the next call starts fresh.
    pub fn reset(&mut self) {
        self.kept = None;
    }

    /// Runs `script` and captures its output.
    pub async fn exec(&mut self, script: &str) -> ExecResult {
        self.exec_with(script, ExecOptions::default()).await
    }

    /// Runs `script` with per-call settings and captures its output.
    pub async fn exec_with(&mut self, script: &str, options: ExecOptions) -> ExecResult {
        let limit = self.limits.max_output_bytes;
        let stdout = Capture::new(limit);
        let stderr = Capture::new(limit);
        let exit_code = self
            .run(
                script,
                options,
                Output::Capture(stdout.clone()),
                Output::Capture(stderr.clone()),
            )
            .await;
        ExecResult {
            stdout: stdout.take(),
            stderr: stderr.take(),
            exit_code,
        }
    }

    /// Runs `script` writing to the given streams (for callers that show
    /// output as it comes); returns the exit status.
    pub async fn run(
        &mut self,
        script: &str,
        options: ExecOptions,
        stdout: Output,
        stderr: Output,
    ) -> i32 {
        let started = Instant::now();
        let timeout = options.timeout.or(self.limits.timeout);
        let env = Arc::new(Env {
            fs: self.fs.clone(),
            runner: self.runner.clone(),
            limits: self.limits.clone(),
            deadline: timeout.map(|t| started + t),
            started,
            commands: AtomicU64::new(0),
            next_pid: AtomicU32::new(SHELL_PID + 1),
            shell_pid: SHELL_PID,
            background: std::sync::Mutex::new(Some(Vec::new())),
        });
        let fds = Fds::new(options.stdin.clone().unwrap_or_default(), stdout, stderr);
        let state = match self.kept.take() {
            Some(mut state) if self.keep_state => {
                state.fds = fds;
                state
            }
            _ => self.fresh_state(fds),
        };
        let mut interp = Interp::new(state, env);
        interp.state.options.command_string = options.script_file.is_none();
        interp.begin_call(&options, &self.cwd).await;
        let origin = options.script_file.as_deref();

        let status = match timeout {
            Some(limit) => {
                let run = interp.run_script(script, origin);
                match tokio::time::timeout(limit, run).await {
                    Ok(status) => status,
                    Err(_) => {
                        interp.timed_out(limit).await;
                        124
                    }
                }
            }
            None => interp.run_script(script, origin).await,
        };
        interp.stop_background();
        if self.keep_state {
            let mut state = interp.state;
            state.fds = Fds::default();
            self.kept = Some(state);
        }
        status
    }

    /// The state a call starts with when nothing is kept.
    fn fresh_state(&self, fds: Fds) -> State {
        let mut state = State::new(self.cwd.clone(), fds, SHELL_PID);
        state.vars = self.base.clone();
        state
    }
}

/// An exported scalar variable.
fn exported(value: String) -> Variable {
    Variable {
        value: Some(Value::Scalar(value)),
        attrs: Attrs {
            exported: true,
            ..Attrs::default()
        },
    }
}

/// The variables bash sets itself and the default environment, built once.
static BASE_VARIABLES: std::sync::LazyLock<Variables> = std::sync::LazyLock::new(|| {
    let mut vars = Variables::default();
    for (name, value) in SHELL_VARIABLES {
        vars.insert(name, Variable::scalar(*value));
    }
    for (name, value) in DEFAULT_ENV {
        vars.insert(name, exported(value.to_string()));
    }
    vars
});

/// `$$` of every shell: a sandbox has no other processes to tell it from.
const SHELL_PID: u32 = 100;

impl Interp {
    /// Applies the per-call options: exported variables, `$0` and
    /// arguments, working directory (`PWD`).
    async fn begin_call(&mut self, options: &ExecOptions, default_cwd: &str) {
        for (name, value) in &options.env {
            self.state.vars.insert(name, exported(value.clone()));
        }
        if let Some(arg0) = &options.arg0 {
            self.state.arg0 = Arc::from(arg0.as_str());
        }
        if options.arg0.is_some() || !options.args.is_empty() {
            self.state.positional = Arc::new(options.args.clone());
        }
        if let Some(dir) = &options.cwd {
            let base = if self.state.cwd.is_empty() {
                default_cwd
            } else {
                &self.state.cwd
            };
            if let Ok(dir) = wasm_agent_vfs::path::join_normalized(base, dir) {
                self.state.cwd = dir;
            }
        }
        // Most calls start where the shell's `PWD` already says: no need
        // to copy the shared variable table for an identical value.
        if self.state.vars.scalar("PWD") != Some(self.state.cwd.as_str()) {
            let cwd = self.state.cwd.clone();
            self.state.vars.insert("PWD", exported(cwd));
        }
    }

    /// Parses and runs a whole script (from `file`, or given with `-c`);
    /// returns its exit status.
    async fn run_script(&mut self, script: &str, file: Option<&str>) -> i32 {
        if script.len() > self.env.limits.max_source_bytes {
            let message = format!(
                "script of {} bytes exceeds the limit of {} bytes (Limits::max_source_bytes)",
                script.len(),
                self.env.limits.max_source_bytes
            );
            self.error_line(&message).await;
            return 2;
        }
        let parsed = match parse::parse_cached(script, self.state.options.extglob) {
            Ok(parsed) => parsed,
            Err(err) => return self.run_until_syntax_error(script, err, file).await,
        };
        self.print_warnings(&parsed.warnings).await;
        let result = self.run_top_level(&parsed.program, script).await;
        let status = self.finish(result).await;
        self.wait_all().await;
        status
    }

    /// A script with a syntax error: bash reads and runs one complete
    /// command at a time, so the whole lines before the error run first;
    /// then the error is reported and the shell exits with status 2.
    async fn run_until_syntax_error(
        &mut self,
        script: &str,
        err: parse::SyntaxError,
        file: Option<&str>,
    ) -> i32 {
        let prefix = parse::complete_prefix(script, err.line, self.state.options.extglob);
        if let Some(program) = prefix {
            let result = self.run_program(&program).await;
            if let Err(interrupt) = result {
                // `exit` before the broken line: bash never reaches it.
                let status = self.finish(Err(interrupt)).await;
                self.wait_all().await;
                return status;
            }
        }
        self.state.lineno = err.line as u32;
        let prefix = match file {
            Some(file) => format!("{file}: line {}: ", err.line),
            None => format!("{}: -c: line {}: ", self.state.arg0, err.line),
        };
        let _ = self
            .state
            .fds
            .stderr()
            .write_all(err.report(&prefix).as_bytes())
            .await;
        self.state.last_status = 2;
        let status = self.finish(Ok(crate::error::Flow::Normal)).await;
        self.wait_all().await;
        status
    }

    /// Reports that the call ran out of time.
    async fn timed_out(&mut self, limit: Duration) {
        self.error_line(&crate::interp::timed_out_message(limit))
            .await;
        self.state.last_status = 124;
    }
}
