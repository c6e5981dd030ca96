//! The client: connect (with transport fallback), list tools, call tools, close.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::conn::Conn;
use crate::error::{ErrorKind, McpError};
use crate::options::ConnectOptions;
use crate::transport::legacy::Legacy;
use crate::transport::streamable::Streamable;
use crate::transport::{Transport, TransportKind};
use crate::types::{CallResult, ServerInfo, ToolInfo};

/// The protocol version this client asks for.
pub const PROTOCOL_VERSION: &str = "2025-06-18";

/// Every version this client speaks; a server may answer any of them to `initialize`.
pub const SUPPORTED_VERSIONS: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// HTTP statuses that mean "no streamable HTTP here, try the old SSE transport", per the
/// specification's backwards-compatibility section.
const FALLBACK_STATUSES: &[u16] = &[400, 404, 405];

/// A stop for servers whose `nextCursor` never runs out.
const MAX_PAGES: usize = 1000;

/// A connection to one MCP server. Cloning is cheap and shares the connection, so tool
/// wrappers can each hold one.
#[derive(Clone)]
pub struct McpClient {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Arc<Conn>,
    transport: Transport,
    next_id: AtomicU64,
    closed: AtomicBool,
    server_info: ServerInfo,
    instructions: Option<String>,
    protocol_version: String,
    capabilities: Value,
}

impl McpClient {
    /// Connects to the MCP server at `url` and initialises the session.
    ///
    /// Tries streamable HTTP first; when the server answers the `initialize` POST with
    /// 400, 404 or 405, opens the legacy SSE transport at the same URL instead. Fails with
    /// [`ErrorKind::Protocol`] when the server answers a protocol version not in
    /// [`SUPPORTED_VERSIONS`].
    pub async fn connect(url: &str, options: ConnectOptions) -> Result<Self, McpError> {
        let conn = Arc::new(Conn::new(url, &options)?);
        let params = json!({
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": options.client_name, "version": options.client_version},
        });
        let streamable = Streamable::new(conn.clone());
        let (transport, result) = match streamable
            .request(0, "initialize", Some(params.clone()))
            .await
        {
            Ok(result) => (Transport::Streamable(streamable), result),
            Err(e)
                if e.kind() == ErrorKind::Http
                    && e.http_status()
                        .is_some_and(|s| FALLBACK_STATUSES.contains(&s)) =>
            {
                let legacy = Legacy::connect(conn.clone(), &e).await?;
                let result = legacy.request(0, "initialize", Some(params)).await?;
                (Transport::Legacy(legacy), result)
            }
            Err(e) => return Err(e),
        };
        let version = result["protocolVersion"].as_str().unwrap_or_default();
        if !SUPPORTED_VERSIONS.contains(&version) {
            let _ = transport.close().await;
            return Err(conn.error(
                ErrorKind::Protocol,
                "initialize",
                format!(
                    "the server speaks protocol version `{version}`; this client knows {}",
                    SUPPORTED_VERSIONS.join(", ")
                ),
            ));
        }
        if let Transport::Streamable(t) = &transport {
            t.set_protocol(version);
        }
        if let Err(e) = transport.notify("notifications/initialized").await {
            let _ = transport.close().await;
            return Err(e);
        }
        Ok(Self {
            inner: Arc::new(Inner {
                conn,
                transport,
                next_id: AtomicU64::new(1),
                closed: AtomicBool::new(false),
                server_info: ServerInfo::from_json(&result["serverInfo"]),
                instructions: result["instructions"].as_str().map(str::to_owned),
                protocol_version: version.to_owned(),
                capabilities: result["capabilities"].clone(),
            }),
        })
    }

    /// The server's name and version.
    pub fn server_info(&self) -> &ServerInfo {
        &self.inner.server_info
    }

    /// The server's instructions for the model, if it gave any.
    pub fn instructions(&self) -> Option<&str> {
        self.inner.instructions.as_deref()
    }

    /// The protocol version the server agreed to.
    pub fn protocol_version(&self) -> &str {
        &self.inner.protocol_version
    }

    /// The server's `capabilities` object, as sent.
    pub fn capabilities(&self) -> &Value {
        &self.inner.capabilities
    }

    /// Which transport the connection uses.
    pub fn transport(&self) -> TransportKind {
        self.inner.transport.kind()
    }

    /// Every tool the server offers, following `nextCursor` through all pages.
    pub async fn list_tools(&self) -> Result<Vec<ToolInfo>, McpError> {
        let mut tools = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let params = cursor.as_ref().map(|c| json!({ "cursor": c }));
            let page = self.request("tools/list", params).await?;
            let Some(items) = page["tools"].as_array() else {
                return Err(self.protocol("tools/list", "the result has no `tools` array"));
            };
            for (i, item) in items.iter().enumerate() {
                let tool = ToolInfo::from_json(item).ok_or_else(|| {
                    self.protocol(
                        "tools/list",
                        format!("tool {} of the page has no string `name`", i + 1),
                    )
                })?;
                tools.push(tool);
            }
            match page["nextCursor"].as_str() {
                Some(next) if cursor.as_deref() == Some(next) => {
                    return Err(self.protocol(
                        "tools/list",
                        format!("the server returned cursor `{next}` twice in a row"),
                    ))
                }
                Some(next) => cursor = Some(next.to_owned()),
                None => return Ok(tools),
            }
        }
        Err(self.protocol(
            "tools/list",
            format!("more than {MAX_PAGES} pages of tools; the server's cursor never ends"),
        ))
    }

    /// Calls tool `name` with `arguments` (a JSON object, or null for none).
    ///
    /// A tool that ran and failed gives `Ok` with [`CallResult::is_error`] set; an `Err`
    /// means the call did not get through (unknown tool, bad arguments, transport, timeout).
    pub async fn call_tool(&self, name: &str, arguments: Value) -> Result<CallResult, McpError> {
        let arguments = match arguments {
            Value::Null => json!({}),
            Value::Object(map) => Value::Object(map),
            other => {
                return Err(self.inner.conn.error(
                    ErrorKind::Config,
                    "tools/call",
                    format!(
                        "the arguments of tool `{name}` must be a JSON object, not {}",
                        kind_of(&other)
                    ),
                ))
            }
        };
        let params = json!({ "name": name, "arguments": arguments });
        let result = self.request("tools/call", Some(params)).await?;
        if !result.is_object() {
            return Err(self.protocol("tools/call", "the result is not a JSON object"));
        }
        Ok(CallResult::from_json(&result))
    }

    /// Closes the connection: ends the streamable-HTTP session with `DELETE`, or drops the
    /// SSE stream. Later calls (on any clone) fail with [`ErrorKind::Closed`]; closing twice
    /// does nothing.
    pub async fn close(&self) -> Result<(), McpError> {
        if self.inner.closed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        self.inner.transport.close().await
    }

    async fn request(&self, method: &str, params: Option<Value>) -> Result<Value, McpError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(self.inner.conn.error(
                ErrorKind::Closed,
                method,
                "the client was closed; connect again",
            ));
        }
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        self.inner.transport.request(id, method, params).await
    }

    fn protocol(&self, method: &str, detail: impl Into<String>) -> McpError {
        self.inner.conn.error(ErrorKind::Protocol, method, detail)
    }
}

impl std::fmt::Debug for McpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpClient")
            .field("server", &self.inner.conn.label)
            .field("transport", &self.transport())
            .field("protocol_version", &self.inner.protocol_version)
            .finish_non_exhaustive()
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
