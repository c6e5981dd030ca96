//! The evaluator: bash's recursive descent (expr.c), which evaluates while
//! it parses. Following it closely is what makes the error messages
//! match: bash reports the expression being evaluated and, as the "error
//! token", the text from the start of the last token read (`lasttp`),
//! and which token that is depends on how far the reader got — variables
//! are looked up when their name is read, a name's next token is peeked
//! at to see whether it is assigned, and `a && b` reads `b` without
//! evaluating it (`noeval`).

use super::lexer::{constant, is_space, scan, BinOp, Tok};
use crate::interp::Interp;

/// Deepest nesting of expressions evaluated for variables' values
/// (bash's `MAX_EXPR_RECURSION_LEVEL`).
const MAX_DEPTH: u32 = 1024;

/// Stack the evaluation may use before it gives up with bash's recursion
/// error, so that `x=x+1` or `((((…` fail cleanly on a 2 MiB thread
/// whatever the frame sizes of the build; bash itself only stops
/// variables' recursion, at [`MAX_DEPTH`].
const STACK_BUDGET: usize = 512 << 10;

/// Extra stack allowed inside one expression (parentheses, unary
/// operators), so that a recursion through variables meets the limit
/// where a new value is evaluated, where bash reports it.
const STACK_BUDGET_INNER: usize = STACK_BUDGET + (64 << 10);

/// The variable a name token refers to, once its value was read: an
/// array element's evaluated key is kept so that `a[i++] += 1` does not
/// evaluate the subscript twice (bash's `struct lvalue`).
#[derive(Debug, Clone, Default)]
struct LValue {
    /// The key of the element read, if the name had a subscript.
    key: Option<String>,
}

/// The reader's position and the tokens around it (bash's globals that
/// `SAVETOK` saves).
#[derive(Debug, Clone)]
struct TokState {
    tp: usize,
    lasttp: usize,
    curtok: Tok,
    lasttok: Tok,
    tokval: i64,
    tokstr: Option<String>,
    lval: LValue,
}

impl Default for TokState {
    fn default() -> Self {
        TokState {
            tp: 0,
            lasttp: 0,
            curtok: Tok::End,
            lasttok: Tok::End,
            tokval: 0,
            tokstr: None,
            lval: LValue::default(),
        }
    }
}

type Eval = Result<i64, String>;

/// One evaluation: the expression being read, where the reader is, and
/// the shell whose variables are read and assigned.
pub(super) struct Evaluator<'a> {
    sh: &'a mut Interp,
    expr: String,
    st: TokState,
    /// Above 0 while reading a part whose value is not used (`0 && x++`):
    /// no variable is read or assigned.
    noeval: u32,
    /// Expressions being evaluated (the whole one, variables' values).
    depth: u32,
    /// Address of a local of the frame that created the evaluator: the
    /// stack grows down from there.
    stack_base: usize,
}

impl<'a> Evaluator<'a> {
    /// An evaluator over the variables of `sh`.
    pub(super) fn new(sh: &'a mut Interp) -> Self {
        Evaluator {
            sh,
            expr: String::new(),
            st: TokState::default(),
            noeval: 0,
            depth: 0,
            stack_base: stack_address(),
        }
    }

    /// bash's message for an error at the last token read: the expression
    /// (leading blanks dropped), the message, and the rest of the
    /// expression from that token.
    fn error(&self, message: &str) -> String {
        self.error_until(message, self.expr.len())
    }

    /// [`Evaluator::error`] with the expression cut at `end`: bash ends
    /// the text after a constant while it converts it, so a bad constant
    /// is the last thing its message shows.
    fn error_until(&self, message: &str, end: usize) -> String {
        let text = self.expr.get(..end).unwrap_or(&self.expr);
        let expr = text.trim_start_matches([' ', '\t']);
        let token = text.get(self.st.lasttp..).unwrap_or("");
        format!("{expr}: {message} (error token is \"{token}\")")
    }

    /// The value of the constant at `start..end`, or bash's error for it.
    fn constant(&mut self, start: usize, end: usize) -> Result<i64, String> {
        constant(&self.expr.as_bytes()[start..end]).map_err(|message| {
            self.st.lasttp = start;
            self.error_until(message, end)
        })
    }

    /// Evaluates `text` as an expression of its own (the whole expression,
    /// a variable's value, a subscript): bash's `subexpr`.
    pub(super) fn subexpr(&mut self, text: String) -> Eval {
        if text.bytes().all(is_space) {
            return Ok(0);
        }
        if self.depth >= MAX_DEPTH || self.stack_used() > STACK_BUDGET {
            return Err(self.error("expression recursion level exceeded"));
        }
        self.depth += 1;
        let outer_expr = std::mem::replace(&mut self.expr, text);
        let outer_state = std::mem::take(&mut self.st);
        self.readtok()?;
        let value = self.expcomma()?;
        if self.st.curtok != Tok::End {
            return Err(self.error("syntax error in expression"));
        }
        self.expr = outer_expr;
        self.st = outer_state;
        self.depth -= 1;
        Ok(value)
    }

    /// Reads the next token (bash's `readtok`). A name is looked up at
    /// once, unless a plain `=` follows it.
    fn readtok(&mut self) -> Result<(), String> {
        let scanned = match scan(
            self.expr.as_bytes(),
            self.st.tp,
            self.st.curtok,
            self.st.lasttok,
        ) {
            Ok(scanned) => scanned,
            Err(err) => {
                self.st.lasttp = err.at;
                return Err(self.error(err.message));
            }
        };
        if scanned.tok == Tok::End {
            self.st.lasttok = self.st.curtok;
            self.st.curtok = Tok::End;
            self.st.tp = scanned.end;
            return Ok(());
        }
        self.st.lasttp = scanned.start;
        self.st.tp = scanned.start;
        match scanned.tok {
            Tok::Str => {
                let name = self.expr[scanned.start..scanned.end].to_string();
                self.st.lval = LValue::default();
                self.st.tokstr = Some(name.clone());
                let next = self.peek(scanned.end)?;
                if matches!(self.st.lasttok, Tok::PreInc | Tok::PreDec) || next != Tok::Op(b'=') {
                    let (value, lval) = self.streval(&name)?;
                    self.st.tokval = value;
                    if let Some(lval) = lval {
                        self.st.lval = lval;
                    }
                } else {
                    self.st.tokval = 0;
                }
            }
            Tok::Num => self.st.tokval = self.constant(scanned.start, scanned.end)?,
            _ => {}
        }
        self.st.lasttok = self.st.curtok;
        self.st.curtok = scanned.tok;
        self.st.tp = scanned.end;
        Ok(())
    }

    /// The token after a name at `from`, read without evaluating anything
    /// (bash reads it with `noeval` set; a name there peeks at its own
    /// next token, and so on). Its errors are reported as bash reports
    /// them: `x 08` fails on the bad constant.
    fn peek(&mut self, from: usize) -> Result<Tok, String> {
        let mut pos = from;
        let mut first = None;
        loop {
            let scanned = match scan(self.expr.as_bytes(), pos, Tok::Str, self.st.lasttok) {
                Ok(scanned) => scanned,
                Err(err) => {
                    self.st.lasttp = err.at;
                    return Err(self.error(err.message));
                }
            };
            if scanned.tok == Tok::Num {
                self.constant(scanned.start, scanned.end)?;
            }
            let first = *first.get_or_insert(scanned.tok);
            if scanned.tok != Tok::Str {
                return Ok(first);
            }
            pos = scanned.end;
        }
    }

    /// The value of the variable (or element) `token` names: its text
    /// evaluated as an expression, 0 if unset or empty (bash's
    /// `expr_streval`). Nothing is read under `noeval`.
    fn streval(&mut self, token: &str) -> Result<(i64, Option<LValue>), String> {
        if self.noeval > 0 {
            return Ok((0, None));
        }
        let (name, subscript) = split_subscript(token);
        if self.sh.state.options.nounset && self.sh.value(name).is_none() {
            return Err(format!("{name}: unbound variable"));
        }
        let (text, key) = match subscript {
            None => (self.sh.scalar(name), None),
            Some(subscript) => match self.element_key(name, subscript)? {
                // bash warns about `a[]` and `a[@]` here and reads 0.
                None => (None, None),
                Some(key) => (self.sh.element(name, &key), Some(key)),
            },
        };
        let value = match text {
            Some(text) if !text.is_empty() => self.subexpr(text)?,
            _ => 0,
        };
        Ok((value, Some(LValue { key })))
    }

    /// The key of `name[subscript]`: the text itself for an associative
    /// array, the evaluated index for an indexed one; `None` for a
    /// subscript bash refuses (empty, `@` or `*` of an indexed array).
    fn element_key(&mut self, name: &str, subscript: &str) -> Result<Option<String>, String> {
        if self.sh.is_assoc(name) {
            return Ok((!subscript.is_empty()).then(|| subscript.to_string()));
        }
        if subscript.is_empty() || subscript == "@" || subscript == "*" {
            return Ok(None);
        }
        Ok(Some(self.subexpr(subscript.to_string())?.to_string()))
    }

    /// Assigns `value` to the variable or element `token` names; `key` is
    /// the element's key if it was evaluated when the name was read.
    fn bind(&mut self, token: &str, key: Option<String>, value: i64) -> Result<(), String> {
        let result = match split_subscript(token) {
            (name, None) => self.sh.set_scalar(name, value.to_string()),
            (name, Some(subscript)) => {
                let key = match key {
                    Some(key) => Some(key),
                    None => self.element_key(name, subscript)?,
                };
                match key {
                    Some(key) => self.sh.set_element(name, &key, value.to_string(), false),
                    None => Ok(()),
                }
            }
        };
        result.map_err(|err| err.message())
    }

    fn expcomma(&mut self) -> Eval {
        let mut value = self.expassign()?;
        while self.st.curtok == Tok::Op(b',') {
            self.readtok()?;
            value = self.expassign()?;
        }
        Ok(value)
    }

    fn expassign(&mut self) -> Eval {
        let value = self.expcond()?;
        let op = match self.st.curtok {
            Tok::Op(b'=') => None,
            Tok::OpAssign(op) => Some(op),
            _ => return Ok(value),
        };
        if self.st.lasttok != Tok::Str {
            return Err(self.error("attempted assignment to non-variable"));
        }
        let Some(lhs) = self.st.tokstr.clone() else {
            return Err(self.error("syntax error in variable assignment"));
        };
        let key = self.st.lval.key.clone();
        self.readtok()?;
        let mut rhs = self.expassign()?;
        if let Some(op) = op {
            if matches!(op, BinOp::Div | BinOp::Mod) && rhs == 0 {
                if self.noeval == 0 {
                    return Err(self.error("division by 0"));
                }
                rhs = 1;
            }
            rhs = apply(op, value, rhs);
        }
        if self.noeval == 0 {
            self.bind(&lhs, key, rhs)?;
        }
        self.st.lval = LValue::default();
        self.st.tokstr = None;
        Ok(rhs)
    }

    fn expcond(&mut self) -> Eval {
        let cond = self.binary(1)?;
        if self.st.curtok != Tok::Op(b'?') {
            return Ok(cond);
        }
        let skip_then = u32::from(cond == 0);
        self.noeval += skip_then;
        self.readtok()?;
        if matches!(self.st.curtok, Tok::End | Tok::Op(b':')) {
            return Err(self.error("expression expected"));
        }
        let then = self.expcomma()?;
        self.noeval -= skip_then;
        if self.st.curtok != Tok::Op(b':') {
            return Err(self.error("`:' expected for conditional expression"));
        }
        let skip_else = u32::from(cond != 0);
        self.noeval += skip_else;
        self.readtok()?;
        if self.st.curtok == Tok::End {
            return Err(self.error("expression expected"));
        }
        let otherwise = self.expcond()?;
        self.noeval -= skip_else;
        self.st.lasttok = Tok::Cond;
        Ok(if cond != 0 { then } else { otherwise })
    }

    /// The binary operators from `||` down to `*`, by precedence
    /// climbing: the same reading and evaluation order as bash's one
    /// function per level (`explor` … `expmuldiv`), with far fewer stack
    /// frames per parenthesis.
    fn binary(&mut self, min_prec: u8) -> Eval {
        let mut left = self.exppower()?;
        loop {
            let op = self.st.curtok;
            let Some(prec) = precedence(op) else {
                return Ok(left);
            };
            if prec < min_prec {
                return Ok(left);
            }
            // `a || b` and `a && b` read `b` without evaluating it when
            // `a` decides.
            let skip = u32::from(match op {
                Tok::LOr => left != 0,
                Tok::LAnd => left == 0,
                _ => false,
            });
            self.noeval += skip;
            let divisor_at = self.st.tp;
            self.readtok()?;
            let mut right = self.binary(prec + 1)?;
            self.noeval -= skip;
            left = match op {
                Tok::LOr => i64::from(left != 0 || right != 0),
                Tok::LAnd => i64::from(left != 0 && right != 0),
                Tok::EqEq => i64::from(left == right),
                Tok::Neq => i64::from(left != right),
                Tok::Leq => i64::from(left <= right),
                Tok::Geq => i64::from(left >= right),
                Tok::Op(b'<') => i64::from(left < right),
                Tok::Op(b'>') => i64::from(left > right),
                Tok::Op(c @ (b'/' | b'%')) => {
                    if right == 0 {
                        if self.noeval == 0 {
                            return Err(self.division_by_zero(divisor_at));
                        }
                        right = 1;
                    } else if c == b'%' && left == i64::MIN && right == -1 {
                        // bash skips its bookkeeping here: the last token
                        // stays what the divisor left.
                        left = 0;
                        continue;
                    }
                    apply(if c == b'/' { BinOp::Div } else { BinOp::Mod }, left, right)
                }
                _ => apply(binop(op), left, right),
            };
            self.st.lasttok = match op {
                Tok::LOr | Tok::LAnd => op,
                _ => Tok::Num,
            };
        }
    }

    /// bash's division error names the divisor (the text after the
    /// operator at `divisor_at`), not the last token read.
    #[cold]
    fn division_by_zero(&mut self, divisor_at: usize) -> String {
        let bytes = self.expr.as_bytes();
        let mut at = divisor_at;
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
            at += 1;
        }
        self.st.lasttp = at;
        self.error("division by 0")
    }

    fn exppower(&mut self) -> Eval {
        let mut base = self.exp1()?;
        while self.st.curtok == Tok::Power {
            self.readtok()?;
            // Right-associative: the exponent takes the rest of the chain.
            let exponent = self.exppower()?;
            self.st.lasttok = Tok::Num;
            if exponent == 0 {
                // bash returns from the whole level here: `3**0**0` is 3.
                return Ok(1);
            }
            if exponent < 0 {
                return Err(self.error("exponent less than 0"));
            }
            base = power(base, exponent);
        }
        Ok(base)
    }

    /// Unary `!`, `~`, `-`, `+`.
    fn exp1(&mut self) -> Eval {
        let Tok::Op(c @ (b'!' | b'~' | b'-' | b'+')) = self.st.curtok else {
            return self.exp0();
        };
        self.enter()?;
        self.readtok()?;
        let value = self.exp1()?;
        self.st.lasttok = Tok::Num;
        Ok(match c {
            b'!' => i64::from(value == 0),
            b'~' => !value,
            b'-' => value.wrapping_neg(),
            _ => value,
        })
    }

    /// Operands: `++x`, `--x`, `( expr )`, numbers, `x`, `x++`, `x--`.
    fn exp0(&mut self) -> Eval {
        match self.st.curtok {
            Tok::PreInc | Tok::PreDec => {
                let step = if self.st.curtok == Tok::PreInc { 1 } else { -1 };
                self.st.lasttok = self.st.curtok;
                self.readtok()?;
                if self.st.curtok != Tok::Str {
                    return Err(
                        self.error("identifier expected after pre-increment or pre-decrement")
                    );
                }
                let value = self.st.tokval.wrapping_add(step);
                if self.noeval == 0 {
                    if let Some(token) = self.st.tokstr.clone() {
                        self.bind(&token, self.st.lval.key.clone(), value)?;
                    }
                }
                // `--x=7` must fail: what follows an increment is no name.
                self.st.curtok = Tok::Num;
                self.readtok()?;
                Ok(value)
            }
            Tok::Op(b'(') => {
                self.enter()?;
                self.readtok()?;
                let value = self.expcomma()?;
                if self.st.curtok != Tok::Op(b')') {
                    return Err(self.error("missing `)'"));
                }
                self.readtok()?;
                Ok(value)
            }
            Tok::Num => {
                let value = self.st.tokval;
                self.readtok()?;
                Ok(value)
            }
            Tok::Str => {
                let value = self.st.tokval;
                self.postfix(value)?;
                self.readtok()?;
                Ok(value)
            }
            _ => Err(self.error("syntax error: operand expected")),
        }
    }

    /// After a name: `x++` and `x--` assign and leave the reader after
    /// the operator; anything else is put back.
    fn postfix(&mut self, value: i64) -> Result<(), String> {
        let saved = self.st.clone();
        let saved_noeval = self.noeval;
        self.st.tokstr = None;
        self.noeval = 1;
        self.readtok()?;
        let step = match self.st.curtok {
            Tok::PostInc => 1,
            Tok::PostDec => -1,
            _ => {
                self.st = saved;
                self.noeval = saved_noeval;
                return Ok(());
            }
        };
        self.st.tokstr = saved.tokstr;
        self.st.lval = saved.lval;
        self.noeval = saved_noeval;
        self.st.lasttok = Tok::Str;
        if self.noeval == 0 {
            if let Some(token) = self.st.tokstr.clone() {
                self.bind(&token, self.st.lval.key.clone(), value.wrapping_add(step))?;
            }
        }
        // `x++=7` must fail: the increment is a value, not a name.
        self.st.curtok = Tok::Num;
        Ok(())
    }

    /// Checks, before a parenthesis or unary operator recurses, that the
    /// stack budget is not spent.
    fn enter(&self) -> Result<(), String> {
        if self.stack_used() > STACK_BUDGET_INNER {
            return Err(self.error("expression recursion level exceeded"));
        }
        Ok(())
    }

    /// Bytes of stack used since the evaluator was made.
    fn stack_used(&self) -> usize {
        self.stack_base.saturating_sub(stack_address())
    }
}

/// The address of a local of the caller's frame (never inlined, so that
/// it is a frame of its own below the caller's).
#[inline(never)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// How tightly a binary operator binds (bash's levels, `||` loosest);
/// `None` for any other token.
fn precedence(tok: Tok) -> Option<u8> {
    Some(match tok {
        Tok::LOr => 1,
        Tok::LAnd => 2,
        Tok::Op(b'|') => 3,
        Tok::Op(b'^') => 4,
        Tok::Op(b'&') => 5,
        Tok::EqEq | Tok::Neq => 6,
        Tok::Leq | Tok::Geq | Tok::Op(b'<' | b'>') => 7,
        Tok::Lsh | Tok::Rsh => 8,
        Tok::Op(b'+' | b'-') => 9,
        Tok::Op(b'*' | b'/' | b'%') => 10,
        _ => return None,
    })
}

/// The arithmetic operation of a binary operator token other than the
/// comparisons and logical ones.
fn binop(tok: Tok) -> BinOp {
    match tok {
        Tok::Op(b'*') => BinOp::Mul,
        Tok::Op(b'/') => BinOp::Div,
        Tok::Op(b'%') => BinOp::Mod,
        Tok::Op(b'+') => BinOp::Add,
        Tok::Op(b'-') => BinOp::Sub,
        Tok::Lsh => BinOp::Shl,
        Tok::Rsh => BinOp::Shr,
        Tok::Op(b'&') => BinOp::And,
        Tok::Op(b'|') => BinOp::Or,
        _ => BinOp::Xor,
    }
}

/// `name[subscript]` → (`name`, `Some(subscript)`); a plain name →
/// (`name`, `None`).
fn split_subscript(token: &str) -> (&str, Option<&str>) {
    match token.split_once('[') {
        Some((name, rest)) => (name, Some(rest.strip_suffix(']').unwrap_or(rest))),
        None => (token, None),
    }
}

/// A binary operation on `intmax_t` as bash computes it on x86-64:
/// wrapping, shift counts taken modulo 64, `MIN / -1` is `MIN` and
/// `MIN % -1` is 0. Division by zero is checked by the callers.
fn apply(op: BinOp, a: i64, b: i64) -> i64 {
    match op {
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::Div => a.wrapping_div(b),
        BinOp::Mod => a.wrapping_rem(b),
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        // Truncating the count to u32 keeps its low six bits, which is
        // all the shift instruction looks at.
        BinOp::Shl => a.wrapping_shl(b as u32),
        BinOp::Shr => a.wrapping_shr(b as u32),
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
    }
}

/// `base ** exponent` by squaring, wrapping (bash's `ipow`).
fn power(mut base: i64, mut exponent: i64) -> i64 {
    let mut result: i64 = 1;
    while exponent != 0 {
        if exponent & 1 == 1 {
            result = result.wrapping_mul(base);
        }
        exponent >>= 1;
        base = base.wrapping_mul(base);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_wrap_like_intmax() {
        assert_eq!(apply(BinOp::Add, i64::MAX, 1), i64::MIN);
        assert_eq!(apply(BinOp::Div, i64::MIN, -1), i64::MIN);
        assert_eq!(apply(BinOp::Mod, i64::MIN, -1), 0);
        assert_eq!(apply(BinOp::Mod, -7, 3), -1);
        assert_eq!(apply(BinOp::Shl, 1, 64), 1);
        assert_eq!(apply(BinOp::Shl, 1, -1), i64::MIN);
        assert_eq!(apply(BinOp::Shr, -8, 1), -4);
        assert_eq!(power(2, 10), 1024);
        assert_eq!(power(2, 64), 0);
    }

    #[test]
    fn subscripts_are_split_off() {
        assert_eq!(split_subscript("a[i+1]"), ("a", Some("i+1")));
        assert_eq!(split_subscript("a[b[1]]"), ("a", Some("b[1]")));
        assert_eq!(split_subscript("x"), ("x", None));
    }
}
