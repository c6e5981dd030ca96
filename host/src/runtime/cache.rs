//! The on-disk cache of precompiled guest modules.
//!
//! Compiling the multicall tools module takes seconds; loading a precompiled
//! artifact with `Module::deserialize_file` maps it into memory in about half
//! a millisecond. Artifacts are therefore compiled once and keyed by
//! everything that makes them valid: the module's bytes, the wasmtime
//! version and the engine configuration (`precompile_compatibility_hash`).
//!
//! Reading and hashing a 14 MB module costs tens of milliseconds, which
//! would dominate the start of a short-lived process. For modules read from
//! a file, an index entry therefore maps the file's identity (path, size,
//! modification and change times, inode) to the artifact key, so a warm
//! start only stats the file. Anything that rewrites the file changes its
//! change time, which invalidates the entry.
//!
//! Files are written to a temporary name and renamed into place, so
//! concurrent processes never see half-written entries.

use crate::error::{Error, ErrorKind, Result};
use std::hash::{Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use wasmtime::{Engine, Module};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64, Xxh3Default};

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

/// A compiled module and the commands it provides.
pub(crate) struct CachedModule {
    pub(crate) module: Module,
    pub(crate) commands: Vec<String>,
}

/// Compiled modules on disk under one directory.
pub(crate) struct ArtifactCache<'a> {
    dir: &'a Path,
    engine: &'a Engine,
}

impl<'a> ArtifactCache<'a> {
    pub(crate) fn new(dir: &'a Path, engine: &'a Engine) -> ArtifactCache<'a> {
        ArtifactCache { dir, engine }
    }

    fn engine_hash(&self) -> u64 {
        let mut hasher = Xxh3Default::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        self.engine
            .precompile_compatibility_hash()
            .hash(&mut hasher);
        hasher.finish()
    }

    /// The cache key of `wasm` compiled by this engine.
    fn key(&self, wasm: &[u8]) -> String {
        format!("{:032x}-{:016x}", xxh3_128(wasm), self.engine_hash())
    }

    fn artifact_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.cwasm"))
    }

    fn commands_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.commands"))
    }

    /// The index entry for the module file at `path` in its current state.
    fn index_path(&self, path: &Path) -> Option<PathBuf> {
        let meta = std::fs::metadata(path).ok()?;
        let identity = format!(
            "{}\0{}\0{}.{}\0{}.{}\0{}\0{}\0{:x}",
            path.canonicalize().ok()?.display(),
            meta.len(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
            meta.ino(),
            meta.dev(),
            self.engine_hash(),
        );
        Some(
            self.dir
                .join("index")
                .join(format!("{:016x}", xxh3_64(identity.as_bytes()))),
        )
    }

    /// Loads the module at `path` without reading it, if this exact file
    /// was compiled before.
    pub(crate) fn lookup_file(&self, path: &Path) -> Option<CachedModule> {
        let key = std::fs::read_to_string(self.index_path(path)?).ok()?;
        let commands = std::fs::read_to_string(self.commands_path(&key)).ok()?;
        let module = self.deserialize(&key)?;
        Some(CachedModule {
            module,
            commands: commands.lines().map(str::to_string).collect(),
        })
    }

    /// Remembers that the file at `path` holds the module compiled under
    /// the key of `wasm`.
    pub(crate) fn record_file(&self, path: &Path, wasm: &[u8]) {
        if let Some(index) = self.index_path(path) {
            let _ = store_atomically(&index, self.key(wasm).as_bytes());
        }
    }

    fn deserialize(&self, key: &str) -> Option<Module> {
        let path = self.artifact_path(key);
        // SAFETY: the file is one we wrote with `precompile_module` for an
        // engine with this exact configuration (its name encodes both), and
        // wasmtime checks the header's version and settings again. Nothing
        // else writes into the cache directory.
        match unsafe { Module::deserialize_file(self.engine, &path) } {
            Ok(module) => Some(module),
            Err(_) => {
                // A stale or damaged artifact: rebuilt by the caller.
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Loads the compiled form of `wasm`; on a miss, compiles what
    /// `prepare` makes of it (e.g. a pre-initialised snapshot) and stores
    /// that under `wasm`'s key. `commands` is stored beside it for
    /// [`lookup_file`](Self::lookup_file).
    pub(crate) fn load(
        &self,
        wasm: &[u8],
        name: &str,
        commands: &[String],
        prepare: impl FnOnce(&[u8]) -> Result<Vec<u8>>,
    ) -> Result<Module> {
        let key = self.key(wasm);
        let _ = store_atomically(&self.commands_path(&key), commands.join("\n").as_bytes());
        if let Some(module) = self.deserialize(&key) {
            return Ok(module);
        }
        let prepared = prepare(wasm)?;
        let compiled = self
            .engine
            .precompile_module(&prepared)
            .map_err(|e| invalid(name, e))?;
        let path = self.artifact_path(&key);
        let stored = store_atomically(&path, &compiled);
        prune(self.dir);
        if let Err(err) = stored {
            // An unwritable cache costs speed, not correctness.
            eprintln!(
                "wasm-agent: warning: cannot write module cache {}: {err}",
                path.display()
            );
            // SAFETY: `compiled` was produced just now by this engine.
            return unsafe { Module::deserialize(self.engine, &compiled) }
                .map_err(|e| invalid(name, e));
        }
        // Mapping the file lets every process share its pages. Another
        // compile of the same module may be replacing it right now (its own
        // complete copy, renamed over ours); if the file cannot be mapped,
        // the bytes in hand are as good.
        match self.deserialize(&key) {
            Some(module) => Ok(module),
            // SAFETY: `compiled` was produced just now by this engine.
            None => {
                unsafe { Module::deserialize(self.engine, &compiled) }.map_err(|e| invalid(name, e))
            }
        }
    }
}

/// Most compiled artifacts kept; older ones are deleted when a new one is
/// written. Each is tens of megabytes, and every rebuild of the tools makes
/// a new one.
const KEEP_ARTIFACTS: usize = 6;

/// Deletes all but the [`KEEP_ARTIFACTS`] newest artifacts of `dir` (and
/// their command lists). Index entries pointing at deleted artifacts simply
/// miss.
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut artifacts: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "cwasm"))
        .filter_map(|path| {
            let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
            Some((modified, path))
        })
        .collect();
    artifacts.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    for (_, path) in artifacts.into_iter().skip(KEEP_ARTIFACTS) {
        let _ = std::fs::remove_file(path.with_extension("commands"));
        let _ = std::fs::remove_file(&path);
    }
}

/// Compiles `wasm` in memory, without any cache.
pub(crate) fn compile_uncached(engine: &Engine, wasm: &[u8], name: &str) -> Result<Module> {
    Module::new(engine, wasm).map_err(|e| invalid(name, e))
}

fn invalid(name: &str, err: wasmtime::Error) -> Error {
    Error::new(
        ErrorKind::InvalidModule,
        format!("cannot compile guest module {name}: {err:?}"),
    )
}

/// Writes `bytes` to a temporary file of its own and renames it to
/// `path`, so a reader sees the old file or the whole new one. The
/// temporary name is unique per call: two runtimes of one process (tests
/// in parallel) compiling the same module at once must not write into one
/// file, or one of them renames the other's half-written bytes into place.
fn store_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("entry"),
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAT: &str = r#"(module (memory (export "memory") 1) (func (export "_start")))"#;

    #[test]
    fn concurrent_stores_of_one_path_each_land_whole() {
        // Two runtimes of one process compiling the same module write the
        // same artifact at once; each write must land whole or not at all.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("artifact.cwasm");
        std::thread::scope(|scope| {
            for writer in 0..8u8 {
                let path = &path;
                scope.spawn(move || {
                    let bytes = vec![writer; 4 << 20];
                    for _ in 0..4 {
                        store_atomically(path, &bytes).expect("every store succeeds");
                    }
                });
            }
        });
        let stored = std::fs::read(&path).unwrap();
        assert_eq!(stored.len(), 4 << 20);
        assert!(stored.iter().all(|&b| b == stored[0]), "a mix of writers");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary files left behind");
    }

    #[test]
    fn a_recorded_file_loads_without_being_read_until_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::default();
        let cache = ArtifactCache::new(dir.path(), &engine);
        let module_path = dir.path().join("m.wat");
        std::fs::write(&module_path, WAT).unwrap();

        assert!(cache.lookup_file(&module_path).is_none());
        cache
            .load(WAT.as_bytes(), "m", &["a".into(), "b".into()], |w| {
                Ok(w.to_vec())
            })
            .unwrap();
        cache.record_file(&module_path, WAT.as_bytes());
        let hit = cache.lookup_file(&module_path).expect("index hit");
        assert_eq!(hit.commands, ["a", "b"]);

        // Rewriting the file (even with the same bytes) invalidates it.
        std::thread::sleep(std::time::Duration::from_millis(10));
        std::fs::write(&module_path, WAT).unwrap();
        assert!(cache.lookup_file(&module_path).is_none());
    }

    #[test]
    fn only_the_newest_artifacts_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..KEEP_ARTIFACTS + 3 {
            let path = dir.path().join(format!("{i}.cwasm"));
            std::fs::write(&path, b"x").unwrap();
            std::fs::write(path.with_extension("commands"), b"x").unwrap();
            let time =
                std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000 + i as u64);
            std::fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(time)
                .unwrap();
        }
        prune(dir.path());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".cwasm"))
            .collect();
        left.sort();
        let expected: Vec<String> = (3..KEEP_ARTIFACTS + 3)
            .map(|i| format!("{i}.cwasm"))
            .collect();
        assert_eq!(left, expected);
        assert!(!dir.path().join("0.commands").exists());
    }

    #[test]
    fn a_damaged_artifact_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::default();
        let cache = ArtifactCache::new(dir.path(), &engine);
        let same = |w: &[u8]| Ok(w.to_vec());
        cache.load(WAT.as_bytes(), "m", &[], same).unwrap();
        let key = cache.key(WAT.as_bytes());
        std::fs::write(cache.artifact_path(&key), b"garbage").unwrap();
        assert!(cache.load(WAT.as_bytes(), "m", &[], same).is_ok());
    }
}
