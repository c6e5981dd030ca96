//! The legacy HTTP+SSE transport (MCP 2024-11-05), the fallback for servers that refuse
//! the streamable-HTTP `POST`.
//!
//! A background task reads the stream for the whole session and hands each response to the
//! request waiting for its id; requests register before they `POST`, since a fast server
//! may answer on the stream before the `POST` itself returns.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::Url;
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::conn::{describe, Conn};
use crate::error::{ErrorKind, McpError};
use crate::jsonrpc::{self, Incoming, RpcError};
use crate::sse::{SseEvent, SseParser};
use crate::transport::into_result;

/// The method named in errors while the stream is being opened.
const OPEN: &str = "initialize (opening the SSE stream)";

type Waiter = oneshot::Sender<Result<Value, RpcError>>;

/// What requests and the reader share.
#[derive(Default)]
struct Shared {
    /// Requests waiting for their response, by id.
    pending: HashMap<String, Waiter>,
    /// Why the stream ended, once it has: later requests fail at once with this.
    ended: Option<String>,
}

/// An open SSE session.
pub(crate) struct Legacy {
    conn: Arc<Conn>,
    endpoint: Url,
    shared: Arc<Mutex<Shared>>,
    reader: JoinHandle<()>,
}

impl Legacy {
    /// Opens the stream and waits for the `endpoint` event. `refused` is the error the
    /// streamable-HTTP `POST` got, quoted if this fails too.
    pub async fn connect(conn: Arc<Conn>, refused: &McpError) -> Result<Self, McpError> {
        match tokio::time::timeout(conn.timeout, Self::open(conn.clone(), refused)).await {
            Ok(result) => result,
            Err(_) => Err(conn.timeout_error(OPEN)),
        }
    }

    async fn open(conn: Arc<Conn>, refused: &McpError) -> Result<Self, McpError> {
        let mut response = conn
            .http
            .get(conn.url.clone())
            .headers(conn.headers.clone())
            .header(ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(|e| conn.http_error(OPEN, e))?;
        let content_type = super::content_type(&response);
        if !response.status().is_success() || !content_type.starts_with("text/event-stream") {
            let status = response.status();
            return Err(conn.error(
                ErrorKind::Http,
                OPEN,
                format!(
                    "this is not an MCP endpoint: POST (streamable HTTP) was refused ({}), and GET \
                     (the older SSE transport) answered HTTP {status} with `{content_type}`, not an \
                     event stream; check the URL",
                    refused.detail()
                ),
            )
            .with_status(status.as_u16()));
        }
        let mut parser = SseParser::default();
        let (endpoint, backlog) = loop {
            let chunk = response
                .chunk()
                .await
                .map_err(|e| conn.http_error(OPEN, e))?;
            let Some(chunk) = chunk else {
                return Err(conn.error(
                    ErrorKind::Protocol,
                    OPEN,
                    "the event stream ended before its `endpoint` event",
                ));
            };
            let mut events = parser.feed(&chunk);
            if let Some(at) = events.iter().position(|e| e.event == "endpoint") {
                let backlog = events.split_off(at + 1);
                break (events.pop().map(|e| e.data).unwrap_or_default(), backlog);
            }
        };
        let endpoint = Self::resolve(&conn, endpoint.trim())?;
        let shared = Arc::new(Mutex::new(Shared::default()));
        let reader = tokio::spawn(read(
            response,
            parser,
            backlog,
            shared.clone(),
            conn.clone(),
            endpoint.clone(),
        ));
        Ok(Self {
            conn,
            endpoint,
            shared,
            reader,
        })
    }

    /// The `endpoint` event's URI, relative to the stream's URL. Another origin is refused:
    /// the configured headers (credentials) would go to a host the user never named.
    fn resolve(conn: &Conn, endpoint: &str) -> Result<Url, McpError> {
        let url = conn.url.join(endpoint).map_err(|e| {
            conn.error(
                ErrorKind::Protocol,
                OPEN,
                format!("the `endpoint` event holds no usable URI ({e})"),
            )
        })?;
        if url.origin() != conn.url.origin() {
            return Err(conn.error(
                ErrorKind::Protocol,
                OPEN,
                format!(
                    "the `endpoint` event points to another origin ({}); refusing to send the \
                     connection's headers there",
                    url.origin().ascii_serialization()
                ),
            ));
        }
        Ok(url)
    }

    /// Sends request `id` and waits for its response on the stream.
    pub async fn request(
        &self,
        id: u64,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, McpError> {
        let (tx, rx) = oneshot::channel();
        {
            let mut shared = lock(&self.shared);
            if let Some(reason) = &shared.ended {
                return Err(self.conn.error(ErrorKind::Closed, method, reason.clone()));
            }
            shared.pending.insert(id.to_string(), tx);
        }
        let exchange = async {
            self.post(&jsonrpc::request(id, method, params), method)
                .await?;
            match rx.await {
                Ok(outcome) => into_result(&self.conn, method, outcome),
                Err(_) => {
                    let reason = lock(&self.shared).ended.clone();
                    let reason = reason.unwrap_or_else(|| "the event stream ended".to_owned());
                    Err(self.conn.error(ErrorKind::Closed, method, reason))
                }
            }
        };
        let result = tokio::time::timeout(self.conn.timeout, exchange).await;
        lock(&self.shared).pending.remove(&id.to_string());
        result.unwrap_or_else(|_| Err(self.conn.timeout_error(method)))
    }

    /// Sends a notification.
    pub async fn notify(&self, method: &str) -> Result<(), McpError> {
        let message = jsonrpc::notification(method);
        let post = self.post(&message, method);
        tokio::time::timeout(self.conn.timeout, post)
            .await
            .unwrap_or_else(|_| Err(self.conn.timeout_error(method)))
    }

    /// Drops the stream; the server sees the connection close.
    pub fn close(&self) {
        self.reader.abort();
        lock(&self.shared).ended = Some("the client was closed".to_owned());
    }

    async fn post(&self, message: &Value, method: &str) -> Result<(), McpError> {
        let response = post(&self.conn, &self.endpoint, message)
            .await
            .map_err(|e| self.conn.http_error(method, e))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(self.conn.status_error(method, response).await)
        }
    }
}

impl Drop for Legacy {
    fn drop(&mut self) {
        // The reader holds the stream open; without this a dropped client would leave the
        // connection (and the server's session) alive until the process ends.
        self.reader.abort();
    }
}

async fn post(
    conn: &Conn,
    endpoint: &Url,
    message: &Value,
) -> Result<reqwest::Response, reqwest::Error> {
    conn.http
        .post(endpoint.clone())
        .headers(conn.headers.clone())
        .header(CONTENT_TYPE, "application/json")
        .body(message.to_string())
        .send()
        .await
}

/// Reads the stream until it ends: responses to their waiters, server requests answered.
async fn read(
    mut response: reqwest::Response,
    mut parser: SseParser,
    backlog: Vec<SseEvent>,
    shared: Arc<Mutex<Shared>>,
    conn: Arc<Conn>,
    endpoint: Url,
) {
    let mut events = backlog;
    let reason = loop {
        for event in events.drain(..) {
            deliver(&event, &shared, &conn, &endpoint);
        }
        match response.chunk().await {
            Ok(Some(chunk)) => events = parser.feed(&chunk),
            Ok(None) => break "the server closed the event stream".to_owned(),
            Err(e) => break format!("the event stream failed: {}", describe(e)),
        }
    };
    let mut shared = lock(&shared);
    shared.ended = Some(reason);
    // Dropping the waiters wakes every pending request with the reason above.
    shared.pending.clear();
}

fn deliver(event: &SseEvent, shared: &Mutex<Shared>, conn: &Arc<Conn>, endpoint: &Url) {
    if event.event != "message" {
        return;
    }
    // A message that is not JSON cannot be matched to a request; the request it answers
    // (if any) times out with a clear error instead.
    let Ok(value) = serde_json::from_str::<Value>(&event.data) else {
        return;
    };
    for message in jsonrpc::messages(value) {
        match jsonrpc::classify(&message) {
            Incoming::Response { id, outcome } => {
                let key = id
                    .as_u64()
                    .map(|n| n.to_string())
                    .or_else(|| id.as_str().map(str::to_owned));
                let waiter = key.and_then(|k| lock(shared).pending.remove(&k));
                if let Some(waiter) = waiter {
                    let _ = waiter.send(outcome);
                }
            }
            Incoming::Request { id, method } => {
                let answer = jsonrpc::answer(&id, &method);
                let (conn, endpoint) = (conn.clone(), endpoint.clone());
                tokio::spawn(async move {
                    let _ = post(&conn, &endpoint, &answer).await;
                });
            }
            Incoming::Notification | Incoming::Invalid => {}
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ConnectOptions;

    #[test]
    fn the_endpoint_resolves_against_the_stream_url_and_stays_on_its_origin() {
        let conn = Conn::new("http://127.0.0.1:8000/base/sse", &ConnectOptions::default()).unwrap();
        let url = |e: &str| Legacy::resolve(&conn, e).map(|u| u.to_string());
        assert_eq!(
            url("/messages?sessionId=1").unwrap(),
            "http://127.0.0.1:8000/messages?sessionId=1"
        );
        assert_eq!(
            url("messages?s=2").unwrap(),
            "http://127.0.0.1:8000/base/messages?s=2"
        );
        assert_eq!(
            url("http://127.0.0.1:8000/m").unwrap(),
            "http://127.0.0.1:8000/m"
        );
        let err = url("https://evil.example/steal").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
        assert!(
            err.to_string()
                .contains("another origin (https://evil.example)"),
            "{err}"
        );
    }
}
