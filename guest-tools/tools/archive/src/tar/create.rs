//! `tar -c`: walk the operands (directories recursively, in name order)
//! and write GNU-format entries; symlinks are stored as symlinks.
//!
//! Headers are built here from `std::fs` metadata (see [`super::sys`] for
//! what each target can report); the `tar` crate's `Builder` only adds
//! GNU long-name entries where a name or link target is too long, the
//! checksum and the padding.

use super::{sys, Tar};
use crate::io_reason;
use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use tar::{Builder, EntryType, Header};

/// What one entry holds besides its header.
enum Body {
    Dir,
    File(Vec<u8>),
    Symlink(PathBuf),
}

impl Tar<'_> {
    /// Appends every operand to a new archive and returns its bytes.
    pub(super) fn create(&mut self) -> Vec<u8> {
        let mut builder = Builder::new(Vec::new());
        if self.o.names.is_empty() {
            self.fatal_usage = Some("Cowardly refusing to create an empty archive".to_owned());
            return Vec::new();
        }
        let mut warned_slash = false;
        for name in self.o.names.clone() {
            if self.exclude.excludes(&name) {
                continue;
            }
            let stored = name.trim_start_matches('/');
            if stored.len() != name.len() && !warned_slash {
                self.note("Removing leading `/' from member names");
                warned_slash = true;
            }
            let stored = if stored.is_empty() { "." } else { stored };
            self.add(&mut builder, Path::new(&name), stored.to_owned());
        }
        builder.into_inner().unwrap_or_default()
    }

    /// Adds `path` (as given, for messages and exclusion) under the member
    /// name `stored`, and a directory's contents after it.
    fn add(&mut self, builder: &mut Builder<Vec<u8>>, path: &Path, stored: String) {
        let full = self.resolve(path);
        let meta = match fs::symlink_metadata(&full) {
            Ok(m) => m,
            Err(e) => {
                return self.error(format!(
                    "{}: Cannot stat: {}",
                    path.display(),
                    io_reason(&e)
                ))
            }
        };
        let ft = meta.file_type();
        let body = if ft.is_symlink() {
            match fs::read_link(&full) {
                Ok(target) => Body::Symlink(target),
                Err(e) => {
                    return self.error(format!(
                        "{}: Cannot readlink: {}",
                        path.display(),
                        io_reason(&e)
                    ))
                }
            }
        } else if ft.is_dir() {
            Body::Dir
        } else if ft.is_file() {
            // Read first: the header's size must be what is written.
            match fs::read(&full) {
                Ok(data) => Body::File(data),
                Err(e) => {
                    return self.error(format!(
                        "{}: Cannot open: {}",
                        path.display(),
                        io_reason(&e)
                    ))
                }
            }
        } else {
            return self.note(&format!("{}: socket ignored", path.display()));
        };
        let mut header = header_for(&meta, &body);
        let shown = match body {
            Body::Dir if !stored.ends_with('/') => format!("{stored}/"),
            _ => stored.clone(),
        };
        let result = match &body {
            Body::Symlink(target) => builder.append_link(&mut header, &stored, target),
            Body::Dir => builder.append_data(&mut header, &shown, io::empty()),
            Body::File(data) => builder.append_data(&mut header, &stored, &data[..]),
        };
        if let Err(e) = result {
            return self.error(format!("{}: Cannot add: {}", path.display(), io_reason(&e)));
        }
        let link = match &body {
            Body::Symlink(target) => Some(target.to_string_lossy().into_owned()),
            _ => None,
        };
        self.verbose_entry(&shown, &header, link.as_deref());
        if matches!(body, Body::Dir) {
            self.add_children(builder, path, &full, &stored);
        }
    }

    fn add_children(
        &mut self,
        builder: &mut Builder<Vec<u8>>,
        path: &Path,
        full: &Path,
        stored: &str,
    ) {
        let mut children: Vec<PathBuf> = match fs::read_dir(full) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| PathBuf::from(e.file_name())))
                .collect(),
            Err(e) => {
                return self.error(format!(
                    "{}: Cannot open: {}",
                    path.display(),
                    io_reason(&e)
                ))
            }
        };
        // Name order keeps archives reproducible (GNU's --sort=name).
        children.sort();
        for child in children {
            let child_path = path.join(&child);
            if self.exclude.excludes(&child_path.to_string_lossy()) {
                continue;
            }
            let stored_child = format!("{}/{}", stored.trim_end_matches('/'), child.display());
            self.add(builder, &child_path, stored_child);
        }
    }
}

/// A GNU header for `meta`: type, permission bits, owner (named `root`
/// for id 0, as GNU tar shows it), size and modification time. The name,
/// link target and checksum are left to the builder.
fn header_for(meta: &Metadata, body: &Body) -> Header {
    let mut header = Header::new_gnu();
    let (entry_type, size) = match body {
        Body::Dir => (EntryType::Directory, 0),
        Body::File(data) => (EntryType::Regular, data.len() as u64),
        Body::Symlink(_) => (EntryType::Symlink, 0),
    };
    header.set_entry_type(entry_type);
    header.set_size(size);
    header.set_mode(sys::mode_of(meta));
    let (uid, gid) = sys::owner_of(meta);
    header.set_uid(uid);
    header.set_gid(gid);
    if uid == 0 {
        let _ = header.set_username("root");
    }
    if gid == 0 {
        let _ = header.set_groupname("root");
    }
    // Times before 1970 are stored as 0: GNU's base-256 negative times are
    // rare enough not to matter here.
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    header.set_mtime(mtime);
    if let Some(gnu) = header.as_gnu_mut() {
        gnu.set_device_major(0);
        gnu.set_device_minor(0);
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_type_size_mode_owner_and_time() {
        let dir = std::env::temp_dir().join(format!("wa-archive-hdr-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        fs::write(&file, b"four").unwrap();
        let when = UNIX_EPOCH + std::time::Duration::from_secs(1_704_164_645);
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(when)
            .unwrap();
        let meta = fs::symlink_metadata(&file).unwrap();
        let h = header_for(&meta, &Body::File(b"four".to_vec()));
        assert_eq!(h.entry_type(), EntryType::Regular);
        assert_eq!(h.size().unwrap(), 4);
        assert_eq!(h.mtime().unwrap(), 1_704_164_645);
        assert_eq!(h.mode().unwrap(), sys::mode_of(&meta));
        assert_eq!((h.uid().unwrap(), h.gid().unwrap()), sys::owner_of(&meta));
        let d = header_for(&fs::symlink_metadata(&dir).unwrap(), &Body::Dir);
        assert_eq!(
            (d.entry_type(), d.size().unwrap()),
            (EntryType::Directory, 0)
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
