//! [`HostDirFs`]: a directory of the host, confined with `cap-std`.
//!
//! # Confinement
//!
//! Every operation goes through a `cap_std::fs::Dir` opened once on the
//! root. On Linux ≥ 5.6 cap-std resolves with `openat2(RESOLVE_BENEATH)`,
//! elsewhere component by component; either way no path, `..` or symlink
//! can name anything outside the directory. A symlink with an absolute
//! target, or a relative one that climbs out, fails with `EACCES`/`EPERM`
//! when used (the link itself may exist and be read with `read_link`). Paths
//! arrive normalised, so `..` past `/` was already clamped to the root.
//!
//! This differs from [`MemFs`](crate::MemFs) on purpose: there an absolute
//! target is taken from the filesystem's own root, here it is refused,
//! because following it would mean interpreting host symlinks that were
//! never meant for this sandbox.
//!
//! # Blocking
//!
//! Calls run the blocking syscalls directly on the calling task instead of
//! going through `spawn_blocking`. Operations on a local disk take a few
//! microseconds when the page cache is warm, which is the common case for a
//! sandbox's working tree; `spawn_blocking` alone costs ~10 µs per call plus
//! a thread hand-off, and a guest makes one VFS call per syscall. The price
//! is that a slow disk or network filesystem stalls the executor thread for
//! the duration of the call, so such directories should not be mounted.
//!
//! # Read-only mode
//!
//! [`HostDirFs::read_only`] answers `EROFS` to every operation that would
//! change the directory (open for writing or creating, mkdir, unlink,
//! rename, symlink, link, setting times).

mod file;
mod meta;

pub use file::HostFile;

use crate::{DirEntry, Errno, Metadata, OpenOptions, Vfs, VfsError, VfsFile, VfsResult};
use async_trait::async_trait;
use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt, SystemTimeSpec};
use cap_std::fs::{Dir, OpenOptionsExt};
use rustix::fs::OFlags;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// A host directory as a [`Vfs`], confined to that directory.
#[derive(Clone)]
pub struct HostDirFs {
    dir: Arc<Dir>,
    read_only: bool,
    /// The host path, for `Debug` only; operations never use it.
    root: Arc<Path>,
}

impl HostDirFs {
    /// Opens the host directory `path` read-write.
    pub fn new(path: impl AsRef<Path>) -> VfsResult<HostDirFs> {
        HostDirFs::open(path.as_ref(), false)
    }

    /// Opens the host directory `path`; every change fails with `EROFS`.
    pub fn read_only(path: impl AsRef<Path>) -> VfsResult<HostDirFs> {
        HostDirFs::open(path.as_ref(), true)
    }

    fn open(path: &Path, read_only: bool) -> VfsResult<HostDirFs> {
        let dir = Dir::open_ambient_dir(path, cap_std::ambient_authority())
            .map_err(|e| VfsError::from_io(&e, "open", path.display().to_string()))?;
        Ok(HostDirFs {
            dir: Arc::new(dir),
            read_only,
            root: Arc::from(path),
        })
    }

    /// True if every change is refused with `EROFS`.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The host directory this filesystem shows.
    pub fn host_path(&self) -> PathBuf {
        self.root.to_path_buf()
    }

    fn writable(&self, op: &'static str, path: &str) -> VfsResult<()> {
        if self.read_only {
            Err(VfsError::new(Errno::Rofs, op, path))
        } else {
            Ok(())
        }
    }
}

impl fmt::Debug for HostDirFs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostDirFs")
            .field("root", &self.root)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// The VFS path relative to the root directory handle. Paths should arrive
/// normalised; one that does not (say `/../x`) is still confined, because
/// cap-std refuses to resolve it outside the root.
fn rel(path: &str) -> &str {
    match path.strip_prefix('/') {
        Some("") | None => ".",
        Some(rest) => rest,
    }
}

/// Maps a host error, keeping the VFS path in the message.
fn io<'a>(op: &'static str, path: &'a str) -> impl FnOnce(std::io::Error) -> VfsError + 'a {
    move |e| VfsError::from_io(&e, op, path)
}

fn spec(time: Option<SystemTime>) -> Option<SystemTimeSpec> {
    time.map(|t| SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(t)))
}

#[async_trait]
impl Vfs for HostDirFs {
    async fn metadata(&self, path: &str) -> VfsResult<Metadata> {
        let meta = self.dir.metadata(rel(path)).map_err(io("stat", path))?;
        Ok(meta::from_cap(&meta))
    }

    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata> {
        let meta = self
            .dir
            .symlink_metadata(rel(path))
            .map_err(io("lstat", path))?;
        Ok(meta::from_cap(&meta))
    }

    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        use rustix::fs::DirEntryExt;
        let mut entries = Vec::new();
        for entry in self.dir.read_dir(rel(path)).map_err(io("opendir", path))? {
            let entry = entry.map_err(io("readdir", path))?;
            let file_type = entry.file_type().map_err(io("readdir", path))?;
            let file_type = if file_type.is_dir() {
                crate::FileType::Dir
            } else if file_type.is_symlink() {
                crate::FileType::Symlink
            } else {
                crate::FileType::File
            };
            // A name that is not UTF-8 is listed lossily rather than hiding
            // the file or failing the whole listing; opening it by the
            // listed name then fails with ENOENT.
            let name = entry.file_name().to_string_lossy().into_owned();
            entries.push(DirEntry {
                name,
                file_type,
                ino: entry.ino(),
            });
        }
        entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>> {
        let creates = options.create || options.create_new || options.truncate;
        if options.write || creates {
            self.writable("open", path)?;
        }
        let mut opts = cap_std::fs::OpenOptions::new();
        // O_RDONLY is 0: neither flag means a read-only descriptor.
        opts.read(options.read || !options.write)
            .write(options.write);
        // Creation flags go in as raw flags: std-style option checks refuse
        // O_CREAT and O_TRUNC without write access, Linux does not.
        let mut flags = OFlags::empty();
        if options.create || options.create_new {
            flags |= OFlags::CREATE;
        }
        if options.create_new {
            flags |= OFlags::EXCL;
        }
        if options.truncate {
            flags |= OFlags::TRUNC;
        }
        opts.custom_flags(flags.bits() as i32);
        if options.no_follow {
            opts.follow(FollowSymlinks::No);
        }
        let file = self
            .dir
            .open_with(rel(path), &opts)
            .map_err(io("open", path))?
            .into_std();
        // Linux opens a directory read-only (with any other access it says
        // EISDIR itself); this trait has no directory handles.
        if !options.write && !creates && file.metadata().map_err(io("open", path))?.is_dir() {
            return Err(VfsError::new(Errno::IsDir, "open", path));
        }
        Ok(Arc::new(HostFile::new(file, path)))
    }

    async fn create_dir(&self, path: &str) -> VfsResult<()> {
        self.writable("mkdir", path)?;
        self.dir.create_dir(rel(path)).map_err(io("mkdir", path))
    }

    async fn remove_file(&self, path: &str) -> VfsResult<()> {
        self.writable("unlink", path)?;
        if path == "/" {
            return Err(VfsError::new(Errno::IsDir, "unlink", path));
        }
        self.dir.remove_file(rel(path)).map_err(io("unlink", path))
    }

    async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        self.writable("rmdir", path)?;
        if path == "/" {
            // rmdir("/") on Linux; rmdir(".") would say EINVAL.
            return Err(VfsError::new(Errno::Busy, "rmdir", path));
        }
        self.dir.remove_dir(rel(path)).map_err(io("rmdir", path))
    }

    async fn rename(&self, from: &str, to: &str) -> VfsResult<()> {
        self.writable("rename", from)?;
        self.dir
            .rename(rel(from), &self.dir, rel(to))
            .map_err(io("rename", from))
    }

    async fn symlink(&self, target: &str, link: &str) -> VfsResult<()> {
        self.writable("symlink", link)?;
        // The target is stored verbatim (absolute ones included): it is
        // only text until resolved, and resolution is confined.
        self.dir
            .symlink_contents(target, rel(link))
            .map_err(io("symlink", link))
    }

    async fn read_link(&self, path: &str) -> VfsResult<String> {
        let target = self
            .dir
            .read_link_contents(rel(path))
            .map_err(io("readlink", path))?;
        target
            .into_os_string()
            .into_string()
            .map_err(|_| VfsError::new(Errno::IlSeq, "readlink", path))
    }

    async fn hard_link(&self, existing: &str, new: &str) -> VfsResult<()> {
        self.writable("link", new)?;
        // linkat(2) looks `existing` up before `new`'s parent; cap-std opens
        // both parents first, which would report a bad `new` parent before a
        // missing `existing`. One lstat restores Linux's order.
        self.dir
            .symlink_metadata(rel(existing))
            .map_err(io("link", existing))?;
        self.dir
            .hard_link(rel(existing), &self.dir, rel(new))
            .map_err(io("link", new))
    }

    /// One open, one read loop, one close: no handle object and no
    /// separate directory check (reading a directory fails with `EISDIR`).
    async fn read_file(&self, path: &str) -> VfsResult<Vec<u8>> {
        self.dir.read(rel(path)).map_err(io("read", path))
    }

    async fn write_file(&self, path: &str, data: &[u8]) -> VfsResult<()> {
        self.writable("open", path)?;
        self.dir.write(rel(path), data).map_err(io("write", path))
    }

    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
    ) -> VfsResult<()> {
        self.writable("utimensat", path)?;
        let result = if follow {
            DirExt::set_times(&*self.dir, rel(path), spec(atime), spec(mtime))
        } else {
            self.dir
                .set_symlink_times(rel(path), spec(atime), spec(mtime))
        };
        result.map_err(io("utimensat", path))
    }

    async fn set_mode(&self, path: &str, mode: u32) -> VfsResult<()> {
        use cap_std::fs::{Permissions, PermissionsExt};
        self.writable("chmod", path)?;
        self.dir
            .set_permissions(rel(path), Permissions::from_mode(mode & 0o7777))
            .map_err(io("chmod", path))
    }
}
