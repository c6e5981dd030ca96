//! The overlay's operations: resolve in the merged view, copy up what is
//! about to change, then apply the change to the upper layer and the marks
//! in one step (under the marks lock, which [`Vfs::fork`](crate::Vfs::fork)
//! also takes, so a fork never sees one without the other).
//!
//! Changing operations hold the overlay's gate for their whole duration,
//! including the awaits on the lower layer, so two changes never interleave
//! their check-then-act sequences. Reads take no gate: every intermediate
//! state they can see is a consistent merged view.

use super::file::LowerFile;
use super::marks::Marks;
use super::resolve::{child_path, DirRef, Target};
use super::Inner;
use crate::memory::{OpenCounts, Tree};
use crate::path::is_within;
use crate::{DirEntry, Errno, FileType, Metadata, OpenOptions, VfsError, VfsFile, VfsResult};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::SystemTime;

impl Inner {
    /// A consistent copy of the marks (O(1)).
    pub(super) fn marks(&self) -> Marks {
        self.marks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Applies a change to the upper tree and the marks atomically. `f`
    /// must change the marks only after its tree changes succeeded.
    fn apply<R>(
        &self,
        op: &'static str,
        path: &str,
        f: impl FnOnce(&mut Tree, &OpenCounts, &mut Marks, SystemTime) -> Result<R, Errno>,
    ) -> VfsResult<R> {
        let now = SystemTime::now();
        let mut marks = self
            .marks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.mark_modified();
        self.upper
            .with_core(|tree, open| f(tree, open, &mut marks, now))
            .map_err(|errno| VfsError::new(errno, op, path))
    }

    /// `stat`/`lstat` in the merged view.
    pub(super) async fn stat(&self, path: &str, follow: bool) -> VfsResult<Metadata> {
        // The root's metadata is the upper root's, modified or not.
        if path != "/" {
            let lower = if follow {
                self.lower.metadata(path)
            } else {
                self.lower.symlink_metadata(path)
            };
            if let Some(result) = self.fast(lower).await {
                return result;
            }
        }
        let op = if follow { "stat" } else { "lstat" };
        match self.resolve(&self.marks(), path, follow, op).await? {
            Target::Dir(dir) => self.dir_metadata(&dir).await,
            Target::Entry {
                node: Some(node), ..
            } => Ok(node.meta().clone()),
            Target::Entry { node: None, .. } => Err(VfsError::new(Errno::NoEnt, op, path)),
        }
    }

    /// The merged listing: upper entries, then lower entries that are
    /// neither shadowed nor whited out.
    pub(super) async fn list(&self, marks: &Marks, dir: &DirRef) -> VfsResult<Vec<DirEntry>> {
        let mut entries: BTreeMap<String, DirEntry> = BTreeMap::new();
        if let Ok(list) = self.upper.with_core(|tree, _| tree.list(&dir.path)) {
            entries.extend(list.into_iter().map(|e| (e.name.clone(), e)));
        }
        if dir.lower_ok {
            let hidden: HashSet<&str> = marks.whiteouts_in(&dir.path).collect();
            match self.lower.read_dir(&dir.path).await {
                Ok(list) => {
                    for entry in list {
                        if !hidden.contains(entry.name.as_str()) {
                            entries.entry(entry.name.clone()).or_insert(entry);
                        }
                    }
                }
                Err(e) if matches!(e.errno(), Errno::NoEnt | Errno::NotDir) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(entries.into_values().collect())
    }

    /// `read_dir` in the merged view.
    pub(super) async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        if let Some(result) = self.fast(self.lower.read_dir(path)).await {
            return result;
        }
        let marks = self.marks();
        let dir = match self.resolve(&marks, path, true, "opendir").await? {
            Target::Dir(dir) => dir,
            Target::Entry {
                node: Some(node), ..
            } if node.file_type() == FileType::Dir => node.as_dir(),
            Target::Entry { node: Some(_), .. } => {
                return Err(VfsError::new(Errno::NotDir, "opendir", path))
            }
            Target::Entry { node: None, .. } => {
                return Err(VfsError::new(Errno::NoEnt, "opendir", path))
            }
        };
        self.list(&marks, &dir).await
    }

    /// `open`: lower files open read-only in place and are copied up when
    /// opened for writing or truncation.
    pub(super) async fn open(
        self: &Arc<Self>,
        path: &str,
        options: OpenOptions,
    ) -> VfsResult<Arc<dyn VfsFile>> {
        let changes = options.write || options.create || options.create_new || options.truncate;
        if !changes {
            if let Some(result) = self.fast(self.lower.open(path, options)).await {
                // Wrapped: setting times through the handle must copy up,
                // never reach the lower layer.
                return result.map(|file| Arc::new(LowerFile::new(file, self.clone(), path)) as _);
            }
        }
        let _gate = if changes {
            Some(self.gate.lock().await)
        } else {
            None
        };
        let marks = self.marks();
        let fail = |errno| VfsError::new(errno, "open", path);
        let follow = !(options.no_follow || options.create_new);
        match self.resolve(&marks, path, follow, "open").await? {
            Target::Dir(_) if options.create_new => Err(fail(Errno::Exist)),
            Target::Dir(_) => Err(fail(Errno::IsDir)),
            Target::Entry {
                node: Some(node), ..
            } => {
                if options.create_new {
                    return Err(fail(Errno::Exist));
                }
                match node.file_type() {
                    FileType::Dir => return Err(fail(Errno::IsDir)),
                    FileType::Symlink => return Err(fail(Errno::Loop)),
                    // Devices are read and written in place in the lower
                    // layer: writing to /dev/null changes nothing to copy.
                    FileType::CharDevice => return self.lower.open(&node.path, options).await,
                    FileType::File => {}
                }
                if node.upper.is_none() {
                    if options.write || options.truncate {
                        self.copy_up_with(&node, !options.truncate).await?;
                    } else {
                        let read_only = OpenOptions {
                            read: true,
                            no_follow: true,
                            ..OpenOptions::default()
                        };
                        let file = self.lower.open(&node.path, read_only).await?;
                        return Ok(Arc::new(LowerFile::new(file, self.clone(), &node.path)));
                    }
                }
                let upper_options = OpenOptions {
                    create: false,
                    create_new: false,
                    no_follow: true,
                    ..options
                };
                let file = self
                    .upper
                    .open_sync(&node.path, upper_options)
                    .map_err(fail)?;
                Ok(Arc::new(file))
            }
            Target::Entry {
                parent,
                name,
                node: None,
            } => {
                if !(options.create || options.create_new) {
                    return Err(fail(Errno::NoEnt));
                }
                self.ensure_upper_dir(&parent.path).await?;
                let child = child_path(&parent.path, &name);
                let mut marks = self
                    .marks
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                self.mark_modified();
                let file = self.upper.open_sync(&child, options).map_err(fail)?;
                marks.remove_whiteout(&child);
                Ok(Arc::new(file))
            }
        }
    }

    /// `mkdir`: a new directory is opaque, so nothing of a deleted lower
    /// directory of the same name reappears in it.
    pub(super) async fn create_dir(&self, path: &str) -> VfsResult<()> {
        let _gate = self.gate.lock().await;
        let marks = self.marks();
        let Target::Entry {
            parent,
            name,
            node: None,
        } = self.resolve(&marks, path, false, "mkdir").await?
        else {
            return Err(VfsError::new(Errno::Exist, "mkdir", path));
        };
        self.ensure_upper_dir(&parent.path).await?;
        let child = child_path(&parent.path, &name);
        self.apply("mkdir", path, |tree, _, marks, now| {
            tree.mkdir(&child, now)?;
            marks.remove_whiteout(&child);
            if parent.lower_ok {
                marks.set_opaque(&child);
            }
            Ok(())
        })
    }

    /// `unlink`: removes the upper object and whites out the lower one.
    pub(super) async fn remove_file(&self, path: &str) -> VfsResult<()> {
        let _gate = self.gate.lock().await;
        let marks = self.marks();
        let node = match self.resolve(&marks, path, false, "unlink").await? {
            Target::Dir(_) => return Err(VfsError::new(Errno::IsDir, "unlink", path)),
            Target::Entry { node: None, .. } => {
                return Err(VfsError::new(Errno::NoEnt, "unlink", path))
            }
            Target::Entry {
                node: Some(node), ..
            } => node,
        };
        if node.file_type() == FileType::Dir {
            return Err(VfsError::new(Errno::IsDir, "unlink", path));
        }
        self.apply("unlink", path, |tree, open, marks, now| {
            if node.upper.is_some() {
                tree.unlink(&node.path, open, now)?;
            }
            if node.lower.is_some() {
                marks.add_whiteout(&node.path);
            }
            Ok(())
        })
    }

    /// `rmdir`: the merged directory must be empty.
    pub(super) async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        let _gate = self.gate.lock().await;
        let marks = self.marks();
        let node = match self.resolve(&marks, path, false, "rmdir").await? {
            Target::Dir(_) => return Err(VfsError::new(Errno::Busy, "rmdir", path)),
            Target::Entry { node: None, .. } => {
                return Err(VfsError::new(Errno::NoEnt, "rmdir", path))
            }
            Target::Entry {
                node: Some(node), ..
            } => node,
        };
        if node.file_type() != FileType::Dir {
            return Err(VfsError::new(Errno::NotDir, "rmdir", path));
        }
        if !self.list(&marks, &node.as_dir()).await?.is_empty() {
            return Err(VfsError::new(Errno::NotEmpty, "rmdir", path));
        }
        self.apply("rmdir", path, |tree, _, marks, now| {
            if node.upper.is_some() {
                tree.rmdir(&node.path, now)?;
            }
            marks.drop_subtree(&node.path);
            if node.lower.is_some() {
                marks.add_whiteout(&node.path);
            }
            Ok(())
        })
    }

    /// `rename`, with the same checks and order as [`MemFs`](crate::MemFs).
    /// A directory is copied up recursively first, then moved in the upper
    /// layer, marked opaque at its new place and whited out at the old.
    pub(super) async fn rename(&self, from: &str, to: &str) -> VfsResult<()> {
        let _gate = self.gate.lock().await;
        let marks = self.marks();
        let fail = |errno| VfsError::new(errno, "rename", from);
        let src = self.resolve(&marks, from, false, "rename").await?;
        let dst = self.resolve(&marks, to, false, "rename").await?;
        let (
            Target::Entry {
                parent: src_parent,
                node: src,
                ..
            },
            Target::Entry {
                parent: dst_parent,
                name: dst_name,
                node: dst,
            },
        ) = (src, dst)
        else {
            return Err(fail(Errno::Busy));
        };
        let src = src.ok_or_else(|| fail(Errno::NoEnt))?;
        let src_is_dir = src.file_type() == FileType::Dir;
        if src_parent.path != dst_parent.path {
            if src_is_dir && is_within(&dst_parent.path, &src.path) {
                return Err(fail(Errno::Inval));
            }
            if let Some(dst) = &dst {
                if dst.file_type() == FileType::Dir && is_within(&src_parent.path, &dst.path) {
                    return Err(fail(Errno::NotEmpty));
                }
            }
        }
        if let Some(dst) = &dst {
            if dst.same_object(&src) {
                return Ok(());
            }
            match (src_is_dir, dst.file_type() == FileType::Dir) {
                (true, false) => return Err(fail(Errno::NotDir)),
                (false, true) => return Err(fail(Errno::IsDir)),
                (true, true) => {
                    if !self.list(&marks, &dst.as_dir()).await?.is_empty() {
                        return Err(fail(Errno::NotEmpty));
                    }
                }
                (false, false) => {}
            }
        }
        if src_is_dir {
            self.copy_up_tree(&marks, src.as_dir()).await?;
        } else {
            self.copy_up(&src).await?;
        }
        self.ensure_upper_dir(&dst_parent.path).await?;
        let dst_path = child_path(&dst_parent.path, &dst_name);
        self.apply("rename", from, |tree, open, marks, now| {
            // A target that only the lower layer has needs no removal: the
            // moved upper object covers it (a directory as opaque).
            tree.rename(&src.path, &dst_path, open, now)?;
            if src_is_dir {
                marks.drop_subtree(&src.path);
                marks.drop_subtree(&dst_path);
                marks.set_opaque(&dst_path);
            }
            marks.remove_whiteout(&dst_path);
            if src.lower.is_some() {
                marks.add_whiteout(&src.path);
            }
            Ok(())
        })
    }

    /// `symlink`.
    pub(super) async fn symlink(&self, target: &str, link: &str) -> VfsResult<()> {
        let _gate = self.gate.lock().await;
        if target.is_empty() {
            return Err(VfsError::new(Errno::NoEnt, "symlink", link));
        }
        let marks = self.marks();
        let Target::Entry {
            parent,
            name,
            node: None,
        } = self.resolve(&marks, link, false, "symlink").await?
        else {
            return Err(VfsError::new(Errno::Exist, "symlink", link));
        };
        self.ensure_upper_dir(&parent.path).await?;
        let child = child_path(&parent.path, &name);
        self.apply("symlink", link, |tree, _, marks, now| {
            tree.symlink(target, &child, now)?;
            marks.remove_whiteout(&child);
            Ok(())
        })
    }

    /// `readlink`.
    pub(super) async fn read_link(&self, path: &str) -> VfsResult<String> {
        if let Some(result) = self.fast(self.lower.read_link(path)).await {
            return result;
        }
        match self.resolve(&self.marks(), path, false, "readlink").await? {
            Target::Entry {
                node: Some(node), ..
            } if node.file_type() == FileType::Symlink => self.link_target(&node).await,
            Target::Entry { node: None, .. } => Err(VfsError::new(Errno::NoEnt, "readlink", path)),
            _ => Err(VfsError::new(Errno::Inval, "readlink", path)),
        }
    }

    /// `link`: the source is copied up first, so both names share the
    /// upper inode.
    pub(super) async fn hard_link(&self, existing: &str, new: &str) -> VfsResult<()> {
        let _gate = self.gate.lock().await;
        let marks = self.marks();
        let src = match self.resolve(&marks, existing, false, "link").await? {
            Target::Dir(_) => None,
            Target::Entry {
                node: Some(node), ..
            } => Some(node),
            Target::Entry { node: None, .. } => {
                return Err(VfsError::new(Errno::NoEnt, "link", existing))
            }
        };
        let Target::Entry {
            parent,
            name,
            node: None,
        } = self.resolve(&marks, new, false, "link").await?
        else {
            return Err(VfsError::new(Errno::Exist, "link", new));
        };
        let Some(src) = src.filter(|s| s.file_type() != FileType::Dir) else {
            return Err(VfsError::new(Errno::Perm, "link", existing));
        };
        self.copy_up(&src).await?;
        self.ensure_upper_dir(&parent.path).await?;
        let child = child_path(&parent.path, &name);
        self.apply("link", new, |tree, _, marks, now| {
            tree.hard_link(&src.path, &child, now)?;
            marks.remove_whiteout(&child);
            Ok(())
        })
    }

    /// `utimensat`: copies the object up (a directory without contents).
    pub(super) async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
    ) -> VfsResult<()> {
        let _gate = self.gate.lock().await;
        let target = self.copy_up_for_metadata(path, follow, "utimensat").await?;
        self.apply("utimensat", path, |tree, _, _, now| {
            tree.set_times(&target, atime, mtime, false, now)
        })
    }

    /// `chmod`: copies the object up (a directory without contents), then
    /// sets its mode in the upper layer.
    pub(super) async fn set_mode(&self, path: &str, mode: u32) -> VfsResult<()> {
        let _gate = self.gate.lock().await;
        let target = self.copy_up_for_metadata(path, true, "chmod").await?;
        self.apply("chmod", path, |tree, _, _, now| {
            tree.set_mode(&target, mode, now)
        })
    }

    /// Resolves `path` and copies what it names into the upper layer (a
    /// directory without its contents), for an operation `op` that changes
    /// metadata only; returns the path to change there. The caller holds
    /// the gate.
    async fn copy_up_for_metadata(
        &self,
        path: &str,
        follow: bool,
        op: &'static str,
    ) -> VfsResult<String> {
        let marks = self.marks();
        match self.resolve(&marks, path, follow, op).await? {
            Target::Dir(dir) => {
                self.ensure_upper_dir(&dir.path).await?;
                Ok(dir.path)
            }
            Target::Entry {
                node: Some(node), ..
            } => {
                self.copy_up(&node).await?;
                Ok(node.path)
            }
            Target::Entry { node: None, .. } => Err(VfsError::new(Errno::NoEnt, op, path)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemFs, OverlayFs, Vfs};

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    async fn lower() -> Arc<dyn Vfs> {
        let fs = MemFs::new();
        fs.create_dir_all("/d/sub").await.unwrap();
        fs.write_file("/d/a", b"lower a").await.unwrap();
        fs.write_file("/d/sub/b", b"lower b").await.unwrap();
        fs.symlink("d/a", "/link").await.unwrap();
        Arc::new(fs)
    }

    fn names(list: Vec<DirEntry>) -> Vec<String> {
        list.into_iter().map(|e| e.name).collect()
    }

    #[test]
    fn writes_copy_up_and_leave_the_lower_layer_alone() {
        block_on(async {
            let lower = lower().await;
            let fs = OverlayFs::new(lower.clone());
            fs.write_file("/link", b"upper a").await.unwrap();
            assert_eq!(fs.read_file("/d/a").await.unwrap(), b"upper a");
            assert_eq!(lower.read_file("/d/a").await.unwrap(), b"lower a");
            assert_eq!(names(fs.read_dir("/d").await.unwrap()), ["a", "sub"]);
        });
    }

    #[test]
    fn deletes_leave_whiteouts_and_new_dirs_are_opaque() {
        block_on(async {
            let fs = OverlayFs::new(lower().await);
            fs.remove_file("/d/sub/b").await.unwrap();
            fs.remove_dir("/d/sub").await.unwrap();
            assert_eq!(names(fs.read_dir("/d").await.unwrap()), ["a"]);
            fs.create_dir("/d/sub").await.unwrap();
            assert!(fs.read_dir("/d/sub").await.unwrap().is_empty());
            assert_eq!(
                fs.remove_dir("/d").await.unwrap_err().errno(),
                Errno::NotEmpty
            );
        });
    }

    #[test]
    fn renaming_a_lower_directory_moves_its_whole_content() {
        block_on(async {
            let lower = lower().await;
            let fs = OverlayFs::new(lower.clone());
            fs.remove_file("/d/a").await.unwrap();
            fs.rename("/d", "/e").await.unwrap();
            assert!(!fs.exists("/d").await);
            assert_eq!(names(fs.read_dir("/e").await.unwrap()), ["sub"]);
            assert_eq!(fs.read_file("/e/sub/b").await.unwrap(), b"lower b");
            assert!(lower.exists("/d/a").await);
            fs.create_dir("/d").await.unwrap();
            assert!(fs.read_dir("/d").await.unwrap().is_empty());
        });
    }

    #[test]
    fn a_directory_renamed_over_a_deleted_lower_one_stays_opaque() {
        block_on(async {
            let fs = OverlayFs::new(lower().await);
            fs.rename("/d", "/moved").await.unwrap();
            fs.create_dir("/new").await.unwrap();
            fs.rename("/new", "/d").await.unwrap();
            assert!(fs.read_dir("/d").await.unwrap().is_empty());
            // A lower directory emptied by whiteouts, then replaced.
            let fs = OverlayFs::new(lower().await);
            fs.remove_file("/d/sub/b").await.unwrap();
            fs.create_dir("/empty").await.unwrap();
            fs.rename("/empty", "/d/sub").await.unwrap();
            assert!(fs.read_dir("/d/sub").await.unwrap().is_empty());
        });
    }

    #[test]
    fn absolute_symlinks_resolve_from_the_overlay_root() {
        block_on(async {
            let fs = OverlayFs::new(lower().await);
            fs.symlink("/d/sub", "/abs").await.unwrap();
            assert_eq!(fs.read_file("/abs/b").await.unwrap(), b"lower b");
            fs.write_file("/abs/new", b"n").await.unwrap();
            assert_eq!(names(fs.read_dir("/d/sub").await.unwrap()), ["b", "new"]);
        });
    }

    #[test]
    fn read_handles_on_lower_files_refuse_writes() {
        block_on(async {
            let fs = OverlayFs::new(lower().await);
            let file = fs.open("/d/a", OpenOptions::read()).await.unwrap();
            assert_eq!(
                file.write_at(b"x", 0).await.unwrap_err().errno(),
                Errno::BadF
            );
            let mut buf = [0u8; 7];
            assert_eq!(file.read_at(&mut buf, 0).await.unwrap(), 7);
        });
    }
}
