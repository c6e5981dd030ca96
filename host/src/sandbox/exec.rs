//! Running shell scripts in a sandbox: [`Sandbox::exec`].

use super::Sandbox;
use crate::error::Result;
use crate::host_command::HostCommand;
use crate::io::Output;
use crate::shell_runner::SandboxRunner;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_agent_shell::{ExecOptions, ExecResult, Shell, ShellBuilder};

impl Sandbox {
    /// Runs a bash script in the sandbox and captures its output.
    ///
    /// Builtins run in the host; other commands are host commands or guest
    /// tools, each in its own wasm instance over the sandbox's filesystem.
    /// The filesystem persists across calls; shell state is fresh for each
    /// call unless the sandbox was built with
    /// [`keep_shell_state`](super::SandboxBuilder::keep_shell_state).
    ///
    /// A script that fails is not an error: its status is in
    /// [`ExecResult::exit_code`] and its messages on its stderr.
    ///
    /// ```no_run
    /// # async fn demo() -> wasm_agent::Result<()> {
    /// let runtime = wasm_agent::Runtime::new()?;
    /// let sandbox = wasm_agent::Sandbox::new(&runtime);
    /// let out = sandbox.exec("mkdir -p /src && echo 'TODO' > /src/a.txt && grep -rn TODO /src").await?;
    /// assert_eq!(out.stdout_lossy(), "/src/a.txt:1:TODO\n");
    /// # Ok(()) }
    /// ```
    pub async fn exec(&self, script: &str) -> Result<ExecResult> {
        self.exec_with(script, ExecOptions::default()).await
    }

    /// [`exec`](Self::exec) with per-call working directory, environment,
    /// stdin, timeout and arguments.
    pub async fn exec_with(&self, script: &str, options: ExecOptions) -> Result<ExecResult> {
        self.exec_granting(script, options, &HashMap::new()).await
    }

    /// [`exec_with`](Self::exec_with), with `granted` host commands
    /// offered to this call only, on top of (and in place of same-named)
    /// commands the sandbox was built with.
    ///
    /// This is how an agent harness grants a privileged command (`gh`, a
    /// deploy script holding a token) to one prompt and not the next: the
    /// closure, and the secrets it holds, never leave the host.
    ///
    /// ```no_run
    /// # async fn demo() -> wasm_agent::Result<()> {
    /// use std::collections::HashMap;
    /// use wasm_agent::{HostCommand, Sandbox};
    /// let runtime = wasm_agent::Runtime::new()?;
    /// let sandbox = Sandbox::new(&runtime);
    /// let granted = HashMap::from([(
    ///     "deploy".to_string(),
    ///     HostCommand::new(|call| async move {
    ///         let _ = call.write_stdout("deployed\n").await;
    ///         0
    ///     }),
    /// )]);
    /// let out = sandbox.exec_granting("deploy", Default::default(), &granted).await?;
    /// assert_eq!(out.stdout_lossy(), "deployed\n");
    /// # Ok(()) }
    /// ```
    pub async fn exec_granting(
        &self,
        script: &str,
        options: ExecOptions,
        granted: &HashMap<String, HostCommand>,
    ) -> Result<ExecResult> {
        let options = self.check_options(options).await?;
        let runner = self.runner_granting(granted);
        let mut result = match &self.kept_shell {
            Some(shell) => {
                let mut shell = shell.lock().await;
                shell.rebind(self.fs(), runner);
                shell.exec_with(script, options).await
            }
            None => {
                let mut shell = self.fresh_shell();
                shell.rebind(self.fs(), runner);
                shell.exec_with(script, options).await
            }
        };
        // A write-through backend (a bucket) saves the script's changes
        // now. If it cannot, the script has not really succeeded: say so
        // where the caller looks, on its stderr and in its status. The
        // changes are kept; `Sandbox::flush` retries them.
        if let Err(err) = self.fs().settle().await {
            result
                .stderr
                .extend_from_slice(format!("wasm-agent: {err}\n").as_bytes());
            if result.exit_code == 0 {
                result.exit_code = 1;
            }
        }
        Ok(result)
    }

    /// Runs a script writing to the given streams as output comes (for
    /// callers that show it live); returns the exit status.
    pub async fn exec_streaming(
        &self,
        script: &str,
        options: ExecOptions,
        stdout: Output,
        stderr: Output,
    ) -> Result<i32> {
        let options = self.check_options(options).await?;
        let status = match &self.kept_shell {
            Some(shell) => {
                let mut shell = shell.lock().await;
                shell.rebind(self.fs(), self.runner());
                shell.run(script, options, stdout, stderr).await
            }
            None => {
                self.fresh_shell()
                    .run(script, options, stdout, stderr)
                    .await
            }
        };
        // See `exec_with`: the output has streamed already, so a failed
        // save is returned as the error.
        self.fs().settle().await?;
        Ok(status)
    }

    /// A working directory given for one call must exist.
    async fn check_options(&self, mut options: ExecOptions) -> Result<ExecOptions> {
        if let Some(dir) = options.cwd.take() {
            options.cwd = Some(self.working_dir(&dir, "exec: ").await?);
        }
        Ok(options)
    }

    /// The command runner over the current filesystem.
    fn runner(&self) -> Arc<SandboxRunner> {
        self.runner_granting(&HashMap::new())
    }

    /// The command runner, with `granted` host commands on top of the
    /// sandbox's own.
    fn runner_granting(&self, granted: &HashMap<String, HostCommand>) -> Arc<SandboxRunner> {
        let host_commands = if granted.is_empty() {
            self.host_commands.clone()
        } else {
            let mut all = (*self.host_commands).clone();
            all.extend(granted.iter().map(|(n, c)| (n.clone(), c.clone())));
            Arc::new(all)
        };
        Arc::new(SandboxRunner {
            runtime: self.runtime.clone(),
            fs: self.fs(),
            host_commands,
            limits: self.limits.clone(),
        })
    }

    /// A shell for one call.
    fn fresh_shell(&self) -> Shell {
        let mut shell = self
            .shell_template
            .get_or_init(|| self.new_shell(Shell::builder(self.fs())))
            .clone();
        // The filesystem may have been restored from a snapshot since.
        shell.rebind(self.fs(), self.runner());
        shell
    }

    /// Completes `builder` with this sandbox's runner, limits, working
    /// directory and environment.
    pub(super) fn new_shell(&self, builder: ShellBuilder) -> Shell {
        let mut builder = builder
            .runner(self.runner())
            .limits(self.shell_limits.clone())
            .cwd(self.cwd.clone());
        for (name, value) in &self.env {
            builder = builder.env(name.clone(), value.clone());
        }
        builder.build()
    }
}
