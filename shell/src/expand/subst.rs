//! Command substitution `$(…)`, and process substitution `<(…)` / `>(…)`.
//!
//! Guests cannot share a pipe through a path, so process substitution
//! goes through a temporary file of the sandbox: `<(cmd)` runs `cmd` first
//! and names its output file; `>(cmd)` names an empty file and feeds what
//! the command wrote to `cmd` once the command is done. The files live in
//! `/tmp` and are removed afterwards.

use crate::error::Exec;
use crate::interp::Interp;
use crate::io::{Capture, Input, Output};
use crate::state::Fd;
use brush_parser::ast;
use wasm_agent_vfs::{path::join_normalized, OpenOptions};

/// A `>(cmd)` waiting for the command that writes its file.
pub(crate) struct PendingOutputSubstitution {
    pub(crate) path: String,
    pub(crate) command: ast::SubshellCommand,
}

impl Interp {
    /// `$(command)`: runs `command` in a subshell and returns its output
    /// without trailing newlines. `$?` becomes its status.
    pub(crate) async fn command_substitution(&mut self, command: &str) -> Exec<String> {
        if self.state.depth >= self.env.limits.max_call_depth {
            let message = format!(
                "command substitution nested deeper than {} levels; raise Limits::max_call_depth if this is intended",
                self.env.limits.max_call_depth
            );
            return Err(self.fatal(1, message).await);
        }
        // `$(< file)` reads the file without running anything.
        if let Some(file) = command.trim().strip_prefix('<') {
            if !file.trim_start().starts_with(['<', '(']) {
                let path = self.expand_string(file.trim()).await?;
                return self.read_for_substitution(&path).await;
            }
        }
        let capture = Capture::new(self.env.limits.max_string_bytes as u64);
        let mut sub = self.subshell();
        sub.state.pid = self.env.new_pid();
        sub.state.depth += 1;
        sub.state
            .fds
            .set(1, Some(Fd::Output(Output::Capture(capture.clone()))));
        let result = sub.eval_string(command, "command substitution").await;
        let status = sub.finish(result).await;
        self.state.last_status = status;
        self.state.substitutions += 1;
        if capture.truncated() {
            let message = format!(
                "command substitution output exceeds {} bytes; raise Limits::max_string_bytes if this is intended",
                self.env.limits.max_string_bytes
            );
            return Err(self.fatal(1, message).await);
        }
        let mut output = String::from_utf8_lossy(&capture.take()).into_owned();
        let trimmed = output.trim_end_matches('\n').len();
        output.truncate(trimmed);
        Ok(output)
    }

    async fn read_for_substitution(&mut self, path: &str) -> Exec<String> {
        let absolute = self.absolute_path(path);
        match self.env.fs.read_file(&absolute).await {
            Ok(bytes) => {
                self.state.last_status = 0;
                self.state.substitutions += 1;
                let mut text = String::from_utf8_lossy(&bytes).into_owned();
                let trimmed = text.trim_end_matches('\n').len();
                text.truncate(trimmed);
                Ok(text)
            }
            Err(err) => {
                self.error_line(&format!("{path}: {}", err.errno())).await;
                self.state.last_status = 1;
                self.state.substitutions += 1;
                Ok(String::new())
            }
        }
    }

    /// The absolute, normalised form of `path` relative to the working
    /// directory.
    pub(crate) fn absolute_path(&self, path: &str) -> String {
        join_normalized(&self.state.cwd, path).unwrap_or_else(|_| path.to_string())
    }

    /// A fresh temporary path for a process substitution.
    async fn substitution_path(&mut self) -> Exec<String> {
        let _ = self.env.fs.create_dir_all("/tmp").await;
        let n = self.env.new_pid();
        Ok(format!("/tmp/.sh-procsub-{}-{n}", self.state.pid))
    }

    /// `<(command)`: runs it to completion into a temporary file and
    /// returns the file's path (removed by [`cleanup_substitutions`]).
    ///
    /// [`cleanup_substitutions`]: Interp::cleanup_substitutions
    pub(crate) async fn input_substitution(
        &mut self,
        command: &ast::SubshellCommand,
        temps: &mut Vec<String>,
    ) -> Exec<String> {
        let path = self.substitution_path().await?;
        let file = match self.env.fs.open(&path, OpenOptions::write_truncate()).await {
            Ok(file) => file,
            Err(err) => {
                let message = format!("cannot make a file for process substitution: {err}");
                return Err(self.fatal(1, message).await);
            }
        };
        temps.push(path.clone());
        let mut sub = self.subshell();
        sub.state.pid = self.env.new_pid();
        sub.state
            .fds
            .set(1, Some(Fd::Output(Output::file(file, false))));
        let result = sub.run_list(&command.list).await;
        sub.finish(result).await;
        Ok(path)
    }

    /// `>(command)`: names an empty temporary file; the command runs on
    /// what was written there once [`finish_output_substitutions`] is
    /// called.
    ///
    /// [`finish_output_substitutions`]: Interp::finish_output_substitutions
    pub(crate) async fn output_substitution(
        &mut self,
        command: &ast::SubshellCommand,
        pending: &mut Vec<PendingOutputSubstitution>,
    ) -> Exec<String> {
        let path = self.substitution_path().await?;
        if let Err(err) = self.env.fs.write_file(&path, b"").await {
            let message = format!("cannot make a file for process substitution: {err}");
            return Err(self.fatal(1, message).await);
        }
        pending.push(PendingOutputSubstitution {
            path: path.clone(),
            command: command.clone(),
        });
        Ok(path)
    }

    /// Runs the commands of `>(…)` substitutions on what was written to
    /// their files, then removes the files.
    pub(crate) async fn finish_output_substitutions(
        &mut self,
        pending: Vec<PendingOutputSubstitution>,
    ) -> Exec<()> {
        for item in pending {
            let input = match self.env.fs.open(&item.path, OpenOptions::read()).await {
                Ok(file) => Input::file(file),
                Err(_) => Input::Empty,
            };
            let mut sub = self.subshell();
            sub.state.pid = self.env.new_pid();
            sub.state.fds.set(0, Some(Fd::Input(input)));
            let result = sub.run_list(&item.command.list).await;
            sub.finish(result).await;
            let _ = self.env.fs.remove_file(&item.path).await;
        }
        Ok(())
    }

    /// Removes the temporary files of `<(…)` substitutions.
    pub(crate) async fn cleanup_substitutions(&mut self, temps: Vec<String>) {
        for path in temps {
            let _ = self.env.fs.remove_file(&path).await;
        }
    }
}
