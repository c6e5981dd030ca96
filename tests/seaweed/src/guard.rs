//! The `sh` guard that runs `weed` and takes it down with the test process.
//!
//! Why a guard process and not `PR_SET_PDEATHSIG`: the death signal fires
//! when the *thread* that spawned the child exits, not the process. Tests
//! run on short-lived threads and the shared server is started from
//! whichever test comes first, so the server would die with that test's
//! thread. It is also Linux-only and needs `unsafe` in `pre_exec`.
//!
//! How it works: the test process holds the write end of the guard's stdin
//! and sends it commands (`start`, `stop`), one per line. The kernel closes
//! that pipe whenever the test process ends — normal exit, panic, abort,
//! `SIGKILL` — and `read` in the guard then sees end of file: the guard
//! kills weed, waits for it, removes the Unix sockets weed leaves in /tmp
//! and the data directory, and exits. The pipe is created close-on-exec, so
//! no other child of the test process keeps it open. The guard runs in its
//! own process group so that a Ctrl-C at the terminal reaches only the test
//! process (whose exit then triggers the clean-up) and cannot kill the guard
//! before it cleans up. What this does not survive: the guard itself being
//! killed with `SIGKILL`.
//!
//! The guard reports on its stdout: `started PID` once weed runs, `exited
//! STATUS` whenever weed ends (crash, port clash, kill), `stopped` after a
//! `stop`. A reader thread turns those lines into [`Event`]s.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use std::os::unix::process::CommandExt;

/// The guard script. Arguments: weed binary, data directory, the ports
/// (space-separated, to find weed's sockets), then weed's own arguments.
///
/// weed's pid goes through a file because the subshell that reports its
/// exit is the guard's child, not weed itself; the file is removed as soon
/// as weed ends, so that a reused pid is never killed. weed 4.48 puts its gRPC sockets
/// at /tmp/seaweedfs-<component>-grpc-<port>.sock whatever `TMPDIR` says and
/// leaves some behind even on a clean shutdown, hence the removal by port.
const SCRIPT: &str = r#"
set -u
weed=$1 dir=$2 ports=$3
shift 3
pidfile=$dir/weed.pid
donefile=$dir/weed.done
sub=
halt() {
    [ -n "$sub" ] || return 0
    # Right after a start the subshell may not have written the pid yet.
    while [ ! -s "$pidfile" ] && [ ! -e "$donefile" ]; do
        sleep 0.05
    done
    [ -s "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null
    wait "$sub" 2>/dev/null
    sub=
    rm -f "$pidfile" "$donefile"
    for port in $ports; do
        rm -f /tmp/seaweedfs-*-"$port".sock
    done
}
finish() {
    halt
    rm -rf "$dir"
    exit 0
}
trap finish HUP INT TERM
while IFS= read -r command; do
    case $command in
    start)
        halt
        (
            "$weed" "$@" >>"$dir/weed.log" 2>&1 </dev/null &
            echo $! >"$pidfile"
            echo "started $!"
            wait $!
            status=$?
            # The pid may be reused once weed is gone: never kill it again.
            rm -f "$pidfile"
            : >"$donefile"
            echo "exited $status"
        ) &
        sub=$!
        ;;
    stop)
        halt
        echo stopped
        ;;
    esac
done
finish
"#;

/// What the guard reports about weed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// weed runs with this process id.
    Started(u32),
    /// weed ended with this exit status (137 after a kill).
    Exited(String),
    /// The guard finished a `stop`.
    Stopped,
}

/// A running guard; dropping it stops weed and removes the data directory.
pub(crate) struct Guard {
    child: Child,
    /// `None` once dropped: closing it is the guard's signal to clean up.
    stdin: Option<ChildStdin>,
    /// Behind a mutex only so that `Guard` is `Sync` and can live in a
    /// static; every use goes through `&mut self`.
    events: Mutex<Receiver<Event>>,
    /// The exit status of weed, once the guard reported one.
    exited: Option<String>,
}

impl Guard {
    /// Spawns the guard for a server whose data lives in `dir`. weed is not
    /// started yet: see [`Guard::start`].
    ///
    /// weed gets only the variables in `env`, so that the caller's
    /// `AWS_*`, `S3_BUCKET` and the like cannot change its set-up.
    pub(crate) fn spawn(
        weed: &Path,
        dir: &Path,
        ports: &[u16],
        env: &[(&str, &str)],
        args: &[String],
    ) -> Result<Guard, String> {
        let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(SCRIPT)
            .arg("seaweed-guard")
            .arg(weed)
            .arg(dir)
            .arg(ports.join(" "))
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env(
                "PATH",
                std::env::var_os("PATH").unwrap_or("/usr/bin:/bin".into()),
            )
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0);
        let mut child = command
            .spawn()
            .map_err(|err| format!("could not start `sh` to guard weed: {err}"))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout was piped");
        let (sender, events) = mpsc::channel();
        std::thread::Builder::new()
            .name("seaweed-guard".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    let event = match line.split_once(' ') {
                        Some(("started", pid)) => pid.parse().ok().map(Event::Started),
                        Some(("exited", status)) => Some(Event::Exited(status.to_string())),
                        _ if line == "stopped" => Some(Event::Stopped),
                        _ => None,
                    };
                    if let Some(event) = event {
                        if sender.send(event).is_err() {
                            break;
                        }
                    }
                }
            })
            .map_err(|err| format!("could not start the guard's reader thread: {err}"))?;
        Ok(Guard {
            child,
            stdin,
            events: Mutex::new(events),
            exited: None,
        })
    }

    /// Starts weed and returns its process id.
    pub(crate) fn start(&mut self) -> Result<u32, String> {
        self.exited = None;
        self.send("start")?;
        match self.next_event(Duration::from_secs(10))? {
            Event::Started(pid) => Ok(pid),
            other => Err(format!("the guard answered {other:?} to `start`")),
        }
    }

    /// Kills weed (`SIGKILL`, like a crash: nothing is flushed on purpose)
    /// and waits until it is gone. The data directory stays.
    pub(crate) fn stop(&mut self) -> Result<(), String> {
        self.send("stop")?;
        loop {
            if self.next_event(Duration::from_secs(30))? == Event::Stopped {
                return Ok(());
            }
        }
    }

    /// weed's exit status if it has ended since the last start.
    pub(crate) fn exit_status(&mut self) -> Option<&str> {
        let events = self.events.get_mut().unwrap_or_else(|e| e.into_inner());
        while let Ok(event) = events.try_recv() {
            if let Event::Exited(status) = event {
                self.exited = Some(status);
            }
        }
        self.exited.as_deref()
    }

    fn send(&mut self, command: &str) -> Result<(), String> {
        let stdin = self.stdin.as_mut().expect("stdin is only taken on drop");
        writeln!(stdin, "{command}")
            .and_then(|()| stdin.flush())
            .map_err(|err| format!("the guard of weed is gone ({err}) before `{command}`"))
    }

    /// The next event other than an exit, which is recorded on the way.
    fn next_event(&mut self, timeout: Duration) -> Result<Event, String> {
        let deadline = Instant::now() + timeout;
        let events = self.events.get_mut().unwrap_or_else(|e| e.into_inner());
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Ok(Event::Exited(status)) => self.exited = Some(status),
                Ok(event) => return Ok(event),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "the guard of weed did not answer within {timeout:?}"
                    ))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the guard of weed exited unexpectedly".to_string())
                }
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // End of file on its stdin makes the guard kill weed and remove the
        // data directory; waiting for it makes that finished on return, so
        // a test may reuse the ports or check the directory right away.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}
