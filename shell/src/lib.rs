//! The bash-compatible shell of wasm-agent.
//!
//! The shell parses scripts with `brush-parser` and evaluates them in
//! process. It knows nothing of WebAssembly: it reaches the world through a
//! filesystem trait and a command-runner trait that the `wasm-agent` host
//! crate implements, so it can be tested against an in-memory tree.
//!
//! The evaluator is built in the shell issue (#3); this crate currently
//! only reserves its place in the workspace.
