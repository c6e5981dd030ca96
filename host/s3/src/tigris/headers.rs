//! The Tigris headers, and the two hooks that carry them on SDK calls.
//!
//! Tigris extends S3 with headers on ordinary operations (a snapshot is a
//! `CreateBucket` of an existing bucket with `X-Tigris-Snapshot`). The SDK
//! has no fields for them, so [`add`] sets them on the HTTP request before
//! it is signed, and [`Capture`] reads response headers the SDK's output
//! types drop (the new snapshot's version).

use std::sync::{Arc, Mutex};

use aws_sdk_s3::config::http::HttpRequest;
use aws_sdk_s3::config::interceptors::BeforeDeserializationInterceptorContextRef;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;

/// `CreateBucket`: create the bucket with snapshots (and forks) enabled.
pub const ENABLE_SNAPSHOT: &str = "X-Tigris-Enable-Snapshot";
/// `CreateBucket` of an existing bucket: take a snapshot
/// (`true` or `true; name=<label>`). `ListBuckets`: list the snapshots of
/// the named bucket instead of buckets.
pub const SNAPSHOT: &str = "X-Tigris-Snapshot";
/// Response of snapshot, merge and rebase: the snapshot's version. On
/// reads and `DeleteBucket`: the snapshot to read or delete.
pub const SNAPSHOT_VERSION: &str = "X-Tigris-Snapshot-Version";
/// `CreateBucket`: create the bucket as a fork of the named bucket.
pub const FORK_SOURCE_BUCKET: &str = "X-Tigris-Fork-Source-Bucket";
/// `CreateBucket` with [`FORK_SOURCE_BUCKET`]: fork at this snapshot
/// version instead of the source's current state.
pub const FORK_SOURCE_BUCKET_SNAPSHOT: &str = "X-Tigris-Fork-Source-Bucket-Snapshot";
/// `PUT /<parent>`: merge the named fork into the parent.
pub const MERGE_SOURCE_BUCKET: &str = "X-Tigris-Merge-Source-Bucket";
/// `PUT /<fork>`: rebase the fork onto its source's current state.
pub const REBASE: &str = "X-Tigris-Rebase";
/// `DeleteBucket`: delete the bucket with everything in it. Tigris' own
/// JavaScript SDK sends this name.
pub const FORCE_DELETE: &str = "Tigris-Force-Delete";
/// The same, as Tigris' Go SDK and boto3 extension send it; both names
/// are sent so either reading of the header deletes the bucket.
pub const X_FORCE_DELETE: &str = "X-Tigris-Force-Delete";

/// A request mutation that sets `headers` before signing.
pub fn add(
    headers: Vec<(&'static str, String)>,
) -> impl Fn(&mut HttpRequest) + Send + Sync + 'static {
    move |request: &mut HttpRequest| {
        for (name, value) in &headers {
            request.headers_mut().insert(*name, value.clone());
        }
    }
}

/// An interceptor that keeps the values of some response headers (of the
/// last attempt, when the SDK retried).
#[derive(Debug, Clone)]
pub struct Capture {
    names: &'static [&'static str],
    values: Arc<Mutex<Vec<Option<String>>>>,
}

impl Capture {
    /// Captures the headers `names` (matched without regard to case).
    pub fn new(names: &'static [&'static str]) -> Capture {
        Capture {
            names,
            values: Arc::new(Mutex::new(vec![None; names.len()])),
        }
    }

    /// The value of `name` in the last response, if it had one.
    pub fn get(&self, name: &str) -> Option<String> {
        let index = self
            .names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))?;
        self.values.lock().unwrap_or_else(|e| e.into_inner())[index].clone()
    }
}

impl Intercept for Capture {
    fn name(&self) -> &'static str {
        "TigrisResponseHeaders"
    }

    fn read_before_deserialization(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let headers = context.response().headers();
        let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
        for (slot, name) in values.iter_mut().zip(self.names) {
            *slot = headers
                .get(*name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned);
        }
        Ok(())
    }
}
