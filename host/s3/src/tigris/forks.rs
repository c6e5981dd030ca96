//! Forks: a new bucket that starts as a source bucket (now, or at one of
//! its snapshots) and shares its objects by reference, O(1) whatever the
//! size; merge a fork back, rebase it onto its source.

use super::error::TigrisError;
use super::headers;
use super::{names, Tigris};

impl Tigris {
    /// Creates bucket `fork` as a copy-on-write fork of `source`, as it is
    /// now (`at: None`; Tigris snapshots it for the fork) or as it was at
    /// snapshot version `at`. The source must be snapshot-enabled.
    ///
    /// `CreateBucket` of `fork` with `X-Tigris-Fork-Source-Bucket: <source>`
    /// and, with `at`, `X-Tigris-Fork-Source-Bucket-Snapshot: <version>`.
    pub async fn fork(
        &self,
        source: &str,
        fork: &str,
        at: Option<&str>,
    ) -> Result<(), TigrisError> {
        const OP: &str = "fork";
        names::bucket(OP, source)?;
        names::bucket(OP, fork)?;
        let mut extra = vec![(headers::FORK_SOURCE_BUCKET, source.to_owned())];
        if let Some(version) = at {
            names::snapshot_version(OP, source, version)?;
            extra.push((headers::FORK_SOURCE_BUCKET_SNAPSHOT, version.to_owned()));
        }
        match self.create_bucket_with(OP, fork, extra).await {
            Ok(_) => Ok(()),
            // The fork's name being taken says nothing about the source.
            Err(err) if err.kind() == super::ErrorKind::AlreadyExists => Err(err),
            Err(err) => Err(self.explain_snapshot_failure(OP, source, err).await),
        }
    }

    /// Merges the changes made in `fork` into `parent`, of which it must be
    /// a direct fork; returns the version of the snapshot Tigris records
    /// for the merge, when it sends one.
    ///
    /// `PUT /<parent>` with `X-Tigris-Merge-Source-Bucket: <fork>`. How
    /// Tigris settles objects changed on both sides is Tigris' rule, not
    /// checked here.
    pub async fn merge(&self, fork: &str, parent: &str) -> Result<Option<String>, TigrisError> {
        const OP: &str = "merge fork into";
        names::bucket(OP, fork)?;
        self.create_bucket_with(
            OP,
            parent,
            vec![(headers::MERGE_SOURCE_BUCKET, fork.to_owned())],
        )
        .await
        .map_err(|err| {
            if err.status() == Some(400) {
                err.with_hint(format!(
                    "'{fork}' must be a direct fork of '{parent}' (see bucket_info)"
                ))
            } else {
                err
            }
        })
    }

    /// Rebases `fork` onto the current state of the bucket it was forked
    /// from; returns the version of the snapshot Tigris records for it,
    /// when it sends one.
    ///
    /// `PUT /<fork>` with `X-Tigris-Rebase: true`.
    pub async fn rebase(&self, fork: &str) -> Result<Option<String>, TigrisError> {
        self.create_bucket_with("rebase fork", fork, vec![(headers::REBASE, "true".into())])
            .await
    }
}
