//! The objects of the in-memory tree: inodes, directory entries, and what
//! each one costs against the byte quota.

use crate::{FileType, Metadata};
use imbl::OrdMap;
use std::sync::Arc;
use std::time::SystemTime;

/// An inode number; unique among the live inodes of one [`Tree`](super::tree::Tree).
pub(crate) type Ino = u64;

/// The root directory's inode number (tmpfs also uses 1).
pub(crate) const ROOT_INO: Ino = 1;

/// Quota charged per inode on top of its contents: roughly what the inode
/// record and its slot in the inode table take in memory, so that millions of
/// empty files cannot exhaust memory while the byte count stays at zero.
pub(crate) const INODE_COST: u64 = 128;

/// Quota charged per directory entry on top of its name's length: the entry's
/// slot in the directory's B-tree and the name's allocation header.
pub(crate) const ENTRY_COST: u64 = 64;

/// The largest file size accepted (`off_t` is signed); larger offsets fail
/// with `EFBIG` before any allocation is attempted.
pub(crate) const MAX_FILE_SIZE: u64 = i64::MAX as u64;

/// One file, directory or symlink.
///
/// Inodes live behind an `Arc` in the persistent inode table, so cloning one
/// (which happens when a shared table node or a shared inode is modified
/// after a fork) copies a few words: file contents are behind their own
/// `Arc` and directory maps are persistent themselves.
#[derive(Clone, Debug)]
pub(crate) struct Inode {
    pub kind: Kind,
    /// Number of directory entries naming this inode (files and symlinks;
    /// a directory's link count is derived from its subdirectories).
    pub nlink: u32,
    /// Permission bits (`mode & 0o7777`); kept next to `nlink` so the
    /// field fits in what was padding.
    pub mode: u16,
    pub atime: SystemTime,
    pub mtime: SystemTime,
    pub ctime: SystemTime,
}

/// What an inode holds.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// File contents, shared with forks until one side writes
    /// (`Arc::make_mut` copies them then).
    File(Arc<Vec<u8>>),
    Dir(Dir),
    /// The link's target text, never empty.
    Symlink(Arc<str>),
}

/// A directory's entries and its place in the tree.
#[derive(Clone, Debug)]
pub(crate) struct Dir {
    /// Entries by name; the B-tree keeps them sorted for `read_dir`.
    pub entries: OrdMap<Arc<str>, Entry>,
    /// The parent directory (the root is its own parent). Directories have
    /// exactly one parent, which makes `..` in symlink targets and the
    /// rename-into-itself check walks up the tree instead of path strings.
    pub parent: Ino,
    /// Number of subdirectories, for the Unix link count `2 + subdirs`.
    pub subdirs: u32,
    /// Total length of the entry names, for the quota.
    pub names_len: u64,
}

/// A directory entry: the inode it names and that inode's kind, kept here so
/// that listing a directory and walking a path need not fetch every inode.
/// An inode's kind never changes, so the copy cannot go stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub ino: Ino,
    pub ty: FileType,
}

impl Dir {
    /// An empty directory below `parent`.
    pub fn new(parent: Ino) -> Dir {
        Dir {
            entries: OrdMap::new(),
            parent,
            subdirs: 0,
            names_len: 0,
        }
    }

    /// Adds `name` (which must be absent).
    pub fn insert(&mut self, name: &str, entry: Entry) {
        self.names_len += name.len() as u64;
        if entry.ty == FileType::Dir {
            self.subdirs += 1;
        }
        self.entries.insert(Arc::from(name), entry);
    }

    /// Removes `name` and returns what it named.
    pub fn remove(&mut self, name: &str) -> Option<Entry> {
        let entry = self.entries.remove(name)?;
        self.names_len -= name.len() as u64;
        if entry.ty == FileType::Dir {
            self.subdirs -= 1;
        }
        Some(entry)
    }
}

impl Inode {
    /// A fresh inode with all three times set to `now` and the mode a
    /// process with umask 022 gets: `0o644` for files, `0o755` for
    /// directories, `0o777` for symlinks.
    pub fn new(kind: Kind, now: SystemTime) -> Inode {
        let mode = match kind {
            Kind::File(_) => 0o644,
            Kind::Dir(_) => 0o755,
            Kind::Symlink(_) => 0o777,
        };
        Inode {
            kind,
            nlink: 1,
            mode,
            atime: now,
            mtime: now,
            ctime: now,
        }
    }

    /// The kind as reported to callers.
    pub fn file_type(&self) -> FileType {
        match self.kind {
            Kind::File(_) => FileType::File,
            Kind::Dir(_) => FileType::Dir,
            Kind::Symlink(_) => FileType::Symlink,
        }
    }

    /// What this inode costs against the quota. The tree keeps the sum of
    /// all costs up to date by comparing costs before and after each change.
    pub fn cost(&self) -> u64 {
        INODE_COST
            + match &self.kind {
                Kind::File(data) => data.len() as u64,
                Kind::Symlink(target) => target.len() as u64,
                Kind::Dir(dir) => dir.entries.len() as u64 * ENTRY_COST + dir.names_len,
            }
    }

    /// The directory, if this is one.
    pub fn as_dir(&self) -> Option<&Dir> {
        match &self.kind {
            Kind::Dir(dir) => Some(dir),
            _ => None,
        }
    }

    /// The directory, mutably; callers only pass inodes they resolved as
    /// directories.
    pub fn dir_mut(&mut self) -> &mut Dir {
        match &mut self.kind {
            Kind::Dir(dir) => dir,
            _ => unreachable!("inode resolved as a directory is not one"),
        }
    }

    /// The file contents, if this is a regular file.
    pub fn as_file(&self) -> Option<&Arc<Vec<u8>>> {
        match &self.kind {
            Kind::File(data) => Some(data),
            _ => None,
        }
    }

    /// The contents for writing (copied first if a fork shares them).
    pub fn file_mut(&mut self) -> &mut Vec<u8> {
        match &mut self.kind {
            Kind::File(data) => Arc::make_mut(data),
            _ => unreachable!("inode opened as a file is not one"),
        }
    }

    /// `stat` of this inode.
    pub fn metadata(&self, ino: Ino) -> Metadata {
        let (len, nlink) = match &self.kind {
            Kind::File(data) => (data.len() as u64, u64::from(self.nlink)),
            Kind::Dir(dir) => (dir_size(dir), 2 + u64::from(dir.subdirs)),
            Kind::Symlink(target) => (target.len() as u64, u64::from(self.nlink)),
        };
        Metadata {
            file_type: self.file_type(),
            len,
            mode: u32::from(self.mode),
            ino,
            nlink,
            atime: self.atime,
            mtime: self.mtime,
            ctime: self.ctime,
        }
    }
}

/// The size a directory reports: what ext4 (the filesystem of most hosts
/// and containers) would, so `stat`, `ls -l` and `du -b` agree between the
/// memory backend and a host directory for typical directories. An ext4
/// entry takes 8 bytes plus its name rounded up to 4 (about 10 + name on
/// average); `.` and `..` take 24; a directory of one 4 KiB block turns
/// into an indexed tree past that: a root block plus leaf blocks that splits
/// leave about three quarters full. Very large directories can differ from
/// a real ext4 by a block or two.
fn dir_size(dir: &Dir) -> u64 {
    const BLOCK: u64 = 4096;
    let bytes = 24 + 10 * dir.entries.len() as u64 + dir.names_len;
    if bytes <= BLOCK {
        BLOCK
    } else {
        (1 + bytes.div_ceil(BLOCK * 3 / 4)) * BLOCK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_tracks_names_and_subdirs() {
        let mut dir = Dir::new(ROOT_INO);
        dir.insert(
            "sub",
            Entry {
                ino: 2,
                ty: FileType::Dir,
            },
        );
        dir.insert(
            "file.txt",
            Entry {
                ino: 3,
                ty: FileType::File,
            },
        );
        assert_eq!(dir.subdirs, 1);
        assert_eq!(dir.names_len, 11);
        assert_eq!(dir.remove("sub").map(|e| e.ino), Some(2));
        assert_eq!(dir.subdirs, 0);
        assert_eq!(dir.names_len, 8);
        assert!(dir.remove("sub").is_none());
    }

    #[test]
    fn cost_counts_contents_names_and_a_fixed_part() {
        let now = SystemTime::now();
        let file = Inode::new(Kind::File(Arc::new(vec![0; 10])), now);
        assert_eq!(file.cost(), INODE_COST + 10);
        let mut dir = Dir::new(ROOT_INO);
        dir.insert(
            "abc",
            Entry {
                ino: 5,
                ty: FileType::File,
            },
        );
        let dir = Inode::new(Kind::Dir(dir), now);
        assert_eq!(dir.cost(), INODE_COST + ENTRY_COST + 3);
        let link = Inode::new(Kind::Symlink(Arc::from("target")), now);
        assert_eq!(link.cost(), INODE_COST + 6);
    }

    #[test]
    fn metadata_reports_unix_modes_and_link_counts() {
        let now = SystemTime::now();
        let mut dir = Dir::new(ROOT_INO);
        dir.insert(
            "d",
            Entry {
                ino: 9,
                ty: FileType::Dir,
            },
        );
        let meta = Inode::new(Kind::Dir(dir), now).metadata(7);
        assert_eq!((meta.mode, meta.nlink, meta.ino), (0o755, 3, 7));
        let meta = Inode::new(Kind::Symlink(Arc::from("ab")), now).metadata(8);
        assert_eq!((meta.mode, meta.len), (0o777, 2));
        assert!(meta.is_symlink());
    }
}
