//! The object operations the filesystem needs, on one bucket.
//!
//! Thin wrappers over the SDK that speak in keys and bytes and return
//! [`VfsError`]s naming the object, so the filesystem above never touches
//! SDK types. Reads at a Tigris snapshot add the snapshot header here.

use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_sdk_s3::Client;
use bytes::Bytes;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;
use wasm_agent_vfs::{Errno, VfsError, VfsResult};

use crate::error::Failure;

/// Header that turns a Tigris copy into a rename.
pub(crate) const RENAME_HEADER: &str = "X-Tigris-Rename";

/// Header that pins reads to a Tigris snapshot.
pub(crate) const SNAPSHOT_VERSION_HEADER: &str = "X-Tigris-Snapshot-Version";

/// What the bucket says about one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectInfo {
    /// Size in bytes.
    pub size: u64,
    /// ETag, quotes included, as the server sent it.
    pub etag: Option<String>,
    /// Last modification.
    pub modified: SystemTime,
}

/// One page or a whole listing below a prefix.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    /// Objects: full key and what the listing says about them.
    pub objects: Vec<(String, ObjectInfo)>,
    /// Common prefixes (with their trailing `/`) when listing with a
    /// delimiter.
    pub prefixes: Vec<String>,
}

/// The result of a GET.
pub(crate) enum Fetched {
    /// `If-None-Match` matched: the cached copy is current.
    NotModified,
    /// The bytes asked for and the object's current description.
    Body(Bytes, ObjectInfo),
}

/// A precondition on a write, for detecting concurrent writers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Precondition {
    /// Write unconditionally.
    None,
    /// Only if the object still has this ETag.
    IfMatch(String),
    /// Only if no object exists under the key.
    IfAbsent,
}

/// Sends a read request, adding the snapshot header when reads are pinned
/// at a Tigris snapshot (the SDK has no field for it, so it is set on the
/// HTTP request before signing).
macro_rules! send_at {
    ($request:expr, $snapshot:expr) => {
        match $snapshot {
            Some(version) => {
                let version = version.to_owned();
                $request
                    .customize()
                    .mutate_request(move |req| {
                        req.headers_mut()
                            .insert(SNAPSHOT_VERSION_HEADER, version.clone());
                    })
                    .send()
                    .await
            }
            None => $request.send().await,
        }
    };
}

/// Requests sent, by kind (retries of one request count once).
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub list: AtomicU64,
    pub head: AtomicU64,
    pub get: AtomicU64,
    pub put: AtomicU64,
    pub copy: AtomicU64,
    pub delete: AtomicU64,
}

/// How many requests of each kind a filesystem sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// ListObjectsV2 pages.
    pub list: u64,
    /// HEADs.
    pub head: u64,
    /// GETs, whole or ranged.
    pub get: u64,
    /// PUTs, multipart parts included.
    pub put: u64,
    /// Server-side copies.
    pub copy: u64,
    /// DELETEs.
    pub delete: u64,
}

impl Counters {
    /// The counts so far.
    pub fn snapshot(&self) -> RequestCounts {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        RequestCounts {
            list: get(&self.list),
            head: get(&self.head),
            get: get(&self.get),
            put: get(&self.put),
            copy: get(&self.copy),
            delete: get(&self.delete),
        }
    }
}

fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Precondition {
    /// The `If-Match` and `If-None-Match` values that express it.
    fn headers(&self) -> (Option<String>, Option<String>) {
        match self {
            Precondition::None => (None, None),
            Precondition::IfMatch(etag) => (Some(etag.clone()), None),
            Precondition::IfAbsent => (None, Some("*".to_owned())),
        }
    }
}

/// One bucket through one client.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    client: Client,
    bucket: String,
    snapshot: Option<String>,
    counters: Arc<Counters>,
}

impl Store {
    /// Operations on `bucket`; reads pinned at `snapshot` when given.
    pub fn new(client: Client, bucket: String, snapshot: Option<String>) -> Store {
        Store {
            client,
            bucket,
            snapshot,
            counters: Arc::default(),
        }
    }

    /// The request counters.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// The SDK client (for Tigris calls built elsewhere).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// `s3://bucket/key`, for messages.
    pub fn object_url(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }

    fn fail<E, R>(&self, err: SdkError<E, R>, op: &'static str, path: &str, key: &str) -> VfsError
    where
        E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + crate::error::HasStatus,
    {
        Failure::from_sdk(&err).into_vfs(op, path, &self.object_url(key))
    }

    /// HEAD: the object's description, `None` when it does not exist.
    pub async fn head(&self, key: &str, path: &str) -> VfsResult<Option<ObjectInfo>> {
        count(&self.counters.head);
        let request = self.client.head_object().bucket(&self.bucket).key(key);
        match send_at!(request, self.snapshot.as_deref()) {
            Ok(out) => Ok(Some(ObjectInfo {
                size: out.content_length().unwrap_or(0).max(0) as u64,
                etag: out.e_tag().map(str::to_owned),
                modified: to_system_time(out.last_modified()),
            })),
            Err(err) => {
                let failure = Failure::from_sdk(&err);
                if failure.is_not_found() {
                    Ok(None)
                } else {
                    Err(failure.into_vfs("stat", path, &self.object_url(key)))
                }
            }
        }
    }

    /// GET the whole object, or `range` (first byte, length); with
    /// `if_none_match`, answers [`Fetched::NotModified`] when the ETag
    /// still matches.
    pub async fn get(
        &self,
        key: &str,
        path: &str,
        range: Option<(u64, u64)>,
        if_none_match: Option<&str>,
    ) -> VfsResult<Fetched> {
        count(&self.counters.get);
        let mut request = self.client.get_object().bucket(&self.bucket).key(key);
        if let Some((start, len)) = range {
            request = request.range(format!("bytes={start}-{}", start + len.max(1) - 1));
        }
        if let Some(etag) = if_none_match {
            request = request.if_none_match(etag);
        }
        let out = match send_at!(request, self.snapshot.as_deref()) {
            Ok(out) => out,
            Err(err) => {
                let failure = Failure::from_sdk(&err);
                if failure.status == Some(304) {
                    return Ok(Fetched::NotModified);
                }
                // A range starting at or past the end of an object: empty.
                if failure.status == Some(416) {
                    return Ok(Fetched::Body(
                        Bytes::new(),
                        ObjectInfo {
                            size: range.map_or(0, |r| r.0),
                            etag: None,
                            modified: SystemTime::UNIX_EPOCH,
                        },
                    ));
                }
                return Err(failure.into_vfs("read", path, &self.object_url(key)));
            }
        };
        let size = match out.content_range() {
            // "bytes 0-99/1234": the object's size is after the slash.
            Some(range) => range
                .rsplit('/')
                .next()
                .and_then(|total| total.parse().ok())
                .unwrap_or(0),
            None => out.content_length().unwrap_or(0).max(0) as u64,
        };
        let info = ObjectInfo {
            size,
            etag: out.e_tag().map(str::to_owned),
            modified: to_system_time(out.last_modified()),
        };
        let body = out.body.collect().await.map_err(|e| {
            VfsError::new(Errno::Io, "read", path).with_detail(format!(
                "{}: the connection broke while reading: {e}",
                self.object_url(key)
            ))
        })?;
        Ok(Fetched::Body(body.into_bytes(), info))
    }

    /// PUT `data` under `key` in one request; returns the new ETag.
    pub async fn put(
        &self,
        key: &str,
        path: &str,
        data: Bytes,
        precondition: &Precondition,
    ) -> VfsResult<Option<String>> {
        count(&self.counters.put);
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(data));
        let (if_match, if_none_match) = precondition.headers();
        let out = request
            .set_if_match(if_match)
            .set_if_none_match(if_none_match)
            .send()
            .await
            .map_err(|e| self.fail(e, "write", path, key))?;
        Ok(out.e_tag().map(str::to_owned))
    }

    /// Uploads `data` in parts of `part_size` bytes; the precondition is
    /// checked when the upload completes. An upload that fails is aborted,
    /// so no parts are left behind to pay for.
    pub async fn put_multipart(
        &self,
        key: &str,
        path: &str,
        data: Bytes,
        part_size: u64,
        precondition: &Precondition,
    ) -> VfsResult<Option<String>> {
        let created = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| self.fail(e, "write", path, key))?;
        let upload_id = created.upload_id().unwrap_or_default().to_owned();
        let result = self
            .upload_parts(key, path, &upload_id, data, part_size, precondition)
            .await;
        if result.is_err() {
            // Best effort: the original error is what the caller needs.
            let _ = self
                .client
                .abort_multipart_upload()
                .bucket(&self.bucket)
                .key(key)
                .upload_id(&upload_id)
                .send()
                .await;
        }
        result
    }

    async fn upload_parts(
        &self,
        key: &str,
        path: &str,
        upload_id: &str,
        data: Bytes,
        part_size: u64,
        precondition: &Precondition,
    ) -> VfsResult<Option<String>> {
        let part_size = part_size.max(5 << 20) as usize;
        let mut parts = Vec::new();
        for (index, start) in (0..data.len()).step_by(part_size).enumerate() {
            let number = index as i32 + 1;
            let chunk = data.slice(start..(start + part_size).min(data.len()));
            count(&self.counters.put);
            let out = self
                .client
                .upload_part()
                .bucket(&self.bucket)
                .key(key)
                .upload_id(upload_id)
                .part_number(number)
                .body(ByteStream::from(chunk))
                .send()
                .await
                .map_err(|e| self.fail(e, "write", path, key))?;
            parts.push(
                CompletedPart::builder()
                    .part_number(number)
                    .set_e_tag(out.e_tag().map(str::to_owned))
                    .build(),
            );
        }
        let request = self
            .client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            );
        let (if_match, if_none_match) = precondition.headers();
        let out = request
            .set_if_match(if_match)
            .set_if_none_match(if_none_match)
            .send()
            .await
            .map_err(|e| self.fail(e, "write", path, key))?;
        Ok(out.e_tag().map(str::to_owned))
    }

    /// Server-side copy of `from` to `to`; with `source_etag`, only if the
    /// source still has that ETag. Returns the new object's ETag.
    pub async fn copy(
        &self,
        from: &str,
        to: &str,
        path: &str,
        source_etag: Option<&str>,
    ) -> VfsResult<Option<String>> {
        self.copy_from(&self.bucket, from, to, path, source_etag)
            .await
    }

    /// Tigris' server-side rename (`X-Tigris-Rename: true` on a copy):
    /// the object moves without its bytes being copied. Other servers
    /// ignore the header and copy; the caller deletes the source either
    /// way.
    pub async fn rename(
        &self,
        from: &str,
        to: &str,
        path: &str,
        source_etag: Option<&str>,
    ) -> VfsResult<Option<String>> {
        self.send_copy(&self.bucket, from, to, path, source_etag, true)
            .await
    }

    /// Server-side copy of `from` in `source_bucket` to `to` in this
    /// bucket.
    pub async fn copy_from(
        &self,
        source_bucket: &str,
        from: &str,
        to: &str,
        path: &str,
        source_etag: Option<&str>,
    ) -> VfsResult<Option<String>> {
        self.send_copy(source_bucket, from, to, path, source_etag, false)
            .await
    }

    /// A CopyObject request, with Tigris' rename header when `rename`.
    async fn send_copy(
        &self,
        source_bucket: &str,
        from: &str,
        to: &str,
        path: &str,
        source_etag: Option<&str>,
        rename: bool,
    ) -> VfsResult<Option<String>> {
        count(&self.counters.copy);
        let request = self
            .client
            .copy_object()
            .bucket(&self.bucket)
            .key(to)
            .copy_source(format!("{source_bucket}/{}", encode_key(from)))
            .set_copy_source_if_match(source_etag.map(str::to_owned));
        let out = request
            .customize()
            .mutate_request(move |req| {
                if rename {
                    req.headers_mut().insert(RENAME_HEADER, "true");
                }
            })
            .send()
            .await
            .map_err(|e| self.fail(e, "rename", path, from))?;
        Ok(out
            .copy_object_result()
            .and_then(|r| r.e_tag())
            .map(str::to_owned))
    }

    /// DELETE `key`; deleting an absent key succeeds, as in S3.
    pub async fn delete(&self, key: &str, path: &str) -> VfsResult<()> {
        count(&self.counters.delete);
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| self.fail(e, "remove", path, key))?;
        Ok(())
    }

    /// Lists below `prefix`: with `delimited`, one level (objects and
    /// common prefixes); without, every key. Follows continuation tokens
    /// until the listing ends or `limit` entries were seen.
    pub async fn list(
        &self,
        prefix: &str,
        path: &str,
        delimited: bool,
        limit: Option<usize>,
    ) -> VfsResult<Listing> {
        let mut listing = Listing::default();
        let mut token: Option<String> = None;
        loop {
            count(&self.counters.list);
            let mut request = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .set_continuation_token(token.take());
            if delimited {
                request = request.delimiter("/");
            }
            if let Some(limit) = limit {
                request = request.max_keys(limit.min(1000) as i32);
            }
            let out = send_at!(request, self.snapshot.as_deref())
                .map_err(|e| self.fail(e, "list", path, prefix))?;
            for object in out.contents() {
                if let Some(key) = object.key() {
                    listing.objects.push((
                        key.to_owned(),
                        ObjectInfo {
                            size: object.size().unwrap_or(0).max(0) as u64,
                            etag: object.e_tag().map(str::to_owned),
                            modified: to_system_time(object.last_modified()),
                        },
                    ));
                }
            }
            for common in out.common_prefixes() {
                if let Some(p) = common.prefix() {
                    listing.prefixes.push(p.to_owned());
                }
            }
            let seen = listing.objects.len() + listing.prefixes.len();
            match out.next_continuation_token() {
                Some(next)
                    if out.is_truncated() == Some(true) && limit.is_none_or(|l| seen < l) =>
                {
                    token = Some(next.to_owned());
                }
                _ => return Ok(listing),
            }
        }
    }
}

/// S3's timestamps as `SystemTime` (the epoch when absent).
fn to_system_time(time: Option<&aws_sdk_s3::primitives::DateTime>) -> SystemTime {
    time.and_then(|t| SystemTime::try_from(*t).ok())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Percent-encodes a key for the `x-amz-copy-source` header, keeping `/`.
fn encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_key;

    #[test]
    fn copy_sources_are_percent_encoded() {
        assert_eq!(encode_key("a b/ü+x.txt"), "a%20b/%C3%BC%2Bx.txt");
    }
}
