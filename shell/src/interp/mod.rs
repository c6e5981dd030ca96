//! The evaluator: one `impl Interp` block per family of AST nodes.
//!
//! - `list`: programs, compound lists, `&&`/`||` lists, background jobs;
//! - `pipeline`: pipelines, `!`, `PIPESTATUS`;
//! - `simple`: simple commands — assignments, expansion, redirections and
//!   dispatch (function → builtin → external command);
//! - `compound`: `if`, loops, `case`, groups, subshells, `(( ))`;
//! - `function`: defining and calling functions;
//! - `redirect`: applying redirections to the descriptor table;
//! - `cond`: `[[ … ]]`.
//!
//! An [`Interp`] owns a [`State`] and shares an [`Env`] (filesystem,
//! command runner, limits) with its subshells. A subshell is a new
//! `Interp` with a clone of the state.

mod compound;
mod cond;
mod function;
mod list;
mod pipeline;
mod redirect;
mod simple;
mod variables;

use crate::error::{Exec, Interrupt};
use crate::limits::Limits;
use crate::runner::CommandRunner;
use crate::state::State;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;
use wasm_agent_vfs::Vfs;

/// A boxed future, for the recursive parts of the evaluator.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Polls its future on a stack with room to spare: when less than
/// [`RED_ZONE`] is left, polling continues on a new heap-allocated stack
/// segment. Every command is polled through one, so however deeply a
/// script nests (functions, substitutions, compound commands), the
/// evaluator's recursion cannot overflow the thread's stack; the depth
/// limits stop it with a message instead.
pub(crate) struct GrowStack<F>(pub(crate) F);

/// Stack that must remain before polling one more level.
const RED_ZONE: usize = 128 * 1024;
/// Size of each new stack segment.
const SEGMENT: usize = 2 * 1024 * 1024;

impl<F: Future> Future for GrowStack<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
        // SAFETY: the inner future is never moved out of `self`; this is a
        // plain structural pin projection.
        let inner = unsafe { self.map_unchecked_mut(|grow| &mut grow.0) };
        stacker::maybe_grow(RED_ZONE, SEGMENT, || inner.poll(cx))
    }
}

/// What all (sub)shells of one `exec` call share.
pub(crate) struct Env {
    /// The filesystem.
    pub(crate) fs: Arc<dyn Vfs>,
    /// Runs external commands.
    pub(crate) runner: Arc<dyn CommandRunner>,
    /// Resource limits.
    pub(crate) limits: Limits,
    /// When the call must end.
    pub(crate) deadline: Option<Instant>,
    /// When the call started (`$SECONDS`).
    pub(crate) started: Instant,
    /// Commands run so far (for [`Limits::max_commands`]).
    pub(crate) commands: AtomicU64,
    /// Ids handed to subshells and background jobs (`$BASHPID`, `$!`).
    pub(crate) next_pid: AtomicU32,
    /// `$$`: the id of the top shell (subshells report it too, as in bash).
    pub(crate) shell_pid: u32,
    /// Every background job started in the call, in any subshell: the ones
    /// still running when the call ends are stopped. `None` once the call
    /// has ended: no job may start after that.
    pub(crate) background: std::sync::Mutex<Option<Vec<tokio::task::AbortHandle>>>,
}

impl Env {
    /// A fresh process id for a subshell or background job.
    pub(crate) fn new_pid(&self) -> u32 {
        self.next_pid.fetch_add(1, Ordering::Relaxed)
    }
}

/// What a call that ran out of time prints.
pub(crate) fn timed_out_message(limit: std::time::Duration) -> String {
    format!(
        "timed out after {:.3}s (the call's time limit); raise the timeout if this is intended",
        limit.as_secs_f64()
    )
}

/// A background job: its id and the task running it.
pub(crate) type Job = (u32, tokio::task::JoinHandle<i32>);

/// A shell (or subshell) evaluating commands.
pub(crate) struct Interp {
    /// Its state.
    pub(crate) state: State,
    /// What it shares with the other (sub)shells of the call.
    pub(crate) env: Arc<Env>,
    /// Its background jobs, for `wait` (a subshell starts with none).
    pub(crate) jobs: Vec<Job>,
    /// Expanding an assignment's value: `~` after a `:` is expanded too
    /// (`PATH=~/bin:~/.local/bin`).
    pub(crate) in_assignment: bool,
    /// `>(cmd)` substitutions of redirections (`echo x > >(cmd)`): their
    /// commands run once the redirected command has written its output.
    pub(crate) deferred_outputs: Vec<crate::expand::subst::PendingOutputSubstitution>,
    /// Aliases being expanded (not expanded again inside themselves).
    pub(crate) expanding_aliases: Vec<String>,
    /// `set -x` inside `[[ ! test ]]`: the next traced primary shows `!`.
    pub(crate) trace_negated: bool,
}

impl Interp {
    /// A new shell over `state`.
    pub(crate) fn new(state: State, env: Arc<Env>) -> Interp {
        Interp {
            state,
            env,
            jobs: Vec::new(),
            in_assignment: false,
            deferred_outputs: Vec::new(),
            expanding_aliases: Vec::new(),
            trace_negated: false,
        }
    }

    /// A subshell: the same environment, a copy of the state with a new
    /// `$BASHPID`, and no traps (bash does not pass traps to subshells).
    pub(crate) fn subshell(&self) -> Interp {
        let mut state = self.state.clone();
        state.traps = Default::default();
        Interp {
            state,
            env: self.env.clone(),
            jobs: Vec::new(),
            in_assignment: false,
            deferred_outputs: Vec::new(),
            expanding_aliases: Vec::new(),
            trace_negated: false,
        }
    }

    /// The background jobs of this shell.
    pub(crate) fn jobs_mut(&mut self) -> &mut Vec<Job> {
        &mut self.jobs
    }

    /// Counts one command against the limits; a call that has run too
    /// many commands or too long ends here.
    pub(crate) async fn tick(&mut self) -> Exec<()> {
        let count = self.env.commands.fetch_add(1, Ordering::Relaxed) + 1;
        if count > self.env.limits.max_commands {
            return Err(self
                .fatal(
                    1,
                    format!(
                        "command limit exceeded ({} commands); raise Limits::max_commands if this is intended",
                        self.env.limits.max_commands
                    ),
                )
                .await);
        }
        if let Some(deadline) = self.env.deadline {
            // Checking the clock costs ~20 ns; every 64 commands is enough
            // to stop a runaway loop within microseconds of its deadline.
            if count.is_multiple_of(64) && Instant::now() >= deadline {
                let limit = deadline.saturating_duration_since(self.env.started);
                return Err(self.fatal(124, timed_out_message(limit)).await);
            }
            // A builtin-only loop never waits for anything: let the other
            // stages of its pipeline (and other tasks) run now and then.
            if count.is_multiple_of(1024) {
                tokio::task::yield_now().await;
            }
        }
        Ok(())
    }

    /// Writes `bash: <message>` to stderr and returns the interrupt that
    /// ends the (sub)shell with `status`.
    pub(crate) async fn fatal(&mut self, status: i32, message: String) -> Interrupt {
        self.error_line(&message).await;
        Interrupt::Fatal { status, message }
    }

    /// Writes an error line to stderr, prefixed like bash's
    /// (`bash: line 3: …` inside a script).
    pub(crate) async fn error_line(&mut self, message: &str) {
        let prefix = self.error_prefix();
        let line = format!("{prefix}{message}\n");
        let _ = self.state.fds.stderr().write_all(line.as_bytes()).await;
    }

    /// Writes a line to stderr without any prefix (a builtin's usage line).
    pub(crate) async fn error_line_bare(&mut self, line: &str) {
        let line = format!("{line}\n");
        let _ = self.state.fds.stderr().write_all(line.as_bytes()).await;
    }

    /// `bash: line N: ` — bash's prefix for errors in a `-c` script.
    pub(crate) fn error_prefix(&self) -> String {
        if self.state.lineno > 0 {
            format!("{}: line {}: ", self.state.arg0, self.state.lineno)
        } else {
            format!("{}: ", self.state.arg0)
        }
    }

    /// Records the status of the command that just ran.
    pub(crate) fn set_status(&mut self, status: i32) {
        self.state.last_status = status;
    }

    /// After a command (an `&&`/`||` list) failed: runs the ERR trap and
    /// exits under `set -e`, unless a condition is being evaluated.
    pub(crate) async fn check_errexit(&mut self) -> Exec<()> {
        let status = self.state.last_status;
        if status == 0 || self.state.condition_depth > 0 {
            return Ok(());
        }
        if let Some(trap) = self.state.traps.err.clone() {
            // The trap must not re-trigger itself, nor change `$?`.
            self.state.traps.err = None;
            let _ = self.eval_string(&trap, "trap").await;
            self.state.traps.err = Some(trap);
            self.state.last_status = status;
        }
        if self.state.options.errexit {
            return Err(Interrupt::Exit(status));
        }
        Ok(())
    }
}
