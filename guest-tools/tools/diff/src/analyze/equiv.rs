//! Equivalence classes of lines: two lines get the same number exactly when
//! the comparison options (`-i`, `-b`, `-w`, `-E`, `-Z`) call them equal.
//!
//! Each line is reduced to a canonical form (case folded, white space
//! collapsed or dropped, tabs expanded) and the forms are interned. The
//! search then compares numbers, never bytes.

use std::ops::Range;

use super::{Compare, WhiteSpace};
use crate::text::Text;

/// Class numbers for the lines being compared, in both files.
pub struct Classes {
    /// Class of each line of the first file's range.
    pub first: Vec<u32>,
    /// Class of each line of the second file's range.
    pub second: Vec<u32>,
    /// One more than the largest class number (class 0 is never used).
    pub count: usize,
}

/// Numbers the lines `r0` of `t0` and `r1` of `t1`.
pub fn classify(
    t0: &Text,
    r0: Range<usize>,
    t1: &Text,
    r1: Range<usize>,
    cmp: &Compare,
) -> Classes {
    let mut interner = Interner::new(cmp, [t0, t1], r0.len() + r1.len());
    let first = r0.map(|i| interner.class(0, i)).collect();
    let second = r1.map(|i| interner.class(1, i)).collect();
    Classes {
        first,
        second,
        count: interner.reps.len(),
    }
}

/// Where a class's representative line is: a line of one of the texts
/// (comparing exactly), or a canonical form kept in the arena.
#[derive(Clone, Copy)]
enum Rep {
    Line { file: u8, line: u32 },
    Arena { start: u32, len: u32 },
}

/// An interning table tuned for many distinct lines: open addressing over
/// 8-byte slots (hash tag, class), keys left in the texts rather than
/// copied. A 10 MB file has hundreds of thousands of distinct lines, and
/// the table's cache misses are most of the comparison's cost.
struct Interner<'t> {
    cmp: Compare,
    normalizes: bool,
    texts: [&'t Text; 2],
    /// `(tag, class)`; class 0 marks an empty slot.
    slots: Vec<(u32, u32)>,
    mask: usize,
    /// Representative of each class, by class number (0 unused).
    reps: Vec<Rep>,
    arena: Vec<u8>,
    /// Incomplete last lines that must not equal complete lines (see
    /// [`Interner::class`]); at most one per file.
    incomplete: Vec<(Vec<u8>, u32)>,
    scratch: Vec<u8>,
}

impl<'t> Interner<'t> {
    fn new(cmp: &Compare, texts: [&'t Text; 2], lines: usize) -> Self {
        let size = (lines * 2).max(16).next_power_of_two();
        Interner {
            cmp: *cmp,
            normalizes: cmp.ignore_case || cmp.white_space != WhiteSpace::None,
            texts,
            slots: vec![(0, 0); size],
            mask: size - 1,
            reps: vec![Rep::Arena { start: 0, len: 0 }],
            arena: Vec::new(),
            incomplete: Vec::new(),
            scratch: Vec::new(),
        }
    }

    fn class(&mut self, file: usize, i: usize) -> u32 {
        let text = self.texts[file];
        let body = text.body(i);
        // An incomplete last line equals only the other file's incomplete
        // line, unless trailing white space (which the newline counts as)
        // is ignored, or the output style completes lines anyway.
        let separate = self.cmp.robust
            && text.is_incomplete(i)
            && self.cmp.white_space < WhiteSpace::TrailingSpace;
        if self.normalizes {
            self.scratch.clear();
            normalize(body, &self.cmp, &mut self.scratch);
        }
        let key: &[u8] = if self.normalizes { &self.scratch } else { body };
        if separate {
            if let Some(&(_, class)) = self.incomplete.iter().find(|(k, _)| k[..] == *key) {
                return class;
            }
            let class = self.reps.len() as u32;
            self.reps.push(Rep::Arena { start: 0, len: 0 });
            self.incomplete.push((key.to_vec(), class));
            return class;
        }
        let hash = hash(key);
        let tag = (hash >> 32) as u32;
        let mut at = hash as usize & self.mask;
        loop {
            let (t, class) = self.slots[at];
            if class == 0 {
                break;
            }
            if t == tag && self.rep_bytes(class) == key {
                return class;
            }
            at = (at + 1) & self.mask;
        }
        let class = self.reps.len() as u32;
        let rep = if self.normalizes {
            let start = self.arena.len() as u32;
            self.arena.extend_from_slice(&self.scratch);
            Rep::Arena {
                start,
                len: self.scratch.len() as u32,
            }
        } else {
            Rep::Line {
                file: file as u8,
                line: i as u32,
            }
        };
        self.reps.push(rep);
        self.slots[at] = (tag, class);
        class
    }

    fn rep_bytes(&self, class: u32) -> &[u8] {
        match self.reps[class as usize] {
            Rep::Line { file, line } => self.texts[usize::from(file)].body(line as usize),
            Rep::Arena { start, len } => &self.arena[start as usize..(start + len) as usize],
        }
    }
}

/// A 64-bit hash of a line: FxHash's multiply-rotate over 8-byte words,
/// with a final mix so that the low bits (which pick the slot) depend on
/// every input bit. Inputs are file lines: no adversary to resist.
fn hash(bytes: &[u8]) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h = bytes.len() as u64;
    let mut add = |word: u64| h = (h.rotate_left(5) ^ word).wrapping_mul(SEED);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        add(u64::from_le_bytes(chunk.try_into().expect("8-byte chunk")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        add(u64::from_le_bytes(word));
    }
    (h ^ (h >> 32)).wrapping_mul(0xff51_afd7_ed55_8ccd) ^ (h >> 29)
}

/// Whether `b` is white space in the C locale (`isspace`).
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Appends the canonical form of `line` (without newline) to `out`.
pub fn normalize(line: &[u8], cmp: &Compare, out: &mut Vec<u8>) {
    let fold = |b: u8| {
        if cmp.ignore_case {
            b.to_ascii_lowercase()
        } else {
            b
        }
    };
    match cmp.white_space {
        WhiteSpace::None => out.extend(line.iter().map(|&b| fold(b))),
        WhiteSpace::AllSpace => {
            out.extend(line.iter().filter(|&&b| !is_space(b)).map(|&b| fold(b)))
        }
        WhiteSpace::SpaceChange => {
            let mut in_space = false;
            for &b in line {
                if is_space(b) {
                    in_space = true;
                } else {
                    if in_space {
                        out.push(b' ');
                        in_space = false;
                    }
                    out.push(fold(b));
                }
            }
        }
        WhiteSpace::TrailingSpace => {
            let end = trimmed_len(line);
            out.extend(line[..end].iter().map(|&b| fold(b)));
        }
        WhiteSpace::TabExpansion => expand_tabs(line, cmp, out),
        WhiteSpace::TabExpansionAndTrailingSpace => {
            expand_tabs(&line[..trimmed_len(line)], cmp, out)
        }
    }
}

fn trimmed_len(line: &[u8]) -> usize {
    line.iter()
        .rposition(|&b| !is_space(b))
        .map_or(0, |p| p + 1)
}

/// Tabs become the spaces that reach the next tab stop; backspace and
/// carriage return move the column as a terminal would.
fn expand_tabs(line: &[u8], cmp: &Compare, out: &mut Vec<u8>) {
    let tab = cmp.tabsize.max(1);
    let mut column = 0usize;
    for &b in line {
        match b {
            b'\t' => {
                let spaces = tab - column % tab;
                out.extend(std::iter::repeat_n(b' ', spaces));
                column += spaces;
            }
            b'\x08' => {
                column = column.saturating_sub(1);
                out.push(b);
            }
            b'\r' => {
                column = 0;
                out.push(b);
            }
            _ => {
                column += 1;
                out.push(if cmp.ignore_case {
                    b.to_ascii_lowercase()
                } else {
                    b
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(line: &str, ws: WhiteSpace, ignore_case: bool) -> String {
        let cmp = Compare {
            white_space: ws,
            ignore_case,
            ..Compare::default()
        };
        let mut out = Vec::new();
        normalize(line.as_bytes(), &cmp, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn space_change_collapses_runs_and_drops_trailing_space() {
        assert_eq!(norm("  a \t b  ", WhiteSpace::SpaceChange, false), " a b");
        assert_eq!(norm("A b", WhiteSpace::AllSpace, true), "ab");
        assert_eq!(norm("a \t", WhiteSpace::TrailingSpace, false), "a");
        assert_eq!(norm("a\tb", WhiteSpace::TabExpansion, false), "a       b");
    }

    #[test]
    fn incomplete_line_differs_from_complete_one_unless_trailing_space_is_ignored() {
        let a = Text::new(b"x\n".to_vec(), false);
        let b = Text::new(b"x".to_vec(), false);
        let cmp = Compare {
            robust: true,
            ..Compare::default()
        };
        let c = classify(&a, 0..1, &b, 0..1, &cmp);
        assert_ne!(c.first[0], c.second[0]);
        let cmp = Compare {
            robust: true,
            white_space: WhiteSpace::TrailingSpace,
            ..Compare::default()
        };
        let c = classify(&a, 0..1, &b, 0..1, &cmp);
        assert_eq!(c.first[0], c.second[0]);
    }
}
