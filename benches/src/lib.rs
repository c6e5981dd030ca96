//! Shared setup of the wasm-agent benchmarks: the criterion benches in
//! `benches/` and the binaries `startup-report` and `idle-memory`.
//!
//! The data (the fixture, the agent workloads, the populate file lists)
//! comes from [`wasm_agent::bench`], so these benches and `wasm-agent
//! bench` measure the same things; this crate only holds what every bench
//! needs to set up a sandbox.

use std::path::PathBuf;
use wasm_agent::bench::{Fixture, DATA_DIR};
use wasm_agent::{Runtime, Sandbox};

/// The executor the benches run sandboxes on: current-thread, as in the
/// `wasm-agent` CLI, so the figures are what one CLI process pays.
pub fn executor() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime")
}

/// A runtime with the guest tools loaded, so no measurement includes
/// mapping the tools module.
///
/// Panics with the command to run when the tools module is not built.
pub fn tools_runtime() -> Runtime {
    let runtime = Runtime::new().expect("wasm-agent runtime");
    if let Err(err) = runtime.preload() {
        panic!("cannot load the guest tools ({err}); build them with scripts/build-guest-tools.sh");
    }
    runtime
}

/// A runtime without guest tools, for benches of sandboxes and their
/// filesystems that run no command (it starts without mapping the tools).
pub fn bare_runtime() -> Runtime {
    Runtime::builder()
        .default_tools(false)
        .build()
        .expect("wasm-agent runtime without tools")
}

/// Writes `files` (absolute path, contents) into `sandbox`.
///
/// Panics naming the path that could not be written.
pub async fn write_files(sandbox: &Sandbox, files: &[(String, Vec<u8>)]) {
    for (path, data) in files {
        if let Err(err) = sandbox.write_file(path, data).await {
            panic!("cannot write {path} into the sandbox: {err}");
        }
    }
}

/// A sandbox holding the benchmark [`Fixture`] at [`DATA_DIR`], which is
/// also its working directory: the setting of the agent workloads.
pub async fn fixture_sandbox(runtime: &Runtime) -> Sandbox {
    let sandbox = Sandbox::builder(runtime).cwd(DATA_DIR).build();
    let files: Vec<(String, Vec<u8>)> = Fixture::generate()
        .files
        .into_iter()
        .map(|file| (format!("{DATA_DIR}/{}", file.path), file.data))
        .collect();
    write_files(&sandbox, &files).await;
    sandbox
}

/// The path of a program built into the same cargo profile directory as
/// the running executable (`target/release/<name>`), if it exists.
///
/// Binaries live in the profile directory itself and bench executables in
/// its `deps/` subdirectory, so both places are tried.
pub fn sibling_program(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}
