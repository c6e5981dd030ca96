//! The one error type: what went wrong, with which server, during which method.

use std::fmt;

use serde_json::Value;

/// What kind of failure an [`McpError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The options are unusable (a bad URL or header); nothing was sent.
    Config,
    /// The server could not be reached (refused, DNS, TLS, connection dropped).
    Connect,
    /// The server answered with an HTTP error status ([`McpError::http_status`]).
    Http,
    /// The server broke the protocol: unreadable JSON, a missing response, an unsupported
    /// protocol version, a stream that ended early.
    Protocol,
    /// The server answered with a JSON-RPC error ([`McpError::rpc_code`]).
    Rpc,
    /// No answer within [`ConnectOptions::timeout`](crate::ConnectOptions::timeout).
    Timeout,
    /// The client was closed, or the server ended the session or stream.
    Closed,
}

/// An MCP failure, naming the server (name and URL, never headers or query strings) and
/// the method that failed.
#[derive(Debug, Clone)]
pub struct McpError {
    // Boxed so `Result<_, McpError>` stays one pointer wide on the happy path.
    inner: Box<Inner>,
}

#[derive(Debug, Clone)]
struct Inner {
    kind: ErrorKind,
    server: String,
    method: String,
    detail: String,
    status: Option<u16>,
    code: Option<i64>,
    data: Option<Value>,
}

impl McpError {
    pub(crate) fn new(kind: ErrorKind, server: &str, method: &str, detail: String) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                server: server.to_owned(),
                method: method.to_owned(),
                detail,
                status: None,
                code: None,
                data: None,
            }),
        }
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_rpc(mut self, code: i64, data: Option<Value>) -> Self {
        self.inner.code = Some(code);
        self.inner.data = data;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The server as shown in messages: `name (url)`, or the URL alone when unnamed.
    pub fn server(&self) -> &str {
        &self.inner.server
    }

    /// The MCP method that failed (`initialize`, `tools/call`, …).
    pub fn method(&self) -> &str {
        &self.inner.method
    }

    /// The HTTP status, for [`ErrorKind::Http`].
    pub fn http_status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The JSON-RPC error code, for [`ErrorKind::Rpc`].
    pub fn rpc_code(&self) -> Option<i64> {
        self.inner.code
    }

    /// The JSON-RPC error's `data`, if the server sent one.
    pub fn rpc_data(&self) -> Option<&Value> {
        self.inner.data.as_ref()
    }

    /// The failure without the server and method, e.g. `JSON-RPC error -32602: Unknown tool`.
    pub fn detail(&self) -> &str {
        &self.inner.detail
    }
}

impl fmt::Display for McpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MCP server {}: {} failed: {}",
            self.inner.server, self.inner.method, self.inner.detail
        )
    }
}

impl std::error::Error for McpError {}
