//! Arithmetic: `$(( ))`, `(( ))`, `let`, array indices, `declare -i`.
//!
//! 64-bit signed integers with wrap-around, as bash's `intmax_t`. A
//! variable holding a non-number is evaluated as an expression itself
//! (`a=b+1; b=2; echo $((a))` prints 3), up to a recursion limit.

use crate::interp::Interp;
use brush_parser::ast::{
    ArithmeticExpr, ArithmeticTarget, BinaryOperator, UnaryAssignmentOperator, UnaryOperator,
};

/// Deepest recursion through variables holding expressions.
const MAX_RECURSION: u32 = 256;

/// Parses an integer constant the way bash does: decimal, `0x` hex,
/// leading-`0` octal, `base#digits`. `None` if `text` is not a constant;
/// `Some(Err)` if it looks like one but is invalid (`08`).
pub(crate) fn parse_constant(text: &str) -> Option<Result<i64, String>> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if body.is_empty() || !body.chars().next()?.is_ascii_digit() {
        return None;
    }
    let (base, digits) = if let Some((base, digits)) = body.split_once('#') {
        match base.parse::<u32>() {
            Ok(b) if (2..=64).contains(&b) => (b, digits),
            _ => return Some(Err(format!("{text}: invalid arithmetic base"))),
        }
    } else if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, hex)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if !body
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '#' || c == '@' || c == '_')
    {
        return None;
    }
    let mut value: i64 = 0;
    for c in digits.chars() {
        let digit = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            '@' => 62,
            '_' => 63,
            _ => return Some(Err(format!("{text}: invalid number"))),
        };
        if digit >= base {
            return Some(Err(format!(
                "{text}: value too great for base (error token is \"{text}\")"
            )));
        }
        value = value.wrapping_mul(base as i64).wrapping_add(digit as i64);
    }
    Some(Ok(if negative {
        value.wrapping_neg()
    } else {
        value
    }))
}

/// Prefix of the placeholder names standing for associative keys.
const ASSOC_KEY: &str = "__wasm_agent_assoc_key_";

impl Interp {
    /// Parses and evaluates `text` (already expanded).
    pub(crate) fn eval_arith_str(&mut self, text: &str) -> Result<i64, String> {
        let result = self.eval_arith_text(text, 0);
        self.arith_keys.clear();
        result
    }

    fn eval_arith_text(&mut self, text: &str, depth: u32) -> Result<i64, String> {
        if text.trim().is_empty() {
            return Ok(0);
        }
        if let Some(constant) = parse_constant(text) {
            return constant;
        }
        let protected;
        let text = if text.contains('[') {
            protected = self.protect_assoc_keys(text);
            protected.as_str()
        } else {
            text
        };
        let expr = brush_parser::arithmetic::parse(text)
            .map_err(|_| format!("{}: syntax error: invalid arithmetic operator", text.trim()))?;
        self.eval_expr(&expr, text, depth)
    }

    /// `count[a.txt]` where `count` is associative: the key is text, not
    /// an expression. Each such key is set aside and replaced by a
    /// placeholder name the arithmetic parser accepts
    /// ([`Interp::element_key`] maps it back).
    fn protect_assoc_keys(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('[') {
            let before = &rest[..open];
            let name_start = before
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(0, |i| i + 1);
            let name = &before[name_start..];
            let mut depth = 0;
            let close = rest[open..].char_indices().find_map(|(i, c)| {
                match c {
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(open + i);
                        }
                    }
                    _ => {}
                }
                None
            });
            match close {
                Some(close) if !name.is_empty() && self.is_assoc(name) => {
                    out.push_str(&rest[..=open]);
                    out.push_str(&format!("{ASSOC_KEY}{}", self.arith_keys.len()));
                    self.arith_keys.push(rest[open + 1..close].to_string());
                    out.push(']');
                    rest = &rest[close + 1..];
                }
                _ => {
                    out.push_str(&rest[..=open]);
                    rest = &rest[open + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The subscript of `name[index]` as a key: the set-aside text for an
    /// associative array, the evaluated number for an indexed one.
    fn element_key(
        &mut self,
        name: &str,
        index: &ArithmeticExpr,
        source: &str,
        depth: u32,
    ) -> Result<String, String> {
        if let ArithmeticExpr::Reference(ArithmeticTarget::Variable(placeholder)) = index {
            if let Some(n) = placeholder.strip_prefix(ASSOC_KEY) {
                if let Some(key) = n.parse::<usize>().ok().and_then(|n| self.arith_keys.get(n)) {
                    return Ok(key.clone());
                }
            }
        }
        if self.is_assoc(name) {
            return Ok(index.to_string());
        }
        Ok(self.eval_expr(index, source, depth)?.to_string())
    }

    /// The numeric value of a variable in arithmetic context.
    fn arith_var(
        &mut self,
        name: &str,
        index: Option<String>,
        source: &str,
        depth: u32,
    ) -> Result<i64, String> {
        let text = match index {
            None => self.scalar(name),
            Some(key) => self.element(name, &key),
        };
        let Some(text) = text else {
            if self.state.options.nounset {
                return Err(format!("{name}: unbound variable"));
            }
            return Ok(0);
        };
        if depth >= MAX_RECURSION {
            return Err(format!("{source}: expression recursion level exceeded"));
        }
        self.eval_arith_text(&text, depth + 1)
    }

    fn assign_arith(
        &mut self,
        target: &ArithmeticTarget,
        value: i64,
        source: &str,
        depth: u32,
    ) -> Result<i64, String> {
        let result = match target {
            ArithmeticTarget::Variable(name) => self.set_scalar(name, value.to_string()),
            ArithmeticTarget::ArrayElement(name, index) => {
                let key = self.element_key(name, index, source, depth)?;
                self.set_element(name, &key, value.to_string(), false)
            }
        };
        result.map_err(|e| e.message())?;
        Ok(value)
    }

    fn read_target(
        &mut self,
        target: &ArithmeticTarget,
        source: &str,
        depth: u32,
    ) -> Result<i64, String> {
        match target {
            ArithmeticTarget::Variable(name) => self.arith_var(name, None, source, depth),
            ArithmeticTarget::ArrayElement(name, index) => {
                let key = self.element_key(name, index, source, depth)?;
                self.arith_var(name, Some(key), source, depth)
            }
        }
    }

    /// Evaluates a parsed expression; `source` is its text, for messages.
    pub(crate) fn eval_expr(
        &mut self,
        expr: &ArithmeticExpr,
        source: &str,
        depth: u32,
    ) -> Result<i64, String> {
        Ok(match expr {
            ArithmeticExpr::Literal(n) => *n,
            ArithmeticExpr::Reference(target) => self.read_target(target, source, depth)?,
            ArithmeticExpr::UnaryOp(op, operand) => {
                let v = self.eval_expr(operand, source, depth)?;
                match op {
                    UnaryOperator::UnaryPlus => v,
                    UnaryOperator::UnaryMinus => v.wrapping_neg(),
                    UnaryOperator::BitwiseNot => !v,
                    UnaryOperator::LogicalNot => i64::from(v == 0),
                }
            }
            ArithmeticExpr::BinaryOp(BinaryOperator::LogicalAnd, a, b) => i64::from(
                self.eval_expr(a, source, depth)? != 0 && self.eval_expr(b, source, depth)? != 0,
            ),
            ArithmeticExpr::BinaryOp(BinaryOperator::LogicalOr, a, b) => i64::from(
                self.eval_expr(a, source, depth)? != 0 || self.eval_expr(b, source, depth)? != 0,
            ),
            ArithmeticExpr::BinaryOp(op, a, b) => {
                let a = self.eval_expr(a, source, depth)?;
                let b = self.eval_expr(b, source, depth)?;
                binary(*op, a, b, source)?
            }
            ArithmeticExpr::Conditional(cond, then, otherwise) => {
                if self.eval_expr(cond, source, depth)? != 0 {
                    self.eval_expr(then, source, depth)?
                } else {
                    self.eval_expr(otherwise, source, depth)?
                }
            }
            ArithmeticExpr::Assignment(target, value) => {
                let value = self.eval_expr(value, source, depth)?;
                self.assign_arith(target, value, source, depth)?
            }
            ArithmeticExpr::BinaryAssignment(op, target, value) => {
                let current = self.read_target(target, source, depth)?;
                let value = self.eval_expr(value, source, depth)?;
                let result = binary(*op, current, value, source)?;
                self.assign_arith(target, result, source, depth)?
            }
            ArithmeticExpr::UnaryAssignment(op, target) => {
                let current = self.read_target(target, source, depth)?;
                let (new, result) = match op {
                    UnaryAssignmentOperator::PrefixIncrement => {
                        (current.wrapping_add(1), current.wrapping_add(1))
                    }
                    UnaryAssignmentOperator::PrefixDecrement => {
                        (current.wrapping_sub(1), current.wrapping_sub(1))
                    }
                    UnaryAssignmentOperator::PostfixIncrement => (current.wrapping_add(1), current),
                    UnaryAssignmentOperator::PostfixDecrement => (current.wrapping_sub(1), current),
                };
                self.assign_arith(target, new, source, depth)?;
                result
            }
        })
    }
}

fn binary(op: BinaryOperator, a: i64, b: i64, source: &str) -> Result<i64, String> {
    let division_by_zero = || format!("{}: division by 0 (error token is \"{b}\")", source.trim());
    Ok(match op {
        BinaryOperator::Power => {
            if b < 0 {
                return Err(format!(
                    "{}: exponent less than 0 (error token is \"{b}\")",
                    source.trim()
                ));
            }
            let mut result: i64 = 1;
            let mut base = a;
            let mut exp = b as u64;
            while exp > 0 {
                if exp & 1 == 1 {
                    result = result.wrapping_mul(base);
                }
                base = base.wrapping_mul(base);
                exp >>= 1;
            }
            result
        }
        BinaryOperator::Multiply => a.wrapping_mul(b),
        BinaryOperator::Divide => {
            if b == 0 {
                return Err(division_by_zero());
            }
            a.wrapping_div(b)
        }
        BinaryOperator::Modulo => {
            if b == 0 {
                return Err(division_by_zero());
            }
            a.wrapping_rem(b)
        }
        BinaryOperator::Comma => b,
        BinaryOperator::Add => a.wrapping_add(b),
        BinaryOperator::Subtract => a.wrapping_sub(b),
        BinaryOperator::ShiftLeft => a.wrapping_shl((b & 63) as u32),
        BinaryOperator::ShiftRight => a.wrapping_shr((b & 63) as u32),
        BinaryOperator::LessThan => i64::from(a < b),
        BinaryOperator::LessThanOrEqualTo => i64::from(a <= b),
        BinaryOperator::GreaterThan => i64::from(a > b),
        BinaryOperator::GreaterThanOrEqualTo => i64::from(a >= b),
        BinaryOperator::Equals => i64::from(a == b),
        BinaryOperator::NotEquals => i64::from(a != b),
        BinaryOperator::BitwiseAnd => a & b,
        BinaryOperator::BitwiseXor => a ^ b,
        BinaryOperator::BitwiseOr => a | b,
        BinaryOperator::LogicalAnd => i64::from(a != 0 && b != 0),
        BinaryOperator::LogicalOr => i64::from(a != 0 || b != 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_in_every_base() {
        assert_eq!(parse_constant("42"), Some(Ok(42)));
        assert_eq!(parse_constant("0x1f"), Some(Ok(31)));
        assert_eq!(parse_constant("017"), Some(Ok(15)));
        assert_eq!(parse_constant("2#101"), Some(Ok(5)));
        assert_eq!(parse_constant("-7"), Some(Ok(-7)));
        assert!(matches!(parse_constant("08"), Some(Err(_))));
        assert_eq!(parse_constant("x"), None);
        assert_eq!(parse_constant("1+2"), None);
    }

    #[test]
    fn operators_wrap_like_intmax() {
        assert_eq!(
            binary(BinaryOperator::Add, i64::MAX, 1, "").unwrap(),
            i64::MIN
        );
        assert_eq!(binary(BinaryOperator::Power, 2, 10, "").unwrap(), 1024);
        assert!(binary(BinaryOperator::Divide, 1, 0, "1/0")
            .unwrap_err()
            .contains("division by 0"));
        assert_eq!(binary(BinaryOperator::Modulo, -7, 3, "").unwrap(), -1);
    }
}
