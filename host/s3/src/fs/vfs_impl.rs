//! The [`Vfs`] operations of [`S3Fs`].

use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime};
use wasm_agent_vfs::path::split_parent;
use wasm_agent_vfs::{
    DirEntry, Errno, FileType, Metadata, OpenOptions, Vfs, VfsError, VfsFile, VfsResult,
};

use super::file::S3File;
use super::lookup::Found;
use super::state::{Base, Change, Node};
use super::{inode, S3Fs};

#[async_trait]
impl Vfs for S3Fs {
    async fn metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.inner.lookup(path).await?.metadata(&self.inner, path)
    }

    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.metadata(path).await
    }

    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        let inner = &self.inner;
        let dir_key = inner.dir_key(path);
        let listing = inner.store.list(&dir_key, path, true, None).await?;
        let mut entries: BTreeMap<String, FileType> = BTreeMap::new();
        let mut has_marker = false;
        let now = Instant::now();
        {
            let mut st = inner.state();
            let mut files = Vec::new();
            for (key, info) in &listing.objects {
                let name = &key[dir_key.len()..];
                if name.is_empty() {
                    has_marker = true;
                    continue;
                }
                if valid_name(name) {
                    entries.insert(name.to_owned(), FileType::File);
                    st.seen.insert(key.clone(), (info.clone(), now));
                    files.push((key.clone(), info.clone()));
                }
            }
            st.remember_listing(&dir_key, files);
            for prefix in &listing.prefixes {
                let name = prefix[dir_key.len()..].trim_end_matches('/');
                if valid_name(name) {
                    entries.entry(name.to_owned()).or_insert(FileType::Dir);
                    if !st.emptied.contains(prefix) {
                        st.seen_dirs.insert(prefix.clone(), now);
                    }
                }
            }
        }
        // Local changes over the listing.
        let mut recheck = Vec::new();
        {
            let mut st = inner.state();
            // An emptied prefix that the listing no longer shows is gone
            // for good; one it still shows is checked below.
            let listed: std::collections::HashSet<&str> =
                listing.prefixes.iter().map(String::as_str).collect();
            st.emptied.retain(|p| {
                let child = p.strip_prefix(dir_key.as_str()).unwrap_or("");
                let direct = child.find('/') == Some(child.len().saturating_sub(1));
                !direct || listed.contains(p.as_str())
            });
            for prefix in &listing.prefixes {
                if st.emptied.contains(prefix) {
                    recheck.push(prefix[dir_key.len()..].trim_end_matches('/').to_owned());
                }
            }
        }
        {
            let st = inner.state();
            for (key, pending) in st.pending_below(&dir_key) {
                let rest = &key[dir_key.len()..];
                if rest.is_empty() {
                    // The directory's own marker.
                    continue;
                }
                match (rest.split_once('/'), &pending.change) {
                    (None, Change::Delete) => {
                        if entries.get(rest) == Some(&FileType::File) {
                            entries.remove(rest);
                        }
                    }
                    (None, _) => {
                        entries.insert(rest.to_owned(), FileType::File);
                    }
                    (Some((first, _)), Change::Delete) => {
                        if entries.get(first) == Some(&FileType::Dir) {
                            recheck.push(first.to_owned());
                        }
                    }
                    (Some((first, _)), _) => {
                        if valid_name(first) {
                            entries.entry(first.to_owned()).or_insert(FileType::Dir);
                        }
                    }
                }
            }
        }
        recheck.dedup();
        if let Some(base) = &inner.base {
            if !inner.state().fork.hides(path) {
                match base.read_dir(path).await {
                    Ok(below) => {
                        let st = inner.state();
                        for entry in below {
                            if !entries.contains_key(&entry.name)
                                && !st.fork.hides(&child_path(path, &entry.name))
                            {
                                entries.insert(entry.name, entry.file_type);
                            }
                        }
                    }
                    Err(e) if matches!(e.errno(), Errno::NoEnt | Errno::NotDir) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if path == "/" {
            entries.remove(super::fork::MANIFEST);
        }
        for name in recheck {
            let child = child_path(path, &name);
            if !matches!(inner.lookup(&child).await?, Found::Dir) {
                entries.remove(&name);
            }
        }
        if entries.is_empty() && !has_marker && path != "/" {
            match inner.lookup(path).await? {
                Found::Dir => {}
                Found::File(_) => return Err(VfsError::new(Errno::NotDir, "opendir", path)),
                Found::Absent => return Err(VfsError::new(Errno::NoEnt, "opendir", path)),
            }
        }
        Ok(entries
            .into_iter()
            .map(|(name, file_type)| {
                let key = match file_type {
                    FileType::Dir => format!("{dir_key}{name}/"),
                    _ => format!("{dir_key}{name}"),
                };
                DirEntry {
                    name,
                    file_type,
                    ino: inode(&key),
                }
            })
            .collect())
    }

    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>> {
        let inner = &self.inner;
        let writes = options.write || options.create || options.truncate || options.create_new;
        if writes {
            inner.check_writable("open", path)?;
        }
        let found = inner.lookup(path).await?;
        let key = inner.key(path);
        let node = match found {
            Found::Dir if options.create_new => {
                return Err(VfsError::new(Errno::Exist, "open", path))
            }
            Found::Dir => return Err(VfsError::new(Errno::IsDir, "open", path)),
            Found::Absent => {
                if !(options.create || options.create_new) {
                    return Err(VfsError::new(Errno::NoEnt, "open", path));
                }
                if path == "/" {
                    return Err(VfsError::new(Errno::IsDir, "open", path));
                }
                inner.check_parent("open", path).await?;
                let node = Node::new_file();
                let mut st = inner.state();
                if inner.base.is_some() {
                    st.fork.touch(path, None);
                }
                st.nodes.insert(key.clone(), node.clone());
                let base = if st.is_deleted(&key) {
                    // Deleted here but still in the bucket: the delete's
                    // base says what is there.
                    st.pending[&key].base.clone()
                } else {
                    Base::Absent
                };
                st.set_pending(&key, Change::Write(node.clone()), base);
                node
            }
            Found::File(_) if options.create_new => {
                return Err(VfsError::new(Errno::Exist, "open", path))
            }
            Found::File(file) if file.in_base => {
                let base = inner.base.as_ref().expect("a base file has a base");
                if !writes {
                    return base.open(path, options).await;
                }
                let data = if options.truncate {
                    Vec::new()
                } else {
                    base.read_file(path).await?
                };
                let node = Node::new_file();
                {
                    let mut d = node.lock();
                    d.len = data.len() as u64;
                    d.bytes = data;
                }
                let mut st = inner.state();
                st.fork.touch(path, file.base_etag.clone());
                st.nodes.insert(key.clone(), node.clone());
                st.set_pending(&key, Change::Write(node.clone()), file.base.clone());
                node
            }
            Found::File(file) => {
                let node = current_node(inner, &file);
                if !writes {
                    inner.note_read(&file.key);
                }
                if writes {
                    if options.truncate {
                        let mut d = node.lock();
                        d.bytes.clear();
                        d.len = 0;
                        d.loaded = true;
                        d.window = 0;
                        d.dirty = true;
                        d.version += 1;
                        d.mtime = SystemTime::now();
                    } else if options.write {
                        inner.load(&node, path).await?;
                    }
                    let mut st = inner.state();
                    let already = matches!(
                        st.pending.get(&key).map(|p| &p.change),
                        Some(Change::Write(n)) if Arc::ptr_eq(n, &node)
                    );
                    if !already {
                        st.set_pending(&key, Change::Write(node.clone()), file.base.clone());
                    }
                }
                node
            }
        };
        Ok(Arc::new(S3File {
            inner: inner.clone(),
            node,
            path: path.to_owned(),
            key,
            writable: options.write || !options.read,
        }))
    }

    async fn create_dir(&self, path: &str) -> VfsResult<()> {
        let inner = &self.inner;
        inner.check_writable("mkdir", path)?;
        if !matches!(inner.lookup(path).await?, Found::Absent) {
            return Err(VfsError::new(Errno::Exist, "mkdir", path));
        }
        inner.check_parent("mkdir", path).await?;
        let marker = inner.dir_key(path);
        inner
            .state()
            .set_pending(&marker, Change::Marker, Base::Unknown);
        Ok(())
    }

    async fn remove_file(&self, path: &str) -> VfsResult<()> {
        let inner = &self.inner;
        inner.check_writable("unlink", path)?;
        let file = match inner.lookup(path).await? {
            Found::File(file) => file,
            Found::Dir => return Err(VfsError::new(Errno::IsDir, "unlink", path)),
            Found::Absent => return Err(VfsError::new(Errno::NoEnt, "unlink", path)),
        };
        let mut st = inner.state();
        if inner.base.is_some() {
            st.fork.touch(path, file.base_etag.clone());
            st.fork.white_out(path);
        }
        st.nodes.remove(&file.key);
        st.seen.remove(&file.key);
        st.record_removal(&file.key, file.base);
        drop(st);
        keep_parent(inner, path);
        Ok(())
    }

    async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        let inner = &self.inner;
        inner.check_writable("rmdir", path)?;
        if path == "/" {
            return Err(VfsError::new(Errno::Busy, "rmdir", path));
        }
        match inner.lookup(path).await? {
            Found::Dir => {}
            Found::File(_) => return Err(VfsError::new(Errno::NotDir, "rmdir", path)),
            Found::Absent => return Err(VfsError::new(Errno::NoEnt, "rmdir", path)),
        }
        if !self.read_dir(path).await?.is_empty() {
            return Err(VfsError::new(Errno::NotEmpty, "rmdir", path));
        }
        let marker = inner.dir_key(path);
        let mut st = inner.state();
        if inner.base.is_some() {
            st.fork.white_out(path);
        }
        st.seen_dirs.remove(&marker);
        st.record_removal(&marker, Base::Unknown);
        drop(st);
        keep_parent(inner, path);
        Ok(())
    }

    async fn rename(&self, from: &str, to: &str) -> VfsResult<()> {
        self.inner.check_writable("rename", from)?;
        self.rename_path(from, to).await
    }

    async fn symlink(&self, _target: &str, link: &str) -> VfsResult<()> {
        self.inner.check_writable("symlink", link)?;
        Err(VfsError::new(Errno::NotSup, "symlink", link)
            .with_detail("an S3 bucket cannot hold symbolic links"))
    }

    async fn read_link(&self, path: &str) -> VfsResult<String> {
        match self.inner.lookup(path).await? {
            Found::Absent => Err(VfsError::new(Errno::NoEnt, "readlink", path)),
            _ => Err(VfsError::new(Errno::Inval, "readlink", path)),
        }
    }

    async fn set_times(
        &self,
        path: &str,
        _atime: Option<SystemTime>,
        _mtime: Option<SystemTime>,
        _follow: bool,
    ) -> VfsResult<()> {
        // S3 sets an object's time when it is uploaded; see the module docs.
        self.metadata(path).await.map(drop)
    }

    async fn set_mode(&self, path: &str, _mode: u32) -> VfsResult<()> {
        self.metadata(path).await?;
        Err(VfsError::new(Errno::NotSup, "chmod", path)
            .with_detail("an S3 bucket keeps no permission bits"))
    }

    async fn write_file(&self, path: &str, data: &[u8]) -> VfsResult<()> {
        // No fsync at the end, unlike the default: when the bytes reach the
        // bucket is the write policy's decision.
        let file = self.open(path, OpenOptions::write_truncate()).await?;
        file.write_at(data, 0).await?;
        Ok(())
    }

    async fn flush(&self) -> VfsResult<()> {
        S3Fs::flush(self).await.map(drop).map_err(VfsError::from)
    }

    async fn settle(&self) -> VfsResult<()> {
        if self.inner.write_through() && self.pending_changes() > 0 {
            return Vfs::flush(self).await;
        }
        Ok(())
    }
}

/// The node holding a found file's bytes: the local one if it is current,
/// else a fresh one for the object (registered in the cache).
fn current_node(inner: &super::Inner, file: &super::lookup::FileFound) -> Arc<Node> {
    if let Some(node) = &file.node {
        let d = node.lock();
        let current = d.dirty
            || match &file.base {
                Base::Etag(e) => d.etag.as_deref() == Some(e.as_str()),
                Base::Unknown | Base::Absent => true,
            };
        if current {
            return node.clone();
        }
    }
    let info = crate::store::ObjectInfo {
        size: file.len,
        etag: match &file.base {
            Base::Etag(e) => Some(e.clone()),
            _ => None,
        },
        modified: file.mtime,
    };
    let node = Node::remote(&file.source, &info);
    inner.state().nodes.insert(file.key.clone(), node.clone());
    node
}

/// Keeps the parent of a removed entry alive: in S3 a directory without a
/// marker exists only while something is below it, but on POSIX removing
/// the last file leaves an empty directory.
pub(super) fn keep_parent(inner: &super::Inner, path: &str) {
    let Some((parent, _)) = split_parent(path) else {
        return;
    };
    if parent == "/" {
        return;
    }
    let marker = inner.dir_key(parent);
    let mut st = inner.state();
    if !st.pending.contains_key(&marker) {
        st.set_pending(&marker, Change::Marker, Base::Unknown);
    }
}

/// `dir/name`, for a directory path and an entry name.
pub(super) fn child_path(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Names a POSIX directory can hold: keys like `a//b` or `a/./b` cannot be
/// shown as paths and are skipped.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".."
}
