//! `wasm-agent mcp` driven as an MCP client drives it: the built binary
//! spawned with piped stdio, JSON-RPC lines in and out.
//!
//! - `client`: the test client (spawns the server, matches answers by id,
//!   asserts every stdout line is a JSON-RPC message).
//! - `protocol`: handshake and version negotiation, `tools/list`, the
//!   JSON-RPC errors, concurrent calls, cancellation, exit on EOF.
//! - `tools`: every tool called for real: the file tools and bash over
//!   memory and over a mounted host directory, snapshots, forks, and bad
//!   arguments as `isError` results.

mod client;
mod protocol;
mod tools;
