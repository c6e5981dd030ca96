//! The bash conformance suite: every case is a script run with GNU bash
//! 5.2 (`bash -c`) and with our shell (`wasm-agent exec -c`) in a fresh
//! directory holding the same files; our shell must print the same stdout,
//! exit with the same status and leave the same directory tree.
//!
//! - [`case`]: the case files under `tests/bash/` (one per area).
//! - [`known`]: `tests/known-failures/bash.toml`, the one list of accepted
//!   failures, each with its reason; it may only shrink.
//! - [`process`]: running a script with either shell.
//! - [`suite`]: one directory per case, concurrency, verdicts.
//! - [`report`]: pass rates per area and the failures with their diffs.
//!
//! The test binary `tests/bash.rs` ties them together; see
//! `tests/README.md` for running it and adding cases.

pub mod case;
pub mod known;
pub mod process;
pub mod report;
pub mod suite;

pub use case::BashCase;
pub use known::KnownFailures;
pub use suite::{run_cases, BashResult, SuiteConfig, Verdict};
