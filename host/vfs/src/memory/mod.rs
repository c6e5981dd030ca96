//! [`MemFs`]: an in-memory filesystem whose forks are O(1).
//!
//! # Data structures
//!
//! The filesystem is a [`Tree`]: a persistent (immutable, structurally
//! shared) inode table mapping inode numbers to `Arc<Inode>`, built on an
//! `imbl` hash array mapped trie. A directory inode holds its entries in a
//! persistent `imbl` B-tree (`name → (inode, kind)`), a file inode holds its
//! contents as `Arc<Vec<u8>>`, a symlink its target text.
//!
//! Forking clones the table: one reference count increment. Afterwards the
//! two trees share every trie node, inode and byte buffer; a modification
//! copies only the trie path to the inode it touches (a handful of nodes of
//! 16–32 slots), the inode record itself, and — for a write — the file's
//! contents, once. Measured (`tests/all/measure.rs`, release build): a fork
//! of a 100k-file tree takes ~0.1 µs and 104 heap bytes, the first write to
//! a file in that fork ~10 µs and 3 KiB; an idle `MemFs::new()` holds about
//! 1 KiB.
//!
//! # Why an inode table instead of a tree of nodes
//!
//! POSIX semantics need identity separate from names: an open handle must
//! keep working after its file is renamed or unlinked, two handles on one
//! file must see each other's writes, and a hard link is two names for one
//! object. A handle is therefore just `(filesystem, inode number)`, and each
//! call looks the inode up under the filesystem's lock. An unlinked inode
//! with open handles stays in the table (an orphan) until the last handle
//! closes; a fork leaves the parent's orphans out, since no handle of the
//! fork can reach them.
//!
//! # Why whole-file buffers instead of chunks
//!
//! Files in agent sandboxes are mostly small (sources, configs, logs): a
//! contiguous buffer makes reads a single `memcpy` and needs no index. The
//! price is that the first write to a file shared with a fork copies the
//! whole file; that happens once per file per fork.
//!
//! # Locking
//!
//! One `Mutex` guards the tree. Every operation is a short, allocation-light
//! critical section (a path walk of a few B-tree lookups plus the change),
//! so a finer scheme would cost more than it saves; reads of big files hold
//! the lock for one `memcpy`.
//!
//! # Quota
//!
//! [`MemFs::with_quota`] limits the bytes the tree may hold: file contents
//! and symlink targets count at their length, every inode costs a fixed 128
//! bytes and every directory entry 64 bytes plus its name (approximations of
//! the memory they take, so that millions of empty files or links cannot
//! exhaust memory). An operation that would exceed the quota fails with
//! `ENOSPC`, except a write, which stores the prefix that fits and returns
//! a short count (as a filling disk does); the following write then fails.
//! Deleting files frees their share at once (when the last handle closes
//! for an unlinked open file). Forks inherit the quota and the usage at the
//! time of the fork, then account independently.
//!
//! # Times
//!
//! Changes set the modification and change times as on Linux; reads leave
//! the access time alone, as on a `noatime` mount, so that reading in a
//! fork never copies anything.
//!
//! # Symlinks
//!
//! Resolved inside this filesystem: an absolute target starts at this
//! filesystem's root, a relative one at the link's directory, `..` goes to
//! the physical parent, and more than 40 links in one lookup give `ELOOP`.

mod file;
mod inode;
mod ops;
mod resolve;
mod tree;

pub use file::MemFile;
// The diff fast path (`crate::changes`) walks two trees' records directly.
pub(crate) use inode::{Entry, Kind};
pub(crate) use ops::OpenCounts;
pub(crate) use tree::Tree;

use crate::{ContentId, DirEntry, Errno, Metadata, OpenOptions, Vfs, VfsError, VfsFile, VfsResult};
use async_trait::async_trait;
use std::any::Any;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

/// An in-memory filesystem with O(1) copy-on-write forks; see the module
/// docs for the data structures and the quota rules.
///
/// Cloning a `MemFs` gives a second handle on the *same* filesystem; use
/// [`MemFs::fork_mem`] (or [`Vfs::fork`]) for an independent copy.
#[derive(Clone)]
pub struct MemFs {
    core: Arc<Mutex<Core>>,
}

/// Everything behind the lock: the persistent tree, which forks share, and
/// this instance's open-handle counts, which they do not.
pub(crate) struct Core {
    tree: Tree,
    open: OpenCounts,
}

impl Default for MemFs {
    fn default() -> MemFs {
        MemFs::new()
    }
}

impl MemFs {
    /// An empty filesystem (just `/`) without a quota: a writer can make
    /// the process allocate as much as it writes (zero-filled gaps
    /// included), so sandboxes should use [`MemFs::with_quota`].
    pub fn new() -> MemFs {
        MemFs::from_tree(Tree::new(u64::MAX))
    }

    /// An empty filesystem that may hold at most `bytes` (see the module
    /// docs for what counts).
    pub fn with_quota(bytes: u64) -> MemFs {
        MemFs::from_tree(Tree::new(bytes))
    }

    /// An empty filesystem whose new inodes are numbered from `first`, for
    /// layers that show its inodes next to another filesystem's.
    pub(crate) fn with_first_ino(quota: Option<u64>, first: u64) -> MemFs {
        MemFs::from_tree(Tree::with_first_ino(quota.unwrap_or(u64::MAX), first))
    }

    fn from_tree(tree: Tree) -> MemFs {
        MemFs {
            core: Arc::new(Mutex::new(Core {
                tree,
                open: OpenCounts::default(),
            })),
        }
    }

    /// An independent copy-on-write copy, as a `MemFs`: O(1), no bytes
    /// copied. Handles opened before the fork keep pointing at `self`.
    /// A snapshot is a fork nobody writes to.
    pub fn fork_mem(&self) -> MemFs {
        let core = self.lock();
        let mut tree = core.tree.clone();
        // The parent's orphans (unlinked but open) are unreachable here.
        for &ino in core.open.keys() {
            if tree.try_get(ino).is_some_and(|inode| inode.nlink == 0) {
                tree.remove(ino);
            }
        }
        MemFs::from_tree(tree)
    }

    /// The byte quota, or `None` when unlimited.
    pub fn quota(&self) -> Option<u64> {
        let limit = self.lock().tree.limit();
        (limit != u64::MAX).then_some(limit)
    }

    /// Bytes currently charged against the quota.
    pub fn used_bytes(&self) -> u64 {
        self.lock().tree.used()
    }

    /// Number of live inodes, including the root and open unlinked files.
    pub fn inode_count(&self) -> usize {
        self.lock().tree.inode_count()
    }

    fn lock(&self) -> MutexGuard<'_, Core> {
        // A panic inside a critical section is a bug, and may at worst
        // leak an inode; carrying on beats failing every later call of
        // every handle and sandbox sharing this filesystem.
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The tree as it is now: O(1), and unaffected by later changes, so a
    /// diff can walk it without holding the lock.
    pub(crate) fn tree_snapshot(&self) -> Tree {
        self.lock().tree.clone()
    }

    /// `stat`/`lstat` without the error context, for layers built on top.
    pub(crate) fn stat_errno(&self, path: &str, follow: bool) -> Result<Metadata, Errno> {
        self.lock().tree.stat(path, follow)
    }

    /// Runs `f` on the tree and open counts under the lock, for layers that
    /// must combine several changes atomically.
    pub(crate) fn with_core<R>(&self, f: impl FnOnce(&mut Tree, &OpenCounts) -> R) -> R {
        let mut core = self.lock();
        let core = &mut *core;
        f(&mut core.tree, &core.open)
    }

    /// Opens `path` and returns the handle; shared by `Vfs::open` and layers.
    pub(crate) fn open_sync(&self, path: &str, options: OpenOptions) -> Result<MemFile, Errno> {
        let now = SystemTime::now();
        let mut core = self.lock();
        let ino = core.tree.open(path, &options, now)?;
        *core.open.entry(ino).or_insert(0) += 1;
        drop(core);
        // O_RDONLY is 0: a handle opened for neither reading nor writing can
        // still read, as on Linux.
        let read = options.read || !options.write;
        Ok(MemFile::new(
            self.core.clone(),
            ino,
            read,
            options.write,
            path,
        ))
    }

    /// Creates or truncates `path` and writes `data`, in one critical
    /// section; `ENOSPC` if it does not all fit (the prefix that fit stays).
    pub(crate) fn write_file_sync(&self, path: &str, data: &[u8]) -> Result<(), Errno> {
        let now = SystemTime::now();
        let mut core = self.lock();
        let ino = core.tree.open(path, &OpenOptions::write_truncate(), now)?;
        let written = core.tree.write_at(ino, data, 0, now)?;
        if written < data.len() {
            return Err(Errno::NoSpc);
        }
        Ok(())
    }
}

impl fmt::Debug for MemFs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let core = self.lock();
        f.debug_struct("MemFs")
            .field("inodes", &core.tree.inode_count())
            .field("used", &core.tree.used())
            .field("quota", &core.tree.limit())
            .field("open", &core.open.len())
            .finish()
    }
}

/// Attaches the operation and path to a bare errno.
fn ctx<T>(result: Result<T, Errno>, op: &'static str, path: &str) -> VfsResult<T> {
    result.map_err(|errno| VfsError::new(errno, op, path))
}

#[async_trait]
impl Vfs for MemFs {
    async fn metadata(&self, path: &str) -> VfsResult<Metadata> {
        ctx(self.stat_errno(path, true), "stat", path)
    }

    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata> {
        ctx(self.stat_errno(path, false), "lstat", path)
    }

    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        ctx(self.lock().tree.list(path), "opendir", path)
    }

    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>> {
        let file = ctx(self.open_sync(path, options), "open", path)?;
        Ok(Arc::new(file))
    }

    async fn create_dir(&self, path: &str) -> VfsResult<()> {
        let now = SystemTime::now();
        ctx(self.lock().tree.mkdir(path, now), "mkdir", path)
    }

    async fn remove_file(&self, path: &str) -> VfsResult<()> {
        let now = SystemTime::now();
        let result = self.with_core(|tree, open| tree.unlink(path, open, now));
        ctx(result, "unlink", path)
    }

    async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        let now = SystemTime::now();
        ctx(self.lock().tree.rmdir(path, now), "rmdir", path)
    }

    async fn rename(&self, from: &str, to: &str) -> VfsResult<()> {
        let now = SystemTime::now();
        let result = self.with_core(|tree, open| tree.rename(from, to, open, now));
        ctx(result, "rename", from)
    }

    async fn symlink(&self, target: &str, link: &str) -> VfsResult<()> {
        let now = SystemTime::now();
        ctx(self.lock().tree.symlink(target, link, now), "symlink", link)
    }

    async fn read_link(&self, path: &str) -> VfsResult<String> {
        ctx(self.lock().tree.read_link(path), "readlink", path)
    }

    async fn hard_link(&self, existing: &str, new: &str) -> VfsResult<()> {
        let now = SystemTime::now();
        ctx(self.lock().tree.hard_link(existing, new, now), "link", new)
    }

    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
    ) -> VfsResult<()> {
        let now = SystemTime::now();
        let result = self.lock().tree.set_times(path, atime, mtime, follow, now);
        ctx(result, "utimensat", path)
    }

    async fn set_mode(&self, path: &str, mode: u32) -> VfsResult<()> {
        let now = SystemTime::now();
        ctx(self.lock().tree.set_mode(path, mode, now), "chmod", path)
    }

    fn fork(&self) -> VfsResult<Arc<dyn Vfs>> {
        Ok(Arc::new(self.fork_mem()))
    }

    fn as_any(&self) -> Option<&dyn Any> {
        Some(self)
    }

    /// The file's buffer itself: a fork shares it until one side writes,
    /// so equal ids prove equal contents without reading them. The id
    /// keeps the buffer alive, so a write while it is held copies it.
    async fn content_id(&self, path: &str) -> VfsResult<Option<ContentId>> {
        let now = SystemTime::now();
        let mut core = self.lock();
        let ino = ctx(
            core.tree.open(path, &OpenOptions::read(), now),
            "open",
            path,
        )?;
        Ok(core.tree.get(ino).as_file().cloned().map(ContentId::shared))
    }

    async fn read_file(&self, path: &str) -> VfsResult<Vec<u8>> {
        let now = SystemTime::now();
        let mut core = self.lock();
        let ino = ctx(
            core.tree.open(path, &OpenOptions::read(), now),
            "open",
            path,
        )?;
        Ok(core.tree.read_all(ino))
    }

    async fn write_file(&self, path: &str, data: &[u8]) -> VfsResult<()> {
        ctx(self.write_file_sync(path, data), "write", path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    #[test]
    fn handles_survive_rename_and_unlink() {
        block_on(async {
            let fs = MemFs::new();
            fs.write_file("/a", b"one").await.unwrap();
            let file = fs
                .open(
                    "/a",
                    OpenOptions {
                        read: true,
                        write: true,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            fs.rename("/a", "/b").await.unwrap();
            file.write_at(b"ONE", 0).await.unwrap();
            assert_eq!(fs.read_file("/b").await.unwrap(), b"ONE");
            fs.remove_file("/b").await.unwrap();
            assert_eq!(fs.inode_count(), 2);
            file.append(b"!").await.unwrap();
            let mut buf = [0u8; 8];
            assert_eq!(file.read_at(&mut buf, 0).await.unwrap(), 4);
            assert_eq!(file.metadata().await.unwrap().nlink, 0);
            drop(file);
            assert_eq!(fs.inode_count(), 1);
            assert_eq!(fs.used_bytes(), 0);
        });
    }

    #[test]
    fn two_handles_see_each_others_writes() {
        block_on(async {
            let fs = MemFs::new();
            let w = fs.open("/f", OpenOptions::write_truncate()).await.unwrap();
            let r = fs.open("/f", OpenOptions::read()).await.unwrap();
            w.write_at(b"hello", 0).await.unwrap();
            let mut buf = [0u8; 5];
            assert_eq!(r.read_at(&mut buf, 0).await.unwrap(), 5);
            assert_eq!(&buf, b"hello");
            assert_eq!(r.write_at(b"x", 0).await.unwrap_err().errno(), Errno::BadF);
            assert_eq!(
                w.read_at(&mut buf, 0).await.unwrap_err().errno(),
                Errno::BadF
            );
        });
    }

    #[test]
    fn fork_drops_the_parents_orphans() {
        block_on(async {
            let fs = MemFs::with_quota(10_000);
            fs.write_file("/tmp", b"data").await.unwrap();
            let handle = fs.open("/tmp", OpenOptions::read()).await.unwrap();
            fs.remove_file("/tmp").await.unwrap();
            let fork = fs.fork_mem();
            assert_eq!(fork.inode_count(), 1);
            assert_eq!(fork.used_bytes(), 0);
            assert_eq!(fs.inode_count(), 2);
            drop(handle);
            assert_eq!(fs.inode_count(), 1);
        });
    }

    #[test]
    fn errors_name_the_operation_and_path() {
        block_on(async {
            let fs = MemFs::new();
            let err = fs.read_file("/missing").await.unwrap_err();
            assert_eq!(
                err.to_string(),
                "open '/missing': No such file or directory"
            );
        });
    }
}
