//! Copy-up: bringing lower-layer objects into the upper layer before they
//! change.
//!
//! Every step leaves the merged view unchanged (an upper copy of a lower
//! directory merges with it; an upper copy of a file has the same bytes and
//! times), so readers and forks that look in the middle of a copy-up see a
//! consistent tree. A file's copy is created and filled in one critical
//! section of the upper layer, so no one ever sees it half-written.

use super::marks::Marks;
use super::resolve::{DirRef, Node};
use super::Inner;
use crate::path::{components, split_parent};
use crate::{Errno, FileType, OpenOptions, VfsError, VfsResult};
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

/// A boxed future, for the recursive tree copy.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl Inner {
    /// Makes sure the upper layer has the merged directory `dir` and its
    /// ancestors, copying missing ones (not their contents) from the lower
    /// layer with their times.
    pub(super) async fn ensure_upper_dir(&self, dir: &str) -> VfsResult<()> {
        if self.upper.stat_errno(dir, false).is_ok_and(|m| m.is_dir()) {
            return Ok(());
        }
        let mut prefix = String::with_capacity(dir.len());
        for component in components(dir) {
            prefix.push('/');
            prefix.push_str(component);
            if self.upper.stat_errno(&prefix, false).is_ok() {
                continue;
            }
            let meta = self.lower.symlink_metadata(&prefix).await?;
            if !meta.is_dir() {
                return Err(VfsError::new(Errno::NotDir, "copy-up", prefix));
            }
            let now = SystemTime::now();
            self.mark_modified();
            self.upper
                .with_core(|tree, _| {
                    tree.mkdir(&prefix, now)?;
                    tree.set_mode(&prefix, meta.mode, now)?;
                    tree.set_times(&prefix, Some(meta.atime), Some(meta.mtime), false, now)
                })
                .map_err(|errno| VfsError::new(errno, "copy-up", &prefix))?;
        }
        Ok(())
    }

    /// Copies the lower-layer object `node` up (a directory without its
    /// contents); nothing to do if the upper layer already has it.
    ///
    /// All or nothing: if the quota cannot hold the whole file, nothing is
    /// left in the upper layer and the caller gets `ENOSPC`.
    pub(super) async fn copy_up(&self, node: &Node) -> VfsResult<()> {
        self.copy_up_with(node, true).await
    }

    /// Like [`Inner::copy_up`]; with `data` false a file's bytes are left
    /// behind, for an open with `O_TRUNC` that would discard them anyway.
    pub(super) async fn copy_up_with(&self, node: &Node, data: bool) -> VfsResult<()> {
        if node.upper.is_some() {
            return Ok(());
        }
        let meta = node.meta().clone();
        let parent = split_parent(&node.path).map_or("/", |(parent, _)| parent);
        self.ensure_upper_dir(parent).await?;
        let path = node.path.as_str();
        let fail = |errno| VfsError::new(errno, "copy-up", path);
        match meta.file_type {
            FileType::Dir => self.ensure_upper_dir(path).await,
            // A device cannot be copied into memory; it is used in place
            // (see `open`), so only metadata changes get here.
            FileType::CharDevice => Err(fail(Errno::Perm)),
            FileType::Symlink => {
                let target = self.lower.read_link(path).await?;
                let now = SystemTime::now();
                self.mark_modified();
                self.upper
                    .with_core(|tree, _| {
                        tree.symlink(&target, path, now)?;
                        tree.set_times(path, Some(meta.atime), Some(meta.mtime), false, now)
                    })
                    .map_err(fail)
            }
            FileType::File => {
                let data = if data {
                    self.lower.read_file(path).await?
                } else {
                    Vec::new()
                };
                let now = SystemTime::now();
                self.mark_modified();
                self.upper
                    .with_core(|tree, open| {
                        let ino = tree.open(path, &OpenOptions::write_truncate(), now)?;
                        let written = tree.write_at(ino, &data, 0, now);
                        if written != Ok(data.len()) {
                            tree.unlink(path, open, now)?;
                            return Err(written.err().unwrap_or(Errno::NoSpc));
                        }
                        tree.set_mode(path, meta.mode, now)?;
                        tree.set_inode_times(ino, Some(meta.atime), Some(meta.mtime), now);
                        Ok(())
                    })
                    .map_err(fail)
            }
        }
    }

    /// Copies the merged directory `dir` and everything below it into the
    /// upper layer, so that it can move as a whole (a rename).
    pub(super) fn copy_up_tree<'a>(
        &'a self,
        marks: &'a Marks,
        dir: DirRef,
    ) -> BoxFuture<'a, VfsResult<()>> {
        Box::pin(async move {
            self.ensure_upper_dir(&dir.path).await?;
            if !dir.lower_ok {
                return Ok(());
            }
            let entries = match self.lower.read_dir(&dir.path).await {
                Ok(entries) => entries,
                Err(e) if matches!(e.errno(), Errno::NoEnt | Errno::NotDir) => return Ok(()),
                Err(e) => return Err(e),
            };
            for entry in entries {
                let Some(node) = self.lookup(marks, &dir, &entry.name).await? else {
                    continue;
                };
                match node.file_type() {
                    FileType::Dir => self.copy_up_tree(marks, node.as_dir()).await?,
                    _ => self.copy_up(&node).await?,
                }
            }
            Ok(())
        })
    }
}
