//! File contents: positional reads and writes on a [`Tree`], and the
//! [`MemFile`] handle that performs them by inode number.

use super::inode::{Ino, Kind, MAX_FILE_SIZE};
use super::tree::Tree;
use super::Core;
use crate::{Errno, Metadata, VfsError, VfsFile, VfsResult};
use async_trait::async_trait;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

impl Tree {
    /// Copies bytes at `offset` into `buf`; 0 at or past the end.
    ///
    /// Reads leave the access time alone, as on a `noatime` mount: updating
    /// it would make every read in a fork copy the inode and its path in
    /// the inode table, so a `grep -r` over a forked base image would
    /// duplicate all its metadata.
    pub fn read_at(&self, ino: Ino, buf: &mut [u8], offset: u64) -> usize {
        let Some(data) = self.get(ino).as_file() else {
            return 0;
        };
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(data.len());
        let n = buf.len().min(data.len() - start);
        buf[..n].copy_from_slice(&data[start..start + n]);
        n
    }

    /// The whole contents (one copy).
    pub fn read_all(&self, ino: Ino) -> Vec<u8> {
        self.get(ino)
            .as_file()
            .map(|d| d.to_vec())
            .unwrap_or_default()
    }

    /// Writes `buf` at `offset`, zero-filling any gap.
    ///
    /// Under a quota, a write that does not fit entirely writes the prefix
    /// that fits and returns its length (a short write, as Linux does when a
    /// disk fills up); the next write then fails with `ENOSPC`. A write of
    /// which nothing fits fails with `ENOSPC` and changes nothing.
    pub fn write_at(
        &mut self,
        ino: Ino,
        buf: &[u8],
        offset: u64,
        now: SystemTime,
    ) -> Result<usize, Errno> {
        if buf.is_empty() {
            return Ok(0);
        }
        let end = offset
            .checked_add(buf.len() as u64)
            .filter(|&end| end <= MAX_FILE_SIZE)
            .ok_or(Errno::FBig)?;
        let len = self.get(ino).as_file().map_or(0, |d| d.len() as u64);
        let room = self.room();
        let n = if end.saturating_sub(len) <= room {
            buf.len()
        } else {
            let allowed_end = len + room;
            if allowed_end <= offset {
                return Err(Errno::NoSpc);
            }
            (allowed_end - offset) as usize
        };
        let start = usize::try_from(offset).map_err(|_| Errno::FBig)?;
        self.update(ino, |inode| {
            let data = inode.file_mut();
            let new_end = start + n;
            if data.len() < new_end {
                data.try_reserve(new_end - data.len())
                    .map_err(|_| Errno::NoSpc)?;
                data.resize(new_end, 0);
            }
            data[start..new_end].copy_from_slice(&buf[..n]);
            inode.mtime = now;
            inode.ctime = now;
            Ok(n)
        })
    }

    /// Truncates or zero-extends to `len`; growing past the quota fails
    /// with `ENOSPC` and changes nothing.
    pub fn set_len(&mut self, ino: Ino, len: u64, now: SystemTime) -> Result<(), Errno> {
        if len > MAX_FILE_SIZE {
            return Err(Errno::FBig);
        }
        let old = self.get(ino).as_file().map_or(0, |d| d.len() as u64);
        self.reserve(len.saturating_sub(old))?;
        let len = usize::try_from(len).map_err(|_| Errno::FBig)?;
        self.update(ino, |inode| {
            if let Kind::File(shared) = &mut inode.kind {
                if len == 0 {
                    // Drop (or stop sharing) the old buffer instead of
                    // copying it just to empty it.
                    *shared = Arc::new(Vec::new());
                } else if len != shared.len() {
                    let data = Arc::make_mut(shared);
                    if len > data.len() {
                        data.try_reserve(len - data.len())
                            .map_err(|_| Errno::NoSpc)?;
                    }
                    data.resize(len, 0);
                    if data.capacity() > 4 * len.max(64) {
                        data.shrink_to_fit();
                    }
                }
            }
            inode.mtime = now;
            inode.ctime = now;
            Ok(())
        })
    }
}

/// An open file of a [`MemFs`](super::MemFs): an inode number plus access
/// mode. Every call goes through the filesystem's lock, so several handles
/// on one file (and path operations) see each other's writes at once. The
/// handle keeps the inode alive after unlink and follows it across renames.
///
/// A handle belongs to the filesystem it was opened on: after a fork it
/// still reads and writes the original, never the fork.
pub struct MemFile {
    core: Arc<Mutex<Core>>,
    ino: Ino,
    read: bool,
    write: bool,
    /// The path it was opened by, for error messages only.
    path: Box<str>,
}

impl MemFile {
    pub(super) fn new(
        core: Arc<Mutex<Core>>,
        ino: Ino,
        read: bool,
        write: bool,
        path: &str,
    ) -> MemFile {
        MemFile {
            core,
            ino,
            read,
            write,
            path: path.into(),
        }
    }

    fn err(&self, errno: Errno, op: &'static str) -> VfsError {
        VfsError::new(errno, op, &*self.path)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Core> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for MemFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemFile")
            .field("ino", &self.ino)
            .field("read", &self.read)
            .field("write", &self.write)
            .field("path", &self.path)
            .finish()
    }
}

#[async_trait]
impl VfsFile for MemFile {
    async fn read_at(&self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        if !self.read {
            return Err(self.err(Errno::BadF, "read"));
        }
        Ok(self.lock().tree.read_at(self.ino, buf, offset))
    }

    async fn write_at(&self, buf: &[u8], offset: u64) -> VfsResult<usize> {
        if !self.write {
            return Err(self.err(Errno::BadF, "write"));
        }
        let now = SystemTime::now();
        self.lock()
            .tree
            .write_at(self.ino, buf, offset, now)
            .map_err(|e| self.err(e, "write"))
    }

    async fn append(&self, buf: &[u8]) -> VfsResult<u64> {
        if !self.write {
            return Err(self.err(Errno::BadF, "write"));
        }
        let now = SystemTime::now();
        let mut core = self.lock();
        let end = core
            .tree
            .get(self.ino)
            .as_file()
            .map_or(0, |d| d.len() as u64);
        let n = core
            .tree
            .write_at(self.ino, buf, end, now)
            .map_err(|e| self.err(e, "write"))?;
        Ok(end + n as u64)
    }

    async fn metadata(&self) -> VfsResult<Metadata> {
        Ok(self.lock().tree.get(self.ino).metadata(self.ino))
    }

    async fn set_len(&self, len: u64) -> VfsResult<()> {
        if !self.write {
            // ftruncate(2) on a descriptor not open for writing.
            return Err(self.err(Errno::Inval, "truncate"));
        }
        let now = SystemTime::now();
        self.lock()
            .tree
            .set_len(self.ino, len, now)
            .map_err(|e| self.err(e, "truncate"))
    }

    async fn set_times(
        &self,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
    ) -> VfsResult<()> {
        let now = SystemTime::now();
        self.lock()
            .tree
            .set_inode_times(self.ino, atime, mtime, now);
        Ok(())
    }
}

impl Drop for MemFile {
    fn drop(&mut self) {
        let mut core = self.lock();
        let core = &mut *core;
        let Some(count) = core.open.get_mut(&self.ino) else {
            return;
        };
        *count -= 1;
        if *count == 0 {
            core.open.remove(&self.ino);
            if core
                .tree
                .try_get(self.ino)
                .is_some_and(|inode| inode.nlink == 0)
            {
                core.tree.remove(self.ino);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::inode::{Inode, INODE_COST};

    fn file(tree: &mut Tree, contents: &[u8]) -> Ino {
        tree.insert(Inode::new(
            Kind::File(Arc::new(contents.to_vec())),
            SystemTime::now(),
        ))
    }

    #[test]
    fn writes_past_the_end_zero_fill() {
        let mut tree = Tree::new(u64::MAX);
        let now = SystemTime::now();
        let ino = file(&mut tree, b"ab");
        assert_eq!(tree.write_at(ino, b"z", 4, now), Ok(1));
        assert_eq!(tree.read_all(ino), b"ab\0\0z");
        let mut buf = [0u8; 8];
        assert_eq!(tree.read_at(ino, &mut buf, 3), 2);
        assert_eq!(&buf[..2], b"\0z");
        assert_eq!(tree.read_at(ino, &mut buf, 99), 0);
    }

    #[test]
    fn quota_gives_short_write_then_enospc() {
        let mut tree = Tree::new(INODE_COST + 10);
        let now = SystemTime::now();
        let ino = file(&mut tree, b"");
        assert_eq!(tree.write_at(ino, b"0123456789abc", 0, now), Ok(10));
        assert_eq!(tree.write_at(ino, b"x", 10, now), Err(Errno::NoSpc));
        // Overwriting inside the file needs no room.
        assert_eq!(tree.write_at(ino, b"AB", 0, now), Ok(2));
        assert_eq!(tree.set_len(ino, 11, now), Err(Errno::NoSpc));
        tree.set_len(ino, 4, now).unwrap();
        assert_eq!(tree.read_all(ino), b"AB23");
        assert_eq!(tree.used(), INODE_COST + 4);
    }

    #[test]
    fn huge_offsets_fail_with_efbig() {
        let mut tree = Tree::new(u64::MAX);
        let now = SystemTime::now();
        let ino = file(&mut tree, b"");
        assert_eq!(tree.write_at(ino, b"x", u64::MAX, now), Err(Errno::FBig));
        assert_eq!(tree.set_len(ino, u64::MAX, now), Err(Errno::FBig));
    }

    #[test]
    fn reads_in_a_fork_copy_nothing() {
        let mut tree = Tree::new(u64::MAX);
        let ino = file(&mut tree, b"shared");
        let fork = tree.clone();
        let mut buf = [0u8; 6];
        assert_eq!(fork.read_at(ino, &mut buf, 0), 6);
        assert_eq!(fork.read_all(ino), b"shared");
        // Still the very same inode record, not a copy.
        assert!(std::ptr::eq(tree.get(ino), fork.get(ino)));
    }
}
