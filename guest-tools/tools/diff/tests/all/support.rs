//! Helpers: scratch directories, a seeded generator, and running GNU diff
//! and ours as processes under the same environment.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, UNIX_EPOCH};

/// 2024-01-15 12:00:00 UTC, the time every test file gets.
pub const FIXED_MTIME: u64 = 1_705_320_000;

/// What a run printed and returned.
pub struct Run {
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
    /// Exit status.
    pub status: i32,
}

/// Whether `/usr/bin/diff` is GNU diffutils 3.8, the reference.
pub fn gnu_diff_available() -> bool {
    Command::new("/usr/bin/diff")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("GNU diffutils) 3.8"))
        .unwrap_or(false)
}

/// Runs GNU diff in `dir`.
pub fn run_gnu(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    run(Path::new("/usr/bin/diff"), dir, args, stdin)
}

/// Runs our diff (the crate's native binary) in `dir`.
pub fn run_ours(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    run(Path::new(env!("CARGO_BIN_EXE_diff")), dir, args, stdin)
}

fn run(program: &Path, dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    Run {
        stdout: out.stdout,
        stderr: out.stderr,
        status: out.status.code().unwrap_or(-1),
    }
}

/// A temporary directory, removed on drop.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// A fresh directory named after `name` and the process.
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("wa-diff-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch { dir }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Empties the directory.
    pub fn reset(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        std::fs::create_dir_all(&self.dir).expect("create scratch dir");
    }

    /// Writes `rel` (creating parents) with the fixed time.
    pub fn write(&self, rel: &str, data: &[u8]) {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, data).expect("write file");
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open file");
        file.set_modified(UNIX_EPOCH + Duration::from_secs(FIXED_MTIME))
            .expect("set mtime");
    }

    /// Creates a directory.
    pub fn mkdir(&self, rel: &str) {
        std::fs::create_dir_all(self.dir.join(rel)).expect("mkdir");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A small seeded generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next value.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}
