//! `pwd [-LP]`.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// `pwd`: prints the working directory.
pub(crate) fn run(sh: &mut Interp, _argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let line = format!("{}\n", sh.state.cwd);
        let ok = sh.out("pwd", line.as_bytes()).await?;
        done(if ok { 0 } else { 1 })
    })
}
