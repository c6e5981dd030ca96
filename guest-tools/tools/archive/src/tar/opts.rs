//! GNU tar's command line: `-cvzf a.tgz dir`, old-style `tar czf a.tgz dir`
//! (the first word is bundled letters, whose arguments follow in order),
//! and long options (`--file=a.tar`, `--strip-components=1`).

use std::ffi::OsString;

/// The operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `-c`
    Create,
    /// `-x`
    Extract,
    /// `-t`
    List,
}

/// Parsed command line.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The operation (required).
    pub mode: Option<Mode>,
    /// `-f`: archive path, `-` (the default) for stdin/stdout.
    pub file: Option<String>,
    /// `-z`: gzip the archive (detected automatically when reading).
    pub gzip: bool,
    /// `-v` count: 1 lists names, 2 long listings.
    pub verbose: u8,
    /// `-C`: directory to work in.
    pub directory: Option<String>,
    /// `-O`: extract file contents to stdout.
    pub to_stdout: bool,
    /// `--strip-components=N`.
    pub strip: usize,
    /// `-k`: do not overwrite existing files.
    pub keep_old: bool,
    /// `--exclude=PATTERN`: names to leave out (see [`super::exclude`]).
    pub exclude: Vec<String>,
    /// `-X`/`--exclude-from=FILE`: files of patterns, one per line.
    pub exclude_from: Vec<String>,
    /// Member or file operands.
    pub names: Vec<String>,
}

/// Usage error text, GNU style.
pub fn usage(msg: &str) -> String {
    format!("tar: {msg}\nTry 'tar --help' or 'tar --usage' for more information.\n")
}

fn set_mode(o: &mut Options, m: Mode) -> Result<(), String> {
    if o.mode.is_some_and(|old| old != m) {
        return Err(usage(
            "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
        ));
    }
    o.mode = Some(m);
    Ok(())
}

/// Applies one short option letter; `value` yields its argument if it takes one.
fn short(
    o: &mut Options,
    c: char,
    value: &mut dyn FnMut() -> Option<String>,
) -> Result<(), String> {
    let mut need = |name: char| {
        value().ok_or_else(|| usage(&format!("option requires an argument -- '{name}'")))
    };
    match c {
        'c' => set_mode(o, Mode::Create)?,
        'x' => set_mode(o, Mode::Extract)?,
        't' => set_mode(o, Mode::List)?,
        'z' => o.gzip = true,
        'v' => o.verbose += 1,
        'O' => o.to_stdout = true,
        'k' => o.keep_old = true,
        'p' | 'o' | 'm' => {}
        'f' => o.file = Some(need('f')?),
        'C' => o.directory = Some(need('C')?),
        'X' => o.exclude_from.push(need('X')?),
        c => return Err(usage(&format!("invalid option -- '{c}'"))),
    }
    Ok(())
}

/// Parses tar's arguments (without the program name).
pub fn parse(args: &[OsString]) -> Result<Options, String> {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut o = Options::default();
    let mut i = 0;
    // Old style: a first word without a dash is a bundle of letters.
    if let Some(first) = args.first() {
        if !first.starts_with('-') && !first.is_empty() {
            i = 1;
            for c in first.chars() {
                let mut value = || {
                    let v = args.get(i).cloned();
                    i += 1;
                    v
                };
                short(&mut o, c, &mut value)?;
            }
        }
    }
    let mut operands_only = false;
    while i < args.len() {
        let arg = args[i].clone();
        i += 1;
        if operands_only || !arg.starts_with('-') || arg == "-" {
            o.names.push(arg);
            continue;
        }
        if arg == "--" {
            operands_only = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let mut value = || -> Result<String, String> {
                if let Some(v) = inline.clone() {
                    return Ok(v);
                }
                let v = args
                    .get(i)
                    .cloned()
                    .ok_or_else(|| usage(&format!("option '--{name}' requires an argument")))?;
                i += 1;
                Ok(v)
            };
            match name {
                "create" => set_mode(&mut o, Mode::Create)?,
                "extract" | "get" => set_mode(&mut o, Mode::Extract)?,
                "list" => set_mode(&mut o, Mode::List)?,
                "gzip" | "gunzip" | "ungzip" => o.gzip = true,
                "verbose" => o.verbose += 1,
                "to-stdout" => o.to_stdout = true,
                "keep-old-files" => o.keep_old = true,
                "preserve-permissions"
                | "same-permissions"
                | "no-same-owner"
                | "same-owner"
                | "touch" => {}
                "file" => o.file = Some(value()?),
                "directory" => o.directory = Some(value()?),
                "exclude" => o.exclude.push(value()?),
                "exclude-from" => o.exclude_from.push(value()?),
                "strip-components" => {
                    let v = value()?;
                    o.strip = v
                        .parse()
                        .map_err(|_| usage(&format!("Invalid number of elements: '{v}'")))?;
                }
                "help" => return Err(String::new()),
                _ => return Err(usage(&format!("unrecognized option '{arg}'"))),
            }
            continue;
        }
        let letters: Vec<char> = arg[1..].chars().collect();
        let mut j = 0;
        while j < letters.len() {
            let c = letters[j];
            j += 1;
            // `-fNAME` / `-CDIR`: the rest of the word is the argument.
            let rest: String = letters[j..].iter().collect();
            let takes = matches!(c, 'f' | 'C' | 'X');
            let mut value = || {
                if takes && !rest.is_empty() {
                    Some(rest.clone())
                } else {
                    let v = args.get(i).cloned();
                    i += 1;
                    v
                }
            };
            short(&mut o, c, &mut value)?;
            if takes {
                break;
            }
        }
    }
    if o.mode.is_none() {
        return Err(usage(
            "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
        ));
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &[&str]) -> Result<Options, String> {
        parse(&a.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn old_style_bundles() {
        let o = p(&["czf", "a.tgz", "dir", "x"]).unwrap();
        assert_eq!(o.mode, Some(Mode::Create));
        assert!(o.gzip);
        assert_eq!(o.file.as_deref(), Some("a.tgz"));
        assert_eq!(o.names, ["dir", "x"]);
        let o = p(&["xfC", "a.tar", "out"]).unwrap();
        assert_eq!(
            (o.file.as_deref(), o.directory.as_deref()),
            (Some("a.tar"), Some("out"))
        );
    }

    #[test]
    fn dash_style_and_long() {
        let o = p(&["-xzvf", "a.tgz", "-C", "d", "--strip-components=2", "m"]).unwrap();
        assert_eq!(o.mode, Some(Mode::Extract));
        assert_eq!((o.verbose, o.strip), (1, 2));
        assert_eq!(o.directory.as_deref(), Some("d"));
        assert_eq!(o.names, ["m"]);
        let o = p(&["--list", "--file", "a.tar", "-vv"]).unwrap();
        assert_eq!((o.mode, o.verbose), (Some(Mode::List), 2));
        let o = p(&[
            "czf",
            "a.tgz",
            "--exclude=*.csv",
            "--exclude",
            "b",
            "-Xlist",
            "d",
        ])
        .unwrap();
        assert_eq!(o.exclude, ["*.csv", "b"]);
        assert_eq!(o.exclude_from, ["list"]);
        assert_eq!(o.names, ["d"]);
        assert!(p(&["-cx"]).is_err());
        assert!(p(&["-f", "a"]).is_err());
    }
}
