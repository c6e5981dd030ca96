//! From two texts to the list of changes between them.
//!
//! The steps are GNU diff's, in its order, because each one influences
//! which of the many equally short scripts comes out:
//!
//! 1. [`ends`]: leave out the identical beginning and end (keeping some
//!    lines around the middle for step 5);
//! 2. [`equiv`]: number the remaining lines so that equal lines (under
//!    `-i`, `-b`, `-w`, ...) share a number;
//! 3. [`discard`]: set aside lines that cannot match;
//! 4. [`myers`]: find a shortest script on what is left;
//! 5. [`shift`]: slide runs of changes to their conventional place;
//! 6. collect the runs as [`Change`]s, in line numbers of the whole texts.

pub mod discard;
pub mod ends;
pub mod equiv;
pub mod myers;
pub mod shift;

use crate::text::Text;

/// How much white space is ignored when comparing lines; GNU's levels, in
/// order (a stronger option wins over a weaker one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum WhiteSpace {
    /// Compare lines exactly.
    #[default]
    None,
    /// `-E`: tabs and the spaces they expand to are equal.
    TabExpansion,
    /// `-Z`: ignore white space at line end.
    TrailingSpace,
    /// `-E -Z`.
    TabExpansionAndTrailingSpace,
    /// `-b`: runs of white space are equal; trailing white space is ignored.
    SpaceChange,
    /// `-w`: ignore all white space.
    AllSpace,
}

/// Options that decide which lines are equal and how hard to search.
#[derive(Debug, Clone, Copy)]
pub struct Compare {
    /// White space handling.
    pub white_space: WhiteSpace,
    /// `-i`: ASCII case is ignored.
    pub ignore_case: bool,
    /// False only for ed scripts (`-e`, `-f`), which cannot represent an
    /// incomplete last line and treat it as complete.
    pub robust: bool,
    /// Lines of identical prefix and suffix to keep in the search (at least
    /// the context width).
    pub horizon_lines: usize,
    /// `-d`: always find a shortest script, however long it takes.
    pub minimal: bool,
    /// `--speed-large-files`: accept a worse script sooner.
    pub speed_large_files: bool,
    /// Tab stops for `-E` (default 8).
    pub tabsize: usize,
}

impl Default for Compare {
    fn default() -> Self {
        Compare {
            white_space: WhiteSpace::None,
            ignore_case: false,
            robust: true,
            horizon_lines: 0,
            minimal: false,
            speed_large_files: false,
            tabsize: 8,
        }
    }
}

/// One run of differences: `deleted` lines of the first text starting at
/// `line0` became `inserted` lines of the second starting at `line1`
/// (0-based line numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// First line of the run in the first text.
    pub line0: usize,
    /// First line of the run in the second text.
    pub line1: usize,
    /// Lines deleted from the first text.
    pub deleted: usize,
    /// Lines inserted from the second text.
    pub inserted: usize,
}

/// The changes that turn `t0` into `t1`, in order.
pub fn diff(t0: &Text, t1: &Text, cmp: &Compare) -> Vec<Change> {
    let mid = ends::middle(t0, t1, cmp.horizon_lines, cmp.robust);
    let classes = equiv::classify(
        t0,
        mid.prefix..mid.ends[0],
        t1,
        mid.prefix..mid.ends[1],
        cmp,
    );
    let [kept0, kept1] =
        discard::discard(&classes.first, &classes.second, classes.count, cmp.minimal);
    let (x_changed, y_changed) = myers::compare(
        &kept0.classes,
        &kept1.classes,
        cmp.minimal,
        cmp.speed_large_files,
    );

    let mut changed0 = kept0.discarded;
    let mut changed1 = kept1.discarded;
    for (k, _) in x_changed.iter().enumerate().filter(|(_, &c)| c) {
        changed0[kept0.index[k]] = true;
    }
    for (k, _) in y_changed.iter().enumerate().filter(|(_, &c)| c) {
        changed1[kept1.index[k]] = true;
    }

    let mut flags = [shift::Flags::new(&changed0), shift::Flags::new(&changed1)];
    shift::shift_boundaries(&mut flags, [&classes.first, &classes.second]);
    collect(&flags, mid.prefix)
}

/// Turns the change flags into runs, offset by the `prefix` lines left out.
fn collect(flags: &[shift::Flags; 2], prefix: usize) -> Vec<Change> {
    let [f0, f1] = flags;
    let mut changes = Vec::new();
    let mut i0 = f0.len() as isize;
    let mut i1 = f1.len() as isize;
    // Backward, so that the unchanged lines pair up from the end as in
    // GNU's build_script; the runs come out the same either way.
    while i0 >= 0 || i1 >= 0 {
        if f0.get(i0 - 1) || f1.get(i1 - 1) {
            let (end0, end1) = (i0, i1);
            while f0.get(i0 - 1) {
                i0 -= 1;
            }
            while f1.get(i1 - 1) {
                i1 -= 1;
            }
            changes.push(Change {
                line0: i0 as usize + prefix,
                line1: i1 as usize + prefix,
                deleted: (end0 - i0) as usize,
                inserted: (end1 - i1) as usize,
            });
        }
        i0 -= 1;
        i1 -= 1;
    }
    changes.reverse();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &str, b: &str) -> Vec<(usize, usize, usize, usize)> {
        let t0 = Text::new(a.into(), false);
        let t1 = Text::new(b.into(), false);
        diff(&t0, &t1, &Compare::default())
            .into_iter()
            .map(|c| (c.line0, c.line1, c.deleted, c.inserted))
            .collect()
    }

    #[test]
    fn reports_a_change_an_insertion_and_a_deletion() {
        assert_eq!(run("a\nb\nc\n", "a\nB\nc\n"), vec![(1, 1, 1, 1)]);
        assert_eq!(run("a\nc\n", "a\nb\nc\n"), vec![(1, 1, 0, 1)]);
        assert_eq!(run("a\nb\nc\n", "a\nc\n"), vec![(1, 1, 1, 0)]);
        assert_eq!(run("", "x\n"), vec![(0, 0, 0, 1)]);
        assert!(run("same\n", "same\n").is_empty());
    }

    #[test]
    fn an_inserted_closing_brace_goes_after_the_existing_one() {
        let a = "f {\n}\n";
        let b = "f {\n}\n}\n";
        assert_eq!(run(a, b), vec![(2, 2, 0, 1)]);
    }
}
