//! Integration tests for gzip/gunzip/zcat and tar: in-memory runs plus
//! differential checks against GNU gzip and GNU tar when they are installed.

mod gzip;
mod tar;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wa-archive-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Argument vector from strings.
pub fn argv(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// Whether a GNU tool is available for differential checks.
pub fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Output of a system command run in `dir`.
pub fn system(dir: &std::path::Path, cmd: &str, args: &[&str]) -> (Vec<u8>, i32) {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs");
    (out.stdout, out.status.code().unwrap_or(-1))
}
