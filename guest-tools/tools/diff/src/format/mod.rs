//! Printing a comparison in each of GNU diff's formats.
//!
//! [`Printer`] holds what every format shares: the output stream, the
//! settings, the two texts and their names, and the headers printed once,
//! lazily, before the first hunk that is not ignored (the `diff -r a b`
//! line inside directory comparisons; the `---`/`+++` lines of unified
//! output). Each format is one module with a `print` function.

pub mod context;
pub mod ed;
pub mod ifdef;
pub mod normal;
pub mod side;
pub mod unified;

use std::io::{self, Write};

use regex::bytes::Regex;

use crate::analyze::Change;
use crate::hunk::Ignorable;
use crate::quote;
use crate::text::Text;
use crate::timefmt::{self, TimeStyle, TimeZone};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `--normal` (the default): `2c2`, `< old`, `---`, `> new`.
    Normal,
    /// `-c`: `***`/`---` sections with `!`, `-`, `+` marks.
    Context,
    /// `-u`: `@@ -1,3 +1,3 @@` hunks with ` `, `-`, `+` marks.
    Unified,
    /// `-e`: an ed script, last change first.
    Ed,
    /// `-f`: like `-e` but in file order and not runnable by ed.
    ForwardEd,
    /// `-n`: RCS format (`d2 1`, `a2 1`).
    Rcs,
    /// `-y`: two columns.
    SideBySide,
    /// `-D NAME` and the `--*-format` options: the merged input through
    /// group and line formats.
    Ifdef,
}

impl Style {
    /// Whether an incomplete last line is shown as such (all but ed
    /// scripts, which cannot express it and complete it silently).
    pub fn robust(self) -> bool {
        !matches!(self, Style::Ed | Style::ForwardEd)
    }
}

/// Output settings shared by all formats.
#[derive(Debug)]
pub struct Settings {
    /// The format.
    pub style: Style,
    /// Lines of context for `-c` and `-u`.
    pub context: usize,
    /// `-t`: expand tabs to spaces in output lines.
    pub expand_tabs: bool,
    /// `-T`: a tab instead of a space after the line mark.
    pub initial_tab: bool,
    /// `--tabsize` (default 8).
    pub tabsize: usize,
    /// `--suppress-blank-empty`: no mark padding before empty lines.
    pub suppress_blank_empty: bool,
    /// `-p`/`-F`: show the last line matching this before each hunk.
    pub function: Option<Regex>,
    /// `--label`, for the first and second file.
    pub labels: [Option<Vec<u8>>; 2],
    /// Header time layout.
    pub time_style: TimeStyle,
    /// Time zone for header times.
    pub zone: TimeZone,
    /// `-W`: total width for `-y` (default 130).
    pub width: usize,
    /// `--left-column`: common lines only on the left in `-y`.
    pub left_column: bool,
    /// `--suppress-common-lines` in `-y`.
    pub suppress_common_lines: bool,
    /// `--sdiff-merge-assist`: the `-y` variant sdiff reads.
    pub sdiff_merge_assist: bool,
    /// Hunks whose changed lines are all ignorable are not shown.
    pub ignorable: Ignorable,
    /// The formats of [`Style::Ifdef`].
    pub formats: Option<ifdef::Formats>,
}

impl Settings {
    /// Whether identical inputs print nothing: false for `-y` without
    /// `--suppress-common-lines` and for formats that print common lines.
    pub fn no_diff_means_no_output(&self) -> bool {
        match self.style {
            Style::SideBySide => self.suppress_common_lines,
            Style::Ifdef => self
                .formats
                .as_ref()
                .is_none_or(ifdef::Formats::no_diff_means_no_output),
            _ => true,
        }
    }
}

/// One input as the printers see it.
pub struct Side<'a> {
    /// The lines.
    pub text: &'a Text,
    /// The name to show (a path, `-`, or a constructed `dir/file`).
    pub name: &'a [u8],
    /// Modification time: seconds since the epoch and nanoseconds.
    pub mtime: (i64, u32),
}

/// Prints one comparison.
pub struct Printer<'a> {
    out: &'a mut dyn Write,
    /// The settings.
    pub settings: &'a Settings,
    /// The two inputs.
    pub sides: [Side<'a>; 2],
    /// `diff -r a/f b/f` line for comparisons inside directories.
    header: Option<Vec<u8>>,
    started: bool,
}

impl<'a> Printer<'a> {
    /// A printer for `sides`; `header` is printed before any output.
    pub fn new(
        out: &'a mut dyn Write,
        settings: &'a Settings,
        sides: [Side<'a>; 2],
        header: Option<Vec<u8>>,
    ) -> Self {
        Printer {
            out,
            settings,
            sides,
            header,
            started: false,
        }
    }

    /// Prints `changes` in the configured format.
    pub fn print(&mut self, changes: &[Change]) -> io::Result<()> {
        match self.settings.style {
            Style::Normal => normal::print(self, changes),
            Style::Context => context::print(self, changes),
            Style::Unified => unified::print(self, changes),
            Style::Ed => ed::print_ed(self, changes),
            Style::ForwardEd => ed::print_forward_ed(self, changes),
            Style::Rcs => ed::print_rcs(self, changes),
            Style::SideBySide => side::print(self, changes),
            Style::Ifdef => {
                let settings = self.settings;
                match &settings.formats {
                    Some(formats) => ifdef::print(self, changes, formats),
                    None => Ok(()),
                }
            }
        }
    }

    /// The text of file `f`.
    pub fn text(&self, f: usize) -> &'a Text {
        self.sides[f].text
    }

    /// The raw output stream.
    pub fn out(&mut self) -> &mut dyn Write {
        self.out
    }

    /// Prints the headers before the first output, once.
    pub fn begin(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        if let Some(header) = self.header.take() {
            self.out.write_all(&header)?;
        }
        match self.settings.style {
            Style::Context => {
                self.file_label(b"***", 0)?;
                self.file_label(b"---", 1)
            }
            Style::Unified => {
                self.file_label(b"---", 0)?;
                self.file_label(b"+++", 1)
            }
            _ => Ok(()),
        }
    }

    fn file_label(&mut self, mark: &[u8], f: usize) -> io::Result<()> {
        self.out.write_all(mark)?;
        self.out.write_all(b" ")?;
        if let Some(label) = &self.settings.labels[f] {
            self.out.write_all(label)?;
        } else {
            let side = &self.sides[f];
            self.out.write_all(&quote::header_name(side.name))?;
            let (secs, nanos) = side.mtime;
            let time = timefmt::format(secs, nanos, self.settings.time_style, &self.settings.zone);
            write!(self.out, "\t{time}")?;
        }
        self.out.write_all(b"\n")
    }

    /// Prints line `i` of file `f` after the mark `flag` (GNU's
    /// `print_1_line`): `flag` and a space (a tab with `-T`), the line,
    /// and `\ No newline at end of file` after an incomplete last line.
    /// An empty `flag` prints the bare line, as ed scripts need.
    pub fn line(&mut self, flag: &[u8], f: usize, i: usize) -> io::Result<()> {
        let text = self.sides[f].text;
        let body = text.body(i);
        let s = self.settings;
        if !flag.is_empty() {
            if s.suppress_blank_empty && body.is_empty() {
                if flag != b" " {
                    self.out.write_all(flag)?;
                }
            } else {
                self.out.write_all(flag)?;
                self.out
                    .write_all(if s.initial_tab { b"\t" } else { b" " })?;
            }
        }
        let repeat = (!flag.is_empty()).then_some(flag);
        self.body(body, repeat)?;
        self.end_line(flag.is_empty(), text, i)
    }

    /// Prints line `i` of file `f` after a one-character unified mark,
    /// which `-T` follows with a tab and `--suppress-blank-empty` drops
    /// for an empty context line.
    pub fn unified_line(&mut self, mark: u8, f: usize, i: usize) -> io::Result<()> {
        let text = self.sides[f].text;
        let body = text.body(i);
        let s = self.settings;
        let empty = s.suppress_blank_empty && body.is_empty();
        if mark == b' ' {
            if !empty {
                self.out
                    .write_all(if s.initial_tab { b"\t" } else { b" " })?;
            }
        } else {
            self.out.write_all(&[mark])?;
            if s.initial_tab && !empty {
                self.out.write_all(b"\t")?;
            }
        }
        self.body(body, None)?;
        self.end_line(false, text, i)
    }

    fn end_line(&mut self, bare: bool, text: &Text, i: usize) -> io::Result<()> {
        if text.is_incomplete(i) && self.settings.style.robust() {
            if !bare {
                self.out.write_all(b"\n\\ No newline at end of file\n")?;
            }
            Ok(())
        } else {
            self.out.write_all(b"\n")
        }
    }

    /// Writes a line's text, expanding tabs with `-t`. With `-t`, a
    /// carriage return inside the line is followed by the mark again
    /// (`repeat`), so that overprinted text stays aligned.
    fn body(&mut self, body: &[u8], repeat: Option<&[u8]>) -> io::Result<()> {
        let s = self.settings;
        if !s.expand_tabs {
            return self.out.write_all(body);
        }
        let tab = s.tabsize.max(1);
        let mut column = 0usize;
        let mut buf = Vec::with_capacity(body.len() + 16);
        for (k, &c) in body.iter().enumerate() {
            match c {
                b'\t' => {
                    let spaces = tab - column % tab;
                    column += spaces;
                    buf.extend(std::iter::repeat_n(b' ', spaces));
                }
                b'\r' => {
                    buf.push(c);
                    if let Some(flag) = repeat {
                        if k + 1 < body.len() {
                            buf.extend_from_slice(flag);
                            buf.push(if s.initial_tab { b'\t' } else { b' ' });
                        }
                    }
                    column = 0;
                }
                b'\x08' => {
                    if column > 0 {
                        column -= 1;
                        buf.push(c);
                    }
                }
                _ => {
                    column += usize::from(is_print(c));
                    buf.push(c);
                }
            }
        }
        self.out.write_all(&buf)
    }

    /// The ignorable-line rules, for [`crate::hunk::analyze`].
    pub fn ignorable(&self) -> &'a Ignorable {
        &self.settings.ignorable
    }
}

/// `isprint` in the C locale.
pub fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// Writes a 1-based line range: `a,b`, or `b` alone when the range has one
/// line or none (an empty range names the line before it).
pub fn write_range(out: &mut dyn Write, first: isize, last: isize, sep: u8) -> io::Result<()> {
    let (a, b) = (first + 1, last + 1);
    if b > a {
        write!(out, "{a}{}{b}", sep as char)
    } else {
        write!(out, "{b}")
    }
}
