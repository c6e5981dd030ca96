//! The two ways MCP travels over HTTP, behind one request/notify/close surface.
//!
//! - [`streamable`]: protocol 2025-03-26 and later; every message is a `POST` to the one
//!   URL, answered by JSON or by an SSE stream that ends with the response.
//! - [`legacy`]: protocol 2024-11-05; a `GET` opens an SSE stream, the first event names
//!   the URL to `POST` messages to, and responses come back on the stream.

pub(crate) mod legacy;
pub(crate) mod streamable;

use serde_json::Value;

use crate::conn::Conn;
use crate::error::{ErrorKind, McpError};
use crate::jsonrpc::RpcError;

/// Which transport a connected client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// Streamable HTTP (protocol 2025-03-26 and later).
    StreamableHttp,
    /// The legacy HTTP+SSE transport (protocol 2024-11-05), used when the server refused
    /// the streamable-HTTP `POST`.
    Sse,
}

/// A connected transport.
pub(crate) enum Transport {
    Streamable(streamable::Streamable),
    Legacy(legacy::Legacy),
}

impl Transport {
    /// Sends request `id` and waits for its result.
    pub async fn request(
        &self,
        id: u64,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, McpError> {
        match self {
            Self::Streamable(t) => t.request(id, method, params).await,
            Self::Legacy(t) => t.request(id, method, params).await,
        }
    }

    /// Sends a notification.
    pub async fn notify(&self, method: &str) -> Result<(), McpError> {
        match self {
            Self::Streamable(t) => t.notify(method).await,
            Self::Legacy(t) => t.notify(method).await,
        }
    }

    /// Ends the session (streamable HTTP) or drops the stream (SSE).
    pub async fn close(&self) -> Result<(), McpError> {
        match self {
            Self::Streamable(t) => t.close().await,
            Self::Legacy(t) => {
                t.close();
                Ok(())
            }
        }
    }

    /// Which transport this is.
    pub fn kind(&self) -> TransportKind {
        match self {
            Self::Streamable(_) => TransportKind::StreamableHttp,
            Self::Legacy(_) => TransportKind::Sse,
        }
    }
}

/// The response's media type, lower-cased (empty when absent).
pub(crate) fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A response's outcome as our result type.
pub(crate) fn into_result(
    conn: &Conn,
    method: &str,
    outcome: Result<Value, RpcError>,
) -> Result<Value, McpError> {
    outcome.map_err(|e| {
        conn.error(
            ErrorKind::Rpc,
            method,
            format!("JSON-RPC error {}: {}", e.code, e.message),
        )
        .with_rpc(e.code, e.data)
    })
}
