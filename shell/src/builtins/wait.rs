//! `wait [-fn] [-p var] [id…]`: waits for background jobs and returns
//! the status of the last one waited for.
//!
//! An id is a job's pid (`$!`) or a job spec: `%N` (the N-th job still
//! in the table), `%%`, `%+`, `%` (the newest), `%-` (the one before).
//! A job waited for leaves the table, so waiting for it again says it is
//! not a child (bash remembers its status).

use super::internal_getopt;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

const USAGE: &str = "wait [-fn] [-p var] [id ...]";

/// Status of `wait` for something that is not a job of this shell.
const STATUS_NO_JOB: i32 = 127;

/// `wait`: waits for jobs.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let parsed = match internal_getopt::parse(&argv, "fnp:") {
            Ok(parsed) => parsed,
            Err(err) => return done(sh.option_error("wait", err, USAGE).await),
        };
        let options = parsed.options;
        let ids = argv[parsed.first_operand..].to_vec();
        let any = options.iter().any(|(c, _)| *c == 'n');
        let var = options
            .iter()
            .rev()
            .find_map(|(c, v)| (*c == 'p').then(|| v.clone().unwrap_or_default()));
        if let Some(var) = &var {
            let _ = sh.unset_var(var);
        }
        if any {
            return wait_any(sh, &ids, var.as_deref()).await;
        }
        if ids.is_empty() {
            for (_, handle) in std::mem::take(sh.jobs_mut()) {
                let _ = handle.await;
            }
            return done(0);
        }
        let mut status = 0;
        for id in &ids {
            let index = match resolve(sh, id) {
                Ok(index) => index,
                Err(Bad::Syntax) => {
                    sh.builtin_error("wait", &format!("`{id}': not a pid or valid job spec"))
                        .await;
                    if id.starts_with(|c: char| c.is_ascii_digit()) {
                        return done(1);
                    }
                    status = 1;
                    continue;
                }
                Err(Bad::NoSuchPid(pid)) => {
                    sh.builtin_error("wait", &format!("pid {pid} is not a child of this shell"))
                        .await;
                    status = STATUS_NO_JOB;
                    continue;
                }
                Err(Bad::NoSuchJob) => {
                    sh.builtin_error("wait", &format!("{id}: no such job"))
                        .await;
                    status = STATUS_NO_JOB;
                    continue;
                }
            };
            let (pid, handle) = sh.jobs_mut().remove(index);
            status = finished(handle.await);
            if let Some(var) = &var {
                let _ = sh.set_scalar(var, pid.to_string());
            }
        }
        done(status)
    })
}

/// Why an id names no job.
enum Bad {
    /// Neither a number nor a job spec.
    Syntax,
    /// A pid that is no job of this shell.
    NoSuchPid(String),
    /// A job spec that matches no job.
    NoSuchJob,
}

/// The index in the job table of the job `%spec` names (`kill %1`).
pub(crate) fn job_index(sh: &mut Interp, spec: &str) -> Option<usize> {
    resolve(sh, spec).ok()
}

/// The index in the job table of the job `id` names.
fn resolve(sh: &mut Interp, id: &str) -> Result<usize, Bad> {
    let jobs = sh.jobs_mut();
    if let Some(spec) = id.strip_prefix('%') {
        let index = match spec {
            "" | "%" | "+" => jobs.len().checked_sub(1),
            "-" => jobs.len().checked_sub(2),
            number => number
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1 && n <= jobs.len())
                .map(|n| n - 1),
        };
        return index.ok_or(Bad::NoSuchJob);
    }
    let trimmed = id.trim();
    let Ok(pid) = trimmed.parse::<i64>() else {
        return Err(Bad::Syntax);
    };
    jobs.iter()
        .position(|(job, _)| i64::from(*job) == pid)
        .ok_or_else(|| Bad::NoSuchPid(pid.to_string()))
}

/// `wait -n`: the first of the jobs (or of the named ones) to end.
async fn wait_any(sh: &mut Interp, ids: &[String], var: Option<&str>) -> Exec<Ret> {
    let mut pids: Vec<u32> = Vec::new();
    for id in ids {
        match resolve(sh, id) {
            Ok(index) => pids.push(sh.jobs_mut()[index].0),
            Err(_) => {
                sh.builtin_error("wait", &format!("{id}: no such job"))
                    .await;
            }
        }
    }
    if !ids.is_empty() && pids.is_empty() || sh.jobs_mut().is_empty() {
        return done(STATUS_NO_JOB);
    }
    let jobs = sh.jobs_mut();
    let (index, result) = poll_fn(|cx| {
        for (i, (pid, handle)) in jobs.iter_mut().enumerate() {
            if !pids.is_empty() && !pids.contains(pid) {
                continue;
            }
            if let Poll::Ready(result) = Pin::new(handle).poll(cx) {
                return Poll::Ready((i, result));
            }
        }
        Poll::Pending
    })
    .await;
    let (pid, _) = jobs.remove(index);
    if let Some(var) = var {
        let _ = sh.set_scalar(var, pid.to_string());
    }
    done(finished(result))
}

/// A job's exit status (a job that panicked or was cancelled counts as
/// failed).
fn finished(result: Result<i32, tokio::task::JoinError>) -> i32 {
    result.unwrap_or(1)
}
