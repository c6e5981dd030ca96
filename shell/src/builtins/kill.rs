//! `kill [-s sigspec | -n signum | -sigspec] pid|jobspec…` and `kill -l
//! [sigspec…]`.
//!
//! A sandbox has no processes, so a signal reaches one of two things:
//!
//! - this shell (`$$` or `$BASHPID`): its trap runs (`trap 'cmd' USR1`),
//!   or an ignored signal does nothing, or, by default, the shell ends
//!   with status 128+n (running its EXIT trap, except for `KILL`), as
//!   bash does; `CHLD`, `CONT`, `URG`, `WINCH` and the stop signals are
//!   ignored;
//! - a background job (`$!`, `%1`): it is stopped at once and `wait`
//!   reports 128+n.
//!
//! `kill $$` from a subshell signals that subshell, not its parent.

use super::trap::{decode_signal, signal_list, signal_name, MAX_SIGNAL};
use super::{done, Ret};
use crate::error::{Exec, Interrupt};
use crate::interp::{BoxFuture, Interp};

const USAGE: &str =
    "kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]";

const SIGKILL: u32 = 9;
const SIGTERM: u32 = 15;

/// Signals whose default action leaves a process running.
fn ignored_by_default(signal: u32) -> bool {
    matches!(signal, 0 | 17 | 18 | 19 | 20 | 21 | 22 | 23 | 28)
}

/// `kill`: sends signals to this shell or its jobs, or lists them.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut args = argv[1..].iter().peekable();
        let mut listing = false;
        let mut signal = Some(SIGTERM);
        let mut spec = String::new();
        let mut saw_signal = false;
        while let Some(word) = args.peek().map(|w| w.as_str()) {
            let given = if word == "-l" || word == "-L" {
                listing = true;
                args.next();
                continue;
            } else if word == "-s" || word == "-n" {
                args.next();
                match args.next() {
                    Some(value) => value.clone(),
                    None => {
                        sh.builtin_error("kill", &format!("{word}: option requires an argument"))
                            .await;
                        return done(1);
                    }
                }
            } else if word == "--" {
                args.next();
                break;
            } else if word.len() > 1 && word.starts_with('-') && !saw_signal {
                args.next();
                let rest = &word[1..];
                match rest.strip_prefix(['s', 'n']) {
                    Some(value) if !value.is_empty() && signal_like(rest) => value.to_string(),
                    _ => rest.to_string(),
                }
            } else {
                break;
            };
            saw_signal = true;
            signal = if given == "0" {
                Some(0)
            } else {
                decode_signal(&given).filter(|&n| n <= MAX_SIGNAL)
            };
            spec = given;
        }
        let rest: Vec<String> = args.cloned().collect();
        if listing {
            return list(sh, &rest).await;
        }
        let Some(signal) = signal else {
            sh.builtin_error("kill", &format!("{spec}: invalid signal specification"))
                .await;
            return done(1);
        };
        if rest.is_empty() {
            let line = format!("kill: usage: {USAGE}\n");
            let _ = sh.state.fds.stderr().write_all(line.as_bytes()).await;
            return done(2);
        }
        let mut any = false;
        for target in &rest {
            if target.starts_with('%') {
                match super::wait::job_index(sh, target) {
                    Some(index) => {
                        signal_job(sh, index, signal);
                        any = true;
                    }
                    None => {
                        sh.builtin_error("kill", &format!("{target}: no such job"))
                            .await
                    }
                }
                continue;
            }
            let Ok(pid) = target.trim().parse::<i64>() else {
                let message = format!("{target}: arguments must be process or job IDs");
                sh.builtin_error("kill", &message).await;
                continue;
            };
            if pid == i64::from(sh.state.pid) || pid == i64::from(sh.env.shell_pid) {
                signal_self(sh, signal).await?;
                any = true;
            } else if let Some(index) = sh.jobs_mut().iter().position(|(p, _)| i64::from(*p) == pid)
            {
                signal_job(sh, index, signal);
                any = true;
            } else {
                sh.builtin_error("kill", &format!("({pid}) - No such process"))
                    .await;
            }
        }
        done(if any { 0 } else { 1 })
    })
}

/// `-s9`/`-nTERM` style: `-s`/`-n` glued to their value (bash only takes
/// `-sNAME` and `-nNUMBER`).
fn signal_like(rest: &str) -> bool {
    let value = &rest[1..];
    match &rest[..1] {
        "s" => value.starts_with(|c: char| c.is_ascii_alphabetic()),
        _ => value.starts_with(|c: char| c.is_ascii_digit()),
    }
}

/// `kill -l`: the table, or each signal's number or name.
async fn list(sh: &mut Interp, specs: &[String]) -> Exec<Ret> {
    if specs.is_empty() {
        let ok = sh.out("kill", signal_list().as_bytes()).await?;
        return done(if ok { 0 } else { 1 });
    }
    let mut text = String::new();
    let mut status = 0;
    for spec in specs {
        let answer = match spec.parse::<u32>() {
            // Statuses of killed commands (128+n) name their signal.
            Ok(number) => signal_name(if number > 128 { number - 128 } else { number }),
            Err(_) => decode_signal(spec)
                .filter(|&n| (1..=MAX_SIGNAL).contains(&n))
                .map(|n| n.to_string()),
        };
        match answer {
            Some(answer) => {
                text.push_str(&answer);
                text.push('\n');
            }
            None => {
                sh.builtin_error("kill", &format!("{spec}: invalid signal specification"))
                    .await;
                status = 1;
            }
        }
    }
    let ok = sh.out("kill", text.as_bytes()).await?;
    done(if ok { status } else { 1 })
}

/// Delivers `signal` to this shell: its trap, nothing, or its end.
async fn signal_self(sh: &mut Interp, signal: u32) -> Exec<()> {
    if signal != SIGKILL {
        match sh.state.traps.signals.get(&signal).cloned() {
            Some(action) if action.is_empty() => return Ok(()),
            Some(action) => {
                let status = sh.state.last_status;
                sh.eval_string(&action, "trap").await?;
                sh.state.last_status = status;
                return Ok(());
            }
            None if ignored_by_default(signal) => return Ok(()),
            None => {}
        }
    } else {
        // SIGKILL ends a process before anything of it can run.
        sh.state.traps.exit = None;
    }
    Err(Interrupt::Exit(128 + signal as i32))
}

/// Delivers `signal` to job `index`: stops it (unless the signal leaves
/// processes running) so that `wait` reports 128+n.
fn signal_job(sh: &mut Interp, index: usize, signal: u32) {
    if ignored_by_default(signal) {
        return;
    }
    let job = &mut sh.jobs_mut()[index];
    if job.1.is_finished() {
        // A job that has ended keeps the status it ended with.
        return;
    }
    job.1.abort();
    let status = 128 + signal as i32;
    job.1 = tokio::spawn(async move { status });
}
