//! Expression grammar, lowest precedence first:
//! assignment, `?:`, `||`, `&&`, `in`, `~ !~`, relational (and `cmd | getline`),
//! concatenation, `+ -`, `* / %`, unary `! - +`, `^`, `++ --`, `$`, primary.
//!
//! `no_gt` is set for the unparenthesised arguments of `print`/`printf`, where `>` is an
//! output redirection rather than a comparison and `|` a pipe.

use super::Parser;
use crate::ast::{ArithOp, CmpOp, Expr, GetlineSrc, LValue, Redirect, RegexArg, Var};
use crate::error::Error;
use crate::lexer::Tok;
use crate::special;
use std::rc::Rc;

/// Turns an expression into an assignable place, if it is one.
pub(super) fn to_lvalue(e: Expr) -> Result<LValue, Expr> {
    match e {
        Expr::Var(v) => Ok(LValue::Var(v)),
        Expr::Nf => Ok(LValue::Var(Var::Global(special::NF))),
        Expr::Field(i) => Ok(LValue::Field(i)),
        Expr::Index(v, k) => Ok(LValue::Index(v, k)),
        other => Err(other),
    }
}

/// Whether two subscript lists are the same side-effect-free expressions, so `a[k]` on
/// both sides of an assignment names one element.
fn same_keys(a: &[Expr], b: &[Expr]) -> bool {
    fn same(x: &Expr, y: &Expr) -> bool {
        match (x, y) {
            (Expr::Num(p), Expr::Num(q)) => p == q,
            (Expr::Str(p), Expr::Str(q)) => p == q,
            (Expr::Var(p), Expr::Var(q)) => p == q,
            (Expr::Nf, Expr::Nf) => true,
            (Expr::Field(p), Expr::Field(q)) => same(p, q),
            _ => false,
        }
    }
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
}

fn is_lvalue(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Var(_) | Expr::Nf | Expr::Field(_) | Expr::Index(..)
    )
}

impl Parser<'_> {
    /// A full expression (assignment level).
    pub(super) fn expr(&mut self, no_gt: bool) -> Result<Expr, Error> {
        self.enter()?;
        let r = self.assignment(no_gt);
        self.leave();
        r
    }

    fn assignment(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let lhs = self.ternary(no_gt)?;
        let op = match self.tok {
            Tok::Assign => None,
            Tok::AddAssign => Some(ArithOp::Add),
            Tok::SubAssign => Some(ArithOp::Sub),
            Tok::MulAssign => Some(ArithOp::Mul),
            Tok::DivAssign => Some(ArithOp::Div),
            Tok::ModAssign => Some(ArithOp::Mod),
            Tok::PowAssign => Some(ArithOp::Pow),
            _ => return Ok(lhs),
        };
        if !is_lvalue(&lhs) {
            // `/=` after a non-lvalue cannot be an assignment; report it plainly.
            return Err(self.error_near());
        }
        self.advance()?;
        self.opt_newlines()?;
        let rhs = self.expr(no_gt)?;
        let lv = to_lvalue(lhs).map_err(|_| self.error_near())?;
        if let (None, LValue::Index(v, keys), Expr::Concat(parts)) = (op, &lv, &rhs) {
            let same = parts.len() >= 2
                && matches!(&parts[0], Expr::Index(v2, k2) if v2 == v && same_keys(keys, k2));
            if same {
                let (LValue::Index(v, keys), Expr::Concat(parts)) = (lv, rhs) else {
                    unreachable!("matched above")
                };
                let rest: Vec<Expr> = parts.into_vec().into_iter().skip(1).collect();
                return Ok(Expr::AppendElem(v, keys, rest.into()));
            }
        }
        if let (None, LValue::Var(v), Expr::Concat(parts)) = (op, &lv, &rhs) {
            let plain = match v {
                Var::Global(g) => *g >= special::COUNT,
                Var::Local(_) => true,
            };
            if plain && parts.len() >= 2 && matches!(&parts[0], Expr::Var(first) if first == v) {
                let Expr::Concat(parts) = rhs else {
                    unreachable!("matched above")
                };
                let rest: Vec<Expr> = parts.into_vec().into_iter().skip(1).collect();
                return Ok(Expr::Append(*v, rest.into()));
            }
        }
        Ok(match op {
            None => Expr::Assign(Box::new(lv), Box::new(rhs)),
            Some(op) => Expr::AugAssign(op, Box::new(lv), Box::new(rhs)),
        })
    }

    fn ternary(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let cond = self.or(no_gt)?;
        if self.tok != Tok::Question {
            return Ok(cond);
        }
        self.advance()?;
        self.opt_newlines()?;
        let a = self.expr(no_gt)?;
        self.opt_newlines()?;
        self.expect(Tok::Colon)?;
        self.opt_newlines()?;
        let b = self.expr(no_gt)?;
        Ok(Expr::Cond(Box::new(cond), Box::new(a), Box::new(b)))
    }

    fn or(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let mut lhs = self.and(no_gt)?;
        let mut nested = 0;
        while self.tok == Tok::Or {
            self.enter()?;
            nested += 1;
            self.advance()?;
            self.opt_newlines()?;
            let rhs = self.and(no_gt)?;
            lhs = Expr::Or(Box::new(lhs), Box::new(rhs));
        }
        self.depth -= nested;
        Ok(lhs)
    }

    fn and(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let mut lhs = self.in_expr(no_gt)?;
        let mut nested = 0;
        while self.tok == Tok::And {
            self.enter()?;
            nested += 1;
            self.advance()?;
            self.opt_newlines()?;
            let rhs = self.in_expr(no_gt)?;
            lhs = Expr::And(Box::new(lhs), Box::new(rhs));
        }
        self.depth -= nested;
        Ok(lhs)
    }

    fn in_expr(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let mut lhs = self.matching(no_gt)?;
        let mut nested = 0;
        while self.tok == Tok::In {
            self.enter()?;
            nested += 1;
            self.advance()?;
            let arr = self.array_name()?;
            let keys = match lhs {
                Expr::Group(list) => list,
                other => vec![other].into(),
            };
            lhs = Expr::In(keys, arr);
        }
        self.depth -= nested;
        Ok(lhs)
    }

    pub(super) fn array_name(&mut self) -> Result<Var, Error> {
        match self.advance()? {
            Tok::Name(n) => Ok(self.var_ref(&n)),
            _ => Err(self.error_near()),
        }
    }

    fn matching(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let mut lhs = self.relational(no_gt)?;
        let mut nested = 0;
        while matches!(self.tok, Tok::Match | Tok::NoMatch) {
            self.enter()?;
            nested += 1;
            let negate = self.advance()? == Tok::NoMatch;
            let rhs = self.relational(no_gt)?;
            lhs = Expr::Match {
                negate,
                lhs: Box::new(lhs),
                re: regex_arg(rhs),
            };
        }
        self.depth -= nested;
        Ok(lhs)
    }

    fn relational(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let mut lhs = self.concat(no_gt)?;
        let mut nested = 0;
        loop {
            if self.tok == Tok::Pipe && self.peek()? == Tok::Getline {
                self.advance()?;
                self.advance()?;
                let var = self.getline_var()?;
                lhs = Expr::Getline {
                    src: GetlineSrc::Cmd(Box::new(lhs)),
                    var,
                };
                continue;
            }
            let op = match self.tok {
                Tok::Lt => CmpOp::Lt,
                Tok::Le => CmpOp::Le,
                Tok::Eq => CmpOp::Eq,
                Tok::Ne => CmpOp::Ne,
                Tok::Gt if !no_gt => CmpOp::Gt,
                Tok::Ge => CmpOp::Ge,
                _ => {
                    self.depth -= nested;
                    return Ok(lhs);
                }
            };
            self.enter()?;
            nested += 1;
            self.advance()?;
            let rhs = self.concat(no_gt)?;
            lhs = Expr::Cmp(op, Box::new(lhs), Box::new(rhs));
        }
    }

    /// Whether the current token can start a concatenated operand.
    fn starts_operand(&self) -> bool {
        matches!(
            self.tok,
            Tok::Number(_)
                | Tok::Str(_)
                | Tok::Name(_)
                | Tok::FuncName(_)
                | Tok::Builtin(_)
                | Tok::Dollar
                | Tok::Not
                | Tok::LParen
                | Tok::Minus
                | Tok::Plus
                | Tok::Incr
                | Tok::Decr
        )
    }

    fn concat(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let first = self.additive(no_gt)?;
        if !self.starts_operand() || self.tok == Tok::In {
            return Ok(first);
        }
        let mut parts = vec![first];
        while self.starts_operand() {
            parts.push(self.additive(no_gt)?);
        }
        Ok(Expr::Concat(parts.into()))
    }

    fn additive(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let mut lhs = self.multiplicative(no_gt)?;
        let mut nested = 0;
        loop {
            let op = match self.tok {
                Tok::Plus => ArithOp::Add,
                Tok::Minus => ArithOp::Sub,
                _ => {
                    self.depth -= nested;
                    return Ok(lhs);
                }
            };
            self.enter()?;
            nested += 1;
            self.advance()?;
            let rhs = self.multiplicative(no_gt)?;
            lhs = Expr::Arith(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn multiplicative(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let mut lhs = self.unary(no_gt)?;
        let mut nested = 0;
        loop {
            let op = match self.tok {
                Tok::Star => ArithOp::Mul,
                Tok::Div => ArithOp::Div,
                Tok::Mod => ArithOp::Mod,
                _ => {
                    self.depth -= nested;
                    return Ok(lhs);
                }
            };
            self.enter()?;
            nested += 1;
            self.advance()?;
            let rhs = self.unary(no_gt)?;
            lhs = Expr::Arith(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn unary(&mut self, no_gt: bool) -> Result<Expr, Error> {
        self.enter()?;
        let r = match self.tok {
            Tok::Not => {
                self.advance()?;
                Ok(Expr::Not(Box::new(self.unary(no_gt)?)))
            }
            Tok::Minus => {
                self.advance()?;
                Ok(Expr::Neg(Box::new(self.unary(no_gt)?)))
            }
            Tok::Plus => {
                self.advance()?;
                Ok(Expr::Plus(Box::new(self.unary(no_gt)?)))
            }
            _ => self.power(no_gt),
        };
        self.leave();
        r
    }

    fn power(&mut self, no_gt: bool) -> Result<Expr, Error> {
        let base = self.postfix()?;
        if self.tok != Tok::Pow {
            return Ok(base);
        }
        self.advance()?;
        // Right associative, and the exponent may carry a sign: 2^-1.
        let exp = self.unary(no_gt)?;
        Ok(Expr::Arith(ArithOp::Pow, Box::new(base), Box::new(exp)))
    }

    /// Prefix/postfix increment and decrement around a primary.
    fn postfix(&mut self) -> Result<Expr, Error> {
        if matches!(self.tok, Tok::Incr | Tok::Decr) {
            let delta = if self.advance()? == Tok::Incr {
                1.0
            } else {
                -1.0
            };
            let e = self.postfix()?;
            let lv = to_lvalue(e).map_err(|_| self.error_near())?;
            return Ok(Expr::IncDec {
                lv: Box::new(lv),
                delta,
                prefix: true,
            });
        }
        let e = self.primary()?;
        if matches!(self.tok, Tok::Incr | Tok::Decr) && is_lvalue(&e) {
            let delta = if self.advance()? == Tok::Incr {
                1.0
            } else {
                -1.0
            };
            let lv = to_lvalue(e).map_err(|_| self.error_near())?;
            return Ok(Expr::IncDec {
                lv: Box::new(lv),
                delta,
                prefix: false,
            });
        }
        Ok(e)
    }

    /// The operand of `$`: a primary, possibly with prefix `++`/`--` or a sign.
    fn dollar_operand(&mut self) -> Result<Expr, Error> {
        self.enter()?;
        let r = match self.tok {
            Tok::Incr | Tok::Decr => {
                let delta = if self.advance()? == Tok::Incr {
                    1.0
                } else {
                    -1.0
                };
                let e = self.dollar_operand()?;
                let lv = to_lvalue(e).map_err(|_| self.error_near())?;
                Ok(Expr::IncDec {
                    lv: Box::new(lv),
                    delta,
                    prefix: true,
                })
            }
            Tok::Minus => {
                self.advance()?;
                Ok(Expr::Neg(Box::new(self.dollar_operand()?)))
            }
            Tok::Plus => {
                self.advance()?;
                Ok(Expr::Plus(Box::new(self.dollar_operand()?)))
            }
            Tok::Not => {
                self.advance()?;
                Ok(Expr::Not(Box::new(self.dollar_operand()?)))
            }
            _ => self.primary(),
        };
        self.leave();
        r
    }

    fn primary(&mut self) -> Result<Expr, Error> {
        match self.tok.clone() {
            Tok::Number(n) => {
                self.advance()?;
                Ok(Expr::Num(n))
            }
            Tok::Str(s) => {
                self.advance()?;
                Ok(Expr::Str(crate::value::Str::from(s)))
            }
            Tok::Div | Tok::DivAssign => self.regex_literal(),
            Tok::Dollar => {
                self.advance()?;
                let e = self.dollar_operand()?;
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::LParen => {
                self.advance()?;
                let list = self.expr_list_until(Tok::RParen)?;
                let mut it = list.into_iter();
                match (it.next(), it.len()) {
                    (None, _) => Err(self.error_near()),
                    (Some(e), 0) => Ok(e),
                    // `(a, b)`: valid before `in` and as print's argument list; the
                    // resolver rejects it anywhere else.
                    (Some(first), _) => Ok(Expr::Group(std::iter::once(first).chain(it).collect())),
                }
            }
            Tok::Name(n) => {
                self.advance()?;
                let v = self.var_ref(&n);
                if self.tok == Tok::LBracket {
                    self.advance()?;
                    let keys = self.expr_list_until(Tok::RBracket)?;
                    if keys.is_empty() {
                        return Err(self.error_near());
                    }
                    return Ok(Expr::Index(v, keys.into()));
                }
                if v == Var::Global(special::NF) {
                    return Ok(Expr::Nf);
                }
                Ok(Expr::Var(v))
            }
            Tok::FuncName(n) => {
                self.advance()?;
                self.user_call(&n)
            }
            Tok::Builtin(b) => {
                self.advance()?;
                self.builtin_call(b)
            }
            Tok::Getline => {
                self.advance()?;
                let var = self.getline_var()?;
                if self.tok == Tok::Lt {
                    self.advance()?;
                    let file = self.postfix()?;
                    return Ok(Expr::Getline {
                        src: GetlineSrc::File(Box::new(file)),
                        var,
                    });
                }
                Ok(Expr::Getline {
                    src: GetlineSrc::Main,
                    var,
                })
            }
            Tok::Minus | Tok::Plus | Tok::Not => self.unary(false),
            Tok::Incr | Tok::Decr => self.postfix(),
            _ => Err(self.error_near()),
        }
    }

    /// A `/regex/` operand; compiling needs a large stack frame, kept out of `primary`.
    #[inline(never)]
    fn regex_literal(&mut self) -> Result<Expr, Error> {
        let had_eq = self.tok == Tok::DivAssign;
        let t = self.lexer().regex_after_slash(had_eq)?;
        let Tok::Regex(src) = t else {
            return Err(self.error_near());
        };
        let re = crate::ere::Regex::new(&src).map_err(|m| self.error(m))?;
        self.advance()?;
        Ok(Expr::Regex(Rc::new(re)))
    }

    /// The optional variable after `getline`.
    fn getline_var(&mut self) -> Result<Option<Box<LValue>>, Error> {
        match self.tok {
            Tok::Name(_) | Tok::Dollar => {
                let e = self.primary()?;
                let lv = to_lvalue(e).map_err(|_| self.error_near())?;
                Ok(Some(Box::new(lv)))
            }
            _ => Ok(None),
        }
    }

    /// Comma-separated expressions up to `close` (consumed); newlines allowed after commas.
    pub(super) fn expr_list_until(&mut self, close: Tok) -> Result<Vec<Expr>, Error> {
        let mut v = Vec::new();
        self.opt_newlines()?;
        if self.tok == close {
            self.advance()?;
            return Ok(v);
        }
        loop {
            v.push(self.expr(false)?);
            self.opt_newlines()?;
            if self.tok == Tok::Comma {
                self.advance()?;
                self.opt_newlines()?;
                continue;
            }
            if self.tok == close {
                self.advance()?;
                return Ok(v);
            }
            return Err(self.error_near());
        }
    }

    /// Arguments and redirection of `print`/`printf`.
    pub(super) fn print_args(&mut self) -> Result<(Vec<Expr>, Option<Redirect>), Error> {
        let mut args = Vec::new();
        if !matches!(
            self.tok,
            Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof | Tok::Gt | Tok::Append | Tok::Pipe
        ) {
            loop {
                args.push(self.expr(true)?);
                if self.tok == Tok::Comma {
                    self.advance()?;
                    self.opt_newlines()?;
                    continue;
                }
                break;
            }
        }
        // `print (a, b)` groups the whole list.
        if args.len() == 1 {
            if let Expr::Group(_) = &args[0] {
                if let Some(Expr::Group(list)) = args.pop() {
                    args = list.into_vec();
                }
            }
        }
        let redir = match self.tok {
            Tok::Gt => {
                self.advance()?;
                Some(Redirect::Write(self.concat(true)?))
            }
            Tok::Append => {
                self.advance()?;
                Some(Redirect::Append(self.concat(true)?))
            }
            Tok::Pipe => {
                self.advance()?;
                Some(Redirect::Pipe(self.concat(true)?))
            }
            _ => None,
        };
        for a in &args {
            if matches!(a, Expr::Group(_)) {
                return Err(self.error_near());
            }
        }
        Ok((args, redir))
    }
}

/// The right operand of `~`: a regex literal is used as such, anything else dynamically.
pub(super) fn regex_arg(e: Expr) -> RegexArg {
    match e {
        Expr::Regex(r) => RegexArg::Static(r),
        other => RegexArg::Dynamic(Box::new(other)),
    }
}
