//! Calls: user functions and the built-ins, whose arguments need special shapes (regex
//! operands, array names, assignable targets).

use super::expr::{regex_arg, to_lvalue};
use super::Parser;
use crate::ast::{Expr, LValue, Var};
use crate::error::Error;
use crate::lexer::{Builtin, Tok};

impl Parser<'_> {
    pub(super) fn user_call(&mut self, name: &str) -> Result<Expr, Error> {
        self.expect(Tok::LParen)?;
        let args = self.expr_list_until(Tok::RParen)?;
        if args.iter().any(|a| matches!(a, Expr::Group(_))) {
            return Err(self.error_near());
        }
        let func = self.func_ref(name);
        Ok(Expr::Call {
            func,
            args: args.into(),
        })
    }

    fn arity(&self, b: Builtin, n: usize, min: usize, max: usize) -> Result<(), Error> {
        if n < min || n > max {
            return Err(self.error(format!(
                "{n} is invalid as number of arguments for {}",
                b.name()
            )));
        }
        Ok(())
    }

    pub(super) fn builtin_call(&mut self, b: Builtin) -> Result<Expr, Error> {
        if self.tok != Tok::LParen {
            return match b {
                // `length` alone is `length($0)`.
                Builtin::Length => Ok(Expr::Builtin(
                    b,
                    vec![Expr::Field(Box::new(Expr::Num(0.0)))].into(),
                )),
                _ => Err(self.error_near()),
            };
        }
        self.advance()?;
        let args = self.expr_list_until(Tok::RParen)?;
        if args.iter().any(|a| matches!(a, Expr::Group(_))) {
            return Err(self.error_near());
        }
        let n = args.len();
        use Builtin::*;
        match b {
            Length => {
                self.arity(b, n, 0, 1)?;
                if n == 0 {
                    return Ok(Expr::Builtin(
                        b,
                        vec![Expr::Field(Box::new(Expr::Num(0.0)))].into(),
                    ));
                }
                Ok(Expr::Builtin(b, args.into()))
            }
            Split => {
                self.arity(b, n, 2, 3)?;
                let mut it = args.into_iter();
                let s = it.next().unwrap_or(Expr::Num(0.0));
                let arr = self.array_arg(it.next(), "split")?;
                let sep = it.next().map(regex_arg);
                Ok(Expr::Split(Box::new(s), arr, sep))
            }
            Sub | Gsub => {
                self.arity(b, n, 2, 3)?;
                let mut it = args.into_iter();
                let re = regex_arg(it.next().unwrap_or(Expr::Num(0.0)));
                let repl = it.next().unwrap_or(Expr::Num(0.0));
                let target = match it.next() {
                    None => Ok(Box::new(LValue::Field(Box::new(Expr::Num(0.0))))),
                    Some(e) => to_lvalue(e).map(Box::new).map_err(Box::new),
                };
                Ok(Expr::Sub {
                    global: b == Gsub,
                    re,
                    repl: Box::new(repl),
                    target,
                })
            }
            Match => {
                self.arity(b, n, 2, 2)?;
                let mut it = args.into_iter();
                let s = it.next().unwrap_or(Expr::Num(0.0));
                let re = regex_arg(it.next().unwrap_or(Expr::Num(0.0)));
                Ok(Expr::MatchFn(Box::new(s), re))
            }
            Substr => {
                self.arity(b, n, 2, 3)?;
                Ok(Expr::Builtin(b, args.into()))
            }
            Index | Atan2 => {
                self.arity(b, n, 2, 2)?;
                Ok(Expr::Builtin(b, args.into()))
            }
            Sprintf => {
                self.arity(b, n, 1, usize::MAX)?;
                Ok(Expr::Builtin(b, args.into()))
            }
            Sin | Cos | Exp | Log | Sqrt | Int | Tolower | Toupper | Close | System => {
                self.arity(b, n, 1, 1)?;
                Ok(Expr::Builtin(b, args.into()))
            }
            Gensub => {
                self.arity(b, n, 3, 4)?;
                let mut it = args.into_iter();
                let re = regex_arg(it.next().unwrap_or(Expr::Num(0.0)));
                let repl = it.next().unwrap_or(Expr::Num(0.0));
                let how = it.next().unwrap_or(Expr::Num(0.0));
                Ok(Expr::Gensub {
                    re,
                    repl: Box::new(repl),
                    how: Box::new(how),
                    target: it.next().map(Box::new),
                })
            }
            Asort | Asorti => {
                self.arity(b, n, 1, 2)?;
                let mut it = args.into_iter();
                let src = self.array_arg(it.next(), b.name())?;
                let dest = match it.next() {
                    None => None,
                    Some(e) => Some(self.array_arg(Some(e), b.name())?),
                };
                Ok(Expr::Asort {
                    indices: b == Asorti,
                    src,
                    dest,
                })
            }
            Systime => {
                self.arity(b, n, 0, 0)?;
                Ok(Expr::Builtin(b, args.into()))
            }
            Strftime => {
                self.arity(b, n, 0, 3)?;
                Ok(Expr::Builtin(b, args.into()))
            }
            Mktime => {
                self.arity(b, n, 1, 1)?;
                Ok(Expr::Builtin(b, args.into()))
            }
            Rand => {
                self.arity(b, n, 0, 0)?;
                Ok(Expr::Builtin(b, args.into()))
            }
            Srand | Fflush => {
                self.arity(b, n, 0, 1)?;
                Ok(Expr::Builtin(b, args.into()))
            }
        }
    }

    fn array_arg(&self, e: Option<Expr>, what: &str) -> Result<Var, Error> {
        match e {
            Some(Expr::Var(v)) => Ok(v),
            _ => Err(self.error(format!("{what}: argument is not an array name"))),
        }
    }
}
