//! Recursive-descent parser: program items and statements here, expressions in
//! [`expr`], built-in and user calls in [`call`].
//!
//! Names are resolved to slots while parsing (parameters of the enclosing function are
//! locals, everything else is global), so the tree never holds a variable name.

mod call;
mod expr;

use crate::ast::{Func, Item, Pattern, Program, Stmt, StmtKind, Var, VarType};
use crate::error::{Error, ErrorKind};
use crate::lexer::{Lexer, Source, Tok};
use crate::special;
use std::collections::HashMap;

/// Deepest nesting of statements/expressions accepted (the stack guard may stop earlier).
/// In wasm the engine's native stack (not measurable from inside) holds about 250 levels.
#[cfg(target_arch = "wasm32")]
const MAX_DEPTH: usize = 150;
#[cfg(not(target_arch = "wasm32"))]
const MAX_DEPTH: usize = 1000;

/// Parses the program sources (several with repeated `-f`) into one program.
/// Warnings (such as unknown escapes) are appended to `warnings`.
pub fn parse_program(sources: &[Source], warnings: &mut Vec<String>) -> Result<Program, Error> {
    let mut p = Parser::new();
    for src in sources {
        let mut lex = Lexer::new(src);
        let tok = lex.next_token()?;
        p.lex = Some(lex);
        p.tok = tok;
        p.items()?;
        if let Some(l) = p.lex.take() {
            warnings.extend(l.warnings);
        }
    }
    for f in &p.prog.funcs {
        if !f.defined {
            // gawk reports this as fatal (status 2), not as a syntax error.
            return Err(Error::runtime(
                0,
                format!("function `{}' called but never defined", f.name),
            ));
        }
    }
    // A function name used as a variable or parameter is an error (gawk: fatal).
    for f in &p.prog.funcs {
        if p.globals.contains_key(&f.name) {
            return Err(Error::new(ErrorKind::Syntax {
                source: String::new(),
                line: 0,
                msg: format!(
                    "`{}' is a function; it cannot also be used as a variable or array",
                    f.name
                ),
            }));
        }
        if let Some(param) = f.params.iter().find(|n| p.func_index.contains_key(*n)) {
            return Err(Error::new(ErrorKind::Syntax {
                source: String::new(),
                line: 0,
                msg: format!(
                    "function `{}': cannot use function name `{param}' as a parameter",
                    f.name
                ),
            }));
        }
    }
    let mut prog = p.prog;
    prog.global_names = p.global_names;
    prog.global_types = (0..prog.global_names.len() as u32)
        .map(|i| {
            if i < special::COUNT {
                if special::is_array(i) {
                    VarType::Array
                } else {
                    VarType::Scalar
                }
            } else {
                VarType::Unknown
            }
        })
        .collect();
    crate::resolve::resolve(&mut prog)?;
    Ok(prog)
}

pub(crate) struct Parser<'a> {
    lex: Option<Lexer<'a>>,
    tok: Tok,
    prog: Program,
    globals: HashMap<String, u32>,
    global_names: Vec<String>,
    func_index: HashMap<String, usize>,
    /// Parameter names of the function being parsed.
    locals: Option<Vec<String>>,
    depth: usize,
    loop_depth: usize,
    in_function: bool,
    /// Set while parsing BEGIN/END actions, where `next` is not allowed.
    in_begin_end: bool,
    stack: crate::stack::StackGuard,
}

impl<'a> Parser<'a> {
    fn new() -> Parser<'a> {
        let mut globals = HashMap::new();
        let mut global_names = Vec::new();
        for (i, n) in special::NAMES.iter().enumerate() {
            globals.insert(n.to_string(), i as u32);
            global_names.push(n.to_string());
        }
        Parser {
            lex: None,
            tok: Tok::Eof,
            prog: Program::default(),
            globals,
            global_names,
            func_index: HashMap::new(),
            locals: None,
            depth: 0,
            loop_depth: 0,
            in_function: false,
            in_begin_end: false,
            stack: crate::stack::StackGuard::new(),
        }
    }

    fn lexer(&mut self) -> &mut Lexer<'a> {
        self.lex.as_mut().expect("lexer is set while parsing")
    }

    fn line(&self) -> usize {
        self.lex.as_ref().map_or(0, |l| l.line())
    }

    /// Moves to the next token, returning the current one.
    fn advance(&mut self) -> Result<Tok, Error> {
        let next = self.lexer().next_token()?;
        Ok(std::mem::replace(&mut self.tok, next))
    }

    /// The token after the current one, without consuming anything.
    fn peek(&mut self) -> Result<Tok, Error> {
        let mut l = self.lexer().clone();
        l.next_token()
    }

    fn error_near(&self) -> Error {
        let near = match &self.tok {
            Tok::Newline | Tok::Eof => self.tok.describe(),
            t => t.describe(),
        };
        self.error(format!("syntax error at or near {near}"))
    }

    fn error(&self, msg: String) -> Error {
        let (source, line) = match &self.lex {
            Some(l) => {
                // A newline token has already advanced the line counter.
                let line = if self.tok == Tok::Newline {
                    l.line().saturating_sub(1).max(1)
                } else {
                    l.line()
                };
                let name = l.source_name();
                let name = if name == "cmd. line" { "" } else { name };
                (name.to_string(), line)
            }
            None => (String::new(), 0),
        };
        Error::new(ErrorKind::Syntax { source, line, msg })
    }

    fn expect(&mut self, t: Tok) -> Result<(), Error> {
        if self.tok == t {
            self.advance()?;
            Ok(())
        } else {
            Err(self.error_near())
        }
    }

    fn opt_newlines(&mut self) -> Result<(), Error> {
        while self.tok == Tok::Newline {
            self.advance()?;
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH || self.stack.exhausted() {
            return Err(self.error("program nested too deeply".into()));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Resolves a variable name in the current scope.
    fn var_ref(&mut self, name: &str) -> Var {
        if let Some(locals) = &self.locals {
            if let Some(i) = locals.iter().position(|n| n == name) {
                return Var::Local(i as u32);
            }
        }
        if let Some(&g) = self.globals.get(name) {
            return Var::Global(g);
        }
        let g = self.global_names.len() as u32;
        self.globals.insert(name.to_string(), g);
        self.global_names.push(name.to_string());
        Var::Global(g)
    }

    /// Index of the function called `name`, creating a placeholder for forward calls.
    fn func_ref(&mut self, name: &str) -> usize {
        if let Some(&i) = self.func_index.get(name) {
            return i;
        }
        let i = self.prog.funcs.len();
        self.prog.funcs.push(Func {
            name: name.to_string(),
            params: Vec::new(),
            param_types: Vec::new(),
            body: Vec::new(),
            defined: false,
        });
        self.func_index.insert(name.to_string(), i);
        i
    }

    fn items(&mut self) -> Result<(), Error> {
        loop {
            while matches!(self.tok, Tok::Newline | Tok::Semi) {
                self.advance()?;
            }
            match self.tok {
                Tok::Eof => return Ok(()),
                Tok::Function => self.function()?,
                Tok::Begin => {
                    self.advance()?;
                    self.opt_newlines()?;
                    if self.tok != Tok::LBrace {
                        return Err(self.error("BEGIN blocks must have an action part".into()));
                    }
                    self.in_begin_end = true;
                    let b = self.block()?;
                    self.in_begin_end = false;
                    self.prog.begin.extend(b);
                }
                Tok::End => {
                    self.advance()?;
                    self.opt_newlines()?;
                    if self.tok != Tok::LBrace {
                        return Err(self.error("END blocks must have an action part".into()));
                    }
                    self.in_begin_end = true;
                    let b = self.block()?;
                    self.in_begin_end = false;
                    self.prog.end.extend(b);
                }
                Tok::LBrace => {
                    let action = self.block()?;
                    self.prog.items.push(Item {
                        pattern: Pattern::All,
                        action: Some(action),
                    });
                }
                _ => self.pattern_item()?,
            }
        }
    }

    fn pattern_item(&mut self) -> Result<(), Error> {
        let first = self.expr(false)?;
        let pattern = if self.tok == Tok::Comma {
            self.advance()?;
            self.opt_newlines()?;
            let second = self.expr(false)?;
            let idx = self.prog.ranges;
            self.prog.ranges += 1;
            Pattern::Range(first, second, idx)
        } else {
            Pattern::Expr(first)
        };
        let action = if self.tok == Tok::LBrace {
            Some(self.block()?)
        } else {
            match self.tok {
                Tok::Newline | Tok::Semi | Tok::Eof => None,
                _ => return Err(self.error_near()),
            }
        };
        self.prog.items.push(Item { pattern, action });
        Ok(())
    }

    fn function(&mut self) -> Result<(), Error> {
        self.advance()?;
        let name = match self.advance()? {
            Tok::Name(n) | Tok::FuncName(n) => n,
            _ => return Err(self.error_near()),
        };
        if self.globals.contains_key(&name) && special::NAMES.contains(&name.as_str()) {
            return Err(self.error(format!(
                "`{name}' is a special variable, not a function name"
            )));
        }
        let idx = self.func_ref(&name);
        if self.prog.funcs[idx].defined {
            return Err(self.error(format!("function `{name}' defined twice")));
        }
        self.expect(Tok::LParen)?;
        let mut params = Vec::new();
        while self.tok != Tok::RParen {
            match self.advance()? {
                Tok::Name(n) => {
                    if params.contains(&n) {
                        return Err(self
                            .error(format!("function `{name}': parameter `{n}' declared twice")));
                    }
                    params.push(n)
                }
                _ => return Err(self.error_near()),
            }
            self.opt_newlines()?;
            if self.tok == Tok::Comma {
                self.advance()?;
                self.opt_newlines()?;
            } else if self.tok != Tok::RParen {
                return Err(self.error_near());
            }
        }
        self.advance()?;
        self.opt_newlines()?;
        self.locals = Some(params.clone());
        self.in_function = true;
        let body = self.block()?;
        self.in_function = false;
        self.locals = None;
        let f = &mut self.prog.funcs[idx];
        f.param_types = vec![VarType::Unknown; params.len()];
        f.params = params;
        f.body = body;
        f.defined = true;
        Ok(())
    }

    /// `{ statements }`
    fn block(&mut self) -> Result<Vec<Stmt>, Error> {
        self.expect(Tok::LBrace)?;
        self.enter()?;
        let mut v = Vec::new();
        loop {
            while matches!(self.tok, Tok::Newline | Tok::Semi) {
                self.advance()?;
            }
            if self.tok == Tok::RBrace {
                self.advance()?;
                break;
            }
            if self.tok == Tok::Eof {
                return Err(self.error_near());
            }
            v.push(self.stmt()?);
        }
        self.leave();
        Ok(v)
    }

    fn mk(&self, line: usize, kind: StmtKind) -> Stmt {
        Stmt {
            line: line as u32,
            kind,
        }
    }

    /// Consumes the end of a simple statement: `;`, newline, or (not consumed) `}`/EOF.
    fn end_simple(&mut self) -> Result<(), Error> {
        match self.tok {
            Tok::Semi | Tok::Newline => {
                self.advance()?;
                Ok(())
            }
            Tok::RBrace | Tok::Eof => Ok(()),
            _ => Err(self.error_near()),
        }
    }

    fn stmt(&mut self) -> Result<Stmt, Error> {
        self.enter()?;
        let r = self.stmt_inner();
        self.leave();
        r
    }

    /// A statement used as a loop or `if` body.
    fn body(&mut self) -> Result<Stmt, Error> {
        self.opt_newlines()?;
        if self.tok == Tok::Semi {
            let line = self.line();
            self.advance()?;
            return Ok(self.mk(line, StmtKind::Block(Vec::new())));
        }
        self.stmt()
    }

    fn stmt_inner(&mut self) -> Result<Stmt, Error> {
        let line = self.line();
        match self.tok {
            Tok::LBrace => {
                let b = self.block()?;
                Ok(self.mk(line, StmtKind::Block(b)))
            }
            Tok::If => {
                self.advance()?;
                self.expect(Tok::LParen)?;
                let cond = self.expr(false)?;
                self.expect(Tok::RParen)?;
                let then = self.body()?;
                let els = if self.else_follows()? {
                    Some(Box::new(self.body()?))
                } else {
                    None
                };
                Ok(self.mk(line, StmtKind::If(cond, Box::new(then), els)))
            }
            Tok::While => {
                self.advance()?;
                self.expect(Tok::LParen)?;
                let cond = self.expr(false)?;
                self.expect(Tok::RParen)?;
                if self.tok == Tok::Semi {
                    self.advance()?;
                    return Ok(self.mk(
                        line,
                        StmtKind::While(cond, Box::new(self.mk(line, StmtKind::Block(vec![])))),
                    ));
                }
                self.loop_depth += 1;
                let body = self.body()?;
                self.loop_depth -= 1;
                Ok(self.mk(line, StmtKind::While(cond, Box::new(body))))
            }
            Tok::Do => {
                self.advance()?;
                self.loop_depth += 1;
                let body = self.body()?;
                self.loop_depth -= 1;
                while matches!(self.tok, Tok::Newline | Tok::Semi) {
                    self.advance()?;
                }
                self.expect(Tok::While)?;
                self.expect(Tok::LParen)?;
                let cond = self.expr(false)?;
                self.expect(Tok::RParen)?;
                self.end_simple()?;
                Ok(self.mk(line, StmtKind::Do(Box::new(body), cond)))
            }
            Tok::For => self.for_stmt(line),
            Tok::Semi => {
                self.advance()?;
                Ok(self.mk(line, StmtKind::Block(Vec::new())))
            }
            _ => {
                let s = self.simple_stmt(line)?;
                self.end_simple()?;
                Ok(s)
            }
        }
    }

    /// After an `if` body: is there an `else` (possibly after `;` and newlines)? Consumes
    /// up to and including the `else` if so.
    fn else_follows(&mut self) -> Result<bool, Error> {
        let mut l = self.lexer().clone();
        let mut t = self.tok.clone();
        let mut seen_semi = false;
        loop {
            match t {
                Tok::Newline => {}
                Tok::Semi if !seen_semi => seen_semi = true,
                Tok::Else => break,
                _ => return Ok(false),
            }
            t = l.next_token()?;
        }
        // Commit: the cloned lexer is positioned just after `else`.
        let warnings = std::mem::take(&mut self.lexer().warnings);
        l.warnings = warnings;
        self.tok = l.next_token()?;
        self.lex = Some(l);
        Ok(true)
    }

    fn for_stmt(&mut self, line: usize) -> Result<Stmt, Error> {
        self.advance()?;
        self.expect(Tok::LParen)?;
        // `for (name in array)`: decided by looking four tokens ahead.
        if let Tok::Name(n) = &self.tok {
            let n = n.clone();
            let mut l = self.lexer().clone();
            if l.next_token()? == Tok::In {
                if let Tok::Name(arr) = l.next_token()? {
                    if l.next_token()? == Tok::RParen {
                        self.advance()?;
                        self.advance()?;
                        self.advance()?;
                        self.advance()?;
                        let var = self.var_ref(&n);
                        let lv = crate::ast::LValue::Var(var);
                        let arr = self.var_ref(&arr);
                        self.loop_depth += 1;
                        let body = self.body()?;
                        self.loop_depth -= 1;
                        return Ok(
                            self.mk(line, StmtKind::ForIn(Box::new(lv), arr, Box::new(body)))
                        );
                    }
                }
            }
        }
        let init = if self.tok == Tok::Semi {
            None
        } else {
            Some(Box::new(self.simple_stmt(line)?))
        };
        self.expect(Tok::Semi)?;
        self.opt_newlines()?;
        let cond = if self.tok == Tok::Semi {
            None
        } else {
            Some(self.expr(false)?)
        };
        self.expect(Tok::Semi)?;
        self.opt_newlines()?;
        let step = if self.tok == Tok::RParen {
            None
        } else {
            Some(Box::new(self.simple_stmt(line)?))
        };
        self.expect(Tok::RParen)?;
        if self.tok == Tok::Semi {
            self.advance()?;
            let empty = self.mk(line, StmtKind::Block(vec![]));
            return Ok(self.mk(line, StmtKind::For(init, cond, step, Box::new(empty))));
        }
        self.loop_depth += 1;
        let body = self.body()?;
        self.loop_depth -= 1;
        Ok(self.mk(line, StmtKind::For(init, cond, step, Box::new(body))))
    }

    /// Statements that end with `;`/newline: print, printf, delete, next, exit, ...
    fn simple_stmt(&mut self, line: usize) -> Result<Stmt, Error> {
        let kind = match self.tok {
            Tok::Print | Tok::Printf => {
                let is_printf = self.tok == Tok::Printf;
                self.advance()?;
                let (args, redir) = self.print_args()?;
                if is_printf {
                    if args.is_empty() {
                        return Err(self.error("printf: no format".into()));
                    }
                    StmtKind::Printf(args.into(), redir)
                } else {
                    StmtKind::Print(args.into(), redir)
                }
            }
            Tok::Delete => {
                self.advance()?;
                let name = match self.advance()? {
                    Tok::Name(n) => n,
                    _ => return Err(self.error_near()),
                };
                let var = self.var_ref(&name);
                if self.tok == Tok::LBracket {
                    self.advance()?;
                    let keys = self.expr_list_until(Tok::RBracket)?;
                    StmtKind::Delete(var, Some(keys.into()))
                } else {
                    StmtKind::Delete(var, None)
                }
            }
            Tok::Next => {
                if self.in_begin_end {
                    return Err(self.error("`next' used in BEGIN or END action".into()));
                }
                self.advance()?;
                StmtKind::Next
            }
            Tok::Nextfile => {
                if self.in_begin_end {
                    return Err(self.error("`nextfile' used in BEGIN or END action".into()));
                }
                self.advance()?;
                StmtKind::Nextfile
            }
            Tok::Exit => {
                self.advance()?;
                if self.ends_simple() {
                    StmtKind::Exit(None)
                } else {
                    StmtKind::Exit(Some(self.expr(false)?))
                }
            }
            Tok::Return => {
                if !self.in_function {
                    return Err(self.error("`return' used outside function context".into()));
                }
                self.advance()?;
                if self.ends_simple() {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.expr(false)?))
                }
            }
            Tok::Break | Tok::Continue => {
                if self.loop_depth == 0 {
                    let w = if self.tok == Tok::Break {
                        "break"
                    } else {
                        "continue"
                    };
                    return Err(self.error(format!("`{w}' is not allowed outside a loop")));
                }
                if self.advance()? == Tok::Break {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            _ => StmtKind::Expr(self.expr(false)?),
        };
        Ok(self.mk(line, kind))
    }

    fn ends_simple(&self) -> bool {
        matches!(self.tok, Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof)
    }
}
