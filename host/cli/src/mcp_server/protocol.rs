//! JSON-RPC 2.0 as MCP's stdio transport uses it: one message per line,
//! classified here so the server only ever sees well-formed requests and
//! notifications, and every malformed line gets the answer the spec asks
//! for.

use serde_json::{json, Map, Value};

/// The protocol version this server speaks.
pub const LATEST_VERSION: &str = "2025-06-18";

/// Versions a client may ask for in `initialize` and get back as is;
/// any other request gets [`LATEST_VERSION`] (the client then decides
/// whether it can go on, as the spec's version negotiation says).
pub const SUPPORTED_VERSIONS: [&str; 3] = [LATEST_VERSION, "2025-03-26", "2024-11-05"];

/// JSON-RPC error: the line is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC error: JSON, but not a request object.
pub const INVALID_REQUEST: i64 = -32600;
/// JSON-RPC error: no such method.
pub const METHOD_NOT_FOUND: i64 = -32601;
/// JSON-RPC error: the method's params are wrong.
pub const INVALID_PARAMS: i64 = -32602;

/// One line from the client, classified.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// A request: it must get exactly one answer carrying `id`.
    Request {
        /// The request id (a string or a number), echoed in the answer.
        id: Value,
        /// The method name.
        method: String,
        /// The params object (an empty object when absent).
        params: Map<String, Value>,
    },
    /// A notification: never answered.
    Notification {
        /// The method name.
        method: String,
        /// The params object (an empty object when absent).
        params: Map<String, Value>,
    },
    /// An answer to a request of ours (the server sends none, so it is
    /// ignored), or an empty line.
    Ignored,
    /// A line that gets an error answer right away.
    Invalid(Value),
}

/// A successful answer to request `id`.
pub fn result(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// An error answer to request `id` (`null` when the id could not be read).
pub fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

/// Classifies one line of input.
pub fn parse_line(line: &str) -> Incoming {
    let line = line.trim();
    if line.is_empty() {
        return Incoming::Ignored;
    }
    let value: Value = match serde_json::from_str(line) {
        Ok(value) => value,
        Err(err) => {
            return Incoming::Invalid(error(
                Value::Null,
                PARSE_ERROR,
                format!("parse error: the line is not valid JSON ({err}); send one JSON-RPC message per line"),
            ))
        }
    };
    let object =
        match value {
            Value::Object(object) => object,
            // Protocol 2025-06-18 removed JSON-RPC batching.
            Value::Array(_) => return Incoming::Invalid(error(
                Value::Null,
                INVALID_REQUEST,
                "invalid request: batches (JSON arrays) are not supported since MCP 2025-06-18; \
                 send each message on its own line",
            )),
            other => {
                return Incoming::Invalid(error(
                    Value::Null,
                    INVALID_REQUEST,
                    format!("invalid request: expected a JSON-RPC object, got {other}"),
                ))
            }
        };
    classify(object)
}

fn classify(mut object: Map<String, Value>) -> Incoming {
    let id = object.remove("id");
    // A usable id is a string or a number; anything else cannot be echoed.
    let answer_id = match &id {
        Some(id @ (Value::String(_) | Value::Number(_))) => id.clone(),
        _ => Value::Null,
    };
    let invalid =
        |message: String| Incoming::Invalid(error(answer_id.clone(), INVALID_REQUEST, message));
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid("invalid request: \"jsonrpc\" must be \"2.0\"".to_string());
    }
    let method = match object.remove("method") {
        Some(Value::String(method)) => method,
        Some(other) => {
            return invalid(format!(
                "invalid request: \"method\" must be a string, got {other}"
            ))
        }
        // An answer from the client: "result" or "error" and an id.
        None if object.contains_key("result") || object.contains_key("error") => {
            return Incoming::Ignored
        }
        None => return invalid("invalid request: no \"method\"".to_string()),
    };
    let params = match object.remove("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(params)) => params,
        Some(other) => {
            return Incoming::Invalid(error(
                answer_id,
                INVALID_PARAMS,
                format!("invalid params of {method}: expected an object, got {other}"),
            ))
        }
    };
    match id {
        None => Incoming::Notification { method, params },
        Some(Value::String(_) | Value::Number(_)) => Incoming::Request {
            id: answer_id,
            method,
            params,
        },
        Some(other) => invalid(format!(
            "invalid request: \"id\" must be a string or a number, got {other}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(incoming: Incoming) -> i64 {
        match incoming {
            Incoming::Invalid(answer) => answer["error"]["code"].as_i64().unwrap(),
            other => panic!("expected an error answer, got {other:?}"),
        }
    }

    #[test]
    fn requests_and_notifications() {
        let line = r#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#;
        assert_eq!(
            parse_line(line),
            Incoming::Request {
                id: json!(7),
                method: "ping".into(),
                params: Map::new()
            }
        );
        let line = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
        assert!(
            matches!(parse_line(line), Incoming::Notification { method, .. } if method == "notifications/initialized")
        );
        assert_eq!(
            parse_line(r#"{"jsonrpc":"2.0","id":1,"result":{}}"#),
            Incoming::Ignored
        );
        assert_eq!(parse_line("   "), Incoming::Ignored);
    }

    #[test]
    fn malformed_lines_get_the_right_codes() {
        assert_eq!(code(parse_line("{nope")), PARSE_ERROR);
        assert_eq!(code(parse_line("[]")), INVALID_REQUEST);
        assert_eq!(code(parse_line("3")), INVALID_REQUEST);
        assert_eq!(
            code(parse_line(r#"{"id":1,"method":"ping"}"#)),
            INVALID_REQUEST
        );
        assert_eq!(
            code(parse_line(r#"{"jsonrpc":"2.0","id":{},"method":"ping"}"#)),
            INVALID_REQUEST
        );
        assert_eq!(
            code(parse_line(r#"{"jsonrpc":"2.0","id":1}"#)),
            INVALID_REQUEST
        );
        let answer = parse_line(r#"{"jsonrpc":"2.0","id":"a","method":"x","params":[1]}"#);
        match answer {
            Incoming::Invalid(answer) => {
                assert_eq!(answer["id"], json!("a"));
                assert_eq!(answer["error"]["code"], json!(INVALID_PARAMS));
            }
            other => panic!("{other:?}"),
        }
    }
}
