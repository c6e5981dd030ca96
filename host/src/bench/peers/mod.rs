//! The compared systems.

#[cfg(feature = "bashkit")]
pub mod bashkit;
pub mod native;
pub mod wasm_agent;
