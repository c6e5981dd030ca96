//! Integration tests of the shell alone: an in-memory filesystem and no
//! external commands.

mod basics;
mod builtins_a;
mod builtins_b;
mod gaps;
mod variables_and_more;

use std::sync::Arc;
use wasm_agent_shell::{ExecResult, Shell};
use wasm_agent_vfs::MemFs;

/// Runs `script` in a fresh shell over an empty in-memory filesystem.
pub fn run(script: &str) -> ExecResult {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut shell = Shell::new(Arc::new(MemFs::new()));
    runtime.block_on(shell.exec(script))
}

/// Asserts that `script` prints `stdout` and exits with `status`.
#[track_caller]
pub fn check(script: &str, stdout: &str, status: i32) {
    let result = run(script);
    assert_eq!(
        (result.stdout_lossy().as_str(), result.exit_code),
        (stdout, status),
        "script: {script}\nstderr: {}",
        result.stderr_lossy()
    );
}
