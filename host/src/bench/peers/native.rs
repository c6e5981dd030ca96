//! Native bash and GNU tools over the fixture on disk: what a container or
//! a host shell pays, process start-up included.

use crate::bench::fixture::Fixture;
use crate::bench::peer::{Peer, RunOutput};
use crate::bench::workloads::DATA_DIR;
use async_trait::async_trait;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

/// Marks the end of one command's output on the long-lived bash's stdout.
const END: &[u8] = b"\x00wa-bench-end ";

/// `bash` from `PATH` with the fixture in a temporary directory.
pub struct NativeBash {
    /// The fixture's root, which scripts see instead of `/data`.
    root: PathBuf,
    /// The temporary directory holding `root`, removed on drop.
    dir: PathBuf,
    /// A bash reading commands from a pipe, for the per-command figures.
    shell: Option<(Child, ChildStdin, BufReader<ChildStdout>)>,
}

impl NativeBash {
    /// Writes `fixture` to a new temporary directory; `None` if `bash` is
    /// not installed.
    pub fn new(fixture: &Fixture) -> io::Result<Option<NativeBash>> {
        if Command::new("bash").args(["-c", ":"]).output().is_err() {
            return Ok(None);
        }
        let dir = std::env::temp_dir().join(format!("wasm-agent-bench-{}", std::process::id()));
        let root = dir.join(DATA_DIR.trim_start_matches('/'));
        fixture.write_to_dir(&root)?;
        Ok(Some(NativeBash {
            root,
            dir,
            shell: None,
        }))
    }

    fn command(&self) -> Command {
        let mut command = Command::new("bash");
        command
            .current_dir(&self.root)
            .env_clear()
            .env("LC_ALL", "C")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null());
        command
    }

    /// The script with `/data` replaced by the fixture's real location.
    fn localize(&self, script: &str) -> String {
        script.replace(DATA_DIR, &self.root.to_string_lossy())
    }

    /// Output with the fixture's real location shown as `/data` again.
    fn delocalize(&self, stdout: Vec<u8>) -> Vec<u8> {
        let root = self.root.to_string_lossy();
        let text = String::from_utf8_lossy(&stdout);
        if text.contains(&*root) {
            text.replace(&*root, DATA_DIR).into_bytes()
        } else {
            stdout
        }
    }

    fn shell(&mut self) -> io::Result<&mut (Child, ChildStdin, BufReader<ChildStdout>)> {
        if self.shell.is_none() {
            let mut child = self
                .command()
                .arg("-s")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()?;
            let stdin = child.stdin.take().expect("piped stdin");
            let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
            self.shell = Some((child, stdin, stdout));
        }
        Ok(self.shell.as_mut().expect("just started"))
    }
}

impl Drop for NativeBash {
    fn drop(&mut self) {
        if let Some((mut child, stdin, _)) = self.shell.take() {
            drop(stdin);
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(mut command: Command) -> io::Result<RunOutput> {
    let out = command.output()?;
    Ok(RunOutput {
        stdout: out.stdout,
        status: out.status.code().unwrap_or(-1),
    })
}

#[async_trait(?Send)]
impl Peer for NativeBash {
    fn name(&self) -> &'static str {
        "native bash"
    }

    async fn fresh_echo(&mut self) -> io::Result<RunOutput> {
        let mut command = self.command();
        command.args(["-c", "echo hi"]);
        run(command)
    }

    async fn existing(&mut self, script: &str) -> io::Result<RunOutput> {
        let script = self.localize(script);
        let (_, stdin, stdout) = self.shell()?;
        writeln!(stdin, "{script}\nprintf '\\0wa-bench-end %d\\n' $?")?;
        stdin.flush()?;
        let mut out = Vec::new();
        loop {
            let n = stdout.read_until(b'\n', &mut out)?;
            if n == 0 {
                return Err(io::Error::other("bash ended before the command did"));
            }
            if let Some(at) = find(&out, END) {
                let status = String::from_utf8_lossy(&out[at + END.len()..])
                    .trim()
                    .parse()
                    .unwrap_or(-1);
                out.truncate(at);
                return Ok(RunOutput {
                    stdout: self.delocalize(out),
                    status,
                });
            }
        }
    }

    async fn workload(&mut self, script: &str) -> io::Result<RunOutput> {
        let mut command = self.command();
        command.arg("-c").arg(self.localize(script));
        let out = run(command)?;
        Ok(RunOutput {
            stdout: self.delocalize(out.stdout),
            status: out.status,
        })
    }

    async fn process_echo(&mut self) -> io::Result<Option<RunOutput>> {
        self.fresh_echo().await.map(Some)
    }

    async fn populate(&mut self, _files: &[(String, Vec<u8>)]) -> io::Result<Option<Duration>> {
        Ok(None)
    }

    async fn idle_bytes(&mut self, _count: usize) -> io::Result<Option<f64>> {
        // One idle bash, waiting on a pipe: the anonymous memory it alone
        // owns is what each further shell costs (its code is shared).
        let mut child = self
            .command()
            .arg("-s")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take();
        // Let it finish starting: a command round trip proves it did.
        let bytes = private_dirty_after_start(&mut child);
        drop(stdin);
        let _ = child.wait();
        bytes.map(Some)
    }
}

/// Waits until the process has mapped its memory, then reads its
/// `Private_Dirty` from `/proc`.
fn private_dirty_after_start(child: &mut Child) -> io::Result<f64> {
    let rollup = Path::new("/proc")
        .join(child.id().to_string())
        .join("smaps_rollup");
    let mut last = 0.0;
    // bash is idle once its private memory stops growing.
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(10));
        let mut text = String::new();
        std::fs::File::open(&rollup)?.read_to_string(&mut text)?;
        let kib: f64 = text
            .lines()
            .find_map(|l| l.strip_prefix("Private_Dirty:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        if kib > 0.0 && kib == last {
            return Ok(kib * 1024.0);
        }
        last = kib;
    }
    Ok(last * 1024.0)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
