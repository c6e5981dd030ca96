//! Integration tests of the VFS backends, in one binary so it links once.
//!
//! - `agreement`: property tests; every backend and composition behaves
//!   like Linux (a host directory is the oracle) on random operations.
//! - `changes`: `diff` and `merge` of whole trees, on every backend.
//! - `concurrent`: many tasks on one filesystem at once.
//! - `fork`: forks and snapshots are isolated in both directions.
//! - `escape`: nothing reaches outside a `HostDirFs` root.
//! - `quota`: byte quotas of `MemFs` and overlays.
//! - `modes`: permission bits (`chmod`) in every backend.
//! - `mount`: mount-point semantics against a second composition.
//! - `measure`: ignored timing runs whose numbers go into reports
//!   (`cargo test --release -p wasm-agent-vfs --test all measure -- --ignored --nocapture`).

mod agreement;
mod changes;
mod concurrent;
mod escape;
mod fork;
mod measure;
mod modes;
mod mount;
mod quota;
mod support;
