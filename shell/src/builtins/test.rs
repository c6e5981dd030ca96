//! `test expr` and `[ expr ]`.
//!
//! The grammar and its quirks are bash's `test.c`: the POSIX rules pick
//! the meaning of 0 to 4 arguments by count (`[ -n ]` is a one-argument
//! string test, true), longer expressions go through a recursive descent
//! over `!`, `-a`, `-o` and parentheses. Like bash, both sides of `-a` and
//! `-o` are evaluated (an error on the right is reported even when the
//! left decides), and the first error ends the test with status 2.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use brush_parser::ast::{BinaryPredicate, UnaryPredicate};

/// Status of a test that could not be evaluated.
const STATUS_ERROR: i32 = 2;

/// `test` and `[`: status 0 if the expression is true, 1 if false, 2 on a
/// syntax error.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let name = argv[0].clone();
        let mut argc = argv.len();
        if name == "[" {
            if argv.last().map(String::as_str) != Some("]") || argv.len() < 2 {
                sh.builtin_error(&name, "missing `]'").await;
                return done(STATUS_ERROR);
            }
            // The `]` stays in `args` past `argc`, where bash's messages
            // can still see it (`` `)' expected, found ] ``).
            argc -= 1;
        }
        let mut test = Test {
            args: argv,
            argc,
            pos: 1,
        };
        match test.posix(sh).await {
            Ok(true) => done(0),
            Ok(false) => done(1),
            Err(message) => {
                sh.builtin_error(&name, &message).await;
                done(STATUS_ERROR)
            }
        }
    })
}

/// An expression being evaluated: the arguments (`args[0]` is the command
/// name), how many belong to the expression, and the position of the next
/// one.
struct Test {
    args: Vec<String>,
    argc: usize,
    pos: usize,
}

type Eval<'a> = BoxFuture<'a, Result<bool, String>>;

impl Test {
    fn argc(&self) -> usize {
        self.argc
    }

    fn arg(&self, at: usize) -> &str {
        if at < self.argc {
            &self.args[at]
        } else {
            ""
        }
    }

    /// Moves past the current argument; with `needs_more`, there must be
    /// one after it.
    fn advance(&mut self, needs_more: bool) -> Result<(), String> {
        if needs_more && self.pos + 1 >= self.argc() {
            return Err("argument expected".into());
        }
        self.pos += 1;
        Ok(())
    }

    /// The POSIX rules by argument count, then the full grammar.
    async fn posix(&mut self, sh: &mut Interp) -> Result<bool, String> {
        let value = match self.argc() - 1 {
            0 => {
                self.pos = self.argc();
                false
            }
            1 => {
                self.pos = self.argc();
                !self.arg(1).is_empty()
            }
            2 => self.two_arguments(sh).await?,
            3 => self.three_arguments(sh).await?,
            4 if self.arg(1) == "!" => {
                self.pos += 1;
                !self.three_arguments(sh).await?
            }
            4 if self.arg(1) == "(" && self.arg(4) == ")" => {
                self.pos += 1;
                let value = self.two_arguments(sh).await?;
                self.pos = self.argc();
                value
            }
            _ => self.expr(sh).await?,
        };
        if self.pos < self.argc() {
            let next = self.arg(self.pos);
            return Err(if next.starts_with('-') {
                format!("syntax error: `{next}' unexpected")
            } else {
                "too many arguments".into()
            });
        }
        Ok(value)
    }

    async fn two_arguments(&mut self, sh: &mut Interp) -> Result<bool, String> {
        let first = self.arg(self.pos).to_string();
        let value = if first == "!" {
            self.arg(self.pos + 1).is_empty()
        } else if unary_op(&first).is_some() {
            self.unary_operator(sh).await?
        } else {
            return Err(format!("{first}: unary operator expected"));
        };
        self.pos = self.argc();
        Ok(value)
    }

    async fn three_arguments(&mut self, sh: &mut Interp) -> Result<bool, String> {
        let (a, op, b) = (
            self.arg(self.pos).to_string(),
            self.arg(self.pos + 1).to_string(),
            self.arg(self.pos + 2).to_string(),
        );
        let value = if is_binary_op(&op) {
            self.binary_operator(sh).await?
        } else if op == "-a" {
            !a.is_empty() && !b.is_empty()
        } else if op == "-o" {
            !a.is_empty() || !b.is_empty()
        } else if a == "!" {
            self.pos += 1;
            !self.two_arguments(sh).await?
        } else if a == "(" && b == ")" {
            !op.is_empty()
        } else {
            return Err(format!("{op}: binary operator expected"));
        };
        self.pos = self.argc();
        Ok(value)
    }

    fn expr<'a>(&'a mut self, sh: &'a mut Interp) -> Eval<'a> {
        Box::pin(async move {
            if self.pos >= self.argc() {
                return Err("argument expected".into());
            }
            self.or(sh).await
        })
    }

    fn or<'a>(&'a mut self, sh: &'a mut Interp) -> Eval<'a> {
        Box::pin(async move {
            let value = self.and(sh).await?;
            if self.pos < self.argc() && self.arg(self.pos) == "-o" {
                self.advance(false)?;
                let rest = self.or(sh).await?;
                return Ok(value || rest);
            }
            Ok(value)
        })
    }

    fn and<'a>(&'a mut self, sh: &'a mut Interp) -> Eval<'a> {
        Box::pin(async move {
            let value = self.term(sh).await?;
            if self.pos < self.argc() && self.arg(self.pos) == "-a" {
                self.advance(false)?;
                let rest = self.and(sh).await?;
                return Ok(value && rest);
            }
            Ok(value)
        })
    }

    fn term<'a>(&'a mut self, sh: &'a mut Interp) -> Eval<'a> {
        Box::pin(async move {
            if self.pos >= self.argc() {
                return Err("argument expected".into());
            }
            if self.arg(self.pos) == "!" {
                let mut negate = false;
                while self.pos < self.argc() && self.arg(self.pos) == "!" {
                    self.advance(true)?;
                    negate = !negate;
                }
                let value = self.term(sh).await?;
                return Ok(value != negate);
            }
            if self.arg(self.pos) == "(" {
                self.advance(true)?;
                let value = self.expr(sh).await?;
                match self.args.get(self.pos).map(String::as_str) {
                    None => return Err("`)' expected".into()),
                    Some(")") => {}
                    Some(other) => return Err(format!("`)' expected, found {other}")),
                }
                self.advance(false)?;
                return Ok(value);
            }
            if self.pos + 3 <= self.argc() && is_binary_op(self.arg(self.pos + 1)) {
                return self.binary_operator(sh).await;
            }
            if self.pos + 2 <= self.argc() && unary_op(self.arg(self.pos)).is_some() {
                return self.unary_operator(sh).await;
            }
            let value = !self.arg(self.pos).is_empty();
            self.advance(false)?;
            Ok(value)
        })
    }

    /// `-op operand` at the current position.
    async fn unary_operator(&mut self, sh: &mut Interp) -> Result<bool, String> {
        let op = self.arg(self.pos).to_string();
        let Some(predicate) = unary_op(&op) else {
            return Ok(false);
        };
        if matches!(predicate, UnaryPredicate::FdIsOpenTerminal) {
            // `-t` alone means `-t 1`; `-t x` (not a number) is false and
            // leaves `x` to be read as the next term.
            self.pos += 1;
            if self.pos >= self.argc() {
                return Ok(sh.unary_test(&predicate, "1").await);
            }
            if legal_number(self.arg(self.pos)).is_none() {
                return Ok(false);
            }
            self.pos += 1;
            return Ok(sh.unary_test(&predicate, self.arg(self.pos - 1)).await);
        }
        self.advance(true)?;
        let operand = self.arg(self.pos).to_string();
        self.pos += 1;
        Ok(sh.unary_test(&predicate, &operand).await)
    }

    /// `left op right` at the current position.
    async fn binary_operator(&mut self, sh: &mut Interp) -> Result<bool, String> {
        let (left, op, right) = (
            self.arg(self.pos).to_string(),
            self.arg(self.pos + 1).to_string(),
            self.arg(self.pos + 2).to_string(),
        );
        let Some(predicate) = binary_op(&op) else {
            return Err(format!("{op}: binary operator expected"));
        };
        let value = if is_arithmetic(&predicate) {
            let number =
                |s: &str| legal_number(s).ok_or(format!("{s}: integer expression expected"));
            let (a, b) = (number(&left)?, number(&right)?);
            sh.binary_test(&predicate, &a.to_string(), &b.to_string())
                .await?
        } else {
            sh.binary_test(&predicate, &left, &right).await?
        };
        self.pos += 3;
        Ok(value)
    }
}

/// The unary operator `op` names, if any.
fn unary_op(op: &str) -> Option<UnaryPredicate> {
    use UnaryPredicate::*;
    Some(match op {
        "-a" | "-e" => FileExists,
        "-b" => FileExistsAndIsBlockSpecialFile,
        "-c" => FileExistsAndIsCharSpecialFile,
        "-d" => FileExistsAndIsDir,
        "-f" => FileExistsAndIsRegularFile,
        "-g" => FileExistsAndIsSetgid,
        "-h" | "-L" => FileExistsAndIsSymlink,
        "-k" => FileExistsAndHasStickyBit,
        "-p" => FileExistsAndIsFifo,
        "-r" => FileExistsAndIsReadable,
        "-s" => FileExistsAndIsNotZeroLength,
        "-t" => FdIsOpenTerminal,
        "-u" => FileExistsAndIsSetuid,
        "-w" => FileExistsAndIsWritable,
        "-x" => FileExistsAndIsExecutable,
        "-G" => FileExistsAndOwnedByEffectiveGroupId,
        "-N" => FileExistsAndModifiedSinceLastRead,
        "-O" => FileExistsAndOwnedByEffectiveUserId,
        "-S" => FileExistsAndIsSocket,
        "-o" => ShellOptionEnabled,
        "-v" => ShellVariableIsSetAndAssigned,
        "-R" => ShellVariableIsSetAndNameRef,
        "-z" => StringHasZeroLength,
        "-n" => StringHasNonZeroLength,
        _ => return None,
    })
}

/// The binary operator `op` names, if any (`=~` is `[[`-only).
fn binary_op(op: &str) -> Option<BinaryPredicate> {
    use BinaryPredicate::*;
    Some(match op {
        "=" | "==" => StringExactlyMatchesString,
        "!=" => StringDoesNotExactlyMatchString,
        "<" => LeftSortsBeforeRight,
        ">" => LeftSortsAfterRight,
        "-ef" => FilesReferToSameDeviceAndInodeNumbers,
        "-nt" => LeftFileIsNewerOrExistsWhenRightDoesNot,
        "-ot" => LeftFileIsOlderOrDoesNotExistWhenRightDoes,
        "-eq" => ArithmeticEqualTo,
        "-ne" => ArithmeticNotEqualTo,
        "-lt" => ArithmeticLessThan,
        "-le" => ArithmeticLessThanOrEqualTo,
        "-gt" => ArithmeticGreaterThan,
        "-ge" => ArithmeticGreaterThanOrEqualTo,
        _ => return None,
    })
}

fn is_binary_op(op: &str) -> bool {
    binary_op(op).is_some()
}

fn is_arithmetic(predicate: &BinaryPredicate) -> bool {
    use BinaryPredicate::*;
    matches!(
        predicate,
        ArithmeticEqualTo
            | ArithmeticNotEqualTo
            | ArithmeticLessThan
            | ArithmeticLessThanOrEqualTo
            | ArithmeticGreaterThan
            | ArithmeticGreaterThanOrEqualTo
    )
}

/// bash's `legal_number`: optional blanks, an optional sign, decimal
/// digits, optional blanks; `None` if anything else or out of range.
pub(crate) fn legal_number(text: &str) -> Option<i64> {
    let blank = |c: char| c == ' ' || c == '\t';
    // strtoimax skips any leading white space; only blanks may trail.
    let body = text
        .trim_start_matches(|c: char| c.is_ascii_whitespace())
        .trim_end_matches(blank);
    let (negative, digits) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: i64 = 0;
    for b in digits.bytes() {
        let digit = i64::from(b - b'0');
        value = value.checked_mul(10)?;
        value = if negative {
            value.checked_sub(digit)?
        } else {
            value.checked_add(digit)?
        };
    }
    Some(value)
}

/// bash's `sh_invalidnum` message for `text`: octal and hex lookalikes
/// get their own wording.
pub(crate) fn invalid_number(text: &str) -> String {
    let kind = if text.starts_with('0') && text[1..].starts_with(|c: char| c.is_ascii_digit()) {
        "invalid octal number"
    } else if text.starts_with("0x") {
        "invalid hex number"
    } else {
        "invalid number"
    };
    format!("{text}: {kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_decimal_with_blanks_and_a_sign() {
        assert_eq!(legal_number(" 12 "), Some(12));
        assert_eq!(legal_number("+7"), Some(7));
        assert_eq!(legal_number("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(legal_number("9223372036854775808"), None);
        assert_eq!(legal_number("0x10"), None);
        assert_eq!(legal_number(""), None);
        assert_eq!(legal_number("1 2"), None);
    }
}
