//! S3 errors as POSIX errors.
//!
//! A guest sees an errno (404 → `ENOENT`, 403 → `EACCES`, 412 → `EEXIST`…);
//! the message keeps the bucket, the key and the server's own code and
//! text, so a user can tell a missing bucket from a missing file or a
//! refused key. Credentials never appear: the SDK's errors do not carry
//! them, and nothing here prints a request.

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use wasm_agent_vfs::{Errno, VfsError};

/// What a failed request says, reduced to what the mapping needs.
pub(crate) struct Failure {
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// S3 error code (`NoSuchKey`, `SlowDown`…).
    pub code: Option<String>,
    /// Human text: the server's message or the transport error chain.
    pub message: String,
}

impl Failure {
    /// Extracts status, code and message from any SDK error.
    pub fn from_sdk<E, R>(err: &SdkError<E, R>) -> Failure
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + HasStatus,
    {
        let status = err.raw_response().map(HasStatus::status);
        match err {
            SdkError::ServiceError(service) => {
                let e = service.err();
                Failure {
                    status,
                    code: e.code().map(str::to_owned),
                    message: e
                        .message()
                        .map(str::to_owned)
                        .unwrap_or_else(|| e.to_string()),
                }
            }
            SdkError::TimeoutError(_) => Failure {
                status,
                code: None,
                message: "the request timed out".into(),
            },
            SdkError::DispatchFailure(_) => Failure {
                status,
                code: None,
                message: format!("cannot reach the endpoint: {}", DisplayErrorContext(err)),
            },
            _ => Failure {
                status,
                code: None,
                message: DisplayErrorContext(err).to_string(),
            },
        }
    }

    /// True when the object (or bucket) does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status == Some(404) || matches!(self.code.as_deref(), Some("NoSuchKey" | "NotFound"))
    }

    /// The errno a POSIX caller should see.
    pub fn errno(&self) -> Errno {
        match (self.code.as_deref(), self.status) {
            (Some("NoSuchKey" | "NotFound" | "NoSuchBucket"), _) | (_, Some(404)) => Errno::NoEnt,
            (Some("AccessDenied" | "InvalidAccessKeyId" | "SignatureDoesNotMatch"), _)
            | (_, Some(401 | 403)) => Errno::Acces,
            (Some("PreconditionFailed"), _) | (_, Some(412)) => Errno::Exist,
            (Some("EntityTooLarge"), _) => Errno::FBig,
            (Some("InvalidRange"), _) | (_, Some(416)) => Errno::Inval,
            (Some("ConditionalRequestConflict" | "OperationAborted"), _) | (_, Some(409)) => {
                Errno::Busy
            }
            _ => Errno::Io,
        }
    }

    /// The error a filesystem caller gets: the errno, the path it used, and
    /// a detail naming the object and the server's reason.
    pub fn into_vfs(self, op: &'static str, path: &str, object: &str) -> VfsError {
        let errno = self.errno();
        let reason = match (&self.code, errno) {
            (Some(code), _) if code == "NoSuchBucket" => {
                format!("{object}: the bucket does not exist")
            }
            (_, Errno::Exist) if self.status == Some(412) || self.code.is_some() => format!(
                "{object}: changed by another writer since it was read; \
                 nothing was overwritten"
            ),
            (Some(code), _) => format!("{object}: {code}: {}", self.message),
            (None, _) => match self.status {
                Some(status) => format!("{object}: HTTP {status}: {}", self.message),
                None => format!("{object}: {}", self.message),
            },
        };
        VfsError::new(errno, op, path).with_detail(reason)
    }
}

/// The status of a raw HTTP response, whatever its type.
pub(crate) trait HasStatus {
    /// HTTP status code.
    fn status(&self) -> u16;
}

impl HasStatus for aws_sdk_s3::config::http::HttpResponse {
    fn status(&self) -> u16 {
        self.status().as_u16()
    }
}
