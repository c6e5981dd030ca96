//! A running session operation: await it for the result, or abort it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::harness::HarnessError;

/// A session operation in flight (a prompt, a skill, a task, a shell
/// command). It runs on the tokio runtime whether or not it is awaited;
/// awaiting gives its result. [`abort`](Operation::abort) stops it: the
/// model call in flight is dropped, the tools of the turn are aborted,
/// the conversation keeps what happened so far, and the result is
/// [`HarnessError::Cancelled`]. Dropping an `Operation` does not stop it.
#[derive(Debug)]
pub struct Operation<T> {
    state: State<T>,
    cancel: CancellationToken,
    run_id: String,
}

#[derive(Debug)]
enum State<T> {
    Running(JoinHandle<Result<T, HarnessError>>),
    /// Refused before it started (the session was busy).
    Refused(Option<HarnessError>),
}

/// Aborts an operation from elsewhere (another task, a signal handler).
#[derive(Debug, Clone)]
pub struct AbortHandle(CancellationToken);

impl AbortHandle {
    /// Stops the operation; see [`Operation::abort`].
    pub fn abort(&self) {
        self.0.cancel();
    }
}

impl<T: Send + 'static> Operation<T> {
    /// Starts `work` on the runtime; it watches `cancel`.
    pub(crate) fn spawn<F>(run_id: String, cancel: CancellationToken, work: F) -> Operation<T>
    where
        F: Future<Output = Result<T, HarnessError>> + Send + 'static,
    {
        Operation {
            state: State::Running(tokio::spawn(work)),
            cancel,
            run_id,
        }
    }

    /// An operation that failed before starting.
    pub(crate) fn refused(error: HarnessError) -> Operation<T> {
        Operation {
            state: State::Refused(Some(error)),
            cancel: CancellationToken::new(),
            run_id: String::new(),
        }
    }

    /// Stops the operation; awaiting it then gives
    /// [`HarnessError::Cancelled`] (or its result, if it had finished).
    pub fn abort(&self) {
        self.cancel.cancel();
    }

    /// A handle that aborts this operation.
    pub fn abort_handle(&self) -> AbortHandle {
        AbortHandle(self.cancel.clone())
    }

    /// The run id its events carry (empty if it was refused).
    pub fn run_id(&self) -> &str {
        &self.run_id
    }
}

impl<T> Future for Operation<T> {
    type Output = Result<T, HarnessError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.state {
            State::Refused(error) => Poll::Ready(Err(error
                .take()
                .unwrap_or_else(|| HarnessError::Internal("operation polled again".into())))),
            State::Running(handle) => Pin::new(handle).poll(cx).map(|joined| {
                joined.unwrap_or_else(|err| {
                    Err(HarnessError::Internal(format!(
                        "the operation failed unexpectedly: {err}"
                    )))
                })
            }),
        }
    }
}
