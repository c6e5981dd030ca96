//! Grouping changes into hunks, and dropping the ones that only touch
//! ignorable lines (`-B`, `-I RE`).

use regex::bytes::Regex;

use crate::analyze::{Change, WhiteSpace};
use crate::text::Text;

/// Which lines a change may consist of and still be ignored.
#[derive(Debug, Default)]
pub struct Ignorable {
    /// `-B`: blank lines (only white space, when white space is ignored).
    pub blank_lines: bool,
    /// White space level, for what counts as blank.
    pub white_space: WhiteSpace,
    /// `-I RE`: lines that match (anywhere in the line).
    pub regex: Option<Regex>,
}

impl Ignorable {
    /// Whether some lines can be ignored at all.
    pub fn active(&self) -> bool {
        self.blank_lines || self.regex.is_some()
    }

    fn line(&self, body: &[u8]) -> bool {
        if self.blank_lines {
            let blank = if self.white_space >= WhiteSpace::TrailingSpace {
                body.iter().all(|&b| crate::analyze::equiv::is_space(b))
            } else {
                body.is_empty()
            };
            if blank {
                return true;
            }
        }
        self.regex.as_ref().is_some_and(|re| re.is_match(body))
    }
}

/// What a hunk does: lines deleted from the first file, inserted from the
/// second, or both (GNU's OLD, NEW and CHANGED).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds {
    /// Some lines of the first file are deleted or changed.
    pub old: bool,
    /// Some lines of the second file are inserted or changed.
    pub new: bool,
}

impl Kinds {
    /// The ed/normal command letter: `d`, `a` or `c`.
    pub fn letter(self) -> u8 {
        match (self.old, self.new) {
            (true, true) => b'c',
            (true, false) => b'd',
            _ => b'a',
        }
    }
}

/// The lines a hunk covers: `first..=last` in each file (0-based; an empty
/// range has `last == first - 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    /// First line of the first file.
    pub first0: isize,
    /// Last line of the first file.
    pub last0: isize,
    /// First line of the second file.
    pub first1: isize,
    /// Last line of the second file.
    pub last1: isize,
    /// Deletions, insertions or both.
    pub kinds: Kinds,
}

/// The extent of `hunk` (consecutive changes), or `None` when every line
/// it deletes or inserts is ignorable.
pub fn analyze(hunk: &[Change], t0: &Text, t1: &Text, ignorable: &Ignorable) -> Option<Extent> {
    let first = hunk.first()?;
    let last = hunk.last()?;
    let mut trivial = ignorable.active();
    let (mut deleted, mut inserted) = (0, 0);
    for c in hunk {
        deleted += c.deleted;
        inserted += c.inserted;
        if trivial {
            trivial = (c.line0..c.line0 + c.deleted).all(|i| ignorable.line(t0.body(i)))
                && (c.line1..c.line1 + c.inserted).all(|i| ignorable.line(t1.body(i)));
        }
    }
    if trivial {
        return None;
    }
    Some(Extent {
        first0: first.line0 as isize,
        last0: (last.line0 + last.deleted) as isize - 1,
        first1: first.line1 as isize,
        last1: (last.line1 + last.inserted) as isize - 1,
        kinds: Kinds {
            old: deleted > 0,
            new: inserted > 0,
        },
    })
}

/// Splits `changes` into hunks for context and unified output: a change
/// joins the previous hunk when fewer than `2 * context + 1` unchanged lines
/// separate them, or fewer than `context` if it is ignorable itself.
pub fn group<'c>(changes: &'c [Change], context: usize, ignorable: &[bool]) -> Vec<&'c [Change]> {
    let mut hunks = Vec::new();
    let mut start = 0;
    for k in 1..=changes.len() {
        if k < changes.len() {
            let prev = &changes[k - 1];
            let gap = changes[k].line0 - (prev.line0 + prev.deleted);
            let threshold = if ignorable[k] {
                context
            } else {
                2 * context + 1
            };
            if gap < threshold {
                continue;
            }
        }
        hunks.push(&changes[start..k]);
        start = k;
    }
    hunks
}

/// For each change on its own: whether it is ignorable (only computed when
/// `ignorable` can ignore anything; all `false` otherwise).
pub fn ignorable_changes(
    changes: &[Change],
    t0: &Text,
    t1: &Text,
    ignorable: &Ignorable,
) -> Vec<bool> {
    if !ignorable.active() {
        return vec![false; changes.len()];
    }
    changes
        .iter()
        .map(|c| analyze(std::slice::from_ref(c), t0, t1, ignorable).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(line0: usize, line1: usize, deleted: usize, inserted: usize) -> Change {
        Change {
            line0,
            line1,
            deleted,
            inserted,
        }
    }

    #[test]
    fn nearby_changes_share_a_hunk() {
        let changes = [change(1, 1, 1, 1), change(8, 8, 1, 1), change(20, 20, 1, 0)];
        let hunks = group(&changes, 3, &[false; 3]);
        assert_eq!(hunks.len(), 2);
        assert_eq!(hunks[0].len(), 2);
    }

    #[test]
    fn blank_line_changes_are_ignorable_with_b() {
        let t0 = Text::new(b"a\n\nb\n".to_vec(), false);
        let t1 = Text::new(b"a\nb\n".to_vec(), false);
        let ign = Ignorable {
            blank_lines: true,
            ..Ignorable::default()
        };
        assert_eq!(analyze(&[change(1, 1, 1, 0)], &t0, &t1, &ign), None);
        let extent = analyze(&[change(1, 1, 1, 0)], &t0, &t1, &Ignorable::default()).unwrap();
        assert_eq!(
            (extent.first0, extent.last0, extent.first1, extent.last1),
            (1, 1, 1, 0)
        );
        assert_eq!(extent.kinds.letter(), b'd');
    }
}
