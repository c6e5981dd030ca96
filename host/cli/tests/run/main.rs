//! `wasm-agent run`, run as a user runs it: the built executable in a
//! temporary project whose `wasm-agent.toml` points a provider at the
//! scripted model on 127.0.0.1.
//!
//! - `runs`: results with and without a schema, progress on stderr,
//!   sessions resumed by id, NDJSON output, host commands, `--help`.
//! - `buckets`: agents whose sandbox is a bucket prefix on SeaweedFS,
//!   written in place or forked per run.
//! - `models`: which model a run uses (flag, variable, agent, config).
//! - `errors`: bad payloads and definitions, with their exit statuses
//!   and file:line messages.

mod buckets;
mod errors;
mod models;
mod runs;
mod support;
