//! Side-by-side format (`-y`): both files in two columns, with a gutter
//! mark: ` ` (common), `|` (changed), `<` (only left), `>` (only right),
//! `(` (common, `--left-column`), and `/` or `\` for a changed pair of
//! which only one line has a newline.

use std::io;

use super::{is_print, Printer};
use crate::analyze::Change;
use crate::hunk;

/// The minimum gutter between the two columns.
const GUTTER_WIDTH_MINIMUM: usize = 3;

/// Column geometry for a total width: `(half width, right column start)`.
/// Each half is as wide as possible with a gutter of at least 3; without
/// `-t`, the right column starts on a tab stop so tabs line up in it.
pub fn geometry(width: usize, tabsize: usize, expand_tabs: bool) -> (usize, usize) {
    let t = if expand_tabs { 1 } else { tabsize.max(1) };
    let off = (width + t + GUTTER_WIDTH_MINIMUM) / (2 * t) * t;
    let half = off
        .saturating_sub(GUTTER_WIDTH_MINIMUM)
        .min(width.saturating_sub(off));
    (half, if half > 0 { off } else { width })
}

/// Prints both files in two columns.
pub fn print(p: &mut Printer, changes: &[Change]) -> io::Result<()> {
    p.begin()?;
    let (half, col2) = geometry(p.settings.width, p.settings.tabsize, p.settings.expand_tabs);
    let mut sbs = SideBySide {
        half,
        col2,
        next: [0, 0],
    };
    for change in changes {
        sbs.hunk(p, change)?;
    }
    let ends = [p.text(0).len(), p.text(1).len()];
    sbs.common(p, ends)
}

struct SideBySide {
    half: usize,
    col2: usize,
    /// Next line of each file not yet printed.
    next: [usize; 2],
}

impl SideBySide {
    /// Prints the lines before `limit` not printed yet, as common lines.
    fn common(&mut self, p: &mut Printer, limit: [usize; 2]) -> io::Result<()> {
        let [mut i0, mut i1] = self.next;
        let s = p.settings;
        if !s.suppress_common_lines && (i0 != limit[0] || i1 != limit[1]) {
            if s.sdiff_merge_assist {
                writeln!(p.out(), "i{},{}", limit[0] - i0, limit[1] - i1)?;
            }
            if !s.left_column {
                while i0 != limit[0] && i1 != limit[1] {
                    self.line(p, Some(i0), b' ', Some(i1))?;
                    i0 += 1;
                    i1 += 1;
                }
                while i1 != limit[1] {
                    self.line(p, None, b')', Some(i1))?;
                    i1 += 1;
                }
            }
            while i0 != limit[0] {
                self.line(p, Some(i0), b'(', None)?;
                i0 += 1;
            }
        }
        self.next = limit;
        Ok(())
    }

    fn hunk(&mut self, p: &mut Printer, change: &Change) -> io::Result<()> {
        let Some(e) = hunk::analyze(
            std::slice::from_ref(change),
            p.text(0),
            p.text(1),
            p.ignorable(),
        ) else {
            return Ok(());
        };
        let (mut first0, last0) = (e.first0 as usize, e.last0);
        let (mut first1, last1) = (e.first1 as usize, e.last1);
        self.common(p, [first0, first1])?;
        if p.settings.sdiff_merge_assist {
            writeln!(
                p.out(),
                "c{},{}",
                last0 + 1 - first0 as isize,
                last1 + 1 - first1 as isize
            )?;
        }
        let (mut old, mut new) = (e.kinds.old, e.kinds.new);
        if old && new {
            while first0 as isize <= last0 && first1 as isize <= last1 {
                self.line(p, Some(first0), b'|', Some(first1))?;
                first0 += 1;
                first1 += 1;
            }
            old = first0 as isize <= last0;
            new = first1 as isize <= last1;
            self.next = [first0, first1];
        }
        if new {
            for j in first1..=last1 as usize {
                self.line(p, None, b'>', Some(j))?;
            }
            self.next[1] = last1 as usize + 1;
        }
        if old {
            for i in first0..=last0 as usize {
                self.line(p, Some(i), b'<', None)?;
            }
            self.next[0] = last0 as usize + 1;
        }
        Ok(())
    }

    /// One output line: the left line (if any), the gutter mark (unless
    /// common), the right line (if any).
    fn line(
        &self,
        p: &mut Printer,
        left: Option<usize>,
        mut sep: u8,
        right: Option<usize>,
    ) -> io::Result<()> {
        let (t0, t1) = (p.text(0), p.text(1));
        let s = p.settings;
        let mut buf = Vec::with_capacity(self.col2 * 2);
        let mut col = 0;
        let mut newline = false;
        if let Some(i) = left {
            newline |= has_newline(t0, i, s.style.robust());
            col = half_line(&mut buf, t0.body(i), 0, self.half, s.tabsize, s.expand_tabs);
        }
        if sep != b' ' {
            col = tab_from_to(
                &mut buf,
                col,
                (self.half + self.col2 - 1) / 2,
                s.tabsize,
                s.expand_tabs,
            ) + 1;
            if let (b'|', Some(j)) = (sep, right) {
                if newline != has_newline(t1, j, s.style.robust()) {
                    sep = if newline { b'/' } else { b'\\' };
                }
            }
            buf.push(sep);
        }
        if let Some(j) = right {
            newline |= has_newline(t1, j, s.style.robust());
            if !t1.body(j).is_empty() {
                col = tab_from_to(&mut buf, col, self.col2, s.tabsize, s.expand_tabs);
                half_line(
                    &mut buf,
                    t1.body(j),
                    col,
                    self.half,
                    s.tabsize,
                    s.expand_tabs,
                );
            }
        }
        if newline {
            buf.push(b'\n');
        }
        p.out().write_all(&buf)
    }
}

fn has_newline(text: &crate::text::Text, i: usize, robust: bool) -> bool {
    !(robust && text.is_incomplete(i))
}

/// Moves from column `from` to `to` with tabs (unless `-t`) and spaces.
fn tab_from_to(
    buf: &mut Vec<u8>,
    mut from: usize,
    to: usize,
    tabsize: usize,
    expand_tabs: bool,
) -> usize {
    let tab_size = tabsize.max(1);
    if !expand_tabs {
        let mut tab = from + tab_size - from % tab_size;
        while tab <= to {
            buf.push(b'\t');
            from = tab;
            tab += tab_size;
        }
    }
    while from < to {
        buf.push(b' ');
        from += 1;
    }
    to
}

/// Prints as much of `line` as fits before column `bound` of its half
/// (`indent` is where the half starts, for carriage returns); returns the
/// output column reached.
fn half_line(
    buf: &mut Vec<u8>,
    line: &[u8],
    indent: usize,
    bound: usize,
    tabsize: usize,
    expand_tabs: bool,
) -> usize {
    let tab_size = tabsize.max(1);
    let mut in_pos = 0usize;
    let mut out_pos = 0usize;
    for &c in line {
        match c {
            b'\t' => {
                let spaces = tab_size - in_pos % tab_size;
                if in_pos == out_pos {
                    let mut tabstop = out_pos + spaces;
                    if expand_tabs {
                        tabstop = tabstop.min(bound);
                        while out_pos < tabstop {
                            buf.push(b' ');
                            out_pos += 1;
                        }
                    } else if tabstop < bound {
                        out_pos = tabstop;
                        buf.push(c);
                    }
                }
                in_pos += spaces;
            }
            b'\r' => {
                buf.push(c);
                tab_from_to(buf, 0, indent, tabsize, expand_tabs);
                in_pos = 0;
                out_pos = 0;
            }
            b'\x08' => {
                if in_pos != 0 {
                    in_pos -= 1;
                    if in_pos < bound {
                        if out_pos <= in_pos {
                            // Make up for a tab suppressed past the bound.
                            while out_pos < in_pos {
                                buf.push(b' ');
                                out_pos += 1;
                            }
                        } else {
                            out_pos = in_pos;
                            buf.push(c);
                        }
                    }
                }
            }
            c if c == b' ' || (is_print(c) && c != b'\x0c' && c != b'\x0b') => {
                let was = in_pos;
                in_pos += 1;
                if was < bound {
                    out_pos = in_pos;
                    buf.push(c);
                }
            }
            _ => {
                // Other control characters (and, in the C locale, bytes
                // above 127) take no column: they still fit at the bound,
                // except form feed and vertical tab (as GNU diff 3.8 does).
                let fits = if c == b'\x0c' || c == b'\x0b' {
                    in_pos < bound
                } else {
                    in_pos <= bound
                };
                if fits {
                    buf.push(c);
                }
            }
        }
    }
    out_pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_matches_gnu() {
        assert_eq!(geometry(130, 8, false), (61, 64));
        assert_eq!(geometry(40, 8, false), (16, 24));
        assert_eq!(geometry(50, 8, true), (23, 27));
    }

    #[test]
    fn half_lines_are_cut_at_the_bound() {
        let mut buf = Vec::new();
        assert_eq!(half_line(&mut buf, b"abcdef", 0, 4, 8, false), 4);
        assert_eq!(buf, b"abcd");
    }
}
