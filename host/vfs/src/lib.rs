//! Virtual filesystems for wasm-agent sandboxes.
//!
//! A sandbox's guest tools and shell see one directory tree. What backs it is
//! a [`Vfs`]: an async trait with the POSIX operations the WASI layer and the
//! shell need, reading and writing files at offsets through [`VfsFile`]
//! handles. Backends:
//!
//! - [`MemFs`]: an in-memory persistent tree. [`Vfs::fork`] is O(1) and
//!   copies no bytes; file contents are shared until one side writes them.
//!   A snapshot is simply a fork that nobody writes to.
//! - [`HostDirFs`]: a host directory through `cap-std`; `..`, absolute
//!   paths and symlinks can never reach outside it.
//! - [`OverlayFs`]: a read-only lower layer under a writable in-memory upper
//!   layer with whiteouts, which gives a cheap writable fork of anything.
//! - [`MountFs`]: composes backends at mount points (e.g. a memory root with
//!   a host directory at `/workspace`).
//! - [`DevFs`]: the device files of `/dev` (`null`, `zero`, `urandom`…).
//!
//! # Paths
//!
//! Every method takes a normalised absolute path (see [`path`]): callers
//! resolve `.`/`..` lexically and relative paths against their working
//! directory once, with [`path::join_normalized`]. Backends resolve symbolic
//! links *within themselves*: an absolute link target is taken from the
//! backend's own root, so a link can never lead out of the backend that holds
//! it. This keeps every backend a sandbox on its own, at the cost that a
//! symlink in one mount pointing into another mount does not resolve.
//! [`HostDirFs`] is stricter still: it refuses absolute targets and targets
//! that climb above its root (`EACCES`/`EPERM`) instead of reinterpreting
//! links that were written for the host.
//!
//! # Semantics
//!
//! The in-memory backends follow Linux: the same errno, chosen in the same
//! order, for every operation the test suite generates; the suite checks
//! them against a [`HostDirFs`] over a real Linux directory. Handles keep
//! working across rename and unlink, several handles on one file see each
//! other's writes, and forks are isolated in both directions.
//!
//! # Errors
//!
//! Every failure is a [`VfsError`]: a POSIX [`Errno`], the operation and the
//! path, so a guest sees the errno a real kernel would give and a user sees a
//! message naming the file.
//!
//! # Example
//!
//! ```
//! use wasm_agent_vfs::{MemFs, Vfs};
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let fs = MemFs::new();
//! fs.create_dir("/work").await?;
//! fs.write_file("/work/notes.txt", b"hello").await?;
//! let fork = fs.fork()?;
//! fork.write_file("/work/notes.txt", b"changed").await?;
//! assert_eq!(fs.read_file("/work/notes.txt").await?, b"hello");
//! # Ok::<(), wasm_agent_vfs::VfsError>(())
//! # }).unwrap();
//! ```

mod error;
pub mod path;

pub mod changes;
mod dev;
mod host_dir;
mod memory;
mod mount;
mod overlay;

pub use changes::{
    diff, merge, Change, Changes, Conflict, ConflictReason, ContentId, Edit, MergeError,
    MergeOptions, MergeReport, OnConflict,
};
pub use dev::DevFs;
pub use error::{Errno, VfsError, VfsResult};
pub use host_dir::HostDirFs;
pub use memory::MemFs;
pub use mount::MountFs;
pub use overlay::OverlayFs;

use async_trait::async_trait;
use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// The kind of a filesystem object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link (only reported when not following links).
    Symlink,
    /// A character device (the files of [`DevFs`]).
    CharDevice,
}

/// What [`Vfs::metadata`] and [`VfsFile::metadata`] report about an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// File, directory or symlink.
    pub file_type: FileType,
    /// Size in bytes (for a symlink: the length of its target).
    pub len: u64,
    /// Permission bits (`0o644`-style); backends without permissions report
    /// `0o644` for files, `0o755` for directories, `0o777` for symlinks.
    pub mode: u32,
    /// Inode number, unique among live objects of one backend.
    pub ino: u64,
    /// Number of hard links.
    pub nlink: u64,
    /// Last access time.
    pub atime: SystemTime,
    /// Last modification of the contents.
    pub mtime: SystemTime,
    /// Last change of the metadata.
    pub ctime: SystemTime,
}

impl Metadata {
    /// True for a regular file.
    pub fn is_file(&self) -> bool {
        self.file_type == FileType::File
    }

    /// True for a directory.
    pub fn is_dir(&self) -> bool {
        self.file_type == FileType::Dir
    }

    /// True for a symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.file_type == FileType::Symlink
    }
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name (a single path component).
    pub name: String,
    /// Its kind, without following symlinks.
    pub file_type: FileType,
    /// Its inode number.
    pub ino: u64,
}

/// How [`Vfs::open`] opens a file; mirrors `open(2)` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Open for reading.
    pub read: bool,
    /// Open for writing.
    pub write: bool,
    /// Create the file if it does not exist (`O_CREAT`).
    pub create: bool,
    /// Fail with `EEXIST` if the file exists (`O_CREAT|O_EXCL`).
    pub create_new: bool,
    /// Truncate to zero length on open (`O_TRUNC`); needs `write`.
    pub truncate: bool,
    /// Fail with `ELOOP` if the final component is a symlink (`O_NOFOLLOW`).
    pub no_follow: bool,
}

impl OpenOptions {
    /// Read-only, following symlinks.
    pub fn read() -> OpenOptions {
        OpenOptions {
            read: true,
            ..OpenOptions::default()
        }
    }

    /// Write, creating or truncating: what `>` in a shell does.
    pub fn write_truncate() -> OpenOptions {
        OpenOptions {
            write: true,
            create: true,
            truncate: true,
            ..OpenOptions::default()
        }
    }
}

/// An open regular file. Reads and writes are positional: the caller (the
/// WASI fd table) keeps the cursor.
///
/// A handle stays valid when its path is renamed or unlinked, as on POSIX.
#[async_trait]
pub trait VfsFile: Send + Sync + fmt::Debug {
    /// Reads up to `buf.len()` bytes at `offset`; returns 0 at end of file.
    async fn read_at(&self, buf: &mut [u8], offset: u64) -> VfsResult<usize>;

    /// Reads at `offset` until `buf` is full or the file ends; returns the
    /// count. A short [`read_at`](Self::read_at) of a backend does not
    /// mean the end: only a read of 0 does.
    async fn read_full_at(&self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            let n = self
                .read_at(&mut buf[filled..], offset + filled as u64)
                .await?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        Ok(filled)
    }

    /// Writes `buf` at `offset`, growing the file (zero-filled) if needed.
    /// Returns the number of bytes written (all of them unless an error
    /// such as `ENOSPC` interrupts).
    async fn write_at(&self, buf: &[u8], offset: u64) -> VfsResult<usize>;

    /// Appends `buf` atomically at the current end of the file and returns
    /// the offset just past the written bytes (`O_APPEND` semantics).
    async fn append(&self, buf: &[u8]) -> VfsResult<u64> {
        let end = self.metadata().await?.len;
        let n = self.write_at(buf, end).await?;
        Ok(end + n as u64)
    }

    /// Current metadata of the open file.
    async fn metadata(&self) -> VfsResult<Metadata>;

    /// Truncates or zero-extends the file to `len` bytes.
    async fn set_len(&self, len: u64) -> VfsResult<()>;

    /// Sets access and/or modification time (`None` leaves one unchanged).
    async fn set_times(
        &self,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
    ) -> VfsResult<()>;

    /// Makes written data durable in the backend (no-op where writes are
    /// immediate).
    async fn sync(&self) -> VfsResult<()> {
        Ok(())
    }
}

/// A filesystem a sandbox can use. All paths are normalised absolute paths
/// (see the crate docs); every error names the path.
#[async_trait]
pub trait Vfs: Send + Sync + fmt::Debug {
    /// Metadata of `path`, following a final symlink (`stat`).
    async fn metadata(&self, path: &str) -> VfsResult<Metadata>;

    /// Metadata of `path` itself, not following a final symlink (`lstat`).
    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata>;

    /// The entries of the directory at `path`, sorted by name, without `.`
    /// and `..`.
    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>>;

    /// Opens (and maybe creates) the regular file at `path`. Opening a
    /// directory fails with `EISDIR` (`EEXIST` with `create_new`, as on
    /// Linux). As on Linux, `O_RDONLY` is 0: options with neither `read`
    /// nor `write` give a read-only handle, and `create`/`truncate` work
    /// without `write`.
    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>>;

    /// Creates one directory; the parent must exist (`mkdir`).
    async fn create_dir(&self, path: &str) -> VfsResult<()>;

    /// Removes a file or symlink (`unlink`); `EISDIR` for a directory.
    async fn remove_file(&self, path: &str) -> VfsResult<()>;

    /// Removes an empty directory (`rmdir`).
    async fn remove_dir(&self, path: &str) -> VfsResult<()>;

    /// Renames with `rename(2)` semantics: replaces an existing file, or an
    /// empty directory with a directory; `EINVAL` when moving a directory
    /// into itself; `EXDEV` across backends.
    async fn rename(&self, from: &str, to: &str) -> VfsResult<()>;

    /// Creates a symbolic link at `link` whose target text is `target`.
    async fn symlink(&self, target: &str, link: &str) -> VfsResult<()>;

    /// The target text of the symlink at `path`.
    async fn read_link(&self, path: &str) -> VfsResult<String>;

    /// Creates a hard link `new` to the existing file `existing`.
    /// Backends without hard links answer `ENOTSUP`.
    async fn hard_link(&self, existing: &str, new: &str) -> VfsResult<()> {
        let _ = existing;
        Err(VfsError::new(Errno::NotSup, "link", new))
    }

    /// Sets access and/or modification time of `path` (`None` leaves one
    /// unchanged), following a final symlink when `follow` is true.
    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
    ) -> VfsResult<()>;

    /// Sets the permission bits of `path` to `mode & 0o7777`, following a
    /// final symlink (`chmod`). Backends that keep no modes answer
    /// `ENOTSUP`.
    async fn set_mode(&self, path: &str, mode: u32) -> VfsResult<()> {
        let _ = mode;
        Err(VfsError::new(Errno::NotSup, "chmod", path))
    }

    /// Makes every change this backend holds in a local cache durable in
    /// its store, like `sync(2)` for the whole filesystem. Backends that
    /// write through at once have nothing to do. The error names the first
    /// path that failed; backends with several failures list them all in
    /// its detail.
    async fn flush(&self) -> VfsResult<()> {
        Ok(())
    }

    /// Called when a command has finished (the end of a sandbox `exec` or
    /// of an out-of-band file operation). A backend with a write-through
    /// cache makes the command's changes durable now, so the next reader —
    /// possibly another process — sees them; others do nothing.
    async fn settle(&self) -> VfsResult<()> {
        Ok(())
    }

    /// An independent copy-on-write copy of this filesystem: writes to
    /// either side never show in the other. Backends that cannot fork
    /// answer `ENOTSUP`.
    fn fork(&self) -> VfsResult<Arc<dyn Vfs>> {
        Err(VfsError::new(Errno::NotSup, "fork", "/"))
    }

    /// This filesystem as [`Any`], so that an operation over two
    /// filesystems can recognise a backend with a fast path of its own
    /// ([`diff`] of two [`MemFs`] compares shared trees by pointer).
    /// Wrappers answer `None` (the default), since a fast path that skipped
    /// them would skip what they add.
    fn as_any(&self) -> Option<&dyn Any> {
        None
    }

    /// An identifier of the contents of the regular file at `path` that
    /// the backend knows without reading them (a shared buffer, an S3
    /// ETag), or `None` (the default) when it knows none cheaply. Equal ids
    /// mean equal contents; different ids mean nothing, so callers such as
    /// [`diff`] then compare bytes. Errors are those of opening the file.
    async fn content_id(&self, path: &str) -> VfsResult<Option<ContentId>> {
        let _ = path;
        Ok(None)
    }

    /// Reads the whole file at `path`.
    async fn read_file(&self, path: &str) -> VfsResult<Vec<u8>> {
        let file = self.open(path, OpenOptions::read()).await?;
        read_to_end(&*file).await
    }

    /// Creates or truncates the file at `path` and writes `data` to it. The
    /// parent directory must exist.
    async fn write_file(&self, path: &str, data: &[u8]) -> VfsResult<()> {
        let file = self.open(path, OpenOptions::write_truncate()).await?;
        let mut written = 0;
        while written < data.len() {
            written += file.write_at(&data[written..], written as u64).await?;
        }
        file.sync().await
    }

    /// Creates `path` and all missing parents (`mkdir -p`); succeeds if it
    /// is already a directory.
    async fn create_dir_all(&self, path: &str) -> VfsResult<()> {
        let mut current = String::new();
        for component in path::components(path) {
            current.push('/');
            current.push_str(component);
            match self.create_dir(&current).await {
                Ok(()) => {}
                Err(e) if e.errno() == Errno::Exist => {
                    if !self.metadata(&current).await?.is_dir() {
                        return Err(VfsError::new(Errno::NotDir, "mkdir", current));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Removes `path` and, for a directory, everything below it (`rm -r`).
    async fn remove_all(&self, path: &str) -> VfsResult<()> {
        let meta = self.symlink_metadata(path).await?;
        if meta.is_dir() {
            for entry in self.read_dir(path).await? {
                let child = if path == "/" {
                    format!("/{}", entry.name)
                } else {
                    format!("{}/{}", path, entry.name)
                };
                self.remove_all(&child).await?;
            }
            if path != "/" {
                self.remove_dir(path).await?;
            }
            Ok(())
        } else {
            self.remove_file(path).await
        }
    }

    /// True if `path` exists (following symlinks); never errors.
    async fn exists(&self, path: &str) -> bool {
        self.metadata(path).await.is_ok()
    }
}

/// Reads an open file from offset 0 to its end.
///
/// The buffer starts one byte larger than the file's current length, so
/// the read that finds the end needs no second, doubled allocation; a file
/// that grows meanwhile is still read to its new end.
pub(crate) async fn read_to_end(file: &dyn VfsFile) -> VfsResult<Vec<u8>> {
    let len = file.metadata().await?.len;
    let mut out = vec![0; usize::try_from(len).unwrap_or(0).saturating_add(1)];
    let mut filled = 0;
    loop {
        if filled == out.len() {
            out.resize(out.len() * 2 + 4096, 0);
        }
        let n = file.read_at(&mut out[filled..], filled as u64).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    out.truncate(filled);
    Ok(out)
}
