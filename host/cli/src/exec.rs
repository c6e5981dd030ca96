//! `wasm-agent exec`: runs a bash script in a sandbox, like `bash -c`.

use crate::stdio;
use std::time::Duration;
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
    let mut streams = stdio::attach();
    if attach_stdin {
        options.stdin = Some(std::mem::take(&mut streams.stdin));
    }
    let stdout = std::mem::take(&mut streams.stdout);
    let stderr = std::mem::take(&mut streams.stderr);
    let status = sandbox
        .exec_streaming(&script, options, stdout, stderr)
        .await;
    streams.finish().await;
    status
}
