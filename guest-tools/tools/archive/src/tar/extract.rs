//! `tar -t` and `tar -x`: read entries, filter by member operands and
//! exclusions, list them like GNU tar or unpack them (with
//! `--strip-components`, `-O`, `-k`; see [`super::unpack`]).

use super::unpack::{kind_of, read_all, DirFixup};
use super::Tar;
use crate::io_reason;
use std::path::{Component, Path, PathBuf};
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
        let mut dirs: Vec<DirFixup> = Vec::new();
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.error(format!("{e}"));
                    self.fatal_usage = Some("Error is not recoverable: exiting now".into());
                    break;
                }
            };
            // pax global headers describe the archive, not a member.
            if entry.header().entry_type() == EntryType::XGlobalHeader {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            if !self.o.names.is_empty() {
                let hit = self.o.names.iter().position(|m| member_matches(m, &name));
                match hit {
                    Some(i) => matched[i] = true,
                    None => continue,
                }
            }
            // GNU matches directory members without their trailing slash.
            let bare = name.trim_end_matches('/');
            if self
                .exclude
                .excludes(if bare.is_empty() { &name } else { bare })
            {
                continue;
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
                    if let Err(e) = read_all(&mut entry).and_then(|b| self.stdout.write_all(&b)) {
                        self.error(format!("{name}: Cannot write: {}", io_reason(&e)));
                    }
                }
                continue;
            }
            let strip = self.o.strip;
            // A hard link's target is an archive name too: stripped and
            // placed under -C the same way.
            let Some(kind) = kind_of(&entry, |t| stripped(t, strip).map(|p| self.resolve(&p)))
            else {
                self.error(format!(
                    "{}: Cannot hard link to '{}': No such file or directory",
                    rel.display(),
                    link.unwrap_or_default()
                ));
                continue;
            };
            let dest = self.resolve(&rel);
            self.unpack(&mut entry, kind, &rel, &dest, &mut dirs);
        }
        self.finish_dirs(dirs);
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
