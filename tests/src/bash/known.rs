//! The known failures: the one file (`tests/known-failures/bash.toml`) that
//! lists every case our shell is allowed to fail for now, each with the
//! reason (what differs from bash).
//!
//! The file is a flat TOML table, `"<area>/<name>" = "reason"`; comments
//! may group the entries by cluster. A listed case that passes fails the
//! suite, so the list can only shrink.

use crate::bash::case::BashCase;
use crate::case::LoadError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The accepted failures, by case id.
#[derive(Debug, Clone, Default)]
pub struct KnownFailures {
    reasons: BTreeMap<String, String>,
}

impl KnownFailures {
    /// Reads the list from `path`; every reason must be non-empty.
    pub fn load(path: &Path) -> Result<KnownFailures, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|e| LoadError {
            path: path.to_path_buf(),
            message: format!("cannot read the known failures: {e}"),
        })?;
        KnownFailures::parse(&text).map_err(|message| LoadError {
            path: path.to_path_buf(),
            message,
        })
    }

    fn parse(text: &str) -> Result<KnownFailures, String> {
        let reasons: BTreeMap<String, String> = toml::from_str(text).map_err(|e| {
            format!("{e}\nexpected one line per case: \"<area>/<name>\" = \"reason\"")
        })?;
        if let Some((id, _)) = reasons.iter().find(|(_, r)| r.trim().is_empty()) {
            return Err(format!("`{id}` needs a reason (what differs from bash)"));
        }
        Ok(KnownFailures { reasons })
    }

    /// The reason `id` may fail, if it is listed.
    pub fn reason(&self, id: &str) -> Option<&str> {
        self.reasons.get(id).map(String::as_str)
    }

    /// Number of listed cases.
    pub fn len(&self) -> usize {
        self.reasons.len()
    }

    /// True if no case is listed.
    pub fn is_empty(&self) -> bool {
        self.reasons.is_empty()
    }

    /// Listed ids that name no case of `cases` (renamed or deleted cases):
    /// stale entries that would hide nothing and must go.
    pub fn unknown_ids(&self, cases: &[BashCase]) -> Vec<&str> {
        let ids: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        self.reasons
            .keys()
            .map(String::as_str)
            .filter(|id| !ids.contains(id))
            .collect()
    }
}

/// Deletes the entries of `ids` from the list file at `path`, keeping
/// every other line as it is, except the `# --- group` headers left with no
/// entry below them; returns how many entries went. For
/// `BASH_CONFORMANCE_PRUNE=1`: cases that now pass leave the list without
/// hand editing.
pub fn prune(path: &Path, ids: &[&str]) -> std::io::Result<usize> {
    let text = std::fs::read_to_string(path)?;
    let keys: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    let before = text.lines().count();
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            let key = line.split('=').next().unwrap_or_default().trim();
            !keys.iter().any(|k| k == key)
        })
        .collect();
    let removed = before - kept.len();
    let mut out: Vec<&str> = Vec::with_capacity(kept.len());
    for (i, line) in kept.iter().enumerate() {
        let next = kept.get(i + 1).copied().unwrap_or_default();
        let empty_group = line.starts_with(GROUP_HEADER) && !next.starts_with('"');
        let double_blank = line.is_empty() && out.last().is_some_and(|l| l.is_empty());
        if !empty_group && !double_blank {
            out.push(line);
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    std::fs::write(path, text)?;
    Ok(removed)
}

/// How a group of entries is introduced in the list file.
const GROUP_HEADER: &str = "# --- ";

/// Where the list lives: `tests/known-failures/bash.toml` of this crate.
pub fn known_failures_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("known-failures/bash.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_need_a_reason() {
        let known = KnownFailures::parse("# cluster\n\"a/b\" = \"x differs\"\n").unwrap();
        assert_eq!(known.reason("a/b"), Some("x differs"));
        assert_eq!(known.reason("a/c"), None);
        assert_eq!(known.len(), 1);
        assert!(KnownFailures::parse("\"a/b\" = \" \"\n")
            .unwrap_err()
            .contains("needs a reason"));
        assert!(KnownFailures::parse("[a]\nb = 1\n")
            .unwrap_err()
            .contains("one line per case"));
    }

    #[test]
    fn prune_deletes_only_the_named_entries_and_empty_groups() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let text = "# head\n\n# --- one\n\"a/x\" = \"r1\"\n\"a/xy\" = \"r2\"\n\n\
                    # --- two\n\"b/z\" = \"r3\"\n\n# --- three\n\"c/w\" = \"r4\"\n";
        std::fs::write(file.path(), text).unwrap();
        assert_eq!(prune(file.path(), &["a/x", "b/z"]).unwrap(), 2);
        let left = std::fs::read_to_string(file.path()).unwrap();
        assert_eq!(
            left,
            "# head\n\n# --- one\n\"a/xy\" = \"r2\"\n\n# --- three\n\"c/w\" = \"r4\"\n"
        );
        assert_eq!(KnownFailures::load(file.path()).unwrap().len(), 2);
    }
}
