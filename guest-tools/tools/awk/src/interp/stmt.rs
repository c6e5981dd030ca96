//! Statement execution, `print` and `printf`.

use super::{Cell, Flow, Interp, Unwind, R};
use crate::array::Array;
use crate::ast::{Expr, LValue, Redirect, Stmt, StmtKind, Var};
use crate::fields::FieldRef;
use crate::format::{sprintf, FormatError};
use crate::special;
use crate::value::Str;
use crate::value::{FmtValue, Value};
use std::cell::RefCell;
use std::rc::Rc;

impl<'p> Interp<'p> {
    /// Runs statements in order.
    pub(crate) fn exec_block(&mut self, stmts: &'p [Stmt]) -> R<Flow> {
        for s in stmts {
            match self.exec(s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, s: &'p Stmt) -> R<Flow> {
        self.line = s.line;
        match &s.kind {
            StmtKind::Expr(e) => {
                self.eval_effect(e)?;
            }
            StmtKind::Print(args, redir) => self.print(args, redir.as_ref())?,
            StmtKind::Printf(args, redir) => self.printf(args, redir.as_ref())?,
            StmtKind::If(c, a, b) => {
                if self.eval_bool(c)? {
                    return self.exec(a);
                } else if let Some(b) = b {
                    return self.exec(b);
                }
            }
            StmtKind::While(c, body) => {
                while self.eval_bool(c)? {
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        r @ Flow::Return(_) => return Ok(r),
                    }
                }
            }
            StmtKind::Do(body, c) => loop {
                match self.exec(body)? {
                    Flow::Break => break,
                    Flow::Normal | Flow::Continue => {}
                    r @ Flow::Return(_) => return Ok(r),
                }
                if !self.eval_bool(c)? {
                    break;
                }
            },
            StmtKind::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.exec(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval_bool(c)? {
                            break;
                        }
                    }
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        r @ Flow::Return(_) => return Ok(r),
                    }
                    if let Some(st) = step {
                        self.exec(st)?;
                    }
                }
            }
            StmtKind::ForIn(var, arr, body) => return self.for_in(var, *arr, body),
            StmtKind::Block(v) => return self.exec_block(v),
            StmtKind::Next => return Err(Unwind::Next),
            StmtKind::Nextfile => return Err(Unwind::Nextfile),
            StmtKind::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.eval_num(e)? as i32;
                }
                return Err(Unwind::Exit);
            }
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Uninit,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Delete(arr, keys) => self.delete(*arr, keys.as_deref())?,
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn for_in(&mut self, var: &'p LValue, arr: Var, body: &'p Stmt) -> R<Flow> {
        let a = self.arr(arr)?;
        let mut keys = a.borrow().keys();
        self.order_keys(&a, &mut keys)?;
        for k in keys {
            // Elements deleted by the body are skipped, as in gawk.
            if !a.borrow().contains(&k) {
                continue;
            }
            self.assign(var, Value::StrNum(k))?;
            match self.exec(body)? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
                r @ Flow::Return(_) => return Ok(r),
            }
        }
        Ok(Flow::Normal)
    }

    /// Applies gawk's `PROCINFO["sorted_in"]` (`@ind_str_asc`, `@val_num_desc`, ...).
    fn order_keys(&self, a: &Rc<RefCell<Array>>, keys: &mut [Str]) -> R<()> {
        let order = match &self.globals[special::PROCINFO as usize] {
            Cell::Arr(p) => match p.borrow().get(b"sorted_in") {
                Some(v) => v.to_str(&self.convfmt),
                None => return Ok(()),
            },
            Cell::Val(_) => return Ok(()),
        };
        let (by_value, numeric, desc) = match &order[..] {
            b"@ind_str_asc" => (false, false, false),
            b"@ind_str_desc" => (false, false, true),
            b"@ind_num_asc" => (false, true, false),
            b"@ind_num_desc" => (false, true, true),
            b"@val_str_asc" => (true, false, false),
            b"@val_str_desc" => (true, false, true),
            b"@val_num_asc" | b"@val_type_asc" => (true, true, false),
            b"@val_num_desc" | b"@val_type_desc" => (true, true, true),
            b"" | b"@unsorted" => return Ok(()),
            other => {
                return Err(self.fail(format!(
                    "PROCINFO[\"sorted_in\"]: `{}' is not a supported ordering (user comparison functions are not supported)",
                    String::from_utf8_lossy(other)
                )))
            }
        };
        let arr = a.borrow();
        let cf = &self.convfmt;
        let sort_key = |k: &Str| -> Value {
            if by_value {
                arr.get(k).cloned().unwrap_or_default()
            } else {
                Value::StrNum(k.clone())
            }
        };
        keys.sort_by(|x, y| {
            let (vx, vy) = (sort_key(x), sort_key(y));
            let o = if numeric {
                vx.to_num()
                    .partial_cmp(&vy.to_num())
                    .unwrap_or(std::cmp::Ordering::Equal)
            } else {
                vx.to_str(cf).cmp(&vy.to_str(cf))
            };
            // Ties keep a stable, index-ordered result.
            let o = o.then_with(|| x.cmp(y));
            if desc {
                o.reverse()
            } else {
                o
            }
        });
        Ok(())
    }

    #[inline(never)]
    fn delete(&mut self, arr: Var, keys: Option<&'p [Expr]>) -> R<()> {
        let a = self.arr(arr)?;
        match keys {
            None => a.borrow_mut().clear(),
            Some(keys) => {
                let k = self.key(keys)?;
                a.borrow_mut().remove(&k);
                self.give_back_key(k);
            }
        }
        Ok(())
    }

    /// Evaluates an expression statement, skipping the result value where possible.
    fn eval_effect(&mut self, e: &'p Expr) -> R<()> {
        match e {
            Expr::IncDec { lv, delta, .. } => {
                let place = self.place(lv)?;
                self.update_num(place, |_, cur| Ok(cur + delta)).map(|_| ())
            }
            Expr::AugAssign(op, lv, rhs) => {
                let r = self.eval_num(rhs)?;
                let place = self.place(lv)?;
                self.update_num(place, |it, cur| it.arith(*op, cur, r))
                    .map(|_| ())
            }
            Expr::Assign(lv, rhs) => {
                let v = self.eval(rhs)?;
                self.assign(lv, v)
            }
            // The returned copy is dropped at once, so the string stays unshared.
            Expr::Append(v, parts) => self.append(*v, parts).map(|_| ()),
            Expr::AppendElem(v, keys, parts) => self.append_elem(*v, keys, parts).map(|_| ()),
            _ => self.eval(e).map(|_| ()),
        }
    }

    /// Default action: `print $0`.
    pub(crate) fn print_record(&mut self) -> R<()> {
        let mut buf = std::mem::take(&mut self.print_buf);
        buf.clear();
        buf.extend_from_slice(&self.rec.text);
        buf.extend_from_slice(&self.ors);
        let r = self.write_out(None, &buf);
        self.print_buf = buf;
        r
    }

    fn destination(&mut self, redir: Option<&'p Redirect>) -> R<Option<(Vec<u8>, bool)>> {
        Ok(match redir {
            None => None,
            Some(Redirect::Write(e)) => Some((self.eval_bytes(e)?, false)),
            Some(Redirect::Append(e)) => Some((self.eval_bytes(e)?, true)),
            Some(Redirect::Pipe(e)) => {
                let cmd = self.eval_bytes(e)?;
                self.pipe_out(&cmd)?;
                None
            }
        })
    }

    fn emit(&mut self, dest: Option<(Vec<u8>, bool)>, buf: &[u8]) -> R<()> {
        match &dest {
            None => self.write_out(None, buf),
            Some((name, append)) => {
                if name.is_empty() {
                    return Err(self.fail("expression for `>' redirection has null string value"));
                }
                self.write_out(Some((name, *append)), buf)
            }
        }
    }

    #[inline(never)]
    fn print(&mut self, args: &'p [Expr], redir: Option<&'p Redirect>) -> R<()> {
        let dest = self.destination(redir)?;
        let mut buf = std::mem::take(&mut self.print_buf);
        buf.clear();
        let r = self.print_into(args, &mut buf);
        let r = r.and_then(|()| self.emit(dest, &buf));
        self.print_buf = buf;
        r
    }

    fn print_into(&mut self, args: &'p [Expr], buf: &mut Vec<u8>) -> R<()> {
        if args.is_empty() {
            buf.extend_from_slice(&self.rec.text);
        }
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                buf.extend_from_slice(&self.ofs);
            }
            self.push_output(a, buf)?;
        }
        buf.extend_from_slice(&self.ors);
        Ok(())
    }

    /// Appends a print argument: like `push_str`, but numbers use OFMT.
    fn push_output(&mut self, e: &'p Expr, buf: &mut Vec<u8>) -> R<()> {
        match e {
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                match self.rec.field_bytes(i, &self.fs) {
                    FieldRef::Bytes(b) => buf.extend_from_slice(b),
                    FieldRef::Value(v) => v.push_str(buf, &self.ofmt),
                    FieldRef::Missing => {}
                }
                Ok(())
            }
            Expr::Str(_) | Expr::Concat(_) => self.push_str(e, buf),
            _ => {
                let v = self.eval(e)?;
                v.push_str(buf, &self.ofmt);
                Ok(())
            }
        }
    }

    #[inline(never)]
    fn printf(&mut self, args: &'p [Expr], redir: Option<&'p Redirect>) -> R<()> {
        let dest = self.destination(redir)?;
        let mut buf = std::mem::take(&mut self.print_buf);
        buf.clear();
        let r = self.sprintf_into(args, &mut buf);
        let r = r.and_then(|()| self.emit(dest, &buf));
        self.print_buf = buf;
        r
    }

    /// Formats `args[0]` with the rest as arguments (printf and sprintf).
    pub(crate) fn sprintf_into(&mut self, args: &'p [Expr], out: &mut Vec<u8>) -> R<()> {
        let Some((fmt_e, rest)) = args.split_first() else {
            return Ok(());
        };
        let fmt = match fmt_e {
            Expr::Str(s) => s.clone(),
            _ => self.eval(fmt_e)?.to_str(&self.convfmt),
        };
        let mut vals = Vec::with_capacity(rest.len());
        for a in rest {
            vals.push(self.eval(a)?);
        }
        let fargs: Vec<FmtValue> = vals
            .iter()
            .map(|v| FmtValue {
                value: v,
                convfmt: &self.convfmt,
            })
            .collect();
        match sprintf(out, &fmt, &fargs) {
            Ok(()) => Ok(()),
            Err(FormatError::NotEnoughArgs) => Err(self.fail(format!(
                "not enough arguments to satisfy format string `{}'",
                String::from_utf8_lossy(&fmt)
            ))),
        }
    }
}
