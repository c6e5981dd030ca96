//! A Model Context Protocol (MCP) client over HTTP.
//!
//! [`McpClient::connect`] opens a session with a server: it speaks **streamable HTTP**
//! (protocol 2025-06-18, also accepting 2025-03-26 and 2024-11-05 answers) and falls back
//! to the **legacy HTTP+SSE transport** when the server refuses the streamable `POST` with
//! 400, 404 or 405. A connected client lists tools ([`McpClient::list_tools`], all pages)
//! and calls them ([`McpClient::call_tool`] → [`CallResult`], with
//! [`CallResult::to_text`] for a model). [`sanitize_tool_name`] gives each tool a name
//! every LLM provider accepts. Every failure is an [`McpError`] naming the server and the
//! method; header values (tokens) never appear in errors or `Debug` output.
//!
//! Server requests met on the way are answered so the server never waits: `ping` with an
//! empty result, anything else (sampling, elicitation, roots — capabilities this client
//! does not declare) with "method not found". Notifications are ignored.
//!
//! Not done: resuming a broken SSE stream (`Last-Event-ID`), the optional `GET` stream
//! for server-initiated messages in streamable HTTP, resources and prompts.
//!
//! ```no_run
//! # async fn run() -> Result<(), wasm_agent_mcp::McpError> {
//! use wasm_agent_mcp::{sanitize_tool_name, ConnectOptions, McpClient};
//!
//! let options = ConnectOptions::named("github").header("Authorization", "Bearer …");
//! let client = McpClient::connect("https://api.githubcopilot.com/mcp/", options).await?;
//! for tool in client.list_tools().await? {
//!     println!("{}: {:?}", sanitize_tool_name("github", &tool.name), tool.description);
//! }
//! let result = client
//!     .call_tool("get_me", serde_json::json!({}))
//!     .await?;
//! println!("{}", result.to_text());
//! client.close().await?;
//! # Ok(())
//! # }
//! ```

mod client;
mod conn;
mod error;
mod jsonrpc;
mod names;
mod options;
mod sse;
mod transport;
mod types;

pub use client::{McpClient, PROTOCOL_VERSION, SUPPORTED_VERSIONS};
pub use error::{ErrorKind, McpError};
pub use names::{sanitize_tool_name, sanitize_tool_names, MAX_TOOL_NAME};
pub use options::ConnectOptions;
pub use transport::TransportKind;
pub use types::{CallResult, ContentItem, ServerInfo, ToolInfo};
