//! The diff of two [`MemFs`]: a walk over both trees' records that decides
//! by pointer wherever a fork still shares an object with its base.
//!
//! Both trees are taken as O(1) snapshots first, so the walk holds no lock
//! and sees each tree at one instant. It never goes through paths: it
//! descends from the root's records, building the path text only in one
//! reused buffer, and allocates only for the changes it reports.
//!
//! What pointer equality decides:
//!
//! - the two inode tables are one (an untouched fork): nothing changed,
//!   O(1);
//! - an inode record shared by both trees: the same file bytes or link
//!   target, so nothing to compare; for a directory, the same entries, so
//!   the listings need no merge (the entries' records are still visited);
//! - a file buffer shared by both trees (the record differs only in times
//!   or mode): the same bytes.
//!
//! Only files whose buffers differ and whose lengths are equal have their
//! bytes compared (in memory).
//!
//! Why every entry is still visited: the memory backend keeps one inode
//! table, and a write to `/a/b/file` replaces only that file's record;
//! no directory above it changes, so no shared directory record can
//! vouch for its subtree. Skipping unchanged subtrees in O(changes × depth)
//! would need the table to be diffable by shared nodes (an `OrdMap` rather
//! than a hash trie) and a parent link on file records. What a visit costs
//! here is two table lookups and a pointer comparison (see the report
//! figures in the crate's tests, `changes::measure`).

use super::{Change, Changes};
use crate::memory::{Entry, Kind, MemFs, Tree};
use crate::{Errno, FileType, VfsError, VfsResult};
use std::sync::Arc;

/// See [`diff`](super::diff); `root` is normalised.
pub(super) fn diff(base: &MemFs, other: &MemFs, root: &str) -> VfsResult<Changes> {
    diff_counted(base, other, root).map(|(changes, _)| changes)
}

/// Work done by one diff, for tests that prove what was skipped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Work {
    /// Entry pairs whose records were looked up and compared.
    pub records: u64,
    /// File bytes compared (on one side).
    pub bytes: u64,
}

/// [`diff`], also returning the work it did.
pub(super) fn diff_counted(base: &MemFs, other: &MemFs, root: &str) -> VfsResult<(Changes, Work)> {
    let (base, other) = (base.tree_snapshot(), other.tree_snapshot());
    let mut walk = Walk {
        base: &base,
        other: &other,
        path: root.to_owned(),
        out: Changes::default(),
        work: Work::default(),
    };
    if !base.same_table(&other) {
        let before = entry_at(&base, root)?;
        let after = entry_at(&other, root)?;
        walk.compare(before, after);
        walk.out.sort();
    }
    Ok((walk.out, walk.work))
}

/// The entry `path` names, not following a final symlink, or `None` when
/// there is none.
fn entry_at(tree: &Tree, path: &str) -> VfsResult<Option<Entry>> {
    match tree.stat(path, false) {
        Ok(meta) => Ok(Some(Entry {
            ino: meta.ino,
            ty: meta.file_type,
        })),
        Err(Errno::NoEnt | Errno::NotDir) => Ok(None),
        Err(errno) => Err(VfsError::new(errno, "lstat", path)),
    }
}

/// The state of one diff; `path` is the path of the entries being compared.
struct Walk<'t> {
    base: &'t Tree,
    other: &'t Tree,
    path: String,
    out: Changes,
    work: Work,
}

impl<'t> Walk<'t> {
    /// Compares the objects the two entries name at `self.path`.
    fn compare(&mut self, before: Option<Entry>, after: Option<Entry>) {
        let (b, o) = match (before, after) {
            (None, None) => return,
            (Some(b), None) => return self.subtree(Side::Base, b),
            (None, Some(o)) => return self.subtree(Side::Other, o),
            (Some(b), Some(o)) => (b, o),
        };
        if b.ty != o.ty {
            self.subtree(Side::Base, b);
            return self.subtree(Side::Other, o);
        }
        self.work.records += 1;
        let (old, new) = (self.base.get(b.ino), self.other.get(o.ino));
        // One record in both trees: same bytes, target or entries.
        let shared = std::ptr::eq(old, new);
        match (&old.kind, &new.kind) {
            (Kind::Dir(old), Kind::Dir(new)) => {
                if shared {
                    self.same_entries(&old.entries);
                } else {
                    self.merge_entries(&old.entries, &new.entries);
                }
            }
            (Kind::File(old), Kind::File(new)) => {
                if !shared && !self.same_bytes(old, new) {
                    self.record(Side::Both, b.ty);
                }
            }
            (Kind::Symlink(old), Kind::Symlink(new)) => {
                if !shared && old != new {
                    self.record(Side::Both, b.ty);
                }
            }
            // Entries carry their record's kind, which never changes.
            _ => unreachable!("entry kinds agree but the records' kinds do not"),
        }
    }

    /// The entries of a directory record both trees share: only records
    /// that differ, and directories (whose contents may), need a look.
    fn same_entries(&mut self, entries: &'t imbl::OrdMap<Arc<str>, Entry>) {
        for (name, entry) in entries {
            let unchanged = entry.ty != FileType::Dir
                && std::ptr::eq(self.base.get(entry.ino), self.other.get(entry.ino));
            if unchanged {
                self.work.records += 1;
                continue;
            }
            let len = self.enter(name);
            self.compare(Some(*entry), Some(*entry));
            self.path.truncate(len);
        }
    }

    /// Two listings merged by name (both maps are sorted).
    fn merge_entries(
        &mut self,
        before: &'t imbl::OrdMap<Arc<str>, Entry>,
        after: &'t imbl::OrdMap<Arc<str>, Entry>,
    ) {
        let mut before = before.iter().peekable();
        let mut after = after.iter().peekable();
        loop {
            let (b, o) = match (before.peek(), after.peek()) {
                (None, None) => break,
                (Some(b), Some(o)) => match b.0.cmp(o.0) {
                    std::cmp::Ordering::Less => (before.next(), None),
                    std::cmp::Ordering::Greater => (None, after.next()),
                    std::cmp::Ordering::Equal => (before.next(), after.next()),
                },
                (Some(_), None) => (before.next(), None),
                (None, Some(_)) => (None, after.next()),
            };
            let Some(name) = b.or(o).map(|(name, _)| name) else {
                break;
            };
            let len = self.enter(name);
            self.compare(b.map(|(_, e)| *e), o.map(|(_, e)| *e));
            self.path.truncate(len);
        }
    }

    /// Records the object `entry` names and everything below it as deleted
    /// (from the base) or added (from the other tree).
    fn subtree(&mut self, side: Side, entry: Entry) {
        self.record(side, entry.ty);
        if entry.ty != FileType::Dir {
            return;
        }
        let tree = match side {
            Side::Base => self.base,
            _ => self.other,
        };
        let Some(dir) = tree.get(entry.ino).as_dir() else {
            unreachable!("entry typed directory names another kind");
        };
        for (name, child) in &dir.entries {
            let len = self.enter(name);
            self.subtree(side, *child);
            self.path.truncate(len);
        }
    }

    /// True if two file buffers hold the same bytes; reads them only when
    /// they are different buffers of one length.
    fn same_bytes(&mut self, old: &Arc<Vec<u8>>, new: &Arc<Vec<u8>>) -> bool {
        if Arc::ptr_eq(old, new) {
            return true;
        }
        if old.len() != new.len() {
            return false;
        }
        self.work.bytes += old.len() as u64;
        old == new
    }

    /// Appends `name` to the current path; returns the length to truncate
    /// back to.
    fn enter(&mut self, name: &str) -> usize {
        let len = self.path.len();
        if len > 1 {
            self.path.push('/');
        }
        self.path.push_str(name);
        len
    }

    /// Lists the current path as a change of `kind`.
    fn record(&mut self, side: Side, kind: FileType) {
        let list = match side {
            Side::Base => &mut self.out.deleted,
            Side::Other => &mut self.out.added,
            Side::Both => &mut self.out.modified,
        };
        list.push(Change {
            path: self.path.clone(),
            kind,
        });
    }
}

/// Where a change was found: only in the base (deleted), only in the other
/// tree (added), or in both (modified).
#[derive(Clone, Copy)]
enum Side {
    Base,
    Other,
    Both,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Vfs;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    /// A base with `dirs` directories of `files` 1 KiB files each.
    async fn populated(dirs: usize, files: usize) -> MemFs {
        let fs = MemFs::new();
        for d in 0..dirs {
            fs.create_dir(&format!("/d{d}")).await.unwrap();
            for f in 0..files {
                let data = vec![(d * files + f) as u8; 1024];
                fs.write_file(&format!("/d{d}/f{f}"), &data).await.unwrap();
            }
        }
        fs
    }

    #[test]
    fn an_untouched_fork_costs_nothing() {
        block_on(async {
            let base = populated(10, 10).await;
            let fork = base.fork_mem();
            let (changes, work) = diff_counted(&base, &fork, "/").unwrap();
            assert!(changes.is_empty());
            assert_eq!(work, Work::default());
        });
    }

    #[test]
    fn shared_buffers_are_never_compared() {
        block_on(async {
            let base = populated(10, 10).await;
            let fork = base.fork_mem();
            fork.write_file("/d3/f4", &[9; 1024]).await.unwrap();
            fork.remove_file("/d5/f0").await.unwrap();
            fork.write_file("/d5/new", b"x").await.unwrap();
            // Touching times and modes replaces records, not buffers.
            fork.set_times("/d1/f1", None, Some(std::time::UNIX_EPOCH), true)
                .await
                .unwrap();
            fork.set_mode("/d2/f2", 0o600).await.unwrap();
            let (changes, work) = diff_counted(&base, &fork, "/").unwrap();
            assert_eq!(
                changes.to_string(),
                "M /d3/f4\nD /d5/f0\nA /d5/new\n",
                "{changes:?}"
            );
            // Only the rewritten file's bytes were compared.
            assert_eq!(work.bytes, 1024);
            assert!(work.records >= 100, "every entry is looked at: {work:?}");
        });
    }

    #[test]
    fn rewriting_the_same_bytes_is_no_change() {
        block_on(async {
            let base = populated(1, 3).await;
            let fork = base.fork_mem();
            let same = base.read_file("/d0/f1").await.unwrap();
            fork.write_file("/d0/f1", &same).await.unwrap();
            let (changes, work) = diff_counted(&base, &fork, "/d0").unwrap();
            assert!(changes.is_empty(), "{changes:?}");
            assert_eq!(work.bytes, 1024);
        });
    }

    #[test]
    fn unrelated_trees_compare_by_value() {
        block_on(async {
            let (a, b) = (populated(2, 2).await, populated(2, 2).await);
            b.symlink("d0", "/link").await.unwrap();
            let (changes, work) = diff_counted(&a, &b, "/").unwrap();
            assert_eq!(changes.to_string(), "A /link\n");
            assert_eq!(work.bytes, 4 * 1024);
        });
    }
}
