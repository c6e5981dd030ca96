//! The bashkit crate: a bash interpreter in Rust whose commands are Rust
//! builtins over its own in-memory filesystem. It is the closest library
//! peer to wasm-agent, so it gets the same operations: a long-lived
//! instance holding the fixture at `/data`, fresh instances, populate and
//! idle memory.

use crate::bench::fixture::Fixture;
use crate::bench::measure::bytes_per_instance;
use crate::bench::peer::{Peer, RunOutput};
use crate::bench::workloads::DATA_DIR;
use async_trait::async_trait;
use bashkit::{
    Bash, BashBuilder, ExecutionLimits, FsLimits, InMemoryFs, SessionLimits, VfsEntry,
    VfsEntryKind, VfsSnapshot,
};
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The bashkit version compiled in (the `bashkit` dependency of
/// `host/Cargo.toml`); a test checks it against the crate's own report.
pub const VERSION: &str = "0.20.2";

/// Modes bashkit gives files and directories its shell creates
/// (`umask` 022).
const FILE_MODE: u32 = 0o644;
const DIR_MODE: u32 = 0o755;

/// bashkit's default user, named here because a filesystem handed to its
/// builder must bring the user's home directory itself.
const USER: &str = "sandbox";

/// A long-lived [`Bash`] holding the fixture at `/data`, cwd `/data`.
pub struct Bashkit {
    bash: Bash,
}

impl Bashkit {
    /// A bashkit instance holding `fixture` at `/data`, with `/data` as
    /// its working directory.
    pub async fn new(fixture: &Fixture) -> io::Result<Bashkit> {
        let files: Vec<(String, &[u8])> = fixture
            .files
            .iter()
            .map(|f| (format!("{DATA_DIR}/{}", f.path), f.data.as_slice()))
            .collect();
        let bash = populated(&files)?.cwd(DATA_DIR).build();
        Ok(Bashkit { bash })
    }
}

/// A builder with the limits the benchmark needs. bashkit's defaults are
/// made for untrusted scripts and would stop the benchmark, not the
/// workloads: a session allows 1,000 `exec` calls and 100,000 commands
/// (the samplers make tens of thousands), and an execution 10,000
/// commands and 1 MB of stdout. `ExecutionLimits::cli()` is bashkit's
/// own relaxed set (no command or loop counts, 10 MB outputs); the
/// timeout is set back to a finite 10 minutes so a hang still ends. The
/// limits that guard the host (parser fuel, AST and call depth, memory
/// for variables) keep their defaults. We compare speed, not limits.
fn builder() -> BashBuilder {
    Bash::builder()
        .username(USER)
        .limits(ExecutionLimits::cli().timeout(Duration::from_secs(600)))
        .session_limits(SessionLimits::unlimited())
        // The same locale the native bash column runs with.
        .env("LC_ALL", "C")
}

/// A builder whose filesystem already holds `files` (absolute paths),
/// their parent directories created.
///
/// The files go in as one `InMemoryFs::restore` of a snapshot built with
/// `VfsSnapshot::from_entries` (documented for callers that build VFS
/// state out of band), the fastest way bashkit offers. Its per-file
/// writers re-count the whole tree for their quota checks on every call,
/// so filling a tree costs O(n²): measured here for 1,000 / 10,000 files,
/// `InMemoryFs::add_file` took 31 ms / 4.7 s and `mkdir` + `write_file`
/// through `Bash::fs()` 54 ms / 3.4 s, against 1.8 ms / 7.8 ms for the
/// restore, which checks the quotas once for the whole snapshot. The
/// quotas are lifted anyway: the default allows 10,000 files and
/// populate writes 100,000.
fn populated(files: &[(String, &[u8])]) -> io::Result<BashBuilder> {
    let fs = InMemoryFs::with_limits(FsLimits::unlimited());
    // Restoring replaces the whole tree, so keep what a new filesystem
    // starts with (`/tmp`, `/dev`) and add the home directory.
    let base = fs.snapshot();
    let mut dirs: HashSet<&Path> = base
        .entries()
        .iter()
        .filter(|e| matches!(e.kind, VfsEntryKind::Directory))
        .map(|e| e.path.as_path())
        .collect();
    let mut entries = Vec::with_capacity(base.entries().len() + files.len() * 2);
    entries.extend_from_slice(base.entries());
    let home = PathBuf::from(format!("/home/{USER}"));
    if dirs.insert(&home) {
        entries.push(VfsEntry {
            path: home.clone(),
            kind: VfsEntryKind::Directory,
            mode: DIR_MODE,
        });
    }
    for (path, data) in files {
        let path = Path::new(path);
        if !path.is_absolute() {
            return Err(io::Error::other(format!(
                "bashkit populate: `{}` is not an absolute path",
                path.display()
            )));
        }
        let mut parent = path.parent();
        while let Some(dir) = parent {
            if !dirs.insert(dir) {
                break;
            }
            entries.push(VfsEntry {
                path: dir.to_path_buf(),
                kind: VfsEntryKind::Directory,
                mode: DIR_MODE,
            });
            parent = dir.parent();
        }
        entries.push(VfsEntry {
            path: path.to_path_buf(),
            kind: VfsEntryKind::File {
                content: data.to_vec(),
            },
            mode: FILE_MODE,
        });
    }
    fs.restore(&VfsSnapshot::from_entries(entries))
        .map_err(|err| io::Error::other(format!("bashkit refused the files: {err}")))?;
    Ok(builder().fs(Arc::new(fs)))
}

/// Runs `script` in `bash` and keeps what the benchmark compares.
async fn exec(bash: &mut Bash, script: &str) -> io::Result<RunOutput> {
    let result = bash
        .exec(script)
        .await
        .map_err(|err| io::Error::other(format!("bashkit failed to run `{script}`: {err}")))?;
    if result.stdout_truncated {
        return Err(io::Error::other(format!(
            "bashkit truncated the output of `{script}` at {} bytes; raise max_stdout_bytes",
            result.stdout.len()
        )));
    }
    Ok(RunOutput {
        stdout: result.stdout.into_bytes(),
        status: result.exit_code,
    })
}

#[async_trait(?Send)]
impl Peer for Bashkit {
    fn name(&self) -> &'static str {
        "bashkit"
    }

    async fn fresh_echo(&mut self) -> io::Result<RunOutput> {
        exec(&mut builder().build(), "echo hi").await
    }

    async fn existing(&mut self, script: &str) -> io::Result<RunOutput> {
        exec(&mut self.bash, script).await
    }

    async fn populate(&mut self, files: &[(String, Vec<u8>)]) -> io::Result<Option<Duration>> {
        let files: Vec<(String, &[u8])> = files
            .iter()
            .map(|(path, data)| (path.clone(), data.as_slice()))
            .collect();
        let start = Instant::now();
        let bash = populated(&files)?.build();
        let took = start.elapsed();
        drop(bash);
        Ok(Some(took))
    }

    async fn idle_bytes(&mut self, count: usize) -> io::Result<Option<f64>> {
        Ok(Some(bytes_per_instance(count, || builder().build())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn run(bash: &mut Bash, script: &str) -> String {
        String::from_utf8(exec(bash, script).await.expect("runs").stdout).expect("utf-8")
    }

    #[tokio::test]
    async fn version_is_the_compiled_crate() {
        let mut bash = builder().build();
        let release = run(&mut bash, "cat /etc/os-release").await;
        assert!(
            release.contains(&format!("VERSION=\"{VERSION}\"")),
            "VERSION is {VERSION}, bashkit reports:\n{release}"
        );
    }

    #[tokio::test]
    async fn fixture_is_at_data_and_the_cwd_is_data() {
        let fixture = Fixture {
            files: vec![crate::bench::fixture::FixtureFile {
                path: "a/b.txt".into(),
                data: b"one\ntwo\n".to_vec(),
            }],
        };
        let mut peer = Bashkit::new(&fixture).await.expect("builds");
        let out = peer.existing("pwd; wc -l a/b.txt").await.expect("runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "/data\n2 a/b.txt\n");
    }

    #[tokio::test]
    async fn limits_let_the_loop_workload_and_many_calls_through() {
        let mut bash = builder().build();
        for _ in 0..1_100 {
            run(&mut bash, ":").await;
        }
        let last = run(
            &mut bash,
            "for i in $(seq 1 20000); do echo $i; done | tail -1",
        )
        .await;
        assert_eq!(last, "20000\n");
    }

    #[tokio::test]
    async fn populate_keeps_every_file_past_the_default_quota() {
        let files = crate::bench::populate_files(10_500);
        let mut peer = Bashkit {
            bash: builder().build(),
        };
        assert!(peer.populate(&files).await.expect("populates").is_some());
        let owned: Vec<(String, &[u8])> = files.iter().map(|(p, d)| (p.clone(), &d[..])).collect();
        let mut bash = populated(&owned).expect("populates").build();
        let count = run(&mut bash, "find /populate -type f | wc -l").await;
        assert_eq!(count.trim(), "10500");
        let last = run(&mut bash, "cat /populate/d99/f10499.txt").await;
        assert_eq!(last, "file 10499\n");
    }

    #[tokio::test]
    async fn a_populated_tree_keeps_the_usual_directories() {
        let files = [("/x/y/z.txt".to_string(), &b"z\n"[..])];
        let mut bash = populated(&files).expect("populates").build();
        let out = run(
            &mut bash,
            "cd ~ && pwd && echo t > /tmp/t && cat /tmp/t && ls /x/y",
        )
        .await;
        assert_eq!(out, "/home/sandbox\nt\nz.txt\n");
    }

    #[test]
    fn relative_paths_are_refused() {
        let files = [("x.txt".to_string(), &b""[..])];
        let err = populated(&files).err().expect("refused");
        assert!(err.to_string().contains("`x.txt` is not an absolute path"));
    }
}
