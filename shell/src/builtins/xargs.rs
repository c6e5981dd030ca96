//! `xargs [OPTION]… [COMMAND [INITIAL-ARGS]…]`, as GNU findutils 4.9
//! behaves: builds command lines from items read from stdin (or `-a
//! FILE`) and runs them as programs (default `echo`), with stdin from
//! nothing.
//!
//! Statuses: 123 if a command exited 1–125, 124 if one exited 255 (xargs
//! stops), 125 if one was killed, 126 if one cannot run, 127 if one is
//! missing, 1 for xargs' own errors. `-P` is accepted but commands run
//! one at a time, so output never interleaves; `-p` and `-o` need a
//! terminal, which a sandbox does not have.

mod input;

use super::gnu_getopt::{self as getopt, long, HasArg, LongOpt};
use super::program::{self, Launch, Outcome};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::io::Input;
use input::{Reader, Token};
use wasm_agent_vfs::OpenOptions;

/// GNU's default command buffer: 128 KiB.
const DEFAULT_ARG_MAX: usize = 128 * 1024;
/// `ARG_MAX` less GNU's 2 KiB of headroom (Linux's 2 MiB stack limit / 4).
const POSIX_ARG_MAX: usize = 2 * 1024 * 1024 - 2048;

const LONG: &[LongOpt] = &[
    long("null", HasArg::No, '0'),
    long("arg-file", HasArg::Required, 'a'),
    long("delimiter", HasArg::Required, 'd'),
    long("eof", HasArg::Optional, 'e'),
    long("replace", HasArg::Optional, 'I'),
    long("max-lines", HasArg::Optional, 'l'),
    long("max-args", HasArg::Required, 'n'),
    long("open-tty", HasArg::No, 'o'),
    long("interactive", HasArg::No, 'p'),
    long("no-run-if-empty", HasArg::No, 'r'),
    long("max-chars", HasArg::Required, 's'),
    long("verbose", HasArg::No, 't'),
    long("show-limits", HasArg::No, 'S'),
    long("exit", HasArg::No, 'x'),
    long("max-procs", HasArg::Required, 'P'),
    long("process-slot-var", HasArg::Required, 'X'),
    long("version", HasArg::No, 'v'),
    long("help", HasArg::No, 'h'),
];

const HELP: &str = "\
Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...
Run COMMAND with arguments INITIAL-ARGS and more arguments read from input.

Mandatory and optional arguments to long options are also
mandatory or optional for the corresponding short option.
  -0, --null                   items are separated by a null, not whitespace;
                                 disables quote and backslash processing and
                                 logical EOF processing
  -a, --arg-file=FILE          read arguments from FILE, not standard input
  -d, --delimiter=CHARACTER    items in input stream are separated by CHARACTER,
                                 not by whitespace; disables quote and backslash
                                 processing and logical EOF processing
  -E END                       set logical EOF string; if END occurs as a line
                                 of input, the rest of the input is ignored
                                 (ignored if -0 or -d was specified)
  -e, --eof[=END]              equivalent to -E END if END is specified;
                                 otherwise, there is no end-of-file string
  -I R                         same as --replace=R
  -i, --replace[=R]            replace R in INITIAL-ARGS with names read
                                 from standard input, split at newlines;
                                 if R is unspecified, assume {}
  -L, --max-lines=MAX-LINES    use at most MAX-LINES non-blank input lines per
                                 command line
  -l[MAX-LINES]                similar to -L but defaults to at most one non-
                                 blank input line if MAX-LINES is not specified
  -n, --max-args=MAX-ARGS      use at most MAX-ARGS arguments per command line
  -o, --open-tty               Reopen stdin as /dev/tty in the child process
                                 before executing the command; useful to run an
                                 interactive application.
  -P, --max-procs=MAX-PROCS    run at most MAX-PROCS processes at a time
  -p, --interactive            prompt before running commands
      --process-slot-var=VAR   set environment variable VAR in child processes
  -r, --no-run-if-empty        if there are no arguments, then do not run COMMAND;
                                 if this option is not given, COMMAND will be
                                 run at least once
  -s, --max-chars=MAX-CHARS    limit length of command line to MAX-CHARS
      --show-limits            show limits on command-line length
  -t, --verbose                print commands before executing them
  -x, --exit                   exit if the size (see -s) is exceeded
      --help                   display this help and exit
      --version                output version information and exit
";

const VERSION: &str = "xargs (GNU findutils) 4.9.0\n";

/// Parsed options.
#[derive(Debug, Default)]
struct Options {
    delimiter: Option<u8>,
    arg_file: Option<String>,
    eof_str: Option<String>,
    replace: Option<String>,
    max_lines: usize,
    max_args: usize,
    max_chars: Option<usize>,
    no_run_if_empty: bool,
    verbose: bool,
    interactive: bool,
    open_tty: bool,
    exit_if_too_big: bool,
    show_limits: bool,
    slot_var: Option<String>,
}

/// Why xargs stops early: its exit status (the message is printed).
struct Stop(i32);

/// `xargs`: runs a program with arguments read from input.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let env_size: usize = sh
            .state
            .vars
            .environment()
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum();
        let posix_max = POSIX_ARG_MAX.saturating_sub(env_size);
        let (options, first) = match parse_options(sh, &argv[1..], posix_max).await {
            Ok(Parsed::Run(options, first)) => (options, first),
            Ok(Parsed::Print(text)) => {
                let ok = sh.out("xargs", text.as_bytes()).await?;
                return done(if ok { 0 } else { 1 });
            }
            Err(Stop(status)) => return done(status),
        };
        let mut command: Vec<String> = argv[1 + first..].to_vec();
        if command.is_empty() {
            command.push("echo".to_string());
        }
        let arg_max = options.max_chars.unwrap_or(DEFAULT_ARG_MAX);
        if options.show_limits {
            let text = format!(
                "Your environment variables take up {env_size} bytes\n\
                 POSIX upper limit on argument length (this system): {posix_max}\n\
                 POSIX smallest allowable upper limit on argument length (all systems): 4096\n\
                 Maximum length of command we could actually use: {}\n\
                 Size of command buffer we are actually using: {arg_max}\n\
                 Maximum parallelism (--max-procs must be no greater): 2147483647\n",
                posix_max.saturating_sub(env_size)
            );
            let _ = sh.state.fds.stderr().write_all(text.as_bytes()).await;
        }
        let input = match &options.arg_file {
            None => sh.state.fds.stdin(),
            Some(file) => {
                let path = sh.absolute_path(file);
                match sh.env.fs.open(&path, OpenOptions::read()).await {
                    Ok(handle) => Input::file(handle),
                    Err(err) => {
                        let message = format!("Cannot open input file '{file}': {}", err.errno());
                        message_line(sh, &message).await;
                        return done(1);
                    }
                }
            }
        };
        let initial: usize = command.iter().map(|a| a.len() + 1).sum();
        let max_len = if options.replace.is_some() {
            arg_max.saturating_sub(1)
        } else {
            arg_max.saturating_sub(initial + 1)
        };
        let reader = Reader::new(
            input,
            options.delimiter,
            options.replace.is_some(),
            options.eof_str.clone(),
            max_len,
        );
        let mut run = Run {
            options,
            command,
            arg_max,
            initial,
            args: Vec::new(),
            chars: initial,
            executed: 0,
            status: 0,
            nul_warned: false,
        };
        let status = match run.drive(sh, reader).await? {
            Ok(()) => run.status,
            Err(Stop(status)) => status,
        };
        done(status)
    })
}

/// What the options ask for.
enum Parsed {
    /// Run commands; operands start at this index.
    Run(Options, usize),
    /// Print this (`--help`, `--version`) and stop.
    Print(&'static str),
}

/// Parses xargs' options, printing GNU's warnings and errors.
async fn parse_options(sh: &mut Interp, args: &[String], posix_max: usize) -> Result<Parsed, Stop> {
    let (parsed, first) = match getopt::parse(args, "0a:E:e::i::I:l::L:n:oprs:txP:d:", LONG) {
        Ok(parsed) => parsed,
        Err(err) => {
            message_line(sh, &err.0).await;
            try_help(sh).await;
            return Err(Stop(1));
        }
    };
    let mut o = Options::default();
    for (key, value) in parsed {
        let text = value.clone().unwrap_or_default();
        match key {
            '0' => o.delimiter = Some(0),
            'd' => match delimiter(&text) {
                Ok(byte) => o.delimiter = Some(byte),
                Err(message) => {
                    message_line(sh, &message).await;
                    return Err(Stop(1));
                }
            },
            'a' => o.arg_file = Some(text),
            'E' | 'e' => o.eof_str = value.filter(|v| !v.is_empty()),
            'I' | 'i' => {
                if o.max_args != 0 {
                    exclusive(sh, "--replace/-I/-i", "--max-args").await;
                    o.max_args = 0;
                }
                if o.max_lines != 0 {
                    exclusive(sh, "--replace/-I/-i", "--max-lines").await;
                    o.max_lines = 0;
                }
                o.replace = Some(value.unwrap_or_else(|| "{}".to_string()));
            }
            'L' | 'l' => {
                o.max_lines = match value {
                    Some(v) => number(sh, &v, key, 1, None, true).await?,
                    None => 1,
                };
                let name = if key == 'L' { "-L" } else { "--max-lines/-l" };
                if o.max_args != 0 {
                    exclusive(sh, name, "--max-args").await;
                    o.max_args = 0;
                }
                if o.replace.is_some() {
                    exclusive(sh, name, "--replace").await;
                    o.replace = None;
                }
            }
            'n' => {
                o.max_args = number(sh, &text, 'n', 1, None, true).await?;
                if o.max_lines != 0 {
                    exclusive(sh, "--max-args/-n", "--max-lines").await;
                    o.max_lines = 0;
                }
                if o.replace.is_some() {
                    // `-I {} -n1` is common and harmless: -I implies it.
                    if o.max_args == 1 {
                        o.max_args = 0;
                    } else {
                        exclusive(sh, "--max-args/-n", "--replace").await;
                        o.replace = None;
                    }
                }
            }
            's' => o.max_chars = Some(number(sh, &text, 's', 1, Some(posix_max), false).await?),
            'P' => {
                number(sh, &text, 'P', 0, Some(i32::MAX as usize), true).await?;
            }
            'X' => {
                if text.contains('=') {
                    let message =
                        "option --process-slot-var may not be set to a value which includes `='";
                    message_line(sh, message).await;
                    return Err(Stop(1));
                }
                o.slot_var = Some(text);
            }
            'r' => o.no_run_if_empty = true,
            't' => o.verbose = true,
            'p' => {
                o.interactive = true;
                o.verbose = true;
            }
            'o' => o.open_tty = true,
            'x' => o.exit_if_too_big = true,
            'S' => o.show_limits = true,
            'h' => return Ok(Parsed::Print(HELP)),
            'v' => return Ok(Parsed::Print(VERSION)),
            _ => {}
        }
    }
    if o.eof_str.is_some() && o.delimiter.is_some() {
        message_line(
            sh,
            "warning: the -E option has no effect if -0 or -d is used.\n",
        )
        .await;
    }
    if o.replace.is_some() || o.max_lines != 0 {
        o.exit_if_too_big = true;
    }
    Ok(Parsed::Run(o, first))
}

/// GNU's `parse_num`: a decimal number of at least `min` (and at most
/// `max`); out of range is an error when `fatal`, else clamped.
async fn number(
    sh: &mut Interp,
    text: &str,
    option: char,
    min: usize,
    max: Option<usize>,
    fatal: bool,
) -> Result<usize, Stop> {
    let Ok(value) = text.trim_start().parse::<i64>() else {
        message_line(
            sh,
            &format!("invalid number \"{text}\" for -{option} option"),
        )
        .await;
        try_help(sh).await;
        return Err(Stop(1));
    };
    let (bound, message) = if value < min as i64 {
        (
            min,
            format!("value {text} for -{option} option should be >= {min}"),
        )
    } else if let Some(max) = max.filter(|&max| value > max as i64) {
        (
            max,
            format!("value {text} for -{option} option should be <= {max}"),
        )
    } else {
        return Ok(value as usize);
    };
    message_line(sh, &message).await;
    if fatal {
        try_help(sh).await;
        return Err(Stop(1));
    }
    Ok(bound)
}

/// The byte of `-d`: one character or a backslash escape.
fn delimiter(spec: &str) -> Result<u8, String> {
    let bytes = spec.as_bytes();
    if bytes.len() == 1 {
        return Ok(bytes[0]);
    }
    let invalid = || {
        format!(
            "Invalid input delimiter specification {spec}: the delimiter must be either a single character or an escape sequence starting with \\."
        )
    };
    let Some(escape) = spec.strip_prefix('\\') else {
        return Err(invalid());
    };
    let bad = || format!("Invalid escape sequence {spec} in input delimiter specification.");
    let value = match escape {
        "a" => 7,
        "b" => 8,
        "f" => 12,
        "n" => b'\n',
        "r" => b'\r',
        "t" => b'\t',
        "v" => 11,
        "\\" => b'\\',
        _ => {
            let (digits, radix) = match escape.strip_prefix('x') {
                Some(hex) => (hex, 16),
                None => (escape, 8),
            };
            let value = u32::from_str_radix(digits, radix).map_err(|_| bad())?;
            u8::try_from(value).map_err(|_| bad())?
        }
    };
    Ok(value)
}

/// The state of a run: the command line being built and the outcome.
struct Run {
    options: Options,
    command: Vec<String>,
    arg_max: usize,
    /// Bytes of the command and its initial arguments (each + 1).
    initial: usize,
    args: Vec<String>,
    chars: usize,
    executed: usize,
    status: i32,
    nul_warned: bool,
}

impl Run {
    /// Reads all input and runs the commands it makes.
    async fn drive(&mut self, sh: &mut Interp, mut reader: Reader) -> Exec<Result<(), Stop>> {
        if self.options.replace.is_none() && self.initial > self.arg_max {
            message_line(
                sh,
                "cannot fit single argument within argument list size limit",
            )
            .await;
            return Ok(Err(Stop(1)));
        }
        let mut lines = 0;
        loop {
            let token = reader.next().await;
            if reader.saw_nul && !self.nul_warned {
                self.nul_warned = true;
                message_line(sh, "WARNING: a NUL character occurred in the input.  It cannot be passed through in the argument list.  Did you mean to use the --null option?").await;
            }
            let token = match token {
                Ok(token) => token,
                Err(err) => {
                    // GNU runs what it has read, unless it promised whole
                    // lines or exact sizes.
                    if self.options.replace.is_none()
                        && !self.args.is_empty()
                        && !self.options.exit_if_too_big
                    {
                        if let Err(stop) = self.exec(sh).await? {
                            return Ok(Err(stop));
                        }
                    }
                    message_line(sh, &err.message()).await;
                    return Ok(Err(Stop(1)));
                }
            };
            let step = match token {
                Token::Eof => break,
                Token::Arg(arg) => match &self.options.replace {
                    Some(pattern) => {
                        let pattern = pattern.clone();
                        self.exec_replaced(sh, &pattern, &arg).await?
                    }
                    None => self.push(sh, arg).await?,
                },
                Token::LineEnd { counts } => {
                    lines += usize::from(counts);
                    if self.options.max_lines != 0 && lines >= self.options.max_lines {
                        lines = 0;
                        if self.options.replace.is_none() {
                            self.exec(sh).await?
                        } else {
                            Ok(())
                        }
                    } else {
                        Ok(())
                    }
                }
            };
            if let Err(stop) = step {
                return Ok(Err(stop));
            }
        }
        if self.options.replace.is_none()
            && (!self.args.is_empty() || (!self.options.no_run_if_empty && self.executed == 0))
        {
            return self.exec(sh).await;
        }
        Ok(Ok(()))
    }

    /// Adds an item to the command line, running the line first if the
    /// item does not fit (GNU's `bc_push_arg`).
    async fn push(&mut self, sh: &mut Interp, arg: String) -> Exec<Result<(), Stop>> {
        let len = arg.len() + 1;
        if self.chars + len > self.arg_max {
            if self.args.is_empty() {
                message_line(
                    sh,
                    "cannot fit single argument within argument list size limit",
                )
                .await;
                return Ok(Err(Stop(1)));
            }
            if self.options.exit_if_too_big
                && (self.options.max_lines != 0 || self.options.max_args != 0)
            {
                message_line(sh, "argument list too long").await;
                return Ok(Err(Stop(1)));
            }
            if let Err(stop) = self.exec(sh).await? {
                return Ok(Err(stop));
            }
        }
        self.chars += len;
        self.args.push(arg);
        // Enough items: run now (GNU does not wait for the next one).
        if self.options.max_args != 0 && self.args.len() == self.options.max_args {
            return self.exec(sh).await;
        }
        Ok(Ok(()))
    }

    /// `-I`: runs the command with `pattern` replaced by `line` in its
    /// initial arguments (not in the command name, as in GNU).
    async fn exec_replaced(
        &mut self,
        sh: &mut Interp,
        pattern: &str,
        line: &str,
    ) -> Exec<Result<(), Stop>> {
        let mut argv = vec![self.command[0].clone()];
        argv.extend(self.command[1..].iter().map(|a| a.replace(pattern, line)));
        let size: usize = argv.iter().map(|a| a.len() + 1).sum();
        if size > self.arg_max {
            message_line(sh, "argument list too long").await;
            return Ok(Err(Stop(1)));
        }
        self.start(sh, argv).await
    }

    /// Runs the command line built so far.
    async fn exec(&mut self, sh: &mut Interp) -> Exec<Result<(), Stop>> {
        let mut argv = self.command.clone();
        argv.append(&mut self.args);
        self.chars = self.initial;
        self.start(sh, argv).await
    }

    /// Starts one command and takes its outcome into account.
    async fn start(&mut self, sh: &mut Interp, argv: Vec<String>) -> Exec<Result<(), Stop>> {
        self.executed += 1;
        if self.options.verbose {
            let shown: Vec<String> = argv.iter().map(|a| shell_quote(a)).collect();
            let line = if self.options.interactive {
                format!("{} ?...", shown.join(" "))
            } else {
                format!("{}\n", shown.join(" "))
            };
            let _ = sh.state.fds.stderr().write_all(line.as_bytes()).await;
        }
        if self.options.interactive {
            message_line(
                sh,
                "failed to open /dev/tty for reading: No such device or address",
            )
            .await;
            return Ok(Err(Stop(1)));
        }
        if self.options.open_tty {
            message_line(sh, "'/dev/tty': No such device or address").await;
            return Ok(Err(Stop(1)));
        }
        let env = self.options.slot_var.as_ref().map(|name| {
            let mut env = sh.state.vars.environment();
            env.retain(|(n, _)| n != name);
            env.push((name.clone(), "0".to_string()));
            env
        });
        let name = argv[0].clone();
        let launch = Launch {
            env,
            // Commands read nothing, unless the items came from a file.
            stdin: self.options.arg_file.is_none().then_some(Input::Empty),
            ..Launch::default()
        };
        let (message, status) = match program::run(sh, argv, launch).await? {
            Outcome::Exited(0) => return Ok(Ok(())),
            Outcome::Exited(255) => (format!("{name}: exited with status 255; aborting"), 124),
            Outcome::Exited(_) => {
                self.status = 123;
                return Ok(Ok(()));
            }
            Outcome::Signaled(signal) => (format!("{name}: terminated by signal {signal}"), 125),
            Outcome::TimedOut => (format!("{name}: terminated by signal 15"), 125),
            Outcome::NotFound => (format!("{name}: No such file or directory"), 127),
            Outcome::NotExecutable => (format!("{name}: Permission denied"), 126),
            Outcome::Failed(why) => (format!("{name}: {why}"), 126),
        };
        message_line(sh, &message).await;
        Ok(Err(Stop(status)))
    }
}

/// How GNU xargs shows an argument in `-t` output (gnulib's shell-escape
/// quoting in the C locale): as is when nothing in it is special to the
/// shell, else quoted, with unprintable bytes as `$'\ooo'`.
fn shell_quote(arg: &str) -> String {
    if arg.is_empty() {
        return "''".to_string();
    }
    let bytes = arg.as_bytes();
    let printable = |b: u8| (0x20..0x7f).contains(&b);
    let special = |i: usize, b: u8| match b {
        b' ' | b'!' | b'"' | b'$' | b'&' | b'(' | b')' | b'*' | b';' | b'<' | b'=' | b'>'
        | b'[' | b'^' | b'`' | b'|' | b'\'' | b'\\' | b'?' => true,
        b'#' | b'~' => i == 0,
        b'{' | b'}' => bytes.len() == 1,
        _ => !printable(b),
    };
    if !bytes.iter().enumerate().any(|(i, &b)| special(i, b)) {
        return arg.to_string();
    }
    let double_quotable = bytes.contains(&b'\'')
        && bytes
            .iter()
            .all(|&b| printable(b) && !matches!(b, b'"' | b'$' | b'`' | b'\\' | b'!'));
    if double_quotable {
        return format!("\"{arg}\"");
    }
    let mut out = String::from("'");
    let mut in_escape = false;
    for &b in bytes {
        if printable(b) {
            if in_escape {
                out.push_str("''");
                in_escape = false;
            }
            if b == b'\'' {
                out.push_str("'\\''");
            } else {
                out.push(b as char);
            }
        } else {
            if !in_escape {
                out.push_str("'$'");
                in_escape = true;
            }
            match b {
                b'\t' => out.push_str("\\t"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                _ => out.push_str(&format!("\\{b:03o}")),
            }
        }
    }
    out.push('\'');
    out
}

/// A GNU-style warning that two options exclude each other.
async fn exclusive(sh: &mut Interp, option: &str, offending: &str) {
    let message = format!(
        "warning: options {offending} and {option} are mutually exclusive, ignoring previous {offending} value"
    );
    message_line(sh, &message).await;
}

/// `xargs: message` on stderr.
async fn message_line(sh: &mut Interp, message: &str) {
    let line = format!("xargs: {message}\n");
    let _ = sh.state.fds.stderr().write_all(line.as_bytes()).await;
}

async fn try_help(sh: &mut Interp) {
    let _ = sh
        .state
        .fds
        .stderr()
        .write_all(b"Try 'xargs --help' for more information.\n")
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_verbose_output_like_gnu() {
        let cases = [
            ("plain", "plain"),
            ("it's", "\"it's\""),
            ("a b", "'a b'"),
            ("", "''"),
            ("x\ty", "'x'$'\\t''y'"),
            ("~home", "'~home'"),
            ("a=b", "'a=b'"),
            ("#x", "'#x'"),
            ("x#", "x#"),
            ("*", "'*'"),
            ("$v", "'$v'"),
            ("é", "''$'\\303\\251'"),
            ("a'$", "'a'\\''$'"),
        ];
        for (arg, shown) in cases {
            assert_eq!(shell_quote(arg), shown, "{arg:?}");
        }
    }

    #[test]
    fn delimiters_like_gnu() {
        assert_eq!(delimiter(","), Ok(b','));
        assert_eq!(delimiter("\\n"), Ok(b'\n'));
        assert_eq!(delimiter("\\x78"), Ok(b'x'));
        assert_eq!(delimiter("\\061"), Ok(b'1'));
        assert_eq!(delimiter("\\0"), Ok(0));
        assert!(delimiter("ab").is_err());
        assert!(delimiter("").is_err());
        assert!(delimiter("\\x100").is_err());
    }
}
