//! User-defined function calls: scalars by value, arrays by reference, missing arguments
//! become fresh locals.

use super::{Cell, Flow, Interp, MAX_CALL_DEPTH, R};
use crate::array::Array;
use crate::ast::{Expr, VarType};
use crate::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

impl<'p> Interp<'p> {
    /// Calls function `func` with `args`.
    #[inline(never)]
    pub(crate) fn call(&mut self, func: usize, args: &'p [Expr]) -> R<Value> {
        let f = &self.prog.funcs[func];
        if self.depth >= MAX_CALL_DEPTH || self.guard.exhausted() {
            return Err(self.fail(format!(
                "function `{}': calls nested too deeply ({} levels): out of stack",
                f.name, self.depth
            )));
        }
        // Arguments are evaluated in the caller's frame, before the new frame exists.
        let mut cells = Vec::with_capacity(f.params.len());
        for (i, t) in f.param_types.iter().enumerate() {
            let cell = match (args.get(i), t) {
                (Some(Expr::ArrayArg(v)), _) => Cell::Arr(self.arr(*v)?),
                (Some(e), _) => Cell::Val(self.eval(e)?),
                (None, VarType::Array) => Cell::Arr(Rc::new(RefCell::new(Array::default()))),
                (None, _) => Cell::Val(Value::Uninit),
            };
            cells.push(cell);
        }
        for extra in args.iter().skip(f.params.len()) {
            self.eval(extra)?;
        }
        let saved_line = self.line;
        let old_base = self.base;
        let new_base = self.stack.len();
        self.stack.extend(cells);
        self.base = new_base;
        self.depth += 1;
        let r = self.exec_block(&f.body);
        self.depth -= 1;
        self.stack.truncate(new_base);
        self.base = old_base;
        self.line = saved_line;
        match r {
            Ok(Flow::Return(v)) => Ok(v),
            Ok(_) => Ok(Value::Uninit),
            Err(e) => Err(e),
        }
    }
}
