//! Writing one archive entry to the filesystem with `std::fs`, as GNU tar
//! does by default: an existing non-directory is replaced, missing parent
//! directories are created, times are restored (directories' at the end,
//! since creating their contents changes them), and modes where the
//! platform has them. Messages follow GNU tar 1.34 (`Cannot open`,
//! `Cannot mkdir`, `Cannot create symlink to`, `Cannot hard link to`,
//! `Cannot utime`).

use super::{sys, Tar};
use crate::io_reason;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tar::{Entry, EntryType};

/// A directory whose time and mode are set once the archive is done.
pub(super) struct DirFixup {
    path: PathBuf,
    /// The name as shown in messages.
    shown: PathBuf,
    mtime: SystemTime,
    mode: u32,
}

/// What an entry asks to be created.
pub(super) enum Kind {
    Dir,
    File,
    Symlink(PathBuf),
    /// A hard link to this path (already stripped and resolved).
    HardLink(PathBuf),
    /// A device or fifo, which neither WASI nor std can create.
    Special,
}

impl Tar<'_> {
    /// Creates `dest` (shown as `rel`) from `entry`.
    pub(super) fn unpack(
        &mut self,
        entry: &mut Entry<'_, &[u8]>,
        kind: Kind,
        rel: &Path,
        dest: &Path,
        dirs: &mut Vec<DirFixup>,
    ) {
        let shown = rel.display().to_string();
        let (secs, nanos) = mtime_of(entry);
        let mtime = if secs >= 0 {
            UNIX_EPOCH + Duration::new(secs as u64, nanos)
        } else {
            UNIX_EPOCH
        };
        let mode = entry.header().mode().unwrap_or(0o644) & 0o7777;
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            // A failure shows up below, when the entry itself is created.
            let _ = fs::create_dir_all(parent);
        }
        let existing = fs::symlink_metadata(dest).ok();
        if let Kind::Dir = kind {
            if existing.as_ref().is_some_and(|m| !m.is_dir()) {
                let _ = fs::remove_file(dest);
            }
            if let Err(e) = fs::create_dir_all(dest) {
                return self.error(format!("{shown}: Cannot mkdir: {}", io_reason(&e)));
            }
            dirs.push(DirFixup {
                path: dest.to_path_buf(),
                shown: rel.to_path_buf(),
                mtime,
                mode,
            });
            return;
        }
        if let Some(m) = existing {
            if self.o.keep_old {
                return self.error(format!("{shown}: Cannot open: File exists"));
            }
            // GNU replaces an existing file (or empty directory) rather than
            // writing through it: a symlink there must not be followed.
            let _ = if m.is_dir() {
                fs::remove_dir(dest)
            } else {
                fs::remove_file(dest)
            };
        }
        match kind {
            Kind::Dir => unreachable!("handled above"),
            Kind::File => {
                let written = fs::File::create(dest)
                    .map_err(|e| format!("{shown}: Cannot open: {}", io_reason(&e)))
                    .and_then(|mut f| {
                        io::copy(entry, &mut f)
                            .map_err(|e| format!("{shown}: Cannot write: {}", io_reason(&e)))?;
                        f.set_modified(mtime)
                            .map_err(|e| format!("{shown}: Cannot utime: {}", io_reason(&e)))
                    });
                if let Err(msg) = written {
                    return self.error(msg);
                }
                self.restore_mode(dest, &shown, mode);
            }
            Kind::Symlink(target) => {
                if let Err(e) = sys::create_symlink(&target, dest) {
                    return self.error(format!(
                        "{shown}: Cannot create symlink to '{}': {}",
                        target.display(),
                        io_reason(&e)
                    ));
                }
                if let Err(e) = sys::set_symlink_mtime(dest, secs, nanos) {
                    self.error(format!("{shown}: Cannot utime: {}", io_reason(&e)));
                }
            }
            Kind::HardLink(target) => {
                if let Err(e) = fs::hard_link(&target, dest) {
                    let named = target.strip_prefix(self.base()).unwrap_or(&target);
                    self.error(format!(
                        "{shown}: Cannot hard link to '{}': {}",
                        named.display(),
                        io_reason(&e)
                    ));
                }
            }
            Kind::Special => {
                self.error(format!("{shown}: Cannot mknod: Operation not supported"));
            }
        }
    }

    /// Sets modes and times of the extracted directories, innermost first.
    pub(super) fn finish_dirs(&mut self, dirs: Vec<DirFixup>) {
        for dir in dirs.into_iter().rev() {
            let shown = dir.shown.display().to_string();
            self.restore_mode(&dir.path, &shown, dir.mode);
            let set = fs::File::open(&dir.path).and_then(|f| f.set_modified(dir.mtime));
            if let Err(e) = set {
                self.error(format!("{shown}: Cannot utime: {}", io_reason(&e)));
            }
        }
    }

    fn restore_mode(&mut self, path: &Path, shown: &str, mode: u32) {
        if let Err(e) = sys::set_mode(path, mode) {
            self.error(format!(
                "{shown}: Cannot change mode to {}: {}",
                mode_letters(mode),
                io_reason(&e)
            ));
        }
    }

    /// The `-C` directory, or nothing.
    fn base(&self) -> &Path {
        Path::new(self.o.directory.as_deref().unwrap_or(""))
    }
}

/// The entry's kind; `link` maps a hard link's archived target to a path.
pub(super) fn kind_of(
    entry: &Entry<'_, &[u8]>,
    link: impl FnOnce(&str) -> Option<PathBuf>,
) -> Option<Kind> {
    let target = || {
        entry
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .unwrap_or_default()
    };
    Some(match entry.header().entry_type() {
        EntryType::Directory => Kind::Dir,
        EntryType::Symlink => Kind::Symlink(PathBuf::from(target())),
        EntryType::Link => Kind::HardLink(link(&target())?),
        EntryType::Char | EntryType::Block | EntryType::Fifo => Kind::Special,
        // Regular, contiguous, sparse, and unknown types, which GNU tar
        // also extracts as regular files.
        _ => Kind::File,
    })
}

/// Modification time: a pax `mtime` record wins over the header's field.
fn mtime_of(entry: &mut Entry<'_, &[u8]>) -> (i64, u32) {
    if let Ok(Some(exts)) = entry.pax_extensions() {
        for ext in exts.flatten() {
            if ext.key() == Ok("mtime") {
                if let Some(t) = ext.value().ok().and_then(parse_pax_time) {
                    return t;
                }
            }
        }
    }
    (entry.header().mtime().unwrap_or(0) as i64, 0)
}

/// `1700000000.5` → (1700000000, 500000000).
fn parse_pax_time(s: &str) -> Option<(i64, u32)> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let secs: i64 = whole.parse().ok()?;
    let digits: String = frac.chars().take(9).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let nanos = if digits.is_empty() {
        0
    } else {
        format!("{digits:0<9}").parse().ok()?
    };
    Some((secs, nanos))
}

/// `rwxr-xr-x` for GNU's "Cannot change mode" message.
fn mode_letters(mode: u32) -> String {
    "rwxrwxrwx"
        .chars()
        .enumerate()
        .map(|(i, c)| if mode & (0o400 >> i) != 0 { c } else { '-' })
        .collect()
}

/// Reads an entry's data (for `-O`).
pub(super) fn read_all(entry: &mut Entry<'_, &[u8]>) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    entry.read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_times() {
        assert_eq!(parse_pax_time("1700000000"), Some((1_700_000_000, 0)));
        assert_eq!(
            parse_pax_time("1700000000.5"),
            Some((1_700_000_000, 500_000_000))
        );
        assert_eq!(parse_pax_time("12.0000000019"), Some((12, 1)));
        assert_eq!(parse_pax_time("x"), None);
    }

    #[test]
    fn mode_letters_like_ls() {
        assert_eq!(mode_letters(0o755), "rwxr-xr-x");
        assert_eq!(mode_letters(0o640), "rw-r-----");
    }
}
