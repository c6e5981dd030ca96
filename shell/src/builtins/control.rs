//! `break`, `continue`, `return`, `exit`.

use super::{done, Ret};
use crate::error::{Exec, Flow, Interrupt};
use crate::interp::{BoxFuture, Interp};

/// Parses the optional count of `break`/`continue` (at least 1).
async fn loop_count(sh: &mut Interp, name: &str, argv: &[String]) -> Result<u32, i32> {
    match argv.get(1) {
        None => Ok(1),
        Some(arg) => match arg.parse::<i64>() {
            Ok(n) if n >= 1 => Ok(n.min(u32::MAX as i64) as u32),
            Ok(_) => {
                sh.builtin_error(name, &format!("{arg}: loop count out of range"))
                    .await;
                Err(1)
            }
            Err(_) => {
                sh.builtin_error(name, &format!("{arg}: numeric argument required"))
                    .await;
                Err(128)
            }
        },
    }
}

/// `break [n]`: leaves `n` enclosing loops.
pub(crate) fn break_(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(leave_loops(sh, "break", argv, Flow::Break))
}

/// `continue [n]`: the next iteration of the `n`-th enclosing loop.
pub(crate) fn continue_(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(leave_loops(sh, "continue", argv, Flow::Continue))
}

/// `break` and `continue`: checks the count and the loop depth as bash
/// does, then makes `flow` of the count.
async fn leave_loops(
    sh: &mut Interp,
    name: &str,
    argv: Vec<String>,
    flow: fn(u32) -> Flow,
) -> Exec<Ret> {
    let n = match loop_count(sh, name, &argv).await {
        Ok(n) => n,
        // Out of range (`break 0`, `continue 0`): bash leaves every loop.
        Err(1) if sh.state.loop_depth > 0 => {
            return Ok((1, Flow::Break(sh.state.loop_depth)));
        }
        Err(status) => return done(status),
    };
    if sh.state.loop_depth == 0 {
        sh.builtin_error(name, "only meaningful in a `for', `while', or `until' loop")
            .await;
        return done(0);
    }
    Ok((0, flow(n.min(sh.state.loop_depth))))
}

/// The status argument of `exit`/`return` (default `$?`, taken modulo
/// 256).
async fn status_argument(sh: &mut Interp, name: &str, argv: &[String]) -> Result<i32, i32> {
    match argv.get(1) {
        None => Ok(sh.state.last_status),
        Some(arg) => match arg.trim().parse::<i64>() {
            Ok(n) => Ok((n & 0xff) as i32),
            Err(_) => {
                sh.builtin_error(name, &format!("{arg}: numeric argument required"))
                    .await;
                Err(2)
            }
        },
    }
}

/// `return [n]`: leaves the function or sourced file.
pub(crate) fn return_(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        if sh.state.call_stack.is_empty() && sh.state.sourcing == 0 {
            sh.builtin_error(
                "return",
                "can only `return' from a function or sourced script",
            )
            .await;
            return done(2);
        }
        match status_argument(sh, "return", &argv).await {
            Ok(status) => Ok((status, Flow::Return)),
            Err(status) => Ok((status, Flow::Return)),
        }
    })
}

/// `exit [n]`: ends the shell (runs the EXIT trap on the way out).
pub(crate) fn exit(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        if argv.len() > 2 {
            // bash -c exits all the same, with status 1.
            sh.builtin_error("exit", "too many arguments").await;
            return Err(Interrupt::Exit(1));
        }
        let status = match status_argument(sh, "exit", &argv).await {
            Ok(status) | Err(status) => status,
        };
        Err(Interrupt::Exit(status))
    })
}
