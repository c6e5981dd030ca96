//! Buckets: create (with or without snapshots), inspect, expire objects
//! after a TTL, force delete.

use aws_sdk_s3::types::{
    BucketLifecycleConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule,
    LifecycleRuleFilter,
};

use super::error::{ErrorKind, TigrisError};
use super::headers::{self, Capture};
use super::{names, Tigris};

/// What `HeadBucket` tells about a Tigris bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketInfo {
    /// Created with snapshots enabled (`X-Tigris-Enable-Snapshot: true`).
    pub snapshots_enabled: bool,
    /// The bucket this one is a fork of, if it is a fork.
    pub fork_source: Option<String>,
    /// The snapshot version of the source it was forked at.
    pub fork_source_snapshot: Option<String>,
}

impl Tigris {
    /// Creates an empty bucket without snapshots (a TTL can be set on it).
    pub async fn create_bucket(&self, bucket: &str) -> Result<(), TigrisError> {
        self.create_bucket_with("create bucket", bucket, Vec::new())
            .await
            .map(drop)
    }

    /// Creates an empty bucket with snapshots enabled, so it can be
    /// snapshotted, forked at a snapshot and checkpointed. Snapshots can
    /// only be enabled at creation, and such a bucket cannot have a TTL.
    pub async fn create_snapshot_bucket(&self, bucket: &str) -> Result<(), TigrisError> {
        self.create_bucket_with(
            "create snapshot-enabled bucket",
            bucket,
            vec![(headers::ENABLE_SNAPSHOT, "true".into())],
        )
        .await
        .map(drop)
    }

    /// `PUT /<bucket>` (S3's `CreateBucket`) with Tigris headers; the
    /// answer's snapshot version, if any. Snapshots, forks, merges and
    /// rebases all take this shape.
    pub(crate) async fn create_bucket_with(
        &self,
        op: &'static str,
        bucket: &str,
        extra: Vec<(&'static str, String)>,
    ) -> Result<Option<String>, TigrisError> {
        names::bucket(op, bucket)?;
        let capture = Capture::new(&[headers::SNAPSHOT_VERSION]);
        self.client
            .create_bucket()
            .bucket(bucket)
            .customize()
            .mutate_request(headers::add(extra))
            .interceptor(capture.clone())
            .send()
            .await
            .map_err(|e| TigrisError::from_sdk(op, bucket, &e))?;
        Ok(capture.get(headers::SNAPSHOT_VERSION))
    }

    /// Whether `bucket` has snapshots and where it was forked from.
    pub async fn bucket_info(&self, bucket: &str) -> Result<BucketInfo, TigrisError> {
        const OP: &str = "inspect bucket";
        names::bucket(OP, bucket)?;
        let capture = Capture::new(&[
            headers::ENABLE_SNAPSHOT,
            headers::FORK_SOURCE_BUCKET,
            headers::FORK_SOURCE_BUCKET_SNAPSHOT,
        ]);
        self.client
            .head_bucket()
            .bucket(bucket)
            .customize()
            .interceptor(capture.clone())
            .send()
            .await
            .map_err(|e| TigrisError::from_sdk(OP, bucket, &e))?;
        Ok(BucketInfo {
            snapshots_enabled: capture
                .get(headers::ENABLE_SNAPSHOT)
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            fork_source: capture.get(headers::FORK_SOURCE_BUCKET),
            fork_source_snapshot: capture.get(headers::FORK_SOURCE_BUCKET_SNAPSHOT),
        })
    }

    /// Makes every object of `bucket` expire `days` days after it was last
    /// written: one lifecycle rule (`PutBucketLifecycleConfiguration`),
    /// replacing any the bucket had.
    ///
    /// Tigris does not allow lifecycle rules on snapshot-enabled buckets;
    /// this checks first (one `HeadBucket`) and refuses such a bucket
    /// before changing anything.
    pub async fn set_ttl(&self, bucket: &str, days: u32) -> Result<(), TigrisError> {
        const OP: &str = "set TTL on bucket";
        names::bucket(OP, bucket)?;
        check_ttl_days(OP, bucket, days)?;
        if self.bucket_info(bucket).await?.snapshots_enabled {
            return Err(ttl_on_snapshots(OP, bucket));
        }
        self.put_expiration(OP, bucket, days).await
    }

    /// The lifecycle rule itself, without the snapshot check.
    pub(crate) async fn put_expiration(
        &self,
        op: &'static str,
        bucket: &str,
        days: u32,
    ) -> Result<(), TigrisError> {
        let invalid = |e: aws_sdk_s3::error::BuildError| {
            TigrisError::invalid(op, bucket, format!("cannot build the lifecycle rule: {e}"))
        };
        let rule = LifecycleRule::builder()
            .id(format!("wasm-agent-ttl-{days}d"))
            .status(ExpirationStatus::Enabled)
            // An empty prefix filter: the rule covers the whole bucket.
            .filter(LifecycleRuleFilter::builder().prefix("").build())
            .expiration(LifecycleExpiration::builder().days(days as i32).build())
            .build()
            .map_err(invalid)?;
        let configuration = BucketLifecycleConfiguration::builder()
            .rules(rule)
            .build()
            .map_err(invalid)?;
        self.client
            .put_bucket_lifecycle_configuration()
            .bucket(bucket)
            .lifecycle_configuration(configuration)
            .send()
            .await
            .map_err(|e| TigrisError::from_sdk(op, bucket, &e))?;
        Ok(())
    }

    /// Deletes `bucket` and every object in it, in one request
    /// (`DeleteBucket` with `Tigris-Force-Delete: true`). Without soft
    /// delete on the bucket this cannot be undone.
    pub async fn force_delete_bucket(&self, bucket: &str) -> Result<(), TigrisError> {
        const OP: &str = "force delete bucket";
        names::bucket(OP, bucket)?;
        self.client
            .delete_bucket()
            .bucket(bucket)
            .customize()
            .mutate_request(headers::add(vec![
                (headers::FORCE_DELETE, "true".into()),
                (headers::X_FORCE_DELETE, "true".into()),
            ]))
            .send()
            .await
            .map_err(|e| TigrisError::from_sdk(OP, bucket, &e))?;
        Ok(())
    }
}

/// A TTL must be at least one day (lifecycle rules count whole days) and
/// fit S3's field.
pub(crate) fn check_ttl_days(op: &'static str, bucket: &str, days: u32) -> Result<(), TigrisError> {
    if days == 0 || days > i32::MAX as u32 {
        return Err(TigrisError::invalid(
            op,
            bucket,
            format!("a TTL of {days} days is out of range; give 1 day or more"),
        ));
    }
    Ok(())
}

/// The refusal of a TTL on a snapshot-enabled bucket.
pub(crate) fn ttl_on_snapshots(op: &'static str, bucket: &str) -> TigrisError {
    TigrisError::new(
        ErrorKind::Unsupported,
        op,
        bucket,
        "Tigris does not allow a TTL (lifecycle expiration) on a snapshot-enabled bucket",
    )
    .with_hint("drop the TTL, or create the bucket without snapshots")
}
