//! `-D NAME` and the `--GTYPE-group-format` / `--LTYPE-line-format`
//! options: the whole input as groups of common, old, new or changed
//! lines, each printed through a format.
//!
//! Group formats may hold `%<` (old lines), `%>` (new lines), `%=` (common
//! lines), printf-style numbers (`%dF`, `%5xl`: `F`/`L` first/last line,
//! `N` count, `E` = F-1, `M` = L+1; upper case for the new file, lower
//! case for the old) and `%(A=B?THEN:ELSE)`. Line formats hold `%L`
//! (the line), `%l` (without its newline) and `%dn` (its number). Both
//! take `%%` and `%c'C'` / `%c'\OOO'`. A malformed directive is printed
//! as is, as GNU diff does.

use std::io;

use super::Printer;
use crate::analyze::Change;
use crate::hunk;
use crate::text::Text;

/// Index of each group and line format.
pub mod kind {
    /// Lines common to both files.
    pub const UNCHANGED: usize = 0;
    /// Lines only in the first file.
    pub const OLD: usize = 1;
    /// Lines only in the second file.
    pub const NEW: usize = 2;
    /// Groups with lines of both (group formats only).
    pub const CHANGED: usize = 3;
}

/// The formats, with GNU's defaults filled in.
#[derive(Debug, Clone)]
pub struct Formats {
    /// Group formats: unchanged, old, new, changed.
    pub group: [Vec<u8>; 4],
    /// Line formats: unchanged, old, new.
    pub line: [Vec<u8>; 3],
}

impl Formats {
    /// Fills in what the command line left unset: lines print as `%l\n`,
    /// old and new groups default to the changed group format (else `%<`
    /// and `%>`), the unchanged group to `%=`, the changed group to old
    /// followed by new.
    pub fn complete(group: [Option<Vec<u8>>; 4], line: [Option<Vec<u8>>; 3]) -> Self {
        let line = line.map(|l| l.unwrap_or_else(|| b"%l\n".to_vec()));
        let [unchanged, old, new, changed] = group;
        let old = old
            .or_else(|| changed.clone())
            .unwrap_or_else(|| b"%<".to_vec());
        let new = new
            .or_else(|| changed.clone())
            .unwrap_or_else(|| b"%>".to_vec());
        let unchanged = unchanged.unwrap_or_else(|| b"%=".to_vec());
        let changed = changed.unwrap_or_else(|| [&old[..], &new[..]].concat());
        Formats {
            group: [unchanged, old, new, changed],
            line,
        }
    }

    /// Whether identical inputs print nothing (otherwise the common lines
    /// are printed through the formats).
    pub fn no_diff_means_no_output(&self) -> bool {
        self.group[kind::UNCHANGED].is_empty()
            || (self.group[kind::UNCHANGED] == b"%=" && self.line[kind::UNCHANGED].is_empty())
    }
}

/// The lines `from..upto` of each file that a group covers.
#[derive(Clone, Copy)]
struct Group {
    from: [usize; 2],
    upto: [usize; 2],
}

/// Prints the whole input through the formats.
pub fn print(p: &mut Printer, changes: &[Change], formats: &Formats) -> io::Result<()> {
    let (t0, t1) = (p.text(0), p.text(1));
    let mut next = [0usize, 0usize];
    let mut buf = Vec::new();
    for change in changes {
        let Some(e) = hunk::analyze(std::slice::from_ref(change), t0, t1, p.ignorable()) else {
            continue;
        };
        p.begin()?;
        let first = [e.first0 as usize, e.first1 as usize];
        if next[0] < first[0] || next[1] < first[1] {
            let g = Group {
                from: next,
                upto: first,
            };
            group(
                &mut buf,
                &formats.group[kind::UNCHANGED],
                g,
                [t0, t1],
                formats,
                p.settings.expand_tabs,
                p.settings.tabsize,
            );
        }
        next = [(e.last0 + 1) as usize, (e.last1 + 1) as usize];
        let which = match (e.kinds.old, e.kinds.new) {
            (true, true) => kind::CHANGED,
            (true, false) => kind::OLD,
            _ => kind::NEW,
        };
        let g = Group {
            from: first,
            upto: next,
        };
        group(
            &mut buf,
            &formats.group[which],
            g,
            [t0, t1],
            formats,
            p.settings.expand_tabs,
            p.settings.tabsize,
        );
        p.out().write_all(&buf)?;
        buf.clear();
    }
    let ends = [t0.len(), t1.len()];
    if next[0] < ends[0] || next[1] < ends[1] {
        p.begin()?;
        let g = Group {
            from: next,
            upto: ends,
        };
        group(
            &mut buf,
            &formats.group[kind::UNCHANGED],
            g,
            [t0, t1],
            formats,
            p.settings.expand_tabs,
            p.settings.tabsize,
        );
        p.out().write_all(&buf)?;
    }
    Ok(())
}

/// Where group formatting writes: the output, or nowhere (the branch of
/// a `%(...)` not taken).
type Sink<'b> = Option<&'b mut Vec<u8>>;

fn group(
    out: &mut Vec<u8>,
    format: &[u8],
    g: Group,
    texts: [&Text; 2],
    formats: &Formats,
    expand: bool,
    tabsize: usize,
) {
    let ctx = Ctx {
        g,
        texts,
        formats,
        expand,
        tabsize,
    };
    ctx.group(Some(out), format, 0, None);
}

struct Ctx<'a> {
    g: Group,
    texts: [&'a Text; 2],
    formats: &'a Formats,
    expand: bool,
    tabsize: usize,
}

impl Ctx<'_> {
    /// Formats `f[start..]` up to `end` (or the end); returns where it
    /// stopped (at `end`, not past it).
    fn group(&self, mut out: Sink, f: &[u8], start: usize, end: Option<u8>) -> usize {
        let mut i = start;
        while i < f.len() && Some(f[i]) != end {
            let c = f[i];
            i += 1;
            if c != b'%' || i >= f.len() {
                emit(&mut out, &[c]);
                continue;
            }
            let d = f[i];
            match d {
                b'%' => {
                    emit(&mut out, b"%");
                    i += 1;
                }
                b'(' => match self.conditional(&mut out, f, i + 1) {
                    Some(next) => i = next,
                    None => emit(&mut out, b"%"),
                },
                b'<' => {
                    i += 1;
                    self.lines(&mut out, 0, &self.formats.line[kind::OLD]);
                }
                b'=' => {
                    i += 1;
                    self.lines(&mut out, 0, &self.formats.line[kind::UNCHANGED]);
                }
                b'>' => {
                    i += 1;
                    self.lines(&mut out, 1, &self.formats.line[kind::NEW]);
                }
                _ => match printf_spec(f, i - 1, &|letter| self.letter(letter)) {
                    Some((text, next)) => {
                        emit(&mut out, &text);
                        i = next;
                    }
                    None => emit(&mut out, b"%"),
                },
            }
        }
        i
    }

    /// `%(A=B?THEN:ELSE)` starting after `%(`; `None` if malformed.
    fn conditional(&self, out: &mut Sink, f: &[u8], mut i: usize) -> Option<usize> {
        let mut values = [0i64; 2];
        for (k, sep) in [b'=', b'?'].into_iter().enumerate() {
            let &c = f.get(i)?;
            if c.is_ascii_digit() {
                let len = f[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                values[k] = std::str::from_utf8(&f[i..i + len]).ok()?.parse().ok()?;
                i += len;
            } else {
                values[k] = self.letter(c)?;
                i += 1;
            }
            if f.get(i) != Some(&sep) {
                return None;
            }
            i += 1;
        }
        let equal = values[0] == values[1];
        let then_out: Sink = if equal { out.as_deref_mut() } else { None };
        i = self.group(then_out, f, i, Some(b':'));
        if i < f.len() {
            let else_out: Sink = if equal { None } else { out.as_deref_mut() };
            i = self.group(else_out, f, i + 1, Some(b')'));
            if i < f.len() {
                i += 1;
            }
        }
        Some(i)
    }

    /// The value of a group letter: `e f l m n` for the old file, upper
    /// case for the new one.
    fn letter(&self, letter: u8) -> Option<i64> {
        let file = usize::from(letter.is_ascii_uppercase());
        let (from, upto) = (self.g.from[file] as i64, self.g.upto[file] as i64);
        match letter.to_ascii_lowercase() {
            b'e' => Some(from),
            b'f' => Some(from + 1),
            b'l' => Some(upto),
            b'm' => Some(upto + 1),
            b'n' => Some(upto - from),
            _ => None,
        }
    }

    /// The group's lines of file `file`, each through `format`.
    fn lines(&self, out: &mut Sink, file: usize, format: &[u8]) {
        let Some(out) = out.as_deref_mut() else {
            return;
        };
        let text = self.texts[file];
        for n in self.g.from[file]..self.g.upto[file] {
            let mut i = 0;
            while i < format.len() {
                let c = format[i];
                i += 1;
                if c != b'%' || i >= format.len() {
                    out.push(c);
                    continue;
                }
                match format[i] {
                    b'%' => {
                        out.push(b'%');
                        i += 1;
                    }
                    b'l' => {
                        self.write_line(out, text.body(n));
                        i += 1;
                    }
                    b'L' => {
                        let line = if text.is_incomplete(n) {
                            text.body(n)
                        } else {
                            text.line(n)
                        };
                        self.write_line(out, line);
                        i += 1;
                    }
                    _ => match printf_spec(format, i - 1, &|l| (l == b'n').then_some(n as i64 + 1))
                    {
                        Some((s, next)) => {
                            out.extend_from_slice(&s);
                            i = next;
                        }
                        None => out.push(b'%'),
                    },
                }
            }
        }
    }

    /// A line's text, with tabs expanded under `-t`.
    fn write_line(&self, out: &mut Vec<u8>, line: &[u8]) {
        if !self.expand {
            out.extend_from_slice(line);
            return;
        }
        let tab = self.tabsize.max(1);
        let mut column = 0usize;
        for &c in line {
            match c {
                b'\t' => {
                    let spaces = tab - column % tab;
                    out.extend(std::iter::repeat_n(b' ', spaces));
                    column += spaces;
                }
                b'\r' | b'\n' => {
                    out.push(c);
                    column = 0;
                }
                b'\x08' => {
                    if column > 0 {
                        column -= 1;
                        out.push(c);
                    }
                }
                _ => {
                    column += usize::from(super::is_print(c));
                    out.push(c);
                }
            }
        }
    }
}

fn emit(out: &mut Sink, bytes: &[u8]) {
    if let Some(out) = out.as_deref_mut() {
        out.extend_from_slice(bytes);
    }
}

/// A printf-style directive at `f[start]` (the `%`): `%c'C'`, `%c'\OOO'`,
/// or `%[-'0]*[0-9]*(.[0-9]*)?[doxX]` followed by a letter whose value
/// `value` gives. Returns the text and the index after the directive.
fn printf_spec(
    f: &[u8],
    start: usize,
    value: &dyn Fn(u8) -> Option<i64>,
) -> Option<(Vec<u8>, usize)> {
    let mut i = start + 1;
    let flags_start = i;
    while matches!(f.get(i), Some(b'-' | b'\'' | b'0')) {
        i += 1;
    }
    let flags = &f[flags_start..i];
    let width_start = i;
    while f.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let width: usize = std::str::from_utf8(&f[width_start..i])
        .ok()?
        .parse()
        .unwrap_or(0);
    let mut precision = None;
    if f.get(i) == Some(&b'.') {
        i += 1;
        let p_start = i;
        while f.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        precision = Some(
            std::str::from_utf8(&f[p_start..i])
                .ok()?
                .parse()
                .unwrap_or(0usize),
        );
    }
    let conv = *f.get(i)?;
    i += 1;
    match conv {
        b'c' => {
            if f.get(i) != Some(&b'\'') {
                return None;
            }
            let (ch, next) = char_literal(f, i + 1)?;
            Some((vec![ch], next))
        }
        b'd' | b'o' | b'x' | b'X' => {
            let v = value(*f.get(i)?)?;
            let digits = match conv {
                b'd' => v.unsigned_abs().to_string(),
                b'o' => format!("{:o}", v),
                b'x' => format!("{:x}", v),
                _ => format!("{:X}", v),
            };
            let mut body = digits;
            if let Some(p) = precision {
                while body.len() < p {
                    body.insert(0, '0');
                }
            }
            let sign = if conv == b'd' && v < 0 { "-" } else { "" };
            let left = flags.contains(&b'-');
            let zero = flags.contains(&b'0') && !left && precision.is_none();
            let len = sign.len() + body.len();
            let pad = width.saturating_sub(len);
            let text = if left {
                format!("{sign}{body}{}", " ".repeat(pad))
            } else if zero {
                format!("{sign}{}{body}", "0".repeat(pad))
            } else {
                format!("{}{sign}{body}", " ".repeat(pad))
            };
            Some((text.into_bytes(), i + 1))
        }
        _ => None,
    }
}

/// `C'` or `\OOO'` after `%c'`; returns the byte and the index after the
/// closing quote.
fn char_literal(f: &[u8], i: usize) -> Option<(u8, usize)> {
    match *f.get(i)? {
        b'\'' => None,
        b'\\' => {
            let digits = f[i + 1..].iter().take_while(|&&b| b != b'\'').count();
            if !(1..=3).contains(&digits) || i + 1 + digits >= f.len() {
                return None;
            }
            let mut value: u32 = 0;
            for &d in &f[i + 1..i + 1 + digits] {
                if !(b'0'..=b'7').contains(&d) {
                    return None;
                }
                value = value * 8 + u32::from(d - b'0');
            }
            Some((value as u8, i + 1 + digits + 1))
        }
        c => (f.get(i + 1) == Some(&b'\'')).then_some((c, i + 2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_specs_format_numbers_and_characters() {
        let v = |l: u8| (l == b'n').then_some(42);
        assert_eq!(printf_spec(b"%dn", 0, &v), Some((b"42".to_vec(), 3)));
        assert_eq!(printf_spec(b"%5dn", 0, &v), Some((b"   42".to_vec(), 4)));
        assert_eq!(printf_spec(b"%-5dn|", 0, &v), Some((b"42   ".to_vec(), 5)));
        assert_eq!(printf_spec(b"%05xn", 0, &v), Some((b"0002a".to_vec(), 5)));
        assert_eq!(printf_spec(b"%c'x'", 0, &v), Some((b"x".to_vec(), 5)));
        assert_eq!(printf_spec(b"%c'\\101'", 0, &v), Some((b"A".to_vec(), 8)));
        assert_eq!(printf_spec(b"%dq", 0, &v), None);
    }

    #[test]
    fn defaults_follow_gnu() {
        let f = Formats::complete([None, None, None, Some(b"C".to_vec())], [None, None, None]);
        assert_eq!(
            f.group,
            [b"%=".to_vec(), b"C".to_vec(), b"C".to_vec(), b"C".to_vec()]
        );
        let f = Formats::complete([None, None, None, None], [None, None, None]);
        assert_eq!(f.group[kind::CHANGED], b"%<%>");
        assert!(!f.no_diff_means_no_output());
    }
}
