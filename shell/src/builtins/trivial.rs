//! `:`, `true`, `false`.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// `:`: does nothing, successfully (its arguments are still expanded).
pub(crate) fn colon(_sh: &mut Interp, _argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async { done(0) })
}

/// `true`: status 0.
pub(crate) fn true_(_sh: &mut Interp, _argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async { done(0) })
}

/// `false`: status 1.
pub(crate) fn false_(_sh: &mut Interp, _argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async { done(1) })
}
