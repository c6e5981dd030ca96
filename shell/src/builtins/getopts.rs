//! `getopts optstring name [arg…]`.
//!
//! A port of bash's `sh_getopt`: between calls it remembers the index of
//! the next argument (`OPTIND`) and, inside a group like `-abc`, the next
//! letter. bash keeps both in C globals and resets them when a script
//! assigns `OPTIND` (`OPTIND=1` starts over); here they live in a
//! [`Cursor`] next to the variables, and an assignment is noticed because
//! `OPTIND` no longer holds what `getopts` last wrote.

use super::internal_getopt;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::state::Variable;

const USAGE: &str = "getopts optstring name [arg ...]";

/// Status when the variable to set is read-only (bash's `EX_MISCERROR`).
const STATUS_READONLY: i32 = 2;

/// bash's getopt state between calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Cursor {
    /// `sh_optind`: the next argument (0 before the first call).
    optind: usize,
    /// `sh_curopt`: the argument whose letters are being read.
    curopt: usize,
    /// `sh_charindex`: the next letter's index in that argument, when
    /// inside a group (`nextchar` is set).
    charindex: Option<usize>,
    /// The `OPTIND` text the last call wrote.
    published: String,
}

/// The cursor is stored as a variable without a value whose name carries
/// the state: valueless variables are invisible to expansions, `set`, the
/// environment and `${!prefix*}`, and the name is not an identifier, so no
/// script can touch it. It is copied into subshells like bash's state is
/// by `fork`.
const CURSOR_PREFIX: &str = "\u{0}getopts\u{0}";

impl Cursor {
    fn key(&self) -> String {
        let charindex = self.charindex.map_or(String::new(), |c| c.to_string());
        format!(
            "{CURSOR_PREFIX}{} {} {charindex} {}",
            self.optind, self.curopt, self.published
        )
    }

    fn parse(key: &str) -> Option<Cursor> {
        let mut fields = key.strip_prefix(CURSOR_PREFIX)?.splitn(4, ' ');
        Some(Cursor {
            optind: fields.next()?.parse().ok()?,
            curopt: fields.next()?.parse().ok()?,
            charindex: match fields.next()? {
                "" => None,
                c => Some(c.parse().ok()?),
            },
            published: fields.next()?.to_string(),
        })
    }

    /// The stored cursor and its variable name, if a call stored one.
    fn load(sh: &Interp) -> Option<(Cursor, String)> {
        sh.state
            .vars
            .iter()
            .filter(|(name, _)| name.starts_with(CURSOR_PREFIX))
            .find_map(|(name, _)| Some((Cursor::parse(name)?, name.to_string())))
    }

    fn store(&self, sh: &mut Interp, old_key: Option<&str>) {
        if let Some(old) = old_key {
            sh.state.vars.remove(old);
        }
        sh.state.vars.insert(
            &self.key(),
            Variable {
                value: None,
                attrs: Default::default(),
            },
        );
    }
}

/// bash's `sv_optind`: what assigning `text` to `OPTIND` resets to.
fn optind_from(text: Option<&str>) -> usize {
    let value = text.map_or(0, atoi);
    if value <= 1 {
        0
    } else {
        value as usize
    }
}

/// C's `atoi`: leading blanks, a sign, digits; 0 if none.
fn atoi(text: &str) -> i64 {
    let text = text.trim_start();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut value: i64 = 0;
    for c in digits.chars().take_while(char::is_ascii_digit) {
        value = value
            .saturating_mul(10)
            .saturating_add(i64::from(c as u8 - b'0'));
    }
    sign * value
}

/// What one call found.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// An option letter, with its argument if it takes one.
    Option(char, Option<String>),
    /// A letter that is not in the spec.
    Invalid(char),
    /// An option whose argument is missing.
    MissingArgument(char),
    /// No more options.
    End,
}

/// bash's `sh_getopt` over `argv` (`argv[0]` is `$0`); `report` receives
/// the messages of a non-silent spec.
fn next(cursor: &mut Cursor, argv: &[Vec<char>], spec: &[char], report: &mut Vec<String>) -> Found {
    let argc = argv.len();
    if cursor.optind >= argc {
        cursor.optind = argc;
        return Found::End;
    }
    if cursor.optind == 0 {
        cursor.optind = 1;
        cursor.charindex = None;
    }
    let at_word_end = |c: &Cursor| match c.charindex {
        None => true,
        Some(i) => argv.get(c.curopt).is_none_or(|w| i >= w.len()),
    };
    if at_word_end(cursor) {
        if cursor.optind >= argc {
            return Found::End;
        }
        let word = &argv[cursor.optind];
        if word[..] == ['-', '-'] {
            cursor.optind += 1;
            return Found::End;
        }
        if word.first() != Some(&'-') || word.len() == 1 {
            return Found::End;
        }
        cursor.curopt = cursor.optind;
        cursor.charindex = Some(1);
    }
    let index = cursor.charindex.unwrap_or(1);
    let word = &argv[cursor.curopt];
    let c = word[index];
    cursor.charindex = Some(index + 1);
    if index + 1 >= word.len() {
        cursor.optind += 1;
        cursor.charindex = None;
    }
    let arg0: String = argv[0].iter().collect();
    let Some(pos) = spec.iter().position(|&s| s == c).filter(|_| c != ':') else {
        report.push(format!("{arg0}: illegal option -- {c}\n"));
        return Found::Invalid(c);
    };
    if spec.get(pos + 1) != Some(&':') {
        return Found::Option(c, None);
    }
    let argument = if let Some(rest) = cursor.charindex {
        // The rest of this word is the argument.
        cursor.optind += 1;
        word[rest..].iter().collect()
    } else if cursor.optind == argc {
        report.push(format!("{arg0}: option requires an argument -- {c}\n"));
        return Found::MissingArgument(c);
    } else {
        cursor.optind += 1;
        argv[cursor.optind - 1].iter().collect()
    };
    cursor.charindex = None;
    Found::Option(c, Some(argument))
}

/// True if `name` is a valid variable name.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `getopts`: puts the next option of the positional parameters (or of
/// the given arguments) in `name`, its argument in `OPTARG`, and the index
/// of the next argument in `OPTIND`; status 1 when options are over. A
/// leading `:` in the spec silences errors and reports them through
/// `name` (`?` or `:`) and `OPTARG`.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let first = match internal_getopt::parse(&argv, "") {
            Ok(parsed) => parsed.first_operand,
            Err(err) => return done(sh.option_error("getopts", err, USAGE).await),
        };
        let operands = &argv[first..];
        if operands.len() < 2 {
            return done(sh.usage("getopts", USAGE).await);
        }
        let (spec, name) = (&operands[0], operands[1].clone());
        let silent = spec.starts_with(':');
        let spec: Vec<char> = spec.chars().skip(usize::from(silent)).collect();
        let mut words = vec![sh.state.arg0.to_string()];
        if operands.len() > 2 {
            words.extend(operands[2..].iter().cloned());
        } else {
            words.extend(sh.state.positional.iter().cloned());
        }
        let words: Vec<Vec<char>> = words.iter().map(|w| w.chars().collect()).collect();

        let (mut cursor, old_key) = match Cursor::load(sh) {
            Some((cursor, key)) => (cursor, Some(key)),
            None => (Cursor::default(), None),
        };
        let optind_text = sh.scalar("OPTIND");
        if old_key.is_none() || optind_text.as_deref() != Some(cursor.published.as_str()) {
            cursor.optind = optind_from(optind_text.as_deref());
        }
        let mut messages = Vec::new();
        let found = next(&mut cursor, &words, &spec, &mut messages);
        if !silent {
            for message in messages {
                let _ = sh.state.fds.stderr().write_all(message.as_bytes()).await;
            }
        }
        cursor.published = cursor.optind.to_string();
        let _ = sh.set_scalar("OPTIND", cursor.published.clone());
        cursor.store(sh, old_key.as_deref());

        let (value, optarg, status) = match found {
            Found::End => ("?".to_string(), None, 1),
            Found::Option(c, argument) => (c.to_string(), argument, 0),
            Found::Invalid(c) => ("?".into(), silent.then(|| c.to_string()), 0),
            Found::MissingArgument(c) if silent => (":".into(), Some(c.to_string()), 0),
            Found::MissingArgument(_) => ("?".into(), None, 0),
        };
        match optarg {
            Some(text) => {
                let _ = sh.set_scalar("OPTARG", text);
            }
            None => {
                let _ = sh.unset_var("OPTARG");
            }
        }
        if !is_identifier(&name) {
            sh.builtin_error("getopts", &format!("`{name}': not a valid identifier"))
                .await;
            return done(1);
        }
        if let Err(err) = sh.set_scalar(&name, value) {
            sh.error_line(&err.message()).await;
            return done(STATUS_READONLY);
        }
        done(status)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(args: &[&str]) -> Vec<Vec<char>> {
        std::iter::once("bash")
            .chain(args.iter().copied())
            .map(|w| w.chars().collect())
            .collect()
    }

    fn all(spec: &str, args: &[&str]) -> Vec<(Found, usize)> {
        let argv = words(args);
        let spec: Vec<char> = spec.chars().collect();
        let mut cursor = Cursor::default();
        let mut out = Vec::new();
        loop {
            let found = next(&mut cursor, &argv, &spec, &mut Vec::new());
            let end = found == Found::End;
            out.push((found, cursor.optind));
            if end {
                return out;
            }
        }
    }

    #[test]
    fn groups_arguments_and_double_dash() {
        assert_eq!(
            all("ab:c", &["-ac", "-b1", "-b", "2", "--", "-a"]),
            [
                (Found::Option('a', None), 1),
                (Found::Option('c', None), 2),
                (Found::Option('b', Some("1".into())), 3),
                (Found::Option('b', Some("2".into())), 5),
                (Found::End, 6),
            ]
        );
        assert_eq!(all("a", &["x", "-a"]), [(Found::End, 1)]);
        assert_eq!(all("a", &["-", "-a"]), [(Found::End, 1)]);
    }

    #[test]
    fn errors_name_the_letter() {
        let mut messages = Vec::new();
        let mut cursor = Cursor::default();
        let argv = words(&["-x", "-a"]);
        let spec: Vec<char> = "a:".chars().collect();
        assert_eq!(
            next(&mut cursor, &argv, &spec, &mut messages),
            Found::Invalid('x')
        );
        assert_eq!(
            next(&mut cursor, &argv, &spec, &mut messages),
            Found::MissingArgument('a')
        );
        assert_eq!(
            messages,
            [
                "bash: illegal option -- x\n",
                "bash: option requires an argument -- a\n"
            ]
        );
    }

    #[test]
    fn the_cursor_survives_its_encoding() {
        let cursor = Cursor {
            optind: 3,
            curopt: 2,
            charindex: Some(4),
            published: "3".into(),
        };
        assert_eq!(Cursor::parse(&cursor.key()), Some(cursor));
        let fresh = Cursor::default();
        assert_eq!(Cursor::parse(&fresh.key()), Some(fresh));
    }

    #[test]
    fn optind_resets_like_bash() {
        assert_eq!(optind_from(Some("1")), 0);
        assert_eq!(optind_from(Some("-3")), 0);
        assert_eq!(optind_from(Some("x")), 0);
        assert_eq!(optind_from(Some("4")), 4);
        assert_eq!(optind_from(None), 0);
    }
}
