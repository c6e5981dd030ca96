//! `tar -c`: walk the operands (directories recursively, in name order)
//! and write GNU-format entries; symlinks are stored as symlinks.

use super::Tar;
use crate::io_reason;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use tar::{Builder, EntryType, Header, HeaderMode};

impl Tar<'_> {
    /// Appends every operand to a new archive and returns its bytes.
    pub(super) fn create(&mut self) -> Vec<u8> {
        let mut builder = Builder::new(Vec::new());
        builder.mode(HeaderMode::Complete);
        if self.o.names.is_empty() {
            self.fatal_usage = Some("Cowardly refusing to create an empty archive".to_owned());
            return Vec::new();
        }
        let mut warned_slash = false;
        for name in self.o.names.clone() {
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
        let mut header = Header::new_gnu();
        header.set_metadata_in_mode(&meta, HeaderMode::Complete);
        if header.uid().unwrap_or(1) == 0 {
            let _ = header.set_username("root");
        }
        if header.gid().unwrap_or(1) == 0 {
            let _ = header.set_groupname("root");
        }
        let ft = meta.file_type();
        let shown = if ft.is_dir() && !stored.ends_with('/') {
            format!("{stored}/")
        } else {
            stored.clone()
        };
        let result = if ft.is_symlink() {
            match fs::read_link(&full) {
                Ok(target) => {
                    header.set_entry_type(EntryType::Symlink);
                    header.set_size(0);
                    builder.append_link(&mut header, &stored, &target)
                }
                Err(e) => Err(e),
            }
        } else if ft.is_dir() {
            header.set_entry_type(EntryType::Directory);
            header.set_size(0);
            builder.append_data(&mut header, &shown, io::empty())
        } else if ft.is_file() {
            match fs::File::open(&full) {
                Ok(f) => builder.append_data(&mut header, &stored, f),
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
        if let Err(e) = result {
            return self.error(format!("{}: Cannot add: {}", path.display(), io_reason(&e)));
        }
        self.verbose_entry(&shown, &header, None);
        if ft.is_dir() {
            let mut children: Vec<PathBuf> = match fs::read_dir(&full) {
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
                let stored_child = format!("{}/{}", stored.trim_end_matches('/'), child.display());
                self.add(builder, &path.join(&child), stored_child);
            }
        }
    }
}
