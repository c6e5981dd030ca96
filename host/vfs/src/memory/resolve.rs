//! Path resolution: from a normalised path to an inode, following symbolic
//! links the way Linux does.
//!
//! The walk keeps one directory (`cur`) and the text still to walk. A path
//! without symlinks is walked straight out of the caller's string, so the
//! common case allocates nothing. Following a link replaces the pending text
//! by `target + rest`; an absolute target restarts at the root of this
//! filesystem, a relative one continues in the link's directory, and `..`
//! inside a target goes to the physical parent. After 40 links
//! (`MAXSYMLINKS`) the walk fails with `ELOOP`.

use super::inode::{Entry, Ino, Kind, ROOT_INO};
use super::tree::Tree;
use crate::path::NAME_MAX;
use crate::{Errno, FileType};
use std::borrow::Cow;

/// Linux's limit on symlinks followed in one resolution.
const MAX_SYMLINK_HOPS: u32 = 40;

/// Where a path leads.
#[derive(Debug)]
pub(crate) enum Target<'p> {
    /// An existing directory reached without a final name: the root, or a
    /// link target ending in `.`, `..` or `/`.
    Dir(Ino),
    /// The final component `name` in directory `parent`, which may or may
    /// not exist (`entry`).
    Entry {
        parent: Ino,
        name: Cow<'p, str>,
        entry: Option<Entry>,
    },
}

impl Target<'_> {
    /// The inode the path names, if it exists.
    pub fn ino(&self) -> Option<Ino> {
        match self {
            Target::Dir(ino) => Some(*ino),
            Target::Entry { entry, .. } => entry.map(|e| e.ino),
        }
    }
}

/// Resolves `path` (normalised, absolute). Symlinks in intermediate
/// components are always followed; a symlink in the final component only
/// when `follow` is true.
pub(crate) fn resolve<'p>(tree: &Tree, path: &'p str, follow: bool) -> Result<Target<'p>, Errno> {
    let mut pending: Cow<'p, str> = Cow::Borrowed(path);
    let mut pos = 0;
    let mut cur = ROOT_INO;
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
        let name = &pending[pos..end];
        match name {
            "." => {
                pos = end;
                continue;
            }
            ".." => {
                cur = tree.parent(cur);
                pos = end;
                continue;
            }
            _ => {}
        }
        if name.len() > NAME_MAX {
            return Err(Errno::NameTooLong);
        }
        let dir = tree.get(cur).as_dir().ok_or(Errno::NotDir)?;
        let entry = dir.entries.get(name).copied();
        let Some(entry) = entry else {
            if !last {
                return Err(Errno::NoEnt);
            }
            let name = take_name(&pending, pos, end);
            return Ok(Target::Entry {
                parent: cur,
                name,
                entry: None,
            });
        };
        // A trailing slash (only possible inside a link target) asks for a
        // directory, which means following a final symlink too.
        let follow_here = !last || follow || trailing_slash;
        if entry.ty == FileType::Symlink && follow_here {
            hops += 1;
            if hops > MAX_SYMLINK_HOPS {
                return Err(Errno::Loop);
            }
            let Kind::Symlink(target) = &tree.get(entry.ino).kind else {
                unreachable!("directory entry typed symlink names another kind");
            };
            if target.starts_with('/') {
                cur = ROOT_INO;
            }
            let rest = &pending[end..];
            let mut next = String::with_capacity(target.len() + rest.len());
            next.push_str(target);
            next.push_str(rest);
            pending = Cow::Owned(next);
            pos = 0;
            continue;
        }
        if last {
            if trailing_slash && entry.ty != FileType::Dir {
                return Err(Errno::NotDir);
            }
            let name = take_name(&pending, pos, end);
            return Ok(Target::Entry {
                parent: cur,
                name,
                entry: Some(entry),
            });
        }
        if entry.ty != FileType::Dir {
            return Err(Errno::NotDir);
        }
        cur = entry.ino;
        pos = end;
    }
}

/// The final name: borrowed from the caller's path when the walk never left
/// it, copied out of a link target otherwise.
fn take_name<'p>(pending: &Cow<'p, str>, pos: usize, end: usize) -> Cow<'p, str> {
    match pending {
        Cow::Borrowed(path) => Cow::Borrowed(&path[pos..end]),
        Cow::Owned(text) => Cow::Owned(text[pos..end].to_owned()),
    }
}

/// Resolves `path` and returns the inode it names, or `ENOENT`.
pub(crate) fn lookup(tree: &Tree, path: &str, follow: bool) -> Result<Ino, Errno> {
    resolve(tree, path, follow)?.ino().ok_or(Errno::NoEnt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::inode::{Dir, Inode};
    use std::sync::Arc;
    use std::time::SystemTime;

    /// Builds `/d` (dir), `/d/f` (file) and symlinks given as (name in /, target).
    fn tree(links: &[(&str, &str)]) -> (Tree, Ino, Ino) {
        let now = SystemTime::now();
        let mut tree = Tree::new(u64::MAX);
        let d = tree.insert(Inode::new(Kind::Dir(Dir::new(ROOT_INO)), now));
        let f = tree.insert(Inode::new(Kind::File(Arc::new(Vec::new())), now));
        tree.update(ROOT_INO, |root| {
            root.dir_mut().insert(
                "d",
                Entry {
                    ino: d,
                    ty: FileType::Dir,
                },
            )
        });
        tree.update(d, |dir| {
            dir.dir_mut().insert(
                "f",
                Entry {
                    ino: f,
                    ty: FileType::File,
                },
            )
        });
        for (name, target) in links {
            let ino = tree.insert(Inode::new(Kind::Symlink(Arc::from(*target)), now));
            tree.update(ROOT_INO, |root| {
                root.dir_mut().insert(
                    name,
                    Entry {
                        ino,
                        ty: FileType::Symlink,
                    },
                )
            });
        }
        (tree, d, f)
    }

    #[test]
    fn walks_plain_paths_without_copying_names() {
        let (tree, d, f) = tree(&[]);
        assert_eq!(lookup(&tree, "/", true), Ok(ROOT_INO));
        assert_eq!(lookup(&tree, "/d/f", true), Ok(f));
        match resolve(&tree, "/d/new", true).unwrap() {
            Target::Entry {
                parent,
                name: Cow::Borrowed("new"),
                entry: None,
            } => assert_eq!(parent, d),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(lookup(&tree, "/d/f/x", true), Err(Errno::NotDir));
        assert_eq!(lookup(&tree, "/nope/x", true), Err(Errno::NoEnt));
    }

    #[test]
    fn follows_relative_absolute_and_dotdot_targets() {
        let (tree, d, f) = tree(&[("rel", "d/f"), ("abs", "/d"), ("up", "d/../d/./f")]);
        assert_eq!(lookup(&tree, "/rel", true), Ok(f));
        assert_eq!(lookup(&tree, "/abs/f", true), Ok(f));
        assert_eq!(lookup(&tree, "/abs", true), Ok(d));
        assert_eq!(lookup(&tree, "/up", true), Ok(f));
        let link = lookup(&tree, "/rel", false).unwrap();
        assert_ne!(link, f);
    }

    #[test]
    fn dotdot_clamps_at_root_and_trailing_slash_needs_a_dir() {
        let (tree, d, _) = tree(&[
            ("top", "../../.."),
            ("dirslash", "d/"),
            ("fileslash", "d/f/"),
        ]);
        assert_eq!(lookup(&tree, "/top/d", true), Ok(d));
        assert_eq!(lookup(&tree, "/dirslash", true), Ok(d));
        assert_eq!(lookup(&tree, "/fileslash", true), Err(Errno::NotDir));
    }

    #[test]
    fn loops_fail_after_forty_hops() {
        let (tree, _, _) = tree(&[("a", "b"), ("b", "a"), ("self", "self/x")]);
        assert_eq!(lookup(&tree, "/a", true), Err(Errno::Loop));
        assert_eq!(lookup(&tree, "/self", true), Err(Errno::Loop));
        assert!(lookup(&tree, "/a", false).is_ok());
    }

    #[test]
    fn long_chain_within_limit_resolves() {
        let mut links: Vec<(String, String)> = (0..40)
            .map(|i| (format!("l{i}"), format!("l{}", i + 1)))
            .collect();
        links.push(("l40".into(), "d".into()));
        let refs: Vec<(&str, &str)> = links
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (tree, d, _) = tree(&refs);
        // l0 -> l1 -> ... -> l40 -> d: 41 links, one too many.
        assert_eq!(lookup(&tree, "/l0", true), Err(Errno::Loop));
        assert_eq!(lookup(&tree, "/l1", true), Ok(d));
    }
}
