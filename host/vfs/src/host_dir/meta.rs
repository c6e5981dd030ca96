//! Host metadata to [`Metadata`].

use crate::{FileType, Metadata};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The fields both `std` and `cap-std` metadata expose on Unix.
pub(super) struct Raw {
    pub is_dir: bool,
    pub is_symlink: bool,
    pub len: u64,
    pub mode: u32,
    pub ino: u64,
    pub nlink: u64,
    pub atime: (i64, i64),
    pub mtime: (i64, i64),
    pub ctime: (i64, i64),
}

impl Raw {
    /// Sockets, FIFOs and devices appear as regular files: the VFS models
    /// only the three kinds guests need, and opening one is left to fail or
    /// succeed as the host decides.
    pub fn into_metadata(self) -> Metadata {
        let file_type = if self.is_dir {
            FileType::Dir
        } else if self.is_symlink {
            FileType::Symlink
        } else {
            FileType::File
        };
        Metadata {
            file_type,
            len: self.len,
            mode: self.mode & 0o7777,
            ino: self.ino,
            nlink: self.nlink,
            atime: time(self.atime),
            mtime: time(self.mtime),
            ctime: time(self.ctime),
        }
    }
}

/// Seconds and nanoseconds since the epoch (possibly before it).
fn time((secs, nanos): (i64, i64)) -> SystemTime {
    let nanos = Duration::from_nanos(nanos.clamp(0, 999_999_999) as u64);
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64) + nanos
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs()) + nanos
    }
}

/// From `cap-std` metadata (path operations).
pub(super) fn from_cap(meta: &cap_std::fs::Metadata) -> Metadata {
    use cap_std::fs::MetadataExt;
    Raw {
        is_dir: meta.is_dir(),
        is_symlink: meta.is_symlink(),
        len: meta.len(),
        mode: meta.mode(),
        ino: meta.ino(),
        nlink: meta.nlink(),
        atime: (meta.atime(), meta.atime_nsec()),
        mtime: (meta.mtime(), meta.mtime_nsec()),
        ctime: (meta.ctime(), meta.ctime_nsec()),
    }
    .into_metadata()
}

/// From `std` metadata (open files).
pub(super) fn from_std(meta: &std::fs::Metadata) -> Metadata {
    use std::os::unix::fs::MetadataExt;
    Raw {
        is_dir: meta.is_dir(),
        is_symlink: meta.is_symlink(),
        len: meta.len(),
        mode: meta.mode(),
        ino: meta.ino(),
        nlink: meta.nlink(),
        atime: (meta.atime(), meta.atime_nsec()),
        mtime: (meta.mtime(), meta.mtime_nsec()),
        ctime: (meta.ctime(), meta.ctime_nsec()),
    }
    .into_metadata()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_times_before_and_after_the_epoch() {
        assert_eq!(time((1, 5)), UNIX_EPOCH + Duration::new(1, 5));
        assert_eq!(time((-1, 0)), UNIX_EPOCH - Duration::from_secs(1));
        assert_eq!(
            time((-2, 500_000_000)),
            UNIX_EPOCH - Duration::from_millis(1500)
        );
    }

    #[test]
    fn classifies_kinds_and_masks_mode() {
        let raw = |is_dir, is_symlink| Raw {
            is_dir,
            is_symlink,
            len: 3,
            mode: 0o100644,
            ino: 9,
            nlink: 1,
            atime: (0, 0),
            mtime: (0, 0),
            ctime: (0, 0),
        };
        assert_eq!(raw(true, false).into_metadata().file_type, FileType::Dir);
        assert_eq!(
            raw(false, true).into_metadata().file_type,
            FileType::Symlink
        );
        let meta = raw(false, false).into_metadata();
        assert_eq!((meta.file_type, meta.mode), (FileType::File, 0o644));
    }
}
