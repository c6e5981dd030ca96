//! Shared helpers: a runtime, the seed tree every backend starts from, a
//! whole-tree snapshot for comparisons, and a path-prefixing wrapper.

use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;
use wasm_agent_vfs::{DirEntry, FileType, Metadata, OpenOptions, Vfs, VfsFile, VfsResult};

/// Number of property-test cases: `default`, or `VFS_CASES` from the
/// environment for a longer hunt.
pub fn cases(default: u32) -> u32 {
    std::env::var("VFS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs a future on a fresh current-thread runtime.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// Creates the tree every backend (or overlay lower layer) starts with:
/// directories, files and symlinks, so that operations on the initial
/// content exercise copy-up and whiteouts in the overlays.
pub async fn seed(fs: &dyn Vfs) {
    fs.create_dir("/a").await.unwrap();
    fs.write_file("/a/b", b"ab").await.unwrap();
    fs.create_dir("/a/c").await.unwrap();
    fs.write_file("/a/c/a", b"aca").await.unwrap();
    fs.write_file("/b", b"hello").await.unwrap();
    fs.symlink("a", "/c").await.unwrap();
    fs.symlink("c/a", "/a/a").await.unwrap();
    fs.create_dir("/a/c/b").await.unwrap();
    fs.write_file("/a/c/b/c", b"acbc").await.unwrap();
    fs.symlink("../b", "/a/c/c").await.unwrap();
}

/// What a snapshot records about one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Snap {
    Dir,
    File(Vec<u8>),
    Symlink(String),
}

/// Every object below `/`, by path, with contents.
pub async fn snapshot(fs: &dyn Vfs) -> BTreeMap<String, Snap> {
    let mut out = BTreeMap::new();
    let mut todo = vec!["/".to_owned()];
    while let Some(dir) = todo.pop() {
        for entry in fs.read_dir(&dir).await.unwrap() {
            let path = if dir == "/" {
                format!("/{}", entry.name)
            } else {
                format!("{dir}/{}", entry.name)
            };
            let meta = fs.symlink_metadata(&path).await.unwrap();
            assert_eq!(
                meta.file_type, entry.file_type,
                "{path}: listing and lstat disagree"
            );
            let snap = match meta.file_type {
                FileType::Dir => {
                    todo.push(path.clone());
                    Snap::Dir
                }
                FileType::File => {
                    let data = fs.read_file(&path).await.unwrap();
                    assert_eq!(
                        data.len() as u64,
                        meta.len,
                        "{path}: length and contents disagree"
                    );
                    Snap::File(data)
                }
                FileType::Symlink => Snap::Symlink(fs.read_link(&path).await.unwrap()),
                FileType::CharDevice => panic!("{path}: no backend under test holds devices"),
            };
            out.insert(path, snap);
        }
    }
    out
}

/// Shows the directory `prefix` of a filesystem as a whole filesystem, so a
/// composition (a mount) can run the same operations as plain backends.
#[derive(Debug)]
pub struct Prefixed {
    pub fs: Arc<dyn Vfs>,
    pub prefix: &'static str,
}

impl Prefixed {
    fn p(&self, path: &str) -> String {
        if path == "/" {
            self.prefix.to_owned()
        } else {
            format!("{}{path}", self.prefix)
        }
    }
}

#[async_trait]
impl Vfs for Prefixed {
    async fn metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.fs.metadata(&self.p(path)).await
    }
    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.fs.symlink_metadata(&self.p(path)).await
    }
    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        self.fs.read_dir(&self.p(path)).await
    }
    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>> {
        self.fs.open(&self.p(path), options).await
    }
    async fn create_dir(&self, path: &str) -> VfsResult<()> {
        self.fs.create_dir(&self.p(path)).await
    }
    async fn remove_file(&self, path: &str) -> VfsResult<()> {
        self.fs.remove_file(&self.p(path)).await
    }
    async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        self.fs.remove_dir(&self.p(path)).await
    }
    async fn rename(&self, from: &str, to: &str) -> VfsResult<()> {
        self.fs.rename(&self.p(from), &self.p(to)).await
    }
    async fn symlink(&self, target: &str, link: &str) -> VfsResult<()> {
        self.fs.symlink(target, &self.p(link)).await
    }
    async fn read_link(&self, path: &str) -> VfsResult<String> {
        self.fs.read_link(&self.p(path)).await
    }
    async fn hard_link(&self, existing: &str, new: &str) -> VfsResult<()> {
        self.fs.hard_link(&self.p(existing), &self.p(new)).await
    }
    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
    ) -> VfsResult<()> {
        self.fs.set_times(&self.p(path), atime, mtime, follow).await
    }
    async fn set_mode(&self, path: &str, mode: u32) -> VfsResult<()> {
        self.fs.set_mode(&self.p(path), mode).await
    }
}
