//! `env [-i0v] [-u NAME] [-C DIR] [-S STRING] [-] [NAME=VALUE]… [COMMAND
//! [ARG]…]`, as GNU coreutils 9.1 behaves: prints the environment, or runs
//! a program (never a function or builtin: `env echo` is `/usr/bin/echo`)
//! with a changed one. Its own failures exit 125, a program that cannot
//! run 126, a missing one 127.

use super::gnu_getopt::{self as getopt, long, HasArg, LongOpt};
use super::program::{self, Launch, Outcome};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// Status of env's own failures.
const STATUS_FAILED: i32 = 125;

const LONG: &[LongOpt] = &[
    long("ignore-environment", HasArg::No, 'i'),
    long("null", HasArg::No, '0'),
    long("unset", HasArg::Required, 'u'),
    long("chdir", HasArg::Required, 'C'),
    long("split-string", HasArg::Required, 'S'),
    long("debug", HasArg::No, 'v'),
    long("block-signal", HasArg::Optional, 'B'),
    long("default-signal", HasArg::Optional, 'D'),
    long("ignore-signal", HasArg::Optional, 'I'),
    long("list-signal-handling", HasArg::No, 'L'),
    long("help", HasArg::No, 'h'),
    long("version", HasArg::No, 'V'),
];

const HELP: &str = "\
Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]
Set each NAME to VALUE in the environment and run COMMAND.

Mandatory arguments to long options are mandatory for short options too.
  -i, --ignore-environment  start with an empty environment
  -0, --null           end each output line with NUL, not newline
  -u, --unset=NAME     remove variable from the environment
  -C, --chdir=DIR      change working directory to DIR
  -S, --split-string=S  process and split S into separate arguments;
                        used to pass multiple arguments on shebang lines
      --block-signal[=SIG]    block delivery of SIG signal(s) to COMMAND
      --default-signal[=SIG]  reset handling of SIG signal(s) to the default
      --ignore-signal[=SIG]   set handling of SIG signal(s) to do nothing
      --list-signal-handling  list non default signal handling to stderr
  -v, --debug          print verbose information for each processing step
      --help        display this help and exit
      --version     output version information and exit

A mere - implies -i.  If no COMMAND, print the resulting environment.
";

const VERSION: &str = "env (GNU coreutils) 9.1\n";

/// `env`: prints or changes the environment and runs a program in it.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut args = argv[1..].to_vec();
        let mut clear = false;
        let mut null = false;
        let mut debug = false;
        let mut dir = None;
        let mut unset = Vec::new();
        // `-S` splices its words in place; options may follow them.
        let mut first = 0;
        loop {
            let (options, next) = match getopt::parse(&args[first..], "C:iS:u:v0", LONG) {
                Ok(parsed) => parsed,
                Err(err) => return usage(sh, &err.0).await,
            };
            let mut split = None;
            for (key, value) in options {
                match key {
                    'i' => clear = true,
                    '0' => null = true,
                    'v' => debug = true,
                    'u' => unset.push(value.unwrap_or_default()),
                    'C' => dir = value,
                    'S' => split = value,
                    'h' => return print(sh, HELP).await,
                    'V' => return print(sh, VERSION).await,
                    _ => {}
                }
            }
            first += next;
            let Some(text) = split else { break };
            match split_string(&text, &sh.state.vars.environment()) {
                Ok(words) => {
                    args.splice(first..first, words);
                }
                Err(message) => return fail(sh, &message).await,
            }
        }
        let mut operands = args[first..].iter().cloned().peekable();
        if operands.peek().is_some_and(|a| a == "-") {
            clear = true;
            operands.next();
        }
        let mut env = if clear {
            Vec::new()
        } else {
            sh.state.vars.environment()
        };
        if debug && clear {
            debug_line(sh, "cleaning environ").await;
        }
        for name in &unset {
            if name.is_empty() || name.contains('=') {
                return fail(sh, &format!("cannot unset '{name}': Invalid argument")).await;
            }
            if debug {
                debug_line(sh, &format!("unset:    {name}")).await;
            }
            env.retain(|(n, _)| n != name);
        }
        while let Some(assignment) = operands.next_if(|a| a.contains('=')) {
            if debug {
                debug_line(sh, &format!("setenv:   {assignment}")).await;
            }
            let (name, value) = assignment.split_once('=').unwrap_or_default();
            match env.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = value.to_string(),
                None => env.push((name.to_string(), value.to_string())),
            }
        }
        let command: Vec<String> = operands.collect();
        if command.is_empty() {
            if dir.is_some() {
                return usage(sh, "must specify command with --chdir (-C)").await;
            }
            let end = if null { '\0' } else { '\n' };
            let text: String = env.iter().map(|(n, v)| format!("{n}={v}{end}")).collect();
            let ok = sh.out("env", text.as_bytes()).await?;
            return done(if ok { 0 } else { STATUS_FAILED });
        }
        if null {
            return usage(sh, "cannot specify --null (-0) with command").await;
        }
        let cwd = match dir {
            Some(dir) => match enter(sh, &dir).await {
                Some(cwd) => Some(cwd),
                None => return done(STATUS_FAILED),
            },
            None => None,
        };
        if debug {
            let mut text = format!("executing: {}\n", command[0]);
            for (i, arg) in command.iter().enumerate() {
                text.push_str(&format!("   arg[{i}]= '{arg}'\n"));
            }
            let _ = sh.state.fds.stderr().write_all(text.as_bytes()).await;
        }
        let name = command[0].clone();
        let launch = Launch {
            env: Some(env),
            cwd,
            ..Launch::default()
        };
        let status = match program::run(sh, command, launch).await? {
            Outcome::Exited(status) => status,
            Outcome::Signaled(signal) => 128 + signal,
            Outcome::TimedOut => 124,
            Outcome::NotFound => {
                sh_err(sh, &format!("'{name}': No such file or directory")).await;
                127
            }
            Outcome::NotExecutable => {
                sh_err(sh, &format!("'{name}': Permission denied")).await;
                126
            }
            Outcome::Failed(message) => {
                sh_err(sh, &format!("'{name}': {message}")).await;
                126
            }
        };
        done(status)
    })
}

/// The absolute directory for `-C`, or `None` after GNU's message.
async fn enter(sh: &mut Interp, dir: &str) -> Option<String> {
    let path = sh.absolute_path(dir);
    let why = match sh.env.fs.metadata(&path).await {
        Ok(meta) if meta.is_dir() => return Some(path),
        Ok(_) => "Not a directory".to_string(),
        Err(err) => err.errno().to_string(),
    };
    sh_err(sh, &format!("cannot change directory to '{dir}': {why}")).await;
    None
}

/// Splits `-S`'s string into words as GNU env does: blanks separate,
/// quotes group, backslash escapes (`\_` is a space, `\c` ends the
/// string), `${NAME}` expands from the environment, `#` starts a comment.
fn split_string(text: &str, env: &[(String, String)]) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c') => {
                words.extend(word.take());
            }
            (None, '#') if word.is_none() => break,
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (Some(q), _) if c == q => quote = None,
            (Some('\''), '\\') if matches!(chars.peek(), Some('\\' | '\'')) => {
                let next = chars.next().unwrap_or('\\');
                word.get_or_insert_with(String::new).push(next);
            }
            (Some('\''), _) => word.get_or_insert_with(String::new).push(c),
            (_, '\\') => {
                let Some(escaped) = chars.next() else {
                    return Err("invalid backslash at end of string in -S".to_string());
                };
                let value = match escaped {
                    'c' => {
                        if quote.is_some() {
                            return Err("'\\c' must not appear in double-quoted -S string".into());
                        }
                        break;
                    }
                    '_' if quote.is_none() => {
                        words.extend(word.take());
                        continue;
                    }
                    '_' => ' ',
                    'f' => '\x0c',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'v' => '\x0b',
                    '\\' | '\'' | '"' | '#' | '$' | ' ' => escaped,
                    other => {
                        return Err(format!("invalid sequence '\\{other}' in -S"));
                    }
                };
                word.get_or_insert_with(String::new).push(value);
            }
            (_, '$') if chars.peek() == Some(&'{') => {
                chars.next();
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let value = env
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or("");
                word.get_or_insert_with(String::new).push_str(value);
            }
            _ => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(q) = quote {
        let kind = if q == '"' { "double" } else { "single" };
        return Err(format!("no terminating quote in -S string ({kind})"));
    }
    words.extend(word);
    Ok(words)
}

async fn print(sh: &mut Interp, text: &str) -> Exec<Ret> {
    let ok = sh.out("env", text.as_bytes()).await?;
    done(if ok { 0 } else { STATUS_FAILED })
}

/// `env: message` on stderr.
async fn sh_err(sh: &mut Interp, message: &str) {
    sh.tool_error("env", message).await;
}

async fn debug_line(sh: &mut Interp, message: &str) {
    let line = format!("{message}\n");
    let _ = sh.state.fds.stderr().write_all(line.as_bytes()).await;
}

/// A failure of env itself: the message, status 125.
async fn fail(sh: &mut Interp, message: &str) -> Exec<Ret> {
    sh_err(sh, message).await;
    done(STATUS_FAILED)
}

/// A usage error: the message, GNU's pointer to `--help`, status 125.
async fn usage(sh: &mut Interp, message: &str) -> Exec<Ret> {
    sh_err(sh, message).await;
    let _ = sh
        .state
        .fds
        .stderr()
        .write_all(b"Try 'env --help' for more information.\n")
        .await;
    done(STATUS_FAILED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_gnu_env_dash_s() {
        let env = vec![("HOME".to_string(), "/h".to_string())];
        assert_eq!(
            split_string("echo \"a  b\" c\\_d ${HOME}x", &env).unwrap(),
            vec!["echo", "a  b", "c", "d", "/hx"]
        );
        assert_eq!(
            split_string("echo a\\cb c", &env).unwrap(),
            vec!["echo", "a"]
        );
        assert_eq!(split_string("'it''s' # note", &env).unwrap(), vec!["its"]);
        assert_eq!(split_string("''", &env).unwrap(), vec![""]);
        assert!(split_string("'open", &env).is_err());
    }
}
