//! The bash-compatible shell of wasm-agent.
//!
//! The shell parses scripts with `brush-parser` and evaluates them in
//! process. It knows nothing of WebAssembly: it works on a virtual
//! filesystem ([`wasm_agent_vfs::Vfs`]) and runs every command that is not a
//! builtin or a function through a command runner that the `wasm-agent`
//! host crate implements, so it can be tested against an in-memory tree.
//!
//! [`io`] holds the streams commands are connected with: bounded pipes
//! between the stages of a pipeline, capture buffers, files.

pub mod io;
