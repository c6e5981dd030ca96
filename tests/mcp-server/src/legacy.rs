//! The legacy HTTP+SSE transport (protocol 2024-11-05): `GET /sse` and `POST /messages`.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::channel::Channel;
use http_body_util::BodyExt;
use hyper::body::Bytes;
use hyper::{Response, StatusCode};
use serde_json::Value;

use crate::rpc::{self, Outcome};
use crate::server::{lock, plain, Body, State};
use crate::sse;

/// How often an idle stream gets a comment line; a failed write means the client left.
const KEEP_ALIVE: Duration = Duration::from_millis(50);

/// Opens an SSE stream and announces where to POST messages.
pub(crate) fn open(state: &Arc<State>) -> Response<Body> {
    let id = state.next().to_string();
    let (mut tx, body) = Channel::<Bytes>::new(64);
    let endpoint = sse::event(Some("endpoint"), &format!("/messages?sessionId={id}"));
    if tx
        .try_send(hyper::body::Frame::data(Bytes::from(endpoint)))
        .is_err()
    {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "stream closed at once");
    }
    lock(&state.streams).insert(id.clone(), Arc::new(tokio::sync::Mutex::new(tx)));
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(KEEP_ALIVE).await;
            let Some(stream) = lock(&state.streams).get(&id).cloned() else {
                return;
            };
            if stream
                .lock()
                .await
                .send_data(Bytes::from_static(b": keep-alive\n\n"))
                .await
                .is_err()
            {
                lock(&state.streams).remove(&id);
                return;
            }
        }
    });
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .body(body.boxed())
        .expect("valid response")
}

/// Takes a POSTed message; the answer goes out on the session's stream.
pub(crate) fn post(state: &Arc<State>, path: &str, json: Option<Value>) -> Response<Body> {
    let session = path
        .split_once('?')
        .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("sessionId=")));
    let Some(session) = session else {
        return plain(StatusCode::BAD_REQUEST, "Bad Request: missing sessionId");
    };
    let Some(stream) = lock(&state.streams).get(session).cloned() else {
        return plain(StatusCode::NOT_FOUND, "Session not found");
    };
    let Some(message) = json else {
        return plain(StatusCode::BAD_REQUEST, "Bad Request: body is not JSON");
    };
    let reply = match rpc::handle(&state.config, &message) {
        Outcome::Accepted | Outcome::Hang => None,
        Outcome::Reply(reply) => Some(reply),
    };
    if let Some(reply) = reply {
        let state = state.clone();
        tokio::spawn(async move {
            let split = state.config.split_events;
            let mut tx = stream.lock().await;
            if state.config.server_messages {
                for message in sse::server_messages(state.next()) {
                    let event = sse::event(Some("message"), &message.to_string());
                    sse::send(&mut tx, event, split).await;
                }
            }
            sse::send(
                &mut tx,
                sse::event(Some("message"), &reply.to_string()),
                split,
            )
            .await;
        });
    }
    plain(StatusCode::ACCEPTED, "Accepted")
}
