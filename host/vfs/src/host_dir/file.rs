//! [`HostFile`]: an open host file, read and written with `pread`/`pwrite`.

use super::meta::from_std;
use crate::{Metadata, VfsError, VfsFile, VfsResult};
use async_trait::async_trait;
use std::fs::{File, FileTimes};
use std::io::IoSlice;
use std::os::unix::fs::FileExt;
use std::time::SystemTime;

/// An open regular file of a [`HostDirFs`](super::HostDirFs).
///
/// The descriptor was opened with the access mode asked for, so the kernel
/// itself answers `EBADF` to a write on a read-only handle. Like every
/// `HostDirFs` call, I/O runs directly on the calling task (see the module
/// docs for why).
#[derive(Debug)]
pub struct HostFile {
    file: File,
    /// The VFS path it was opened by, for error messages only.
    path: Box<str>,
}

impl HostFile {
    pub(super) fn new(file: File, path: &str) -> HostFile {
        HostFile {
            file,
            path: path.into(),
        }
    }

    fn err(&self, op: &'static str) -> impl FnOnce(std::io::Error) -> VfsError + '_ {
        move |e| VfsError::from_io(&e, op, &*self.path)
    }
}

#[async_trait]
impl VfsFile for HostFile {
    async fn read_at(&self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        self.file.read_at(buf, offset).map_err(self.err("read"))
    }

    async fn write_at(&self, buf: &[u8], offset: u64) -> VfsResult<usize> {
        self.file.write_at(buf, offset).map_err(self.err("write"))
    }

    /// `pwritev2(RWF_APPEND)`: the kernel places the bytes at the end
    /// atomically, even against other processes appending to the file.
    async fn append(&self, buf: &[u8]) -> VfsResult<u64> {
        rustix::io::pwritev2(
            &self.file,
            &[IoSlice::new(buf)],
            0,
            rustix::io::ReadWriteFlags::APPEND,
        )
        .map_err(|e| VfsError::from_io(&e.into(), "write", &*self.path))?;
        // The end of the file after our bytes (all of them, or the part a
        // full disk took): exact unless another writer appended in between,
        // in which case it is where Linux leaves an O_APPEND cursor too.
        let end = self.file.metadata().map_err(self.err("write"))?.len();
        Ok(end)
    }

    async fn metadata(&self) -> VfsResult<Metadata> {
        self.file
            .metadata()
            .map(|m| from_std(&m))
            .map_err(self.err("fstat"))
    }

    async fn set_len(&self, len: u64) -> VfsResult<()> {
        self.file.set_len(len).map_err(self.err("truncate"))
    }

    async fn set_times(
        &self,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
    ) -> VfsResult<()> {
        let mut times = FileTimes::new();
        if let Some(atime) = atime {
            times = times.set_accessed(atime);
        }
        if let Some(mtime) = mtime {
            times = times.set_modified(mtime);
        }
        self.file.set_times(times).map_err(self.err("futimens"))
    }

    /// A no-op: every write is in the host's page cache at once, visible to
    /// every reader, which is what "written" means to a sandbox. An fsync to
    /// survive a host crash costs milliseconds, and `Vfs::write_file` calls
    /// `sync` after every file it writes.
    async fn sync(&self) -> VfsResult<()> {
        Ok(())
    }
}
