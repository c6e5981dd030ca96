//! `shift [n]`.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use std::sync::Arc;

/// `shift`: drops the first `n` positional parameters (status 1 if there
/// are fewer, changing nothing).
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let n = match argv.get(1) {
            None => 1,
            Some(arg) => match arg.parse::<usize>() {
                Ok(n) => n,
                Err(_) => {
                    sh.builtin_error("shift", &format!("{arg}: numeric argument required"))
                        .await;
                    return done(1);
                }
            },
        };
        if n > sh.state.positional.len() {
            return done(1);
        }
        let rest = sh.state.positional[n..].to_vec();
        sh.state.positional = Arc::new(rest);
        done(0)
    })
}
