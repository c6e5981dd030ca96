//! The tool conformance suite of wasm-agent: every case runs the same argv
//! with the machine's GNU tools and in the sandbox, over the same files,
//! and the sandbox must print the same stdout, exit with the same status
//! and leave the same directory tree.
//!
//! The pieces, in the order a case goes through them:
//!
//! - [`case`]: the case files under `tests/tools/` (one per tool family)
//!   and the [`Case`] model.
//! - [`fixture`]: the files a case starts from, written to a host
//!   directory or into a virtual filesystem.
//! - [`native`] and [`guest`]: running the steps with GNU and in the
//!   sandbox (over a host directory mount and over pure memory).
//! - [`tree`] and [`outcome`]: what a run left behind, and the comparison.
//! - [`runner`]: one directory per case, concurrency, the verdicts.
//! - [`report`]: pass rates per tool and the failures with their diffs.
//!
//! [`bash`] is the second suite, built from the same pieces: scripts run
//! with GNU bash and with our shell (`wasm-agent exec -c`).
//!
//! The test binary `tests/tools.rs` ties them together; see
//! `tests/README.md` for running it and adding cases.

pub mod bash;
pub mod case;
pub mod fixture;
pub mod guest;
pub mod native;
pub mod outcome;
pub mod report;
pub mod runner;
pub mod text;
pub mod tree;

pub use case::{load_dir, Case};
pub use runner::{run_cases, CaseResult, Verdict};
