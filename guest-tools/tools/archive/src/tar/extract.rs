//! `tar -t` and `tar -x`: read entries, filter by member operands, list
//! them like GNU tar or unpack them (with `--strip-components`, `-O`, `-k`).

use super::Tar;
use crate::io_reason;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};
use tar::{Archive, EntryType};

impl Tar<'_> {
    /// Lists (`extract == false`) or extracts the archive in `data`.
    pub(super) fn read_archive(&mut self, data: &[u8], extract: bool) {
        let mut archive = Archive::new(data);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => return self.error(format!("{}", e)),
        };
        let mut matched = vec![false; self.o.names.len()];
        // Directory times are set last: creating their contents changes them.
        let mut dir_times: Vec<(PathBuf, u64)> = Vec::new();
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.error(format!("{e}"));
                    self.fatal_usage = Some("Error is not recoverable: exiting now".into());
                    break;
                }
            };
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            if !self.o.names.is_empty() {
                let hit = self.o.names.iter().position(|m| member_matches(m, &name));
                match hit {
                    Some(i) => matched[i] = true,
                    None => continue,
                }
            }
            let link = entry
                .link_name_bytes()
                .map(|l| String::from_utf8_lossy(&l).into_owned());
            if !extract {
                let header = entry.header().clone();
                if self.o.verbose == 0 {
                    let _ = writeln!(self.stdout, "{name}");
                } else {
                    self.long_listing(&name, &header, link.as_deref(), true);
                }
                continue;
            }
            let Some(rel) = stripped(&name, self.o.strip) else {
                continue;
            };
            if self.o.verbose > 0 {
                let header = entry.header().clone();
                self.verbose_entry(&name, &header, link.as_deref());
            }
            if self.o.to_stdout {
                if entry.header().entry_type().is_file() {
                    let mut buf = Vec::new();
                    if let Err(e) = entry
                        .read_to_end(&mut buf)
                        .and_then(|_| self.stdout.write_all(&buf))
                    {
                        self.error(format!("{name}: Cannot write: {}", io_reason(&e)));
                    }
                }
                continue;
            }
            let dest = self.resolve(&rel);
            let ty = entry.header().entry_type();
            if self.o.keep_old && fs::symlink_metadata(&dest).is_ok() && ty != EntryType::Directory
            {
                self.error(format!("{}: Cannot open: File exists", rel.display()));
                continue;
            }
            if let Some(parent) = dest.parent() {
                let _ = fs::create_dir_all(parent);
            }
            if ty != EntryType::Directory && fs::symlink_metadata(&dest).is_ok_and(|m| !m.is_dir())
            {
                // GNU replaces existing files rather than writing through them.
                let _ = fs::remove_file(&dest);
            }
            if ty == EntryType::Directory {
                dir_times.push((dest.clone(), entry.header().mtime().unwrap_or(0)));
            }
            if let Err(e) = entry.unpack(&dest) {
                self.error(format!("{}: Cannot open: {}", rel.display(), io_reason(&e)));
            }
        }
        for (dir, mtime) in dir_times.into_iter().rev() {
            if let Ok(f) = fs::File::open(&dir) {
                let _ = f.set_modified(UNIX_EPOCH + Duration::from_secs(mtime));
            }
        }
        for (name, hit) in self.o.names.clone().iter().zip(matched) {
            if !hit {
                self.error(format!("{name}: Not found in archive"));
            }
        }
    }
}

/// GNU matches a member operand against the entry name or any directory
/// prefix of it, ignoring trailing slashes.
fn member_matches(member: &str, name: &str) -> bool {
    let m = member.trim_end_matches('/');
    let n = name.trim_end_matches('/');
    n == m || n.strip_prefix(m).is_some_and(|rest| rest.starts_with('/'))
}

/// The path to extract to after dropping `strip` leading components, or
/// `None` if nothing is left; `..` components and leading `/` never escape
/// the target directory (GNU refuses `..` the same way).
fn stripped(name: &str, strip: usize) -> Option<PathBuf> {
    let parts: Vec<&std::ffi::OsStr> = Path::new(name)
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p),
            _ => None,
        })
        .collect();
    if Path::new(name)
        .components()
        .any(|c| c == Component::ParentDir)
    {
        return None;
    }
    let rest: PathBuf = parts.into_iter().skip(strip).collect();
    (!rest.as_os_str().is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_match_directory_prefixes() {
        assert!(member_matches("t", "t/sub/f"));
        assert!(member_matches("t/", "t/"));
        assert!(!member_matches("t", "tt/f"));
    }

    #[test]
    fn strip_components_and_safety() {
        assert_eq!(stripped("t/sub/f", 1), Some(PathBuf::from("sub/f")));
        assert_eq!(stripped("t/", 1), None);
        assert_eq!(stripped("/abs/x", 0), Some(PathBuf::from("abs/x")));
        assert_eq!(stripped("a/../../etc/passwd", 0), None);
    }
}
