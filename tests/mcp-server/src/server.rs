//! The listener, the shared state and the routing of requests to a transport.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use http_body_util::channel::Sender;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::sync::oneshot;

use crate::builder::{Config, McpTestServerBuilder};
use crate::record::RecordedRequest;
use crate::{legacy, streamable};

/// A legacy SSE stream; the lock keeps keep-alives from landing inside a split event.
pub(crate) type Stream = Arc<tokio::sync::Mutex<Sender<Bytes>>>;

/// The body type of every response: whole or streamed.
pub(crate) type Body = BoxBody<Bytes, Infallible>;

/// State shared by every connection.
pub(crate) struct State {
    pub config: Config,
    /// Live streamable-HTTP sessions.
    pub sessions: Mutex<HashSet<String>>,
    /// Live legacy SSE streams by session id.
    pub streams: Mutex<HashMap<String, Stream>>,
    records: Mutex<Vec<RecordedRequest>>,
    next: AtomicU64,
}

impl State {
    /// A fresh number for session ids and server request ids.
    pub fn next(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }
}

/// Locks a mutex even if a panicking test thread poisoned it; the data stays usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running test server; it stops when dropped.
pub struct McpTestServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl McpTestServer {
    /// A builder with no tools and every switch off.
    pub fn builder() -> McpTestServerBuilder {
        McpTestServerBuilder::default()
    }

    pub(crate) fn start(config: Config) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("listener address");
        let state = Arc::new(State {
            config,
            sessions: Mutex::default(),
            streams: Mutex::default(),
            records: Mutex::default(),
            next: AtomicU64::new(1),
        });
        let (stop, stopped) = oneshot::channel();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("test server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                tokio::select! {
                    _ = accept_loop(listener, shared) => {}
                    _ = stopped => {}
                }
            });
            // Dropping the runtime here cancels connections still open (hung requests,
            // SSE streams), so the thread always ends.
        });
        Self {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The streamable-HTTP endpoint, `http://127.0.0.1:PORT/mcp`.
    pub fn url(&self) -> String {
        format!("http://{}/mcp", self.addr)
    }

    /// The legacy SSE endpoint, `http://127.0.0.1:PORT/sse`.
    pub fn sse_url(&self) -> String {
        format!("http://{}/sse", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.records).clone()
    }

    /// How many streamable-HTTP sessions are open (not ended by `DELETE`).
    pub fn open_sessions(&self) -> usize {
        lock(&self.state.sessions).len()
    }

    /// How many legacy SSE streams are still connected. A stream that the client dropped
    /// is noticed at the next keep-alive, within about 50 ms.
    pub fn open_streams(&self) -> usize {
        lock(&self.state.streams).len()
    }
}

impl Drop for McpTestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: tokio::net::TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| route(state.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Reads and records a request, then hands it to the transport that owns its path.
async fn route(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let (parts, body) = req.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let json: Option<Value> = serde_json::from_slice(&bytes).ok();
    let path = parts
        .uri
        .path_and_query()
        .map_or("/".to_owned(), |p| p.to_string());
    let headers = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let record = RecordedRequest {
        method: parts.method.to_string(),
        path: path.clone(),
        headers,
        body: json.clone(),
    };
    lock(&state.records).push(record.clone());

    if let Some((name, want)) = &state.config.required_header {
        let got = record.header(name).unwrap_or_default();
        if got != want {
            let text = format!("Unauthorized: header `{name}` was `{got}`");
            return Ok(plain(StatusCode::UNAUTHORIZED, &text));
        }
    }
    let route = path.split('?').next().unwrap_or_default();
    let response = match (route, &parts.method) {
        ("/mcp", _) if state.config.legacy_only => plain(StatusCode::NOT_FOUND, "Not Found"),
        ("/mcp", &Method::POST) => streamable::post(&state, &record, json, &bytes).await,
        ("/mcp", &Method::DELETE) => streamable::delete(&state, &record),
        ("/mcp", _) => plain(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed"),
        ("/sse", &Method::GET) => legacy::open(&state),
        ("/sse", _) => plain(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed"),
        ("/messages", &Method::POST) => legacy::post(&state, &path, json),
        _ => plain(StatusCode::NOT_FOUND, "Not Found"),
    };
    Ok(response)
}

/// A short text response.
pub(crate) fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(text.to_owned())).boxed());
    *response.status_mut() = status;
    response
}
