//! `timeout [-v] [-s SIGNAL] [-k DURATION] [--preserve-status]
//! [--foreground] DURATION COMMAND [ARG]…`, as GNU coreutils 9.1 behaves.
//!
//! The program runs with a deadline: a guest tool through
//! [`Invocation::deadline`](crate::runner::Invocation), which stops it
//! (epoch interruption); a shell program (`timeout 5 bash -c …`) under a
//! tokio timeout, which stops it at its next wait — every 1024 commands
//! for a busy loop of builtins. A stopped command never outlives the
//! signal, so `-k` is accepted and needs no second signal.

use super::gnu_getopt::{self as getopt, long, HasArg, LongOpt};
use super::program::{self, Launch, Outcome};
use super::trap::{signal_name, signal_number, MAX_SIGNAL};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use std::time::{Duration, Instant};

/// The status of a command that timed out.
const STATUS_TIMED_OUT: i32 = 124;
/// The status of timeout's own failures.
const STATUS_FAILED: i32 = 125;
/// `SIGTERM`, the default signal; `SIGKILL`, which ends timeout too.
const SIGTERM: u32 = 15;
const SIGKILL: u32 = 9;

const LONG: &[LongOpt] = &[
    long("foreground", HasArg::No, 'f'),
    long("kill-after", HasArg::Required, 'k'),
    long("preserve-status", HasArg::No, 'p'),
    long("signal", HasArg::Required, 's'),
    long("verbose", HasArg::No, 'v'),
    long("help", HasArg::No, 'h'),
    long("version", HasArg::No, 'V'),
];

const HELP: &str = "\
Usage: timeout [OPTION] DURATION COMMAND [ARG]...
  or:  timeout [OPTION]
Start COMMAND, and kill it if still running after DURATION.

Mandatory arguments to long options are mandatory for short options too.
      --preserve-status
                 exit with the same status as COMMAND, even when the
                   command times out
      --foreground
                 when not running timeout directly from a shell prompt,
                   allow COMMAND to read from the TTY and get TTY signals;
                   in this mode, children of COMMAND will not be timed out
  -k, --kill-after=DURATION
                 also send a KILL signal if COMMAND is still running
                   this long after the initial signal was sent
  -s, --signal=SIGNAL
                 specify the signal to be sent on timeout;
                   SIGNAL may be a name like 'HUP' or a number;
                   see 'kill -l' for a list of signals
  -v, --verbose  diagnose to stderr any signal sent upon timeout
      --help        display this help and exit
      --version     output version information and exit

DURATION is a floating point number with an optional suffix:
's' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for days.
A duration of 0 disables the associated timeout.

Upon timeout, send the TERM signal to COMMAND, if no other SIGNAL specified.

EXIT status:
  124  if COMMAND times out, and --preserve-status is not specified
  125  if the timeout command itself fails
  126  if COMMAND is found but cannot be invoked
  127  if COMMAND cannot be found
  137  if COMMAND (or timeout itself) is sent the KILL (9) signal (128+9)
  -    the exit status of COMMAND otherwise
";

const VERSION: &str = "timeout (GNU coreutils) 9.1\n";

/// `timeout`: runs a program and stops it after a while.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let (options, first) = match getopt::parse(&argv[1..], "k:s:v", LONG) {
            Ok(parsed) => parsed,
            Err(err) => return usage(sh, Some(&err.0)).await,
        };
        let mut signal = SIGTERM;
        let mut verbose = false;
        let mut preserve = false;
        for (key, value) in options {
            let value = value.unwrap_or_default();
            match key {
                'k' if parse_duration(&value).is_none() => {
                    return usage(sh, Some(&format!("invalid time interval '{value}'"))).await;
                }
                's' => match parse_signal(&value) {
                    Some(number) => signal = number,
                    None => return usage(sh, Some(&format!("'{value}': invalid signal"))).await,
                },
                'v' => verbose = true,
                'p' => preserve = true,
                'h' => return print(sh, HELP).await,
                'V' => return print(sh, VERSION).await,
                _ => {}
            }
        }
        let operands = &argv[1 + first..];
        if operands.len() < 2 {
            return usage(sh, None).await;
        }
        let Some(seconds) = parse_duration(&operands[0]) else {
            let message = format!("invalid time interval '{}'", operands[0]);
            return usage(sh, Some(&message)).await;
        };
        let deadline = (seconds > 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).ok())
            .flatten()
            .and_then(|limit| Instant::now().checked_add(limit));
        let command = operands[1..].to_vec();
        let name = command[0].clone();
        let launch = Launch {
            deadline,
            ..Launch::default()
        };
        let status = match program::run(sh, command, launch).await? {
            Outcome::Exited(status) => status,
            Outcome::Signaled(number) => 128 + number,
            Outcome::TimedOut => {
                if verbose {
                    let shown = signal_name(signal).unwrap_or_else(|| signal.to_string());
                    let message = format!("sending signal {shown} to command '{name}'");
                    message_line(sh, &message).await;
                }
                if signal == SIGKILL {
                    128 + SIGKILL as i32
                } else if preserve {
                    128 + signal as i32
                } else {
                    STATUS_TIMED_OUT
                }
            }
            Outcome::NotFound => {
                let message = format!("failed to run command '{name}': No such file or directory");
                message_line(sh, &message).await;
                127
            }
            Outcome::NotExecutable => {
                let message = format!("failed to run command '{name}': Permission denied");
                message_line(sh, &message).await;
                126
            }
            Outcome::Failed(why) => {
                message_line(sh, &format!("failed to run command '{name}': {why}")).await;
                126
            }
        };
        done(status)
    })
}

/// A duration as GNU timeout reads it: a non-negative C floating-point
/// number (decimal or hexadecimal, `inf`) with an optional `s`, `m`, `h`
/// or `d` suffix; in seconds.
fn parse_duration(text: &str) -> Option<f64> {
    let (number, unit) = match text.char_indices().last() {
        Some((at, 's')) => (&text[..at], 1.0),
        Some((at, 'm')) => (&text[..at], 60.0),
        Some((at, 'h')) => (&text[..at], 3600.0),
        Some((at, 'd')) => (&text[..at], 86400.0),
        _ => (text, 1.0),
    };
    let number = number.trim_start();
    let value = parse_c_double(number)?;
    (value >= 0.0).then_some(value * unit)
}

/// `strtod` on a whole string (no NaN): decimal, `inf`, or `0x` hex with
/// an optional fraction and `p` exponent.
fn parse_c_double(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        parse_hex_float(hex)?
    } else {
        // Rust's grammar is C's for decimals, but also takes "nan".
        if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == 'i' || c == 'I') {
            return None;
        }
        let value: f64 = body.parse().ok()?;
        if value.is_nan() {
            return None;
        }
        value
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The part of a C hexadecimal float after `0x`: `1f`, `1.8p3`.
fn parse_hex_float(text: &str) -> Option<f64> {
    let (mantissa, exponent) = match text.split_once(['p', 'P']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut value = 0.0f64;
    for c in whole.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in fraction.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * 2f64.powi(exponent))
}

/// A signal as `timeout -s` takes it: a number up to 64, or a name in any
/// case with or without `SIG`.
fn parse_signal(text: &str) -> Option<u32> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().filter(|&n| n <= MAX_SIGNAL);
    }
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    match name {
        "EXIT" => Some(0),
        "IOT" => Some(6),
        "CLD" => Some(17),
        "POLL" => Some(29),
        _ => signal_number(name),
    }
}

async fn print(sh: &mut Interp, text: &str) -> Exec<Ret> {
    let ok = sh.out("timeout", text.as_bytes()).await?;
    done(if ok { 0 } else { STATUS_FAILED })
}

/// `timeout: message` on stderr.
async fn message_line(sh: &mut Interp, message: &str) {
    let line = format!("timeout: {message}\n");
    let _ = sh.state.fds.stderr().write_all(line.as_bytes()).await;
}

/// A usage error: the message if any, GNU's pointer to `--help`, 125.
async fn usage(sh: &mut Interp, message: Option<&str>) -> Exec<Ret> {
    if let Some(message) = message {
        message_line(sh, message).await;
    }
    let _ = sh
        .state
        .fds
        .stderr()
        .write_all(b"Try 'timeout --help' for more information.\n")
        .await;
    done(STATUS_FAILED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_like_gnu() {
        assert_eq!(parse_duration("1"), Some(1.0));
        assert_eq!(parse_duration(".5m"), Some(30.0));
        assert_eq!(parse_duration("1e1"), Some(10.0));
        assert_eq!(parse_duration(" 1"), Some(1.0));
        assert_eq!(parse_duration("0x10"), Some(16.0));
        assert_eq!(parse_duration("0x1.8p1"), Some(3.0));
        assert_eq!(parse_duration("1d"), Some(86400.0));
        assert_eq!(parse_duration("inf"), Some(f64::INFINITY));
        for bad in ["", "x", "1x", "1S", "1h2", "1.5.5", "nan", "-1", "s", "1 "] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn signals_like_gnu() {
        assert_eq!(parse_signal("TERM"), Some(15));
        assert_eq!(parse_signal("sigterm"), Some(15));
        assert_eq!(parse_signal("9"), Some(9));
        assert_eq!(parse_signal("RTMIN+1"), Some(35));
        assert_eq!(parse_signal("99"), None);
        assert_eq!(parse_signal("FOO"), None);
    }
}
