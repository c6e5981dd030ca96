//! MCP servers' tools as agent tools.
//!
//! [`Harness::connect_mcp_server`](crate::Harness::connect_mcp_server)
//! connects a server ([`wasm_agent_mcp::McpClient`]: streamable HTTP,
//! falling back to the older HTTP+SSE transport), lists its tools once,
//! and offers each to the model as `mcp__{server}__{tool}` (sanitised to
//! the providers' name rules, distinct even when two names sanitise
//! alike). A call goes to the server; the tool's own failure
//! (`isError`) and a failed call both come back to the model as error
//! results it can read.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::Value;
use wasm_agent_mcp::{sanitize_tool_names, ConnectOptions, McpClient};

use crate::harness::HarnessError;
use crate::tools::{Tool, ToolContext, ToolOutput};

/// Where an MCP server is and how to reach it.
#[derive(Clone, Default)]
pub struct McpOptions {
    /// Its endpoint (`http://127.0.0.1:3000/mcp`; for an SSE-only server,
    /// its SSE URL).
    pub url: String,
    /// Headers sent with every request (`Authorization`…); never logged.
    pub headers: Vec<(String, String)>,
    /// Longest wait for one answer; default 60 s.
    pub timeout: Option<Duration>,
}

impl std::fmt::Debug for McpOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("McpOptions")
            .field("url", &self.url)
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl McpOptions {
    /// Options for the server at `url`.
    pub fn url(url: impl Into<String>) -> McpOptions {
        McpOptions {
            url: url.into(),
            ..McpOptions::default()
        }
    }

    /// Adds a header sent with every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> McpOptions {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A connected server and its tools.
pub(crate) struct McpServer {
    name: String,
    client: Arc<McpClient>,
    tools: Vec<Arc<dyn Tool>>,
}

impl McpServer {
    /// Connects and lists the tools.
    pub(crate) async fn connect(
        name: &str,
        options: McpOptions,
    ) -> Result<McpServer, HarnessError> {
        let mut connect = ConnectOptions::named(name);
        connect.headers = options.headers;
        if let Some(timeout) = options.timeout {
            connect.timeout = timeout;
        }
        let client = McpClient::connect(&options.url, connect)
            .await
            .map_err(|e| HarnessError::Mcp(e.to_string()))?;
        let listed = match client.list_tools().await {
            Ok(listed) => listed,
            Err(err) => {
                let _ = client.close().await;
                return Err(HarnessError::Mcp(err.to_string()));
            }
        };
        let client = Arc::new(client);
        let names: Vec<&str> = listed.iter().map(|t| t.name.as_str()).collect();
        let model_names = sanitize_tool_names(name, &names);
        let tools = listed
            .iter()
            .zip(model_names)
            .map(|(info, model_name)| {
                Arc::new(McpTool {
                    model_name,
                    remote_name: info.name.clone(),
                    description: info
                        .description
                        .clone()
                        .or_else(|| info.title.clone())
                        .unwrap_or_else(|| {
                            format!("The '{}' tool of MCP server '{name}'", info.name)
                        }),
                    parameters: info.input_schema.clone(),
                    client: client.clone(),
                }) as Arc<dyn Tool>
            })
            .collect();
        Ok(McpServer {
            name: name.to_string(),
            client,
            tools,
        })
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The model-facing names of its tools.
    pub(crate) fn tool_names(&self) -> Vec<String> {
        self.tools.iter().map(|t| t.name().to_string()).collect()
    }

    pub(crate) fn tools(&self) -> &[Arc<dyn Tool>] {
        &self.tools
    }

    /// Ends the session with the server; a failure to say goodbye is not
    /// worth reporting (the server times the session out).
    pub(crate) async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// One tool of an MCP server.
struct McpTool {
    model_name: String,
    remote_name: String,
    description: String,
    parameters: Value,
    client: Arc<McpClient>,
}

#[async_trait]
impl Tool for McpTool {
    fn name(&self) -> &str {
        &self.model_name
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn parameters(&self) -> Value {
        self.parameters.clone()
    }

    async fn call(&self, _ctx: &ToolContext, args: Value) -> ToolOutput {
        let args = if args.is_null() {
            Value::Object(Default::default())
        } else {
            args
        };
        match self.client.call_tool(&self.remote_name, args).await {
            Ok(result) => {
                let mut text = result.to_text();
                if text.is_empty() {
                    text = "(no output)".to_string();
                }
                ToolOutput {
                    content: text,
                    is_error: result.is_error,
                }
            }
            Err(err) => ToolOutput::error(err.to_string()),
        }
    }
}
