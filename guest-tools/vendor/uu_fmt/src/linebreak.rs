// This file is part of the uutils coreutils package.
//
// For the full copyright and license information, please view the LICENSE
// file that was distributed with this source code.

// spell-checker:ignore (ToDO) INFTY MULT accum breakwords linebreak linebreaking linebreaks linelen maxlength minlength nchars ostream overlen parasplit plass posn powf punct signum slen sstart tabwidth tlen underlen winfo wlen wordlen

use std::io::{BufWriter, Stdout, Write};

use crate::FmtOptions;
use crate::gnu_fill::{self, Shape, WordMetrics};
use crate::parasplit::{ParaWords, Paragraph, WordInfo};

struct BreakArgs<'a> {
    opts: &'a FmtOptions,
    init_len: usize,
    indent: &'a [u8],
    indent_len: usize,
    uniform: bool,
    ostream: &'a mut BufWriter<Stdout>,
}

impl BreakArgs<'_> {
    fn compute_width(&self, winfo: &WordInfo, posn: usize, fresh: bool) -> usize {
        if fresh {
            0
        } else {
            let post = winfo.after_tab;
            match winfo.before_tab {
                None => post,
                Some(pre) => {
                    post + ((pre + posn) / self.opts.tabwidth + 1) * self.opts.tabwidth - posn
                }
            }
        }
    }
}

pub fn break_lines(
    para: &Paragraph,
    opts: &FmtOptions,
    ostream: &mut BufWriter<Stdout>,
) -> std::io::Result<()> {
    // indent
    let p_indent = &para.indent_str;
    let p_indent_len = para.indent_len;

    // words
    let p_words = ParaWords::new(opts, para);
    let mut p_words_words = p_words.words();

    // the first word will *always* appear on the first line
    // make sure of this here
    let Some(winfo) = p_words_words.next() else {
        return ostream.write_all(b"\n");
    };

    // the init, if it exists, and its length
    // (wasm-agent: written below, by the breaking algorithm)
    let (init, init_len): (&[u8], usize) = if opts.crown || opts.tagged {
        // handle "init" portion
        (&para.init_str, para.init_len)
    } else if !para.mail_header {
        // for non-(crown, tagged) that's the same as a normal indent
        (p_indent, p_indent_len)
    } else {
        // except that mail headers get no indent at all
        (&[], 0)
    };
    let p_init_len = winfo.word_nchars + init_len;

    // does this paragraph require uniform spacing?
    let uniform = para.mail_header || opts.uniform;

    let mut break_args = BreakArgs {
        opts,
        init_len: p_init_len,
        indent: p_indent,
        indent_len: p_indent_len,
        uniform,
        ostream,
    };

    if opts.quick || para.mail_header {
        // write first word after writing init
        break_args.ostream.write_all(init)?;
        break_args.ostream.write_all(winfo.word)?;
        break_simple(p_words_words, &mut break_args)
    } else {
        break_gnu(init, winfo, p_words_words, &mut break_args)
    }
}

/// `break_simple` implements a "greedy" breaking algorithm: print words until
/// maxlength would be exceeded, then print a linebreak and indent and continue.
fn break_simple<'a, T: Iterator<Item = &'a WordInfo<'a>>>(
    mut iter: T,
    args: &mut BreakArgs<'a>,
) -> std::io::Result<()> {
    iter.try_fold((args.init_len, false), |(l, prev_punct), winfo| {
        accum_words_simple(args, l, prev_punct, winfo)
    })?;
    args.ostream.write_all(b"\n")
}

fn accum_words_simple<'a>(
    args: &mut BreakArgs<'a>,
    l: usize,
    prev_punct: bool,
    winfo: &'a WordInfo<'a>,
) -> std::io::Result<(usize, bool)> {
    // compute the length of this word, considering how tabs will expand at this position on the line
    let wlen = winfo.word_nchars + args.compute_width(winfo, l, false);

    let slen = compute_slen(
        args.uniform,
        winfo.new_line,
        winfo.sentence_start,
        prev_punct,
    );

    if l + wlen + slen > args.opts.width {
        write_newline(args.indent, args.ostream)?;
        write_with_spaces(&winfo.word[winfo.word_start..], 0, args.ostream)?;
        Ok((args.indent_len + winfo.word_nchars, winfo.ends_punct))
    } else {
        write_with_spaces(winfo.word, slen, args.ostream)?;
        Ok((l + wlen + slen, winfo.ends_punct))
    }
}

/// wasm-agent: breaks the paragraph where GNU fmt does (see
/// [`gnu_fill`]), `init` being the first line's indent and `first` its
/// first word.
///
/// A word that starts an input line (or any word, under `-u`) follows the
/// previous one with two spaces after the end of a sentence, else one;
/// other words keep the spacing they had. Once the input has shown a tab
/// in its white space, GNU fmt writes indents and spacing with tabs where
/// they reach a tab stop, and so does this (see [`Spacer`]).
fn break_gnu<'a, T: Iterator<Item = &'a WordInfo<'a>>>(
    init: &[u8],
    first: &'a WordInfo<'a>,
    rest: T,
    args: &mut BreakArgs<'a>,
) -> std::io::Result<()> {
    let words: Vec<&WordInfo<'_>> = std::iter::once(first).chain(rest).collect();
    let metrics = word_metrics(&words, args);
    let shape = Shape {
        first_indent: args.init_len - first.word_nchars,
        other_indent: args.indent_len,
        width: args.opts.width,
        goal: args.opts.goal,
    };
    let mut starts = gnu_fill::line_starts(&metrics, shape)
        .into_iter()
        .peekable();
    let mut out = Spacer {
        tabs: crate::parasplit::tabs_seen() && args.opts.prefix.is_none(),
        tabwidth: args.opts.tabwidth,
        column: 0,
    };
    out.indent(args.ostream, init, shape.first_indent)?;
    out.word(args.ostream, first.word, first.word_nchars)?;
    for (index, winfo) in words.iter().enumerate().skip(1) {
        let word = &winfo.word[winfo.word_start..];
        if starts.next_if_eq(&index).is_some() {
            args.ostream.write_all(b"\n")?;
            out.column = 0;
            out.indent(args.ostream, args.indent, args.indent_len)?;
        } else if args.uniform || winfo.new_line {
            let spaces = if metrics[index - 1].sentence_end {
                2
            } else {
                1
            };
            out.space(args.ostream, spaces)?;
        } else if out.tabs {
            let gap = args.compute_width(winfo, out.column, false);
            out.space(args.ostream, gap)?;
        } else {
            // The spacing as it was, tabs included (there are none).
            args.ostream.write_all(&winfo.word[..winfo.word_start])?;
            out.column += winfo.word_start;
        }
        out.word(args.ostream, word, winfo.word_nchars)?;
    }
    args.ostream.write_all(b"\n")
}

/// Writes white space the way GNU fmt does: as spaces, or, once the input
/// had tabs in its white space, as tabs up to the last tab stop the space
/// reaches (if that saves more than one space), then spaces.
struct Spacer {
    tabs: bool,
    tabwidth: usize,
    /// Display column of the output.
    column: usize,
}

impl Spacer {
    /// `space` columns of white space.
    fn space(&mut self, out: &mut BufWriter<Stdout>, space: usize) -> std::io::Result<()> {
        let target = self.column + space;
        if self.tabs {
            let tab_target = target / self.tabwidth * self.tabwidth;
            if self.column + 1 < tab_target {
                while self.column < tab_target {
                    out.write_all(b"\t")?;
                    self.column = (self.column / self.tabwidth + 1) * self.tabwidth;
                }
            }
        }
        while self.column < target {
            out.write_all(b" ")?;
            self.column += 1;
        }
        Ok(())
    }

    /// An indent: `raw` as it was in the input, or its width as GNU fmt
    /// writes it once tabs are in use.
    fn indent(
        &mut self,
        out: &mut BufWriter<Stdout>,
        raw: &[u8],
        width: usize,
    ) -> std::io::Result<()> {
        if self.tabs {
            self.space(out, width)
        } else {
            self.column += width;
            out.write_all(raw)
        }
    }

    /// A word `width` columns wide.
    fn word(
        &mut self,
        out: &mut BufWriter<Stdout>,
        word: &[u8],
        width: usize,
    ) -> std::io::Result<()> {
        self.column += width;
        out.write_all(word)
    }
}

/// The widths, gaps and punctuation of `words`, as [`gnu_fill`] wants them.
fn word_metrics(words: &[&WordInfo<'_>], args: &BreakArgs<'_>) -> Vec<WordMetrics> {
    let mut metrics: Vec<WordMetrics> = words
        .iter()
        .map(|winfo| {
            let (period, punct, paren) = WordMetrics::classify(&winfo.word[winfo.word_start..]);
            WordMetrics {
                width: winfo.word_nchars,
                gap_before: 0,
                period,
                sentence_end: false,
                punct,
                paren,
            }
        })
        .collect();
    for index in 0..words.len() {
        let next = words.get(index + 1);
        // A period ends a sentence before the end of a line or two columns
        // of space (GNU fmt, like Emacs); the last word of a paragraph ends
        // one, period or not.
        metrics[index].sentence_end =
            next.is_none_or(|next| metrics[index].period && (next.new_line || next.wide_gap));
    }
    for index in 1..words.len() {
        let winfo = words[index];
        metrics[index].gap_before = if args.uniform || winfo.new_line {
            if metrics[index - 1].sentence_end {
                2
            } else {
                1
            }
        } else {
            // Tabs are measured from column 0: the model takes gaps as
            // fixed, and tabs between words are rare in prose.
            args.compute_width(winfo, 0, false)
        };
    }
    metrics
}

/// Number of spaces to add before a word, based on mode, newline, sentence start.
fn compute_slen(uniform: bool, newline: bool, start: bool, punct: bool) -> usize {
    if uniform || newline {
        if start || (newline && punct) { 2 } else { 1 }
    } else {
        0
    }
}

/// Write a newline and add the indent.
fn write_newline(indent: &[u8], ostream: &mut BufWriter<Stdout>) -> std::io::Result<()> {
    ostream.write_all(b"\n")?;
    ostream.write_all(indent)
}

/// Write the word, along with slen spaces.
fn write_with_spaces(
    word: &[u8],
    slen: usize,
    ostream: &mut BufWriter<Stdout>,
) -> std::io::Result<()> {
    if slen == 2 {
        ostream.write_all(b"  ")?;
    } else if slen == 1 {
        ostream.write_all(b" ")?;
    }
    ostream.write_all(word)
}
