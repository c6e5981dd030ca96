//! `read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars]
//! [-p prompt] [-t timeout] [-u fd] [name…]`.
//!
//! A port of bash's `read.def`. Without `-r`, a backslash quotes the next
//! character and a backslash-newline pair disappears; quoted characters
//! are kept behind a `CTLESC` marker, as in bash, so that field splitting
//! ([`split`]) leaves them alone, and the markers are removed when the
//! fields are assigned. The sandbox has no terminal, so `-e`, `-i`, `-p`
//! and `-s` (which only act on one) are accepted and have no effect.

use super::internal_getopt::{self, Parsed};
use super::line_reader::Source;
use super::test::{invalid_number, legal_number};
use super::{done, Ret};
use crate::error::{Exec, Interrupt};
use crate::interp::{BoxFuture, Interp};
use crate::io::StreamError;
use crate::state::Value;
use std::time::{Duration, Instant};

pub(crate) mod split;

use split::{dequote, list_string, CTLESC, CTLNUL};

const USAGE: &str = "read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]";

/// Status when the timeout expired (128 + SIGALRM).
const STATUS_TIMEOUT: i32 = 142;

/// The options of one `read`.
#[derive(Debug)]
struct Options {
    raw: bool,
    array: Option<String>,
    delim: char,
    /// `-n`/`-N` count (`Some(0)` reads nothing).
    nchars: Option<usize>,
    /// `-N`: the delimiter is an ordinary character, no field splitting.
    exact: bool,
    timeout: Option<Duration>,
    fd: u32,
}

/// `read`: reads a line (up to the delimiter, or `-n`/`-N` characters)
/// and splits it on `IFS` into the names, the last one taking the rest;
/// `REPLY` gets the whole line when no name is given, `-a` an array of
/// the fields. Status 1 at end of input (the names are still assigned),
/// 142 on timeout.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let (options, first) = match parse_options(sh, &argv).await {
            Ok(parsed) => parsed,
            Err(status) => return done(status),
        };
        let names = &argv[first..];
        if options.array.is_none() {
            if let Some(name) = names.first() {
                if !is_target(name) {
                    invalid_identifier(sh, name).await;
                    return done(1);
                }
            }
        }
        let input = match sh.state.fds.get(options.fd) {
            None if options.fd != 0 => {
                let message = format!(
                    "{}: invalid file descriptor: Bad file descriptor",
                    options.fd
                );
                sh.builtin_error("read", &message).await;
                return done(1);
            }
            fd => match fd.and_then(|fd| fd.as_input()) {
                Some(input) => input,
                None => {
                    let message = format!("read error: {}: Bad file descriptor", options.fd);
                    sh.builtin_error("read", &message).await;
                    return done(1);
                }
            },
        };
        if options.timeout == Some(Duration::ZERO) {
            // `-t 0` only asks whether input is waiting (end of input
            // counts, as for select(2)). Bytes and files always are; a
            // pipe cannot be peeked at without consuming it, so it counts
            // as ready too.
            return done(0);
        }

        let mut line = Line::default();
        let mut source = Source::new(input);
        let outcome = read_with_limits(sh, &options, &mut source, &mut line).await;
        source.finish().await;
        let mut status = match outcome {
            Ok(Ok(Ended::Delimiter)) => 0,
            Ok(Ok(Ended::Eof)) => 1,
            Ok(Err(err)) => {
                let message = format!("read error: {}: {err}", options.fd);
                sh.builtin_error("read", &message).await;
                return done(1);
            }
            Err(Stop::Timeout) => STATUS_TIMEOUT,
            Err(Stop::Deadline) => {
                return Err(Interrupt::Fatal {
                    status: 124,
                    message: "timed out".into(),
                })
            }
        };
        let ifs = if options.exact {
            String::new()
        } else {
            sh.scalar("IFS").unwrap_or_else(|| " \t\n".to_string())
        };
        let ifs: Vec<char> = ifs.chars().collect();
        if let Some(array) = &options.array {
            if !is_identifier(array) {
                invalid_identifier(sh, array).await;
                return done(1);
            }
            let fields = list_string(&line.chars, &ifs);
            let fields = fields.into_iter().map(|f| dequote(&f));
            if let Err(err) = sh.set_array(array, Value::indexed(fields), false) {
                sh.error_line(&err.message()).await;
                status = 1;
            }
            return done(status);
        }
        if names.is_empty() {
            if let Err(err) = sh.set_scalar("REPLY", dequote(&line.chars)) {
                sh.error_line(&err.message()).await;
                status = 1;
            }
            return done(status);
        }
        let values = split::assign_fields(&line.chars, &ifs, names.len());
        for (name, value) in names.iter().zip(values) {
            if !is_target(name) {
                invalid_identifier(sh, name).await;
                return done(1);
            }
            if let Err(message) = assign(sh, name, value) {
                sh.error_line(&message).await;
                return done(1);
            }
        }
        done(status)
    })
}

/// Parses the options; `Err` carries the status of a refused invocation.
async fn parse_options(sh: &mut Interp, argv: &[String]) -> Result<(Options, usize), i32> {
    let Parsed {
        options: flags,
        first_operand,
    } = match internal_getopt::parse(argv, "ersa:d:i:n:N:p:t:u:") {
        Ok(parsed) => parsed,
        Err(err) => return Err(sh.option_error("read", err, USAGE).await),
    };
    let mut options = Options {
        raw: false,
        array: None,
        delim: '\n',
        nchars: None,
        exact: false,
        timeout: None,
        fd: 0,
    };
    for (flag, value) in flags {
        let value = value.unwrap_or_default();
        match flag {
            'r' => options.raw = true,
            'a' => options.array = Some(value),
            'd' => options.delim = value.chars().next().unwrap_or('\0'),
            'n' | 'N' => match legal_number(&value) {
                Some(n) if n >= 0 => {
                    options.nchars = Some(n as usize);
                    options.exact = flag == 'N';
                }
                _ => {
                    sh.builtin_error("read", &invalid_number(&value)).await;
                    return Err(1);
                }
            },
            't' => match parse_timeout(&value) {
                Some(timeout) => options.timeout = Some(timeout),
                None => {
                    let message = format!("{value}: invalid timeout specification");
                    sh.builtin_error("read", &message).await;
                    return Err(1);
                }
            },
            'u' => match legal_number(&value).and_then(|n| u32::try_from(n).ok()) {
                Some(fd) => options.fd = fd,
                None => {
                    let message = format!("{value}: invalid file descriptor specification");
                    sh.builtin_error("read", &message).await;
                    return Err(1);
                }
            },
            // -e, -i, -p, -s: terminal-only.
            _ => {}
        }
    }
    Ok((options, first_operand))
}

/// A `-t` value: seconds with an optional fraction, not negative.
fn parse_timeout(text: &str) -> Option<Duration> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let seconds: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    // bash keeps microseconds.
    let micros: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(6)
        .collect();
    Some(Duration::from_secs(seconds) + Duration::from_micros(micros.parse().ok()?))
}

/// The line read so far, quoted characters behind [`CTLESC`].
#[derive(Debug, Default)]
struct Line {
    chars: Vec<char>,
}

/// Why reading stopped.
enum Ended {
    Delimiter,
    Eof,
}

/// Reading was cut short by a clock.
enum Stop {
    /// `-t` expired: what was read is assigned, status 142.
    Timeout,
    /// The whole call's deadline passed.
    Deadline,
}

/// Reads under `-t` and the call's deadline, whichever comes first.
async fn read_with_limits(
    sh: &Interp,
    options: &Options,
    source: &mut Source,
    line: &mut Line,
) -> Result<Result<Ended, StreamError>, Stop> {
    let now = Instant::now();
    let own = options.timeout.map(|t| (now + t, Stop::Timeout));
    let call = sh.env.deadline.map(|d| (d, Stop::Deadline));
    let limit = match (own, call) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    let reading = read_line(options, source, line);
    match limit {
        None => Ok(reading.await),
        Some((at, stop)) => {
            match tokio::time::timeout_at(tokio::time::Instant::from_std(at), reading).await {
                Ok(result) => Ok(result),
                Err(_) => Err(stop),
            }
        }
    }
}

/// bash's reading loop: up to the delimiter, or `nchars` characters.
async fn read_line(
    options: &Options,
    source: &mut Source,
    line: &mut Line,
) -> Result<Ended, StreamError> {
    let chars = &mut line.chars;
    let mut pass_next = false;
    let mut count = 0;
    if options.nchars == Some(0) {
        return Ok(Ended::Delimiter);
    }
    loop {
        let Some(c) = source.char().await? else {
            return Ok(Ended::Eof);
        };
        if pass_next {
            pass_next = false;
            if c == '\n' {
                // A backslash-newline pair disappears.
                chars.pop();
                continue;
            }
        } else {
            if c == '\\' && !options.raw {
                pass_next = true;
                chars.push(CTLESC);
                continue;
            }
            if !options.exact && c == options.delim {
                return Ok(Ended::Delimiter);
            }
            if c == '\0' && options.delim != '\0' {
                continue;
            }
            if c == CTLESC || c == CTLNUL {
                chars.push(CTLESC);
            }
        }
        chars.push(c);
        count += 1;
        if options.nchars.is_some_and(|n| count >= n) {
            return Ok(Ended::Delimiter);
        }
    }
}

/// Assigns one field to `name` (a variable or an `array[index]`
/// element); the error is bash's message.
fn assign(sh: &mut Interp, name: &str, value: String) -> Result<(), String> {
    let result = match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
        Some((array, index)) => sh.set_element(array, index, value, false),
        None => sh.set_scalar(name, value),
    };
    result.map_err(|err| err.message())
}

async fn invalid_identifier(sh: &mut Interp, name: &str) {
    sh.builtin_error("read", &format!("`{name}': not a valid identifier"))
        .await;
}

/// True if `name` is a valid variable name.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A name `read` (or `printf -v`) may assign: a variable or
/// `array[subscript]`.
pub(crate) fn is_target(name: &str) -> bool {
    match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
        Some((array, index)) => is_identifier(array) && !index.is_empty(),
        None => is_identifier(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_decimal_seconds() {
        assert_eq!(parse_timeout("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_timeout(".25"), Some(Duration::from_millis(250)));
        assert_eq!(parse_timeout("0"), Some(Duration::ZERO));
        assert_eq!(parse_timeout("-1"), None);
        assert_eq!(parse_timeout("1.5x"), None);
        assert_eq!(parse_timeout("."), None);
    }

    #[test]
    fn targets_are_names_or_elements() {
        assert!(is_target("a_1"));
        assert!(is_target("arr[2]"));
        assert!(!is_target("1a"));
        assert!(!is_target("a[]"));
    }
}
