//! Namespace operations on a [`Tree`]: each one resolves its paths, checks
//! what Linux checks in the order Linux checks it, and applies the change.
//! They return a bare [`Errno`]; the `Vfs` layer adds operation and path.

use super::inode::{Dir, Entry, Ino, Inode, Kind, ENTRY_COST, INODE_COST};
use super::resolve::{lookup, resolve, Target};
use super::tree::{InoHasher, Tree};
use crate::path::PATH_MAX;
use crate::{DirEntry, Errno, FileType, Metadata, OpenOptions};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

/// Open handles per inode. Unlinking the last name of an open file keeps
/// the inode (an orphan) until its last handle closes, as on POSIX.
pub(crate) type OpenCounts = HashMap<Ino, u32, InoHasher>;

impl Tree {
    /// `stat` (`follow`) or `lstat`.
    pub fn stat(&self, path: &str, follow: bool) -> Result<Metadata, Errno> {
        let ino = lookup(self, path, follow)?;
        Ok(self.get(ino).metadata(ino))
    }

    /// The sorted entries of the directory at `path`.
    pub fn list(&self, path: &str) -> Result<Vec<DirEntry>, Errno> {
        let ino = lookup(self, path, true)?;
        let dir = self.get(ino).as_dir().ok_or(Errno::NotDir)?;
        Ok(dir
            .entries
            .iter()
            .map(|(name, entry)| DirEntry {
                name: name.to_string(),
                file_type: entry.ty,
                ino: entry.ino,
            })
            .collect())
    }

    /// `mkdir`: the parent must exist and the name must be free (a dangling
    /// symlink occupies it).
    pub fn mkdir(&mut self, path: &str, now: SystemTime) -> Result<(), Errno> {
        let Target::Entry {
            parent,
            name,
            entry: None,
        } = resolve(self, path, false)?
        else {
            return Err(Errno::Exist);
        };
        self.reserve(INODE_COST + ENTRY_COST + name.len() as u64)?;
        let ino = self.insert(Inode::new(Kind::Dir(Dir::new(parent)), now));
        self.add_entry(parent, &name, ino, FileType::Dir, now);
        Ok(())
    }

    /// `symlink(target, link)`; the target text is stored as given.
    pub fn symlink(&mut self, target: &str, link: &str, now: SystemTime) -> Result<(), Errno> {
        if target.is_empty() {
            return Err(Errno::NoEnt);
        }
        if target.len() > PATH_MAX {
            return Err(Errno::NameTooLong);
        }
        let Target::Entry {
            parent,
            name,
            entry: None,
        } = resolve(self, link, false)?
        else {
            return Err(Errno::Exist);
        };
        self.reserve(INODE_COST + target.len() as u64 + ENTRY_COST + name.len() as u64)?;
        let ino = self.insert(Inode::new(Kind::Symlink(Arc::from(target)), now));
        self.add_entry(parent, &name, ino, FileType::Symlink, now);
        Ok(())
    }

    /// `readlink`: `EINVAL` unless `path` is a symlink.
    pub fn read_link(&self, path: &str) -> Result<String, Errno> {
        let ino = lookup(self, path, false)?;
        match &self.get(ino).kind {
            Kind::Symlink(target) => Ok(target.to_string()),
            _ => Err(Errno::Inval),
        }
    }

    /// `link(existing, new)`: a symlink is linked itself, not followed;
    /// directories cannot be linked (`EPERM`, checked after `EEXIST` as
    /// Linux does).
    pub fn hard_link(&mut self, existing: &str, new: &str, now: SystemTime) -> Result<(), Errno> {
        let ino = lookup(self, existing, false)?;
        let Target::Entry {
            parent,
            name,
            entry: None,
        } = resolve(self, new, false)?
        else {
            return Err(Errno::Exist);
        };
        let ty = self.get(ino).file_type();
        if ty == FileType::Dir {
            return Err(Errno::Perm);
        }
        self.reserve(ENTRY_COST + name.len() as u64)?;
        self.update(ino, |inode| {
            inode.nlink += 1;
            inode.ctime = now;
        });
        self.add_entry(parent, &name, ino, ty, now);
        Ok(())
    }

    /// `unlink`: files and symlinks only.
    pub fn unlink(&mut self, path: &str, open: &OpenCounts, now: SystemTime) -> Result<(), Errno> {
        match resolve(self, path, false)? {
            Target::Dir(_) => Err(Errno::IsDir),
            Target::Entry { entry: None, .. } => Err(Errno::NoEnt),
            Target::Entry {
                entry: Some(entry), ..
            } if entry.ty == FileType::Dir => Err(Errno::IsDir),
            Target::Entry {
                parent,
                name,
                entry: Some(entry),
            } => {
                self.remove_entry(parent, &name, now);
                self.drop_link(entry.ino, open, now);
                Ok(())
            }
        }
    }

    /// `rmdir`: empty directories only; the root is busy.
    pub fn rmdir(&mut self, path: &str, now: SystemTime) -> Result<(), Errno> {
        match resolve(self, path, false)? {
            Target::Dir(_) => Err(Errno::Busy),
            Target::Entry { entry: None, .. } => Err(Errno::NoEnt),
            Target::Entry {
                parent,
                name,
                entry: Some(entry),
            } => {
                let dir = self.get(entry.ino).as_dir().ok_or(Errno::NotDir)?;
                if !dir.entries.is_empty() {
                    return Err(Errno::NotEmpty);
                }
                self.remove_entry(parent, &name, now);
                self.remove(entry.ino);
                Ok(())
            }
        }
    }

    /// `rename(2)`, with Linux's checks in Linux's order: path lookups,
    /// `EBUSY` for the root, a missing source, moving a directory below
    /// itself (`EINVAL`) or onto its own ancestor (`ENOTEMPTY`), same inode
    /// (success, nothing changes), then the kind of the replaced target.
    pub fn rename(
        &mut self,
        from: &str,
        to: &str,
        open: &OpenCounts,
        now: SystemTime,
    ) -> Result<(), Errno> {
        let src = resolve(self, from, false)?;
        let dst = resolve(self, to, false)?;
        let (
            Target::Entry {
                parent: src_parent,
                name: src_name,
                entry: src_entry,
            },
            Target::Entry {
                parent: dst_parent,
                name: dst_name,
                entry: dst_entry,
            },
        ) = (src, dst)
        else {
            return Err(Errno::Busy);
        };
        let src = src_entry.ok_or(Errno::NoEnt)?;
        if src_parent != dst_parent {
            if src.ty == FileType::Dir && self.is_ancestor(src.ino, dst_parent) {
                return Err(Errno::Inval);
            }
            if let Some(dst) = dst_entry {
                if dst.ty == FileType::Dir && self.is_ancestor(dst.ino, src_parent) {
                    return Err(Errno::NotEmpty);
                }
            }
        }
        if let Some(dst) = dst_entry {
            if dst.ino == src.ino {
                return Ok(());
            }
            match (src.ty == FileType::Dir, dst.ty == FileType::Dir) {
                (true, false) => return Err(Errno::NotDir),
                (false, true) => return Err(Errno::IsDir),
                (true, true) => {
                    let empty = self
                        .get(dst.ino)
                        .as_dir()
                        .is_some_and(|dir| dir.entries.is_empty());
                    if !empty {
                        return Err(Errno::NotEmpty);
                    }
                }
                (false, false) => {}
            }
        } else {
            // A new entry replaces the old one; only a longer name costs more.
            self.reserve((dst_name.len() as u64).saturating_sub(src_name.len() as u64))?;
        }
        if let Some(dst) = dst_entry {
            self.remove_entry(dst_parent, &dst_name, now);
            if dst.ty == FileType::Dir {
                self.remove(dst.ino);
            } else {
                self.drop_link(dst.ino, open, now);
            }
        }
        self.remove_entry(src_parent, &src_name, now);
        self.add_entry(dst_parent, &dst_name, src.ino, src.ty, now);
        self.update(src.ino, |inode| {
            inode.ctime = now;
            if let Kind::Dir(dir) = &mut inode.kind {
                dir.parent = dst_parent;
            }
        });
        Ok(())
    }

    /// `utimensat`: sets the given times; the change time becomes `now`.
    pub fn set_times(
        &mut self,
        path: &str,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        follow: bool,
        now: SystemTime,
    ) -> Result<(), Errno> {
        let ino = lookup(self, path, follow)?;
        self.set_inode_times(ino, atime, mtime, now);
        Ok(())
    }

    /// `chmod(2)`: sets the permission bits of what `path` names, following
    /// symlinks (Linux has no mode on a symlink); the change time becomes
    /// `now`.
    pub fn set_mode(&mut self, path: &str, mode: u32, now: SystemTime) -> Result<(), Errno> {
        let ino = lookup(self, path, true)?;
        self.update(ino, |inode| {
            inode.mode = (mode & 0o7777) as u16;
            inode.ctime = now;
        });
        Ok(())
    }

    /// Sets times on an inode (also used by open handles).
    pub fn set_inode_times(
        &mut self,
        ino: Ino,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
        now: SystemTime,
    ) {
        self.update(ino, |inode| {
            if let Some(atime) = atime {
                inode.atime = atime;
            }
            if let Some(mtime) = mtime {
                inode.mtime = mtime;
            }
            inode.ctime = now;
        });
    }

    /// `open(2)` without the handle: resolves, creates or truncates as
    /// `options` say and returns the file's inode.
    ///
    /// Linux semantics: `O_CREAT|O_EXCL` never follows a final symlink and
    /// fails on any existing name; `O_CREAT` through a dangling symlink
    /// creates its target; `O_NOFOLLOW` on a symlink gives `ELOOP`; any
    /// directory gives `EISDIR` (this trait has no directory handles).
    pub fn open(
        &mut self,
        path: &str,
        options: &OpenOptions,
        now: SystemTime,
    ) -> Result<Ino, Errno> {
        let follow = !(options.no_follow || options.create_new);
        match resolve(self, path, follow)? {
            Target::Dir(_) if options.create_new => Err(Errno::Exist),
            Target::Dir(_) => Err(Errno::IsDir),
            Target::Entry {
                entry: Some(entry), ..
            } => {
                if options.create_new {
                    return Err(Errno::Exist);
                }
                match entry.ty {
                    FileType::Dir => Err(Errno::IsDir),
                    FileType::Symlink => Err(Errno::Loop),
                    // The memory backend never holds devices.
                    FileType::CharDevice => Err(Errno::NotSup),
                    FileType::File => {
                        if options.truncate {
                            self.update(entry.ino, |inode| {
                                if let Kind::File(data) = &mut inode.kind {
                                    if !data.is_empty() {
                                        *data = Arc::new(Vec::new());
                                    }
                                }
                                inode.mtime = now;
                                inode.ctime = now;
                            });
                        }
                        Ok(entry.ino)
                    }
                }
            }
            Target::Entry {
                parent,
                name,
                entry: None,
            } => {
                if !(options.create || options.create_new) {
                    return Err(Errno::NoEnt);
                }
                self.reserve(INODE_COST + ENTRY_COST + name.len() as u64)?;
                let ino = self.insert(Inode::new(Kind::File(Arc::new(Vec::new())), now));
                self.add_entry(parent, &name, ino, FileType::File, now);
                Ok(ino)
            }
        }
    }

    /// Links `ino` as `name` in directory `parent` (the caller checked that
    /// the name is free and reserved its cost).
    fn add_entry(&mut self, parent: Ino, name: &str, ino: Ino, ty: FileType, now: SystemTime) {
        self.update(parent, |inode| {
            inode.dir_mut().insert(name, Entry { ino, ty });
            inode.mtime = now;
            inode.ctime = now;
        });
    }

    /// Unlinks `name` from directory `parent`.
    fn remove_entry(&mut self, parent: Ino, name: &str, now: SystemTime) {
        self.update(parent, |inode| {
            inode.dir_mut().remove(name);
            inode.mtime = now;
            inode.ctime = now;
        });
    }

    /// Drops one link of a non-directory; frees it when none is left and
    /// no handle has it open.
    fn drop_link(&mut self, ino: Ino, open: &OpenCounts, now: SystemTime) {
        let nlink = self.update(ino, |inode| {
            inode.nlink -= 1;
            inode.ctime = now;
            inode.nlink
        });
        if nlink == 0 && !open.contains_key(&ino) {
            self.remove(ino);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Tree, OpenCounts, SystemTime) {
        let mut tree = Tree::new(u64::MAX);
        let now = SystemTime::now();
        tree.mkdir("/a", now).unwrap();
        tree.mkdir("/a/b", now).unwrap();
        tree.open("/f", &OpenOptions::write_truncate(), now)
            .unwrap();
        (tree, OpenCounts::default(), now)
    }

    #[test]
    fn mkdir_and_unlink_errors_match_linux() {
        let (mut tree, open, now) = setup();
        assert_eq!(tree.mkdir("/a", now), Err(Errno::Exist));
        assert_eq!(tree.mkdir("/", now), Err(Errno::Exist));
        assert_eq!(tree.mkdir("/x/y", now), Err(Errno::NoEnt));
        assert_eq!(tree.mkdir("/f/y", now), Err(Errno::NotDir));
        assert_eq!(tree.unlink("/a", &open, now), Err(Errno::IsDir));
        assert_eq!(tree.unlink("/", &open, now), Err(Errno::IsDir));
        assert_eq!(tree.rmdir("/", now), Err(Errno::Busy));
        assert_eq!(tree.rmdir("/a", now), Err(Errno::NotEmpty));
        assert_eq!(tree.rmdir("/f", now), Err(Errno::NotDir));
        tree.symlink("a", "/l", now).unwrap();
        assert_eq!(tree.rmdir("/l", now), Err(Errno::NotDir));
        assert_eq!(tree.mkdir("/l", now), Err(Errno::Exist));
    }

    #[test]
    fn rename_checks_follow_linux_order() {
        let (mut tree, open, now) = setup();
        assert_eq!(tree.rename("/a", "/a/b/c", &open, now), Err(Errno::Inval));
        assert_eq!(tree.rename("/a", "/a/c", &open, now), Err(Errno::Inval));
        assert_eq!(tree.rename("/a/b", "/a", &open, now), Err(Errno::NotEmpty));
        assert_eq!(tree.rename("/f", "/a", &open, now), Err(Errno::IsDir));
        assert_eq!(tree.rename("/a", "/f", &open, now), Err(Errno::NotDir));
        assert_eq!(tree.rename("/", "/x", &open, now), Err(Errno::Busy));
        assert_eq!(tree.rename("/nope", "/x", &open, now), Err(Errno::NoEnt));
        assert_eq!(tree.rename("/a", "/a", &open, now), Ok(()));
        tree.rename("/a/b", "/b", &open, now).unwrap();
        assert_eq!(
            tree.get(tree.stat("/b", false).unwrap().ino)
                .as_dir()
                .unwrap()
                .parent,
            1
        );
        tree.mkdir("/b/c", now).unwrap();
        assert_eq!(tree.rename("/a", "/b", &open, now), Err(Errno::NotEmpty));
        tree.rename("/b", "/a", &open, now).unwrap();
        assert!(tree.stat("/a/c", false).unwrap().is_dir());
    }

    #[test]
    fn renaming_hard_links_of_one_file_changes_nothing() {
        let (mut tree, open, now) = setup();
        tree.hard_link("/f", "/g", now).unwrap();
        tree.rename("/f", "/g", &open, now).unwrap();
        assert!(tree.stat("/f", false).is_ok());
        assert_eq!(tree.stat("/g", false).unwrap().nlink, 2);
    }

    #[test]
    fn hard_links_share_the_inode_and_refuse_directories() {
        let (mut tree, open, now) = setup();
        assert_eq!(tree.hard_link("/a", "/a2", now), Err(Errno::Perm));
        assert_eq!(tree.hard_link("/a", "/f", now), Err(Errno::Exist));
        assert_eq!(tree.hard_link("/nope", "/x", now), Err(Errno::NoEnt));
        tree.hard_link("/f", "/a/g", now).unwrap();
        let meta = tree.stat("/a/g", false).unwrap();
        assert_eq!(
            (meta.ino, meta.nlink),
            (tree.stat("/f", false).unwrap().ino, 2)
        );
        tree.unlink("/f", &open, now).unwrap();
        assert_eq!(tree.stat("/a/g", false).unwrap().nlink, 1);
    }

    #[test]
    fn open_follows_or_refuses_symlinks_like_linux() {
        let (mut tree, _, now) = setup();
        tree.symlink("target", "/dangling", now).unwrap();
        let create = OpenOptions {
            write: true,
            create: true,
            ..OpenOptions::default()
        };
        let ino = tree.open("/dangling", &create, now).unwrap();
        assert_eq!(tree.stat("/target", false).unwrap().ino, ino);
        let excl = OpenOptions {
            create_new: true,
            ..create
        };
        assert_eq!(tree.open("/dangling", &excl, now), Err(Errno::Exist));
        let nofollow = OpenOptions {
            no_follow: true,
            ..OpenOptions::read()
        };
        assert_eq!(tree.open("/dangling", &nofollow, now), Err(Errno::Loop));
        assert_eq!(
            tree.open("/a", &OpenOptions::read(), now),
            Err(Errno::IsDir)
        );
        assert_eq!(tree.open("/", &OpenOptions::read(), now), Err(Errno::IsDir));
        assert_eq!(
            tree.open("/none", &OpenOptions::read(), now),
            Err(Errno::NoEnt)
        );
    }

    #[test]
    fn symlink_and_read_link_validate_their_inputs() {
        let (mut tree, _, now) = setup();
        assert_eq!(tree.symlink("", "/l", now), Err(Errno::NoEnt));
        assert_eq!(tree.symlink("x", "/f", now), Err(Errno::Exist));
        tree.symlink("/a/b", "/l", now).unwrap();
        assert_eq!(tree.read_link("/l").unwrap(), "/a/b");
        assert_eq!(tree.read_link("/f"), Err(Errno::Inval));
        assert_eq!(tree.read_link("/"), Err(Errno::Inval));
        assert!(tree.stat("/l", true).unwrap().is_dir());
        assert!(tree.stat("/l", false).unwrap().is_symlink());
    }

    #[test]
    fn quota_refuses_new_names_when_full() {
        let now = SystemTime::now();
        let mut tree = Tree::new(INODE_COST + ENTRY_COST + 1);
        tree.mkdir("/a", now).unwrap();
        assert_eq!(tree.mkdir("/b", now), Err(Errno::NoSpc));
        assert_eq!(tree.mkdir("/a", now), Err(Errno::Exist));
        tree.rmdir("/a", now).unwrap();
        assert_eq!(tree.used(), 0);
        tree.mkdir("/b", now).unwrap();
    }
}
