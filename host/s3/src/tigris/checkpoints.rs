//! Checkpoints: a labelled snapshot of a workspace, and restoring one as
//! a new bucket (a fork at that snapshot), the original left untouched.

use std::time::SystemTime;

use super::error::TigrisError;
use super::snapshots::Snapshot;
use super::{names, Tigris};

impl Tigris {
    /// Checkpoints `bucket` (snapshot-enabled) under the label `name`;
    /// returns the checkpoint's id (the snapshot version), which
    /// [`restore`](Tigris::restore) takes.
    pub async fn checkpoint(
        &self,
        bucket: &str,
        name: Option<&str>,
    ) -> Result<String, TigrisError> {
        self.take_snapshot(bucket, name).await
    }

    /// The checkpoints of `bucket`, oldest first: its snapshots, each with
    /// its id ([`Snapshot::version`]), label and time.
    pub async fn list_checkpoints(&self, bucket: &str) -> Result<Vec<Snapshot>, TigrisError> {
        self.list_snapshots(bucket).await
    }

    /// Restores checkpoint `id` of `bucket` into a new bucket named
    /// `<bucket>-restore-<seconds since the epoch>`; returns its name.
    pub async fn restore(&self, bucket: &str, id: &str) -> Result<String, TigrisError> {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let new_bucket = format!("{bucket}-restore-{now}");
        names::bucket("restore checkpoint of", &new_bucket).map_err(|e| {
            e.with_hint("the bucket name is too long for the default name; use restore_as")
        })?;
        self.restore_as(bucket, id, &new_bucket).await?;
        Ok(new_bucket)
    }

    /// Restores checkpoint `id` of `bucket` into the new bucket
    /// `new_bucket`: a copy-on-write fork at that snapshot, O(1).
    pub async fn restore_as(
        &self,
        bucket: &str,
        id: &str,
        new_bucket: &str,
    ) -> Result<(), TigrisError> {
        names::snapshot_version("restore checkpoint of", bucket, id)?;
        self.fork(bucket, new_bucket, Some(id)).await
    }
}
