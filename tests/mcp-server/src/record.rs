//! What the server saw: one entry per HTTP request.

use serde_json::Value;

/// One HTTP request the server received, in arrival order.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The HTTP method (`POST`, `GET`, `DELETE`).
    pub method: String,
    /// The path and query, e.g. `/messages?sessionId=3`.
    pub path: String,
    /// Every header, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The JSON body, when the body parsed as JSON.
    pub body: Option<Value>,
}

impl RecordedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The JSON-RPC `method` of the body, when it is a request or notification.
    pub fn rpc_method(&self) -> Option<&str> {
        self.body.as_ref()?.get("method")?.as_str()
    }

    /// Whether the body is a JSON-RPC response (a client answering a server request).
    pub fn is_rpc_response(&self) -> bool {
        self.body.as_ref().is_some_and(|b| {
            b.get("method").is_none() && (b.get("result").is_some() || b.get("error").is_some())
        })
    }
}
