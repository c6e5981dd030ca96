//! The streamable-HTTP transport: `POST /mcp` and `DELETE /mcp`.

use std::sync::Arc;

use http_body_util::channel::Channel;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::record::RecordedRequest;
use crate::rpc::{self, Outcome};
use crate::server::{lock, plain, Body, State};
use crate::sse;

/// The header carrying the session id, both ways.
const SESSION: &str = "mcp-session-id";

/// Handles one POSTed JSON-RPC message.
pub(crate) async fn post(
    state: &Arc<State>,
    record: &RecordedRequest,
    json: Option<Value>,
    raw: &[u8],
) -> Response<Body> {
    let Some(message) = json else {
        let text = String::from_utf8_lossy(raw);
        let error = json!({"jsonrpc": "2.0", "id": null,
                           "error": {"code": -32700, "message": format!("Parse error: {text}")}});
        return json_response(StatusCode::BAD_REQUEST, &error, None);
    };
    let is_initialize = message["method"] == "initialize";
    let mut new_session = None;
    if is_initialize {
        let id = format!("session-{}", state.next());
        lock(&state.sessions).insert(id.clone());
        new_session = Some(id);
    } else {
        match record.header(SESSION) {
            None => {
                return plain(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: missing Mcp-Session-Id",
                )
            }
            Some(id) if !lock(&state.sessions).contains(id) => {
                return plain(StatusCode::NOT_FOUND, "Session not found")
            }
            Some(_) => {}
        }
    }
    match rpc::handle(&state.config, &message) {
        Outcome::Accepted => plain(StatusCode::ACCEPTED, ""),
        Outcome::Hang => std::future::pending().await,
        Outcome::Reply(reply) if state.config.sse_responses => {
            sse_response(state.clone(), reply, new_session)
        }
        Outcome::Reply(reply) => json_response(StatusCode::OK, &reply, new_session),
    }
}

/// Ends a session.
pub(crate) fn delete(state: &State, record: &RecordedRequest) -> Response<Body> {
    match record.header(SESSION) {
        Some(id) if lock(&state.sessions).remove(id) => plain(StatusCode::OK, ""),
        Some(_) => plain(StatusCode::NOT_FOUND, "Session not found"),
        None => plain(
            StatusCode::BAD_REQUEST,
            "Bad Request: missing Mcp-Session-Id",
        ),
    }
}

fn json_response(status: StatusCode, body: &Value, session: Option<String>) -> Response<Body> {
    let mut response = Response::builder()
        .status(status)
        .header("content-type", "application/json");
    if let Some(id) = session {
        response = response.header("Mcp-Session-Id", id);
    }
    response
        .body(Full::new(Bytes::from(body.to_string())).boxed())
        .expect("valid response")
}

/// Streams the reply as SSE (after the server's own messages, when asked) and closes.
fn sse_response(state: Arc<State>, reply: Value, session: Option<String>) -> Response<Body> {
    let (mut tx, body) = Channel::<Bytes>::new(16);
    tokio::spawn(async move {
        let split = state.config.split_events;
        if state.config.server_messages {
            for message in sse::server_messages(state.next()) {
                sse::send(&mut tx, sse::event(None, &message.to_string()), split).await;
            }
        }
        sse::send(
            &mut tx,
            sse::event(Some("message"), &reply.to_string()),
            split,
        )
        .await;
    });
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache");
    if let Some(id) = session {
        response = response.header("Mcp-Session-Id", id);
    }
    response.body(body.boxed()).expect("valid response")
}
