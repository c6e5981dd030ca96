//! `exec [command [arg…]]`.

use super::{done, Ret};
use crate::error::{Exec, Interrupt};
use crate::interp::{BoxFuture, Interp};

/// `exec`: without a command, its redirections stay in force (`exec
/// 3>log`, `exec >out`); with one, the command replaces the shell: the
/// shell ends with its status.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut args: Vec<String> = argv.into_iter().skip(1).collect();
        // `-c` (empty environment), `-l` and `-a name` change nothing that
        // matters here but must not be taken for the command.
        while let Some(first) = args.first() {
            match first.as_str() {
                "-c" | "-l" | "-cl" | "-lc" => {
                    args.remove(0);
                }
                "-a" => {
                    args.drain(..args.len().min(2));
                }
                "--" => {
                    args.remove(0);
                    break;
                }
                _ => break,
            }
        }
        if args.is_empty() {
            sh.state.keep_redirections = true;
            return done(0);
        }
        sh.dispatch(args, &[]).await?;
        Err(Interrupt::Exit(sh.state.last_status))
    })
}
