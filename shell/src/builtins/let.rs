//! `let expr…`.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// `let`: evaluates each argument as an arithmetic expression; status 0
/// if the last one is non-zero, 1 if it is zero or an expression fails
/// (the shell goes on, unlike `$(( ))`).
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut args = &argv[1..];
        // Only a leading `--` is an option; `let -1` is an expression.
        if args.first().is_some_and(|a| a == "--") {
            args = &args[1..];
        }
        if args.is_empty() {
            sh.builtin_error("let", "expression expected").await;
            return done(1);
        }
        let mut last = 0;
        for expr in args {
            match sh.eval_arith_str(expr) {
                Ok(value) => last = value,
                Err(message) => {
                    sh.builtin_error("let", &message).await;
                    return done(1);
                }
            }
        }
        done(i32::from(last == 0))
    })
}
