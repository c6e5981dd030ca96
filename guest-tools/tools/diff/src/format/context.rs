//! Context format (`-c`): each hunk shows the old lines, then the new ones,
//! with `!` on changed lines, `-` on deleted and `+` on inserted ones.
//! Also the pieces shared with unified format: widening a hunk by the
//! context lines, and the `-p`/`-F` function line.

use std::io::{self, Write};

use super::{Printer, Style};
use crate::analyze::Change;
use crate::hunk::{self, Extent};
use crate::text::Text;

/// Prints the changes as context hunks.
pub fn print(p: &mut Printer, changes: &[Change]) -> io::Result<()> {
    let mut finder = FunctionFinder::default();
    for group in groups(p, changes) {
        let Some(e) = hunk::analyze(group, p.text(0), p.text(1), p.ignorable()) else {
            continue;
        };
        let w = widen(p, e);
        let function = finder.find(p, w.first0);
        p.begin()?;
        let t0 = p.text(0);
        let out = p.out();
        out.write_all(b"***************")?;
        if let Some(f) = function {
            write_function(out, t0.body(f))?;
        }
        out.write_all(b"\n*** ")?;
        write_context_range(out, w.first0, w.last0)?;
        out.write_all(b" ****\n")?;
        if e.kinds.old {
            let mut next = 0;
            for i in w.first0..=w.last0 {
                let i = i as usize;
                while next < group.len() && group[next].line0 + group[next].deleted <= i {
                    next += 1;
                }
                let flag: &[u8] = match group.get(next) {
                    Some(c) if c.line0 <= i => {
                        if c.inserted > 0 {
                            b"!"
                        } else {
                            b"-"
                        }
                    }
                    _ => b" ",
                };
                p.line(flag, 0, i)?;
            }
        }
        let out = p.out();
        out.write_all(b"--- ")?;
        write_context_range(out, w.first1, w.last1)?;
        out.write_all(b" ----\n")?;
        if e.kinds.new {
            let mut next = 0;
            for i in w.first1..=w.last1 {
                let i = i as usize;
                while next < group.len() && group[next].line1 + group[next].inserted <= i {
                    next += 1;
                }
                let flag: &[u8] = match group.get(next) {
                    Some(c) if c.line1 <= i => {
                        if c.deleted > 0 {
                            b"!"
                        } else {
                            b"+"
                        }
                    }
                    _ => b" ",
                };
                p.line(flag, 1, i)?;
            }
        }
    }
    Ok(())
}

/// The changes grouped into hunks that share context.
pub(super) fn groups<'c>(p: &Printer, changes: &'c [Change]) -> Vec<&'c [Change]> {
    let ignorable = hunk::ignorable_changes(changes, p.text(0), p.text(1), p.ignorable());
    hunk::group(changes, p.settings.context, &ignorable)
}

/// `e` widened by the context lines, within both files.
pub(super) fn widen(p: &Printer, e: Extent) -> Extent {
    let c = p.settings.context as isize;
    let (n0, n1) = (p.text(0).len() as isize, p.text(1).len() as isize);
    Extent {
        first0: (e.first0 - c).max(0),
        first1: (e.first1 - c).max(0),
        last0: e.last0.saturating_add(c).min(n0 - 1),
        last1: e.last1.saturating_add(c).min(n1 - 1),
        kinds: e.kinds,
    }
}

/// `a,b` (1-based), or just `b` when the range has one line or none.
fn write_context_range(out: &mut dyn Write, first: isize, last: isize) -> io::Result<()> {
    super::write_range(out, first, last, b',')
}

/// Finds the line `-p`/`-F` shows after a hunk header: the last line
/// before the hunk's first line that matches the pattern. Like GNU diff,
/// the search resumes where the previous hunk's stopped, and falls back to
/// the previous hunk's line.
#[derive(Default)]
pub(super) struct FunctionFinder {
    searched_to: isize,
    last_match: Option<usize>,
}

impl FunctionFinder {
    /// The function line for a hunk whose first shown line is `first`.
    pub(super) fn find(&mut self, p: &Printer, first: isize) -> Option<usize> {
        let re = p.settings.function.as_ref()?;
        let text: &Text = p.text(0);
        let last = self.searched_to;
        self.searched_to = first;
        let mut i = first - 1;
        while i >= last {
            if re.is_match(text.body(i as usize)) {
                self.last_match = Some(i as usize);
                return self.last_match;
            }
            i -= 1;
        }
        self.last_match
    }
}

/// A space and the function line: leading white space dropped, at most 40
/// bytes, trailing white space dropped.
pub(super) fn write_function(out: &mut dyn Write, line: &[u8]) -> io::Result<()> {
    let start = line
        .iter()
        .position(|&b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let mut end = (start + 40).min(line.len());
    while end > start && line[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    out.write_all(b" ")?;
    out.write_all(&line[start..end])
}

impl Style {
    /// Whether hunks show context lines.
    pub fn has_context(self) -> bool {
        matches!(self, Style::Context | Style::Unified)
    }
}
