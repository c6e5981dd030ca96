//! Command line: `awk [-F fs] [-v var=value]... ['prog' | -f progfile...] [--] [operand]...`

use crate::error::{Error, ErrorKind};
use crate::lexer::Source;
use std::ffi::OsString;
use std::path::PathBuf;

/// What the command line asks for.
pub enum Command {
    /// Run a program.
    Run(Options),
    /// Print help text and exit 0.
    Help,
    /// Print the version and exit 0.
    Version,
}

/// Parsed options for a program run.
pub struct Options {
    /// Program sources (one from the command line, or each `-f` file).
    pub sources: Vec<Source>,
    /// `-v` assignments in order (`-F x` is recorded as `FS=x`).
    pub assigns: Vec<(String, Vec<u8>)>,
    /// Remaining operands: files and `var=value`.
    pub operands: Vec<Vec<u8>>,
}

/// Usage text for `--help` and usage errors.
pub const USAGE: &str = "\
Usage: awk [POSIX or GNU style options] -f progfile [--] file ...
       awk [POSIX or GNU style options] [--] 'program' file ...
Options:
  -f progfile       read the program from progfile (may be repeated)
  -F fs             set the field separator FS (`-F '\\t'` for a tab)
  -v var=value      assign a variable before the program starts
  --                end of options
  --help, -h        show this help
  --version         show the version

Operands of the form var=value are assignments made when they are reached;
`-` means standard input. Commands (`cmd | getline`, `print | cmd`, system())
cannot run in this sandbox.
";

/// Converts argument bytes to an OS path.
pub fn os_path(b: &[u8]) -> PathBuf {
    PathBuf::from(os_string(b))
}

#[cfg(unix)]
fn os_string(b: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(b.to_vec())
}

#[cfg(target_os = "wasi")]
fn os_string(b: &[u8]) -> OsString {
    use std::os::wasi::ffi::OsStringExt;
    OsString::from_vec(b.to_vec())
}

#[cfg(not(any(unix, target_os = "wasi")))]
fn os_string(b: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(b).into_owned())
}

/// Bytes of an OS string.
#[cfg(unix)]
pub fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes().to_vec()
}

/// Bytes of an OS string.
#[cfg(target_os = "wasi")]
pub fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::wasi::ffi::OsStrExt;
    s.as_bytes().to_vec()
}

/// Bytes of an OS string.
#[cfg(not(any(unix, target_os = "wasi")))]
pub fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

/// Processes string escapes in command-line values (`-v`, `-F`, operands), as in string
/// literals: `\n \t \\ \" \/ \ooo ...`; an unknown escape drops the backslash (gawk).
pub fn process_escapes(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            out.push(c);
            continue;
        }
        let e = s[i];
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'x' if i < s.len() && s[i].is_ascii_hexdigit() => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < s.len() && s[i].is_ascii_hexdigit() {
                    v = v * 16 + (s[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + (s[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            other => out.push(other),
        }
    }
    out
}

/// Splits a `name=value` assignment operand; `None` if `arg` is not one.
pub fn split_assignment(arg: &[u8]) -> Option<(&str, &[u8])> {
    let eq = arg.iter().position(|&c| c == b'=')?;
    let name = std::str::from_utf8(&arg[..eq]).ok()?;
    let mut chars = name.chars();
    let first = chars.next()?;
    if !(first == '_' || first.is_ascii_alphabetic()) {
        return None;
    }
    if !chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((name, &arg[eq + 1..]))
}

fn usage_error(msg: String) -> Error {
    let short: String = USAGE.lines().take(2).collect::<Vec<_>>().join("\n");
    Error::new(ErrorKind::Usage(format!(
        "{msg}\n{short}\nTry `awk --help' for more information."
    )))
}

/// The error for a `-v` argument that is not an assignment, as gawk words and ranks
/// it: without `=` it is a usage error (status 1), with a bad name a fatal one (2).
fn bad_assignment(arg: &[u8]) -> Error {
    let arg = String::from_utf8_lossy(arg);
    match arg.split_once('=') {
        None => usage_error(format!("`{arg}' argument to `-v' not in `var=value' form")),
        Some((name, _)) => Error::runtime(0, format!("`{name}' is not a legal variable name")),
    }
}

/// The value of an option given either attached (`-Ffs`) or as the next argument.
fn option_value(
    args: &[Vec<u8>],
    i: &mut usize,
    attached: &[u8],
    opt: &str,
) -> Result<Vec<u8>, Error> {
    if !attached.is_empty() {
        return Ok(attached.to_vec());
    }
    *i += 1;
    args.get(*i)
        .cloned()
        .ok_or_else(|| usage_error(format!("option requires an argument -- {opt}")))
}

/// Parses the arguments after argv[0].
pub fn parse_args(args: &[Vec<u8>]) -> Result<Command, Error> {
    let mut assigns = Vec::new();
    let mut progfiles: Vec<Vec<u8>> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == b"--" {
            i += 1;
            break;
        }
        if a == b"--help" || a == b"-h" {
            return Ok(Command::Help);
        }
        if a == b"--version" || a == b"-V" {
            return Ok(Command::Version);
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        match a[1] {
            b'F' => {
                let v = option_value(args, &mut i, &a[2..], "F")?;
                assigns.push(("FS".to_string(), v));
            }
            b'v' => {
                let v = option_value(args, &mut i, &a[2..], "v")?;
                match split_assignment(&v) {
                    Some((name, value)) => assigns.push((name.to_string(), value.to_vec())),
                    None => return Err(bad_assignment(&v)),
                }
            }
            b'f' => {
                let v = option_value(args, &mut i, &a[2..], "f")?;
                progfiles.push(v);
            }
            b'-' => {
                return Err(usage_error(format!(
                    "unrecognized option `{}'",
                    String::from_utf8_lossy(a)
                )))
            }
            _ => return Err(usage_error(format!("unknown option -{}", a[1] as char))),
        }
        i += 1;
    }
    let mut sources = Vec::new();
    if progfiles.is_empty() {
        let Some(text) = args.get(i) else {
            return Err(usage_error("no program text given".into()));
        };
        sources.push(Source {
            name: "cmd. line".into(),
            text: text.clone(),
        });
        i += 1;
    } else {
        for f in progfiles {
            let name = String::from_utf8_lossy(&f).into_owned();
            let text = if f == b"-" || f == b"/dev/stdin" {
                let mut v = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut v).map_err(|e| {
                    Error::new(ErrorKind::Io {
                        what: "cannot read program from standard input".into(),
                        err: e,
                    })
                })?;
                v
            } else {
                std::fs::read(os_path(&f)).map_err(|e| {
                    Error::new(ErrorKind::Io {
                        what: format!("cannot open source file `{name}' for reading"),
                        err: e,
                    })
                })?
            };
            sources.push(Source { name, text });
        }
    }
    Ok(Command::Run(Options {
        sources,
        assigns,
        operands: args[i.min(args.len())..].to_vec(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<Vec<u8>> {
        v.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn options_and_operands() {
        let Command::Run(o) =
            parse_args(&args(&["-F:", "-v", "x=1", "{print}", "f", "y=2"])).unwrap()
        else {
            panic!("expected a run");
        };
        assert_eq!(
            o.assigns,
            vec![("FS".into(), b":".to_vec()), ("x".into(), b"1".to_vec())]
        );
        assert_eq!(o.sources[0].text, b"{print}");
        assert_eq!(o.operands, args(&["f", "y=2"]));
    }

    #[test]
    fn tab_shorthand_and_errors() {
        let Command::Run(o) = parse_args(&args(&["-Ft", "1"])).unwrap() else {
            panic!("expected a run");
        };
        // gawk takes `-Ft` literally (only --posix makes it a tab).
        assert_eq!(o.assigns[0].1, b"t");
        assert!(parse_args(&args(&["-q", "1"])).is_err());
        assert!(parse_args(&args(&[])).is_err());
        let status = |a: &[&str]| parse_args(&args(a)).err().map(|e| e.exit_status());
        assert_eq!(status(&["-v", "1x=2", "1"]), Some(2));
        assert_eq!(status(&["-v", "x", "1"]), Some(1));
        assert_eq!(status(&["-q", "1"]), Some(1));
    }

    #[test]
    fn escapes() {
        assert_eq!(process_escapes(br"a\tb\\c\101\q"), b"a\tb\\cAq");
    }
}
