//! Sliding runs of changes to where a reader expects them.
//!
//! When a run of inserted or deleted lines sits next to identical lines, it
//! can slide without changing the script's meaning (deleting the first or
//! the second of two equal lines is the same edit). GNU diff slides every
//! run as far down as it goes, merging runs that meet, and then back up if
//! that lines it up with a run of changes in the other file (so a change
//! shows as one `c` hunk rather than `d` plus `a`). We do the same, which is
//! what puts an inserted `}` line after the existing `}`, as GNU does.

/// A change flag per line with a `false` sentinel on each side, so that
/// index -1 and index `len` can be read like GNU's padded arrays.
pub struct Flags {
    cells: Vec<bool>,
}

impl Flags {
    /// Flags for `changed`, one per line.
    pub fn new(changed: &[bool]) -> Self {
        let mut cells = Vec::with_capacity(changed.len() + 2);
        cells.push(false);
        cells.extend_from_slice(changed);
        cells.push(false);
        Flags { cells }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.cells.len() - 2
    }

    /// Whether there are no lines.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The flag of line `i` (`-1 ..= len`).
    pub fn get(&self, i: isize) -> bool {
        self.cells[(i + 1) as usize]
    }

    fn set(&mut self, i: isize, v: bool) {
        self.cells[(i + 1) as usize] = v;
    }
}

/// Slides the runs of changes of both files, first file first; `classes`
/// are the files' line classes (equal numbers, equal lines).
pub fn shift_boundaries(flags: &mut [Flags; 2], classes: [&[u32]; 2]) {
    let [first, second] = flags;
    shift_file(first, second, classes[0]);
    shift_file(second, first, classes[1]);
}

fn shift_file(changed: &mut Flags, other: &Flags, eq: &[u32]) {
    let end = changed.len() as isize;
    let same = |a: isize, b: isize| eq[a as usize] == eq[b as usize];
    // `j` follows the line of the other file that corresponds to `i`.
    let mut i: isize = 0;
    let mut j: isize = 0;
    loop {
        // Find the start of the next run, keeping `j` in step.
        while i < end && !changed.get(i) {
            while other.get(j) {
                j += 1;
            }
            j += 1;
            i += 1;
        }
        if i == end {
            break;
        }
        let mut start = i;
        i += 1;
        while changed.get(i) {
            i += 1;
        }
        while other.get(j) {
            j += 1;
        }

        let mut corresponding;
        loop {
            let runlength = i - start;

            // Slide up while the line above equals the run's last line,
            // merging with runs above.
            while start > 0 && same(start - 1, i - 1) {
                start -= 1;
                changed.set(start, true);
                i -= 1;
                changed.set(i, false);
                while changed.get(start - 1) {
                    start -= 1;
                }
                j -= 1;
                while other.get(j) {
                    j -= 1;
                }
            }

            // The run's end at the last place it faced changes in the other
            // file; `end` when it never did.
            corresponding = if other.get(j - 1) { i } else { end };

            // Slide down while the run's first line equals the line below,
            // merging with runs below. Done last, so that a run that merges
            // with nothing ends up as low as it can go.
            while i != end && same(start, i) {
                changed.set(start, false);
                start += 1;
                changed.set(i, true);
                i += 1;
                while changed.get(i) {
                    i += 1;
                }
                j += 1;
                while other.get(j) {
                    j += 1;
                    corresponding = i;
                }
            }

            if runlength == i - start {
                break;
            }
        }

        // Slide back up to face the other file's changes, if they were met.
        while corresponding < i {
            start -= 1;
            changed.set(start, true);
            i -= 1;
            changed.set(i, false);
            j -= 1;
            while other.get(j) {
                j -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(s: &str) -> Flags {
        Flags::new(&s.bytes().map(|b| b == b'1').collect::<Vec<_>>())
    }

    fn render(f: &Flags) -> String {
        (0..f.len() as isize)
            .map(|i| if f.get(i) { '1' } else { '0' })
            .collect()
    }

    #[test]
    fn an_insertion_in_a_run_of_equal_lines_slides_to_its_end() {
        // x x x inserted at position 0 of "x x x x" slides down.
        let mut fl = [flags("000"), flags("1000")];
        shift_boundaries(&mut fl, [&[1, 1, 1], &[1, 1, 1, 1]]);
        assert_eq!(render(&fl[1]), "0001");
    }

    #[test]
    fn a_deletion_in_a_run_of_equal_lines_slides_to_its_end() {
        // a b b c -> a b c: the first b was marked deleted; the last one is.
        let mut fl = [flags("0100"), flags("000")];
        shift_boundaries(&mut fl, [&[1, 2, 2, 3], &[1, 2, 3]]);
        assert_eq!(render(&fl[0]), "0010");
    }
}
