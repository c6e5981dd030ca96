//! `trap [-lp] [[action] condition…]`, and the Linux signal table that
//! `timeout -s` shares.
//!
//! EXIT, ERR, DEBUG and RETURN are kept in [`Traps`]' own fields, where the
//! evaluator runs them. Signal traps are stored and listed like bash's
//! but never run: nothing in a sandbox sends signals.

use super::internal_getopt;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::state::Traps;
use std::sync::Arc;

/// The highest signal number (Linux's `SIGRTMAX`).
pub(crate) const MAX_SIGNAL: u32 = 64;

/// Condition codes beyond the signals, in bash's order (EXIT is 0).
const DEBUG: u32 = MAX_SIGNAL + 1;
const ERR: u32 = MAX_SIGNAL + 2;
const RETURN: u32 = MAX_SIGNAL + 3;

const USAGE: &str = "trap [-lp] [[arg] signal_spec ...]";

/// Standard signal names without `SIG`, by number (0 unused).
const STANDARD: [&str; 32] = [
    "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/// The name of signal `number` without `SIG` (`INT`, `RTMIN+3`); none
/// for 0, for 32 and 33 (reserved by the C library) and past 64.
pub(crate) fn signal_name(number: u32) -> Option<String> {
    match number {
        1..=31 => Some(STANDARD[number as usize].to_string()),
        34 => Some("RTMIN".to_string()),
        35..=49 => Some(format!("RTMIN+{}", number - 34)),
        50..=63 => Some(format!("RTMAX-{}", MAX_SIGNAL - number)),
        64 => Some("RTMAX".to_string()),
        _ => None,
    }
}

/// The number of the signal called `name` (exact, without `SIG`).
pub(crate) fn signal_number(name: &str) -> Option<u32> {
    (1..=MAX_SIGNAL).find(|&n| signal_name(n).as_deref() == Some(name))
}

/// How `trap` shows condition `code`: `EXIT`, `SIGINT`, `32`, `DEBUG`.
fn condition_name(code: u32) -> String {
    match code {
        0 => "EXIT".to_string(),
        DEBUG => "DEBUG".to_string(),
        ERR => "ERR".to_string(),
        RETURN => "RETURN".to_string(),
        n => signal_name(n).map_or_else(|| n.to_string(), |name| format!("SIG{name}")),
    }
}

/// Decodes a condition as bash's `decode_signal` does: a number from 0 to
/// 64, or a name in any case, with or without `SIG` for signals (EXIT is
/// 0; DEBUG, ERR and RETURN come after the signals).
pub(crate) fn decode_signal(spec: &str) -> Option<u32> {
    let trimmed = spec.trim();
    if let Ok(number) = trimmed.parse::<i64>() {
        return (0..=i64::from(MAX_SIGNAL))
            .contains(&number)
            .then_some(number as u32);
    }
    let upper = spec.to_ascii_uppercase();
    match upper.as_str() {
        "EXIT" => return Some(0),
        "DEBUG" => return Some(DEBUG),
        "ERR" => return Some(ERR),
        "RETURN" => return Some(RETURN),
        _ => {}
    }
    signal_number(upper.strip_prefix("SIG").unwrap_or(&upper))
}

/// The action registered for condition `code`, if any (`Some("")` when
/// ignored).
fn get(traps: &Traps, code: u32) -> Option<Arc<str>> {
    match code {
        0 => traps.exit.clone(),
        DEBUG => traps.debug.clone(),
        ERR => traps.err.clone(),
        RETURN => traps.ret.clone(),
        n => traps.signals.get(&n).cloned(),
    }
}

/// Registers (or with `None`, removes) the action for condition `code`.
fn set(traps: &mut Traps, code: u32, action: Option<Arc<str>>) {
    match code {
        0 => traps.exit = action,
        DEBUG => traps.debug = action,
        ERR => traps.err = action,
        RETURN => traps.ret = action,
        n => match action {
            Some(action) => {
                traps.signals.insert(n, action);
            }
            None => {
                traps.signals.remove(&n);
            }
        },
    }
}

/// `trap -l`, `kill -l`: the signal table, five to a line, as bash prints
/// it.
pub(crate) fn signal_list() -> String {
    let mut text = String::new();
    let mut column = 0;
    for n in 1..=MAX_SIGNAL {
        let Some(name) = signal_name(n) else { continue };
        text.push_str(&format!("{n:2}) SIG{name}"));
        column += 1;
        if column < 5 {
            text.push('\t');
        } else {
            text.push('\n');
            column = 0;
        }
    }
    if column != 0 {
        text.push('\n');
    }
    text
}

/// One `trap -p` line.
fn listing(code: u32, action: &str) -> String {
    format!(
        "trap -- {} {}\n",
        super::alias::single_quote(action),
        condition_name(code)
    )
}

/// What `trap action conditions…` does to each condition.
enum Operation {
    Set(Arc<str>),
    Ignore,
    Revert,
}

/// `trap`: lists, sets, ignores or resets trap actions.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let parsed = match internal_getopt::parse(&argv, "lp") {
            Ok(parsed) => parsed,
            Err(err) => return done(sh.option_error("trap", err, USAGE).await),
        };
        let options = parsed.options;
        let operands = argv[parsed.first_operand..].to_vec();
        let print = options.iter().any(|(c, _)| *c == 'p');
        if options.iter().any(|(c, _)| *c == 'l') {
            let ok = sh.out("trap", signal_list().as_bytes()).await?;
            return done(if ok { 0 } else { 1 });
        }
        if print || operands.is_empty() {
            return show(sh, &operands).await;
        }
        let first = operands[0].as_str();
        let first_is_number = !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit());
        let (operation, conditions) = if first_is_number && decode_signal(first).is_some() {
            // `trap 0 INT`: a leading signal number resets every condition.
            (Operation::Revert, &operands[..])
        } else if first != "-"
            && !first.is_empty()
            && operands.len() == 1
            && decode_signal(first).is_some()
        {
            (Operation::Revert, &operands[..])
        } else if operands.len() == 1 {
            let line = format!("trap: usage: {USAGE}\n");
            let _ = sh.state.fds.stderr().write_all(line.as_bytes()).await;
            return done(2);
        } else if first.is_empty() {
            (Operation::Ignore, &operands[1..])
        } else if first == "-" {
            (Operation::Revert, &operands[1..])
        } else {
            (Operation::Set(Arc::from(first)), &operands[1..])
        };
        let mut status = 0;
        for spec in conditions {
            let Some(code) = decode_signal(spec) else {
                sh.builtin_error("trap", &format!("{spec}: invalid signal specification"))
                    .await;
                status = 1;
                continue;
            };
            let action = match &operation {
                Operation::Set(action) => Some(action.clone()),
                Operation::Ignore => Some(Arc::from("")),
                Operation::Revert => None,
            };
            set(&mut sh.state.traps, code, action);
        }
        done(status)
    })
}

/// `trap`, `trap -p [condition…]`: prints the registered actions as
/// commands that would register them again.
async fn show(sh: &mut Interp, conditions: &[String]) -> Exec<Ret> {
    let mut text = String::new();
    let mut status = 0;
    if conditions.is_empty() {
        for code in 0..=RETURN {
            if let Some(action) = get(&sh.state.traps, code) {
                text.push_str(&listing(code, &action));
            }
        }
    } else {
        for spec in conditions {
            match decode_signal(spec) {
                Some(code) => {
                    if let Some(action) = get(&sh.state.traps, code) {
                        text.push_str(&listing(code, &action));
                    }
                }
                None => {
                    sh.builtin_error("trap", &format!("{spec}: invalid signal specification"))
                        .await;
                    status = 1;
                }
            }
        }
    }
    let ok = sh.out("trap", text.as_bytes()).await?;
    done(if ok { status } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_conditions_like_bash() {
        assert_eq!(decode_signal("0"), Some(0));
        assert_eq!(decode_signal("exit"), Some(0));
        assert_eq!(decode_signal("int"), Some(2));
        assert_eq!(decode_signal("SIGint"), Some(2));
        assert_eq!(decode_signal("RTMIN+1"), Some(35));
        assert_eq!(decode_signal("SIGRTMAX-2"), Some(62));
        assert_eq!(decode_signal("32"), Some(32));
        assert_eq!(decode_signal("65"), None);
        assert_eq!(decode_signal("-1"), None);
        assert_eq!(decode_signal("SIGEXIT"), None);
        assert_eq!(decode_signal("SIGDEBUG"), None);
        assert_eq!(decode_signal("return"), Some(RETURN));
    }

    #[test]
    fn names_conditions_like_bash() {
        assert_eq!(condition_name(0), "EXIT");
        assert_eq!(condition_name(15), "SIGTERM");
        assert_eq!(condition_name(33), "33");
        assert_eq!(condition_name(50), "SIGRTMAX-14");
        assert_eq!(signal_number("USR1"), Some(10));
    }

    #[test]
    fn lists_signals_five_to_a_line() {
        let list = signal_list();
        assert!(list.starts_with(" 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n"));
        assert!(list.ends_with("63) SIGRTMAX-1\t64) SIGRTMAX\t\n"));
        assert!(list.contains("31) SIGSYS\t34) SIGRTMIN\t"));
    }
}
