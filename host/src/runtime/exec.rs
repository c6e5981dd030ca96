//! Running one command: a fresh instance from the pool, `_start`, and the
//! mapping of how it ended to an exit status.

use super::command::Command;
use super::limits::{human_bytes, GuestLimiter, MemoryLimitExceeded};
use super::{Inner, Loaded, StoreState};
use crate::error::{Error, Result};
use crate::wasi::{Stop, WasiCtx};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasm_agent_vfs::Vfs;
use wasmtime::{Store, Trap, UpdateDeadline};

/// Exit status of a command killed by SIGPIPE in bash (128 + 13).
pub(crate) const STATUS_BROKEN_PIPE: i32 = 141;
/// Exit status of `timeout(1)` when the deadline passes.
pub(crate) const STATUS_TIMEOUT: i32 = 124;
/// Exit status of a command killed for memory (128 + SIGKILL), as after the
/// kernel's OOM killer.
pub(crate) const STATUS_MEMORY: i32 = 137;
/// Exit status of a crashed command (128 + SIGABRT).
pub(crate) const STATUS_CRASH: i32 = 134;
/// Exit status of a cancelled command (128 + SIGINT).
pub(crate) const STATUS_CANCELLED: i32 = 130;
/// Exit status bash gives for an unknown command.
pub(crate) const STATUS_NOT_FOUND: i32 = 127;

pub(crate) async fn run(
    inner: &Inner,
    loaded: &Loaded,
    fs: Arc<dyn Vfs>,
    mut command: Command,
) -> Result<i32> {
    let program = command.program().to_string();
    let limits = command.effective_limits(&inner.defaults);
    let quiet_timeout = command.quiet_timeout;
    let deadline = limits.timeout.map(|t| Instant::now() + t);

    let mut wasi = {
        let mut env = std::mem::take(&mut command.env);
        env.retain(|(name, _)| name != "PWD");
        let cwd = command.cwd.take().unwrap_or_else(|| "/".to_string());
        env.push(("PWD".to_string(), cwd));
        WasiCtx::builder(fs)
            .args(std::mem::take(&mut command.argv))
            .envs(env)
            .stdin(std::mem::take(&mut command.stdin))
            .stdout(std::mem::take(&mut command.stdout))
            .stderr(std::mem::take(&mut command.stderr))
            .deadline(deadline)
            .build()
    };

    let Some(&index) = loaded.commands.get(&program) else {
        wasi.write_note(&format!("wasm-agent: {program}: command not found\n"))
            .await;
        return Ok(STATUS_NOT_FOUND);
    };
    let module = &loaded.modules[index];

    // Waiting for a pool slot counts against the deadline, like any wait.
    let acquire = inner.permits.acquire();
    let permit = match deadline {
        Some(deadline) => match tokio::time::timeout_at(deadline.into(), acquire).await {
            Ok(permit) => permit,
            Err(_elapsed) => {
                let timeout = wasmtime::Error::new(Stop::Timeout);
                return Ok(finish_with(wasi, &program, &timeout, &limits, quiet_timeout).await);
            }
        },
        None => acquire.await,
    };
    let _permit = permit.map_err(|_closed| {
        Error::new(
            crate::error::ErrorKind::Runtime,
            "the runtime is shutting down",
        )
    })?;

    let mut store = Store::new(
        inner.engine(),
        StoreState {
            wasi,
            limiter: GuestLimiter {
                memory_bytes: limits.memory_bytes,
                table_elements: inner.pool.table_elements,
            },
        },
    );
    store.limiter(|state| &mut state.limiter);
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(move |_| {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(wasmtime::Error::new(Stop::Timeout));
        }
        // Let other commands (e.g. the other stages of a pipeline) run.
        Ok(UpdateDeadline::Yield(1))
    });

    let result = async {
        let instance = module.pre.instantiate_async(&mut store).await?;
        if let Some(memory) = instance.get_memory(&mut store, "memory") {
            store.data_mut().wasi.set_memory(memory);
        }
        let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
        start.call_async(&mut store, ()).await
    }
    .await;

    let wasi = store.into_data().wasi;
    Ok(match result {
        Ok(()) => {
            let mut wasi = wasi;
            wasi.close_all();
            0
        }
        Err(err) => finish_with(wasi, &program, &err, &limits, quiet_timeout).await,
    })
}

/// Maps how a guest stopped to its exit status, telling the user on the
/// command's stderr when the host stopped it.
async fn finish_with(
    mut wasi: WasiCtx,
    program: &str,
    err: &wasmtime::Error,
    limits: &super::Limits,
    quiet_timeout: bool,
) -> i32 {
    let (status, note) = exit_status(program, err, limits);
    let quiet = quiet_timeout && status == STATUS_TIMEOUT;
    if let Some(note) = note.filter(|_| !quiet) {
        wasi.write_note(&note).await;
    }
    wasi.close_all();
    status
}

/// The exit status for a guest that ended with `err`, and the line to print
/// on its stderr if the host ended it.
pub(crate) fn exit_status(
    program: &str,
    err: &wasmtime::Error,
    limits: &super::Limits,
) -> (i32, Option<String>) {
    if let Some(stop) = err.downcast_ref::<Stop>() {
        return match stop {
            // Statuses are 8 bits wide, as a parent process sees them.
            Stop::Exit(code) => (code & 0xff, None),
            Stop::BrokenPipe => (STATUS_BROKEN_PIPE, None),
            Stop::OutputLimit { limit } => (
                STATUS_BROKEN_PIPE,
                Some(format!(
                    "wasm-agent: {program}: output passed the limit of {}; output truncated and \
                     command stopped\n",
                    human_bytes(*limit)
                )),
            ),
            Stop::Timeout => (
                STATUS_TIMEOUT,
                Some(format!(
                    "wasm-agent: {program}: timed out after {}\n",
                    human_duration(limits.timeout.unwrap_or_default())
                )),
            ),
            Stop::Cancelled => (
                STATUS_CANCELLED,
                Some(format!("wasm-agent: {program}: cancelled\n")),
            ),
        };
    }
    if let Some(exceeded) = err.downcast_ref::<MemoryLimitExceeded>() {
        return (
            STATUS_MEMORY,
            Some(format!("wasm-agent: {program}: {exceeded}\n")),
        );
    }
    if let Some(trap) = err.downcast_ref::<Trap>() {
        let what = match trap {
            Trap::StackOverflow => "call stack exhausted (infinite recursion?)".to_string(),
            Trap::UnreachableCodeReached => "aborted".to_string(),
            other => other.to_string(),
        };
        return (
            STATUS_CRASH,
            Some(format!("wasm-agent: {program}: crashed: {what}\n")),
        );
    }
    (
        STATUS_CRASH,
        Some(format!("wasm-agent: {program}: failed: {err}\n")),
    )
}

/// `1.5s`, `2m30s`: how long a timeout was.
fn human_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        let text = format!("{secs:.3}");
        format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
    } else {
        let whole = d.as_secs();
        match (whole / 60, whole % 60) {
            (m, 0) => format!("{m}m"),
            (m, s) => format!("{m}m{s}s"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(human_duration(Duration::from_secs(2)), "2s");
        assert_eq!(human_duration(Duration::from_secs(150)), "2m30s");
        assert_eq!(human_duration(Duration::from_secs(600)), "10m");
    }

    #[test]
    fn exit_statuses_follow_shell_conventions() {
        let limits = super::super::Limits::default();
        let status = |stop: Stop| exit_status("t", &wasmtime::Error::new(stop), &limits);
        assert_eq!(status(Stop::Exit(3)), (3, None));
        assert_eq!(status(Stop::Exit(256 + 2)).0, 2);
        assert_eq!(status(Stop::BrokenPipe), (141, None));
        assert_eq!(status(Stop::Timeout).0, 124);
        assert!(status(Stop::OutputLimit { limit: 10 })
            .1
            .unwrap()
            .contains("10 bytes"));
    }
}
