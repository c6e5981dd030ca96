//! `rename(2)` on a bucket.
//!
//! S3 has no rename: a file's rename becomes a pending server-side copy
//! and a delete of the source (or just moves the pending upload of a file
//! written here), and a directory's rename does that for every key below
//! it. The flush applies copies before deletes, so a copy that fails never
//! loses the source; each failed key is reported by the flush.

use std::collections::BTreeMap;
use wasm_agent_vfs::path::is_within;
use wasm_agent_vfs::{Errno, FileType, Vfs, VfsError, VfsResult};

use super::lookup::{FileFound, Found};
use super::state::{Base, Change, Pending, State};
use super::vfs_impl::keep_parent;
use super::{Inner, S3Fs};
use crate::store::ObjectInfo;

impl Inner {
    /// Moves one file's key from `file.key` to `to_key`, whose bucket state
    /// is `to_base`.
    fn move_file(&self, st: &mut State, file: &FileFound, to_key: &str, to_base: Base) {
        let change = match st.pending.get(&file.key).map(|p| &p.change) {
            Some(change @ (Change::Write(_) | Change::Copy { .. })) => change.clone(),
            _ => Change::Copy {
                from: file.key.clone(),
                etag: match &file.base {
                    Base::Etag(e) => Some(e.clone()),
                    _ => None,
                },
                size: file.len,
                modified: file.mtime,
            },
        };
        st.set_pending(to_key, change, to_base);
        st.record_removal(&file.key, file.base.clone());
        if let Some(node) = st.nodes.remove(&file.key) {
            st.nodes.insert(to_key.to_owned(), node);
        }
        st.seen.remove(&file.key);
        st.seen.remove(to_key);
    }

    /// Moves every key below directory `from` to below `to`.
    async fn move_dir(&self, from: &str, to: &str) -> VfsResult<()> {
        let from_prefix = self.dir_key(from);
        let to_prefix = self.dir_key(to);
        let remote = self.store.list(&from_prefix, from, false, None).await?;
        let mut st = self.state();
        // Every key below `from` as this filesystem sees it: the bucket's,
        // minus local deletes, plus local changes.
        let mut keys: BTreeMap<String, Option<ObjectInfo>> = BTreeMap::new();
        for (key, info) in remote.objects {
            if !st.is_deleted(&key) {
                keys.insert(key, Some(info));
            }
        }
        for (key, pending) in st.pending_below(&from_prefix) {
            if !matches!(pending.change, Change::Delete) {
                keys.insert(key.clone(), None);
            }
        }
        for (key, info) in keys {
            let new_key = format!("{to_prefix}{}", &key[from_prefix.len()..]);
            if key.ends_with('/') {
                st.set_pending(&new_key, Change::Marker, Base::Unknown);
                st.record_removal(&key, Base::Unknown);
                continue;
            }
            let (len, mtime, base) = match (&info, st.pending.get(&key)) {
                (
                    _,
                    Some(Pending {
                        change: Change::Write(node),
                        base,
                        ..
                    }),
                ) => {
                    let d = node.lock();
                    (d.len, d.mtime, base.clone())
                }
                (
                    _,
                    Some(Pending {
                        change: Change::Copy { size, modified, .. },
                        base,
                        ..
                    }),
                ) => (*size, *modified, base.clone()),
                (Some(info), _) => (info.size, info.modified, Base::of(Some(info))),
                (None, _) => continue,
            };
            let file = FileFound {
                source: key.clone(),
                key: key.clone(),
                len,
                mtime,
                node: None,
                base,
                in_base: false,
                base_etag: None,
            };
            self.move_file(&mut st, &file, &new_key, Base::Unknown);
        }
        st.set_pending(&to_prefix, Change::Marker, Base::Unknown);
        st.record_removal(&from_prefix, Base::Unknown);
        st.seen_dirs.retain(|k, _| !k.starts_with(&from_prefix));
        Ok(())
    }
}

impl S3Fs {
    /// `rename(2)`; see the module docs.
    pub(crate) async fn rename_path(&self, from: &str, to: &str) -> VfsResult<()> {
        let inner = &self.inner;
        if from == "/" || to == "/" {
            return Err(VfsError::new(Errno::Busy, "rename", from));
        }
        let source = inner.lookup(from).await?;
        if matches!(source, Found::Absent) {
            return Err(VfsError::new(Errno::NoEnt, "rename", from));
        }
        if from == to {
            return Ok(());
        }
        inner.check_parent("rename", to).await?;
        let target = inner.lookup(to).await?;
        match (&source, &target) {
            (Found::File(_), Found::Dir) => {
                return Err(VfsError::new(Errno::IsDir, "rename", to));
            }
            (Found::Dir, Found::File(_)) => {
                return Err(VfsError::new(Errno::NotDir, "rename", to));
            }
            (Found::Dir, _) if is_within(to, from) => {
                return Err(VfsError::new(Errno::Inval, "rename", to));
            }
            (Found::Dir, Found::Dir) if !self.read_dir(to).await?.is_empty() => {
                return Err(VfsError::new(Errno::NotEmpty, "rename", to));
            }
            _ => {}
        }
        match source {
            Found::File(file) if file.in_base => {
                self.copy_up(from, to, &file.base_etag, &target).await?;
                let mut st = inner.state();
                st.fork.touch(from, file.base_etag.clone());
                st.fork.white_out(from);
            }
            Found::File(file) => {
                let to_base = match target {
                    Found::File(t) => t.base,
                    _ => Base::Absent,
                };
                let to_key = inner.key(to);
                let mut st = inner.state();
                inner.move_file(&mut st, &file, &to_key, to_base);
            }
            Found::Dir => {
                inner.move_dir(from, to).await?;
                if let Some(base) = &inner.base {
                    self.move_base_dir(base, from, to).await?;
                }
            }
            Found::Absent => unreachable!("checked above"),
        }
        if inner.base.is_some() {
            let mut st = inner.state();
            st.fork.touch(from, None);
            st.fork.white_out(from);
        }
        keep_parent(inner, from);
        Ok(())
    }

    /// A fork's rename of a base file: its bytes are written to the fork
    /// at `to` (S3 cannot copy between arbitrary locations and chains).
    async fn copy_up(
        &self,
        from: &str,
        to: &str,
        etag: &Option<String>,
        target: &Found,
    ) -> VfsResult<()> {
        let base = self.inner.base.as_ref().expect("a base file has a base");
        let data = base.read_file(from).await?;
        self.write_file(to, &data).await?;
        let mut st = self.inner.state();
        let to_etag = match target {
            Found::File(t) => t.etag(),
            _ => None,
        };
        st.fork.touch(to, to_etag);
        st.fork.touch(from, etag.clone());
        Ok(())
    }

    /// The base's files below a renamed directory, copied up to their new
    /// paths (the fork's own keys were moved already and win).
    async fn move_base_dir(&self, base: &S3Fs, from: &str, to: &str) -> VfsResult<()> {
        if self.inner.state().fork.hides(from) {
            return Ok(());
        }
        let mut stack = vec![from.to_owned()];
        while let Some(dir) = stack.pop() {
            let entries = match base.read_dir(&dir).await {
                Ok(entries) => entries,
                Err(e) if e.errno() == Errno::NoEnt => continue,
                Err(e) => return Err(e),
            };
            let new_dir = format!("{to}{}", &dir[from.len()..]);
            if entries.is_empty() {
                // Keep an empty base directory.
                let _ = self.create_dir(&new_dir).await;
            }
            for entry in entries {
                let old = super::vfs_impl::child_path(&dir, &entry.name);
                let new = super::vfs_impl::child_path(&new_dir, &entry.name);
                if self.inner.state().fork.hides(&old) {
                    continue;
                }
                match entry.file_type {
                    FileType::Dir => stack.push(old),
                    _ => {
                        if self.exists(&new).await {
                            continue;
                        }
                        let data = base.read_file(&old).await?;
                        if let Some((parent, _)) = wasm_agent_vfs::path::split_parent(&new) {
                            self.create_dir_all(parent).await?;
                        }
                        self.write_file(&new, &data).await?;
                        let etag = base.content_etag(&old).await?;
                        let mut st = self.inner.state();
                        st.fork.touch(&new, None);
                        st.fork.touch(&old, etag);
                    }
                }
            }
        }
        Ok(())
    }

    /// The ETag of the file at `path`, if it is one.
    pub(crate) async fn content_etag(&self, path: &str) -> VfsResult<Option<String>> {
        Ok(match self.inner.lookup(path).await? {
            Found::File(f) => f.etag(),
            _ => None,
        })
    }
}
