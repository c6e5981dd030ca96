//! Whiteouts and opaque directories, kept by merged path.
//!
//! Linux overlayfs stores these as special files and extended attributes in
//! the upper directory. Here the upper layer is a plain [`MemFs`](crate::MemFs),
//! so they live beside it in two persistent sorted sets: cloning them for a
//! fork is O(1), and all marks below a directory form two contiguous key
//! ranges, so dropping a removed or renamed subtree's marks costs O(log n)
//! plus the number of marks dropped.

use crate::path::is_within;
use imbl::OrdSet;

/// The overlay's bookkeeping next to the upper layer.
#[derive(Clone, Debug, Default)]
pub(super) struct Marks {
    /// Paths whose lower-layer object is deleted in the merged view.
    whiteouts: OrdSet<String>,
    /// Upper directories that do not merge with the lower layer: created
    /// fresh, or moved here by a rename (which copies their content up).
    opaque: OrdSet<String>,
}

/// The first key after every path below `dir` (`'0'` follows `'/'`).
fn subtree_range(dir: &str) -> (String, String) {
    if dir == "/" {
        ("/".to_owned(), "0".to_owned())
    } else {
        (format!("{dir}/"), format!("{dir}0"))
    }
}

impl Marks {
    /// True if the lower object at `path` is deleted.
    pub fn is_whiteout(&self, path: &str) -> bool {
        self.whiteouts.contains(path)
    }

    /// True if the directory at `path` hides the lower layer.
    pub fn is_opaque(&self, path: &str) -> bool {
        self.opaque.contains(path)
    }

    /// Hides the lower object at `path`.
    pub fn add_whiteout(&mut self, path: &str) {
        self.whiteouts.insert(path.to_owned());
    }

    /// Forgets a whiteout (an upper object now covers the path anyway).
    pub fn remove_whiteout(&mut self, path: &str) {
        self.whiteouts.remove(path);
    }

    /// Marks the upper directory at `path` opaque.
    pub fn set_opaque(&mut self, path: &str) {
        self.opaque.insert(path.to_owned());
    }

    /// Names of the whiteouts directly in directory `dir`.
    pub fn whiteouts_in<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let (start, end) = subtree_range(dir);
        let prefix_len = start.len();
        self.whiteouts
            .range(start..end)
            .map(move |path| &path[prefix_len..])
            .filter(|name| !name.contains('/'))
    }

    /// Drops every mark at or below `path` (its subtree left the view).
    pub fn drop_subtree(&mut self, path: &str) {
        for set in [&mut self.whiteouts, &mut self.opaque] {
            set.remove(path);
            let (start, end) = subtree_range(path);
            let below: Vec<String> = set.range(start..end).cloned().collect();
            for key in below {
                debug_assert!(is_within(&key, path));
                set.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_whiteouts_of_one_directory_only() {
        let mut marks = Marks::default();
        for path in ["/a", "/a/x", "/a/y/z", "/a-b", "/b"] {
            marks.add_whiteout(path);
        }
        assert_eq!(marks.whiteouts_in("/a").collect::<Vec<_>>(), ["x"]);
        assert_eq!(
            marks.whiteouts_in("/").collect::<Vec<_>>(),
            ["a", "a-b", "b"]
        );
    }

    #[test]
    fn dropping_a_subtree_keeps_its_neighbours() {
        let mut marks = Marks::default();
        for path in ["/a", "/a/x", "/a/y/z", "/a-b", "/ab"] {
            marks.add_whiteout(path);
        }
        marks.set_opaque("/a/y");
        marks.drop_subtree("/a");
        assert!(!marks.is_whiteout("/a") && !marks.is_whiteout("/a/x"));
        assert!(!marks.is_opaque("/a/y"));
        assert!(marks.is_whiteout("/a-b") && marks.is_whiteout("/ab"));
    }
}
