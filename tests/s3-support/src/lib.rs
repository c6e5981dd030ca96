//! S3 configurations and fresh buckets on the shared local SeaweedFS
//! server ([`SeaweedServer::shared`]), for tests of every crate that
//! talks to buckets.
//!
//! ```no_run
//! # async fn demo() {
//! let config = wasm_agent_s3_support::new_bucket("my-test").await;
//! let fs = wasm_agent_s3::S3Fs::connect(config).await.unwrap();
//! # }
//! ```

use wasm_agent_s3::{build_client, Credentials, S3Config};
use wasm_agent_seaweed::SeaweedServer;

/// The configuration of `bucket` (under `prefix`, `""` for the whole
/// bucket) on the shared server: its endpoint, region and keys.
pub fn config(bucket: &str, prefix: &str) -> S3Config {
    config_on(SeaweedServer::shared(), bucket, prefix)
}

/// [`config`] on another server than the shared one (a test that stops
/// and restarts its own).
pub fn config_on(server: &SeaweedServer, bucket: &str, prefix: &str) -> S3Config {
    let mut config = S3Config::new(bucket);
    config.prefix = prefix.to_owned();
    config.endpoint = Some(server.endpoint());
    config.region = Some(server.region().to_owned());
    config.credentials = Credentials::new(server.access_key(), server.secret_key());
    config
}

/// Creates the bucket `bucket` on the shared server.
///
/// # Panics
///
/// When the server refuses (a test cannot go on without its bucket).
pub async fn create_bucket(bucket: &str) {
    build_client(&config(bucket, ""))
        .await
        .create_bucket()
        .bucket(bucket)
        .send()
        .await
        .unwrap_or_else(|e| panic!("cannot create bucket {bucket}: {e:?}"));
}

/// A new, empty bucket named after `hint`; its configuration.
pub async fn new_bucket(hint: &str) -> S3Config {
    let bucket = SeaweedServer::shared().unique_bucket(hint);
    create_bucket(&bucket).await;
    config(&bucket, "")
}
