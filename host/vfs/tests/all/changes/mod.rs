//! `diff` and `merge` of whole trees.
//!
//! - `diff`: each kind of change, on every backend pairing (memory fast
//!   path, memory through the generic walk, host directories, overlay
//!   forks), and what the generic walk reads.
//! - `merge`: conflicts in each mode, identical changes, kind changes, and
//!   merges into a memory tree and into an overlay over a host directory.
//! - `props`: random edits against an oracle computed from snapshots.
//! - `timing`: an ignored run printing what a diff of a large fork costs.
//!
//! This file holds the helpers: a counting wrapper and edit scripts.

mod diff;
mod merge;
mod props;
mod timing;

use async_trait::async_trait;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;
use wasm_agent_vfs::{
    path, ContentId, DirEntry, Errno, Metadata, OpenOptions, Vfs, VfsError, VfsFile, VfsResult,
};

/// A wrapper that counts what reaches the filesystem below. It hides the
/// inner backend from `diff`'s fast path unless `fast`, and forwards
/// content ids only if `ids`.
#[derive(Debug)]
pub struct Counted {
    pub inner: Arc<dyn Vfs>,
    pub fast: bool,
    pub ids: bool,
    /// Every call of a `Vfs` method.
    pub calls: AtomicU64,
    /// Files opened.
    pub opens: AtomicU64,
    /// Bytes read through handles.
    pub bytes_read: Arc<AtomicU64>,
    /// A path whose listing and opening fail with `EIO`.
    pub fail_on: Option<&'static str>,
}

impl Counted {
    /// Wraps `inner`, hiding its fast path and forwarding content ids.
    pub fn generic(inner: Arc<dyn Vfs>) -> Counted {
        Counted {
            inner,
            fast: false,
            ids: true,
            calls: AtomicU64::new(0),
            opens: AtomicU64::new(0),
            bytes_read: Arc::new(AtomicU64::new(0)),
            fail_on: None,
        }
    }

    fn count(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }

    fn check(&self, op: &'static str, path: &str) -> VfsResult<()> {
        match self.fail_on {
            Some(bad) if bad == path => {
                Err(VfsError::new(Errno::Io, op, path).with_detail("injected failure"))
            }
            _ => Ok(()),
        }
    }

    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    pub fn opens(&self) -> u64 {
        self.opens.load(Ordering::Relaxed)
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }
}

/// A handle of a [`Counted`] filesystem.
#[derive(Debug)]
struct CountedFile {
    inner: Arc<dyn VfsFile>,
    bytes_read: Arc<AtomicU64>,
}

#[async_trait]
impl VfsFile for CountedFile {
    async fn read_at(&self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        let n = self.inner.read_at(buf, offset).await?;
        self.bytes_read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
    async fn write_at(&self, buf: &[u8], offset: u64) -> VfsResult<usize> {
        self.inner.write_at(buf, offset).await
    }
    async fn metadata(&self) -> VfsResult<Metadata> {
        self.inner.metadata().await
    }
    async fn set_len(&self, len: u64) -> VfsResult<()> {
        self.inner.set_len(len).await
    }
    async fn set_times(
        &self,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
    ) -> VfsResult<()> {
        self.inner.set_times(atime, mtime).await
    }
}

#[async_trait]
impl Vfs for Counted {
    async fn metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.count();
        self.inner.metadata(path).await
    }
    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.count();
        self.inner.symlink_metadata(path).await
    }
    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        self.count();
        self.check("opendir", path)?;
        self.inner.read_dir(path).await
    }
    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>> {
        self.count();
        self.opens.fetch_add(1, Ordering::Relaxed);
        self.check("open", path)?;
        let inner = self.inner.open(path, options).await?;
        Ok(Arc::new(CountedFile {
            inner,
            bytes_read: self.bytes_read.clone(),
        }))
    }
    async fn create_dir(&self, path: &str) -> VfsResult<()> {
        self.count();
        self.inner.create_dir(path).await
    }
    async fn remove_file(&self, path: &str) -> VfsResult<()> {
        self.count();
        self.inner.remove_file(path).await
    }
    async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        self.count();
        self.inner.remove_dir(path).await
    }
    async fn rename(&self, from: &str, to: &str) -> VfsResult<()> {
        self.count();
        self.inner.rename(from, to).await
    }
    async fn symlink(&self, target: &str, link: &str) -> VfsResult<()> {
        self.count();
        self.inner.symlink(target, link).await
    }
    async fn read_link(&self, path: &str) -> VfsResult<String> {
        self.count();
        self.inner.read_link(path).await
    }
    async fn hard_link(&self, existing: &str, new: &str) -> VfsResult<()> {
        self.count();
        self.inner.hard_link(existing, new).await
    }
    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
    ) -> VfsResult<()> {
        self.count();
        self.inner.set_times(path, atime, mtime, follow).await
    }
    async fn set_mode(&self, path: &str, mode: u32) -> VfsResult<()> {
        self.count();
        self.inner.set_mode(path, mode).await
    }
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        if self.fast {
            self.inner.as_any()
        } else {
            None
        }
    }
    async fn content_id(&self, path: &str) -> VfsResult<Option<ContentId>> {
        self.count();
        if self.ids {
            self.inner.content_id(path).await
        } else {
            Ok(None)
        }
    }
}

/// One step of an edit script.
#[derive(Debug, Clone, Copy)]
pub enum Do {
    /// `mkdir -p`.
    Dir(&'static str),
    /// Write a file (creating or truncating it), creating missing parents.
    File(&'static str, &'static [u8]),
    /// `ln -s target link`, creating missing parents.
    Link(&'static str, &'static str),
    /// `rm -r`.
    Rm(&'static str),
    /// `mv`.
    Mv(&'static str, &'static str),
    /// `chmod`.
    Mode(&'static str, u32),
}

/// Runs a script; every step must succeed.
pub async fn run(fs: &dyn Vfs, script: &[Do]) {
    for step in script {
        let result = match *step {
            Do::Dir(path) => fs.create_dir_all(path).await,
            Do::File(path, data) => match parents(fs, path).await {
                Ok(()) => fs.write_file(path, data).await,
                Err(e) => Err(e),
            },
            Do::Link(target, link) => match parents(fs, link).await {
                Ok(()) => fs.symlink(target, link).await,
                Err(e) => Err(e),
            },
            Do::Rm(path) => fs.remove_all(path).await,
            Do::Mv(from, to) => fs.rename(from, to).await,
            Do::Mode(path, mode) => fs.set_mode(path, mode).await,
        };
        result.unwrap_or_else(|e| panic!("{step:?}: {e}"));
    }
}

/// `mkdir -p` of the directory holding `path`.
async fn parents(fs: &dyn Vfs, path: &str) -> VfsResult<()> {
    match path::split_parent(path) {
        Some((parent, _)) => fs.create_dir_all(parent).await,
        None => Ok(()),
    }
}
