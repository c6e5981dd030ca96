//! Command-line parsing, following jq 1.7's `main.c`.
//!
//! Short flags bundle (`-rc`, `-nr`); the first operand is the filter, the
//! rest are input files, or with `--args`/`--jsonargs` positional values.

use crate::input::{Mode, Source};
use crate::print::Format;
use crate::value::{read, Val};
use std::ffi::OsString;
use std::path::PathBuf;

/// Everything the command line asks for.
#[derive(Debug)]
pub struct Options {
    /// The jq program text.
    pub filter: String,
    /// Input files; empty means stdin.
    pub sources: Vec<Source>,
    /// Layout of JSON output.
    pub format: Format,
    /// `-r`: strings without quotes.
    pub raw_output: bool,
    /// `-j`: like `-r`, and no newline after each output.
    pub join_output: bool,
    /// `--raw-output0`: like `-r`, with a NUL after each output.
    pub raw_output0: bool,
    /// `--seq`: write RS (0x1e) before each output.
    pub seq: bool,
    /// `-n`: run the filter once on `null`.
    pub null_input: bool,
    /// `-s`: all inputs as one array (one string with `-R`).
    pub slurp: bool,
    /// `-R`: lines instead of JSON.
    pub input_mode: Mode,
    /// `-e`: exit status from the last output.
    pub exit_status: bool,
    /// `--arg`, `--argjson`, `--slurpfile`, `--rawfile` in order.
    pub named: Vec<(String, Val)>,
    /// `--args` / `--jsonargs` values.
    pub positional: Vec<Val>,
}

/// What to do instead of running a filter.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    /// Print this to stdout and exit 0 (`--help`, `--version`).
    Print(String),
    /// Print this to stderr and exit 2 (usage or file errors).
    Usage(String),
}

/// Short usage text, as `jq --help` prints it (trimmed to what we support).
pub const USAGE: &str = "Usage:\tjq [OPTIONS] FILTER [FILES...]
\tjq [OPTIONS] --args FILTER [ARGUMENTS...]
\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]

jq is a tool for processing JSON inputs, applying the given filter to
its JSON text inputs and producing the filter's results as JSON on
standard output.

Command options:
  -n, --null-input          use `null` as the single input value;
  -R, --raw-input           read each line as string instead of JSON;
  -s, --slurp               read all inputs into an array and use it as
                            the single input value;
  -c, --compact-output      compact instead of pretty-printed output;
  -r, --raw-output          output strings without escapes and quotes;
      --raw-output0         implies -r and output NUL after each output;
  -j, --join-output         implies -r and output without newline after
                            each output;
  -a, --ascii-output        output strings by only ASCII characters
                            using escape sequences;
  -S, --sort-keys           sort keys of each object on output;
  -C, --color-output        accepted; output is never coloured;
  -M, --monochrome-output   disable colored output (the default);
      --tab                 use tabs for indentation;
      --indent n            use n spaces for indentation (max 7 spaces);
      --seq                 write RS before each output;
  -f, --from-file file      load filter from the file;
      --arg name value      set $name to the string value;
      --argjson name value  set $name to the JSON value;
      --slurpfile name file set $name to an array of JSON values read
                            from the file;
      --rawfile name file   set $name to string contents of file;
      --args                consume remaining arguments as positional
                            string values;
      --jsonargs            consume remaining arguments as positional
                            JSON values;
  -e, --exit-status         set exit status code based on the output;
  -V, --version             show the version;
  -h, --help                show the help;
  --                        terminates argument processing;
";

fn usage_error(msg: String) -> Exit {
    Exit::Usage(format!(
        "jq: {msg}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n"
    ))
}

fn lossy(s: &OsString) -> String {
    s.to_string_lossy().into_owned()
}

/// Parses `args` (without the program name).
pub fn parse(args: &[OsString]) -> Result<Options, Exit> {
    let mut o = Options {
        filter: String::new(),
        sources: Vec::new(),
        format: Format::default(),
        raw_output: false,
        join_output: false,
        raw_output0: false,
        seq: false,
        null_input: false,
        slurp: false,
        input_mode: Mode::Json,
        exit_status: false,
        named: Vec::new(),
        positional: Vec::new(),
    };
    let mut filter: Option<String> = None;
    let mut from_file: Option<bool> = None;
    let mut further: Vec<OsString> = Vec::new();
    // What non-option operands after the filter are: files, strings or JSON.
    #[derive(PartialEq)]
    enum Rest {
        Files,
        Args,
        JsonArgs,
    }
    let mut rest = Rest::Files;
    let mut options_done = false;
    let mut i = 0;
    let take = |i: &mut usize, n: usize, flag: &str| -> Result<Vec<String>, Exit> {
        if *i + n >= args.len() {
            let what = if n == 1 {
                "an argument"
            } else {
                "two arguments"
            };
            return Err(usage_error(format!("{flag} takes {what}")));
        }
        let vals = args[*i + 1..=*i + n].iter().map(lossy).collect();
        *i += n;
        Ok(vals)
    };
    while i < args.len() {
        let arg = lossy(&args[i]);
        let is_option = !options_done && arg.starts_with('-') && arg != "-";
        if !is_option {
            if filter.is_none() && from_file != Some(true) {
                filter = Some(arg);
            } else {
                match rest {
                    Rest::Files => further.push(args[i].clone()),
                    Rest::Args => o.positional.push(Val::from(arg)),
                    Rest::JsonArgs => o.positional.push(parse_json_arg(&arg)?),
                }
            }
            i += 1;
            continue;
        }
        if arg == "--" {
            options_done = true;
            i += 1;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            match long {
                "null-input" => o.null_input = true,
                "raw-input" => o.input_mode = Mode::Raw,
                "slurp" => o.slurp = true,
                "compact-output" => o.format.indent = None,
                "raw-output" => o.raw_output = true,
                "raw-output0" => {
                    o.raw_output = true;
                    o.raw_output0 = true;
                }
                "join-output" => {
                    o.raw_output = true;
                    o.join_output = true;
                }
                "ascii-output" => o.format.ascii = true,
                "sort-keys" => o.format.sort_keys = true,
                "color-output" | "monochrome-output" | "unbuffered" => {}
                "tab" => {
                    o.format.tab = true;
                    o.format.indent = Some(1);
                }
                "indent" => {
                    let n = take(&mut i, 1, "--indent")?.remove(0);
                    let n: usize = n
                        .parse()
                        .map_err(|_| usage_error(format!("--indent takes a number, not '{n}'")))?;
                    if n > 7 {
                        return Err(usage_error("Cannot indent more than 7 characters".into()));
                    }
                    o.format.tab = false;
                    o.format.indent = (n > 0).then_some(n);
                }
                "seq" => o.seq = true,
                "exit-status" => o.exit_status = true,
                "from-file" => from_file = Some(true),
                "args" => rest = Rest::Args,
                "jsonargs" => rest = Rest::JsonArgs,
                "arg" => {
                    let v = take(&mut i, 2, "--arg")?;
                    o.named.push((v[0].clone(), Val::from(v[1].clone())));
                }
                "argjson" => {
                    let v = take(&mut i, 2, "--argjson")?;
                    let val = read::parse_single(v[1].as_bytes()).map_err(|_| {
                        usage_error("Invalid JSON text passed to --argjson".to_owned())
                    })?;
                    o.named.push((v[0].clone(), val));
                }
                "slurpfile" | "rawfile" => {
                    let v = take(&mut i, 2, &format!("--{long}"))?;
                    let data = std::fs::read(&v[1]).map_err(|e| {
                        Exit::Usage(format!(
                            "jq: error: Could not open {}: {}\n",
                            v[1],
                            crate::io_reason(&e)
                        ))
                    })?;
                    let val = if long == "rawfile" {
                        Val::from(String::from_utf8_lossy(&data).into_owned())
                    } else {
                        let vals: Result<Vec<Val>, _> = read::parse_many(&data).collect();
                        let vals = vals.map_err(|e| {
                            Exit::Usage(format!(
                                "jq: Bad JSON in --slurpfile {} {}: {}\n",
                                v[0],
                                v[1],
                                e.message()
                            ))
                        })?;
                        vals.into_iter().collect()
                    };
                    o.named.push((v[0].clone(), val));
                }
                "help" => return Err(Exit::Print(USAGE.to_owned())),
                "version" => return Err(Exit::Print("jq-1.7.1\n".to_owned())),
                _ => return Err(usage_error(format!("Unknown option: {arg}"))),
            }
            i += 1;
            continue;
        }
        for c in arg[1..].chars() {
            match c {
                'n' => o.null_input = true,
                'R' => o.input_mode = Mode::Raw,
                's' => o.slurp = true,
                'c' => o.format.indent = None,
                'r' => o.raw_output = true,
                'j' => {
                    o.raw_output = true;
                    o.join_output = true;
                }
                'a' => o.format.ascii = true,
                'S' => o.format.sort_keys = true,
                'C' | 'M' => {}
                'e' => o.exit_status = true,
                'f' => from_file = Some(true),
                'h' => return Err(Exit::Print(USAGE.to_owned())),
                'V' => return Err(Exit::Print("jq-1.7.1\n".to_owned())),
                'L' => {
                    take(&mut i, 1, "-L")?;
                }
                _ => return Err(usage_error(format!("Unknown option: {arg}"))),
            }
        }
        i += 1;
    }
    if from_file == Some(true) {
        // `-f file`: the first operand names the program file; the filter
        // slot, if filled, was really that file.
        let mut operands = filter
            .into_iter()
            .map(OsString::from)
            .chain(further)
            .collect::<Vec<_>>();
        if operands.is_empty() {
            return Err(usage_error(
                "-f takes a parameter: (e.g. -f file.jq)".into(),
            ));
        }
        let path = operands.remove(0);
        let text = std::fs::read(&path).map_err(|e| {
            Exit::Usage(format!(
                "jq: error: Could not open {}: {}\n",
                path.to_string_lossy(),
                crate::io_reason(&e)
            ))
        })?;
        o.filter = String::from_utf8_lossy(&text).into_owned();
        further = operands;
    } else {
        // jq runs `.` when no filter is given and a terminal is not both ends
        // of the pipe; a sandboxed guest never has a terminal.
        o.filter = filter.unwrap_or_else(|| ".".to_owned());
    }
    o.sources = further
        .into_iter()
        .map(|f| {
            if f == "-" {
                Source::Stdin
            } else {
                Source::File(PathBuf::from(f))
            }
        })
        .collect();
    Ok(o)
}

fn parse_json_arg(text: &str) -> Result<Val, Exit> {
    read::parse_single(text.as_bytes())
        .map_err(|_| usage_error("Invalid JSON text passed to --jsonargs".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Options, Exit> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        parse(&args)
    }

    #[test]
    fn bundled_short_flags() {
        let o = parse_strs(&["-rcn", ".a", "f.json"]).unwrap();
        assert!(o.raw_output && o.null_input);
        assert_eq!(o.format.indent, None);
        assert_eq!(o.filter, ".a");
        assert_eq!(o.sources, vec![Source::File("f.json".into())]);
    }

    #[test]
    fn named_and_positional_args() {
        let o = parse_strs(&[
            "--arg",
            "x",
            "1",
            "--argjson",
            "y",
            "{\"a\":2}",
            "-n",
            "$x",
            "--jsonargs",
            "3",
            "[4]",
        ])
        .unwrap();
        assert_eq!(o.named.len(), 2);
        assert_eq!(o.named[0].1.to_string(), "\"1\"");
        assert_eq!(o.named[1].1.to_string(), "{\"a\":2}");
        assert_eq!(o.positional.len(), 2);
    }

    #[test]
    fn unknown_option_is_usage_error() {
        assert!(
            matches!(parse_strs(&["--bogus", "."]), Err(Exit::Usage(m)) if m.contains("Unknown option: --bogus"))
        );
    }

    #[test]
    fn indent_zero_is_compact() {
        let o = parse_strs(&["--indent", "0", "."]).unwrap();
        assert_eq!(o.format.indent, None);
        assert!(parse_strs(&["--indent", "8", "."]).is_err());
    }
}
