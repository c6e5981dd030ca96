//! The generic diff: any two [`Vfs`], through their public operations.
//!
//! Directories present on both sides go on a work list; their listings are
//! merged by name. Per path the cost is one `read_dir` entry on each side,
//! plus two `lstat`s for a file on both sides and two `readlink`s for a
//! symlink on both sides; file bytes only as [`compare`](super::compare)
//! decides. An added or deleted subtree costs one listing per directory in
//! it and nothing per file.

use super::compare::{kind_at, same_object};
use super::{Change, Changes};
use crate::{DirEntry, FileType, Vfs, VfsResult};
use std::cmp::Ordering;

/// See [`diff`](super::diff); `root` is normalised.
pub(super) async fn diff(base: &dyn Vfs, other: &dyn Vfs, root: &str) -> VfsResult<Changes> {
    let mut walk = Walk {
        base,
        other,
        out: Changes::default(),
        dirs: Vec::new(),
    };
    let before = kind_at(base, root).await?;
    let after = kind_at(other, root).await?;
    walk.compare(root, before, after).await?;
    while let Some(dir) = walk.dirs.pop() {
        walk.compare_dirs(&dir).await?;
    }
    walk.out.sort();
    Ok(walk.out)
}

/// The state of one diff.
struct Walk<'a> {
    base: &'a dyn Vfs,
    other: &'a dyn Vfs,
    out: Changes,
    /// Directories on both sides still to compare.
    dirs: Vec<String>,
}

impl Walk<'_> {
    /// Compares the objects at `path`, given their kinds on each side.
    async fn compare(
        &mut self,
        path: &str,
        before: Option<FileType>,
        after: Option<FileType>,
    ) -> VfsResult<()> {
        match (before, after) {
            (None, None) => {}
            (Some(kind), None) => self.subtree(Side::Base, path, kind).await?,
            (None, Some(kind)) => self.subtree(Side::Other, path, kind).await?,
            (Some(old), Some(new)) if old != new => {
                self.subtree(Side::Base, path, old).await?;
                self.subtree(Side::Other, path, new).await?;
            }
            (Some(FileType::Dir), Some(_)) => self.dirs.push(path.to_owned()),
            (Some(kind), Some(_)) => {
                if !same_object(self.base, self.other, path, kind).await? {
                    Changes::push(&mut self.out.modified, path, kind);
                }
            }
        }
        Ok(())
    }

    /// Merges the listings of the directory `dir` on both sides by name.
    async fn compare_dirs(&mut self, dir: &str) -> VfsResult<()> {
        let mut before = listing(self.base, dir).await?.into_iter().peekable();
        let mut after = listing(self.other, dir).await?.into_iter().peekable();
        loop {
            let (b, o) = match (before.peek(), after.peek()) {
                (None, None) => break,
                (Some(b), Some(o)) => match b.name.cmp(&o.name) {
                    Ordering::Less => (before.next(), None),
                    Ordering::Greater => (None, after.next()),
                    Ordering::Equal => (before.next(), after.next()),
                },
                (Some(_), None) => (before.next(), None),
                (None, Some(_)) => (None, after.next()),
            };
            let Some(path) = b.as_ref().or(o.as_ref()).map(|e| child(dir, &e.name)) else {
                break;
            };
            self.compare(&path, b.map(|e| e.file_type), o.map(|e| e.file_type))
                .await?;
        }
        Ok(())
    }

    /// Records the object at `path` and everything below it as deleted
    /// (from the base) or added (from the other side), listing directories
    /// but never reading files.
    async fn subtree(&mut self, side: Side, path: &str, kind: FileType) -> VfsResult<()> {
        let (fs, list) = match side {
            Side::Base => (self.base, &mut self.out.deleted),
            Side::Other => (self.other, &mut self.out.added),
        };
        list.push(Change {
            path: path.to_owned(),
            kind,
        });
        if kind != FileType::Dir {
            return Ok(());
        }
        let mut todo = vec![path.to_owned()];
        while let Some(dir) = todo.pop() {
            for entry in listing(fs, &dir).await? {
                let path = child(&dir, &entry.name);
                if entry.file_type == FileType::Dir {
                    todo.push(path.clone());
                }
                list.push(Change {
                    path,
                    kind: entry.file_type,
                });
            }
        }
        Ok(())
    }
}

/// Which tree a subtree is listed from.
#[derive(Clone, Copy)]
enum Side {
    Base,
    Other,
}

/// The entries of `dir`, sorted by name (the trait promises it; a backend
/// that lists by another order would make the merge by name wrong).
async fn listing(fs: &dyn Vfs, dir: &str) -> VfsResult<Vec<DirEntry>> {
    let mut entries = fs.read_dir(dir).await?;
    if !entries.is_sorted_by(|a, b| a.name <= b.name) {
        entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(entries)
}

/// The path of `name` in `dir`.
pub(super) fn child(dir: &str, name: &str) -> String {
    let mut path = String::with_capacity(dir.len() + 1 + name.len());
    path.push_str(dir);
    if dir != "/" {
        path.push('/');
    }
    path.push_str(name);
    path
}
