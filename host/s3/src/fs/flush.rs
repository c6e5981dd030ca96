//! Applying pending changes to the bucket.
//!
//! Uploads, copies and directory markers go first, several at a time;
//! deletes only once all of them succeeded, so a failed upload or copy can
//! never be followed by the delete of the only other copy (a rename's
//! source). Every change that fails stays pending and is reported with its
//! path; a later flush retries it.

use bytes::Bytes;
use std::fmt;
use std::sync::Arc;
use tokio::task::JoinSet;
use wasm_agent_vfs::{Errno, VfsError, VfsResult};

use super::state::{Base, Change, Node, Pending};
use super::{Inner, S3Fs};
use crate::store::Precondition;

/// Requests in flight at once during a flush.
const PARALLEL: usize = 16;

/// What a flush did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FlushReport {
    /// Files uploaded.
    pub written: usize,
    /// Objects copied server-side (renames of unmodified files).
    pub copied: usize,
    /// Directory markers created.
    pub markers: usize,
    /// Objects deleted.
    pub deleted: usize,
}

/// A flush that could not apply every change. Nothing is lost: every
/// failed change stays pending and the next flush retries it.
#[derive(Debug, Clone)]
pub struct FlushError {
    /// What was applied.
    pub report: FlushReport,
    /// Each failed path and why.
    pub failed: Vec<VfsError>,
    /// Deletes not attempted because an upload or copy failed.
    pub deletes_held_back: usize,
    /// The bucket (and prefix), for the message.
    pub url: String,
}

impl fmt::Display for FlushError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not save {} change(s) to {}",
            self.failed.len(),
            self.url
        )?;
        for e in &self.failed {
            write!(f, "\n  {e}")?;
        }
        if self.deletes_held_back > 0 {
            write!(
                f,
                "\n  {} delete(s) held back until the above succeed",
                self.deletes_held_back
            )?;
        }
        write!(f, "\nthe changes are kept; flush again to retry")
    }
}

impl std::error::Error for FlushError {}

impl From<FlushError> for VfsError {
    /// The first failure, with every failed path in its detail.
    fn from(err: FlushError) -> VfsError {
        let first = &err.failed[0];
        VfsError::new(first.errno(), "flush", first.path()).with_detail(err.to_string())
    }
}

impl S3Fs {
    /// Applies every pending change to the bucket; see the module docs.
    pub async fn flush(&self) -> Result<FlushReport, FlushError> {
        self.inner.clone().flush_keys(None).await
    }
}

/// One change taken from the map for a flush.
struct Job {
    key: String,
    seq: u64,
    change: Change,
    base: Base,
    /// For a copy: the source is deleted by this same flush and read by
    /// no other copy, so a server that can rename may move it instead.
    moves_source: bool,
}

/// The ETag S3 gives an object uploaded from `bytes`: the MD5 of the
/// bytes, or for a multipart upload the MD5 of the parts' MD5s and the
/// part count.
fn expected_etag(bytes: &[u8], part_size: Option<u64>) -> String {
    use md5::{Digest, Md5};
    let hex = |digest: &[u8]| {
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    match part_size {
        None => format!("\"{}\"", hex(&Md5::digest(bytes))),
        Some(size) => {
            let size = size.max(5 << 20) as usize;
            let parts: Vec<u8> = bytes
                .chunks(size)
                .flat_map(|c| Md5::digest(c).to_vec())
                .collect();
            format!(
                "\"{}-{}\"",
                hex(&Md5::digest(&parts)),
                bytes.len().div_ceil(size)
            )
        }
    }
}

/// Marks the copies whose source this flush deletes and no other copy
/// reads: renames, which Tigris can do server-side without copying bytes.
fn mark_moves(copies: &mut [Job], deletes: &[Job]) {
    let mut readers: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for job in copies.iter() {
        if let Change::Copy { from, .. } = &job.change {
            *readers.entry(from.as_str()).or_default() += 1;
        }
    }
    let deleted: std::collections::HashSet<&str> = deletes.iter().map(|j| j.key.as_str()).collect();
    let moves: Vec<bool> = copies
        .iter()
        .map(|job| match &job.change {
            Change::Copy { from, .. } => {
                readers[from.as_str()] == 1 && deleted.contains(from.as_str())
            }
            _ => false,
        })
        .collect();
    for (job, moves) in copies.iter_mut().zip(moves) {
        job.moves_source = moves;
    }
}

/// What one applied change did to the bucket.
enum Done {
    Written(Option<String>, Option<(Arc<Node>, u64)>),
    Copied(Option<String>),
    Marker,
    Deleted,
}

impl Inner {
    /// Flushes all pending changes, or those of `only` keys.
    pub(crate) async fn flush_keys(
        self: Arc<Self>,
        only: Option<Vec<String>>,
    ) -> Result<FlushReport, FlushError> {
        let _one_at_a_time = self.flush_lock.lock().await;
        let jobs: Vec<Job> = {
            let st = self.state();
            let take = |(key, p): (&String, &Pending)| Job {
                key: key.clone(),
                seq: p.seq,
                change: p.change.clone(),
                base: p.base.clone(),
                moves_source: false,
            };
            match &only {
                None => st.pending.iter().map(take).collect(),
                Some(keys) => keys
                    .iter()
                    .filter_map(|k| st.pending.get_key_value(k))
                    .map(take)
                    .collect(),
            }
        };
        // Copies read objects that a write or delete of this same flush
        // may replace, so they go first.
        let (deletes, rest): (Vec<Job>, Vec<Job>) = jobs
            .into_iter()
            .partition(|j| matches!(j.change, Change::Delete));
        let (mut copies, puts): (Vec<Job>, Vec<Job>) = rest
            .into_iter()
            .partition(|j| matches!(j.change, Change::Copy { .. }));
        if self.config.is_tigris() {
            mark_moves(&mut copies, &deletes);
        }
        let mut report = FlushReport::default();
        let mut failed = Vec::new();
        self.clone().run(copies, &mut report, &mut failed).await;
        if failed.is_empty() {
            self.clone().run(puts, &mut report, &mut failed).await;
        } else {
            // Held back too: a write may replace a copy's failed source.
            for job in &puts {
                failed.push(
                    VfsError::new(Errno::Io, "flush", self.path_of(&job.key))
                        .with_detail("held back until the copies above succeed"),
                );
            }
        }
        if failed.is_empty() {
            if let Err(e) = self.save_manifest().await {
                failed.push(e);
            }
        }
        let deletes_held_back = if failed.is_empty() {
            self.clone().run(deletes, &mut report, &mut failed).await;
            0
        } else {
            deletes.len()
        };
        if failed.is_empty() {
            Ok(report)
        } else {
            failed.sort_by(|a: &VfsError, b| a.path().cmp(b.path()));
            Err(FlushError {
                report,
                failed,
                deletes_held_back,
                url: self.config.url(),
            })
        }
    }

    /// Applies `jobs`, [`PARALLEL`] at a time.
    async fn run(
        self: Arc<Self>,
        jobs: Vec<Job>,
        report: &mut FlushReport,
        failed: &mut Vec<VfsError>,
    ) {
        let mut set = JoinSet::new();
        let mut jobs = jobs.into_iter();
        loop {
            while set.len() < PARALLEL {
                let Some(job) = jobs.next() else { break };
                let inner = self.clone();
                set.spawn(async move {
                    let result = inner.apply(&job).await;
                    (job, result)
                });
            }
            let Some(joined) = set.join_next().await else {
                break;
            };
            let (job, result) = match joined {
                Ok(done) => done,
                Err(panic) => {
                    failed.push(
                        VfsError::new(Errno::Io, "flush", "/")
                            .with_detail(format!("an upload task failed: {panic}")),
                    );
                    continue;
                }
            };
            match result {
                Ok(done) => self.settle_job(&job, done, report),
                Err(e) => failed.push(e),
            }
        }
    }

    /// Sends one change to the bucket.
    async fn apply(&self, job: &Job) -> VfsResult<Done> {
        let path = self.path_of(&job.key);
        let precondition = match &job.base {
            Base::Absent => Precondition::IfAbsent,
            Base::Etag(e) => Precondition::IfMatch(e.clone()),
            Base::Unknown => Precondition::None,
        };
        match &job.change {
            Change::Write(node) => {
                let (bytes, version, dirty) = {
                    let d = node.lock();
                    (Bytes::copy_from_slice(&d.bytes), d.version, d.dirty)
                };
                if !dirty {
                    // Opened for writing but never changed.
                    return Ok(Done::Written(None, None));
                }
                let multipart = bytes.len() as u64 > self.config.multipart_threshold;
                let sent = if multipart {
                    self.store
                        .put_multipart(
                            &job.key,
                            &path,
                            bytes.clone(),
                            self.config.part_size,
                            &precondition,
                        )
                        .await
                } else {
                    self.store
                        .put(&job.key, &path, bytes.clone(), &precondition)
                        .await
                };
                let etag = match sent {
                    Ok(etag) => etag,
                    // A precondition that fails because an earlier attempt
                    // of this very write landed (its answer lost to a crash
                    // or a cut connection) is not a conflict: the object
                    // already holds these bytes.
                    Err(e) if e.errno() == Errno::Exist && precondition != Precondition::None => {
                        let expected =
                            expected_etag(&bytes, multipart.then_some(self.config.part_size));
                        match self.store.head(&job.key, &path).await? {
                            Some(info) if info.etag.as_deref() == Some(expected.as_str()) => {
                                info.etag
                            }
                            _ => return Err(e),
                        }
                    }
                    Err(e) => return Err(e),
                };
                Ok(Done::Written(etag, Some((node.clone(), version))))
            }
            Change::Copy { from, etag, .. } if job.moves_source => {
                // The source's pending delete then finds nothing, which
                // S3 answers with success.
                let new = self
                    .store
                    .rename(from, &job.key, &path, etag.as_deref())
                    .await?;
                Ok(Done::Copied(new))
            }
            Change::Copy { from, etag, .. } => {
                let new = self
                    .store
                    .copy(from, &job.key, &path, etag.as_deref())
                    .await?;
                Ok(Done::Copied(new))
            }
            Change::Marker => {
                self.store
                    .put(&job.key, &path, Bytes::new(), &Precondition::None)
                    .await?;
                Ok(Done::Marker)
            }
            Change::Delete => {
                self.store.delete(&job.key, &path).await?;
                Ok(Done::Deleted)
            }
        }
    }

    /// Records a change the bucket now holds: the pending entry goes away
    /// unless something changed the key again meanwhile, in which case the
    /// later change now replaces what this one wrote.
    fn settle_job(&self, job: &Job, done: Done, report: &mut FlushReport) {
        let now_base = match &done {
            Done::Written(None, None) => None,
            Done::Written(etag, _) | Done::Copied(etag) => Some(match etag {
                Some(e) => Base::Etag(e.clone()),
                None => Base::Unknown,
            }),
            Done::Marker => Some(Base::Unknown),
            Done::Deleted => Some(Base::Absent),
        };
        match &done {
            Done::Written(None, None) => {}
            Done::Written(..) => report.written += 1,
            Done::Copied(_) => report.copied += 1,
            Done::Marker => report.markers += 1,
            Done::Deleted => report.deleted += 1,
        }
        if let Done::Written(etag, Some((node, version))) = &done {
            let mut d = node.lock();
            if d.version == *version {
                d.dirty = false;
                d.etag = etag.clone();
            }
        }
        let mut st = self.state();
        st.seen.remove(&job.key);
        if matches!(done, Done::Deleted) {
            let mut dir = job.key.trim_end_matches('/');
            while let Some((parent, _)) = dir.rsplit_once('/') {
                st.emptied.insert(format!("{parent}/"));
                dir = parent;
            }
            if job.key.ends_with('/') {
                st.emptied.insert(job.key.clone());
            }
        }
        let same = st.pending.get(&job.key).is_some_and(|p| p.seq == job.seq);
        if same {
            st.pending.remove(&job.key);
        } else if let (Some(p), Some(base)) = (st.pending.get_mut(&job.key), now_base) {
            p.base = base;
        }
    }

    /// Uploads the pending change holding `node` (an `fsync`).
    pub(crate) async fn flush_node(self: &Arc<Self>, node: &Arc<Node>) -> VfsResult<()> {
        let key = {
            let st = self.state();
            st.pending.iter().find_map(|(k, p)| match &p.change {
                Change::Write(n) if Arc::ptr_eq(n, node) => Some(k.clone()),
                _ => None,
            })
        };
        match key {
            Some(key) => self
                .clone()
                .flush_keys(Some(vec![key]))
                .await
                .map(drop)
                .map_err(VfsError::from),
            // Unlinked while open, or nothing written: nothing to save.
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    fn job(key: &str, change: Change) -> Job {
        Job {
            key: key.into(),
            seq: 0,
            change,
            base: Base::Unknown,
            moves_source: false,
        }
    }

    fn copy(from: &str) -> Change {
        Change::Copy {
            from: from.into(),
            etag: None,
            size: 0,
            modified: SystemTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn etags_are_predicted() {
        assert_eq!(
            expected_etag(b"", None),
            "\"d41d8cd98f00b204e9800998ecf8427e\""
        );
        let big = vec![7u8; 6 << 20];
        let etag = expected_etag(&big, Some(5 << 20));
        assert!(etag.ends_with("-2\""), "{etag}");
    }

    #[test]
    fn only_renames_become_moves() {
        let mut copies = vec![
            job("b", copy("a")),
            job("d", copy("c")),
            job("e", copy("x")),
            job("f", copy("x")),
        ];
        let deletes = vec![job("a", Change::Delete), job("x", Change::Delete)];
        mark_moves(&mut copies, &deletes);
        let moves: Vec<bool> = copies.iter().map(|j| j.moves_source).collect();
        // a: renamed; c: still there; x: read by two copies.
        assert_eq!(moves, [true, false, false, false]);
    }
}
