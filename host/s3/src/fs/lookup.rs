//! Resolving a path: the local overlay first, then the bucket.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use wasm_agent_vfs::{Errno, Metadata, VfsError, VfsResult};

use super::state::{Base, Change, Node, Pending};
use super::{file_metadata, Inner};

/// What a path is.
#[derive(Debug, Clone)]
pub(crate) enum Found {
    /// A file; the node when its contents are held locally.
    File(FileFound),
    /// A directory.
    Dir,
    /// Nothing.
    Absent,
}

/// A file found by [`Inner::lookup`].
#[derive(Debug, Clone)]
pub(crate) struct FileFound {
    /// Its key.
    pub key: String,
    /// The key whose object holds its bytes: its own, or the source of a
    /// rename not flushed yet.
    pub source: String,
    /// Length.
    pub len: u64,
    /// Last modification.
    pub mtime: SystemTime,
    /// The local node, if any.
    pub node: Option<Arc<Node>>,
    /// What the bucket holds under the key, when known and no local
    /// change shadows it (the base of a change made now).
    pub base: Base,
    /// The file is the fork base's: this location holds nothing there.
    pub in_base: bool,
    /// For a base file: its ETag in the base.
    pub base_etag: Option<String>,
}

impl FileFound {
    /// The ETag of the object the file's bytes are (its own or the
    /// base's).
    pub fn etag(&self) -> Option<String> {
        if self.in_base {
            return self.base_etag.clone();
        }
        match &self.base {
            Base::Etag(e) => Some(e.clone()),
            _ => None,
        }
    }

    pub fn metadata(&self) -> Metadata {
        file_metadata(&self.key, self.len, self.mtime)
    }
}

impl Found {
    /// `stat` of what was found, `ENOENT` for nothing.
    pub fn metadata(&self, inner: &Inner, path: &str) -> VfsResult<Metadata> {
        match self {
            Found::File(f) => Ok(f.metadata()),
            Found::Dir => Ok(inner.dir_metadata(&inner.dir_key(path))),
            Found::Absent => Err(VfsError::new(Errno::NoEnt, "stat", path)),
        }
    }
}

impl Inner {
    /// Resolves `path`: pending changes, then fresh cached knowledge, then
    /// a HEAD of the key and, if there is no such object, a listing of the
    /// prefix (a file wins over a prefix of the same name).
    pub(crate) async fn lookup(&self, path: &str) -> VfsResult<Found> {
        if path == "/" {
            return Ok(Found::Dir);
        }
        let key = self.key(path);
        let dir_key = format!("{key}/");
        let file_deleted = {
            let st = self.state();
            match st.pending.get(&key) {
                Some(Pending {
                    change: Change::Write(node),
                    base,
                    ..
                }) => {
                    let d = node.lock();
                    return Ok(Found::File(FileFound {
                        source: key.clone(),
                        key,
                        len: d.len,
                        mtime: d.mtime,
                        node: Some(node.clone()),
                        base: base.clone(),
                        in_base: false,
                        base_etag: None,
                    }));
                }
                Some(Pending {
                    change:
                        Change::Copy {
                            from,
                            size,
                            modified,
                            ..
                        },
                    base,
                    ..
                }) => {
                    return Ok(Found::File(FileFound {
                        source: from.clone(),
                        key,
                        len: *size,
                        mtime: *modified,
                        node: None,
                        base: base.clone(),
                        in_base: false,
                        base_etag: None,
                    }));
                }
                Some(Pending {
                    change: Change::Delete,
                    ..
                }) => true,
                _ => false,
            }
        };
        if !file_deleted {
            let st = self.state();
            if let Some((info, at)) = st.seen.get(&key) {
                if self.fresh(*at) {
                    return Ok(Found::File(FileFound {
                        key: key.clone(),
                        source: key.clone(),
                        len: info.size,
                        mtime: info.modified,
                        node: st.nodes.get(&key).cloned(),
                        base: Base::of(Some(info)),
                        in_base: false,
                        base_etag: None,
                    }));
                }
            }
        }
        {
            let st = self.state();
            match st.pending.get(&dir_key).map(|p| &p.change) {
                Some(Change::Marker) => return Ok(Found::Dir),
                _ if st.has_pending_below(&dir_key) => return Ok(Found::Dir),
                _ => {}
            }
            let untouched_below = st.pending_below(&dir_key).next().is_none();
            let listed = st.seen_dirs.get(&dir_key).is_some_and(|t| self.fresh(*t));
            if untouched_below && listed && !st.emptied.contains(&dir_key) {
                return Ok(Found::Dir);
            }
        }
        if !file_deleted {
            if let Some(info) = self.store.head(&key, path).await? {
                let mut st = self.state();
                st.seen.insert(key.clone(), (info.clone(), Instant::now()));
                return Ok(Found::File(FileFound {
                    node: st.nodes.get(&key).cloned(),
                    source: key.clone(),
                    key,
                    len: info.size,
                    mtime: info.modified,
                    base: Base::of(Some(&info)),
                    in_base: false,
                    base_etag: None,
                }));
            }
        }
        if self.remote_dir_exists(&dir_key, path).await? {
            let mut st = self.state();
            st.emptied.remove(&dir_key);
            st.seen_dirs.insert(dir_key, Instant::now());
            return Ok(Found::Dir);
        }
        self.lookup_base(path, key, file_deleted).await
    }

    /// A fork's fallback: the base's object at `path`, unless the fork
    /// deleted it.
    async fn lookup_base(&self, path: &str, key: String, own_deleted: bool) -> VfsResult<Found> {
        let Some(base) = &self.base else {
            return Ok(Found::Absent);
        };
        if self.state().fork.hides(path) {
            return Ok(Found::Absent);
        }
        Ok(match Box::pin(base.inner.lookup(path)).await? {
            Found::File(f) => {
                let own = if own_deleted {
                    self.state()
                        .pending
                        .get(&key)
                        .map_or(Base::Absent, |p| p.base.clone())
                } else {
                    Base::Absent
                };
                Found::File(FileFound {
                    base_etag: f.etag(),
                    source: f.source,
                    key,
                    len: f.len,
                    mtime: f.mtime,
                    node: None,
                    base: own,
                    in_base: true,
                })
            }
            other => other,
        })
    }

    /// True when the bucket holds a key below `dir_key` that no pending
    /// change deletes.
    async fn remote_dir_exists(&self, dir_key: &str, path: &str) -> VfsResult<bool> {
        let first = self.store.list(dir_key, path, false, Some(1)).await?;
        let Some((key, _)) = first.objects.first() else {
            return Ok(false);
        };
        if !self.state().is_deleted(key) {
            return Ok(true);
        }
        // The first key is deleted here; look for any survivor.
        let all = self.store.list(dir_key, path, false, None).await?;
        let st = self.state();
        Ok(all.objects.iter().any(|(k, _)| !st.is_deleted(k)))
    }

    /// The parent of `path` must be a directory: `ENOENT` or `ENOTDIR`
    /// for `op` otherwise.
    pub(crate) async fn check_parent(&self, op: &'static str, path: &str) -> VfsResult<()> {
        let Some((parent, _)) = wasm_agent_vfs::path::split_parent(path) else {
            return Ok(());
        };
        match self.lookup(parent).await? {
            Found::Dir => Ok(()),
            Found::File(_) => Err(VfsError::new(Errno::NotDir, op, path)),
            Found::Absent => Err(VfsError::new(Errno::NoEnt, op, path)),
        }
    }
}
