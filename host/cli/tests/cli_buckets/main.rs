//! The bucket commands of the `wasm-agent` binary (`fork`, `snapshot`,
//! `checkpoint`, `restore`, `diff`, `merge`, `workspace`), run as a user
//! runs them: the built executable, its stdout, stderr and exit status.
//!
//! - `portable`: against a real S3 server (SeaweedFS on 127.0.0.1, one
//!   bucket per test): forks written through `exec --s3`, diffs, merges
//!   with conflicts, copies, checkpoints, and the errors users meet.
//! - `tigris`: the Tigris paths against a stand-in that records every
//!   request (`stub`): which request each command sends with which Tigris
//!   headers, and what it prints; secrets never in errors.
//! - `help`: every command's help carries an example.

mod cli;
mod help;
mod portable;
mod stub;
mod tigris;
