//! Decides, for every variable slot, whether it holds a scalar or an array.
//!
//! Most uses decide it syntactically (`a[k]`, `k in a`, `delete a`, `split(s, a)` make an
//! array; any other use makes a scalar). A bare name passed to a user function takes the
//! type of the parameter, and a parameter the type of what is passed, so the rules are
//! applied until nothing changes. Afterwards, array arguments are rewritten to
//! [`Expr::ArrayArg`] and `length(arr)` to [`Expr::LengthArray`], and mismatches become
//! errors before the program runs (gawk reports them at parse time as well).

use crate::ast::{
    Expr, GetlineSrc, LValue, Pattern, Program, Redirect, RegexArg, Stmt, StmtKind, Var, VarType,
};
use crate::error::{Error, ErrorKind};
use crate::lexer::Builtin;

/// Infers types and rewrites array uses; fails on scalar/array conflicts.
pub fn resolve(prog: &mut Program) -> Result<(), Error> {
    let mut inf = Infer {
        globals: prog.global_types.clone(),
        global_names: prog.global_names.clone(),
        params: prog.funcs.iter().map(|f| f.param_types.clone()).collect(),
        param_names: prog.funcs.iter().map(|f| f.params.clone()).collect(),
        func_names: prog.funcs.iter().map(|f| f.name.clone()).collect(),
        links: Vec::new(),
        rewrite: false,
        line: 0,
    };
    // Pass 1: collect direct uses and links.
    inf.program(prog)?;
    // Propagate through links until stable.
    loop {
        let mut changed = false;
        for i in 0..inf.links.len() {
            let (ctx, var, func, param) = inf.links[i];
            let vt = inf.get(ctx, var);
            let pt = inf.params[func][param];
            match (vt, pt) {
                (VarType::Unknown, t) if t != VarType::Unknown => {
                    inf.mark(ctx, var, t)?;
                    changed = true;
                }
                (t, VarType::Unknown) if t != VarType::Unknown => {
                    inf.params[func][param] = t;
                    changed = true;
                }
                (a, b) if a != b => {
                    return Err(inf.conflict(ctx, var, b));
                }
                _ => {}
            }
        }
        if !changed {
            break;
        }
    }
    // Pass 2: rewrite array arguments and length(array).
    inf.rewrite = true;
    inf.program(prog)?;
    for t in inf.globals.iter_mut() {
        if *t == VarType::Unknown {
            *t = VarType::Scalar;
        }
    }
    prog.global_types = inf.globals;
    for (f, types) in prog.funcs.iter_mut().zip(inf.params) {
        f.param_types = types
            .into_iter()
            .map(|t| {
                if t == VarType::Unknown {
                    VarType::Scalar
                } else {
                    t
                }
            })
            .collect();
    }
    Ok(())
}

type Ctx = Option<usize>;

struct Infer {
    globals: Vec<VarType>,
    global_names: Vec<String>,
    params: Vec<Vec<VarType>>,
    param_names: Vec<Vec<String>>,
    func_names: Vec<String>,
    /// (context, variable passed bare, callee, parameter index)
    links: Vec<(Ctx, Var, usize, usize)>,
    rewrite: bool,
    /// Line of the statement being walked, for messages.
    line: usize,
}

fn err_at(line: usize, msg: String) -> Error {
    Error::new(ErrorKind::Syntax {
        source: String::new(),
        line,
        msg,
    })
}

impl Infer {
    fn get(&self, ctx: Ctx, v: Var) -> VarType {
        match (v, ctx) {
            (Var::Global(g), _) => self.globals[g as usize],
            (Var::Local(i), Some(f)) => self.params[f][i as usize],
            (Var::Local(_), None) => VarType::Unknown,
        }
    }

    fn name(&self, ctx: Ctx, v: Var) -> String {
        match (v, ctx) {
            (Var::Global(g), _) => self.global_names[g as usize].clone(),
            (Var::Local(i), Some(f)) => self.param_names[f][i as usize].clone(),
            _ => "?".into(),
        }
    }

    fn conflict(&self, ctx: Ctx, v: Var, wanted: VarType) -> Error {
        let name = self.name(ctx, v);
        let place = match ctx {
            Some(f) if matches!(v, Var::Local(_)) => {
                format!(" in function `{}'", self.func_names[f])
            }
            _ => String::new(),
        };
        // gawk finds these while parsing too, but reports them as fatal (status 2).
        if wanted == VarType::Array {
            Error::runtime(
                self.line,
                format!("can't use scalar `{name}'{place} as an array"),
            )
        } else {
            Error::runtime(
                self.line,
                format!("can't use array `{name}'{place} in a scalar context"),
            )
        }
    }

    fn mark(&mut self, ctx: Ctx, v: Var, t: VarType) -> Result<(), Error> {
        if self.rewrite {
            return Ok(());
        }
        let cur = self.get(ctx, v);
        if cur == VarType::Unknown {
            match (v, ctx) {
                (Var::Global(g), _) => self.globals[g as usize] = t,
                (Var::Local(i), Some(f)) => self.params[f][i as usize] = t,
                _ => {}
            }
            Ok(())
        } else if cur != t {
            Err(self.conflict(ctx, v, t))
        } else {
            Ok(())
        }
    }

    fn program(&mut self, prog: &mut Program) -> Result<(), Error> {
        for s in prog.begin.iter_mut().chain(prog.end.iter_mut()) {
            self.stmt(s, None)?;
        }
        for item in prog.items.iter_mut() {
            match &mut item.pattern {
                Pattern::All => {}
                Pattern::Expr(e) => self.expr(e, None)?,
                Pattern::Range(a, b, _) => {
                    self.expr(a, None)?;
                    self.expr(b, None)?;
                }
            }
            if let Some(action) = &mut item.action {
                for s in action.iter_mut() {
                    self.stmt(s, None)?;
                }
            }
        }
        for (i, f) in prog.funcs.iter_mut().enumerate() {
            for s in f.body.iter_mut() {
                self.stmt(s, Some(i))?;
            }
        }
        Ok(())
    }

    fn stmt(&mut self, s: &mut Stmt, ctx: Ctx) -> Result<(), Error> {
        self.line = s.line as usize;
        match &mut s.kind {
            StmtKind::Expr(e) => self.expr(e, ctx),
            StmtKind::Print(args, redir) | StmtKind::Printf(args, redir) => {
                for a in args.iter_mut() {
                    self.expr(a, ctx)?;
                }
                match redir {
                    Some(Redirect::Write(e) | Redirect::Append(e) | Redirect::Pipe(e)) => {
                        self.expr(e, ctx)
                    }
                    None => Ok(()),
                }
            }
            StmtKind::If(c, a, b) => {
                self.expr(c, ctx)?;
                self.stmt(a, ctx)?;
                if let Some(b) = b {
                    self.stmt(b, ctx)?;
                }
                Ok(())
            }
            StmtKind::While(c, body) | StmtKind::Do(body, c) => {
                self.expr(c, ctx)?;
                self.stmt(body, ctx)
            }
            StmtKind::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.stmt(i, ctx)?;
                }
                if let Some(c) = cond {
                    self.expr(c, ctx)?;
                }
                if let Some(st) = step {
                    self.stmt(st, ctx)?;
                }
                self.stmt(body, ctx)
            }
            StmtKind::ForIn(lv, arr, body) => {
                self.lvalue(lv, ctx)?;
                self.mark(ctx, *arr, VarType::Array)?;
                self.stmt(body, ctx)
            }
            StmtKind::Block(v) => {
                for s in v.iter_mut() {
                    self.stmt(s, ctx)?;
                }
                Ok(())
            }
            StmtKind::Exit(e) | StmtKind::Return(e) => match e {
                Some(e) => self.expr(e, ctx),
                None => Ok(()),
            },
            StmtKind::Delete(arr, keys) => {
                self.mark(ctx, *arr, VarType::Array)?;
                if let Some(keys) = keys {
                    for k in keys.iter_mut() {
                        self.expr(k, ctx)?;
                    }
                }
                Ok(())
            }
            StmtKind::Next | StmtKind::Nextfile | StmtKind::Break | StmtKind::Continue => Ok(()),
        }
    }

    fn lvalue(&mut self, lv: &mut LValue, ctx: Ctx) -> Result<(), Error> {
        match lv {
            LValue::Var(v) => self.mark(ctx, *v, VarType::Scalar),
            LValue::Field(e) => self.expr(e, ctx),
            LValue::Index(v, keys) => {
                self.mark(ctx, *v, VarType::Array)?;
                for k in keys.iter_mut() {
                    self.expr(k, ctx)?;
                }
                Ok(())
            }
        }
    }

    fn regex_arg(&mut self, r: &mut RegexArg, ctx: Ctx) -> Result<(), Error> {
        match r {
            RegexArg::Static(_) => Ok(()),
            RegexArg::Dynamic(e) => self.expr(e, ctx),
        }
    }

    fn expr(&mut self, e: &mut Expr, ctx: Ctx) -> Result<(), Error> {
        match e {
            Expr::Num(_) | Expr::Str(_) | Expr::Regex(_) | Expr::Nf => Ok(()),
            Expr::Var(v) => self.mark(ctx, *v, VarType::Scalar),
            Expr::ArrayArg(v) | Expr::LengthArray(v) => self.mark(ctx, *v, VarType::Array),
            Expr::Field(i) | Expr::Not(i) | Expr::Neg(i) | Expr::Plus(i) => self.expr(i, ctx),
            Expr::Index(v, keys) => {
                self.mark(ctx, *v, VarType::Array)?;
                for k in keys.iter_mut() {
                    self.expr(k, ctx)?;
                }
                Ok(())
            }
            Expr::In(keys, v) => {
                self.mark(ctx, *v, VarType::Array)?;
                for k in keys.iter_mut() {
                    self.expr(k, ctx)?;
                }
                Ok(())
            }
            Expr::Assign(lv, rhs) | Expr::AugAssign(_, lv, rhs) => {
                self.lvalue(lv, ctx)?;
                self.expr(rhs, ctx)
            }
            Expr::IncDec { lv, .. } => self.lvalue(lv, ctx),
            Expr::AppendElem(v, keys, parts) => {
                self.mark(ctx, *v, VarType::Array)?;
                for p in keys.iter_mut().chain(parts.iter_mut()) {
                    self.expr(p, ctx)?;
                }
                Ok(())
            }
            Expr::Append(v, parts) => {
                self.mark(ctx, *v, VarType::Scalar)?;
                for p in parts.iter_mut() {
                    self.expr(p, ctx)?;
                }
                Ok(())
            }
            Expr::Cond(a, b, c) => {
                self.expr(a, ctx)?;
                self.expr(b, ctx)?;
                self.expr(c, ctx)
            }
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Arith(_, a, b) | Expr::Cmp(_, a, b) => {
                self.expr(a, ctx)?;
                self.expr(b, ctx)
            }
            Expr::Concat(parts) => {
                for p in parts.iter_mut() {
                    self.expr(p, ctx)?;
                }
                Ok(())
            }
            Expr::Match { lhs, re, .. } => {
                self.expr(lhs, ctx)?;
                self.regex_arg(re, ctx)
            }
            Expr::Call { func, args } => self.call(*func, args, ctx),
            Expr::Builtin(b, args) => {
                if *b == Builtin::Length && args.len() == 1 {
                    if let Expr::Var(v) = args[0] {
                        // Either type is fine for length().
                        if self.rewrite && self.get(ctx, v) == VarType::Array {
                            *e = Expr::LengthArray(v);
                        }
                        return Ok(());
                    }
                }
                for a in args.iter_mut() {
                    self.expr(a, ctx)?;
                }
                Ok(())
            }
            Expr::MatchFn(s, re) => {
                self.expr(s, ctx)?;
                self.regex_arg(re, ctx)
            }
            Expr::Split(s, arr, sep) => {
                self.expr(s, ctx)?;
                self.mark(ctx, *arr, VarType::Array)?;
                if let Some(sep) = sep {
                    self.regex_arg(sep, ctx)?;
                }
                Ok(())
            }
            Expr::Sub {
                re, repl, target, ..
            } => {
                self.regex_arg(re, ctx)?;
                self.expr(repl, ctx)?;
                match target {
                    Ok(lv) => self.lvalue(lv, ctx),
                    Err(e) => self.expr(e, ctx),
                }
            }
            Expr::Gensub {
                re,
                repl,
                how,
                target,
            } => {
                self.regex_arg(re, ctx)?;
                self.expr(repl, ctx)?;
                self.expr(how, ctx)?;
                if let Some(t) = target {
                    self.expr(t, ctx)?;
                }
                Ok(())
            }
            Expr::Asort { src, dest, .. } => {
                self.mark(ctx, *src, VarType::Array)?;
                if let Some(d) = dest {
                    self.mark(ctx, *d, VarType::Array)?;
                }
                Ok(())
            }
            Expr::Getline { src, var } => {
                match src {
                    GetlineSrc::Main => {}
                    GetlineSrc::File(f) | GetlineSrc::Cmd(f) => self.expr(f, ctx)?,
                }
                if let Some(v) = var {
                    self.lvalue(v, ctx)?;
                }
                Ok(())
            }
            Expr::Group(_) => Err(err_at(
                self.line,
                "a parenthesized list (a, b) is only allowed before `in' or as print arguments"
                    .into(),
            )),
        }
    }

    fn call(&mut self, func: usize, args: &mut [Expr], ctx: Ctx) -> Result<(), Error> {
        // Extra arguments are evaluated and dropped, as gawk does.
        let nparams = self.params[func].len();
        for a in args.iter_mut().skip(nparams) {
            self.expr(a, ctx)?;
        }
        for (i, a) in args.iter_mut().enumerate().take(nparams) {
            match a {
                Expr::Var(v) => {
                    let v = *v;
                    if self.rewrite {
                        if self.params[func][i] == VarType::Array {
                            *a = Expr::ArrayArg(v);
                        }
                    } else {
                        self.links.push((ctx, v, func, i));
                    }
                }
                Expr::ArrayArg(_) => {}
                other => {
                    if self.rewrite && self.params[func][i] == VarType::Array {
                        // Fatal in gawk (status 2), like the conflicts above.
                        return Err(Error::runtime(
                            self.line,
                            format!(
                                "function `{}': argument {} must be an array",
                                self.func_names[func],
                                i + 1
                            ),
                        ));
                    }
                    self.expr(other, ctx)?;
                }
            }
        }
        Ok(())
    }
}
