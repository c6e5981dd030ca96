//! Path normalisation shared by every backend.
//!
//! All [`Vfs`](crate::Vfs) methods take *normalised absolute* paths: they
//! start with `/`, contain no empty, `.` or `..` components and no trailing
//! slash (except the root `/` itself). Callers (the WASI layer, the shell,
//! the sandbox API) normalise once with [`normalize`]; backends may then split
//! on `/` without re-checking.
//!
//! `..` is resolved lexically, as bash's logical `cd` does. A `..` that
//! follows a symbolic link therefore goes to the link's parent, not the
//! target's; see the crate docs for why this is the chosen trade-off.

use crate::{Errno, VfsError, VfsResult};

/// The longest path accepted, in bytes (Linux `PATH_MAX`).
pub const PATH_MAX: usize = 4096;
/// The longest single component accepted, in bytes (Linux `NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// Joins `path` onto the absolute directory `base` (ignored when `path` is
/// absolute) and normalises the result.
///
/// Errors with `ENAMETOOLONG` when the result or a component is too long and
/// `EINVAL` when the path contains a NUL byte. A `..` at the root stays at the
/// root, as in POSIX.
pub fn join_normalized(base: &str, path: &str) -> VfsResult<String> {
    if path.contains('\0') {
        return Err(VfsError::new(Errno::Inval, "resolve", path));
    }
    let mut parts: Vec<&str> = Vec::new();
    let iter_base = if path.starts_with('/') { "" } else { base };
    for component in iter_base.split('/').chain(path.split('/')) {
        match component {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => {
                if name.len() > NAME_MAX {
                    return Err(VfsError::new(Errno::NameTooLong, "resolve", path));
                }
                parts.push(name);
            }
        }
    }
    let mut out = String::with_capacity(path.len() + base.len() + 1);
    for part in &parts {
        out.push('/');
        out.push_str(part);
    }
    if out.is_empty() {
        out.push('/');
    }
    if out.len() > PATH_MAX {
        return Err(VfsError::new(Errno::NameTooLong, "resolve", path));
    }
    Ok(out)
}

/// Normalises an absolute or root-relative path (a relative path is taken
/// from the root).
pub fn normalize(path: &str) -> VfsResult<String> {
    join_normalized("/", path)
}

/// True if `path` is already in normalised form (cheap check used in debug
/// assertions by backends).
pub fn is_normalized(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    path.starts_with('/')
        && !path.ends_with('/')
        && path[1..]
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Splits a normalised path into its parent directory and final name.
/// Returns `None` for the root, which has no parent.
pub fn split_parent(path: &str) -> Option<(&str, &str)> {
    if path == "/" {
        return None;
    }
    let idx = path.rfind('/')?;
    let parent = if idx == 0 { "/" } else { &path[..idx] };
    Some((parent, &path[idx + 1..]))
}

/// Iterates over the components of a normalised path (none for the root).
pub fn components(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty())
}

/// True if `path` equals `ancestor` or lies below it (both normalised).
pub fn is_within(path: &str, ancestor: &str) -> bool {
    if ancestor == "/" {
        return true;
    }
    path == ancestor
        || (path.starts_with(ancestor) && path.as_bytes().get(ancestor.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dots_and_slashes() {
        assert_eq!(normalize("/a//b/./c/").unwrap(), "/a/b/c");
        assert_eq!(normalize("/a/b/../c").unwrap(), "/a/c");
        assert_eq!(normalize("/../..").unwrap(), "/");
        assert_eq!(normalize("").unwrap(), "/");
        assert_eq!(normalize("a/b").unwrap(), "/a/b");
    }

    #[test]
    fn joins_relative_paths_onto_base() {
        assert_eq!(join_normalized("/work", "x/y").unwrap(), "/work/x/y");
        assert_eq!(join_normalized("/work", "../x").unwrap(), "/x");
        assert_eq!(join_normalized("/work", "/abs").unwrap(), "/abs");
    }

    #[test]
    fn rejects_nul_and_long_names() {
        assert_eq!(normalize("/a\0b").unwrap_err().errno(), Errno::Inval);
        let long = "x".repeat(NAME_MAX + 1);
        assert_eq!(normalize(&long).unwrap_err().errno(), Errno::NameTooLong);
    }

    #[test]
    fn splits_parent() {
        assert_eq!(split_parent("/a/b"), Some(("/a", "b")));
        assert_eq!(split_parent("/a"), Some(("/", "a")));
        assert_eq!(split_parent("/"), None);
    }

    #[test]
    fn checks_ancestry() {
        assert!(is_within("/a/b", "/a"));
        assert!(is_within("/a", "/a"));
        assert!(!is_within("/ab", "/a"));
        assert!(is_within("/x", "/"));
        assert!(is_normalized("/a/b"));
        assert!(!is_normalized("/a/../b"));
        assert!(!is_normalized("/a/"));
    }
}
