//! The program tree produced by the parser and walked by the interpreter.
//!
//! Variables are already resolved to slots: globals index the interpreter's global table,
//! locals index the current function frame. After [`crate::resolve`] has run, every slot
//! is known to hold either a scalar or an array, so the interpreter never looks names up.

use crate::ere::Regex;
use crate::lexer::Builtin;
use crate::value::Str;
use std::rc::Rc;

/// A variable slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Var {
    /// Index into the global table (special variables come first, see [`crate::special`]).
    Global(u32),
    /// Index into the current function's frame (parameters, then extra "local" parameters).
    Local(u32),
}

/// Whether a slot holds a scalar or an array (inferred over the whole program).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarType {
    /// Never used in a way that decides; treated as a scalar.
    Unknown,
    /// Holds a value.
    Scalar,
    /// Holds an associative array.
    Array,
}

/// Arithmetic operators (for binary expressions and compound assignment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Something that can be assigned to.
#[derive(Clone, Debug)]
pub enum LValue {
    /// A scalar variable.
    Var(Var),
    /// `$expr`
    Field(Box<Expr>),
    /// `arr[k]` or `arr[k1, k2]` (keys joined with SUBSEP).
    Index(Var, Box<[Expr]>),
}

/// The regex operand of `~`, `match`, `split`, `sub`, `gsub`.
#[derive(Clone, Debug)]
pub enum RegexArg {
    /// A `/literal/`, compiled once at parse time.
    Static(Rc<Regex>),
    /// Any other expression: its string value is compiled (and cached) at run time.
    Dynamic(Box<Expr>),
}

/// Where `getline` reads from.
#[derive(Clone, Debug)]
pub enum GetlineSrc {
    /// The main input (`getline` / `getline var`).
    Main,
    /// `getline < file`
    File(Box<Expr>),
    /// `cmd | getline` (always fails: commands cannot run in the sandbox).
    Cmd(Box<Expr>),
}

/// An expression.
#[derive(Clone, Debug)]
pub enum Expr {
    /// Numeric constant.
    Num(f64),
    /// String constant.
    Str(Str),
    /// A regex literal used as a value: `$0 ~ /re/`.
    Regex(Rc<Regex>),
    /// Scalar variable read.
    Var(Var),
    /// An array passed whole to a user function (set by the resolver).
    ArrayArg(Var),
    /// Read of `NF` (forces field splitting).
    Nf,
    /// `$expr`
    Field(Box<Expr>),
    /// `arr[keys]`
    Index(Var, Box<[Expr]>),
    /// `(keys) in arr`
    In(Box<[Expr]>, Var),
    /// `lv = e`
    Assign(Box<LValue>, Box<Expr>),
    /// `v = v e1 e2 ...` on a plain variable: appended in place when the string is not
    /// shared, so building a string in a loop is linear.
    Append(Var, Box<[Expr]>),
    /// `a[k] = a[k] e1 e2 ...` with the same simple subscript on both sides: appended in
    /// place, like [`Expr::Append`] (the group-by idiom `a[$1] = a[$1] "," $2`).
    AppendElem(Var, Box<[Expr]>, Box<[Expr]>),
    /// `lv op= e`
    AugAssign(ArithOp, Box<LValue>, Box<Expr>),
    /// `++lv`, `lv++`, `--lv`, `lv--`
    IncDec {
        /// Target.
        lv: Box<LValue>,
        /// +1 or -1.
        delta: f64,
        /// Prefix form returns the new value, postfix the old one.
        prefix: bool,
    },
    /// `c ? a : b`
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `a && b`
    And(Box<Expr>, Box<Expr>),
    /// `a || b`
    Or(Box<Expr>, Box<Expr>),
    /// `!a`
    Not(Box<Expr>),
    /// `-a`
    Neg(Box<Expr>),
    /// `+a`
    Plus(Box<Expr>),
    /// Arithmetic.
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// Comparison.
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// String concatenation of two or more operands.
    Concat(Box<[Expr]>),
    /// `a ~ re` (or `!~` when `negate`).
    Match {
        /// `!~`
        negate: bool,
        /// Left operand.
        lhs: Box<Expr>,
        /// The regex.
        re: RegexArg,
    },
    /// User function call.
    Call {
        /// Index into [`Program::funcs`].
        func: usize,
        /// Arguments; array arguments are [`Expr::ArrayArg`].
        args: Box<[Expr]>,
    },
    /// Built-in call with plain value arguments.
    Builtin(Builtin, Box<[Expr]>),
    /// `length(arr)`
    LengthArray(Var),
    /// `match(s, re)`
    MatchFn(Box<Expr>, RegexArg),
    /// `split(s, arr [, sep])`
    Split(Box<Expr>, Var, Option<RegexArg>),
    /// `sub(re, repl [, lv])` / `gsub(...)`
    Sub {
        /// `gsub` rather than `sub`.
        global: bool,
        /// What to find.
        re: RegexArg,
        /// Replacement text (`&` = the match).
        repl: Box<Expr>,
        /// Target; `$0` when absent. A non-assignable target (a constant) is edited as a
        /// temporary, as gawk does: only the count is visible.
        target: Result<Box<LValue>, Box<Expr>>,
    },
    /// `gensub(re, repl, how [, target])` (gawk): returns the edited copy.
    Gensub {
        /// What to find.
        re: RegexArg,
        /// Replacement (`\\N` is group N, `&` or `\\0` the match).
        repl: Box<Expr>,
        /// `"g"` for all matches, or the number of the match to replace.
        how: Box<Expr>,
        /// Source string; `$0` when absent.
        target: Option<Box<Expr>>,
    },
    /// `asort(src [, dest])` / `asorti(src [, dest])` (gawk).
    Asort {
        /// `asorti`: sort the indices rather than the values.
        indices: bool,
        /// Array to sort.
        src: Var,
        /// Where to put the result; `src` itself when absent.
        dest: Option<Var>,
    },
    /// All forms of `getline`.
    Getline {
        /// Source.
        src: GetlineSrc,
        /// Variable to set instead of `$0`.
        var: Option<Box<LValue>>,
    },
    /// Parenthesised expression list; only valid before `in` or as print arguments.
    Group(Box<[Expr]>),
}

/// Output redirection of `print`/`printf`.
#[derive(Clone, Debug)]
pub enum Redirect {
    /// `> file`
    Write(Expr),
    /// `>> file`
    Append(Expr),
    /// `| cmd` (always fails: commands cannot run in the sandbox).
    Pipe(Expr),
}

/// A statement with the source line it starts on (for runtime error messages).
#[derive(Clone, Debug)]
pub struct Stmt {
    /// 1-based source line.
    pub line: u32,
    /// What the statement does.
    pub kind: StmtKind,
}

/// Statement kinds.
#[derive(Clone, Debug)]
pub enum StmtKind {
    /// Expression evaluated for its effect.
    Expr(Expr),
    /// `print args [redirect]`; no args = `$0`.
    Print(Box<[Expr]>, Option<Redirect>),
    /// `printf fmt, args [redirect]`.
    Printf(Box<[Expr]>, Option<Redirect>),
    /// `if`
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    /// `while`
    While(Expr, Box<Stmt>),
    /// `do body while (cond)`
    Do(Box<Stmt>, Expr),
    /// `for (init; cond; step) body`
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    /// `for (var in arr) body`
    ForIn(Box<LValue>, Var, Box<Stmt>),
    /// `{ ... }`
    Block(Vec<Stmt>),
    /// `next`
    Next,
    /// `nextfile`
    Nextfile,
    /// `exit [status]`
    Exit(Option<Expr>),
    /// `return [value]`
    Return(Option<Expr>),
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// `delete arr[keys]` or `delete arr`
    Delete(Var, Option<Box<[Expr]>>),
}

/// The pattern of a pattern-action item.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// No pattern: every record.
    All,
    /// An expression (a bare regex means `$0 ~ re`).
    Expr(Expr),
    /// `start, end`: `usize` indexes the interpreter's range-state table.
    Range(Expr, Expr, usize),
}

/// One pattern-action item of the main loop.
#[derive(Clone, Debug)]
pub struct Item {
    /// When to run.
    pub pattern: Pattern,
    /// What to run; `None` means `print $0`.
    pub action: Option<Vec<Stmt>>,
}

/// A user-defined function.
#[derive(Clone, Debug)]
pub struct Func {
    /// Name, for messages.
    pub name: String,
    /// Parameter names (the caller may pass fewer: the rest are locals).
    pub params: Vec<String>,
    /// Inferred type of each parameter.
    pub param_types: Vec<VarType>,
    /// Body.
    pub body: Vec<Stmt>,
    /// Whether the function was defined (calls may precede the definition).
    pub defined: bool,
}

/// A parsed and resolved program.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// All BEGIN actions, in order.
    pub begin: Vec<Stmt>,
    /// Pattern-action items.
    pub items: Vec<Item>,
    /// All END actions, in order.
    pub end: Vec<Stmt>,
    /// User functions.
    pub funcs: Vec<Func>,
    /// Global variable names, by slot.
    pub global_names: Vec<String>,
    /// Global variable types, by slot.
    pub global_types: Vec<VarType>,
    /// Number of range patterns (each needs an on/off flag).
    pub ranges: usize,
}
