//! Integration tests of the `wasm-agent` host crate (one binary, so it
//! links once).
//!
//! - `limits`: hostile guests written in WAT — infinite loops, memory bombs,
//!   output floods, quota overflows, deep recursion — are stopped with the
//!   documented status and message.
//! - `tools`: the real guest tools over the sandbox filesystem (needs the
//!   tools module: `scripts/build-guest-tools.sh`).
//! - `sandbox`: the sandbox API contract.
//! - `bench`: the benchmark runner at a tiny budget; workloads match bash.

mod bench;
mod exec;
mod limits;
mod s3;
mod sandbox;
mod support;
mod tools;
