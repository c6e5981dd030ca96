//! The on-disk cache of precompiled guest modules.
//!
//! Compiling the multicall tools module takes seconds; loading a precompiled
//! artifact with `Module::deserialize_file` maps it into memory in about half
//! a millisecond. Artifacts are therefore compiled once and keyed by
//! everything that makes them valid: the module's bytes, the wasmtime
//! version and the engine configuration (`precompile_compatibility_hash`).
//! Files are written to a temporary name and renamed into place, so
//! concurrent processes never see half-written artifacts.

use crate::error::{Error, ErrorKind, Result};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::{Engine, Module};
use xxhash_rust::xxh3::{xxh3_128, Xxh3Default};

/// The default cache directory: `$WASM_AGENT_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/wasm-agent`, else `~/.cache/wasm-agent`, else a
/// directory under the system temp dir.
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("WASM_AGENT_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("wasm-agent");
    }
    if let Some(home) = std::env::var_os("HOME") {
        return PathBuf::from(home).join(".cache").join("wasm-agent");
    }
    std::env::temp_dir().join("wasm-agent-cache")
}

/// The cache key of `wasm` compiled by `engine`.
pub(crate) fn artifact_key(engine: &Engine, wasm: &[u8]) -> String {
    let mut engine_hash = Xxh3Default::new();
    env!("CARGO_PKG_VERSION").hash(&mut engine_hash);
    engine
        .precompile_compatibility_hash()
        .hash(&mut engine_hash);
    format!("{:032x}-{:016x}", xxh3_128(wasm), engine_hash.finish())
}

/// Loads the compiled form of `wasm`, compiling and storing it on a miss.
/// With no cache directory, compiles in memory every time.
pub(crate) fn load_module(
    engine: &Engine,
    wasm: &[u8],
    name: &str,
    cache_dir: Option<&Path>,
) -> Result<Module> {
    let invalid = |err: wasmtime::Error| {
        Error::new(
            ErrorKind::InvalidModule,
            format!("cannot compile guest module {name}: {err:?}"),
        )
    };
    let Some(dir) = cache_dir else {
        return Module::new(engine, wasm).map_err(invalid);
    };
    let path = dir.join(format!("{}.cwasm", artifact_key(engine, wasm)));
    if path.exists() {
        // SAFETY: the file is one we wrote with `precompile_module` for an
        // engine with this exact configuration (its name encodes both), and
        // wasmtime checks the header's version and settings again. Nothing
        // else writes into the cache directory.
        match unsafe { Module::deserialize_file(engine, &path) } {
            Ok(module) => return Ok(module),
            // A stale or damaged artifact is rebuilt below.
            Err(_) => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let compiled = engine.precompile_module(wasm).map_err(invalid)?;
    if let Err(err) = store_atomically(dir, &path, &compiled) {
        // An unwritable cache costs speed, not correctness.
        eprintln!(
            "wasm-agent: warning: cannot write module cache {}: {err}",
            path.display()
        );
        // SAFETY: `compiled` was produced just now by this engine.
        return unsafe { Module::deserialize(engine, &compiled) }.map_err(invalid);
    }
    // SAFETY: as above; the file holds exactly `compiled`.
    unsafe { Module::deserialize_file(engine, &path) }.map_err(invalid)
}

fn store_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("artifact"),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
