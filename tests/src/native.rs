//! Running a case with the machine's GNU tools: the expectation.

use crate::case::Case;
use crate::outcome::StepOutput;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// Where native tools are looked up. Fixed rather than inherited so that a
/// tool of the same name elsewhere on the developer's `PATH` (say a
/// uutils `ls` in `~/.cargo/bin`) never becomes the oracle.
pub const NATIVE_PATH: &str = "/usr/bin:/bin";

/// The native program that is the oracle for the sandbox tool `name`.
/// `awk` is GNU awk explicitly: Debian's default `awk` is mawk, whose
/// output differs where POSIX leaves room (scripts/test.sh installs gawk).
fn oracle(name: &str) -> &str {
    match name {
        "awk" => "gawk",
        other => other,
    }
}

/// How long one native command may run before it is killed.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Runs every step of `case` natively in `dir` (the case directory), with
/// the environment cleared except `LC_ALL=C`, `TZ=UTC`, `PATH` and `HOME`
/// (the case directory).
pub async fn run(case: &Case, dir: &Path) -> std::io::Result<Vec<StepOutput>> {
    let cwd = dir.join(&case.cwd);
    let mut outputs = Vec::new();
    for i in 0..case.steps.len() {
        let argv = case.argv(i, &dir.to_string_lossy());
        let stdin = if i == 0 { case.stdin.as_deref() } else { None };
        outputs.push(run_one(&argv, &cwd, dir, stdin).await?);
    }
    Ok(outputs)
}

async fn run_one(
    argv: &[String],
    cwd: &Path,
    home: &Path,
    stdin: Option<&[u8]>,
) -> std::io::Result<StepOutput> {
    let program = oracle(&argv[0]);
    let mut command = tokio::process::Command::new(program);
    command
        .args(&argv[1..])
        .current_dir(cwd)
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("PATH", NATIVE_PATH)
        .env("HOME", home)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!(
                "cannot run native `{program}` (the oracle for `{}`): {e}",
                argv[0]
            ),
        )
    })?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let bytes = bytes.to_vec();
        // Written from its own task so a tool that prints before reading
        // all its input cannot deadlock against us.
        tokio::spawn(async move {
            let _ = pipe.write_all(&bytes).await;
        });
    }
    let output = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("native `{}` ran longer than {TIMEOUT:?}", argv[0]),
            )
        })??;
    let status = output.status;
    let exit_code = status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
    Ok(StepOutput {
        stdout: output.stdout,
        stderr: output.stderr,
        exit_code,
    })
}
