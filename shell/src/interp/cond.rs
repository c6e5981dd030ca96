//! `[[ … ]]`, and the file and string tests it shares with `test`/`[`.

use super::{BoxFuture, Interp};
use crate::error::{Exec, Flow};
use crate::expand::pattern::Pattern;
use crate::expand::Part;
use crate::state::Value;
use brush_parser::ast::{self, BinaryPredicate, ExtendedTestExpr, UnaryPredicate};
use std::sync::Arc;
use wasm_agent_vfs::FileType;

impl Interp {
    /// Runs `[[ expr ]]`: status 0 if true, 1 if false, 2 on an error.
    pub(crate) async fn run_extended_test(
        &mut self,
        test: &ast::ExtendedTestExprCommand,
        redirects: Option<&ast::RedirectList>,
    ) -> Exec {
        let saved = match redirects {
            Some(list) if !list.0.is_empty() => {
                let saved = self.state.fds.clone();
                let redirects: Vec<&ast::IoRedirect> = list.0.iter().collect();
                if !self.apply_redirects(&redirects).await? {
                    self.state.fds = saved;
                    return Ok(Flow::Normal);
                }
                Some(saved)
            }
            _ => None,
        };
        let status = match self.eval_extended(&test.expr).await? {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(message) => {
                if !message.is_empty() {
                    self.error_line(&message).await;
                }
                2
            }
        };
        if let Some(saved) = saved {
            self.state.fds = saved;
        }
        self.set_status(status);
        Ok(Flow::Normal)
    }

    fn eval_extended<'a>(
        &'a mut self,
        expr: &'a ExtendedTestExpr,
    ) -> BoxFuture<'a, Exec<Result<bool, String>>> {
        Box::pin(async move {
            Ok(match expr {
                ExtendedTestExpr::And(a, b) => match self.eval_extended(a).await? {
                    Ok(true) => self.eval_extended(b).await?,
                    other => other,
                },
                ExtendedTestExpr::Or(a, b) => match self.eval_extended(a).await? {
                    Ok(false) => self.eval_extended(b).await?,
                    other => other,
                },
                ExtendedTestExpr::Not(inner) => {
                    // `set -x` shows `! test` as one primary.
                    let leaf = matches!(
                        **inner,
                        ExtendedTestExpr::UnaryTest(..) | ExtendedTestExpr::BinaryTest(..)
                    );
                    self.trace_negated = leaf;
                    let result = self.eval_extended(inner).await?.map(|b| !b);
                    self.trace_negated = false;
                    result
                }
                ExtendedTestExpr::Parenthesized(inner) => self.eval_extended(inner).await?,
                ExtendedTestExpr::UnaryTest(predicate, word) => {
                    let operand = self.expand_string(&word.value).await?;
                    self.trace_test(&format!("{predicate} {}", operand)).await;
                    Ok(self.unary_test(predicate, &operand).await)
                }
                ExtendedTestExpr::BinaryTest(predicate, left, right) => {
                    let lhs = self.expand_string(&left.value).await?;
                    match predicate {
                        BinaryPredicate::StringExactlyMatchesPattern
                        | BinaryPredicate::StringDoesNotExactlyMatchPattern => {
                            let pattern = self.expand_pattern(&right.value).await?;
                            self.trace_test(&format!("{} {predicate} {pattern}", lhs))
                                .await;
                            let matched =
                                Pattern::new(&pattern, true, self.state.options.nocasematch)
                                    .matches(&lhs);
                            Ok(matched
                                == matches!(
                                    predicate,
                                    BinaryPredicate::StringExactlyMatchesPattern
                                ))
                        }
                        BinaryPredicate::StringMatchesRegex => {
                            let parts = self.expand_parts(&right.value, false).await?;
                            if self.state.options.xtrace {
                                let shown: String = parts
                                    .iter()
                                    .filter_map(|p| match p {
                                        Part::Text { text, .. } => Some(text.as_str()),
                                        _ => None,
                                    })
                                    .collect();
                                self.trace_test(&format!("{} =~ {shown}", lhs)).await;
                            }
                            self.regex_match(&lhs, &parts)
                        }
                        BinaryPredicate::ArithmeticEqualTo
                        | BinaryPredicate::ArithmeticNotEqualTo
                        | BinaryPredicate::ArithmeticLessThan
                        | BinaryPredicate::ArithmeticLessThanOrEqualTo
                        | BinaryPredicate::ArithmeticGreaterThan
                        | BinaryPredicate::ArithmeticGreaterThanOrEqualTo => {
                            let rhs = self.expand_string(&right.value).await?;
                            self.trace_test(&format!("{} {predicate} {}", lhs, rhs))
                                .await;
                            // Inside [[ ]], both sides are arithmetic expressions;
                            // a bad one makes the test false, as in bash, which
                            // goes on with the rest of the expression.
                            let (a, b) = match self
                                .eval_arith_str(&lhs)
                                .and_then(|a| self.eval_arith_str(&rhs).map(|b| (a, b)))
                            {
                                Ok(pair) => pair,
                                Err(message) => {
                                    self.error_line(&format!("[[: {message}")).await;
                                    return Ok(Ok(false));
                                }
                            };
                            Ok(compare_numbers(predicate, a, b))
                        }
                        _ => {
                            let rhs = self.expand_string(&right.value).await?;
                            self.trace_test(&format!("{} {predicate} {}", lhs, rhs))
                                .await;
                            self.binary_test(predicate, &lhs, &rhs).await
                        }
                    }
                }
            })
        })
    }

    /// Under `set -x`, shows one evaluated primary of `[[ ]]` as bash does.
    async fn trace_test(&mut self, test: &str) {
        if !self.state.options.xtrace {
            return;
        }
        let negation = if std::mem::take(&mut self.trace_negated) {
            "! "
        } else {
            ""
        };
        self.trace_line(&format!("[[ {negation}{test} ]]")).await;
    }

    /// `[[ $s =~ regex ]]`: quoted parts of the regex match literally;
    /// sets `BASH_REMATCH`.
    fn regex_match(&mut self, text: &str, parts: &[Part]) -> Result<bool, String> {
        let mut source = String::new();
        for part in parts {
            if let Part::Text { text, quoted, .. } = part {
                if *quoted {
                    source.push_str(&regex::escape(text));
                } else {
                    source.push_str(text);
                }
            }
        }
        // An invalid regex is status 2 without a message, as in bash.
        let regex = regex::Regex::new(&source).map_err(|_| String::new())?;
        match regex.captures(text) {
            Some(captures) => {
                let groups = captures
                    .iter()
                    .map(|m| m.map_or(String::new(), |m| m.as_str().to_string()));
                self.state.vars.insert(
                    "BASH_REMATCH",
                    crate::state::Variable {
                        value: Some(Value::indexed(groups)),
                        attrs: Default::default(),
                    },
                );
                Ok(true)
            }
            None => {
                self.state.vars.insert(
                    "BASH_REMATCH",
                    crate::state::Variable {
                        value: Some(Value::Indexed(Arc::new(Default::default()))),
                        attrs: Default::default(),
                    },
                );
                Ok(false)
            }
        }
    }

    /// A unary test of `test`, `[` and `[[`.
    pub(crate) async fn unary_test(&mut self, predicate: &UnaryPredicate, operand: &str) -> bool {
        let path = || self.absolute_path(operand);
        let fs = self.env.fs.clone();
        match predicate {
            UnaryPredicate::StringHasZeroLength => operand.is_empty(),
            UnaryPredicate::StringHasNonZeroLength => !operand.is_empty(),
            UnaryPredicate::ShellVariableIsSetAndAssigned => {
                if let Some((name, index)) =
                    operand.strip_suffix(']').and_then(|s| s.split_once('['))
                {
                    match index {
                        "@" | "*" => self.value(name).is_some_and(|v| !v.is_empty()),
                        _ => self.element(name, index).is_some(),
                    }
                } else {
                    self.value(operand).is_some()
                }
            }
            UnaryPredicate::ShellVariableIsSetAndNameRef => self.attrs(operand).nameref,
            UnaryPredicate::ShellOptionEnabled => crate::state::options::SET_OPTIONS
                .iter()
                .find(|(name, _, _)| *name == operand)
                .is_some_and(|(_, _, field)| *field(&mut self.state.options.clone())),
            UnaryPredicate::FdIsOpenTerminal => false,
            UnaryPredicate::FileExistsAndIsSymlink => fs
                .symlink_metadata(&path())
                .await
                .is_ok_and(|m| m.file_type == FileType::Symlink),
            other => {
                if operand.is_empty() {
                    return false;
                }
                let Ok(meta) = fs.metadata(&path()).await else {
                    return false;
                };
                // `file/` names a directory: for anything else the system
                // says ENOTDIR, and every file test is false.
                if operand.ends_with('/') && !meta.is_dir() {
                    return false;
                }
                match other {
                    UnaryPredicate::FileExists => true,
                    UnaryPredicate::FileExistsAndIsDir => meta.is_dir(),
                    UnaryPredicate::FileExistsAndIsRegularFile => meta.is_file(),
                    UnaryPredicate::FileExistsAndIsCharSpecialFile => {
                        meta.file_type == FileType::CharDevice
                    }
                    UnaryPredicate::FileExistsAndIsNotZeroLength => meta.len > 0,
                    // The sandbox has one user, who may read and write
                    // everything writable; directories and files with an
                    // execute bit are executable.
                    UnaryPredicate::FileExistsAndIsReadable => true,
                    UnaryPredicate::FileExistsAndIsWritable => meta.mode & 0o200 != 0,
                    UnaryPredicate::FileExistsAndIsExecutable => {
                        meta.is_dir() || meta.mode & 0o111 != 0
                    }
                    UnaryPredicate::FileExistsAndOwnedByEffectiveUserId
                    | UnaryPredicate::FileExistsAndOwnedByEffectiveGroupId => true,
                    UnaryPredicate::FileExistsAndModifiedSinceLastRead => meta.mtime > meta.atime,
                    _ => false,
                }
            }
        }
    }

    /// A binary test of `test`, `[` and `[[` (string `=` compares plainly
    /// here; `[[` handles patterns and regexes itself).
    pub(crate) async fn binary_test(
        &mut self,
        predicate: &BinaryPredicate,
        lhs: &str,
        rhs: &str,
    ) -> Result<bool, String> {
        let fs = self.env.fs.clone();
        Ok(match predicate {
            BinaryPredicate::StringExactlyMatchesString
            | BinaryPredicate::StringExactlyMatchesPattern => lhs == rhs,
            BinaryPredicate::StringDoesNotExactlyMatchString
            | BinaryPredicate::StringDoesNotExactlyMatchPattern => lhs != rhs,
            BinaryPredicate::StringContainsSubstring => lhs.contains(rhs),
            BinaryPredicate::LeftSortsBeforeRight => lhs < rhs,
            BinaryPredicate::LeftSortsAfterRight => lhs > rhs,
            BinaryPredicate::StringMatchesRegex => {
                let regex = regex::Regex::new(rhs)
                    .map_err(|_| format!("{rhs}: invalid regular expression"))?;
                regex.is_match(lhs)
            }
            BinaryPredicate::FilesReferToSameDeviceAndInodeNumbers => {
                let (a, b) = (
                    fs.metadata(&self.absolute_path(lhs)).await,
                    fs.metadata(&self.absolute_path(rhs)).await,
                );
                matches!((a, b), (Ok(a), Ok(b)) if a.ino == b.ino)
            }
            BinaryPredicate::LeftFileIsNewerOrExistsWhenRightDoesNot
            | BinaryPredicate::LeftFileIsOlderOrDoesNotExistWhenRightDoes => {
                let a = fs
                    .metadata(&self.absolute_path(lhs))
                    .await
                    .ok()
                    .map(|m| m.mtime);
                let b = fs
                    .metadata(&self.absolute_path(rhs))
                    .await
                    .ok()
                    .map(|m| m.mtime);
                let newer = match (a, b) {
                    (Some(a), Some(b)) => a > b,
                    (Some(_), None) => true,
                    _ => false,
                };
                let older = match (a, b) {
                    (Some(a), Some(b)) => a < b,
                    (None, Some(_)) => true,
                    _ => false,
                };
                if matches!(
                    predicate,
                    BinaryPredicate::LeftFileIsNewerOrExistsWhenRightDoesNot
                ) {
                    newer
                } else {
                    older
                }
            }
            arithmetic => {
                let parse = |s: &str| -> Result<i64, String> {
                    s.trim()
                        .parse()
                        .map_err(|_| format!("{s}: integer expression expected"))
                };
                compare_numbers(arithmetic, parse(lhs)?, parse(rhs)?)
            }
        })
    }
}

fn compare_numbers(predicate: &BinaryPredicate, a: i64, b: i64) -> bool {
    match predicate {
        BinaryPredicate::ArithmeticEqualTo => a == b,
        BinaryPredicate::ArithmeticNotEqualTo => a != b,
        BinaryPredicate::ArithmeticLessThan => a < b,
        BinaryPredicate::ArithmeticLessThanOrEqualTo => a <= b,
        BinaryPredicate::ArithmeticGreaterThan => a > b,
        BinaryPredicate::ArithmeticGreaterThanOrEqualTo => a >= b,
        _ => false,
    }
}
