//! Connecting a guest command to this process's stdin, stdout and stderr.

use tokio::io::AsyncReadExt;
use wasm_agent::io::{pipe, Input, Output, PipeReader, PipeWriter, DEFAULT_PIPE_CAPACITY};
use wasm_agent::{Command, Sandbox};

/// The environment guests get from the CLI: a few harmless variables of
/// this process, never secrets (a guest sees only what is passed).
pub fn guest_env() -> Vec<(String, String)> {
    ["LANG", "LC_ALL", "TZ", "TERM", "COLUMNS", "HOME", "USER"]
        .iter()
        .filter_map(|name| std::env::var(name).ok().map(|v| (name.to_string(), v)))
        .collect()
}

/// True if this process's stdout and stderr are the same open file (`2>&1`
/// into a file, a pipe or a terminal).
fn stdout_is_stderr() -> bool {
    use std::os::unix::fs::MetadataExt;
    let identity = |fd: u32| {
        std::fs::metadata(format!("/proc/self/fd/{fd}"))
            .ok()
            .map(|meta| (meta.dev(), meta.ino()))
    };
    match (identity(1), identity(2)) {
        (Some(out), Some(err)) => out == err,
        _ => false,
    }
}

/// Copies this process's stdin into `writer` until either side ends.
async fn copy_in(writer: PipeWriter) {
    let mut stdin = tokio::io::stdin();
    let mut buf = vec![0; 64 * 1024];
    loop {
        match stdin.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if writer.write_all(&buf[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Copies `reader` to `sink` as data comes.
///
/// The writes block: the CLI's one thread has nothing else to do while
/// its own stdout is full, and tokio's asynchronous stdout would start a
/// thread per stream (a measurable part of a short command's start-up).
async fn copy_out(mut reader: PipeReader, mut sink: impl std::io::Write) {
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).await;
        if n == 0 || sink.write_all(&buf[..n]).is_err() {
            let _ = sink.flush();
            return;
        }
        let _ = sink.flush();
    }
}

/// This process's standard streams as a command's or a script's.
pub struct Attached {
    /// Our stdin, copied in by a detached task (it may block on a
    /// terminal forever and is dropped when the process exits).
    pub stdin: Input,
    /// Our stdout.
    pub stdout: Output,
    /// Our stderr; the same stream as `stdout` when both are one file
    /// (`2>&1`), which keeps their interleaving.
    pub stderr: Output,
    copiers: Vec<tokio::task::JoinHandle<()>>,
}

/// Connects pipes to this process's stdin, stdout and stderr.
pub fn attach() -> Attached {
    let (in_writer, in_reader) = pipe(DEFAULT_PIPE_CAPACITY);
    tokio::spawn(copy_in(in_writer));
    let (out_writer, out_reader) = pipe(DEFAULT_PIPE_CAPACITY);
    let mut copiers = vec![tokio::spawn(copy_out(out_reader, std::io::stdout()))];
    let stderr = if stdout_is_stderr() {
        Output::Pipe(out_writer.clone())
    } else {
        let (err_writer, err_reader) = pipe(DEFAULT_PIPE_CAPACITY);
        copiers.push(tokio::spawn(copy_out(err_reader, std::io::stderr())));
        Output::Pipe(err_writer)
    };
    Attached {
        stdin: Input::pipe(in_reader),
        stdout: Output::Pipe(out_writer),
        stderr,
        copiers,
    }
}

impl Attached {
    /// Waits until everything written has been copied out (the writers
    /// must be gone: the command or script has ended).
    pub async fn finish(self) {
        for copier in self.copiers {
            let _ = copier.await;
        }
    }
}

/// Runs `command` with its streams attached to ours and returns its status.
pub async fn run_attached(sandbox: &Sandbox, mut command: Command) -> wasm_agent::Result<i32> {
    let mut streams = attach();
    command
        .stdin(std::mem::take(&mut streams.stdin))
        .stdout(std::mem::take(&mut streams.stdout))
        .stderr(std::mem::take(&mut streams.stderr));
    let status = sandbox.spawn(command).await;
    streams.finish().await;
    status
}
