//! `stat`, following GNU coreutils 9: the default report, `-t`, and the
//! `-c`/`--format`/`--printf` directives with printf-style width and flags.

use crate::meta::{Info, Kind};
use crate::{io_reason, time::format_time};
use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

const DEFAULT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %Hd,%Ld\tInode: %-11i Links: %h\nAccess: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n";
const TERSE: &str = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";

struct Opts {
    format: Option<String>,
    /// `--printf`: escapes interpreted, no newline added.
    printf: bool,
    deref: bool,
    terse: bool,
    files: Vec<OsString>,
}

fn usage(msg: &str) -> String {
    format!("stat: {msg}\nTry 'stat --help' for more information.\n")
}

fn parse(args: &[OsString]) -> Result<Opts, String> {
    let mut o = Opts {
        format: None,
        printf: false,
        deref: false,
        terse: false,
        files: Vec::new(),
    };
    let mut i = 0;
    let mut operands_only = false;
    while i < args.len() {
        let arg = args[i].to_string_lossy().into_owned();
        i += 1;
        if operands_only || !arg.starts_with('-') || arg == "-" {
            o.files.push(args[i - 1].clone());
            continue;
        }
        let mut next = |name: &str| -> Result<String, String> {
            i += 1;
            args.get(i - 1)
                .map(|a| a.to_string_lossy().into_owned())
                .ok_or_else(|| usage(&format!("option requires an argument -- '{name}'")))
        };
        match arg.as_str() {
            "--" => operands_only = true,
            "-L" | "--dereference" => o.deref = true,
            "-t" | "--terse" => o.terse = true,
            "-c" => o.format = Some(next("c")?),
            "--format" => o.format = Some(next("format")?),
            "--printf" => {
                o.format = Some(next("printf")?);
                o.printf = true;
            }
            a if a.starts_with("--format=") => o.format = Some(a["--format=".len()..].to_owned()),
            a if a.starts_with("--printf=") => {
                o.format = Some(a["--printf=".len()..].to_owned());
                o.printf = true;
            }
            a if a.starts_with("-c") => o.format = Some(a[2..].to_owned()),
            a if !a.starts_with("--") && a[1..].chars().all(|c| c == 'L' || c == 't') => {
                o.deref |= a.contains('L');
                o.terse |= a.contains('t');
            }
            a => return Err(usage(&format!("unrecognized option '{a}'"))),
        }
    }
    if o.files.is_empty() {
        return Err(usage("missing operand"));
    }
    Ok(o)
}

/// Runs `stat` with `args` (`args[0]` is the program name).
pub fn run(args: &[OsString], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    if let Some(text) = crate::about::requested("stat", args.get(1..).unwrap_or_default()) {
        return match stdout.write_all(text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                let _ = writeln!(stderr, "stat: write error: {}", io_reason(&e));
                1
            }
        };
    }
    let o = match parse(args.get(1..).unwrap_or_default()) {
        Ok(o) => o,
        Err(msg) => {
            let _ = stderr.write_all(msg.as_bytes());
            return 1;
        }
    };
    let mut status = 0;
    for f in &o.files {
        let path = Path::new(f);
        let meta = if o.deref {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        };
        let meta = match meta {
            Ok(m) => m,
            Err(e) => {
                let _ = writeln!(
                    stderr,
                    "stat: cannot statx '{}': {}",
                    path.display(),
                    io_reason(&e)
                );
                status = 1;
                continue;
            }
        };
        let info = Info::from_metadata(&meta, path);
        let text = match &o.format {
            Some(fmt) if o.printf => render(&unescape(fmt), path, &info, o.deref),
            Some(fmt) => render(fmt, path, &info, o.deref) + "\n",
            None if o.terse => render(TERSE, path, &info, o.deref),
            // The default report shows names unquoted.
            None => render(DEFAULT, path, &info, o.deref).replacen(
                &render("%N", path, &info, o.deref),
                &render("%N", path, &info, o.deref).replace('\'', ""),
                1,
            ),
        };
        let _ = stdout.write_all(text.as_bytes());
    }
    status
}

/// Expands `--printf` backslash escapes.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some(d @ '0'..='7') => {
                let mut v = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(n) => {
                            v = v * 8 + n;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('?'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Expands the `%` directives of `fmt` for one file.
pub fn render(fmt: &str, path: &Path, info: &Info, deref: bool) -> String {
    let mut out = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut flags = String::new();
        while i < chars.len() && "-0+ #'".contains(chars[i]) {
            flags.push(chars[i]);
            i += 1;
        }
        let mut width = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            width.push(chars[i]);
            i += 1;
        }
        let mut precision: Option<usize> = None;
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let mut p = String::new();
            while i < chars.len() && chars[i].is_ascii_digit() {
                p.push(chars[i]);
                i += 1;
            }
            precision = Some(p.parse().unwrap_or(0));
        }
        // `%Hd`/`%Ld`: major/minor of the device number.
        let mut modifier = None;
        if i < chars.len() && (chars[i] == 'H' || chars[i] == 'L') {
            modifier = Some(chars[i]);
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.extend(&chars[start..]);
            break;
        };
        i += 1;
        let value = match (modifier, conv) {
            (_, '%') => {
                out.push('%');
                continue;
            }
            (Some('H'), 'd') => Value::Num(major(info.dev)),
            (Some('L'), 'd') => Value::Num(minor(info.dev)),
            (None, c) => match directive(c, path, info, deref) {
                Some(v) => v,
                None => {
                    out.extend(&chars[start..i]);
                    continue;
                }
            },
            _ => {
                out.extend(&chars[start..i]);
                continue;
            }
        };
        out.push_str(&pad(value, &flags, width.parse().unwrap_or(0), precision));
    }
    out
}

enum Value {
    Num(u64),
    Text(String),
}

fn pad(v: Value, flags: &str, width: usize, precision: Option<usize>) -> String {
    let (mut s, numeric) = match v {
        Value::Num(n) => (n.to_string(), true),
        Value::Text(t) => (t, false),
    };
    if let (Some(p), false) = (precision, numeric) {
        s = s.chars().take(p).collect();
    }
    let len = s.chars().count();
    if len >= width {
        return s;
    }
    let fill = width - len;
    if flags.contains('-') {
        s + &" ".repeat(fill)
    } else if flags.contains('0') && (numeric || s.bytes().all(|b| b.is_ascii_digit())) {
        "0".repeat(fill) + &s
    } else {
        " ".repeat(fill) + &s
    }
}

fn directive(c: char, path: &Path, info: &Info, deref: bool) -> Option<Value> {
    let t = |v: String| Some(Value::Text(v));
    let n = |v: u64| Some(Value::Num(v));
    match c {
        'n' => t(path.display().to_string()),
        'N' => {
            let mut s = quote(&path.display().to_string());
            if info.kind == Kind::Symlink && !deref {
                if let Ok(target) = std::fs::read_link(path) {
                    s.push_str(&format!(" -> {}", quote(&target.display().to_string())));
                }
            }
            t(s)
        }
        's' => n(info.size),
        'b' => n(info.blocks),
        'B' => n(512),
        'o' => n(info.blksize),
        'F' => t(type_name(info).to_owned()),
        'i' => n(info.ino),
        'h' => n(info.nlink),
        'd' => n(info.dev),
        'D' => t(format!("{:x}", info.dev)),
        'f' => t(format!("{:x}", info.mode)),
        't' | 'T' => t("0".to_owned()),
        'a' => t(format!("{:o}", info.mode & 0o7777)),
        'A' => t(mode_string(info)),
        'u' => n(u64::from(info.uid)),
        'g' => n(u64::from(info.gid)),
        'U' => t(crate::names::user(info.uid)),
        'G' => t(crate::names::group(info.gid)),
        'x' => t(format_time(info.atime)),
        'y' => t(format_time(info.mtime)),
        'z' => t(format_time(info.ctime)),
        'w' => t(info.btime.map_or("-".to_owned(), format_time)),
        'X' => t(info.atime.0.to_string()),
        'Y' => t(info.mtime.0.to_string()),
        'Z' => t(info.ctime.0.to_string()),
        'W' => t(info.btime.map_or(0, |b| b.0).to_string()),
        'm' => t("/".to_owned()),
        _ => None,
    }
}

/// GNU's shell-escape quoting for `%N`: single quotes, `'` as `'\''`.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn type_name(info: &Info) -> &'static str {
    match info.kind {
        Kind::File if info.size == 0 => "regular empty file",
        Kind::File => "regular file",
        Kind::Dir => "directory",
        Kind::Symlink => "symbolic link",
        Kind::Other => match info.mode & 0o170000 {
            0o010000 => "fifo",
            0o140000 => "socket",
            0o020000 => "character special file",
            0o060000 => "block special file",
            _ => "weird file",
        },
    }
}

/// `-rw-r--r--` from the mode bits.
pub fn mode_string(info: &Info) -> String {
    let ty = match info.kind {
        Kind::Dir => 'd',
        Kind::Symlink => 'l',
        Kind::File => '-',
        Kind::Other => match info.mode & 0o170000 {
            0o010000 => 'p',
            0o140000 => 's',
            0o020000 => 'c',
            0o060000 => 'b',
            _ => '?',
        },
    };
    let m = info.mode;
    let mut s = String::from(ty);
    for (i, c) in "rwxrwxrwx".chars().enumerate() {
        s.push(if m & (0o400 >> i) != 0 { c } else { '-' });
    }
    let special = |s: &mut String, idx: usize, bit: u32, set: char, unset: char| {
        if m & bit != 0 {
            let exec = s.as_bytes()[idx] == b'x';
            s.replace_range(idx..=idx, &(if exec { set } else { unset }).to_string());
        }
    };
    special(&mut s, 3, 0o4000, 's', 'S');
    special(&mut s, 6, 0o2000, 's', 'S');
    special(&mut s, 9, 0o1000, 't', 'T');
    s
}

/// Linux `major()` of a device number.
fn major(dev: u64) -> u64 {
    ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff)
}

/// Linux `minor()` of a device number.
fn minor(dev: u64) -> u64 {
    (dev & 0xff) | ((dev >> 12) & !0xff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> Info {
        Info {
            kind: Kind::File,
            size: 4,
            blocks: 8,
            blksize: 4096,
            dev: 65024,
            ino: 7,
            nlink: 1,
            mode: 0o100644,
            uid: 0,
            gid: 0,
            atime: (0, 0),
            mtime: (1_704_164_645, 5),
            ctime: (0, 0),
            btime: None,
        }
    }

    #[test]
    fn directives_with_width_and_flags() {
        let got = render(
            "%n|%s|%-5s|%5s|%04a|%A|%Hd,%Ld|%y|%w|%W|%F|%%|%q",
            Path::new("t/b"),
            &info(),
            false,
        );
        assert_eq!(got, "t/b|4|4    |    4|0644|-rw-r--r--|254,0|2024-01-02 03:04:05.000000005 +0000|-|0|regular file|%|%q");
    }

    #[test]
    fn printf_escapes() {
        assert_eq!(unescape("a\\tb\\n\\101"), "a\tb\nA");
    }

    #[test]
    fn setuid_and_sticky_bits() {
        let mut i = info();
        i.mode = 0o104755;
        assert_eq!(mode_string(&i), "-rwsr-xr-x");
        i.kind = Kind::Dir;
        i.mode = 0o041777;
        assert_eq!(mode_string(&i), "drwxrwxrwt");
    }
}
