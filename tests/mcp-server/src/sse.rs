//! Writing SSE events onto a streaming response body.

use std::time::Duration;

use http_body_util::channel::Sender;
use hyper::body::Bytes;
use serde_json::{json, Value};

/// The size of the pieces an event is cut into when events are split.
const PIECE: usize = 7;

/// One SSE event in wire form.
pub(crate) fn event(name: Option<&str>, data: &str) -> Vec<u8> {
    let mut out = String::new();
    if let Some(name) = name {
        out.push_str(&format!("event: {name}\n"));
    }
    for line in data.split('\n') {
        out.push_str(&format!("data: {line}\n"));
    }
    out.push('\n');
    out.into_bytes()
}

/// Sends `bytes` whole or, when `split`, in small pieces with pauses so the client reads
/// them as separate chunks. Returns false when the client has gone.
pub(crate) async fn send(tx: &mut Sender<Bytes>, bytes: Vec<u8>, split: bool) -> bool {
    if !split {
        return tx.send_data(Bytes::from(bytes)).await.is_ok();
    }
    for piece in bytes.chunks(PIECE) {
        if tx.send_data(Bytes::copy_from_slice(piece)).await.is_err() {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    true
}

/// The messages a server sends before a response when `server_messages` is on: a log
/// notification and a `ping` request the client has to answer.
pub(crate) fn server_messages(seq: u64) -> [Value; 2] {
    [
        json!({"jsonrpc": "2.0", "method": "notifications/message",
               "params": {"level": "info", "data": "working on it"}}),
        json!({"jsonrpc": "2.0", "id": format!("srv-ping-{seq}"), "method": "ping"}),
    ]
}
