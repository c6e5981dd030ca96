//! Shared helpers: runtimes over small WAT guests.

use std::sync::Arc;
use wasm_agent::runtime::ModuleSource;
use wasm_agent::{Limits, Runtime};

/// A runtime without the default tools, providing each `(name, wat)` as a
/// command, with `limits` as defaults and no on-disk cache.
pub fn wat_runtime(commands: &[(&str, &str)], limits: Limits) -> Runtime {
    let mut builder = Runtime::builder();
    builder
        .default_tools(false)
        .cache_dir(None)
        .default_limits(limits);
    for (name, wat) in commands {
        let bytes: Arc<[u8]> = wat.as_bytes().into();
        builder.command(*name, ModuleSource::Bytes(bytes));
    }
    builder.build().expect("runtime builds")
}

/// Preview1 imports used by the WAT guests, and a memory.
pub const PRELUDE: &str = r#"
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
"#;

/// Wraps `body` (WAT items using [`PRELUDE`]) into a module.
pub fn module(body: &str) -> String {
    format!("(module {PRELUDE} {body})")
}

/// The runtime with the real guest tools, shared by all tests of the
/// binary (loading the tools module once).
pub fn tools_runtime() -> &'static Runtime {
    static RUNTIME: std::sync::OnceLock<Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        let runtime = Runtime::new().expect("runtime builds");
        if let Err(err) = runtime.preload() {
            panic!("{err}\n(the tools module is built by scripts/build-guest-tools.sh)");
        }
        runtime
    })
}
