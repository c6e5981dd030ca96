//! Scripts for other programs: `-e` (ed, last change first, so that line
//! numbers stay valid while it runs), `-f` (the same commands in file
//! order) and `-n` (RCS: `dN COUNT` and `aN COUNT` followed by the lines).

use std::io;

use super::{write_range, Printer};
use crate::analyze::Change;
use crate::hunk::{self, Extent};

/// `-e`: an ed script.
pub fn print_ed(p: &mut Printer, changes: &[Change]) -> io::Result<()> {
    for change in changes.iter().rev() {
        let Some(e) = extent(p, change) else { continue };
        p.begin()?;
        let out = p.out();
        write_range(out, e.first0, e.last0, b',')?;
        out.write_all(&[e.kinds.letter(), b'\n'])?;
        if !e.kinds.new {
            continue;
        }
        let mut inserting = true;
        for i in e.first1..=e.last1 {
            let i = i as usize;
            if !inserting {
                p.out().write_all(b"a\n")?;
                inserting = true;
            }
            if p.text(1).line(i) == b".\n" {
                // A lone dot would end ed's input mode: write two dots,
                // leave input mode and remove the extra one.
                p.out().write_all(b"..\n.\ns/.//\n")?;
                inserting = false;
            } else {
                p.line(b"", 1, i)?;
            }
        }
        if inserting {
            p.out().write_all(b".\n")?;
        }
    }
    Ok(())
}

/// `-f`: `cA,B`, `dA,B` or `aA` commands in file order.
pub fn print_forward_ed(p: &mut Printer, changes: &[Change]) -> io::Result<()> {
    for change in changes {
        let Some(e) = extent(p, change) else { continue };
        p.begin()?;
        let out = p.out();
        out.write_all(&[e.kinds.letter()])?;
        write_range(out, e.first0, e.last0, b' ')?;
        out.write_all(b"\n")?;
        if !e.kinds.new {
            continue;
        }
        for i in e.first1..=e.last1 {
            p.line(b"", 1, i as usize)?;
        }
        p.out().write_all(b".\n")?;
    }
    Ok(())
}

/// `-n`: RCS format.
pub fn print_rcs(p: &mut Printer, changes: &[Change]) -> io::Result<()> {
    for change in changes {
        let Some(e) = extent(p, change) else { continue };
        p.begin()?;
        let (tf0, tl0) = (e.first0 + 1, e.last0 + 1);
        let out = p.out();
        if e.kinds.old {
            let count = if tf0 <= tl0 { tl0 - tf0 + 1 } else { 1 };
            writeln!(out, "d{tf0} {count}")?;
        }
        if e.kinds.new {
            let (tf1, tl1) = (e.first1 + 1, e.last1 + 1);
            let count = if tf1 <= tl1 { tl1 - tf1 + 1 } else { 1 };
            writeln!(out, "a{tl0} {count}")?;
            for i in e.first1..=e.last1 {
                p.line(b"", 1, i as usize)?;
            }
        }
    }
    Ok(())
}

fn extent(p: &Printer, change: &Change) -> Option<Extent> {
    hunk::analyze(
        std::slice::from_ref(change),
        p.text(0),
        p.text(1),
        p.ignorable(),
    )
}
