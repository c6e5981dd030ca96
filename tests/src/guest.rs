//! Running a case in the sandbox, over the two filesystems it must behave
//! the same on.

use crate::case::Case;
use crate::fixture::Fixture;
use crate::outcome::StepOutput;
use std::sync::Arc;
use std::time::Duration;
use wasm_agent::vfs::{HostDirFs, MemFs, MountFs, Vfs};
use wasm_agent::{Command, Runtime, Sandbox};

/// How long one sandboxed command may run (the sandbox then reports 124).
const TIMEOUT: Duration = Duration::from_secs(30);

/// The filesystem for the host-directory backend: a `MemFs` root holding
/// the parents of `dir`, with the host directory `dir` mounted at its own
/// path, so absolute paths in output are the ones GNU prints.
pub async fn host_dir_fs(dir: &str) -> Result<Arc<dyn Vfs>, String> {
    let root = MemFs::new();
    root.create_dir_all(dir)
        .await
        .map_err(|e| format!("cannot create the mount point: {e}"))?;
    let host = HostDirFs::new(dir).map_err(|e| format!("cannot open {dir}: {e}"))?;
    let fs = MountFs::new(Arc::new(root))
        .with_mount(dir, Arc::new(host))
        .map_err(|e| format!("cannot mount {dir}: {e}"))?;
    Ok(Arc::new(fs))
}

/// The filesystem for the in-memory backend: a `MemFs` holding the
/// fixture at `dir`.
pub async fn memory_fs(fixture: &Fixture, dir: &str) -> Result<Arc<dyn Vfs>, String> {
    let fs = MemFs::new();
    fixture
        .write_vfs(&fs, dir)
        .await
        .map_err(|e| format!("cannot write the fixture into memory: {e}"))?;
    Ok(Arc::new(fs))
}

/// Runs every step of `case` in a sandbox over `fs`, in the case directory
/// `dir`, with `LC_ALL=C`, `TZ=UTC` and `HOME` = `dir`.
pub async fn run(
    runtime: &Runtime,
    fs: Arc<dyn Vfs>,
    case: &Case,
    dir: &str,
) -> Result<Vec<StepOutput>, String> {
    let cwd = if case.cwd.is_empty() {
        dir.to_string()
    } else {
        format!("{dir}/{}", case.cwd)
    };
    let sandbox = Sandbox::builder(runtime)
        .fs(fs)
        .cwd(cwd)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("HOME", dir)
        .build();
    let mut outputs = Vec::new();
    for i in 0..case.steps.len() {
        let argv = case.argv(i, dir);
        let mut command = Command::new(&argv[0]);
        command.args(&argv[1..]).timeout(TIMEOUT);
        if let (0, Some(stdin)) = (i, &case.stdin) {
            command.stdin(stdin.clone());
        }
        let out = sandbox
            .run_command(command)
            .await
            .map_err(|e| format!("the sandbox could not run `{}`: {e}", argv[0]))?;
        outputs.push(StepOutput {
            stdout: out.stdout,
            stderr: out.stderr,
            exit_code: out.exit_code,
        });
    }
    Ok(outputs)
}
