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
pub fn stdout_is_stderr() -> bool {
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
pub async fn copy_in(writer: PipeWriter) {
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
pub async fn copy_out(mut reader: PipeReader, mut sink: impl std::io::Write) {
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

/// Runs `command` with its streams attached to ours and returns its status.
pub async fn run_attached(sandbox: &Sandbox, mut command: Command) -> wasm_agent::Result<i32> {
    let (in_writer, in_reader) = pipe(DEFAULT_PIPE_CAPACITY);
    let (out_writer, out_reader) = pipe(DEFAULT_PIPE_CAPACITY);
    let (err_writer, err_reader) = pipe(DEFAULT_PIPE_CAPACITY);
    command
        .stdin(Input::pipe(in_reader))
        .stdout(Output::Pipe(out_writer))
        .stderr(Output::Pipe(err_writer));
    // The stdin copier may block on a terminal forever; it is detached and
    // simply dropped when the process exits.
    tokio::spawn(copy_in(in_writer));
    let out = tokio::spawn(copy_out(out_reader, std::io::stdout()));
    let err = tokio::spawn(copy_out(err_reader, std::io::stderr()));
    let status = sandbox.spawn(command).await;
    let _ = out.await;
    let _ = err.await;
    status
}
