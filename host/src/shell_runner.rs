//! The shell's command runner in a sandbox: host commands first, then the
//! guest tools of the runtime.

use crate::host_command::{HostCall, HostCommand};
use crate::runtime::{Command, Limits, Runtime};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use wasm_agent_shell::{CommandKind, CommandRunner, Invocation, RunnerError};
use wasm_agent_vfs::Vfs;

/// Runs the commands a sandbox's shell does not implement itself.
pub(crate) struct SandboxRunner {
    pub(crate) runtime: Runtime,
    pub(crate) fs: Arc<dyn Vfs>,
    pub(crate) host_commands: Arc<HashMap<String, HostCommand>>,
    pub(crate) limits: Option<Limits>,
}

#[async_trait]
impl CommandRunner for SandboxRunner {
    async fn lookup(&self, name: &str) -> Option<CommandKind> {
        if self.host_commands.contains_key(name) {
            return Some(CommandKind::Host);
        }
        match self.runtime.has_command_async(name).await {
            Ok(true) => Some(CommandKind::Tool),
            _ => None,
        }
    }

    async fn run(&self, invocation: Invocation) -> Result<i32, RunnerError> {
        let name = invocation.argv.first().cloned().unwrap_or_default();
        if let Some(command) = self.host_commands.get(&name) {
            let call = HostCall {
                argv: invocation.argv,
                env: invocation.env,
                cwd: invocation.cwd,
                stdin: invocation.stdin,
                stdout: invocation.stdout,
                stderr: invocation.stderr,
                fs: self.fs.clone(),
            };
            return Ok(match invocation.deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    tokio::time::timeout(left, command.call(call))
                        .await
                        .unwrap_or(124)
                }
                None => command.call(call).await,
            });
        }
        let mut command = Command::new(name);
        command.args(invocation.argv.into_iter().skip(1));
        // The shell exports the sandbox's variables itself.
        command.env = invocation.env;
        command.cwd(invocation.cwd);
        command.stdin(invocation.stdin);
        command.stdout(invocation.stdout);
        command.stderr(invocation.stderr);
        if let Some(limits) = &self.limits {
            command.limits(limits.clone());
        }
        if let Some(deadline) = invocation.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(124);
            }
            command.timeout(left);
            // `timeout 5 sleep 9` prints nothing, as GNU timeout; the
            // shell reports its own time limit itself.
            command.quiet_timeout = true;
        }
        self.runtime
            .run(self.fs.clone(), command)
            .await
            .map_err(|err| RunnerError::new(err.to_string()))
    }
}
