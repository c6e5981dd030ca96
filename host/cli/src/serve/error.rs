//! The one error envelope of the server: `{"error": {"type", "message",
//! "details"}}` with the status that fits, for every failure a client can
//! see (handlers, extractors, unknown routes, wrong methods, the auth
//! check).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use wasm_agent::vfs::Errno;

/// A failure answered to the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    details: Value,
}

impl ApiError {
    /// An error with `status`, a stable machine-readable `kind` and a
    /// message saying what, where and what to do.
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
            details: Value::Null,
        }
    }

    /// Attaches structured details (the offending field, the limit…).
    pub fn details(mut self, details: Value) -> ApiError {
        self.details = details;
        self
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    /// 404: `what` (a sandbox, a run…) named `id` does not exist.
    pub fn not_found(what: &str, id: &str) -> ApiError {
        let hint = match what {
            "sandbox" => "; list them with GET /sandboxes, create one with POST /sandboxes",
            "snapshot" => "; list them with GET /snapshots",
            "run" => "; a run id comes from POST /agents/{name}/{id} (GET /admin/runs lists them)",
            _ => "",
        };
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no {what} '{id}'{hint}"),
        )
        .details(json!({ "resource": what, "id": id }))
    }

    /// 500 without internals: the cause goes to the server's log under an
    /// incident number, the client gets only the number.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        use std::sync::atomic::{AtomicU64, Ordering};
        static INCIDENTS: AtomicU64 = AtomicU64::new(1);
        let incident = INCIDENTS.fetch_add(1, Ordering::Relaxed);
        eprintln!("wasm-agent serve: internal error #{incident}: {cause}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("internal error #{incident}; the server log has the cause"),
        )
        .details(json!({ "incident": incident }))
    }

    /// A library error from a sandbox operation on `path`: filesystem
    /// errors keep their errno (mapped to a status), others are 500s.
    pub fn sandbox(err: wasm_agent::Error, path: &str) -> ApiError {
        let Some(errno) = err.vfs_error().map(|e| e.errno()) else {
            return match err.kind() {
                wasm_agent::ErrorKind::InvalidArgument => ApiError::bad_request(err.to_string()),
                _ => ApiError::internal(err),
            };
        };
        let (status, kind) = match errno {
            Errno::NoEnt => (StatusCode::NOT_FOUND, "not_found"),
            Errno::Exist | Errno::NotEmpty | Errno::Busy => (StatusCode::CONFLICT, "conflict"),
            Errno::IsDir | Errno::NotDir | Errno::Inval | Errno::NameTooLong | Errno::Loop => {
                (StatusCode::BAD_REQUEST, "invalid_path")
            }
            Errno::Acces | Errno::Perm | Errno::Rofs => (StatusCode::FORBIDDEN, "forbidden"),
            Errno::NoSpc | Errno::FBig => (StatusCode::INSUFFICIENT_STORAGE, "no_space"),
            Errno::NotSup | Errno::XDev => (StatusCode::NOT_IMPLEMENTED, "unsupported"),
            _ => return ApiError::internal(err),
        };
        ApiError::new(status, kind, err.to_string())
            .details(json!({ "path": path, "errno": format!("{errno:?}") }))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": { "type": self.kind, "message": self.message, "details": self.details }
        });
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"wasm-agent\""),
            );
        }
        response
    }
}

/// The short type name and a hint for a status produced outside our
/// handlers (axum's own 405, a body over the limit…).
fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this route does not take that method; see GET /openapi.json",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is over the server's limit; send less or raise --max-body",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        ),
        StatusCode::NOT_FOUND => ("not_found", "no such route; see GET /openapi.json"),
        s if s.is_server_error() => ("internal", "internal error"),
        _ => ("invalid_request", "the request was not understood"),
    }
}

/// Middleware: turns every error response that is not already an envelope
/// (axum's 405, extractor rejections) into one, so clients parse a single
/// shape. The original text is kept as the message for client errors and
/// dropped for server errors.
pub async fn envelope(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (kind, hint) = describe(status);
    let allow = response.headers().get(header::ALLOW).cloned();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body).trim().to_string();
    let message = if text.is_empty() || status.is_server_error() {
        hint.to_string()
    } else {
        format!("{text}; {hint}")
    };
    let mut response = ApiError::new(status, kind, message).into_response();
    if let Some(allow) = allow {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn plain_errors_become_envelopes_and_keep_allow() {
        let mut plain = (StatusCode::METHOD_NOT_ALLOWED, "").into_response();
        plain
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET"));
        let response = envelope(plain).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], "GET");
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"]["type"], "method_not_allowed");
    }

    #[tokio::test]
    async fn server_errors_hide_their_text() {
        let plain = (StatusCode::INTERNAL_SERVER_ERROR, "secret path /etc/x").into_response();
        let body = axum::body::to_bytes(envelope(plain).await.into_body(), 4096)
            .await
            .unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("/etc/x"));
    }
}
