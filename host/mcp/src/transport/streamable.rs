//! The streamable-HTTP transport (MCP 2025-03-26 and later).

use std::sync::{Arc, Mutex};

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::Value;

use crate::conn::Conn;
use crate::error::{ErrorKind, McpError};
use crate::jsonrpc::{self, Incoming, RpcError};
use crate::sse::SseParser;
use crate::transport::into_result;

/// The session header, both ways.
const SESSION: &str = "mcp-session-id";

/// A streamable-HTTP session.
pub(crate) struct Streamable {
    conn: Arc<Conn>,
    /// Given by the server in the `initialize` response, sent back on every request.
    session: Mutex<Option<String>>,
    /// The negotiated version, sent as `MCP-Protocol-Version` after `initialize`.
    protocol: Mutex<Option<String>>,
}

impl Streamable {
    /// A transport that has not sent anything yet.
    pub fn new(conn: Arc<Conn>) -> Self {
        Self {
            conn,
            session: Mutex::new(None),
            protocol: Mutex::new(None),
        }
    }

    /// Records the negotiated protocol version.
    pub fn set_protocol(&self, version: &str) {
        *lock(&self.protocol) = Some(version.to_owned());
    }

    /// Sends request `id`, waits for its response (within the timeout).
    pub async fn request(
        &self,
        id: u64,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, McpError> {
        let exchange = self.exchange(id, method, params);
        match tokio::time::timeout(self.conn.timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(self.conn.timeout_error(method)),
        }
    }

    /// Sends a notification; the server answers 202 with no body.
    pub async fn notify(&self, method: &str) -> Result<(), McpError> {
        let send = self.post(&jsonrpc::notification(method)).send();
        let response = tokio::time::timeout(self.conn.timeout, send)
            .await
            .map_err(|_| self.conn.timeout_error(method))?
            .map_err(|e| self.conn.http_error(method, e))?;
        if !response.status().is_success() {
            return Err(self.conn.status_error(method, response).await);
        }
        Ok(())
    }

    /// Ends the session with `DELETE`. A server that does not let clients end sessions
    /// answers 405, and one that already forgot it 404: both leave nothing to end.
    pub async fn close(&self) -> Result<(), McpError> {
        let Some(session) = lock(&self.session).take() else {
            return Ok(());
        };
        let request = self
            .conn
            .http
            .delete(self.conn.url.clone())
            .headers(self.conn.headers.clone())
            .header(SESSION, session);
        let response = tokio::time::timeout(self.conn.timeout, request.send())
            .await
            .map_err(|_| self.conn.timeout_error("close"))?
            .map_err(|e| self.conn.http_error("close", e))?;
        let status = response.status();
        if status.is_success()
            || status == StatusCode::METHOD_NOT_ALLOWED
            || status == StatusCode::NOT_FOUND
        {
            Ok(())
        } else {
            Err(self.conn.status_error("close", response).await)
        }
    }

    fn post(&self, body: &Value) -> reqwest::RequestBuilder {
        let mut request = self
            .conn
            .http
            .post(self.conn.url.clone())
            .headers(self.conn.headers.clone())
            .header(ACCEPT, "application/json, text/event-stream")
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(session) = lock(&self.session).as_deref() {
            request = request.header(SESSION, session);
        }
        if let Some(version) = lock(&self.protocol).as_deref() {
            request = request.header("mcp-protocol-version", version);
        }
        request
    }

    async fn exchange(
        &self,
        id: u64,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, McpError> {
        let body = jsonrpc::request(id, method, params);
        let response = self
            .post(&body)
            .send()
            .await
            .map_err(|e| self.conn.http_error(method, e))?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND && lock(&self.session).is_some() {
            return Err(self.conn.error(
                ErrorKind::Closed,
                method,
                "the server ended the session (HTTP 404 for its session id); connect again",
            ));
        }
        if !status.is_success() {
            return Err(self.conn.status_error(method, response).await);
        }
        if method == "initialize" {
            let session = response
                .headers()
                .get(SESSION)
                .and_then(|v| v.to_str().ok());
            *lock(&self.session) = session.map(str::to_owned);
        }
        let content_type = super::content_type(&response);
        let outcome = if content_type.starts_with("text/event-stream") {
            self.read_stream(response, id, method).await?
        } else {
            self.read_json(response, id, method).await?
        };
        into_result(&self.conn, method, outcome)
    }

    /// The response in a JSON body (one message or a batch).
    async fn read_json(
        &self,
        response: reqwest::Response,
        id: u64,
        method: &str,
    ) -> Result<Result<Value, RpcError>, McpError> {
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.conn.http_error(method, e))?;
        let protocol = |detail: String| self.conn.error(ErrorKind::Protocol, method, detail);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(protocol(format!(
                "HTTP {status} with an empty body instead of the response to request {id}"
            )));
        }
        let body: Value = serde_json::from_slice(&bytes)
            .map_err(|e| protocol(format!("the response body is not JSON ({e})")))?;
        for message in jsonrpc::messages(body) {
            if let Incoming::Response { id: got, outcome } = jsonrpc::classify(&message) {
                if jsonrpc::id_matches(&got, id) {
                    return Ok(outcome);
                }
            }
        }
        Err(protocol(format!(
            "the body holds no response to request {id}"
        )))
    }

    /// The response on an SSE stream, answering the server's requests met on the way.
    async fn read_stream(
        &self,
        mut response: reqwest::Response,
        id: u64,
        method: &str,
    ) -> Result<Result<Value, RpcError>, McpError> {
        let mut parser = SseParser::default();
        loop {
            let chunk = response
                .chunk()
                .await
                .map_err(|e| self.conn.http_error(method, e))?;
            let Some(chunk) = chunk else {
                return Err(self.conn.error(
                    ErrorKind::Protocol,
                    method,
                    format!("the event stream ended before the response to request {id}"),
                ));
            };
            for event in parser.feed(&chunk) {
                if event.event != "message" || event.data.trim().is_empty() {
                    continue;
                }
                let value: Value = serde_json::from_str(&event.data).map_err(|e| {
                    self.conn.error(
                        ErrorKind::Protocol,
                        method,
                        format!("an event on the stream is not JSON ({e})"),
                    )
                })?;
                for message in jsonrpc::messages(value) {
                    match jsonrpc::classify(&message) {
                        Incoming::Response { id: got, outcome }
                            if jsonrpc::id_matches(&got, id) =>
                        {
                            return Ok(outcome)
                        }
                        Incoming::Request { id, method } => {
                            self.answer(&jsonrpc::answer(&id, &method)).await;
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Posts our answer to a server request. A failure is left to the server (its request
    /// times out); our own request is still waiting for its response.
    async fn answer(&self, answer: &Value) {
        let _ = self.post(answer).send().await;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
