//! Lines that cannot take part in a match are set aside before the search.
//!
//! A line whose class never occurs in the other file is certainly inserted
//! or deleted; leaving it out makes the search cheaper and, more visibly,
//! steers which of several equally short scripts it finds. Lines whose class
//! is very frequent in the other file ("provisionally discardable") are
//! left out too, but only inside runs of certain discards, with rules on
//! the run's shape. These are GNU diff's rules; reproducing them is what
//! makes our hunks the same as GNU's on real edits.

/// What the search sees of one file.
pub struct Kept {
    /// Classes of the lines kept, in order.
    pub classes: Vec<u32>,
    /// For each kept line, its index among all the file's lines.
    pub index: Vec<usize>,
    /// For every line of the file: set aside (and therefore changed).
    pub discarded: Vec<bool>,
}

/// Marks for one line before the run rules are applied.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Keep,
    Discard,
    Provisional,
}

/// Splits both files' lines into kept and set aside. With `minimal`,
/// nothing is set aside (`--minimal`).
pub fn discard(first: &[u32], second: &[u32], classes: usize, minimal: bool) -> [Kept; 2] {
    let count0 = counts(first, classes);
    let count1 = counts(second, classes);
    let marks0 = refine(initial_marks(first, &count1));
    let marks1 = refine(initial_marks(second, &count0));
    [
        keep(first, &marks0, minimal),
        keep(second, &marks1, minimal),
    ]
}

fn counts(classes: &[u32], n: usize) -> Vec<usize> {
    let mut counts = vec![0usize; n];
    for &c in classes {
        counts[c as usize] += 1;
    }
    counts
}

/// A line matching nothing is discarded; one matching more lines than about
/// 5 * sqrt(n / 64) (n = this file's lines) is provisional.
fn initial_marks(classes: &[u32], other_counts: &[usize]) -> Vec<Mark> {
    let mut many = 5usize;
    let mut tem = classes.len() / 64;
    loop {
        tem >>= 2;
        if tem == 0 {
            break;
        }
        many *= 2;
    }
    classes
        .iter()
        .map(|&c| match other_counts[c as usize] {
            0 => Mark::Discard,
            n if n > many => Mark::Provisional,
            _ => Mark::Keep,
        })
        .collect()
}

/// Keeps provisional lines unless they sit well inside a run of discards.
fn refine(mut marks: Vec<Mark>) -> Vec<Mark> {
    let end = marks.len();
    let mut i = 0;
    while i < end {
        match marks[i] {
            Mark::Keep => {}
            Mark::Provisional => marks[i] = Mark::Keep,
            Mark::Discard => i = refine_run(&mut marks, i),
        }
        i += 1;
    }
    marks
}

/// Applies the run rules to the run of discardable lines starting at
/// `start` (a certain discard); returns the index of the run's last line.
fn refine_run(marks: &mut [Mark], start: usize) -> usize {
    let mut j = start;
    let mut provisional = 0usize;
    while j < marks.len() && marks[j] != Mark::Keep {
        if marks[j] == Mark::Provisional {
            provisional += 1;
        }
        j += 1;
    }
    // Provisional lines at the end of the run stay.
    while j > start && marks[j - 1] == Mark::Provisional {
        j -= 1;
        marks[j] = Mark::Keep;
        provisional -= 1;
    }
    let length = j - start;
    let run = &mut marks[start..j];
    if provisional * 4 > length {
        // Too many provisional lines in the run: keep them all.
        for m in run.iter_mut().filter(|m| **m == Mark::Provisional) {
            *m = Mark::Keep;
        }
    } else {
        cancel_long_subruns(run);
        cancel_near_ends(run.iter_mut());
        cancel_near_ends(run.iter_mut().rev());
    }
    start + length.max(1) - 1
}

/// A subrun of `minimum` or more provisional lines (minimum being about
/// sqrt(length / 4) + 1) is kept entirely.
fn cancel_long_subruns(run: &mut [Mark]) {
    let length = run.len();
    let mut minimum = 1usize;
    let mut tem = length >> 2;
    loop {
        tem >>= 2;
        if tem == 0 {
            break;
        }
        minimum <<= 1;
    }
    minimum += 1;
    let mut consec = 0usize;
    let mut j = 0usize;
    while j < length {
        if run[j] != Mark::Provisional {
            consec = 0;
        } else {
            consec += 1;
            if consec == minimum {
                // Go back to the start of the subrun to keep all of it
                // (`consec` stays above `minimum` while rescanning it).
                j = j + 1 - consec;
                continue;
            } else if consec > minimum {
                run[j] = Mark::Keep;
            }
        }
        j += 1;
    }
}

/// From one end of the run, provisional lines are kept until three certain
/// discards in a row, or a certain discard at least 8 lines in, are seen.
fn cancel_near_ends<'a>(marks: impl Iterator<Item = &'a mut Mark>) {
    let mut consec = 0;
    for (j, m) in marks.enumerate() {
        if j >= 8 && *m == Mark::Discard {
            break;
        }
        match *m {
            Mark::Provisional => {
                consec = 0;
                *m = Mark::Keep;
            }
            Mark::Keep => consec = 0,
            Mark::Discard => consec += 1,
        }
        if consec == 3 {
            break;
        }
    }
}

fn keep(classes: &[u32], marks: &[Mark], minimal: bool) -> Kept {
    let mut kept = Kept {
        classes: Vec::with_capacity(classes.len()),
        index: Vec::with_capacity(classes.len()),
        discarded: vec![false; classes.len()],
    };
    for (i, (&c, &m)) in classes.iter().zip(marks).enumerate() {
        if minimal || m == Mark::Keep {
            kept.classes.push(c);
            kept.index.push(i);
        } else {
            kept.discarded[i] = true;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_without_a_match_are_set_aside() {
        let [a, b] = discard(&[1, 2, 3], &[1, 3, 4], 5, false);
        assert_eq!(a.classes, vec![1, 3]);
        assert_eq!(a.index, vec![0, 2]);
        assert_eq!(a.discarded, vec![false, true, false]);
        assert_eq!(b.classes, vec![1, 3]);
        assert_eq!(b.discarded, vec![false, false, true]);
    }

    #[test]
    fn minimal_keeps_everything() {
        let [a, _] = discard(&[1, 2], &[1], 3, true);
        assert_eq!(a.classes, vec![1, 2]);
        assert_eq!(a.discarded, vec![false, false]);
    }

    #[test]
    fn provisional_lines_inside_a_run_of_discards_are_set_aside() {
        // Class 9 occurs more than `many` (5) times in the other file, so it
        // is provisional; surrounded by certain discards (2..=8 have no
        // match) it goes too, except near the run's ends.
        let first: Vec<u32> = vec![2, 3, 4, 5, 9, 6, 7, 8, 10];
        let second: Vec<u32> = vec![9; 6].into_iter().chain([1]).collect();
        let [a, _] = discard(&first, &second, 11, false);
        assert!(a.discarded[..4].iter().all(|&d| d));
        assert!(
            a.discarded[4],
            "a provisional line well inside the run is set aside"
        );
        let first: Vec<u32> = vec![2, 9, 3];
        let [a, _] = discard(&first, &second, 11, false);
        assert!(
            !a.discarded[1],
            "a provisional line near the run's start is kept"
        );
    }
}
