//! [`MountFs`]: several filesystems composed into one tree at mount points.
//!
//! A path is served by the filesystem mounted at its longest mounted
//! prefix (the root filesystem at `/` serves everything else), with the
//! mount point stripped: `/work/src/a.rs` under a mount at `/work` is
//! `/src/a.rs` in that filesystem. Error messages get the prefix back.
//!
//! Mount points behave as on Linux: `stat` of a mount point describes the
//! mounted root; a listing of a directory shows the mount points in it;
//! rename and link across filesystems fail with `EXDEV`; removing or
//! renaming a mount point (or a directory holding one) fails with `EBUSY`
//! (`ENOTEMPTY` for `rmdir` of a directory holding one).
//!
//! A mount point need not exist in the filesystem below it. Its missing
//! ancestors then appear as *virtual directories*: listed, `stat`-able,
//! holding only what is mounted below them, and refusing changes.
//!
//! Symlinks resolve within the filesystem that holds them (see the crate
//! docs), so a link in the root filesystem cannot lead into a mount.
//!
//! Inode numbers stay unique across members: tools compare (device, inode)
//! pairs to spot the same file twice (`cp a a`, `du` counting hard links
//! once) and a sandbox shows one device, so each mounted member's inode
//! numbers get its mount number in bits 48..63.

use crate::path::{components, is_within, split_parent};
use crate::{
    DirEntry, Errno, FileType, Metadata, OpenOptions, OverlayFs, Vfs, VfsError, VfsFile, VfsResult,
};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// Filesystems mounted into one tree; see the module docs.
#[derive(Clone)]
pub struct MountFs {
    root: Arc<dyn Vfs>,
    /// Mount points, longest path first, so the first match is the longest
    /// prefix.
    mounts: Vec<Mount>,
    /// Quota of the in-memory upper layer given to members that cannot
    /// fork themselves (see [`MountFs::set_fork_quota`]).
    fork_quota: Option<u64>,
    /// Times reported for virtual directories.
    created: SystemTime,
}

#[derive(Clone)]
struct Mount {
    path: String,
    fs: Arc<dyn Vfs>,
    /// Tags this member's inode numbers (see the module docs); never 0,
    /// which is the root filesystem's.
    id: u64,
}

/// Inode numbers of members are taken as below 2^48 (ext4's are 32-bit,
/// the memory backend counts from 1), leaving the bits above for the tag.
const INO_BITS: u32 = 48;

/// The inode number `ino` of the member tagged `id`, as the tree shows it.
fn tag_ino(id: u64, ino: u64) -> u64 {
    if id == 0 {
        ino
    } else {
        (id << INO_BITS) ^ (ino & ((1 << INO_BITS) - 1))
    }
}

/// Which filesystem serves a path, and the path inside it.
struct Route<'a> {
    fs: &'a Arc<dyn Vfs>,
    /// The mount point (`/` for the root filesystem).
    mount: &'a str,
    inner: &'a str,
    /// The member's inode tag (0 for the root filesystem).
    id: u64,
}

impl MountFs {
    /// A tree served entirely by `root` until something is mounted.
    pub fn new(root: Arc<dyn Vfs>) -> MountFs {
        MountFs {
            root,
            mounts: Vec::new(),
            fork_quota: None,
            created: SystemTime::now(),
        }
    }

    /// Mounts `fs` at `path` (normalised first). Fails with `EBUSY` if
    /// something is already mounted exactly there or `path` is `/`.
    pub fn mount(&mut self, path: &str, fs: Arc<dyn Vfs>) -> VfsResult<()> {
        let path = crate::path::normalize(path)?;
        if path == "/" || self.mounts.iter().any(|m| m.path == path) {
            return Err(VfsError::new(Errno::Busy, "mount", path));
        }
        let id = self.mounts.iter().map(|m| m.id).max().unwrap_or(0) + 1;
        self.mounts.push(Mount { path, fs, id });
        self.mounts
            .sort_by(|a, b| b.path.len().cmp(&a.path.len()).then(a.path.cmp(&b.path)));
        Ok(())
    }

    /// [`MountFs::mount`] in builder style.
    pub fn with_mount(mut self, path: &str, fs: Arc<dyn Vfs>) -> VfsResult<MountFs> {
        self.mount(path, fs)?;
        Ok(self)
    }

    /// Sets the byte quota of the in-memory layer that [`Vfs::fork`] puts
    /// over a member that cannot fork itself (a host directory). Default:
    /// unlimited.
    pub fn set_fork_quota(&mut self, bytes: Option<u64>) {
        self.fork_quota = bytes;
    }

    /// The mount points and their filesystems, longest path first.
    pub fn mounts(&self) -> impl Iterator<Item = (&str, &Arc<dyn Vfs>)> {
        self.mounts.iter().map(|m| (m.path.as_str(), &m.fs))
    }

    fn route<'a>(&'a self, path: &'a str) -> Route<'a> {
        for m in &self.mounts {
            if is_within(path, &m.path) {
                let inner = if path.len() == m.path.len() {
                    "/"
                } else {
                    &path[m.path.len()..]
                };
                return Route {
                    fs: &m.fs,
                    mount: &m.path,
                    inner,
                    id: m.id,
                };
            }
        }
        Route {
            fs: &self.root,
            mount: "/",
            inner: path,
            id: 0,
        }
    }

    fn is_mount_point(&self, path: &str) -> bool {
        self.mounts.iter().any(|m| m.path == path)
    }

    /// True if a mount point lies strictly below `path`.
    fn holds_mount(&self, path: &str) -> bool {
        self.mounts
            .iter()
            .any(|m| m.path != path && is_within(&m.path, path))
    }

    /// Metadata of a virtual directory (an ancestor of a mount point its
    /// filesystem lacks).
    fn virtual_dir(&self, path: &str) -> Metadata {
        Metadata {
            file_type: FileType::Dir,
            len: 0,
            mode: 0o755,
            ino: virtual_ino(path),
            nlink: 2,
            atime: self.created,
            mtime: self.created,
            ctime: self.created,
        }
    }

    async fn stat(&self, path: &str, follow: bool) -> VfsResult<Metadata> {
        let route = self.route(path);
        let result = if follow {
            route.fs.metadata(route.inner).await
        } else {
            route.fs.symlink_metadata(route.inner).await
        };
        match result {
            // A path that leads to a mount point is a directory, whatever
            // (if anything) the filesystem below has there.
            Err(e) if is_missing(&e) && self.holds_mount(path) => Ok(self.virtual_dir(path)),
            Ok(meta) if !meta.is_dir() && self.holds_mount(path) => Ok(self.virtual_dir(path)),
            Ok(mut meta) => {
                meta.ino = tag_ino(route.id, meta.ino);
                Ok(meta)
            }
            Err(e) => Err(e.under_mount(route.mount)),
        }
    }

    fn fork_member(&self, fs: &Arc<dyn Vfs>) -> VfsResult<Arc<dyn Vfs>> {
        match fs.fork() {
            Err(e) if e.errno() == Errno::NotSup => Ok(Arc::new(match self.fork_quota {
                Some(bytes) => OverlayFs::with_quota(fs.clone(), bytes),
                None => OverlayFs::new(fs.clone()),
            })),
            other => other,
        }
    }
}

/// A file of a mounted member, reporting the tree's inode number.
#[derive(Debug)]
struct MountFile {
    file: Arc<dyn VfsFile>,
    id: u64,
}

#[async_trait]
impl VfsFile for MountFile {
    async fn read_at(&self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        self.file.read_at(buf, offset).await
    }

    async fn write_at(&self, buf: &[u8], offset: u64) -> VfsResult<usize> {
        self.file.write_at(buf, offset).await
    }

    async fn append(&self, buf: &[u8]) -> VfsResult<u64> {
        self.file.append(buf).await
    }

    async fn metadata(&self) -> VfsResult<Metadata> {
        let mut meta = self.file.metadata().await?;
        meta.ino = tag_ino(self.id, meta.ino);
        Ok(meta)
    }

    async fn set_len(&self, len: u64) -> VfsResult<()> {
        self.file.set_len(len).await
    }

    async fn set_times(
        &self,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
    ) -> VfsResult<()> {
        self.file.set_times(atime, mtime).await
    }

    async fn sync(&self) -> VfsResult<()> {
        self.file.sync().await
    }
}

/// ENOENT or ENOTDIR: the path does not exist in that filesystem.
fn is_missing(e: &VfsError) -> bool {
    matches!(e.errno(), Errno::NoEnt | Errno::NotDir)
}

/// A stable inode number for a virtual directory: FNV-1a of the path, with
/// the top bit set to keep clear of real inode numbers.
fn virtual_ino(path: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for byte in path.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash | 1 << 63
}

impl fmt::Debug for MountFs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        map.entry(&"/", &self.root);
        for m in self.mounts.iter().rev() {
            map.entry(&m.path, &m.fs);
        }
        map.finish()
    }
}

#[async_trait]
impl Vfs for MountFs {
    async fn metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.stat(path, true).await
    }

    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.stat(path, false).await
    }

    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        let route = self.route(path);
        let mut entries: BTreeMap<String, DirEntry> = match route.fs.read_dir(route.inner).await {
            Ok(list) => list
                .into_iter()
                .map(|mut e| {
                    e.ino = tag_ino(route.id, e.ino);
                    (e.name.clone(), e)
                })
                .collect(),
            Err(e) if is_missing(&e) && self.holds_mount(path) => BTreeMap::new(),
            Err(e) => return Err(e.under_mount(route.mount)),
        };
        for m in &self.mounts {
            if m.path == path || !is_within(&m.path, path) {
                continue;
            }
            let below = if path == "/" {
                &m.path[1..]
            } else {
                &m.path[path.len() + 1..]
            };
            let name = components(below).next().unwrap_or(below);
            let child = if path == "/" {
                format!("/{name}")
            } else {
                format!("{path}/{name}")
            };
            if self.is_mount_point(&child) {
                // The mount hides whatever the lower filesystem has there.
                let ino = match self.stat(&child, true).await {
                    Ok(meta) => meta.ino,
                    // A mounted host directory that vanished: still list it.
                    Err(_) => virtual_ino(&child),
                };
                entries.insert(
                    name.to_owned(),
                    DirEntry {
                        name: name.to_owned(),
                        file_type: FileType::Dir,
                        ino,
                    },
                );
            } else {
                entries.entry(name.to_owned()).or_insert_with(|| DirEntry {
                    name: name.to_owned(),
                    file_type: FileType::Dir,
                    ino: virtual_ino(&child),
                });
            }
        }
        Ok(entries.into_values().collect())
    }

    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>> {
        let route = self.route(path);
        match route.fs.open(route.inner, options).await {
            Err(e) if is_missing(&e) && self.holds_mount(path) => {
                Err(VfsError::new(Errno::IsDir, "open", path))
            }
            Ok(file) if route.id != 0 => Ok(Arc::new(MountFile { file, id: route.id })),
            other => other.map_err(|e| e.under_mount(route.mount)),
        }
    }

    async fn create_dir(&self, path: &str) -> VfsResult<()> {
        if self.holds_mount(path) {
            return Err(VfsError::new(Errno::Exist, "mkdir", path));
        }
        let route = self.route(path);
        route
            .fs
            .create_dir(route.inner)
            .await
            .map_err(|e| e.under_mount(route.mount))
    }

    async fn remove_file(&self, path: &str) -> VfsResult<()> {
        if self.holds_mount(path) {
            return Err(VfsError::new(Errno::IsDir, "unlink", path));
        }
        let route = self.route(path);
        route
            .fs
            .remove_file(route.inner)
            .await
            .map_err(|e| e.under_mount(route.mount))
    }

    async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        if self.is_mount_point(path) {
            return Err(VfsError::new(Errno::Busy, "rmdir", path));
        }
        if self.holds_mount(path) {
            return Err(VfsError::new(Errno::NotEmpty, "rmdir", path));
        }
        let route = self.route(path);
        route
            .fs
            .remove_dir(route.inner)
            .await
            .map_err(|e| e.under_mount(route.mount))
    }

    async fn rename(&self, from: &str, to: &str) -> VfsResult<()> {
        for path in [from, to] {
            if self.is_mount_point(path) || self.holds_mount(path) {
                // Like rename(2), report a bad parent of either path before
                // the busy mount point.
                for other in [from, to] {
                    let parent = split_parent(other).map_or("/", |(parent, _)| parent);
                    let meta = self
                        .stat(parent, true)
                        .await
                        .map_err(|e| VfsError::new(e.errno(), "rename", other))?;
                    if !meta.is_dir() {
                        return Err(VfsError::new(Errno::NotDir, "rename", other));
                    }
                }
                return Err(VfsError::new(Errno::Busy, "rename", path));
            }
        }
        let src = self.route(from);
        let dst = self.route(to);
        if src.mount != dst.mount {
            return Err(VfsError::new(Errno::XDev, "rename", from));
        }
        src.fs
            .rename(src.inner, dst.inner)
            .await
            .map_err(|e| e.under_mount(src.mount))
    }

    async fn symlink(&self, target: &str, link: &str) -> VfsResult<()> {
        if self.holds_mount(link) {
            return Err(VfsError::new(Errno::Exist, "symlink", link));
        }
        let route = self.route(link);
        route
            .fs
            .symlink(target, route.inner)
            .await
            .map_err(|e| e.under_mount(route.mount))
    }

    async fn read_link(&self, path: &str) -> VfsResult<String> {
        let route = self.route(path);
        match route.fs.read_link(route.inner).await {
            Err(e) if is_missing(&e) && self.holds_mount(path) => {
                Err(VfsError::new(Errno::Inval, "readlink", path))
            }
            other => other.map_err(|e| e.under_mount(route.mount)),
        }
    }

    async fn hard_link(&self, existing: &str, new: &str) -> VfsResult<()> {
        if self.holds_mount(new) {
            return Err(VfsError::new(Errno::Exist, "link", new));
        }
        let src = self.route(existing);
        let dst = self.route(new);
        if src.mount != dst.mount {
            return Err(VfsError::new(Errno::XDev, "link", new));
        }
        if self.holds_mount(existing) {
            return Err(VfsError::new(Errno::Perm, "link", existing));
        }
        src.fs
            .hard_link(src.inner, dst.inner)
            .await
            .map_err(|e| e.under_mount(src.mount))
    }

    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
    ) -> VfsResult<()> {
        let route = self.route(path);
        match route.fs.set_times(route.inner, atime, mtime, follow).await {
            Err(e) if is_missing(&e) && self.holds_mount(path) => {
                Err(VfsError::new(Errno::Rofs, "utimensat", path))
            }
            other => other.map_err(|e| e.under_mount(route.mount)),
        }
    }

    async fn set_mode(&self, path: &str, mode: u32) -> VfsResult<()> {
        let route = self.route(path);
        match route.fs.set_mode(route.inner, mode).await {
            Err(e) if is_missing(&e) && self.holds_mount(path) => {
                Err(VfsError::new(Errno::Rofs, "chmod", path))
            }
            other => other.map_err(|e| e.under_mount(route.mount)),
        }
    }

    async fn read_file(&self, path: &str) -> VfsResult<Vec<u8>> {
        let route = self.route(path);
        match route.fs.read_file(route.inner).await {
            Err(e) if is_missing(&e) && self.holds_mount(path) => {
                Err(VfsError::new(Errno::IsDir, "open", path))
            }
            other => other.map_err(|e| e.under_mount(route.mount)),
        }
    }

    async fn write_file(&self, path: &str, data: &[u8]) -> VfsResult<()> {
        if self.holds_mount(path) {
            return Err(VfsError::new(Errno::IsDir, "open", path));
        }
        let route = self.route(path);
        route
            .fs
            .write_file(route.inner, data)
            .await
            .map_err(|e| e.under_mount(route.mount))
    }

    /// Flushes every member; all are tried even when one fails, and the
    /// first failure is returned.
    async fn flush(&self) -> VfsResult<()> {
        let mut first = self.root.flush().await.err();
        for m in &self.mounts {
            if let Err(e) = m.fs.flush().await {
                first.get_or_insert(e.under_mount(&m.path));
            }
        }
        first.map_or(Ok(()), Err)
    }

    /// Settles every member, like [`MountFs::flush`].
    async fn settle(&self) -> VfsResult<()> {
        let mut first = self.root.settle().await.err();
        for m in &self.mounts {
            if let Err(e) = m.fs.settle().await {
                first.get_or_insert(e.under_mount(&m.path));
            }
        }
        first.map_or(Ok(()), Err)
    }

    /// Forks every member. A member that cannot fork (a host directory)
    /// gets an [`OverlayFs`] over it in the fork: the fork's writes land in
    /// memory and never reach the host, but the fork still sees changes
    /// made to the host directory afterwards by others, wherever it has not
    /// written itself.
    fn fork(&self) -> VfsResult<Arc<dyn Vfs>> {
        let mut mounts = Vec::with_capacity(self.mounts.len());
        for m in &self.mounts {
            mounts.push(Mount {
                path: m.path.clone(),
                fs: self.fork_member(&m.fs)?,
                id: m.id,
            });
        }
        Ok(Arc::new(MountFs {
            root: self.fork_member(&self.root)?,
            mounts,
            fork_quota: self.fork_quota,
            created: self.created,
        }))
    }
}

#[cfg(test)]
mod ino_tests {
    use super::*;
    use crate::MemFs;

    #[test]
    fn inode_numbers_are_unique_across_members() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let root = MemFs::new();
            root.write_file("/a", b"root").await.unwrap();
            let member = MemFs::new();
            member.write_file("/a", b"member").await.unwrap();
            let fs = MountFs::new(Arc::new(root))
                .with_mount("/m", Arc::new(member))
                .unwrap();
            let root_ino = fs.metadata("/a").await.unwrap().ino;
            let member_ino = fs.metadata("/m/a").await.unwrap().ino;
            assert_ne!(root_ino, member_ino);
            let listed = fs.read_dir("/m").await.unwrap()[0].ino;
            let opened = fs.open("/m/a", OpenOptions::read()).await.unwrap();
            assert_eq!(listed, member_ino);
            assert_eq!(opened.metadata().await.unwrap().ino, member_ino);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemFs;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    fn setup() -> (MountFs, MemFs, MemFs) {
        let root = MemFs::new();
        let work = MemFs::new();
        let fs = MountFs::new(Arc::new(root.clone()))
            .with_mount("/mnt/work", Arc::new(work.clone()))
            .unwrap();
        (fs, root, work)
    }

    #[test]
    fn routes_to_the_longest_prefix_and_names_outer_paths_in_errors() {
        block_on(async {
            let (fs, root, work) = setup();
            fs.write_file("/mnt/work/a", b"w").await.unwrap();
            assert_eq!(work.read_file("/a").await.unwrap(), b"w");
            assert!(root.metadata("/mnt").await.is_err());
            let err = fs.read_file("/mnt/work/missing").await.unwrap_err();
            assert_eq!(err.path(), "/mnt/work/missing");
        });
    }

    #[test]
    fn virtual_directories_lead_to_mount_points() {
        block_on(async {
            let (fs, _, work) = setup();
            let names = |list: Vec<DirEntry>| list.into_iter().map(|e| e.name).collect::<Vec<_>>();
            assert_eq!(names(fs.read_dir("/").await.unwrap()), ["mnt"]);
            assert_eq!(names(fs.read_dir("/mnt").await.unwrap()), ["work"]);
            assert!(fs.metadata("/mnt").await.unwrap().is_dir());
            // The mount point is the mounted root, with this mount's tag.
            let root_ino = work.metadata("/").await.unwrap().ino;
            assert_eq!(
                fs.metadata("/mnt/work").await.unwrap().ino,
                tag_ino(1, root_ino)
            );
            assert_eq!(
                fs.create_dir("/mnt").await.unwrap_err().errno(),
                Errno::Exist
            );
            assert_eq!(
                fs.remove_dir("/mnt").await.unwrap_err().errno(),
                Errno::NotEmpty
            );
            assert_eq!(
                fs.remove_dir("/mnt/work").await.unwrap_err().errno(),
                Errno::Busy
            );
            assert_eq!(
                fs.open("/mnt", OpenOptions::read())
                    .await
                    .unwrap_err()
                    .errno(),
                Errno::IsDir
            );
        });
    }

    #[test]
    fn cross_mount_rename_and_link_fail_with_exdev() {
        block_on(async {
            let (fs, _, _) = setup();
            fs.write_file("/a", b"x").await.unwrap();
            assert_eq!(
                fs.rename("/a", "/mnt/work/a").await.unwrap_err().errno(),
                Errno::XDev
            );
            assert_eq!(
                fs.hard_link("/a", "/mnt/work/a").await.unwrap_err().errno(),
                Errno::XDev
            );
            assert_eq!(
                fs.rename("/mnt/work", "/w").await.unwrap_err().errno(),
                Errno::Busy
            );
            assert_eq!(
                fs.rename("/mnt", "/m").await.unwrap_err().errno(),
                Errno::Busy
            );
            fs.rename("/a", "/b").await.unwrap();
        });
    }

    #[test]
    fn mounting_twice_at_one_path_is_refused() {
        let (mut fs, _, _) = setup();
        let err = fs.mount("/mnt/work/", Arc::new(MemFs::new())).unwrap_err();
        assert_eq!(err.errno(), Errno::Busy);
        assert_eq!(
            fs.mount("/", Arc::new(MemFs::new())).unwrap_err().errno(),
            Errno::Busy
        );
    }
}
