//! Portable copy-on-write forks of a bucket location, for any S3 server.
//!
//! A fork is a location of its own (another bucket, or a prefix outside
//! its base) that holds only what the fork changed, plus a manifest
//! object, `.wasm-agent-fork.json`, naming its base and recording
//! *whiteouts* (paths whose base objects the fork deleted) and, for every
//! path it changed, the base's ETag at that moment. Reads of anything the
//! fork did not change go through to the base, so creating a fork is one
//! PUT, whatever the size of the base.
//!
//! The base stays live: the fork sees later changes to the base wherever
//! it has not written or deleted itself (like a sandbox fork over a host
//! directory). To fork a frozen state, fork a snapshot.
//!
//! Mounting a fork's location mounts the fork (the manifest is found by
//! [`S3Fs::connect`]), so forks can be handed to `wasm-agent exec --s3`
//! like any bucket. Forks of forks chain.
//!
//! [`S3Fs::changes`] lists what the fork changed in O(changes), and
//! [`S3Fs::merge_into_base`] applies it to the base, reporting as a
//! conflict every path the base changed too since the fork touched it.

use aws_sdk_s3::Client;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};
use wasm_agent_vfs::{Change, Changes, Errno, FileType, OnConflict, Vfs, VfsError, VfsResult};

use super::lookup::Found;
use super::S3Fs;
use crate::config::{S3Config, WritePolicy};
use crate::store::{Fetched, Precondition, Store};

/// The manifest's name at the root of a fork.
pub(crate) const MANIFEST: &str = ".wasm-agent-fork.json";

/// What the manifest holds.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Format version.
    pub format: u32,
    /// The base's bucket.
    pub base_bucket: String,
    /// The base's key prefix.
    pub base_prefix: String,
    /// Seconds since the epoch when the fork was made.
    pub created: u64,
    /// Whited-out paths.
    #[serde(default)]
    pub whiteouts: Vec<String>,
    /// Changed paths and the base's ETag when they were first changed.
    #[serde(default)]
    pub touched: BTreeMap<String, Option<String>>,
}

/// A path both the fork and its base changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkConflict {
    /// The path.
    pub path: String,
    /// What happened on each side.
    pub reason: String,
}

/// What [`S3Fs::merge_into_base`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForkMerge {
    /// The changes written to the base.
    pub applied: Changes,
    /// Paths changed on both sides; left as the base has them unless the
    /// merge took the fork's side.
    pub conflicts: Vec<ForkConflict>,
}

impl S3Fs {
    /// Connects like [`S3Fs::connect`] with a ready client, and mounts the
    /// base chain when the location is a fork.
    pub(crate) async fn open_with_client(config: S3Config, client: Client) -> VfsResult<S3Fs> {
        let root = config.key_of("/");
        let prefix = if root.is_empty() {
            String::new()
        } else {
            format!("{root}/")
        };
        let store = Store::new(
            client.clone(),
            config.bucket.clone(),
            config.snapshot_version.clone(),
        );
        store.list(&prefix, "/", true, Some(1)).await?;
        let manifest_key = config.key_of(&format!("/{MANIFEST}"));
        let manifest = match store.get(&manifest_key, "/", None, None).await {
            Ok(Fetched::Body(bytes, info)) => Some((parse_manifest(&config, &bytes)?, info.etag)),
            Ok(Fetched::NotModified) => None,
            Err(e) if e.errno() == Errno::NoEnt => None,
            Err(e) => return Err(e),
        };
        let Some((manifest, etag)) = manifest else {
            return Ok(S3Fs::with_client(config, client));
        };
        let mut base_config = config.clone();
        base_config.bucket = manifest.base_bucket.clone();
        base_config.prefix = manifest.base_prefix.clone();
        base_config.read_only = true;
        let base = Box::pin(S3Fs::open_with_client(base_config, client.clone())).await?;
        let fs = S3Fs::build(config, client, Some(base));
        {
            let mut st = fs.inner.state();
            st.fork.whiteouts = manifest.whiteouts.into_iter().collect();
            st.fork.touched = manifest.touched;
            st.fork.etag = etag;
        }
        Ok(fs)
    }

    /// The base this filesystem is a fork of, if it is one.
    pub fn base(&self) -> Option<&S3Fs> {
        self.inner.base.as_ref()
    }

    /// Makes a copy-on-write fork of this location at `bucket`/`prefix`
    /// (same endpoint and keys) and mounts it. Pending changes are flushed
    /// first, so the fork starts from what this filesystem shows. The
    /// location must be empty and must not lie inside this one.
    ///
    /// On Tigris, a fork of a whole bucket into a new bucket is Tigris'
    /// native fork (the bucket is created by it); anything else, on any
    /// server, is a portable fork with a manifest (see the module docs).
    pub async fn fork_to(&self, bucket: &str, prefix: &str) -> VfsResult<S3Fs> {
        Vfs::flush(self).await?;
        let mut target = self.inner.config.clone();
        target.bucket = bucket.to_owned();
        target.prefix = prefix.trim_matches('/').to_owned();
        target.read_only = false;
        target.snapshot_version = None;
        let source = &self.inner.config;
        if source.is_tigris() && source.prefix.is_empty() && target.prefix.is_empty() {
            // Whole buckets on Tigris: its own fork, server-side and
            // copy-on-write too, instead of a manifest.
            crate::Tigris::from_client(self.client().clone())
                .fork(&source.bucket, bucket, None)
                .await
                .map_err(tigris_error)?;
            return S3Fs::open_with_client(target, self.client().clone()).await;
        }
        let store = self.check_target("fork", &target).await?;
        let manifest = Manifest {
            format: 1,
            base_bucket: source.bucket.clone(),
            base_prefix: source.prefix.clone(),
            created: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            whiteouts: Vec::new(),
            touched: BTreeMap::new(),
        };
        let key = target.key_of(&format!("/{MANIFEST}"));
        store
            .put(
                &key,
                "/",
                manifest_bytes(&manifest),
                &Precondition::IfAbsent,
            )
            .await?;
        S3Fs::open_with_client(target, self.client().clone()).await
    }

    /// Checks that `target` is an empty location outside this one; returns
    /// a store for its bucket.
    async fn check_target(&self, op: &'static str, target: &S3Config) -> VfsResult<Store> {
        let url = target.url();
        let fail = |errno, why: String| Err(VfsError::new(errno, op, "/").with_detail(why));
        let source = &self.inner.config;
        if target.bucket == source.bucket
            && (source.prefix.is_empty()
                || target.prefix == source.prefix
                || target.prefix.starts_with(&format!("{}/", source.prefix)))
        {
            return fail(
                Errno::Inval,
                format!(
                    "{url} lies inside {}, the location it would copy; \
                     use another bucket or a sibling prefix",
                    source.url()
                ),
            );
        }
        let store = Store::new(self.client().clone(), target.bucket.clone(), None);
        let root = target.key_of("/");
        let prefix = if root.is_empty() { root } else { root + "/" };
        if !store
            .list(&prefix, "/", false, Some(1))
            .await?
            .objects
            .is_empty()
        {
            return fail(
                Errno::Exist,
                format!("{url} is not empty; choose an empty location"),
            );
        }
        Ok(store)
    }

    /// Copies every object of this location into `bucket`/`prefix` with
    /// server-side copies (no bytes pass through this process): a portable
    /// snapshot, costing one request per object. Pending changes are
    /// flushed first; `progress(done, total)` is called as copies finish.
    /// The target must be empty and outside this location. A snapshot of a
    /// fork is a fork of the same base (its manifest is copied too), so it
    /// still reads through to that base. Returns the number of objects
    /// copied; the error of a failed copy names its path.
    pub async fn copy_to(
        &self,
        bucket: &str,
        prefix: &str,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> VfsResult<usize> {
        Vfs::flush(self).await?;
        let mut target = self.inner.config.clone();
        target.bucket = bucket.to_owned();
        target.prefix = prefix.trim_matches('/').to_owned();
        let store = self.check_target("snapshot", &target).await?;
        let root = self.inner.key("/");
        let list_prefix = if root.is_empty() {
            root.clone()
        } else {
            format!("{root}/")
        };
        let listing = self
            .inner
            .store
            .list(&list_prefix, "/", false, None)
            .await?;
        let total = listing.objects.len();
        let mut done = 0;
        let mut set = tokio::task::JoinSet::new();
        let mut objects = listing.objects.into_iter();
        let source_bucket = self.inner.config.bucket.clone();
        loop {
            while set.len() < 16 {
                let Some((key, info)) = objects.next() else {
                    break;
                };
                let path = self.inner.path_of(&key);
                let to = target.key_of(&path);
                let to = match (key.ends_with('/'), to.is_empty()) {
                    // The root's own marker, copied to a bucket's root.
                    (true, true) => {
                        done += 1;
                        continue;
                    }
                    (true, false) => to + "/",
                    (false, _) => to,
                };
                let (store, source_bucket) = (store.clone(), source_bucket.clone());
                set.spawn(async move {
                    if key.ends_with('/') {
                        // A directory marker holds nothing to copy (and some
                        // servers keep it as a directory, not an object).
                        return store
                            .put(&to, &path, Bytes::new(), &Precondition::None)
                            .await;
                    }
                    store
                        .copy_from(&source_bucket, &key, &to, &path, info.etag.as_deref())
                        .await
                });
            }
            let Some(joined) = set.join_next().await else {
                break;
            };
            joined.map_err(|e| {
                VfsError::new(Errno::Io, "snapshot", "/")
                    .with_detail(format!("a copy task failed: {e}"))
            })??;
            done += 1;
            progress(done, total);
        }
        Ok(done)
    }

    /// What this fork changed relative to its base: files added, modified
    /// and deleted (directories are not listed). Costs one lookup per
    /// changed path, not a walk of the tree. `EINVAL` if this is not a fork.
    pub async fn changes(&self) -> VfsResult<Changes> {
        let base = self.require_base("diff")?;
        let (touched, whiteouts) = {
            let st = self.inner.state();
            (
                st.fork.touched.clone(),
                st.fork.whiteouts.iter().cloned().collect::<Vec<_>>(),
            )
        };
        let mut changes = Changes::default();
        for (path, was) in &touched {
            let now = self.inner.lookup(path).await?;
            let list = match (&now, was) {
                (Found::File(_), None) => &mut changes.added,
                // The same bytes as the base had (written back unchanged,
                // or merged into the base since).
                (Found::File(f), Some(was)) if f.etag().as_ref() == Some(was) => continue,
                (Found::File(_), Some(_)) => &mut changes.modified,
                (Found::Absent, Some(_)) => &mut changes.deleted,
                _ => continue,
            };
            list.push(Change {
                path: path.clone(),
                kind: FileType::File,
            });
        }
        // Base files deleted with a whole directory and never touched one
        // by one (a directory moved away).
        for dir in whiteouts {
            for path in base_files_below(base, &dir).await? {
                if !touched.contains_key(&path)
                    && matches!(self.inner.lookup(&path).await?, Found::Absent)
                {
                    changes.deleted.push(Change {
                        path,
                        kind: FileType::File,
                    });
                }
            }
        }
        for list in [
            &mut changes.added,
            &mut changes.modified,
            &mut changes.deleted,
        ] {
            list.sort_by(|a, b| a.path.cmp(&b.path));
            list.dedup();
        }
        Ok(changes)
    }

    /// Applies this fork's changes to its base. A path the base changed
    /// too since the fork first changed it is a conflict: with
    /// [`OnConflict::KeepOurs`] (the base is "ours") it is left as the
    /// base has it, with [`OnConflict::TakeTheirs`] the fork's version is
    /// written, and with [`OnConflict::Fail`] nothing at all is applied.
    /// The base's writes are conditional, so a writer racing the merge
    /// makes it fail for that path instead of being overwritten.
    pub async fn merge_into_base(&self, on_conflict: OnConflict) -> VfsResult<ForkMerge> {
        let base = self.require_base("merge")?;
        Vfs::flush(self).await?;
        let changes = self.changes().await?;
        let mut base_config = base.config().clone();
        base_config.read_only = false;
        base_config.write_policy = WritePolicy::WriteBack;
        let target = S3Fs::open_with_client(base_config, self.client().clone()).await?;
        let touched = self.inner.state().fork.touched.clone();
        let mut merge = ForkMerge::default();
        let mut plan = Vec::new();
        for (change, deleted) in changes
            .added
            .iter()
            .chain(&changes.modified)
            .map(|c| (c, false))
            .chain(changes.deleted.iter().map(|c| (c, true)))
        {
            let was = touched.get(&change.path).cloned().flatten();
            let now = match target.inner.lookup(&change.path).await? {
                Found::File(f) => f.etag(),
                Found::Dir => Some("(a directory)".to_owned()),
                Found::Absent => None,
            };
            let ours = match self.inner.lookup(&change.path).await? {
                Found::File(f) => f.etag(),
                _ => None,
            };
            if now == ours {
                // The base already holds what the fork holds.
                continue;
            }
            let recorded = touched.contains_key(&change.path);
            if recorded && now != was {
                merge.conflicts.push(ForkConflict {
                    path: change.path.clone(),
                    reason: match (&was, &now) {
                        (None, Some(_)) => "created in both".to_owned(),
                        (Some(_), None) => "deleted in the base, changed in the fork".to_owned(),
                        _ => "changed in both".to_owned(),
                    },
                });
                if on_conflict != OnConflict::TakeTheirs {
                    continue;
                }
            }
            plan.push((change.clone(), deleted));
        }
        if on_conflict == OnConflict::Fail && !merge.conflicts.is_empty() {
            let paths: Vec<&str> = merge.conflicts.iter().map(|c| c.path.as_str()).collect();
            return Err(
                VfsError::new(Errno::Exist, "merge", &merge.conflicts[0].path).with_detail(
                    format!(
                        "changed in both the fork and its base, nothing merged: {}",
                        paths.join(", ")
                    ),
                ),
            );
        }
        for (change, deleted) in plan {
            if deleted {
                match target.remove_file(&change.path).await {
                    Err(e) if e.errno() != Errno::NoEnt => return Err(e),
                    _ => merge.applied.deleted.push(change),
                }
                continue;
            }
            let data = self.read_file(&change.path).await?;
            if let Some((parent, _)) = wasm_agent_vfs::path::split_parent(&change.path) {
                target.create_dir_all(parent).await?;
            }
            target.write_file(&change.path, &data).await?;
            if touched.get(&change.path).is_some_and(Option::is_some) {
                merge.applied.modified.push(change);
            } else {
                merge.applied.added.push(change);
            }
        }
        target.flush().await.map_err(VfsError::from)?;
        // The base now holds the merged paths: later changes of the fork
        // are measured from there, so merging again finds no conflict.
        let applied: Vec<String> = merge
            .applied
            .added
            .iter()
            .chain(&merge.applied.modified)
            .chain(&merge.applied.deleted)
            .map(|c| c.path.clone())
            .collect();
        for path in applied {
            let etag = match target.inner.lookup(&path).await? {
                Found::File(f) => f.etag(),
                _ => None,
            };
            let mut st = self.inner.state();
            st.fork.touched.insert(path, etag);
            st.fork.dirty = true;
        }
        self.inner.save_manifest().await?;
        Ok(merge)
    }

    fn require_base(&self, op: &'static str) -> VfsResult<&S3Fs> {
        self.inner.base.as_ref().ok_or_else(|| {
            VfsError::new(Errno::Inval, op, "/").with_detail(format!(
                "{} is not a fork (it has no {MANIFEST})",
                self.inner.config.url()
            ))
        })
    }
}

impl super::Inner {
    /// Saves the manifest when the fork's bookkeeping changed; run by a
    /// flush after the uploads, so a whiteout never hides a base object
    /// before the fork's own replacement is stored.
    pub(crate) async fn save_manifest(&self) -> VfsResult<()> {
        let Some(base) = &self.base else {
            return Ok(());
        };
        let (manifest, etag) = {
            let st = self.state();
            if !st.fork.dirty {
                return Ok(());
            }
            let manifest = Manifest {
                format: 1,
                base_bucket: base.config().bucket.clone(),
                base_prefix: base.config().prefix.clone(),
                created: 0,
                whiteouts: st.fork.whiteouts.iter().cloned().collect(),
                touched: st.fork.touched.clone(),
            };
            (manifest, st.fork.etag.clone())
        };
        let key = self.config.key_of(&format!("/{MANIFEST}"));
        let precondition = match etag {
            Some(e) => Precondition::IfMatch(e),
            None => Precondition::None,
        };
        let new_etag = self
            .store
            .put(
                &key,
                &format!("/{MANIFEST}"),
                manifest_bytes(&manifest),
                &precondition,
            )
            .await?;
        let mut st = self.state();
        st.fork.etag = new_etag;
        st.fork.dirty = false;
        Ok(())
    }
}

/// A Tigris failure as a filesystem error, keeping its message.
fn tigris_error(err: crate::tigris::TigrisError) -> VfsError {
    use crate::tigris::ErrorKind;
    let errno = match err.kind() {
        ErrorKind::NotFound => Errno::NoEnt,
        ErrorKind::AccessDenied => Errno::Acces,
        ErrorKind::AlreadyExists => Errno::Exist,
        ErrorKind::InvalidInput => Errno::Inval,
        ErrorKind::Unsupported | ErrorKind::NotSnapshotEnabled => Errno::NotSup,
        _ => Errno::Io,
    };
    VfsError::new(errno, "fork", "/").with_detail(err.to_string())
}

/// Every file below `dir` in `base` (or `dir` itself if it is a file).
async fn base_files_below(base: &S3Fs, dir: &str) -> VfsResult<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(path) = stack.pop() {
        match base.inner.lookup(&path).await? {
            Found::File(_) => out.push(path),
            Found::Dir => {
                for entry in base.read_dir(&path).await? {
                    stack.push(super::vfs_impl::child_path(&path, &entry.name));
                }
            }
            Found::Absent => {}
        }
    }
    Ok(out)
}

fn manifest_bytes(manifest: &Manifest) -> Bytes {
    Bytes::from(serde_json::to_vec_pretty(manifest).unwrap_or_default())
}

fn parse_manifest(config: &S3Config, bytes: &[u8]) -> VfsResult<Manifest> {
    serde_json::from_slice(bytes).map_err(|e| {
        VfsError::new(Errno::Inval, "mount", "/").with_detail(format!(
            "{}/{MANIFEST} is not a valid fork manifest ({e}); \
             remove it to mount the location as a plain bucket",
            config.url()
        ))
    })
}
