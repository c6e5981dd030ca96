//! The command line: GNU diff 3.8's options, their interactions (output
//! style conflicts, context widths, `-NUM`), and their error messages.

pub mod getopt;
pub mod help;
mod table;

use std::ffi::OsString;

use getopt::Item;
use table::{short, Key, LONG};

use crate::analyze::{Compare, WhiteSpace};
use crate::error::Error;
use crate::format::ifdef::Formats;
use crate::format::{Settings, Style};
use crate::hunk::Ignorable;
use crate::regex;
use crate::timefmt::{TimeStyle, TimeZone};

/// Everything the command line decides.
#[derive(Debug)]
pub struct Options {
    /// How lines are compared.
    pub compare: Compare,
    /// How output is printed.
    pub output: Settings,
    /// `-q`: only say whether files differ.
    pub brief: bool,
    /// `-s`: say when files are identical.
    pub report_identical: bool,
    /// `-a`: never treat a file as binary.
    pub text: bool,
    /// `--strip-trailing-cr`.
    pub strip_trailing_cr: bool,
    /// Which files and directories to visit, and how.
    pub files: FileOptions,
    /// The options as given, shell-quoted, each preceded by a space (the
    /// `-r` in `diff -r a/f b/f`).
    pub switch_string: Vec<u8>,
    /// The operands.
    pub operands: Vec<OsString>,
    /// `--from-file`: compare this with every operand.
    pub from_file: Option<OsString>,
    /// `--to-file`: compare every operand with this.
    pub to_file: Option<OsString>,
}

/// Options about files and directories.
#[derive(Debug, Default)]
pub struct FileOptions {
    /// `-r`.
    pub recursive: bool,
    /// `-N`: a missing file is an empty one.
    pub new_file: bool,
    /// `--unidirectional-new-file`: a missing first file is an empty one.
    pub unidirectional_new_file: bool,
    /// `--no-dereference`: compare symbolic links as links.
    pub no_dereference: bool,
    /// `--ignore-file-name-case`.
    pub ignore_file_name_case: bool,
    /// `-x`, `-X`: names (glob patterns) to skip in directories.
    pub exclude: Vec<Vec<u8>>,
    /// `-S`: skip names before this one in the top directories.
    pub starting_file: Option<Vec<u8>>,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Compare files.
    Diff(Box<Options>),
    /// `--help`.
    Help,
    /// `-v`, `--version`.
    Version,
}

/// The environment values the options depend on.
#[derive(Debug, Default, Clone)]
pub struct Env {
    /// `TZ`.
    pub tz: Option<OsString>,
    /// The effective `LC_TIME` locale name (`LC_ALL`, else `LC_TIME`, else
    /// `LANG`).
    pub lc_time: Option<String>,
}

impl Env {
    /// Reads the process environment.
    pub fn from_process() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Env {
            tz: std::env::var_os("TZ"),
            lc_time: var("LC_ALL")
                .or_else(|| var("LC_TIME"))
                .or_else(|| var("LANG")),
        }
    }

    /// Whether the time locale is other than C/POSIX (GNU's `hard_locale`).
    fn hard_time_locale(&self) -> bool {
        self.lc_time
            .as_deref()
            .is_some_and(|l| l != "C" && l != "POSIX")
    }
}

/// State while options are read.
struct Builder {
    style: Option<Style>,
    context: Option<usize>,
    explicit_context: bool,
    ocontext: Option<usize>,
    width: Option<usize>,
    tabsize: Option<usize>,
    show_c_function: bool,
    function_patterns: Vec<Vec<u8>>,
    ignore_patterns: Vec<Vec<u8>>,
    horizon: usize,
    group_formats: [Option<Vec<u8>>; 4],
    line_formats: [Option<Vec<u8>>; 3],
}

/// Parses `args` (`args[0]` is the program name).
pub fn parse(args: &[OsString], env: &Env) -> Result<Command, Error> {
    let parsed = getopt::parse(args.get(1..).unwrap_or_default(), &short, LONG)
        .map_err(|e| Error::Usage(e.0))?;
    let mut o = Options {
        compare: Compare::default(),
        output: Settings {
            style: Style::Normal,
            context: 0,
            expand_tabs: false,
            initial_tab: false,
            tabsize: 8,
            suppress_blank_empty: false,
            function: None,
            labels: [None, None],
            time_style: TimeStyle::Iso,
            zone: TimeZone::utc(),
            width: 130,
            left_column: false,
            suppress_common_lines: false,
            sdiff_merge_assist: false,
            ignorable: Ignorable::default(),
            formats: None,
        },
        brief: false,
        report_identical: false,
        text: false,
        strip_trailing_cr: false,
        files: FileOptions::default(),
        switch_string: Vec::new(),
        operands: Vec::new(),
        from_file: None,
        to_file: None,
    };
    let mut b = Builder {
        style: None,
        context: None,
        explicit_context: false,
        ocontext: None,
        width: None,
        tabsize: None,
        show_c_function: false,
        function_patterns: Vec::new(),
        ignore_patterns: Vec::new(),
        horizon: 0,
        group_formats: [None, None, None, None],
        line_formats: [None, None, None],
    };
    let mut prev: Option<Key> = None;
    for item in parsed.items {
        let (key, value) = match item {
            Item::Operand(operand) => {
                o.operands.push(operand);
                continue;
            }
            Item::Opt(key, value) => (key, value),
        };
        let value_bytes = value.as_deref().map(getopt::bytes);
        let arg = || value_bytes.clone().unwrap_or_default();
        match key {
            Key::Digit(d) => {
                let base = match (prev, b.ocontext) {
                    (Some(Key::Digit(_)), Some(v)) => v,
                    _ => 0,
                };
                b.ocontext = Some(base.saturating_mul(10).saturating_add(usize::from(d)));
            }
            Key::Text => o.text = true,
            Key::SpaceChange => raise(&mut o.compare.white_space, WhiteSpace::SpaceChange),
            Key::TrailingSpace => {
                add_white_space(&mut o.compare.white_space, WhiteSpace::TrailingSpace)
            }
            Key::TabExpansion => {
                add_white_space(&mut o.compare.white_space, WhiteSpace::TabExpansion)
            }
            Key::AllSpace => o.compare.white_space = WhiteSpace::AllSpace,
            Key::BlankLines => o.output.ignorable.blank_lines = true,
            Key::ContextN | Key::UnifiedN => {
                let n = match &value_bytes {
                    Some(v) => parse_number(v).filter(|&n| n >= 0).ok_or_else(|| {
                        Error::Usage(format!("invalid context length {}", quote_arg(v)))
                    })?,
                    None => 3,
                };
                specify_style(
                    &mut b.style,
                    if key == Key::UnifiedN {
                        Style::Unified
                    } else {
                        Style::Context
                    },
                )?;
                let n = usize::try_from(n).unwrap_or(MAX_LINES).min(MAX_LINES);
                b.context = Some(b.context.map_or(n, |c| c.max(n)));
                b.explicit_context = true;
            }
            Key::Context | Key::Unified => {
                specify_style(
                    &mut b.style,
                    if key == Key::Unified {
                        Style::Unified
                    } else {
                        Style::Context
                    },
                )?;
                b.context = Some(b.context.map_or(3, |c| c.max(3)));
            }
            Key::Minimal => o.compare.minimal = true,
            Key::Ifdef => {
                specify_style(&mut b.style, Style::Ifdef)?;
                let name = arg();
                let formats: [&[u8]; 4] = [
                    b"%=",
                    b"#ifndef @\n%<#endif /* ! @ */\n",
                    b"#ifdef @\n%>#endif /* @ */\n",
                    b"#ifndef @\n%<#else /* @ */\n%>#endif /* @ */\n",
                ];
                for (slot, f) in b.group_formats.iter_mut().zip(formats) {
                    let value = f.split(|&c| c == b'@').collect::<Vec<_>>().join(&name[..]);
                    specify_value(slot, value, "-D")?;
                }
            }
            Key::LineFormat => {
                specify_style(&mut b.style, Style::Ifdef)?;
                for slot in &mut b.line_formats {
                    specify_value(slot, arg(), "--line-format")?;
                }
            }
            Key::LineFormatOf(k) => {
                specify_style(&mut b.style, Style::Ifdef)?;
                let name = [
                    "--unchanged-line-format",
                    "--old-line-format",
                    "--new-line-format",
                ][usize::from(k)];
                specify_value(&mut b.line_formats[usize::from(k)], arg(), name)?;
            }
            Key::GroupFormat(k) => {
                specify_style(&mut b.style, Style::Ifdef)?;
                let name = [
                    "--unchanged-group-format",
                    "--old-group-format",
                    "--new-group-format",
                    "--changed-group-format",
                ][usize::from(k)];
                specify_value(&mut b.group_formats[usize::from(k)], arg(), name)?;
            }
            Key::Ed => specify_style(&mut b.style, Style::Ed)?,
            Key::ForwardEd => specify_style(&mut b.style, Style::ForwardEd)?,
            Key::Rcs => specify_style(&mut b.style, Style::Rcs)?,
            Key::Normal => specify_style(&mut b.style, Style::Normal)?,
            Key::SideBySide => specify_style(&mut b.style, Style::SideBySide)?,
            Key::SdiffMergeAssist => {
                specify_style(&mut b.style, Style::SideBySide)?;
                o.output.sdiff_merge_assist = true;
            }
            Key::FunctionLine => b.function_patterns.push(arg()),
            Key::ShowCFunction => {
                b.show_c_function = true;
                b.function_patterns.push(b"^[[:alpha:]$_]".to_vec());
            }
            Key::NoOp | Key::Palette => {}
            Key::SpeedLargeFiles => o.compare.speed_large_files = true,
            Key::IgnoreCase => o.compare.ignore_case = true,
            Key::IgnoreMatching => b.ignore_patterns.push(arg()),
            Key::Paginate => {
                return Err(Error::Usage("pagination not supported on this host".into()))
            }
            Key::Label => {
                let slot = o.output.labels.iter_mut().find(|l| l.is_none());
                match slot {
                    Some(slot) => *slot = Some(arg()),
                    None => return Err(Error::Fatal("too many file label options".into())),
                }
            }
            Key::NewFile => o.files.new_file = true,
            Key::UnidirectionalNewFile => o.files.unidirectional_new_file = true,
            Key::Brief => o.brief = true,
            Key::Recursive => o.files.recursive = true,
            Key::ReportIdentical => o.report_identical = true,
            Key::StartingFile => specify_value(&mut o.files.starting_file, arg(), "-S")?,
            Key::ExpandTabs => o.output.expand_tabs = true,
            Key::InitialTab => o.output.initial_tab = true,
            Key::Version => return Ok(Command::Version),
            Key::Help => return Ok(Command::Help),
            Key::Exclude => o.files.exclude.push(arg()),
            Key::ExcludeFrom => {
                let path = value.clone().unwrap_or_default();
                let data = std::fs::read(&path).map_err(|e| Error::Io {
                    path: arg(),
                    error: e,
                })?;
                o.files.exclude.extend(
                    data.split(|&b| b == b'\n')
                        .filter(|p| !p.is_empty())
                        .map(<[u8]>::to_vec),
                );
            }
            Key::Width => set_positive(&mut b.width, &arg(), "width")?,
            Key::Tabsize => set_positive(&mut b.tabsize, &arg(), "tabsize")?,
            Key::FromFile => specify_os(
                &mut o.from_file,
                value.clone().unwrap_or_default(),
                "--from-file",
            )?,
            Key::ToFile => specify_os(
                &mut o.to_file,
                value.clone().unwrap_or_default(),
                "--to-file",
            )?,
            Key::HorizonLines => {
                let v = arg();
                let n = parse_number(&v).filter(|&n| n >= 0).ok_or_else(|| {
                    Error::Usage(format!("invalid horizon length {}", quote_arg(&v)))
                })?;
                b.horizon = b
                    .horizon
                    .max(usize::try_from(n).unwrap_or(MAX_LINES).min(MAX_LINES));
            }
            Key::IgnoreFileNameCase => o.files.ignore_file_name_case = true,
            Key::NoIgnoreFileNameCase => o.files.ignore_file_name_case = false,
            Key::LeftColumn => o.output.left_column = true,
            Key::NoDereference => o.files.no_dereference = true,
            Key::StripTrailingCr => o.strip_trailing_cr = true,
            Key::SuppressBlankEmpty => o.output.suppress_blank_empty = true,
            Key::SuppressCommonLines => o.output.suppress_common_lines = true,
            Key::Color => {
                let v = value_bytes.clone().unwrap_or_else(|| b"auto".to_vec());
                if !matches!(&v[..], b"never" | b"always" | b"auto") {
                    return Err(Error::Usage(format!(
                        "invalid color '{}'",
                        String::from_utf8_lossy(&v)
                    )));
                }
                // Output is never colored: the sandbox's output is never a
                // terminal, and escape codes only get in an agent's way.
            }
        }
        prev = Some(key);
    }
    finish(o, b, parsed.option_words, env).map(|o| Command::Diff(Box::new(o)))
}

/// Settles the values that depend on several options.
fn finish(
    mut o: Options,
    b: Builder,
    option_words: Vec<OsString>,
    env: &Env,
) -> Result<Options, Error> {
    let style = match b.style {
        Some(style) => style,
        None if b.show_c_function => Style::Context,
        None => Style::Normal,
    };
    let mut context = match (b.style, b.show_c_function, b.ocontext) {
        (None, true, None) => Some(3),
        _ => b.context,
    };
    if let Some(oc) = b.ocontext {
        if style.has_context() {
            let c = context.unwrap_or(0);
            if context.is_none() || c < oc || (oc < c && !b.explicit_context) {
                context = Some(oc);
            }
        }
    }
    o.output.style = style;
    o.output.context = context.unwrap_or(0).min(MAX_LINES);
    if style == Style::Ifdef {
        o.output.formats = Some(Formats::complete(b.group_formats, b.line_formats));
    }
    o.output.time_style = if style == Style::Context && !env.hard_time_locale() {
        TimeStyle::Ctime
    } else {
        TimeStyle::Iso
    };
    o.output.zone = TimeZone::from_tz(env.tz.as_deref());
    o.output.tabsize = b.tabsize.unwrap_or(8);
    o.output.width = b.width.unwrap_or(130);
    o.compare.tabsize = o.output.tabsize;
    o.compare.robust = style.robust();
    o.compare.horizon_lines = b.horizon.max(if style.has_context() {
        o.output.context
    } else {
        0
    });
    o.output.ignorable.white_space = o.compare.white_space;
    o.output.function = regex::compile_any(&b.function_patterns)?;
    o.output.ignorable.regex = regex::compile_any(&b.ignore_patterns)?;
    for word in &option_words {
        o.switch_string.push(b' ');
        o.switch_string
            .extend(crate::quote::shell(&getopt::bytes(word)));
    }
    if o.from_file.is_some() && o.to_file.is_some() {
        return Err(Error::Fatal(
            "--from-file and --to-file both specified".into(),
        ));
    }
    if o.from_file.is_none() && o.to_file.is_none() {
        match o.operands.len() {
            2 => {}
            0 | 1 => {
                let last = args_last(&o, &option_words);
                return Err(Error::Usage(format!(
                    "missing operand after {}",
                    quote_arg(&last)
                )));
            }
            _ => {
                let extra = getopt::bytes(&o.operands[2]);
                return Err(Error::Usage(format!("extra operand {}", quote_arg(&extra))));
            }
        }
    }
    Ok(o)
}

/// The last command-line word, for "missing operand after 'X'".
fn args_last(o: &Options, option_words: &[OsString]) -> Vec<u8> {
    o.operands
        .last()
        .or_else(|| option_words.last())
        .map(|w| getopt::bytes(w))
        .unwrap_or_else(|| b"diff".to_vec())
}

fn raise(level: &mut WhiteSpace, to: WhiteSpace) {
    if *level < to {
        *level = to;
    }
}

/// `-E` and `-Z` combine with each other but not with `-b` or `-w`.
fn add_white_space(level: &mut WhiteSpace, add: WhiteSpace) {
    use WhiteSpace::*;
    *level = match (*level, add) {
        (SpaceChange | AllSpace, _) => *level,
        (None, x) => x,
        (TabExpansion, TrailingSpace) | (TrailingSpace, TabExpansion) => {
            TabExpansionAndTrailingSpace
        }
        (current, _) => current,
    };
}

fn specify_style(current: &mut Option<Style>, style: Style) -> Result<(), Error> {
    match current {
        Some(s) if *s != style => Err(Error::Usage("conflicting output style options".into())),
        _ => {
            *current = Some(style);
            Ok(())
        }
    }
}

fn specify_value(current: &mut Option<Vec<u8>>, value: Vec<u8>, option: &str) -> Result<(), Error> {
    if let Some(v) = current {
        if *v != value {
            return Err(Error::Usage(format!(
                "conflicting {option} option value '{}'",
                String::from_utf8_lossy(&value)
            )));
        }
    }
    *current = Some(value);
    Ok(())
}

fn specify_os(current: &mut Option<OsString>, value: OsString, option: &str) -> Result<(), Error> {
    let mut bytes = current.as_deref().map(getopt::bytes);
    specify_value(&mut bytes, getopt::bytes(&value), option)?;
    *current = Some(value);
    Ok(())
}

/// Context and horizon widths are capped here (GNU's `LIN_MAX`, a
/// quarter of the line-number range, so that sums cannot overflow).
const MAX_LINES: usize = (isize::MAX / 4) as usize;

/// The largest `-W` and `--tabsize` accepted. GNU accepts any, and pads
/// lines to that many columns: a huge value fills the disk (or here, the
/// sandbox's memory) with blanks.
pub const MAX_COLUMNS: i128 = 1_000_000;

fn set_positive(current: &mut Option<usize>, v: &[u8], what: &str) -> Result<(), Error> {
    let n = parse_number(v)
        .filter(|&n| n > 0)
        .ok_or_else(|| Error::Usage(format!("invalid {what} {}", quote_arg(v))))?;
    if n > MAX_COLUMNS {
        return Err(Error::Usage(format!(
            "invalid {what} {} (at most {MAX_COLUMNS} in this diff)",
            quote_arg(v)
        )));
    }
    let n = n as usize;
    match current {
        Some(c) if *c != n => Err(Error::Fatal(format!("conflicting {what} options"))),
        _ => {
            *current = Some(n);
            Ok(())
        }
    }
}

/// A number as `strtoimax` reads it, with nothing after it: leading white
/// space and a sign are allowed; an empty string is 0.
fn parse_number(v: &[u8]) -> Option<i128> {
    let s = std::str::from_utf8(v).ok()?;
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    if t.is_empty() {
        return s.is_empty().then_some(0);
    }
    let (neg, digits) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i128 = digits.parse().unwrap_or(i128::MAX);
    Some(if neg { -n } else { n })
}

/// `'arg'` as GNU's `quote` prints an argument in messages.
pub fn quote_arg(v: &[u8]) -> String {
    format!("'{}'", String::from_utf8_lossy(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(args: &[&str]) -> Result<Options, Error> {
        let args: Vec<OsString> = std::iter::once("diff")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        match parse(&args, &Env::default())? {
            Command::Diff(o) => Ok(*o),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn context_widths_follow_gnu() {
        assert_eq!(opts(&["-u", "a", "b"]).unwrap().output.context, 3);
        assert_eq!(opts(&["-U1", "a", "b"]).unwrap().output.context, 1);
        assert_eq!(opts(&["-U1", "-u", "a", "b"]).unwrap().output.context, 3);
        assert_eq!(opts(&["-U2", "-U1", "a", "b"]).unwrap().output.context, 2);
        assert_eq!(opts(&["-1u", "a", "b"]).unwrap().output.context, 1);
        assert_eq!(
            opts(&["-1", "-2", "-u", "a", "b"]).unwrap().output.context,
            12
        );
        let p = opts(&["-p", "a", "b"]).unwrap();
        assert_eq!((p.output.style, p.output.context), (Style::Context, 3));
    }

    #[test]
    fn conflicting_styles_and_operand_counts_are_usage_errors() {
        let msg = |args: &[&str]| match opts(args) {
            Err(Error::Usage(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            msg(&["-u", "-c", "a", "b"]),
            "conflicting output style options"
        );
        assert_eq!(msg(&["a"]), "missing operand after 'a'");
        assert_eq!(msg(&["a", "b", "c"]), "extra operand 'c'");
        assert_eq!(msg(&["-U", "x", "a", "b"]), "invalid context length 'x'");
        assert_eq!(msg(&["-W", "0", "-y", "a", "b"]), "invalid width '0'");
    }

    #[test]
    fn switch_string_keeps_the_options_as_typed() {
        let o = opts(&["a", "-r", "b", "-x", "a b", "--label=x y", "-U1"]).unwrap();
        assert_eq!(o.switch_string, b" -r -x 'a b' '--label=x y' -U1");
    }

    #[test]
    fn white_space_options_combine_like_gnu() {
        assert_eq!(
            opts(&["-E", "-Z", "a", "b"]).unwrap().compare.white_space,
            WhiteSpace::TabExpansionAndTrailingSpace
        );
        assert_eq!(
            opts(&["-b", "-Z", "a", "b"]).unwrap().compare.white_space,
            WhiteSpace::SpaceChange
        );
        assert_eq!(
            opts(&["-w", "-b", "a", "b"]).unwrap().compare.white_space,
            WhiteSpace::AllSpace
        );
    }
}
