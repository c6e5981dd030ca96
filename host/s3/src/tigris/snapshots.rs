//! Snapshots: take, list, delete.
//!
//! A snapshot is an immutable, O(1) view of a whole snapshot-enabled
//! bucket, named by a *version* (a decimal number, nanoseconds since the
//! epoch) and optionally labelled. To read at one, set
//! [`S3Config::snapshot_version`](crate::S3Config::snapshot_version); to
//! branch from one, [`fork`](Tigris::fork) at it.

use std::time::SystemTime;

use super::error::{ErrorKind, TigrisError};
use super::headers;
use super::{names, Tigris};

/// One snapshot of a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The version that names it (what forks and reads take).
    pub version: String,
    /// The label given when it was taken, if any.
    pub name: Option<String>,
    /// When it was taken, as Tigris reports it.
    pub created: Option<SystemTime>,
}

impl Tigris {
    /// Takes a snapshot of `bucket` (which must be snapshot-enabled),
    /// optionally labelled `name`; returns its version.
    ///
    /// `CreateBucket` of the existing bucket with
    /// `X-Tigris-Snapshot: true[; name=<name>]`; the version comes back in
    /// `X-Tigris-Snapshot-Version`.
    pub async fn take_snapshot(
        &self,
        bucket: &str,
        name: Option<&str>,
    ) -> Result<String, TigrisError> {
        const OP: &str = "take snapshot of";
        names::bucket(OP, bucket)?;
        let value = match name {
            Some(label) => {
                names::snapshot_label(OP, bucket, label)?;
                format!("true; name={label}")
            }
            None => "true".to_owned(),
        };
        let result = self
            .create_bucket_with(OP, bucket, vec![(headers::SNAPSHOT, value)])
            .await;
        match result {
            Ok(Some(version)) => Ok(version),
            Ok(None) => Err(self
                .explain_snapshot_failure(
                    OP,
                    bucket,
                    TigrisError::new(
                        ErrorKind::BadResponse,
                        OP,
                        bucket,
                        format!(
                            "the answer carried no {} header, so no snapshot was taken \
                             (is the endpoint Tigris?)",
                            headers::SNAPSHOT_VERSION
                        ),
                    ),
                )
                .await),
            Err(err) => Err(self.explain_snapshot_failure(OP, bucket, err).await),
        }
    }

    /// The snapshots of `bucket`, oldest first.
    ///
    /// `ListBuckets` with `X-Tigris-Snapshot: <bucket>`: each entry's name
    /// is `<version>` or `<version>; name=<label>`, its creation date the
    /// snapshot's time.
    pub async fn list_snapshots(&self, bucket: &str) -> Result<Vec<Snapshot>, TigrisError> {
        const OP: &str = "list snapshots of";
        names::bucket(OP, bucket)?;
        let mut snapshots = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .client
                .list_buckets()
                .set_continuation_token(token.take())
                .customize()
                .mutate_request(headers::add(vec![(headers::SNAPSHOT, bucket.to_owned())]))
                .send()
                .await
                .map_err(|e| TigrisError::from_sdk(OP, bucket, &e))?;
            for entry in out.buckets() {
                if let Some(raw) = entry.name() {
                    let (version, name) = parse_entry(raw);
                    snapshots.push(Snapshot {
                        version,
                        name,
                        created: entry
                            .creation_date()
                            .and_then(|t| SystemTime::try_from(*t).ok()),
                    });
                }
            }
            match out.continuation_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => break,
            }
        }
        snapshots.sort_by(|a, b| (a.created, &a.version).cmp(&(b.created, &b.version)));
        Ok(snapshots)
    }

    /// Deletes the snapshot `version` of `bucket`; the bucket and its
    /// other snapshots are untouched.
    ///
    /// Tigris' snapshot guide says snapshots go away with their bucket;
    /// its own boto3 extension (`delete_snapshot`) and partner API delete
    /// one with `DeleteBucket` + `X-Tigris-Snapshot-Version: <version>`,
    /// which this sends. Because a server that ignored that header would
    /// delete the (empty) bucket itself, the version is first looked up in
    /// [`list_snapshots`](Tigris::list_snapshots): an unknown version is
    /// refused with [`ErrorKind::NotFound`] and nothing is deleted.
    pub async fn delete_snapshot(&self, bucket: &str, version: &str) -> Result<(), TigrisError> {
        const OP: &str = "delete snapshot";
        names::bucket(OP, bucket)?;
        names::snapshot_version(OP, bucket, version)?;
        let target = format!("{bucket}@{version}");
        let known = self.list_snapshots(bucket).await?;
        if !known.iter().any(|s| s.version == version) {
            return Err(TigrisError::new(
                ErrorKind::NotFound,
                OP,
                target,
                format!("bucket '{bucket}' has no snapshot with this version"),
            )
            .with_hint("list the bucket's snapshots with list_snapshots"));
        }
        self.client
            .delete_bucket()
            .bucket(bucket)
            .customize()
            .mutate_request(headers::add(vec![(
                headers::SNAPSHOT_VERSION,
                version.to_owned(),
            )]))
            .send()
            .await
            .map_err(|e| TigrisError::from_sdk(OP, &target, &e))?;
        Ok(())
    }

    /// Turns a failed snapshot (or fork-at-snapshot) request on a bucket
    /// that exists but has no snapshots into a clear
    /// [`ErrorKind::NotSnapshotEnabled`]; other failures pass unchanged.
    pub(crate) async fn explain_snapshot_failure(
        &self,
        op: &'static str,
        bucket: &str,
        err: TigrisError,
    ) -> TigrisError {
        if matches!(
            err.kind(),
            ErrorKind::NotFound | ErrorKind::AccessDenied | ErrorKind::Unavailable
        ) {
            return err;
        }
        match self.bucket_info(bucket).await {
            Ok(info) if !info.snapshots_enabled => TigrisError::new(
                ErrorKind::NotSnapshotEnabled,
                op,
                bucket,
                format!(
                    "bucket '{bucket}' is not snapshot-enabled (Tigris answered: {})",
                    err.reason()
                ),
            ),
            _ => err,
        }
    }
}

/// `"<version>; name=<label>"` or `"<version>"` → version and label.
fn parse_entry(raw: &str) -> (String, Option<String>) {
    match raw.split_once(';') {
        Some((version, rest)) => {
            let label = rest
                .trim()
                .strip_prefix("name=")
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned);
            (version.trim().to_owned(), label)
        }
        None => (raw.trim().to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_entry;

    #[test]
    fn listing_names_split_into_version_and_label() {
        assert_eq!(
            parse_entry("1751631910169675092; name=epoch-50"),
            ("1751631910169675092".into(), Some("epoch-50".into()))
        );
        assert_eq!(
            parse_entry("1751631910169675092"),
            ("1751631910169675092".into(), None)
        );
        assert_eq!(parse_entry("17; name="), ("17".into(), None));
    }
}
