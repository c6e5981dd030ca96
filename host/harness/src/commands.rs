//! Host commands: privileged commands the sandbox shell can call by name,
//! running in the host with secrets the sandbox never sees.
//!
//! A [`Command`] is a name plus either a Rust closure or a host program
//! (`gh`, `npm`…) run with its own environment. The harness grants
//! commands harness-wide ([`InitOptions::commands`]) or to one call
//! (`PromptOptions::commands`); a script only reaches a command during an
//! operation that grants it. Every other time, a command the harness
//! knows answers `NAME: command not available` with status 127, so a
//! script can tell "not granted now" from a typo.
//!
//! [`InitOptions::commands`]: crate::InitOptions::commands

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::io::AsyncWriteExt;
use wasm_agent::{HostCall, HostCommand};

use crate::sandbox_api::HostCommands;

/// A command offered to the sandbox shell.
#[derive(Clone)]
pub struct Command {
    name: String,
    handler: HostCommand,
    /// Shown in `Debug`, never the secrets.
    kind: &'static str,
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish()
    }
}

impl Command {
    /// A command run by `handler`, a closure with the call's argv, env,
    /// cwd, streams and the sandbox filesystem; it returns the status.
    pub fn new<F, Fut>(name: impl Into<String>, handler: F) -> Command
    where
        F: Fn(HostCall) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = i32> + Send + 'static,
    {
        Command {
            name: name.into(),
            handler: HostCommand::new(handler),
            kind: "closure",
        }
    }

    /// A command that runs the host program `program` with the script's
    /// arguments; see [`HostProgram`] for its environment and directory.
    pub fn program(name: impl Into<String>, program: HostProgram) -> Command {
        let program = Arc::new(program);
        Command {
            name: name.into(),
            handler: HostCommand::new(move |call| {
                let program = program.clone();
                async move { program.run(call).await }
            }),
            kind: "host program",
        }
    }

    /// The name scripts call it by.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Checks the name: one shell word scripts can call.
    pub(crate) fn check(&self) -> Result<(), String> {
        let ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !self.name.starts_with(['-', '.']);
        if ok {
            Ok(())
        } else {
            Err(format!(
                "host command name '{}' must be 1 to 64 letters, digits, '-', '_' or '.', \
                 not starting with '-' or '.'",
                self.name
            ))
        }
    }
}

/// A program of the host run as a command: its path, the environment it
/// gets (the secrets: tokens, config paths) and the host directory it runs
/// in. It does not inherit the host's environment beyond `PATH` and
/// `HOME`, and never the sandbox's variables.
#[derive(Clone)]
pub struct HostProgram {
    program: PathBuf,
    env: Vec<(String, String)>,
    dir: Option<PathBuf>,
}

impl fmt::Debug for HostProgram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.env.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("HostProgram")
            .field("program", &self.program)
            .field("env", &names)
            .field("dir", &self.dir)
            .finish()
    }
}

impl HostProgram {
    /// Runs `program` (a path, or a name looked up in the host's `PATH`).
    pub fn new(program: impl Into<PathBuf>) -> HostProgram {
        HostProgram {
            program: program.into(),
            env: Vec::new(),
            dir: None,
        }
    }

    /// Sets `name=value` in the program's environment.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> HostProgram {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Runs the program in the host directory `dir` (default: the host
    /// process's).
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> HostProgram {
        self.dir = Some(dir.into());
        self
    }

    async fn run(&self, call: HostCall) -> i32 {
        let name = call.argv.first().cloned().unwrap_or_default();
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args(call.argv.iter().skip(1))
            .env_clear()
            .envs(
                ["PATH", "HOME"]
                    .iter()
                    .filter_map(|v| std::env::var(v).ok().map(|value| (*v, value))),
            )
            .envs(self.env.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(err) => {
                let _ = call
                    .write_stderr(format!(
                        "{name}: cannot run the host program {}: {err}\n",
                        self.program.display()
                    ))
                    .await;
                return 127;
            }
        };
        // Input and output stream both ways at once, so a program that
        // reads a little (`head`) or writes a lot works like in a pipeline.
        let (to_child, from_child, errors) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take());
        let feed = async {
            let Some(mut to_child) = to_child else { return };
            let mut buffer = vec![0; 64 * 1024];
            // Ends at the end of the input, or when the program stops
            // reading (it exited, or closed its input).
            while let Ok(n @ 1..) = call.stdin.read(&mut buffer).await {
                if to_child.write_all(&buffer[..n]).await.is_err() {
                    break;
                }
            }
        };
        let copy_out = copy_to(from_child, &call.stdout);
        let copy_err = copy_to(errors, &call.stderr);
        tokio::join!(feed, copy_out, copy_err);
        match child.wait().await {
            Ok(status) => status.code().unwrap_or(128 + 9),
            Err(err) => {
                let _ = call.write_stderr(format!("{name}: {err}\n")).await;
                1
            }
        }
    }
}

/// Copies a program's output stream to `out` until either ends.
async fn copy_to(from: Option<impl tokio::io::AsyncRead + Unpin>, out: &wasm_agent::io::Output) {
    use tokio::io::AsyncReadExt;
    let Some(mut from) = from else { return };
    let mut buffer = vec![0; 64 * 1024];
    while let Ok(n @ 1..) = from.read(&mut buffer).await {
        if out.write_all(&buffer[..n]).await.is_err() {
            // Nobody reads any more (`| head`): dropping our end lets the
            // program see a closed pipe.
            break;
        }
    }
}

/// The host commands for one operation: the granted ones, and for every
/// other command the harness knows, a stand-in answering "command not
/// available" (status 127).
pub(crate) fn for_call<'a>(
    known: impl IntoIterator<Item = &'a str>,
    granted: impl IntoIterator<Item = &'a Command>,
) -> HostCommands {
    let mut commands: HostCommands = HashMap::new();
    for name in known {
        commands.insert(name.to_string(), not_available());
    }
    for command in granted {
        commands.insert(command.name.clone(), command.handler.clone());
    }
    commands
}

fn not_available() -> HostCommand {
    HostCommand::new(|call| async move {
        let name = call.argv.first().cloned().unwrap_or_default();
        let _ = call
            .write_stderr(format!(
                "{name}: command not available (it is granted to other calls, not this one)\n"
            ))
            .await;
        127
    })
}
