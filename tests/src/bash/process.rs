//! Running one script as a process: `bash -c SCRIPT` (the oracle) or
//! `wasm-agent exec -c SCRIPT` (our shell), with the same environment,
//! working directory and stdin.

use crate::native::NATIVE_PATH;
use crate::outcome::StepOutput;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// The reference shell: GNU bash 5.2.
pub const BASH: &str = "/bin/bash";

/// How long one script may run before it is killed. Cases take
/// milliseconds; this only stops a shell stuck in a loop (and keeps a
/// suite with some stuck cases well under a minute or two).
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Which shell runs a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellCommand {
    /// `/bin/bash -c SCRIPT`.
    Bash,
    /// `<path> exec -c SCRIPT`, the `wasm-agent` CLI at `path`.
    Sandbox(PathBuf),
}

impl ShellCommand {
    /// The program and its arguments for `script`.
    fn argv<'a>(&'a self, script: &'a str) -> (&'a Path, Vec<&'a str>) {
        match self {
            ShellCommand::Bash => (Path::new(BASH), vec!["-c", script]),
            ShellCommand::Sandbox(path) => (path, vec!["exec", "-c", script]),
        }
    }
}

/// What one run of a script gave.
#[derive(Debug, Clone, Default)]
pub struct ScriptRun {
    /// Stdout, stderr and exit status (128 + signal if killed by one).
    pub output: StepOutput,
    /// The shell ran past its time limit and was killed; `output` then holds
    /// nothing and exit status 124, as timeout(1) reports.
    pub timed_out: bool,
}

/// Runs `script` with `shell` in `dir` (also `HOME`), the environment
/// cleared except `LC_ALL=C`, `TZ=UTC`, `PATH` and `HOME`, stdin from
/// `stdin` or `/dev/null`.
pub async fn run_script(
    shell: &ShellCommand,
    script: &str,
    dir: &Path,
    stdin: Option<&[u8]>,
) -> std::io::Result<ScriptRun> {
    run_script_for(shell, script, dir, stdin, TIMEOUT).await
}

/// [`run_script`] with another time limit than [`TIMEOUT`]: for the first
/// run of the CLI, which may have to compile the guest tools (seconds).
pub async fn run_script_for(
    shell: &ShellCommand,
    script: &str,
    dir: &Path,
    stdin: Option<&[u8]>,
    limit: Duration,
) -> std::io::Result<ScriptRun> {
    let (program, args) = shell.argv(script);
    let mut command = tokio::process::Command::new(program);
    if *shell == ShellCommand::Bash {
        // bash names itself after argv[0] in `$0` and in every message
        // (`bash: line 1: ...`); our shell calls itself `bash`.
        command.arg0("bash");
    }
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("PATH", NATIVE_PATH)
        .env("HOME", dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let ShellCommand::Sandbox(_) = shell {
        // The CLI keeps its compiled tools under `$HOME/.cache` unless
        // told otherwise; with HOME being the case directory it would
        // recompile them (seconds) into the case directory, where they
        // would also show in the tree comparison. The script never sees
        // this variable: the CLI passes guests only a fixed few.
        command.env(
            "WASM_AGENT_CACHE_DIR",
            wasm_agent::runtime::default_cache_dir(),
        );
    }
    let mut child = command.spawn().map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot run {}: {e}", program.display()))
    })?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let bytes = bytes.to_vec();
        // Written from its own task so a script that prints before reading
        // all its input cannot deadlock against us; a script that never
        // reads it just closes the pipe.
        tokio::spawn(async move {
            let _ = pipe.write_all(&bytes).await;
        });
    }
    // Dropping the future on timeout drops the child, which kills it.
    let Ok(output) = tokio::time::timeout(limit, child.wait_with_output()).await else {
        return Ok(ScriptRun {
            output: StepOutput {
                exit_code: 124,
                ..StepOutput::default()
            },
            timed_out: true,
        });
    };
    let output = output?;
    let status = output.status;
    Ok(ScriptRun {
        output: StepOutput {
            stdout: output.stdout,
            stderr: output.stderr,
            exit_code: status
                .code()
                .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)),
        },
        timed_out: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn bash_runs_in_the_case_directory_with_a_clean_environment() {
        let dir = tempfile::tempdir().unwrap();
        let script = "echo \"$0|$HOME|$LC_ALL|$TZ|$PATH|${USER-unset}\"; pwd; cat; exit 3";
        let run = block_on(run_script(
            &ShellCommand::Bash,
            script,
            dir.path(),
            Some(b"in\n"),
        ))
        .unwrap();
        let home = dir.path().to_string_lossy();
        let want = format!("bash|{home}|C|UTC|{NATIVE_PATH}|unset\n{home}\nin\n");
        assert_eq!(String::from_utf8_lossy(&run.output.stdout), want);
        assert_eq!(run.output.exit_code, 3);
        assert!(!run.timed_out);
    }

    #[test]
    fn a_missing_shell_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let shell = ShellCommand::Sandbox(dir.path().join("no-such-binary"));
        let err = block_on(run_script(&shell, "true", dir.path(), None)).unwrap_err();
        assert!(err.to_string().contains("no-such-binary"), "{err}");
    }
}
