//! A small MCP server for tests.
//!
//! [`McpTestServer`] listens on `127.0.0.1` (a free port) and speaks both MCP transports:
//!
//! - **streamable HTTP** at `/mcp` ([`McpTestServer::url`]): `POST` answers JSON, or an SSE
//!   stream when [`McpTestServerBuilder::sse_responses`] is set; `initialize` hands out an
//!   `Mcp-Session-Id` that later requests must carry; `DELETE` ends the session.
//! - **legacy HTTP+SSE** at `/sse` ([`McpTestServer::sse_url`]): `GET` opens the stream and
//!   sends an `endpoint` event; messages are `POST`ed to `/messages?sessionId=…` and the
//!   responses travel on the stream. [`McpTestServerBuilder::legacy_only`] turns `/mcp` off so
//!   a client's fallback can be tested.
//!
//! Tools are given by the test as [`Tool`]s (name, description, input schema, a closure), and
//! every HTTP request is recorded ([`McpTestServer::requests`]) so a test can check the
//! headers a client sent.
//!
//! ```no_run
//! use wasm_agent_mcp_test_server::{McpTestServer, Tool};
//! use serde_json::json;
//!
//! let server = McpTestServer::builder()
//!     .tool(Tool::new("echo", "Echoes its text", json!({"type": "object"}), |args| {
//!         Ok(json!([{"type": "text", "text": args["text"].clone()}]))
//!     }))
//!     .start();
//! println!("MCP at {}", server.url());
//! ```

mod builder;
mod legacy;
mod record;
mod rpc;
mod server;
mod sse;
mod streamable;

pub use builder::{McpTestServerBuilder, Tool};
pub use record::RecordedRequest;
pub use server::McpTestServer;
