//! The MCP client against the test server, over both transports.
//!
//! - `streamable`: streamable HTTP (JSON and SSE answers, sessions, headers, pagination);
//! - `legacy`: the fallback to the HTTP+SSE transport and everything over it;
//! - `failures`: tool errors vs JSON-RPC errors, timeouts, refused connections, close,
//!   and that secrets stay out of messages.

mod failures;
mod legacy;
mod streamable;
mod support;
