//! S3-compatible buckets (AWS S3, Tigris, R2, MinIO, SeaweedFS…) as a
//! wasm-agent virtual filesystem.
//!
//! [`S3Fs`] implements [`wasm_agent_vfs::Vfs`] over a bucket or a prefix
//! of one, so every guest tool (`grep -r`, `find`, `sed -i`, `tar x`…) works
//! on objects directly. See [`fs`] for the mapping of paths to keys, the
//! cache and the flush, and [`S3Config`] for connecting.
//!
//! ```no_run
//! use wasm_agent_s3::{S3Config, S3Fs};
//! use wasm_agent_vfs::Vfs;
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let mut config = S3Config::from_url("s3://my-bucket/project")?;
//! config.endpoint = Some("http://127.0.0.1:8333".into());
//! let fs = S3Fs::connect(config).await?;
//! fs.write_file("/notes.txt", b"hello").await?;
//! fs.flush().await?;
//! # Ok(())
//! # }
//! ```

mod client;
mod config;
mod error;
pub mod fs;
mod store;
pub mod tigris;

pub use client::build_client;
pub use config::{Addressing, Credentials, S3Config, WritePolicy, TIGRIS_ENDPOINT};
pub use fs::{FlushError, FlushReport, ForkConflict, ForkMerge, S3Fs};
pub use store::RequestCounts;
pub use tigris::Tigris;
