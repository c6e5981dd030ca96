//! `wasm-agent exec`: runs a bash script in a sandbox, like `bash -c`.

use crate::stdio;
use std::time::Duration;
use wasm_agent::io::{pipe, Input, Output, DEFAULT_PIPE_CAPACITY};
use wasm_agent::{Error, ErrorKind, ExecOptions, Result, Sandbox};

/// Where the script comes from.
pub enum Source {
    /// `-c SCRIPT [ARG0 [ARG...]]`.
    Inline { script: String, args: Vec<String> },
    /// `FILE [ARG...]`: a host file, as `bash FILE` reads it.
    File { path: String, args: Vec<String> },
    /// The script is standard input.
    Stdin,
}

/// Runs the script and returns its exit status.
pub async fn run(sandbox: &Sandbox, source: Source, timeout: Option<f64>) -> Result<i32> {
    let mut options = ExecOptions::default();
    for (name, value) in stdio::guest_env() {
        options = options.env(name, value);
    }
    if let Some(secs) = timeout {
        options = options.timeout(Duration::from_secs_f64(secs.max(0.0)));
    }
    let (script, attach_stdin) = match source {
        Source::Inline { script, args } => {
            let mut args = args.into_iter();
            if let Some(arg0) = args.next() {
                options = options.args(arg0, args);
            }
            (script, true)
        }
        Source::File { path, args } => {
            let bytes = std::fs::read(&path)
                .map_err(|err| Error::new(ErrorKind::InvalidArgument, format!("{path}: {err}")))?;
            options = options.args(path.clone(), args);
            options.script_file = Some(path);
            (String::from_utf8_lossy(&bytes).into_owned(), true)
        }
        Source::Stdin => {
            let mut script = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut script).map_err(|err| {
                Error::new(
                    ErrorKind::Io,
                    format!("reading the script from stdin: {err}"),
                )
            })?;
            (script, false)
        }
    };
    if attach_stdin {
        let (writer, reader) = pipe(DEFAULT_PIPE_CAPACITY);
        // The copier may block on a terminal forever; it is detached and
        // dropped when the process exits.
        tokio::spawn(stdio::copy_in(writer));
        options.stdin = Some(Input::pipe(reader));
    }
    let (out_writer, out_reader) = pipe(DEFAULT_PIPE_CAPACITY);
    let out = tokio::spawn(stdio::copy_out(out_reader, std::io::stdout()));
    // `2>&1`: one stream keeps the script's interleaving of the two.
    let (stderr, err) = if stdio::stdout_is_stderr() {
        (Output::Pipe(out_writer.clone()), None)
    } else {
        let (err_writer, err_reader) = pipe(DEFAULT_PIPE_CAPACITY);
        let err = tokio::spawn(stdio::copy_out(err_reader, std::io::stderr()));
        (Output::Pipe(err_writer), Some(err))
    };
    let status = sandbox
        .exec_streaming(&script, options, Output::Pipe(out_writer), stderr)
        .await;
    let _ = out.await;
    if let Some(err) = err {
        let _ = err.await;
    }
    status
}
