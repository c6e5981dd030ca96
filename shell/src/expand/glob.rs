//! Pathname expansion against the sandbox filesystem.
//!
//! A pattern is matched one path component at a time; only components with
//! wildcards list a directory. Names starting with `.` match only a pattern
//! starting with `.` (or anything under `shopt -s dotglob`); `.` and `..`
//! never match a wildcard. `**` alone as a component matches any number of
//! directories under `shopt -s globstar` (without following symlinks).
//! Results are sorted bytewise, as bash sorts them in the C locale.
//!
//! `ignore`: `GLOBIGNORE`, which drops results and, while it is set and
//! not empty, lets wildcards match names starting with `.` (bash turns
//! `dotglob` on when it is assigned, off when it is unset).

mod ignore;

use super::pattern::{has_magic, unescape, Pattern};
use crate::error::Exec;
use crate::interp::Interp;
use ignore::GlobIgnore;
use wasm_agent_vfs::path::join_normalized;
use wasm_agent_vfs::FileType;

/// One path built so far: as the user will see it, and as the filesystem
/// needs it.
#[derive(Clone)]
struct Candidate {
    shown: String,
    absolute: String,
}

impl Candidate {
    fn child(&self, name: &str) -> Candidate {
        let shown = if self.shown.is_empty() {
            name.to_string()
        } else if self.shown.ends_with('/') {
            format!("{}{name}", self.shown)
        } else {
            format!("{}/{name}", self.shown)
        };
        let absolute = if self.absolute == "/" {
            format!("/{name}")
        } else {
            format!("{}/{name}", self.absolute)
        };
        Candidate { shown, absolute }
    }
}

impl Interp {
    /// The paths matching `pattern` (a pattern whose quoted parts are
    /// escaped), sorted; empty if none.
    pub(crate) async fn glob(&mut self, pattern: &str) -> Exec<Vec<String>> {
        let options = self.state.options.clone();
        let ignore = self
            .scalar("GLOBIGNORE")
            .and_then(|spec| GlobIgnore::new(&spec, options.extglob, options.nocaseglob));
        let dotglob = options.dotglob || ignore.is_some();
        let fs = self.env.fs.clone();
        let trailing_slash = pattern.ends_with('/');
        let components: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
        let root = if pattern.starts_with('/') {
            Candidate {
                shown: "/".into(),
                absolute: "/".into(),
            }
        } else {
            Candidate {
                shown: String::new(),
                absolute: self.state.cwd.clone(),
            }
        };
        let mut candidates = vec![root];
        for (index, component) in components.iter().enumerate() {
            let last = index + 1 == components.len();
            let mut next = Vec::new();
            if options.globstar && *component == "**" {
                for candidate in &candidates {
                    let mut found = vec![candidate.clone()];
                    self.walk_dirs(candidate, dotglob, &mut found).await;
                    next.extend(found);
                }
                // `**` as the last component also matches files.
                if last {
                    let mut with_files = Vec::new();
                    for candidate in &candidates {
                        // `dir/**` starts with `dir/` itself, as in bash.
                        if !candidate.shown.is_empty() && !candidate.shown.ends_with('/') {
                            with_files.push(Candidate {
                                shown: format!("{}/", candidate.shown),
                                absolute: candidate.absolute.clone(),
                            });
                        }
                        self.walk_all(candidate, dotglob, &mut with_files).await;
                    }
                    next = with_files;
                }
            } else if !has_magic(component, options.extglob) {
                let name = unescape(component);
                for candidate in &candidates {
                    next.push(candidate.child(&name));
                }
            } else {
                let matcher = Pattern::new(component, options.extglob, options.nocaseglob);
                let dot_ok = dotglob || component.starts_with('.') || component.starts_with("\\.");
                for candidate in &candidates {
                    let Ok(entries) = fs.read_dir(&candidate.absolute).await else {
                        continue;
                    };
                    for entry in entries {
                        if entry.name.starts_with('.') && !dot_ok {
                            continue;
                        }
                        if matcher.matches(&entry.name) {
                            next.push(candidate.child(&entry.name));
                        }
                    }
                }
            }
            if !last || trailing_slash {
                // Only directories can hold the next component.
                let mut dirs = Vec::with_capacity(next.len());
                for candidate in next {
                    if fs
                        .metadata(&candidate.absolute)
                        .await
                        .is_ok_and(|m| m.is_dir())
                    {
                        dirs.push(candidate);
                    }
                }
                next = dirs;
            }
            candidates = next;
            if candidates.is_empty() {
                return Ok(Vec::new());
            }
        }
        let mut out = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            // Literal components were not checked: the path must exist.
            if fs.symlink_metadata(&candidate.absolute).await.is_ok() {
                let mut shown = candidate.shown;
                if trailing_slash && !shown.ends_with('/') {
                    shown.push('/');
                }
                out.push(shown);
            }
        }
        if let Some(ignore) = ignore {
            out.retain(|name| ignore.accepts(name));
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Adds every directory below `dir` (not following symlinks, skipping
    /// hidden ones unless `dotglob`) to `out`.
    async fn walk_dirs(&mut self, dir: &Candidate, dotglob: bool, out: &mut Vec<Candidate>) {
        let mut stack = vec![dir.clone()];
        while let Some(current) = stack.pop() {
            let Ok(entries) = self.env.fs.read_dir(&current.absolute).await else {
                continue;
            };
            for entry in entries {
                if entry.name.starts_with('.') && !dotglob {
                    continue;
                }
                if entry.file_type == FileType::Dir {
                    let child = current.child(&entry.name);
                    out.push(child.clone());
                    stack.push(child);
                }
            }
        }
    }

    /// Adds every file and directory below `dir` to `out` (`**` at the end
    /// of a pattern), hidden ones only under `dotglob`.
    async fn walk_all(&mut self, dir: &Candidate, dotglob: bool, out: &mut Vec<Candidate>) {
        let mut stack = vec![dir.clone()];
        while let Some(current) = stack.pop() {
            let Ok(entries) = self.env.fs.read_dir(&current.absolute).await else {
                continue;
            };
            for entry in entries {
                if entry.name.starts_with('.') && !dotglob {
                    continue;
                }
                let child = current.child(&entry.name);
                out.push(child.clone());
                if entry.file_type == FileType::Dir {
                    stack.push(child);
                }
            }
        }
    }
}

/// The absolute form of `path` relative to `cwd` (for callers outside the
/// expander that need the same resolution).
#[allow(dead_code, reason = "used by builtins added with the test family")]
pub(crate) fn absolute(cwd: &str, path: &str) -> String {
    join_normalized(cwd, path).unwrap_or_else(|_| path.to_string())
}
