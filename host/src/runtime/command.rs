//! A command to run: argv, environment, working directory, streams, limits.

use super::limits::Limits;
use crate::io::{Capture, Input, Output};
use std::time::Duration;

/// One guest command invocation, built like `std::process::Command`.
#[derive(Debug)]
pub struct Command {
    pub(crate) argv: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) cwd: Option<String>,
    pub(crate) stdin: Input,
    pub(crate) stdout: Output,
    pub(crate) stderr: Output,
    pub(crate) limits: Option<Limits>,
    pub(crate) timeout: Option<Duration>,
    /// Stopping at the timeout prints nothing: the caller (the shell's
    /// `timeout` builtin, or its own time limit) reports it.
    pub(crate) quiet_timeout: bool,
}

impl Command {
    /// A command running `program` (the tool name, also its `argv[0]`), in
    /// `/`, with no arguments, an empty environment, empty stdin and
    /// discarded output.
    pub fn new(program: impl Into<String>) -> Command {
        Command {
            argv: vec![program.into()],
            env: Vec::new(),
            cwd: None,
            stdin: Input::Empty,
            stdout: Output::Discard,
            stderr: Output::Discard,
            limits: None,
            timeout: None,
            quiet_timeout: false,
        }
    }

    /// Appends one argument.
    pub fn arg(&mut self, arg: impl Into<String>) -> &mut Self {
        self.argv.push(arg.into());
        self
    }

    /// Appends arguments.
    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.argv.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable (the guest sees nothing else).
    pub fn env(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        let name = name.into();
        self.env.retain(|(n, _)| *n != name);
        self.env.push((name, value.into()));
        self
    }

    /// Sets several environment variables.
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        for (k, v) in vars {
            self.env(k, v);
        }
        self
    }

    /// The working directory, an absolute path in the sandbox. Default: the
    /// sandbox's working directory (`/` when run directly on a runtime). The
    /// guest also sees it as `$PWD`.
    pub fn cwd(&mut self, dir: impl Into<String>) -> &mut Self {
        self.cwd = Some(dir.into());
        self
    }

    /// Standard input. Default: empty.
    pub fn stdin(&mut self, input: impl Into<Input>) -> &mut Self {
        self.stdin = input.into();
        self
    }

    /// Standard output. Default: discarded.
    pub fn stdout(&mut self, output: Output) -> &mut Self {
        self.stdout = output;
        self
    }

    /// Standard error. Default: discarded.
    pub fn stderr(&mut self, output: Output) -> &mut Self {
        self.stderr = output;
        self
    }

    /// Limits for this command, replacing the runtime's defaults.
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = Some(limits);
        self
    }

    /// Wall-clock timeout for this command, overriding only the timeout of
    /// the limits in force.
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = Some(timeout);
        self
    }

    /// The limits this command runs with, given the runtime's defaults.
    pub(crate) fn effective_limits(&self, defaults: &Limits) -> Limits {
        let mut limits = self.limits.clone().unwrap_or_else(|| defaults.clone());
        if let Some(timeout) = self.timeout {
            limits.timeout = Some(timeout);
        }
        limits
    }

    /// Replaces the standard output and error with captures limited to
    /// `limit` bytes each, and returns them.
    pub(crate) fn capture_output(&mut self, limit: u64) -> (Capture, Capture) {
        let (out, err) = (Capture::new(limit), Capture::new(limit));
        self.stdout = Output::Capture(out.clone());
        self.stderr = Output::Capture(err.clone());
        (out, err)
    }

    /// The program name (`argv[0]`).
    pub fn program(&self) -> &str {
        &self.argv[0]
    }
}
