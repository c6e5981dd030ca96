//! Tigris' extensions and the workspace API against a local stand-in
//! that checks the exact headers, queries and bodies and answers in
//! Tigris' shapes (nothing leaves 127.0.0.1), plus one live run against
//! Tigris when its keys are in the environment.
//!
//! - `buckets`, `snapshots`, `forks`, `iam`: one operation each, its
//!   request and its failures;
//! - `workspaces`, `fork_sets`, `checkpoints`: the composed API, its
//!   order of requests and its partial results;
//! - `live`: the real service, skipped without credentials.

mod buckets;
mod checkpoints;
mod fork_sets;
mod forks;
mod iam;
mod live;
mod mock;
mod s3fs;
mod snapshots;
mod support;
mod workspaces;
