//! `GLOBIGNORE`: a colon-separated list of patterns; a pathname expansion
//! result matching one of them is dropped, and so are `.` and `..`
//! (bash's `glob_name_is_acceptable`, pathexp.c). Patterns match whole
//! results with `FNM_PATHNAME`: a wildcard never matches a `/` (`*.txt`
//! drops `a.txt`, not `dir/a.txt`), but does match a leading dot.

use crate::expand::pattern::Pattern;

/// The compiled patterns of a non-empty `GLOBIGNORE`.
pub(super) struct GlobIgnore {
    /// Each pattern as its `/`-separated components.
    patterns: Vec<Vec<Pattern>>,
}

impl GlobIgnore {
    /// The patterns of `spec` (the value of `GLOBIGNORE`); `None` when it
    /// is empty, which ignores nothing.
    pub(super) fn new(spec: &str, extglob: bool, nocase: bool) -> Option<GlobIgnore> {
        if spec.is_empty() {
            return None;
        }
        let patterns = split(spec)
            .into_iter()
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.split('/')
                    .map(|component| Pattern::new(component, extglob, nocase))
                    .collect()
            })
            .collect();
        Some(GlobIgnore { patterns })
    }

    /// True if `name`, a result of pathname expansion, is kept.
    pub(super) fn accepts(&self, name: &str) -> bool {
        let last = match name.rsplit_once('/') {
            Some((_, last)) if !last.is_empty() => last,
            _ => name,
        };
        if last == "." || last == ".." {
            return false;
        }
        let components: Vec<&str> = name.split('/').collect();
        !self.patterns.iter().any(|pattern| {
            pattern.len() == components.len()
                && pattern
                    .iter()
                    .zip(&components)
                    .all(|(p, component)| p.matches(component))
        })
    }
}

/// Splits `spec` at the colons outside bracket expressions, extended-glob
/// groups and backslash escapes (bash's `split_ignorespec`).
fn split(spec: &str) -> Vec<&str> {
    let bytes = spec.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i, mut groups) = (0, 0, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => {
                if let Some(close) = bracket_end(bytes, i) {
                    i = close;
                }
            }
            b'(' if i > 0 && b"?*+@!".contains(&bytes[i - 1]) => groups += 1,
            b')' if groups > 0 => groups -= 1,
            b':' if groups == 0 => {
                parts.push(&spec[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&spec[start..]);
    parts
}

/// The `]` closing the bracket expression opening at `open` (a `]` right
/// after `[`, `[!` or `[^` is a member), if any.
fn bracket_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if matches!(bytes.get(i), Some(b'!' | b'^')) {
        i += 1;
    }
    if bytes.get(i) == Some(&b']') {
        i += 1;
    }
    (i..bytes.len()).find(|&j| bytes[j] == b']')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colons_inside_brackets_and_groups_do_not_split() {
        assert_eq!(split("*.txt:*.log"), ["*.txt", "*.log"]);
        assert_eq!(split("[:]x:y"), ["[:]x", "y"]);
        assert_eq!(split("@(a:b):c"), ["@(a:b)", "c"]);
        assert_eq!(split(r"a\:b:c"), [r"a\:b", "c"]);
    }

    #[test]
    fn wildcards_stop_at_slashes_but_not_at_dots() {
        let ignore = GlobIgnore::new("*.txt", false, false).unwrap();
        assert!(!ignore.accepts("a.txt"));
        assert!(!ignore.accepts(".config.txt"));
        assert!(ignore.accepts("dir/a.txt"));
        assert!(ignore.accepts("c.log"));
        assert!(!ignore.accepts(".."));
        assert!(!ignore.accepts("dir/."));
        let nested = GlobIgnore::new("*/*.txt", false, false).unwrap();
        assert!(!nested.accepts("dir/a.txt"));
        assert!(GlobIgnore::new("", false, false).is_none());
    }
}
