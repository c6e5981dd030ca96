//! The tokens of an arithmetic expression, read one at a time as bash's
//! `readtok` reads them (expr.c). Which token a character sequence is
//! depends on the token before it (`x++` is a post-increment, `5++` is
//! two plus signs), so the reader is told the current and the previous
//! token. The reader does not evaluate: variables are looked up by the
//! evaluator once it knows what follows a name.

/// Operators that combine a left and a right value (also the `op` of an
/// `op=` assignment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BinOp {
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `&`
    And,
    /// `|`
    Or,
    /// `^`
    Xor,
}

/// One token. `Op` holds the single-character operators as written, the
/// others are bash's multi-character tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    /// The end of the expression (bash's token 0).
    End,
    /// `==`
    EqEq,
    /// `!=`
    Neq,
    /// `<=`
    Leq,
    /// `>=`
    Geq,
    /// A variable name, possibly with a subscript (`a[i+1]`).
    Str,
    /// An integer constant.
    Num,
    /// `&&`
    LAnd,
    /// `||`
    LOr,
    /// `<<`
    Lsh,
    /// `>>`
    Rsh,
    /// `op=`
    OpAssign(BinOp),
    /// Set after a whole `a ? b : c` (never read as such).
    Cond,
    /// `**`
    Power,
    /// `++` before a name.
    PreInc,
    /// `--` before a name.
    PreDec,
    /// `++` after a name.
    PostInc,
    /// `--` after a name.
    PostDec,
    /// One of `= > < + - * / % ! ( ) & | ^ ~ ? : ,`.
    Op(u8),
}

impl Tok {
    /// True for the tokens after which a missing operand, not a bad
    /// operator, is the error (bash's `_is_arithop || _is_multiop`, and
    /// the start of the expression).
    fn wants_operand(self) -> bool {
        !matches!(self, Tok::Str | Tok::Num)
    }
}

/// A token as read: its kind and where it lies in the expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Scanned {
    /// What was read.
    pub(super) tok: Tok,
    /// Byte offset of its first character (bash's `lasttp`); the end of
    /// the text for [`Tok::End`].
    pub(super) start: usize,
    /// Byte offset just past it (bash's `tp` afterwards).
    pub(super) end: usize,
}

/// A token that cannot be read: bash's message, reported at the token's
/// start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ScanError {
    /// The message (`syntax error: operand expected`…).
    pub(super) message: &'static str,
    /// Byte offset of the offending token.
    pub(super) at: usize,
}

/// bash's `cr_whitespace`: blanks and newlines separate tokens.
pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n')
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Reads the token at or after `pos` (blanks skipped). `curtok` is the
/// token just read and `lasttok` the one before it.
pub(super) fn scan(
    text: &[u8],
    pos: usize,
    curtok: Tok,
    lasttok: Tok,
) -> Result<Scanned, ScanError> {
    let mut start = pos;
    while start < text.len() && is_space(text[start]) {
        start += 1;
    }
    let at = |c: usize| text.get(c).copied().unwrap_or(0);
    let done = |tok, end| Ok(Scanned { tok, start, end });
    let Some(&c) = text.get(start) else {
        return done(Tok::End, start);
    };
    if is_name_start(c) {
        let mut end = start;
        while end < text.len() && is_name_char(text[end]) {
            end += 1;
        }
        if at(end) == b'[' {
            match closing_bracket(text, end) {
                Some(close) => end = close + 1,
                None => {
                    return Err(ScanError {
                        message: "bad array subscript",
                        at: start,
                    })
                }
            }
        }
        return done(Tok::Str, end);
    }
    if c.is_ascii_digit() {
        let mut end = start;
        while end < text.len() && (text[end].is_ascii_alphanumeric() || b"#@_".contains(&text[end]))
        {
            end += 1;
        }
        return done(Tok::Num, end);
    }
    let c1 = at(start + 1);
    let two = |tok| done(tok, start + 2);
    match (c, c1) {
        (b'=', b'=') => two(Tok::EqEq),
        (b'!', b'=') => two(Tok::Neq),
        (b'>', b'=') => two(Tok::Geq),
        (b'<', b'=') => two(Tok::Leq),
        (b'<', b'<') if at(start + 2) == b'=' => done(Tok::OpAssign(BinOp::Shl), start + 3),
        (b'<', b'<') => two(Tok::Lsh),
        (b'>', b'>') if at(start + 2) == b'=' => done(Tok::OpAssign(BinOp::Shr), start + 3),
        (b'>', b'>') => two(Tok::Rsh),
        (b'&', b'&') => two(Tok::LAnd),
        (b'|', b'|') => two(Tok::LOr),
        (b'*', b'*') => two(Tok::Power),
        (b'-' | b'+', _) if c1 == c => {
            let (pre, post) = if c == b'-' {
                (Tok::PreDec, Tok::PostDec)
            } else {
                (Tok::PreInc, Tok::PostInc)
            };
            if curtok == Tok::Str {
                return two(post);
            }
            if curtok == Tok::Num && matches!(lasttok, Tok::PreInc | Tok::PreDec) {
                // `--x++`: the increment has no variable left to change.
                return Err(ScanError {
                    message: if c == b'-' {
                        "--: assignment requires lvalue"
                    } else {
                        "++: assignment requires lvalue"
                    },
                    at: start,
                });
            }
            let mut next = start + 2;
            while next < text.len() && is_space(text[next]) {
                next += 1;
            }
            if is_name_start(at(next)) {
                two(pre)
            } else {
                // `--5` is two unary minuses.
                done(Tok::Op(c), start + 1)
            }
        }
        (_, b'=') if b"*/%+-&^|".contains(&c) => two(Tok::OpAssign(match c {
            b'*' => BinOp::Mul,
            b'/' => BinOp::Div,
            b'%' => BinOp::Mod,
            b'+' => BinOp::Add,
            b'-' => BinOp::Sub,
            b'&' => BinOp::And,
            b'^' => BinOp::Xor,
            _ => BinOp::Or,
        })),
        _ if b"=><+-*/%!()&|^~?:,".contains(&c) => done(Tok::Op(c), start + 1),
        _ => Err(ScanError {
            message: if curtok.wants_operand() {
                "syntax error: operand expected"
            } else {
                "syntax error: invalid arithmetic operator"
            },
            at: start,
        }),
    }
}

/// The `]` closing the `[` at `open`, brackets nesting (bash's
/// `skipsubscript`).
fn closing_bracket(text: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &c) in text.iter().enumerate().skip(open) {
        match c {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// bash's `strlong`: the value of an integer constant as the reader cut
/// it (digits, letters, `#`, `@`, `_`): decimal, `0x` hex, leading-`0`
/// octal or `base#digits` (bases 2 to 64). The error is bash's message.
pub(super) fn constant(text: &[u8]) -> Result<i64, &'static str> {
    let valid = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'@';
    let mut s = text;
    let mut base: i64 = 10;
    let mut found_base = false;
    if let [b'0', rest @ ..] = s {
        if rest.is_empty() {
            return Ok(0);
        }
        match rest {
            [b'x' | b'X', hex @ ..] => {
                base = 16;
                s = hex;
            }
            _ => {
                base = 8;
                s = rest;
            }
        }
        found_base = true;
    }
    let mut value: i64 = 0;
    for (i, &c) in s.iter().enumerate() {
        if c == b'#' {
            if found_base {
                return Err("invalid number");
            }
            if !(2..=64).contains(&value) {
                return Err("invalid arithmetic base");
            }
            base = value;
            value = 0;
            found_base = true;
            if !s.get(i + 1).copied().is_some_and(valid) {
                return Err("invalid integer constant");
            }
        } else if valid(c) {
            let digit = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'z' => c - b'a' + 10,
                b'A'..=b'Z' if base <= 36 => c - b'A' + 10,
                b'A'..=b'Z' => c - b'A' + 36,
                b'@' => 62,
                _ => 63,
            };
            if i64::from(digit) >= base {
                return Err("value too great for base");
            }
            value = value.wrapping_mul(base).wrapping_add(i64::from(digit));
        } else {
            break;
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Tok> {
        let (mut pos, mut cur, mut last) = (0, Tok::End, Tok::End);
        let mut out = Vec::new();
        loop {
            let t = scan(text.as_bytes(), pos, cur, last).unwrap();
            if t.tok == Tok::End {
                return out;
            }
            out.push(t.tok);
            (pos, last, cur) = (t.end, cur, t.tok);
        }
    }

    #[test]
    fn increments_depend_on_the_token_before() {
        assert_eq!(tokens("x++"), [Tok::Str, Tok::PostInc]);
        assert_eq!(tokens("++x"), [Tok::PreInc, Tok::Str]);
        assert_eq!(
            tokens("5++1"),
            [Tok::Num, Tok::Op(b'+'), Tok::Op(b'+'), Tok::Num]
        );
        assert_eq!(tokens("--5"), [Tok::Op(b'-'), Tok::Op(b'-'), Tok::Num]);
    }

    #[test]
    fn multi_character_operators() {
        assert_eq!(
            tokens("a<<=1>>2**3"),
            [
                Tok::Str,
                Tok::OpAssign(BinOp::Shl),
                Tok::Num,
                Tok::Rsh,
                Tok::Num,
                Tok::Power,
                Tok::Num
            ]
        );
        assert_eq!(
            tokens("a[b[1]]|=2"),
            [Tok::Str, Tok::OpAssign(BinOp::Or), Tok::Num]
        );
    }

    #[test]
    fn bad_characters_name_the_expected_thing() {
        let err = |text: &str, cur| scan(text.as_bytes(), 0, cur, Tok::End).unwrap_err();
        assert_eq!(err("@", Tok::End).message, "syntax error: operand expected");
        assert_eq!(
            err(" $", Tok::Num),
            ScanError {
                message: "syntax error: invalid arithmetic operator",
                at: 1
            }
        );
        assert_eq!(err("a[1", Tok::End).message, "bad array subscript");
    }

    #[test]
    fn constants_in_every_base() {
        assert_eq!(constant(b"42"), Ok(42));
        assert_eq!(constant(b"0x1f"), Ok(31));
        assert_eq!(constant(b"0x"), Ok(0));
        assert_eq!(constant(b"017"), Ok(15));
        assert_eq!(constant(b"2#101"), Ok(5));
        assert_eq!(constant(b"64#_"), Ok(63));
        assert_eq!(constant(b"08"), Err("value too great for base"));
        assert_eq!(constant(b"1#1"), Err("invalid arithmetic base"));
        assert_eq!(constant(b"2#"), Err("invalid integer constant"));
        assert_eq!(constant(b"0x1#1"), Err("invalid number"));
        assert_eq!(constant(b"99999999999999999999"), Ok(7766279631452241919));
    }
}
