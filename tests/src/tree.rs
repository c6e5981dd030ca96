//! Snapshots of the directory tree a command leaves behind: relative paths,
//! kinds, file contents and symlink targets (never times or modes), read
//! from the host or from a [`Vfs`], and the differences between two.

use crate::fixture::Node;
use crate::text::describe_bytes;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use wasm_agent::vfs::{FileType, Vfs, VfsResult};

/// A directory tree: path relative to its root → what is there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    /// Every object below the root (the root itself is not listed).
    pub nodes: BTreeMap<String, Node>,
}

impl Tree {
    /// Reads the tree below the host directory `root`.
    pub fn read_host(root: &Path) -> std::io::Result<Tree> {
        let mut tree = Tree::default();
        let mut pending = vec![String::new()];
        while let Some(rel) = pending.pop() {
            let dir = if rel.is_empty() {
                root.to_path_buf()
            } else {
                root.join(&rel)
            };
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let path = join(&rel, &name);
                let kind = entry.file_type()?;
                let node = if kind.is_symlink() {
                    let target = std::fs::read_link(entry.path())?;
                    Node::Symlink(target.to_string_lossy().into_owned())
                } else if kind.is_dir() {
                    pending.push(path.clone());
                    Node::Dir
                } else {
                    Node::File(std::fs::read(entry.path())?)
                };
                tree.nodes.insert(path, node);
            }
        }
        Ok(tree)
    }

    /// Reads the tree below the absolute path `root` of `fs`.
    pub async fn read_vfs(fs: &dyn Vfs, root: &str) -> VfsResult<Tree> {
        let mut tree = Tree::default();
        let mut pending = vec![String::new()];
        while let Some(rel) = pending.pop() {
            let dir = if rel.is_empty() {
                root.to_string()
            } else {
                format!("{root}/{rel}")
            };
            for entry in fs.read_dir(&dir).await? {
                let path = join(&rel, &entry.name);
                let full = format!("{dir}/{}", entry.name);
                let node = match entry.file_type {
                    FileType::Symlink => Node::Symlink(fs.read_link(&full).await?),
                    FileType::Dir => {
                        pending.push(path.clone());
                        Node::Dir
                    }
                    FileType::File => Node::File(fs.read_file(&full).await?),
                    // Devices live in /dev, never in a case directory.
                    FileType::CharDevice => continue,
                };
                tree.nodes.insert(path, node);
            }
        }
        Ok(tree)
    }

    /// How `actual` differs from `self` (the expectation), one line per
    /// path; empty when they agree. Files in `ignore_content` only need to
    /// exist as files on both sides.
    pub fn diff(&self, actual: &Tree, ignore_content: &BTreeSet<String>) -> Vec<String> {
        let mut lines = Vec::new();
        let paths: BTreeSet<&String> = self.nodes.keys().chain(actual.nodes.keys()).collect();
        for path in paths {
            match (self.nodes.get(path), actual.nodes.get(path)) {
                (Some(want), None) => lines.push(format!("- {path}: {} missing", kind(want))),
                (None, Some(got)) => lines.push(format!("+ {path}: unexpected {}", kind(got))),
                (Some(want), Some(got)) => {
                    if let Some(line) = node_diff(path, want, got, ignore_content) {
                        lines.push(line);
                    }
                }
                (None, None) => {}
            }
        }
        lines
    }
}

fn node_diff(path: &str, want: &Node, got: &Node, ignore: &BTreeSet<String>) -> Option<String> {
    match (want, got) {
        (Node::File(_), Node::File(_)) if ignore.contains(path) => None,
        (Node::File(a), Node::File(b)) if a != b => Some(format!(
            "~ {path}: contents differ\n    GNU:     {}\n    sandbox: {}",
            describe_bytes(a),
            describe_bytes(b)
        )),
        (Node::Symlink(a), Node::Symlink(b)) if a != b => Some(format!(
            "~ {path}: symlink target {a:?} expected, got {b:?}"
        )),
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            Some(format!("~ {path}: {} expected, got {}", kind(a), kind(b)))
        }
        _ => None,
    }
}

fn kind(node: &Node) -> &'static str {
    match node {
        Node::File(_) => "file",
        Node::Dir => "directory",
        Node::Symlink(_) => "symlink",
    }
}

fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(nodes: &[(&str, Node)]) -> Tree {
        Tree {
            nodes: nodes
                .iter()
                .map(|(p, n)| (p.to_string(), n.clone()))
                .collect(),
        }
    }

    #[test]
    fn differences_name_each_path() {
        let want = tree(&[
            ("a", Node::File(b"1".to_vec())),
            ("d", Node::Dir),
            ("l", Node::Symlink("a".into())),
        ]);
        let got = tree(&[
            ("a", Node::File(b"2".to_vec())),
            ("l", Node::Symlink("b".into())),
            ("n", Node::Dir),
        ]);
        let lines = want.diff(&got, &BTreeSet::new());
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].starts_with("~ a: contents differ"));
        assert_eq!(lines[1], "- d: directory missing");
        assert!(lines[2].starts_with("~ l: symlink target"));
        assert_eq!(lines[3], "+ n: unexpected directory");
        assert!(want.diff(&want, &BTreeSet::new()).is_empty());
    }

    #[test]
    fn ignored_contents_still_need_a_file() {
        let want = tree(&[("a.gz", Node::File(b"x".to_vec()))]);
        let other = tree(&[("a.gz", Node::File(b"y".to_vec()))]);
        let ignore: BTreeSet<String> = ["a.gz".to_string()].into();
        assert!(want.diff(&other, &ignore).is_empty());
        let dir = tree(&[("a.gz", Node::Dir)]);
        assert_eq!(want.diff(&dir, &ignore).len(), 1);
    }

    #[test]
    fn host_and_memory_trees_read_alike() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/f"), "x").unwrap();
        std::os::unix::fs::symlink("sub/f", dir.path().join("l")).unwrap();
        let host = Tree::read_host(dir.path()).unwrap();

        let fs = wasm_agent::vfs::MemFs::new();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mem = rt.block_on(async {
            fs.create_dir_all("/r/sub").await?;
            fs.write_file("/r/sub/f", b"x").await?;
            fs.symlink("sub/f", "/r/l").await?;
            Tree::read_vfs(&fs, "/r").await
        });
        assert_eq!(host, mem.unwrap());
        assert_eq!(host.nodes.len(), 3);
    }
}
