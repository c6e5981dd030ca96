//! What changed between two trees ([`diff`]), and carrying one side's
//! changes over to another ([`merge`]), over any [`Vfs`].
//!
//! # What a diff reports
//!
//! [`diff`]`(base, other, root)` walks both trees below `root` and lists
//! every path whose object differs, in three sorted lists ([`Changes`]):
//!
//! - **added**: present in `other` only; **deleted**: present in `base`
//!   only. An added or deleted directory is listed *with everything below
//!   it*, so deleting a non-empty directory shows its files as deleted (as
//!   `git status` does) and an added empty directory still shows up (unlike
//!   git: here an empty directory is state a merge must reproduce).
//! - **modified**: a regular file whose bytes differ, or a symlink whose
//!   target text differs. Links are compared, never followed. Directories
//!   are compared by existence only, so they are never "modified"; device
//!   files likewise.
//! - A path whose kind changed (a file that became a directory) is deleted
//!   as the old kind and added as the new one.
//!
//! Permission bits and times are not compared: a diff is about contents,
//! and backends differ in which modes they keep.
//!
//! # Cost
//!
//! The generic walk reads every directory on both sides and `lstat`s the
//! paths present on both, but reads a file's bytes only when it has to:
//! files of different sizes differ, files whose [`Vfs::content_id`]s are
//! equal are equal, and only same-size files without equal ids are
//! compared, in chunks, up to the first difference.
//!
//! Two [`MemFs`] trees take a fast path (recognised through
//! [`Vfs::as_any`]): it walks both trees' records directly, without
//! locking, allocating or copying for unchanged objects, and never compares
//! bytes of a file whose buffer a fork still shares. An untouched fork
//! costs O(1); otherwise the walk visits every entry below `root`, since
//! the memory backend's inode table does not record which subtrees hold
//! changes (see `mem_diff`).
//!
//! # Merge
//!
//! [`merge`]`(base, ours, theirs, root, options)` writes into `ours` what
//! `theirs` changed since `base`, path by path. A path both sides changed
//! differently, or a directory one side removed while the other changed
//! something below it, is a [`Conflict`]; [`OnConflict`] says whether such
//! paths keep ours, take theirs, or stop the merge before it writes
//! anything.
//!
//! # Example
//!
//! ```
//! use wasm_agent_vfs::{diff, merge, MemFs, MergeOptions, Vfs};
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let base = MemFs::new();
//! base.write_file("/notes.txt", b"v1").await?;
//! let fork = base.fork_mem();
//! fork.write_file("/notes.txt", b"v2").await?;
//! fork.create_dir("/out").await?;
//! fork.write_file("/out/report.md", b"# done").await?;
//!
//! let changes = diff(&base, &fork, "/").await?;
//! assert_eq!(changes.to_string(), "M /notes.txt\nA /out/\nA /out/report.md\n");
//!
//! // Bring the fork's work back: `base` is also the state both started
//! // from, so take a snapshot of it to compare against.
//! let snapshot = base.fork_mem();
//! let report = merge(&snapshot, &base, &fork, "/", &MergeOptions::default())
//!     .await
//!     .expect("no conflicts");
//! assert!(report.conflicts.is_empty());
//! assert_eq!(base.read_file("/out/report.md").await?, b"# done");
//! # Ok::<(), wasm_agent_vfs::VfsError>(())
//! # }).unwrap();
//! ```

mod apply;
mod compare;
mod content_id;
mod diff;
mod mem_diff;
mod merge;
mod plan;

pub use content_id::ContentId;
pub use merge::{
    merge, Conflict, ConflictReason, Edit, MergeError, MergeOptions, MergeReport, OnConflict,
};

use crate::memory::MemFs;
use crate::{path, Errno, FileType, Vfs, VfsError, VfsResult};
use std::cmp::Ordering;
use std::fmt;

/// One changed path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    /// The absolute, normalised path (not relative to the diff's root), so
    /// it can be handed straight back to either filesystem.
    pub path: String,
    /// The object's kind: in the new tree for an addition, in the base for
    /// a deletion, on both sides for a modification.
    pub kind: FileType,
}

/// Everything that differs between two trees; see the [module
/// docs](crate::changes) for what each list holds.
///
/// Each list is in tree order: sorted by path component by component, so
/// a directory comes right before everything below it (`/a`, `/a/b`,
/// `/a-b`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Objects only the new tree has.
    pub added: Vec<Change>,
    /// Files with other bytes, symlinks with another target.
    pub modified: Vec<Change>,
    /// Objects only the base has.
    pub deleted: Vec<Change>,
}

impl Changes {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.deleted.is_empty()
    }

    /// Number of changed paths (a kind change counts twice: deleted and
    /// added).
    pub fn len(&self) -> usize {
        self.added.len() + self.modified.len() + self.deleted.len()
    }

    /// Records an object of `kind` at `path` in one of the lists.
    pub(crate) fn push(list: &mut Vec<Change>, path: &str, kind: FileType) {
        list.push(Change {
            path: path.to_owned(),
            kind,
        });
    }

    /// Sorts every list in tree order.
    pub(crate) fn sort(&mut self) {
        for list in [&mut self.added, &mut self.modified, &mut self.deleted] {
            list.sort_unstable_by(|a, b| tree_order(&a.path, &b.path));
        }
    }
}

/// Orders paths component by component, so that a subtree is contiguous.
pub(crate) fn tree_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// One line per change, `git status --short` style, in tree order: `A`,
/// `M` or `D`, a space, the path, and a trailing `/` for a directory. At a
/// path whose kind changed, the deletion comes first.
impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines: Vec<(&str, u8, char, FileType)> = Vec::with_capacity(self.len());
        let lists = [
            ('D', &self.deleted),
            ('M', &self.modified),
            ('A', &self.added),
        ];
        for (order, (mark, list)) in lists.into_iter().enumerate() {
            lines.extend(
                list.iter()
                    .map(|c| (c.path.as_str(), order as u8, mark, c.kind)),
            );
        }
        lines.sort_unstable_by(|a, b| tree_order(a.0, b.0).then(a.1.cmp(&b.1)));
        for (path, _, mark, kind) in lines {
            let slash = if kind == FileType::Dir && path != "/" {
                "/"
            } else {
                ""
            };
            writeln!(f, "{mark} {path}{slash}")?;
        }
        Ok(())
    }
}

/// Compares the trees of `base` and `other` below `root` (an absolute,
/// normalised path; `/` for everything) and returns what `other` added,
/// modified and deleted; see the [module docs](crate::changes).
///
/// `root` itself is compared too: missing on one side, everything below it
/// is added or deleted. Fails with the first error of either side (naming
/// its path), or `EINVAL` for a `root` that is not normalised.
pub async fn diff(base: &dyn Vfs, other: &dyn Vfs, root: &str) -> VfsResult<Changes> {
    if !path::is_normalized(root) {
        return Err(VfsError::new(Errno::Inval, "diff", root)
            .with_detail("the root must be an absolute path without `.`, `..` or `//`"));
    }
    if let (Some(base), Some(other)) = (as_mem(base), as_mem(other)) {
        return mem_diff::diff(base, other, root);
    }
    diff::diff(base, other, root).await
}

/// `fs` as a memory backend, if it is one.
fn as_mem(fs: &dyn Vfs) -> Option<&MemFs> {
    fs.as_any()?.downcast_ref::<MemFs>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, kind: FileType) -> Change {
        Change {
            path: path.to_owned(),
            kind,
        }
    }

    #[test]
    fn display_merges_the_lists_in_path_order() {
        let changes = Changes {
            added: vec![change("/x", FileType::Dir), change("/x/f", FileType::File)],
            modified: vec![change("/a", FileType::Symlink)],
            deleted: vec![change("/x", FileType::File)],
        };
        assert_eq!(changes.to_string(), "M /a\nD /x\nA /x/\nA /x/f\n");
        assert_eq!(changes.len(), 4);
        assert!(!changes.is_empty());
        assert!(Changes::default().is_empty());
    }

    #[test]
    fn tree_order_keeps_subtrees_together() {
        let mut paths = vec!["/a-b", "/a/b", "/a", "/a/b/c", "/", "/a.b"];
        paths.sort_by(|a, b| tree_order(a, b));
        assert_eq!(paths, ["/", "/a", "/a/b", "/a/b/c", "/a-b", "/a.b"]);
    }
}
