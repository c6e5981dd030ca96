//! How evaluation stops early, and the exit status it ends with.
//!
//! Two things unwind through the evaluator besides ordinary completion:
//!
//! - [`Flow`] — `break`, `continue` and `return`, caught by the loop or
//!   function they belong to;
//! - [`Interrupt`] — the script (or the subshell) is over: `exit`, `set -e`,
//!   a fatal expansion error (`${x:?}`), a limit. It unwinds to the top of
//!   the subshell that is ending and becomes its exit status there.

use std::fmt;

/// Non-local control flow inside a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Carry on with the next command.
    Normal,
    /// `break N`: leave this many enclosing loops.
    Break(u32),
    /// `continue N`: next iteration of the N-th enclosing loop.
    Continue(u32),
    /// `return`: leave the current function or sourced file.
    Return,
}

/// The end of a (sub)shell's evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Interrupt {
    /// `exit N`, or a failing command under `set -e`.
    Exit(i32),
    /// An error that ends a non-interactive shell, with the message that
    /// was already written to stderr when it happened (kept for callers
    /// that report it elsewhere).
    Fatal {
        /// The exit status (bash's: 1 for most errors, 2 for syntax, 127
        /// for a missing sourced file...).
        status: i32,
        /// What went wrong.
        message: String,
    },
}

impl Interrupt {
    /// The exit status the (sub)shell ends with.
    pub(crate) fn status(&self) -> i32 {
        match self {
            Interrupt::Exit(status) | Interrupt::Fatal { status, .. } => *status,
        }
    }
}

/// Result of evaluating a command.
pub(crate) type Exec<T = Flow> = Result<T, Interrupt>;

/// A host-side failure of the shell API (not a script error: those are
/// exit statuses and messages on the script's stderr).
#[derive(Debug)]
pub struct Error {
    message: String,
}

impl Error {
    /// An error with a complete message.
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
