//! Expression evaluation.
//!
//! Besides the general [`Interp::eval`], there are typed entry points (`eval_num`,
//! `eval_bool`, `push_str`, `with_str`) so the common shapes — `$2` used as a number, a
//! field matched against a regex, a comparison in a pattern — run without building
//! intermediate values or allocating.

use super::{Cell, Interp, R};
use crate::array::Array;
use crate::ast::{ArithOp, CmpOp, Expr, LValue, RegexArg, Var};
use crate::ere::Regex;
use crate::fields::FieldRef;
use crate::number::{itoa, parse_prefix};
use crate::special;
use crate::value::{compare, Str, Value};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

/// Largest field number that may be assigned (or NF set to): creating more fields than
/// this would only exhaust memory.
pub(crate) const MAX_FIELDS: usize = 1_000_000;

/// An lvalue whose subscripts have been evaluated, so it can be read and written once each.
pub(crate) enum Place {
    Var(Var),
    Field(usize),
    Elem(Rc<RefCell<Array>>, Vec<u8>),
}

/// A regex borrowed from the program or shared from the dynamic cache.
pub(crate) enum ReRef<'p> {
    Static(&'p Regex),
    Dynamic(Rc<Regex>),
}

impl ReRef<'_> {
    pub(crate) fn get(&self) -> &Regex {
        match self {
            ReRef::Static(r) => r,
            ReRef::Dynamic(r) => r,
        }
    }
}

impl<'p> Interp<'p> {
    /// The value of a scalar slot.
    #[inline]
    pub(crate) fn scalar(&self, v: Var) -> &Value {
        let cell = match v {
            Var::Global(g) => &self.globals[g as usize],
            Var::Local(i) => &self.stack[self.base + i as usize],
        };
        match cell {
            Cell::Val(v) => v,
            Cell::Arr(_) => &self.uninit,
        }
    }

    /// Reads a scalar, treating NF specially (it lives in the record).
    fn read_var(&mut self, v: Var) -> Value {
        if v == Var::Global(special::NF) {
            return Value::Num(self.rec.nf(&self.fs) as f64);
        }
        self.scalar(v).clone()
    }

    /// Assigns a scalar slot (special variables refresh their cached forms).
    pub(crate) fn set_var(&mut self, v: Var, val: Value) -> R<()> {
        match v {
            Var::Global(g) => {
                self.globals[g as usize] = Cell::Val(val);
                if g < special::COUNT {
                    self.special_assigned(g)?;
                }
            }
            Var::Local(i) => self.stack[self.base + i as usize] = Cell::Val(val),
        }
        Ok(())
    }

    /// The array in a slot.
    pub(crate) fn arr(&self, v: Var) -> R<Rc<RefCell<Array>>> {
        let cell = match v {
            Var::Global(g) => &self.globals[g as usize],
            Var::Local(i) => &self.stack[self.base + i as usize],
        };
        match cell {
            Cell::Arr(a) => Ok(a.clone()),
            Cell::Val(_) => Err(self.fail("attempt to use a scalar as an array")),
        }
    }

    /// Evaluates to a value.
    pub(crate) fn eval(&mut self, e: &'p Expr) -> R<Value> {
        Ok(match e {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Var(v) => self.scalar(*v).clone(),
            Expr::Nf => Value::Num(self.rec.nf(&self.fs) as f64),
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                self.rec.field_value(i, &self.fs)
            }
            Expr::Index(..) | Expr::Assign(..) | Expr::AugAssign(..) | Expr::IncDec { .. } => {
                self.eval_update(e)?
            }
            Expr::Cond(c, a, b) => {
                if self.eval_bool(c)? {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(..)
            | Expr::Or(..)
            | Expr::Not(_)
            | Expr::Cmp(..)
            | Expr::Match { .. }
            | Expr::In(..)
            | Expr::Regex(_) => Value::Num(if self.eval_bool(e)? { 1.0 } else { 0.0 }),
            Expr::Neg(a) => Value::Num(-self.eval_num(a)?),
            Expr::Plus(a) => Value::Num(self.eval_num(a)?),
            Expr::Arith(..) => Value::Num(self.eval_num(e)?),
            Expr::Concat(_) => self.eval_concat(e)?,
            Expr::Append(v, parts) => self.append(*v, parts)?,
            Expr::AppendElem(v, keys, parts) => self.append_elem(*v, keys, parts)?,
            Expr::Call { func, args } => self.call(*func, args)?,
            Expr::ArrayArg(_) => {
                return Err(self.fail("attempt to use an array in a scalar context"))
            }
            Expr::Group(_) => return Err(self.fail("unexpected parenthesized list")),
            _ => self.eval_builtin(e)?,
        })
    }

    /// Element reads and assignments, kept out of `eval` so its stack frame stays small
    /// (every awk-level function call nests several `eval` frames).
    #[inline(never)]
    fn eval_update(&mut self, e: &'p Expr) -> R<Value> {
        Ok(match e {
            Expr::Index(v, keys) => {
                let key = self.key(keys)?;
                let a = self.arr(*v)?;
                let val = a.borrow_mut().get_or_create(&key).clone();
                self.give_back_key(key);
                val
            }
            Expr::Assign(lv, rhs) => {
                let val = self.eval(rhs)?;
                let place = self.place(lv)?;
                self.place_set(place, val.clone())?;
                val
            }
            Expr::AugAssign(op, lv, rhs) => {
                let r = self.eval_num(rhs)?;
                let place = self.place(lv)?;
                Value::Num(self.update_num(place, |it, cur| it.arith(*op, cur, r))?)
            }
            Expr::IncDec { lv, delta, prefix } => {
                let place = self.place(lv)?;
                let mut old = 0.0;
                let new = self.update_num(place, |_, cur| {
                    old = cur;
                    Ok(cur + delta)
                })?;
                Value::Num(if *prefix { new } else { old })
            }
            _ => return Err(self.fail("internal error: not an update expression")),
        })
    }

    /// Reads a place as a number, computes the new number and stores it, with a single
    /// lookup for array elements (the `count[$1]++` idiom).
    pub(crate) fn update_num(
        &mut self,
        place: Place,
        f: impl FnOnce(&Self, f64) -> R<f64>,
    ) -> R<f64> {
        if let Place::Elem(a, k) = &place {
            let new = {
                let mut arr = a.borrow_mut();
                let slot = arr.get_or_create(k);
                let new = f(self, slot.to_num())?;
                *slot = Value::Num(new);
                new
            };
            if let Place::Elem(_, k) = place {
                self.give_back_key(k);
            }
            return Ok(new);
        }
        let cur = self.place_get(&place).to_num();
        let new = f(self, cur)?;
        self.place_set(place, Value::Num(new))?;
        Ok(new)
    }

    /// `v = v parts...`: extends v's string in place when nothing else shares it.
    #[inline(never)]
    pub(crate) fn append(&mut self, v: Var, parts: &'p [Expr]) -> R<Value> {
        let mut tail = Vec::new();
        for p in parts {
            self.push_str(p, &mut tail)?;
        }
        let slot = match v {
            Var::Global(g) => &mut self.globals[g as usize],
            Var::Local(i) => &mut self.stack[self.base + i as usize],
        };
        let Cell::Val(val) = slot else {
            return Err(self.fail("attempt to use an array in a scalar context"));
        };
        let s = append_to(std::mem::take(val), &tail, &self.convfmt);
        *val = Value::Str(s.clone());
        Ok(Value::Str(s))
    }

    /// `a[k] = a[k] parts...`: extends the element's string in place when unshared.
    #[inline(never)]
    pub(crate) fn append_elem(&mut self, v: Var, keys: &'p [Expr], parts: &'p [Expr]) -> R<Value> {
        let mut tail = Vec::new();
        for p in parts {
            self.push_str(p, &mut tail)?;
        }
        let key = self.key(keys)?;
        let arr = self.arr(v)?;
        let result = {
            let mut a = arr.borrow_mut();
            let val = a.get_or_create(&key);
            let s = append_to(std::mem::take(val), &tail, &self.convfmt);
            *val = Value::Str(s.clone());
            s
        };
        self.give_back_key(key);
        Ok(Value::Str(result))
    }

    #[inline(never)]
    fn eval_concat(&mut self, e: &'p Expr) -> R<Value> {
        let mut buf = Vec::new();
        self.push_str(e, &mut buf)?;
        Ok(Value::Str(crate::value::Str::from(buf)))
    }

    /// Evaluates to a number.
    pub(crate) fn eval_num(&mut self, e: &'p Expr) -> R<f64> {
        Ok(match e {
            Expr::Num(n) => *n,
            Expr::Var(v) => self.scalar(*v).to_num(),
            Expr::Nf => self.rec.nf(&self.fs) as f64,
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                match self.rec.field_bytes(i, &self.fs) {
                    FieldRef::Bytes(b) => parse_prefix(b),
                    FieldRef::Value(v) => v.to_num(),
                    FieldRef::Missing => 0.0,
                }
            }
            Expr::Arith(op, a, b) => {
                let x = self.eval_num(a)?;
                let y = self.eval_num(b)?;
                self.arith(*op, x, y)?
            }
            Expr::Neg(a) => -self.eval_num(a)?,
            Expr::Plus(a) => self.eval_num(a)?,
            _ => self.eval(e)?.to_num(),
        })
    }

    pub(crate) fn arith(&self, op: ArithOp, x: f64, y: f64) -> R<f64> {
        Ok(match op {
            ArithOp::Add => x + y,
            ArithOp::Sub => x - y,
            ArithOp::Mul => x * y,
            ArithOp::Div => {
                if y == 0.0 {
                    return Err(self.fail("division by zero attempted"));
                }
                x / y
            }
            ArithOp::Mod => {
                if y == 0.0 {
                    return Err(self.fail("division by zero attempted in `%'"));
                }
                x % y
            }
            ArithOp::Pow => pow(x, y),
        })
    }

    /// Evaluates to a truth value.
    pub(crate) fn eval_bool(&mut self, e: &'p Expr) -> R<bool> {
        Ok(match e {
            Expr::Num(n) => *n != 0.0,
            Expr::Cmp(op, a, b) => self.compare_exprs(*op, a, b)?,
            Expr::Match { negate, lhs, re } => {
                let re = self.regex_ref(re)?;
                let m = self.with_str(lhs, |s| re.get().is_match(s))?;
                m != *negate
            }
            Expr::Regex(re) => re.is_match(&self.rec.text),
            Expr::And(a, b) => self.eval_bool(a)? && self.eval_bool(b)?,
            Expr::Or(a, b) => self.eval_bool(a)? || self.eval_bool(b)?,
            Expr::Not(a) => !self.eval_bool(a)?,
            Expr::In(keys, v) => {
                let key = self.key(keys)?;
                let found = self.arr(*v)?.borrow().contains(&key);
                self.give_back_key(key);
                found
            }
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                match self.rec.field_bytes(i, &self.fs) {
                    FieldRef::Bytes(b) => match crate::number::looks_numeric(b) {
                        Some(n) => n != 0.0,
                        None => !b.is_empty(),
                    },
                    FieldRef::Value(v) => v.to_bool(),
                    FieldRef::Missing => false,
                }
            }
            Expr::Arith(..) | Expr::Neg(_) | Expr::Plus(_) => self.eval_num(e)? != 0.0,
            _ => self.eval(e)?.to_bool(),
        })
    }

    fn compare_exprs(&mut self, op: CmpOp, a: &'p Expr, b: &'p Expr) -> R<bool> {
        let x = self.eval(a)?;
        let y = self.eval(b)?;
        let ord = compare(&x, &y, &self.convfmt);
        Ok(match ord {
            None => op == CmpOp::Ne,
            Some(o) => match op {
                CmpOp::Lt => o == Ordering::Less,
                CmpOp::Le => o != Ordering::Greater,
                CmpOp::Eq => o == Ordering::Equal,
                CmpOp::Ne => o != Ordering::Equal,
                CmpOp::Gt => o == Ordering::Greater,
                CmpOp::Ge => o != Ordering::Less,
            },
        })
    }

    /// Appends the string value of `e` (numbers through CONVFMT).
    pub(crate) fn push_str(&mut self, e: &'p Expr, out: &mut Vec<u8>) -> R<()> {
        match e {
            Expr::Str(s) => out.extend_from_slice(s),
            Expr::Var(v) => {
                let cf = &self.convfmt;
                match v {
                    Var::Global(g) => {
                        if let Cell::Val(val) = &self.globals[*g as usize] {
                            if *v == Var::Global(special::NF) {
                                let n = self.rec.nf(&self.fs) as f64;
                                crate::number::push_number(out, n, cf);
                            } else {
                                val.push_str(out, cf);
                            }
                        }
                    }
                    Var::Local(i) => {
                        if let Cell::Val(val) = &self.stack[self.base + *i as usize] {
                            val.push_str(out, cf);
                        }
                    }
                }
            }
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                match self.rec.field_bytes(i, &self.fs) {
                    FieldRef::Bytes(b) => out.extend_from_slice(b),
                    FieldRef::Value(v) => v.push_str(out, &self.convfmt),
                    FieldRef::Missing => {}
                }
            }
            Expr::Concat(parts) => {
                for p in parts.iter() {
                    self.push_str(p, out)?;
                }
            }
            _ => {
                let v = self.eval(e)?;
                v.push_str(out, &self.convfmt);
            }
        }
        Ok(())
    }

    /// Calls `f` with the string value of `e`, borrowing field bytes when possible.
    pub(crate) fn with_str<T>(&mut self, e: &'p Expr, f: impl FnOnce(&[u8]) -> T) -> R<T> {
        match e {
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                let cf = &self.convfmt;
                Ok(match self.rec.field_bytes(i, &self.fs) {
                    FieldRef::Bytes(b) => f(b),
                    FieldRef::Value(v) => {
                        let mut buf = Vec::new();
                        v.push_str(&mut buf, cf);
                        f(&buf)
                    }
                    FieldRef::Missing => f(b""),
                })
            }
            Expr::Str(s) => Ok(f(s)),
            _ => {
                let v = self.eval(e)?;
                match &v {
                    Value::Str(s) | Value::StrNum(s) => Ok(f(s)),
                    _ => {
                        let mut buf = Vec::new();
                        v.push_str(&mut buf, &self.convfmt);
                        Ok(f(&buf))
                    }
                }
            }
        }
    }

    /// The string value of `e` as owned bytes.
    pub(crate) fn eval_bytes(&mut self, e: &'p Expr) -> R<Vec<u8>> {
        let mut v = Vec::new();
        self.push_str(e, &mut v)?;
        Ok(v)
    }

    /// The field number `$e` refers to.
    #[inline]
    pub(crate) fn field_index(&mut self, e: &'p Expr) -> R<usize> {
        let n = match e {
            Expr::Num(n) => *n,
            _ => self.eval_num(e)?,
        };
        if (0.0..1e8).contains(&n) {
            Ok(n as usize)
        } else if n.is_nan() || n < 0.0 {
            Err(self.fail(format!(
                "attempt to access field {}",
                crate::number::format_number_plain(n.trunc())
            )))
        } else {
            Err(self.fail(format!(
                "field index {} is too large",
                crate::number::format_number_plain(n)
            )))
        }
    }

    /// Builds an array key: one subscript, or several joined with SUBSEP.
    pub(crate) fn key(&mut self, keys: &'p [Expr]) -> R<Vec<u8>> {
        let mut buf = std::mem::take(&mut self.key_buf);
        buf.clear();
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                buf.extend_from_slice(&self.subsep);
            }
            self.push_key(k, &mut buf)?;
        }
        Ok(buf)
    }

    /// Returns a key buffer for reuse.
    pub(crate) fn give_back_key(&mut self, key: Vec<u8>) {
        if self.key_buf.capacity() < key.capacity() {
            self.key_buf = key;
        }
    }

    /// Appends one subscript: integral numbers as integers, others through CONVFMT.
    fn push_key(&mut self, e: &'p Expr, out: &mut Vec<u8>) -> R<()> {
        match e {
            Expr::Num(n) => push_num_key(out, *n, &self.convfmt),
            Expr::Var(v) if *v != Var::Global(special::NF) => match self.scalar(*v) {
                Value::Num(n) => push_num_key(out, *n, &self.convfmt),
                other => other.push_str(out, &self.convfmt),
            },
            Expr::Str(_) | Expr::Field(_) | Expr::Concat(_) => self.push_str(e, out)?,
            _ => {
                let v = self.eval(e)?;
                match v {
                    Value::Num(n) => push_num_key(out, n, &self.convfmt),
                    other => other.push_str(out, &self.convfmt),
                }
            }
        }
        Ok(())
    }

    /// Evaluates the subscripts of an lvalue.
    pub(crate) fn place(&mut self, lv: &'p LValue) -> R<Place> {
        Ok(match lv {
            LValue::Var(v) => Place::Var(*v),
            LValue::Field(i) => Place::Field(self.field_index(i)?),
            LValue::Index(v, keys) => {
                let key = self.key(keys)?;
                Place::Elem(self.arr(*v)?, key)
            }
        })
    }

    /// Current value at a place (array elements are created if absent).
    pub(crate) fn place_get(&mut self, p: &Place) -> Value {
        match p {
            Place::Var(v) => self.read_var(*v),
            Place::Field(i) => self.rec.field_value(*i, &self.fs),
            Place::Elem(a, k) => a.borrow_mut().get_or_create(k).clone(),
        }
    }

    /// Stores at a place.
    pub(crate) fn place_set(&mut self, p: Place, v: Value) -> R<()> {
        match p {
            Place::Var(var) => self.set_var(var, v)?,
            Place::Field(0) => {
                let mut text = std::mem::take(&mut self.rec.text);
                text.clear();
                v.push_str(&mut text, &self.convfmt);
                self.rec.text = text;
                self.rec.reset();
            }
            Place::Field(i) => {
                if i > MAX_FIELDS {
                    return Err(self.fail(format!(
                        "assignment to field {i}: more than {MAX_FIELDS} fields"
                    )));
                }
                self.rec.set_field(i, v, &self.fs, &self.ofs, &self.convfmt);
            }
            Place::Elem(a, k) => {
                *a.borrow_mut().get_or_create(&k) = v;
                self.give_back_key(k);
            }
        }
        Ok(())
    }

    /// Assigns through an lvalue.
    pub(crate) fn assign(&mut self, lv: &'p LValue, v: Value) -> R<()> {
        let p = self.place(lv)?;
        self.place_set(p, v)
    }

    /// The regex of a regex operand.
    pub(crate) fn regex_ref(&mut self, r: &'p RegexArg) -> R<ReRef<'p>> {
        match r {
            RegexArg::Static(re) => Ok(ReRef::Static(re)),
            RegexArg::Dynamic(e) => {
                if let Expr::Regex(re) = &**e {
                    return Ok(ReRef::Static(re));
                }
                let src = self.eval_bytes(e)?;
                Ok(ReRef::Dynamic(self.dynamic_regex(&src)?))
            }
        }
    }
}

/// The string of `v` followed by `tail`, reusing `v`'s buffer when it is not shared.
fn append_to(v: Value, tail: &[u8], convfmt: &[u8]) -> Str {
    match v {
        Value::Str(mut s) | Value::StrNum(mut s) => match s.get_mut() {
            Some(buf) => {
                buf.extend_from_slice(tail);
                s
            }
            None => {
                let mut buf = Vec::with_capacity(s.len() + tail.len());
                buf.extend_from_slice(&s);
                buf.extend_from_slice(tail);
                Str::from(buf)
            }
        },
        other => {
            let mut buf = Vec::new();
            other.push_str(&mut buf, convfmt);
            buf.extend_from_slice(tail);
            Str::from(buf)
        }
    }
}

fn push_num_key(out: &mut Vec<u8>, n: f64, convfmt: &[u8]) {
    if n == n.trunc() && n.abs() < 1e15 {
        let mut b = [0u8; 24];
        out.extend_from_slice(itoa(&mut b, n as i64));
    } else {
        crate::number::push_number(out, n, convfmt);
    }
}

/// `x ^ y`, exact for integral exponents (repeated squaring, like gawk).
fn pow(x: f64, y: f64) -> f64 {
    if y == y.trunc() && y.abs() < 1024.0 {
        let mut n = y.abs() as u32;
        let mut base = x;
        let mut r = 1.0;
        while n > 0 {
            if n & 1 == 1 {
                r *= base;
            }
            base *= base;
            n >>= 1;
        }
        if y < 0.0 {
            1.0 / r
        } else {
            r
        }
    } else {
        x.powf(y)
    }
}
