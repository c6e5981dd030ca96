//! Unified format (`-u`): `@@ -a,b +c,d @@` hunks whose lines are marked
//! ` ` (context), `-` (deleted) and `+` (inserted).

use std::io::{self, Write};

use super::context::{groups, widen, write_function, FunctionFinder};
use super::Printer;
use crate::analyze::Change;
use crate::hunk;

/// Prints the changes as unified hunks.
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
        out.write_all(b"@@ -")?;
        write_unified_range(out, w.first0, w.last0)?;
        out.write_all(b" +")?;
        write_unified_range(out, w.first1, w.last1)?;
        out.write_all(b" @@")?;
        if let Some(f) = function {
            write_function(out, t0.body(f))?;
        }
        out.write_all(b"\n")?;

        let (mut i, mut j) = (w.first0, w.first1);
        let mut next = group.iter().peekable();
        while i <= w.last0 || j <= w.last1 {
            match next.peek() {
                Some(c) if i >= c.line0 as isize => {
                    for k in 0..c.deleted {
                        p.unified_line(b'-', 0, c.line0 + k)?;
                    }
                    for k in 0..c.inserted {
                        p.unified_line(b'+', 1, c.line1 + k)?;
                    }
                    i += c.deleted as isize;
                    j += c.inserted as isize;
                    next.next();
                }
                _ => {
                    p.unified_line(b' ', 0, i as usize)?;
                    i += 1;
                    j += 1;
                }
            }
        }
    }
    Ok(())
}

/// `a,count` (1-based); `a` alone for one line; `b,0` for none, naming the
/// line before (which `patch` relies on).
fn write_unified_range(out: &mut dyn Write, first: isize, last: isize) -> io::Result<()> {
    let (a, b) = (first + 1, last + 1);
    if b < a {
        write!(out, "{b},0")
    } else if b == a {
        write!(out, "{b}")
    } else {
        write!(out, "{a},{}", b - a + 1)
    }
}
