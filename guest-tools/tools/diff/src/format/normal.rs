//! The default format: `2,3c2`, `< old`, `---`, `> new` per change.

use std::io;

use super::{write_range, Printer};
use crate::analyze::Change;
use crate::hunk;

/// Prints every change as its own hunk.
pub fn print(p: &mut Printer, changes: &[Change]) -> io::Result<()> {
    for change in changes {
        let Some(e) = hunk::analyze(
            std::slice::from_ref(change),
            p.text(0),
            p.text(1),
            p.ignorable(),
        ) else {
            continue;
        };
        p.begin()?;
        let out = p.out();
        write_range(out, e.first0, e.last0, b',')?;
        out.write_all(&[e.kinds.letter()])?;
        write_range(out, e.first1, e.last1, b',')?;
        out.write_all(b"\n")?;
        if e.kinds.old {
            for i in e.first0..=e.last0 {
                p.line(b"<", 0, i as usize)?;
            }
        }
        if e.kinds.old && e.kinds.new {
            p.out().write_all(b"---\n")?;
        }
        if e.kinds.new {
            for i in e.first1..=e.last1 {
                p.line(b">", 1, i as usize)?;
            }
        }
    }
    Ok(())
}
