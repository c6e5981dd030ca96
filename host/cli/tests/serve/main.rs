//! `wasm-agent serve` as clients meet it: the built binary listening on
//! 127.0.0.1 (a free port), driven with a real HTTP client.
//!
//! - `server`: starting and stopping a server, small request helpers.
//! - `sandboxes`: the sandbox lifecycle, files, snapshots, forks, 100
//!   concurrent execs.
//! - `errors`: auth and the error envelope (400/401/403/404/405/413/415).
//! - `webhooks`: agent webhooks (sync, background, SSE) against the
//!   scripted model, runs, their events and streams (`project`: the
//!   temporary project and SSE parsing).
//! - `logs`: `wasm-agent logs` (pretty, NDJSON, --follow, failures).
//! - `store`: two servers on one SeaweedFS bucket continue one session
//!   and read and follow each other's runs; bucket sandboxes.

mod errors;
mod logs;
mod project;
mod sandboxes;
mod server;
mod store;
mod webhooks;
