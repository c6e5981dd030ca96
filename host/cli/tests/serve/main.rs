//! `wasm-agent serve` as clients meet it: the built binary listening on
//! 127.0.0.1 (a free port), driven with a real HTTP client.
//!
//! - `server`: starting and stopping a server, small request helpers.
//! - `sandboxes`: the sandbox lifecycle, files, snapshots, forks, 100
//!   concurrent execs.
//! - `errors`: auth and the error envelope (400/401/403/404/405/413/415).

mod errors;
mod sandboxes;
mod server;
