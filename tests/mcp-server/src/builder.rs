//! Server configuration: the tools and the behaviour switches a test can turn.

use std::sync::Arc;

use serde_json::Value;

use crate::server::McpTestServer;

/// The closure behind a tool: arguments in, content (or an error text) out.
pub(crate) type Handler = Arc<dyn Fn(Value) -> Result<Value, String> + Send + Sync>;

/// A tool the server offers.
#[derive(Clone)]
pub struct Tool {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) input_schema: Value,
    pub(crate) handler: Handler,
}

impl Tool {
    /// A tool named `name`. `handler` gets the call's `arguments` and returns:
    ///
    /// - `Ok(array)`: the result's `content` items;
    /// - `Ok(string)`: one text item;
    /// - `Ok(object)` with a `content` key: the whole `tools/call` result (to send
    ///   `structuredContent` or `isError` as the test likes);
    /// - `Err(text)`: a tool error, `isError: true` with `text` as its content.
    pub fn new(
        name: &str,
        description: &str,
        input_schema: Value,
        handler: impl Fn(Value) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            name: name.to_owned(),
            description: description.to_owned(),
            input_schema,
            handler: Arc::new(handler),
        }
    }
}

/// Everything the server does, fixed when it starts.
#[derive(Clone, Default)]
pub(crate) struct Config {
    pub tools: Vec<Tool>,
    pub legacy_only: bool,
    pub sse_responses: bool,
    pub split_events: bool,
    pub server_messages: bool,
    pub page_size: Option<usize>,
    pub protocol_version: Option<String>,
    pub instructions: Option<String>,
    pub hang_methods: Vec<String>,
    pub required_header: Option<(String, String)>,
}

/// Builds a [`McpTestServer`]; every switch is off by default.
#[derive(Clone, Default)]
pub struct McpTestServerBuilder {
    pub(crate) config: Config,
}

impl McpTestServerBuilder {
    /// Adds a tool (listed in the order added).
    pub fn tool(&mut self, tool: Tool) -> &mut Self {
        self.config.tools.push(tool);
        self
    }

    /// Serves only the legacy HTTP+SSE transport: `POST /mcp` answers 404, as a server from
    /// before streamable HTTP would. Default: both transports.
    pub fn legacy_only(&mut self, yes: bool) -> &mut Self {
        self.config.legacy_only = yes;
        self
    }

    /// Answers streamable-HTTP requests with an SSE stream instead of one JSON body.
    /// Default: JSON.
    pub fn sse_responses(&mut self, yes: bool) -> &mut Self {
        self.config.sse_responses = yes;
        self
    }

    /// Sends every SSE event in 7-byte pieces with a short pause between them, so events
    /// (and UTF-8 characters) are split across chunks. Default: one write per event.
    pub fn split_events(&mut self, yes: bool) -> &mut Self {
        self.config.split_events = yes;
        self
    }

    /// Before each response sent over SSE, sends a `notifications/message` notification and
    /// a `ping` request the client must answer. Default: responses only.
    pub fn server_messages(&mut self, yes: bool) -> &mut Self {
        self.config.server_messages = yes;
        self
    }

    /// Lists tools `n` per page, with `nextCursor` pointing at the next page.
    /// Default: all tools on one page.
    pub fn page_size(&mut self, n: usize) -> &mut Self {
        self.config.page_size = Some(n.max(1));
        self
    }

    /// Answers `initialize` with this protocol version whatever the client asked.
    /// Default: the client's version.
    pub fn protocol_version(&mut self, version: &str) -> &mut Self {
        self.config.protocol_version = Some(version.to_owned());
        self
    }

    /// Sends these `instructions` in the `initialize` result. Default: none.
    pub fn instructions(&mut self, text: &str) -> &mut Self {
        self.config.instructions = Some(text.to_owned());
        self
    }

    /// Never answers requests with this JSON-RPC method (the HTTP request stays open), to
    /// test client timeouts. Default: every request is answered.
    pub fn hang_method(&mut self, method: &str) -> &mut Self {
        self.config.hang_methods.push(method.to_owned());
        self
    }

    /// Answers 401 to every request whose header `name` is not `value`, quoting what the
    /// request sent (as careless servers do), so a test can check that a client keeps such
    /// echoes out of its errors. Default: no check.
    pub fn require_header(&mut self, name: &str, value: &str) -> &mut Self {
        self.config.required_header = Some((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Binds `127.0.0.1` on a free port and starts serving on a thread of its own.
    ///
    /// # Panics
    ///
    /// When the port cannot be bound or the runtime cannot start (a broken test machine).
    pub fn start(&self) -> McpTestServer {
        McpTestServer::start(self.config.clone())
    }
}
