//! Arithmetic: `$(( ))`, `(( ))`, `let`, `for (( ))`, array indices,
//! `declare -i`.
//!
//! 64-bit signed integers with wrap-around, as bash's `intmax_t`. The
//! evaluator is a port of bash's own (expr.c) rather than a parser
//! followed by an evaluator, because bash's error messages depend on how
//! far its reader got when it failed:
//!
//! - `lexer`: the tokens, and integer constants in every base;
//! - `eval`: the recursive descent that evaluates as it reads, looking
//!   variables up as their names are read (a variable holding a
//!   non-number is evaluated as an expression itself: `a=b+1; b=2;
//!   echo $((a))` prints 3).
//!
//! Errors read like bash's: `1 + : syntax error: operand expected (error
//! token is "+ ")`; the caller adds the prefix (`let: `, `((: `).

mod eval;
mod lexer;

use crate::interp::Interp;

impl Interp {
    /// Evaluates `text` (already expanded) as an arithmetic expression;
    /// blank text is 0. The error is bash's message without its prefix.
    pub(crate) fn eval_arith_str(&mut self, text: &str) -> Result<i64, String> {
        eval::Evaluator::new(self).subexpr(text.to_string())
    }
}
