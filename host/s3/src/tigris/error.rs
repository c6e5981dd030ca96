//! What a failed Tigris operation says: which operation, on what, why,
//! and what to do about it.
//!
//! One opaque [`TigrisError`] with a [`kind`](TigrisError::kind) to match
//! on. Its message never holds a secret: requests are never printed, and
//! an IAM response that could not be parsed is described by its size, not
//! shown (it may carry a new secret key).

use std::fmt;

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};

use crate::error::{Failure, HasStatus};

/// The broad reason an operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument was refused before any request was sent (bad bucket or
    /// snapshot name, TTL on a snapshot-enabled bucket, zero forks…).
    InvalidInput,
    /// The bucket, snapshot or access key does not exist (HTTP 404,
    /// `NoSuchBucket`, `NoSuchEntity`).
    NotFound,
    /// The keys are wrong or lack permission (HTTP 401/403).
    AccessDenied,
    /// The bucket name is taken, by this account or another (HTTP 409
    /// `BucketAlreadyExists`, `BucketAlreadyOwnedByYou`).
    AlreadyExists,
    /// The bucket was not created with snapshots, which the operation
    /// needs (snapshots, forks of a snapshot, checkpoints).
    NotSnapshotEnabled,
    /// Tigris has no API for the operation, or refuses the combination.
    Unsupported,
    /// The endpoint could not be reached, timed out, or failed (5xx)
    /// after the retries; trying again later may succeed.
    Unavailable,
    /// Tigris answered, but not in the shape the operation expects
    /// (missing header, unparsable body).
    BadResponse,
    /// Any other refusal by the server; the message has its code and text.
    Service,
}

/// A failed Tigris operation. It prints as
/// `<operation> '<target>': <reason>[; <what to do>]`, never with a secret;
/// [`kind`](TigrisError::kind) tells the broad reason.
#[derive(Debug, Clone)]
pub struct TigrisError {
    kind: ErrorKind,
    op: &'static str,
    target: String,
    reason: String,
    hint: Option<String>,
    status: Option<u16>,
    code: Option<String>,
}

impl TigrisError {
    /// An error of `kind` for operation `op` on `target` (a bucket, a
    /// snapshot, a key id), with the reason in words.
    pub(crate) fn new(
        kind: ErrorKind,
        op: &'static str,
        target: impl Into<String>,
        reason: impl Into<String>,
    ) -> TigrisError {
        TigrisError {
            kind,
            op,
            target: target.into(),
            reason: reason.into(),
            hint: None,
            status: None,
            code: None,
        }
    }

    /// An argument refused before any request.
    pub(crate) fn invalid(
        op: &'static str,
        target: impl Into<String>,
        reason: impl Into<String>,
    ) -> TigrisError {
        TigrisError::new(ErrorKind::InvalidInput, op, target, reason)
    }

    /// Replaces the suggestion printed after the reason.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> TigrisError {
        self.hint = Some(hint.into());
        self
    }

    /// Maps a failed SDK call.
    pub(crate) fn from_sdk<E, R>(
        op: &'static str,
        target: impl Into<String>,
        err: &SdkError<E, R>,
    ) -> TigrisError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: fmt::Debug + HasStatus,
    {
        let failure = Failure::from_sdk(err);
        TigrisError::from_status(op, target, failure.status, failure.code, failure.message)
    }

    /// Maps an HTTP status and the server's error code and message.
    pub(crate) fn from_status(
        op: &'static str,
        target: impl Into<String>,
        status: Option<u16>,
        code: Option<String>,
        message: String,
    ) -> TigrisError {
        let kind = classify(status, code.as_deref());
        let reason = match (&code, status) {
            (Some(code), _) => format!("{code}: {message}"),
            (None, Some(status)) => format!("HTTP {status}: {message}"),
            (None, None) => message,
        };
        TigrisError {
            kind,
            op,
            target: target.into(),
            reason,
            hint: None,
            status,
            code,
        }
    }

    /// The broad reason, to match on.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The operation that failed (`create bucket`, `take snapshot`…).
    pub fn operation(&self) -> &str {
        self.op
    }

    /// What it was applied to: a bucket name, `bucket@version`, a key id.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Why it failed, without the operation, target or hint.
    pub(crate) fn reason(&self) -> &str {
        &self.reason
    }

    /// The server's error code (`NoSuchBucket`, `AccessDenied`…), if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// What to do next: the hint given by the operation, else a default
    /// for the kind.
    fn hint(&self) -> Option<&str> {
        if let Some(hint) = &self.hint {
            return Some(hint);
        }
        Some(match self.kind {
            ErrorKind::NotFound => "check the name (and that the endpoint is the right one)",
            ErrorKind::AccessDenied => {
                "check the access keys; bucket operations need an Editor or Admin key"
            }
            ErrorKind::AlreadyExists => "choose another bucket name",
            ErrorKind::NotSnapshotEnabled => {
                "snapshots can only be enabled when a bucket is created: \
                 create it with snapshots enabled"
            }
            ErrorKind::Unavailable => "check the endpoint and the network, then retry",
            _ => return None,
        })
    }
}

impl fmt::Display for TigrisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} '{}': {}", self.op, self.target, self.reason)?;
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TigrisError {}

/// The kind for a status and S3/IAM error code.
fn classify(status: Option<u16>, code: Option<&str>) -> ErrorKind {
    match (code, status) {
        (Some("NoSuchBucket" | "NoSuchEntity" | "NotFound" | "NoSuchKey"), _) => {
            ErrorKind::NotFound
        }
        (Some("BucketAlreadyExists" | "BucketAlreadyOwnedByYou" | "EntityAlreadyExists"), _) => {
            ErrorKind::AlreadyExists
        }
        (
            Some(
                "AccessDenied"
                | "InvalidAccessKeyId"
                | "SignatureDoesNotMatch"
                | "InvalidClientTokenId",
            ),
            _,
        )
        | (_, Some(401 | 403)) => ErrorKind::AccessDenied,
        (Some("NotImplemented"), _) | (_, Some(501)) => ErrorKind::Unsupported,
        (_, Some(404)) => ErrorKind::NotFound,
        (_, None) => ErrorKind::Unavailable,
        (_, Some(500..)) => ErrorKind::Unavailable,
        (Some("SlowDown" | "ServiceUnavailable" | "RequestTimeout"), _) => ErrorKind::Unavailable,
        _ => ErrorKind::Service,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses_map_to_kinds() {
        assert_eq!(
            classify(Some(404), Some("NoSuchBucket")),
            ErrorKind::NotFound
        );
        assert_eq!(classify(Some(404), None), ErrorKind::NotFound);
        assert_eq!(
            classify(Some(409), Some("BucketAlreadyExists")),
            ErrorKind::AlreadyExists
        );
        assert_eq!(classify(Some(403), None), ErrorKind::AccessDenied);
        assert_eq!(classify(None, None), ErrorKind::Unavailable);
        assert_eq!(classify(Some(503), None), ErrorKind::Unavailable);
        assert_eq!(
            classify(Some(400), Some("InvalidArgument")),
            ErrorKind::Service
        );
    }

    #[test]
    fn messages_say_what_where_and_what_to_do() {
        let err = TigrisError::from_status(
            "create bucket",
            "ws-1",
            Some(409),
            Some("BucketAlreadyExists".into()),
            "The requested bucket name is not available".into(),
        );
        assert_eq!(
            err.to_string(),
            "create bucket 'ws-1': BucketAlreadyExists: The requested bucket name is \
             not available; choose another bucket name"
        );
        let err = TigrisError::invalid("take snapshot", "b", "the name is empty");
        assert_eq!(err.to_string(), "take snapshot 'b': the name is empty");
    }
}
