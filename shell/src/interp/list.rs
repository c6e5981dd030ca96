//! Programs, compound lists, `&&`/`||` lists and background jobs.

use super::{BoxFuture, Interp};
use crate::error::{Exec, Flow, Interrupt};
use crate::parse;
use brush_parser::ast::{self, SourceLocation};

impl Interp {
    /// Runs a parsed program in this shell.
    pub(crate) fn run_program<'a>(&'a mut self, program: &'a ast::Program) -> BoxFuture<'a, Exec> {
        Box::pin(async move {
            for list in &program.complete_commands {
                let flow = self.run_list(list).await?;
                if flow != Flow::Normal {
                    return Ok(flow);
                }
            }
            Ok(Flow::Normal)
        })
    }

    /// Runs the script of a call: as [`Interp::run_program`], but under
    /// `set -v` each complete command's lines of `source` are written to
    /// stderr before it runs, as bash echoes its input as it reads it.
    pub(crate) async fn run_top_level(&mut self, program: &ast::Program, source: &str) -> Exec {
        let mut shown_to = 0;
        let starts: Vec<Option<usize>> = program
            .complete_commands
            .iter()
            .map(|list| list.location().map(|loc| loc.start.index))
            .collect();
        for (index, list) in program.complete_commands.iter().enumerate() {
            if self.state.options.verbose {
                // The lines from this command up to the next one's line.
                if let Some(start) = starts[index] {
                    let start = line_start(source, start).max(shown_to);
                    let end = match starts.get(index + 1).copied().flatten() {
                        Some(next) => line_start(source, next).saturating_sub(1),
                        None => source.trim_end_matches('\n').len(),
                    };
                    let end = end.max(line_end(source, start));
                    if start < end {
                        let text = format!("{}\n", &source[start..end]);
                        let _ = self.state.fds.stderr().write_all(text.as_bytes()).await;
                        shown_to = end;
                    }
                }
            }
            let flow = self.run_list(list).await?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    /// Parses and runs `source` in this shell (`eval`, traps, `source`).
    /// A syntax error prints bash's message and returns status 2 as a
    /// normal status (it ends the shell only at the top level).
    pub(crate) async fn eval_string(&mut self, source: &str, what: &str) -> Exec {
        if source.len() > self.env.limits.max_source_bytes {
            let message = format!(
                "{what}: source of {} bytes exceeds the limit of {} bytes",
                source.len(),
                self.env.limits.max_source_bytes
            );
            return Err(self.fatal(2, message).await);
        }
        match parse::parse_cached(source, self.state.options.extglob) {
            Ok(parsed) => {
                self.print_warnings(&parsed.warnings).await;
                self.run_program(&parsed.program).await
            }
            Err(err) if what == "eval" => {
                // bash numbers the lines of the evaluated text itself.
                let report = err.report(&format!("{}: eval: line {}: ", self.state.arg0, err.line));
                let _ = self.state.fds.stderr().write_all(report.as_bytes()).await;
                self.set_status(2);
                Ok(Flow::Normal)
            }
            Err(err) => {
                let saved = self.state.lineno;
                self.state.lineno = err.line as u32;
                let report = err.report(&format!("{}{what}: ", self.error_prefix()));
                let _ = self.state.fds.stderr().write_all(report.as_bytes()).await;
                self.state.lineno = saved;
                self.set_status(2);
                Ok(Flow::Normal)
            }
        }
    }

    /// Runs a compound list: each `&&`/`||` list in turn, or in the
    /// background when followed by `&`.
    pub(crate) fn run_list<'a>(&'a mut self, list: &'a ast::CompoundList) -> BoxFuture<'a, Exec> {
        Box::pin(async move {
            for ast::CompoundListItem(and_or, separator) in &list.0 {
                match separator {
                    ast::SeparatorOperator::Sequence => {
                        let flow = self.run_and_or(and_or).await?;
                        if flow != Flow::Normal {
                            return Ok(flow);
                        }
                    }
                    ast::SeparatorOperator::Async => self.run_background(and_or).await?,
                }
            }
            Ok(Flow::Normal)
        })
    }

    /// Runs `first && second || third…`.
    pub(crate) async fn run_and_or(&mut self, list: &ast::AndOrList) -> Exec {
        // A simple command sets `LINENO` itself, cheaply; the span of a
        // compound one is computed from its whole body.
        if !matches!(list.first.seq.first(), Some(ast::Command::Simple(_))) {
            if let Some(loc) = list.first.location() {
                self.state.lineno = loc.start.line as u32;
            }
        }
        let count = list.additional.len();
        // Every pipeline but the last is a condition for `set -e`.
        let mut in_condition = count > 0;
        if in_condition {
            self.state.condition_depth += 1;
        }
        let mut ran_last = count == 0;
        let mut result = self.run_pipeline(&list.first).await;
        for (i, next) in list.additional.iter().enumerate() {
            if !matches!(result, Ok(Flow::Normal)) {
                break;
            }
            let is_last = i + 1 == count;
            if is_last {
                self.state.condition_depth -= 1;
                in_condition = false;
            }
            let (run, pipeline) = match next {
                ast::AndOr::And(p) => (self.state.last_status == 0, p),
                ast::AndOr::Or(p) => (self.state.last_status != 0, p),
            };
            if run {
                result = self.run_pipeline(pipeline).await;
                ran_last = is_last;
            }
        }
        if in_condition {
            self.state.condition_depth -= 1;
        }
        let flow = result?;
        // A skipped last pipeline leaves the status of the one that
        // decided, which `set -e` ignores (`false && x` does not exit).
        if flow == Flow::Normal && ran_last && !list_ends_negated(list) {
            self.check_errexit().await?;
        }
        Ok(flow)
    }

    /// Starts `list` as a background job (`&`): a subshell running
    /// concurrently, with stdin from nothing as bash does for jobs of a
    /// non-interactive shell.
    async fn run_background(&mut self, list: &ast::AndOrList) -> Exec<()> {
        let started = match self.env.background.lock().as_deref() {
            Ok(Some(jobs)) => jobs.len(),
            // The call is over: a job left behind cannot start more.
            _ => return Err(Interrupt::Exit(1)),
        };
        let limit = self.env.limits.max_background_jobs;
        if started >= limit as usize {
            let message = format!(
                "background job limit exceeded ({limit} jobs); raise Limits::max_background_jobs if this is intended"
            );
            return Err(self.fatal(1, message).await);
        }
        let mut job = self.subshell();
        let pid = self.env.new_pid();
        job.state.pid = pid;
        job.state
            .fds
            .set(0, Some(crate::state::Fd::Input(Default::default())));
        let list = list.clone();
        let handle = tokio::spawn(async move {
            let status = match job.run_and_or(&list).await {
                Ok(_) => job.state.last_status,
                Err(interrupt) => interrupt.status(),
            };
            job.run_exit_trap().await;
            status
        });
        match self.env.background.lock().as_deref_mut() {
            Ok(Some(all)) => all.push(handle.abort_handle()),
            _ => handle.abort(),
        }
        self.jobs_mut().push((pid, handle));
        self.state.last_background = Some(pid);
        self.set_status(0);
        Ok(())
    }

    /// Prints the parser's warnings (`bash: line 3: warning: here-document …`).
    pub(crate) async fn print_warnings(&mut self, warnings: &[String]) {
        for warning in warnings {
            let line = format!("{}: {warning}\n", self.state.arg0);
            let _ = self.state.fds.stderr().write_all(line.as_bytes()).await;
        }
    }

    /// Runs the EXIT trap, once, at the end of a (sub)shell.
    /// Returns the status an `exit` in the trap ended the shell with.
    pub(crate) async fn run_exit_trap(&mut self) -> Option<i32> {
        let trap = self.state.traps.exit.take()?;
        let status = self.state.last_status;
        let result = self.eval_string(&trap, "trap").await;
        self.state.last_status = status;
        match result {
            Err(interrupt) => Some(interrupt.status()),
            Ok(_) => None,
        }
    }

    /// Ends this (sub)shell: runs the EXIT trap and returns its status.
    pub(crate) async fn finish(&mut self, result: Exec) -> i32 {
        let status = match result {
            Ok(_) => self.state.last_status,
            Err(Interrupt::Exit(status)) | Err(Interrupt::Fatal { status, .. }) => status,
        };
        self.state.last_status = status;
        let status = self.run_exit_trap().await.unwrap_or(status);
        status & 0xff
    }
}

/// True if the list's last pipeline is negated with `!` (exempt from
/// `set -e`).
fn list_ends_negated(list: &ast::AndOrList) -> bool {
    match list.additional.last() {
        Some(ast::AndOr::And(p) | ast::AndOr::Or(p)) => p.bang,
        None => list.first.bang,
    }
}

impl Interp {
    /// Waits for every background job of this shell (the end of a call
    /// waits for its jobs, as `bash -c` leaves none running).
    pub(crate) async fn wait_all(&mut self) {
        for (_, handle) in std::mem::take(self.jobs_mut()) {
            let _ = handle.await;
        }
    }

    /// Stops the jobs that subshells left running in the background: a
    /// call leaves nothing behind.
    pub(crate) fn stop_background(&self) {
        let jobs = self.env.background.lock().map(|mut all| all.take());
        for job in jobs.ok().flatten().unwrap_or_default() {
            job.abort();
        }
    }
}

/// The start of the line holding byte `at` of `source`.
fn line_start(source: &str, at: usize) -> usize {
    let at = at.min(source.len());
    source[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The end (before the newline) of the line holding byte `at`.
fn line_end(source: &str, at: usize) -> usize {
    let at = at.min(source.len());
    source[at..].find('\n').map_or(source.len(), |i| at + i)
}
