//! The identical beginning and end of two texts, left out of the search.
//!
//! GNU diff finds them byte by byte before splitting lines, keeps
//! `horizon` lines of each (the context width, at least) for the boundary
//! sliding to use, and works out the rest at line granularity. The exact
//! rules change which lines the search sees, so they are reproduced
//! faithfully: a long run of identical lines decides where an inserted copy
//! of one of them is reported.

use crate::text::Text;

/// The lines of each text that the search looks at: `first[0]..ends[0]` of
/// the first text and `first[1]..ends[1]` of the second, with
/// `first[0] == first[1]` (the identical prefix).
#[derive(Debug, PartialEq, Eq)]
pub struct Middle {
    /// Lines in the identical prefix left out.
    pub prefix: usize,
    /// End (exclusive) of the searched lines of each text.
    pub ends: [usize; 2],
}

/// Finds the part of `t0` and `t1` to search. `robust` is false for ed
/// scripts, which complete an incomplete last line silently.
pub fn middle(t0: &Text, t1: &Text, horizon: usize, robust: bool) -> Middle {
    let b0 = t0.bytes();
    let b1 = t1.bytes();
    let (n0, n1) = (b0.len(), b1.len());
    let miss0 = usize::from(t0.missing_newline());
    let miss1 = usize::from(t1.missing_newline());

    // Identical prefix, in bytes.
    let mut p = common_prefix(b0, b1);
    // An appended newline is not part of the text: a complete and an
    // incomplete last line differ.
    if robust && ((n0 - miss0 < p) != (n1 - miss1 < p)) {
        p -= 1;
    }
    // Back up to a line start, then `horizon` more lines.
    let mut hor = horizon;
    while p != 0 {
        if b0[p - 1] == b'\n' {
            if hor == 0 {
                break;
            }
            hor -= 1;
        }
        p -= 1;
    }
    let prefix_end = p;

    // Identical suffix, in bytes, not overlapping the prefix.
    let (mut s0, mut s1) = (n0, n1);
    if !robust || miss0 == miss1 {
        let mut beg0 = prefix_end + n0.saturating_sub(n1);
        while s0 != beg0 {
            s0 -= 1;
            s1 -= 1;
            if b0[s0] != b1[s1] {
                s0 += 1;
                s1 += 1;
                beg0 = s0;
                break;
            }
        }
        // Start at a line start in both texts, after `horizon` lines.
        let at_line_start = (s0 == 0 || b0[s0 - 1] == b'\n') && (s1 == 0 || b1[s1 - 1] == b'\n');
        let mut skip = horizon + usize::from(!at_line_start);
        while skip > 0 && s0 != n0 {
            skip -= 1;
            s0 += memchr::memchr(b'\n', &b0[s0..]).map_or(n0 - s0, |i| i + 1);
        }
        s1 += s0 - beg0;
    }

    Middle {
        prefix: t0.line_at(prefix_end),
        ends: [t0.line_at(s0), t1.line_at(s1)],
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    // Word at a time, then bytes.
    while i + 8 <= n && a[i..i + 8] == b[i..i + 8] {
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mid(a: &str, b: &str, horizon: usize) -> Middle {
        middle(
            &Text::new(a.into(), false),
            &Text::new(b.into(), false),
            horizon,
            true,
        )
    }

    #[test]
    fn prefix_and_suffix_are_left_out() {
        assert_eq!(
            mid("a\nb\nc\n", "a\nX\nc\n", 0),
            Middle {
                prefix: 1,
                ends: [2, 2]
            }
        );
    }

    #[test]
    fn an_extra_copy_of_a_repeated_line_is_found_at_the_end() {
        assert_eq!(
            mid("x\nx\nx\n", "x\nx\nx\nx\n", 0),
            Middle {
                prefix: 3,
                ends: [3, 4]
            }
        );
    }

    #[test]
    fn horizon_lines_are_kept() {
        assert_eq!(
            mid("a\nb\nc\nd\ne\n", "a\nb\nX\nd\ne\n", 1),
            Middle {
                prefix: 1,
                ends: [4, 4]
            }
        );
    }

    #[test]
    fn incomplete_last_line_is_not_part_of_the_prefix() {
        assert_eq!(
            mid("a\nb", "a\nb\nc\n", 0),
            Middle {
                prefix: 1,
                ends: [2, 3]
            }
        );
    }
}
