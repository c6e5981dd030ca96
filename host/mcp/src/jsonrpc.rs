//! JSON-RPC 2.0 messages: building ours, sorting the server's.

use serde_json::{json, Value};

/// A request with a numeric id.
pub(crate) fn request(id: u64, method: &str, params: Option<Value>) -> Value {
    let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
    if let Some(params) = params {
        message["params"] = params;
    }
    message
}

/// A notification (no id, no answer).
pub(crate) fn notification(method: &str) -> Value {
    json!({"jsonrpc": "2.0", "method": method})
}

/// A JSON-RPC error object's fields.
#[derive(Debug, Clone)]
pub(crate) struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

/// A message from the server, sorted.
pub(crate) enum Incoming {
    /// The answer to one of our requests.
    Response {
        id: Value,
        outcome: Result<Value, RpcError>,
    },
    /// The server asks something of us (`ping`, `sampling/createMessage`, …).
    Request { id: Value, method: String },
    /// The server tells us something; nothing to answer.
    Notification,
    /// Not JSON-RPC.
    Invalid,
}

/// Sorts one message.
pub(crate) fn classify(message: &Value) -> Incoming {
    let id = message.get("id").cloned();
    match (message.get("method").and_then(Value::as_str), id) {
        (Some(method), Some(id)) if !id.is_null() => Incoming::Request {
            id,
            method: method.to_owned(),
        },
        (Some(_), _) => Incoming::Notification,
        (None, Some(id)) => {
            if let Some(result) = message.get("result") {
                Incoming::Response {
                    id,
                    outcome: Ok(result.clone()),
                }
            } else if let Some(error) = message.get("error") {
                Incoming::Response {
                    id,
                    outcome: Err(RpcError {
                        code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
                        message: error
                            .get("message")
                            .and_then(Value::as_str)
                            .unwrap_or("(no message)")
                            .to_owned(),
                        data: error.get("data").cloned(),
                    }),
                }
            } else {
                Incoming::Invalid
            }
        }
        (None, None) => Incoming::Invalid,
    }
}

/// Whether a response id answers our request `id` (servers may echo it as a string).
pub(crate) fn id_matches(response_id: &Value, id: u64) -> bool {
    response_id.as_u64() == Some(id) || response_id.as_str() == Some(id.to_string().as_str())
}

/// Our answer to a server request: `ping` gets an empty result; anything else (sampling,
/// elicitation, roots) is a capability this client does not declare, so "method not found"
/// lets the server go on instead of waiting for an answer that never comes.
pub(crate) fn answer(id: &Value, method: &str) -> Value {
    if method == "ping" {
        json!({"jsonrpc": "2.0", "id": id, "result": {}})
    } else {
        json!({"jsonrpc": "2.0", "id": id,
               "error": {"code": -32601, "message": format!("Method not found: {method}")}})
    }
}

/// The messages in a body: one object, or a batch array.
pub(crate) fn messages(body: Value) -> Vec<Value> {
    match body {
        Value::Array(items) => items,
        other => vec![other],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_sorted_by_their_fields() {
        let response = json!({"jsonrpc": "2.0", "id": 3, "result": {"ok": true}});
        assert!(matches!(
            classify(&response),
            Incoming::Response { outcome: Ok(_), .. }
        ));
        let error =
            json!({"jsonrpc": "2.0", "id": "3", "error": {"code": -32601, "message": "no"}});
        let Incoming::Response {
            id,
            outcome: Err(e),
        } = classify(&error)
        else {
            panic!("an error response");
        };
        assert!(id_matches(&id, 3));
        assert_eq!((e.code, e.message.as_str()), (-32601, "no"));
        let ping = json!({"jsonrpc": "2.0", "id": "p", "method": "ping"});
        assert!(matches!(classify(&ping), Incoming::Request { .. }));
        let note = json!({"jsonrpc": "2.0", "method": "notifications/progress"});
        assert!(matches!(classify(&note), Incoming::Notification));
        assert!(matches!(classify(&json!({"hello": 1})), Incoming::Invalid));
    }

    #[test]
    fn only_ping_gets_a_result() {
        assert_eq!(answer(&json!(1), "ping")["result"], json!({}));
        assert_eq!(
            answer(&json!(2), "sampling/createMessage")["error"]["code"],
            -32601
        );
    }
}
