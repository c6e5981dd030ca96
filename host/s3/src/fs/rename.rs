//! `rename(2)` on a bucket.
//!
//! S3 has no rename: a file's rename becomes a pending server-side copy
//! and a delete of the source (or just moves the pending upload of a file
//! written here), and a directory's rename does that for every key below
//! it. The flush applies copies before deletes, so a copy that fails never
//! loses the source; each failed key is reported by the flush.

use std::collections::BTreeMap;
use wasm_agent_vfs::path::is_within;
use wasm_agent_vfs::{Errno, Vfs, VfsError, VfsResult};

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
            Found::File(file) => {
                let to_base = match target {
                    Found::File(t) => t.base,
                    _ => Base::Absent,
                };
                let to_key = inner.key(to);
                let mut st = inner.state();
                inner.move_file(&mut st, &file, &to_key, to_base);
            }
            Found::Dir => inner.move_dir(from, to).await?,
            Found::Absent => unreachable!("checked above"),
        }
        keep_parent(inner, from);
        Ok(())
    }
}
