//! Path resolution in the merged view.
//!
//! The walk mirrors [`MemFs`](crate::MemFs)'s (same errno rules, same
//! symlink handling) but asks both layers about every component: the upper
//! layer wins, a whiteout hides the lower object, and below an opaque or
//! upper-only directory the lower layer is not consulted at all. The result
//! is a *merged path* without symlinks, which both layers can then be asked
//! about directly.

use super::marks::Marks;
use super::Inner;
use crate::path::NAME_MAX;
use crate::{Errno, FileType, Metadata, VfsError, VfsResult};

/// Linux's limit on symlinks followed in one resolution.
const MAX_SYMLINK_HOPS: u32 = 40;

/// A directory of the merged view.
#[derive(Clone, Debug)]
pub(super) struct DirRef {
    pub path: String,
    /// Whether the lower layer contributes to this directory.
    pub lower_ok: bool,
}

/// One object of the merged view.
#[derive(Clone, Debug)]
pub(super) struct Node {
    pub path: String,
    /// The upper layer's object at `path` (not following a final symlink).
    pub upper: Option<Metadata>,
    /// The lower layer's object at `path`, if the lower layer shows here.
    pub lower: Option<Metadata>,
    /// For a directory: whether the lower layer contributes below it.
    pub lower_ok: bool,
}

impl Node {
    /// What the merged view shows: the upper object, else the lower one.
    pub fn meta(&self) -> &Metadata {
        self.upper
            .as_ref()
            .or(self.lower.as_ref())
            .expect("a node exists in at least one layer")
    }

    pub fn file_type(&self) -> FileType {
        self.meta().file_type
    }

    /// This directory as a [`DirRef`].
    pub fn as_dir(&self) -> DirRef {
        DirRef {
            path: self.path.clone(),
            lower_ok: self.lower_ok,
        }
    }

    /// True if the upper and lower objects are the same inode as `other`'s
    /// in the layer that shows them (hard links, or the same path).
    pub fn same_object(&self, other: &Node) -> bool {
        if self.path == other.path {
            return true;
        }
        match (&self.upper, &other.upper) {
            (Some(a), Some(b)) => a.ino == b.ino,
            (None, None) => {
                self.lower.as_ref().map(|m| m.ino) == other.lower.as_ref().map(|m| m.ino)
            }
            _ => false,
        }
    }
}

/// Where a path leads in the merged view.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "a short-lived return value; boxing would cost an allocation per lookup"
)]
pub(super) enum Target {
    /// An existing directory reached without a final name (the root, or a
    /// link target ending in `.`, `..` or `/`).
    Dir(DirRef),
    /// The final component `name` of directory `parent`, existing (`node`)
    /// or not.
    Entry {
        parent: DirRef,
        name: String,
        node: Option<Node>,
    },
}

/// Joins a name onto a merged directory path.
pub(super) fn child_path(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

impl Inner {
    /// The merged view's root.
    pub(super) fn root(&self, marks: &Marks) -> DirRef {
        DirRef {
            path: "/".to_owned(),
            lower_ok: !marks.is_opaque("/"),
        }
    }

    /// Looks `name` up in merged directory `dir`.
    pub(super) async fn lookup(
        &self,
        marks: &Marks,
        dir: &DirRef,
        name: &str,
    ) -> VfsResult<Option<Node>> {
        let path = child_path(&dir.path, name);
        let upper = self.upper.stat_errno(&path, false).ok();
        let lower = if dir.lower_ok && !marks.is_whiteout(&path) {
            match self.lower.symlink_metadata(&path).await {
                Ok(meta) => Some(meta),
                Err(e) if matches!(e.errno(), Errno::NoEnt | Errno::NotDir) => None,
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        if upper.is_none() && lower.is_none() {
            return Ok(None);
        }
        let lower_ok = lower.as_ref().is_some_and(Metadata::is_dir)
            && upper.as_ref().is_none_or(Metadata::is_dir)
            && !marks.is_opaque(&path);
        Ok(Some(Node {
            path,
            upper,
            lower,
            lower_ok,
        }))
    }

    /// The target text of the merged symlink `node`.
    pub(super) async fn link_target(&self, node: &Node) -> VfsResult<String> {
        if node.upper.is_some() {
            self.upper
                .with_core(|tree, _| tree.read_link(&node.path))
                .map_err(|errno| VfsError::new(errno, "readlink", &node.path))
        } else {
            self.lower.read_link(&node.path).await
        }
    }

    /// Resolves `path` in the merged view; see [`crate::memory`] for the
    /// rules (intermediate symlinks always followed, the final one when
    /// `follow`).
    pub(super) async fn resolve(
        &self,
        marks: &Marks,
        path: &str,
        follow: bool,
        op: &'static str,
    ) -> VfsResult<Target> {
        let fail = |errno| VfsError::new(errno, op, path);
        let root = self.root(marks);
        let mut stack: Vec<DirRef> = Vec::new();
        let mut cur = root.clone();
        let mut pending = path.to_owned();
        let mut pos = 0;
        let mut hops = 0;
        loop {
            let bytes = pending.as_bytes();
            while pos < bytes.len() && bytes[pos] == b'/' {
                pos += 1;
            }
            if pos == bytes.len() {
                return Ok(Target::Dir(cur));
            }
            let end = pending[pos..].find('/').map_or(bytes.len(), |i| pos + i);
            let trailing_slash = end < bytes.len() && bytes[end..].iter().all(|&b| b == b'/');
            let last = end == bytes.len() || trailing_slash;
            let name = pending[pos..end].to_owned();
            match name.as_str() {
                "." => {
                    pos = end;
                    continue;
                }
                ".." => {
                    if let Some(parent) = stack.pop() {
                        cur = parent;
                    }
                    pos = end;
                    continue;
                }
                _ => {}
            }
            if name.len() > NAME_MAX {
                return Err(fail(Errno::NameTooLong));
            }
            let Some(node) = self.lookup(marks, &cur, &name).await? else {
                if !last {
                    return Err(fail(Errno::NoEnt));
                }
                return Ok(Target::Entry {
                    parent: cur,
                    name,
                    node: None,
                });
            };
            let ty = node.file_type();
            if ty == FileType::Symlink && (!last || follow || trailing_slash) {
                hops += 1;
                if hops > MAX_SYMLINK_HOPS {
                    return Err(fail(Errno::Loop));
                }
                let target = self.link_target(&node).await?;
                if target.starts_with('/') {
                    stack.clear();
                    cur = root.clone();
                }
                pending = format!("{target}{}", &pending[end..]);
                pos = 0;
                continue;
            }
            if last {
                if trailing_slash && ty != FileType::Dir {
                    return Err(fail(Errno::NotDir));
                }
                return Ok(Target::Entry {
                    parent: cur,
                    name,
                    node: Some(node),
                });
            }
            if ty != FileType::Dir {
                return Err(fail(Errno::NotDir));
            }
            let next = node.as_dir();
            stack.push(std::mem::replace(&mut cur, next));
            pos = end;
        }
    }

    /// Metadata of a merged directory reached as [`Target::Dir`].
    pub(super) async fn dir_metadata(&self, dir: &DirRef) -> VfsResult<Metadata> {
        match self.upper.stat_errno(&dir.path, false) {
            Ok(meta) => Ok(meta),
            Err(_) => self.lower.symlink_metadata(&dir.path).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_merged_paths() {
        assert_eq!(child_path("/", "a"), "/a");
        assert_eq!(child_path("/a", "b"), "/a/b");
    }
}
