//! [`OverlayFs`]: a writable in-memory layer over a read-only filesystem.
//!
//! # Model
//!
//! This is Linux overlayfs's model over two [`Vfs`] values: a *lower* layer
//! that is only ever read (any backend, typically a host directory) and an
//! *upper* [`MemFs`] that receives every change. The merged view shows the
//! upper object where there is one, else the lower one. Deleting something
//! that exists below leaves a *whiteout* that hides it; a directory created
//! where the lower layer had (or has since had) something is *opaque*: the
//! lower layer is not merged into it. Both marks are kept by merged path in
//! persistent sets beside the upper layer (see `marks`).
//!
//! A lower file is *copied up* into the upper layer (its bytes and times)
//! before anything changes it: opening it for writing or truncation,
//! setting times, renaming, linking. Directories are copied up without
//! their contents, except for a rename, which copies the whole subtree up,
//! moves it in the upper layer, marks it opaque at its new place and
//! whites out the old place: the lower layer's paths cannot move.
//!
//! # Symlinks
//!
//! The overlay resolves paths itself, component by component in the merged
//! view, with [`MemFs`]'s rules: an absolute target starts at the overlay's
//! root and `..` stops there. Over a [`HostDirFs`](crate::HostDirFs) lower
//! layer this is laxer than the host directory alone, which refuses such
//! links, but equally confined: nothing resolves outside the lower layer.
//!
//! # Fast path
//!
//! Until the first change, the merged view is the lower layer itself, so
//! reads go straight to it: a fork of a mount holding a host directory
//! costs nothing extra until it writes there. A lower-layer refusal (a
//! host directory's `EACCES` for an absolute or escaping symlink) falls
//! back to the merged resolution, so the answers are those of the slow
//! path either way.
//!
//! # Forks
//!
//! [`Vfs::fork`] shares the lower layer, forks the upper [`MemFs`] (O(1))
//! and clones the marks (O(1)). The lower layer must not change for the
//! merged view to stay exact; if it does (a host directory edited by
//! someone else), the overlay shows the new lower state wherever it holds
//! no copy or mark of its own.
//!
//! # Quota
//!
//! [`OverlayFs::with_quota`] bounds the upper layer: copy-ups count against
//! it, reads never do, and a copy-up that does not fit fails with `ENOSPC`
//! and leaves nothing behind.
//!
//! # Inode numbers
//!
//! Lower objects keep their lower inode numbers; upper objects are numbered
//! from 2^62 so the two never collide. A copy-up therefore changes a file's
//! inode number, as it did on Linux before the `xino` feature.

mod copy_up;
mod fast;
mod file;
mod marks;
mod ops;
mod resolve;

use crate::{DirEntry, MemFs, Metadata, OpenOptions, Vfs, VfsFile, VfsResult};
use async_trait::async_trait;
use marks::Marks;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

/// First inode number of the upper layer, far above any lower numbering.
const UPPER_FIRST_INO: u64 = 1 << 62;

/// A read-only lower filesystem under a writable in-memory layer; see the
/// module docs.
#[derive(Clone)]
pub struct OverlayFs {
    inner: Arc<Inner>,
}

/// The overlay's state, shared with its lower-file handles.
pub(crate) struct Inner {
    lower: Arc<dyn Vfs>,
    upper: MemFs,
    /// Whiteouts and opaque directories; also the lock that makes an upper
    /// change and its marks one atomic step.
    marks: Mutex<Marks>,
    /// Serialises changing operations across their awaits.
    gate: tokio::sync::Mutex<()>,
    /// Set before the first change reaches the upper layer or the marks;
    /// until then reads take the fast path (see the module docs).
    modified: AtomicBool,
}

impl OverlayFs {
    /// An overlay over `lower` with an empty, unlimited upper layer.
    pub fn new(lower: Arc<dyn Vfs>) -> OverlayFs {
        OverlayFs::build(lower, None)
    }

    /// An overlay whose upper layer may hold at most `bytes` (counted as
    /// [`MemFs::with_quota`] counts).
    pub fn with_quota(lower: Arc<dyn Vfs>, bytes: u64) -> OverlayFs {
        OverlayFs::build(lower, Some(bytes))
    }

    fn build(lower: Arc<dyn Vfs>, quota: Option<u64>) -> OverlayFs {
        let upper = MemFs::with_first_ino(quota, UPPER_FIRST_INO);
        OverlayFs::from_parts(lower, upper, Marks::default(), false)
    }

    fn from_parts(lower: Arc<dyn Vfs>, upper: MemFs, marks: Marks, modified: bool) -> OverlayFs {
        OverlayFs {
            inner: Arc::new(Inner {
                lower,
                upper,
                marks: Mutex::new(marks),
                gate: tokio::sync::Mutex::new(()),
                modified: AtomicBool::new(modified),
            }),
        }
    }

    /// The lower layer.
    pub fn lower(&self) -> &Arc<dyn Vfs> {
        &self.inner.lower
    }

    /// Bytes the upper layer holds, as its quota counts them.
    pub fn upper_used_bytes(&self) -> u64 {
        self.inner.upper.used_bytes()
    }

    /// An independent copy: same lower layer, forked upper layer and marks.
    pub fn fork_overlay(&self) -> OverlayFs {
        let marks = self
            .inner
            .marks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let upper = self.inner.upper.fork_mem();
        let modified = self.inner.modified.load(Ordering::SeqCst);
        OverlayFs::from_parts(self.inner.lower.clone(), upper, marks.clone(), modified)
    }
}

impl fmt::Debug for OverlayFs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OverlayFs")
            .field("lower", &self.inner.lower)
            .field("upper", &self.inner.upper)
            .finish()
    }
}

#[async_trait]
impl Vfs for OverlayFs {
    async fn metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.inner.stat(path, true).await
    }

    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.inner.stat(path, false).await
    }

    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        self.inner.read_dir(path).await
    }

    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>> {
        self.inner.open(path, options).await
    }

    async fn create_dir(&self, path: &str) -> VfsResult<()> {
        self.inner.create_dir(path).await
    }

    async fn remove_file(&self, path: &str) -> VfsResult<()> {
        self.inner.remove_file(path).await
    }

    async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        self.inner.remove_dir(path).await
    }

    async fn rename(&self, from: &str, to: &str) -> VfsResult<()> {
        self.inner.rename(from, to).await
    }

    async fn symlink(&self, target: &str, link: &str) -> VfsResult<()> {
        self.inner.symlink(target, link).await
    }

    async fn read_link(&self, path: &str) -> VfsResult<String> {
        self.inner.read_link(path).await
    }

    async fn hard_link(&self, existing: &str, new: &str) -> VfsResult<()> {
        self.inner.hard_link(existing, new).await
    }

    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
    ) -> VfsResult<()> {
        self.inner.set_times(path, atime, mtime, follow).await
    }

    async fn set_mode(&self, path: &str, mode: u32) -> VfsResult<()> {
        self.inner.set_mode(path, mode).await
    }

    fn fork(&self) -> VfsResult<Arc<dyn Vfs>> {
        Ok(Arc::new(self.fork_overlay()))
    }

    async fn read_file(&self, path: &str) -> VfsResult<Vec<u8>> {
        if let Some(result) = self.inner.fast(self.inner.lower.read_file(path)).await {
            return result;
        }
        let file = self.inner.open(path, OpenOptions::read()).await?;
        crate::read_to_end(&*file).await
    }
}
