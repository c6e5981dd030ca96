//! Tokenizer for awk program text.
//!
//! awk's lexical grammar depends on the parser in one place: a `/` starts a regex literal
//! only where an operand is expected. The lexer therefore always produces `Div` or
//! `DivAssign` for `/`, and the parser asks [`Lexer::regex_after_slash`] to re-read the text
//! as a regex when it needs an operand. The lexer is `Clone` so the parser can look ahead
//! several tokens cheaply (it is just a position in the source).

use crate::error::{Error, ErrorKind};

/// Built-in functions: their names are reserved words in awk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// `length`
    Length,
    /// `substr`
    Substr,
    /// `index`
    Index,
    /// `split`
    Split,
    /// `sub`
    Sub,
    /// `gsub`
    Gsub,
    /// `match`
    Match,
    /// `sprintf`
    Sprintf,
    /// `sin`
    Sin,
    /// `cos`
    Cos,
    /// `atan2`
    Atan2,
    /// `exp`
    Exp,
    /// `log`
    Log,
    /// `sqrt`
    Sqrt,
    /// `int`
    Int,
    /// `rand`
    Rand,
    /// `srand`
    Srand,
    /// `tolower`
    Tolower,
    /// `toupper`
    Toupper,
    /// `close`
    Close,
    /// `fflush`
    Fflush,
    /// `system`
    System,
    /// `gensub` (gawk)
    Gensub,
    /// `asort` (gawk)
    Asort,
    /// `asorti` (gawk)
    Asorti,
    /// `systime` (gawk)
    Systime,
    /// `strftime` (gawk)
    Strftime,
    /// `mktime` (gawk)
    Mktime,
}

impl Builtin {
    fn from_name(name: &str) -> Option<Builtin> {
        use Builtin::*;
        Some(match name {
            "length" => Length,
            "substr" => Substr,
            "index" => Index,
            "split" => Split,
            "sub" => Sub,
            "gsub" => Gsub,
            "match" => Match,
            "sprintf" => Sprintf,
            "sin" => Sin,
            "cos" => Cos,
            "atan2" => Atan2,
            "exp" => Exp,
            "log" => Log,
            "sqrt" => Sqrt,
            "int" => Int,
            "rand" => Rand,
            "srand" => Srand,
            "tolower" => Tolower,
            "toupper" => Toupper,
            "close" => Close,
            "fflush" => Fflush,
            "system" => System,
            "gensub" => Gensub,
            "asort" => Asort,
            "asorti" => Asorti,
            "systime" => Systime,
            "strftime" => Strftime,
            "mktime" => Mktime,
            _ => return None,
        })
    }

    /// The name as written in programs, for error messages.
    pub fn name(self) -> &'static str {
        use Builtin::*;
        match self {
            Length => "length",
            Substr => "substr",
            Index => "index",
            Split => "split",
            Sub => "sub",
            Gsub => "gsub",
            Match => "match",
            Sprintf => "sprintf",
            Sin => "sin",
            Cos => "cos",
            Atan2 => "atan2",
            Exp => "exp",
            Log => "log",
            Sqrt => "sqrt",
            Int => "int",
            Rand => "rand",
            Srand => "srand",
            Tolower => "tolower",
            Toupper => "toupper",
            Close => "close",
            Fflush => "fflush",
            System => "system",
            Gensub => "gensub",
            Asort => "asort",
            Asorti => "asorti",
            Systime => "systime",
            Strftime => "strftime",
            Mktime => "mktime",
        }
    }
}

/// One token of awk source.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// End of the program text.
    Eof,
    /// A newline (statement terminator in most places).
    Newline,
    /// Numeric literal.
    Number(f64),
    /// String literal, escapes already processed.
    Str(Vec<u8>),
    /// Regex literal (only produced by [`Lexer::regex_after_slash`]).
    Regex(Vec<u8>),
    /// Identifier.
    Name(String),
    /// Identifier immediately followed by `(`: a user function call.
    FuncName(String),
    /// Built-in function name.
    Builtin(Builtin),
    /// `BEGIN`
    Begin,
    /// `END`
    End,
    /// `function` or `func`
    Function,
    /// `if`
    If,
    /// `else`
    Else,
    /// `while`
    While,
    /// `for`
    For,
    /// `do`
    Do,
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// `next`
    Next,
    /// `nextfile`
    Nextfile,
    /// `exit`
    Exit,
    /// `return`
    Return,
    /// `delete`
    Delete,
    /// `in`
    In,
    /// `getline`
    Getline,
    /// `print`
    Print,
    /// `printf`
    Printf,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `;`
    Semi,
    /// `,`
    Comma,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^` or `**`
    Pow,
    /// `!`
    Not,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `|`
    Pipe,
    /// `?`
    Question,
    /// `:`
    Colon,
    /// `~`
    Match,
    /// `!~`
    NoMatch,
    /// `$`
    Dollar,
    /// `=`
    Assign,
    /// `+=`
    AddAssign,
    /// `-=`
    SubAssign,
    /// `*=`
    MulAssign,
    /// `/=`
    DivAssign,
    /// `%=`
    ModAssign,
    /// `^=` or `**=`
    PowAssign,
    /// `==`
    Eq,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `!=`
    Ne,
    /// `++`
    Incr,
    /// `--`
    Decr,
    /// `>>`
    Append,
    /// `&&`
    And,
    /// `||`
    Or,
}

impl Tok {
    /// Source-like text of the token, for "syntax error at or near X".
    pub fn describe(&self) -> String {
        match self {
            Tok::Eof => "end of file".into(),
            Tok::Newline => "end of line".into(),
            Tok::Number(n) => crate::number::format_number_plain(*n),
            Tok::Str(s) => format!("\"{}\"", String::from_utf8_lossy(s)),
            Tok::Regex(s) => format!("/{}/", String::from_utf8_lossy(s)),
            Tok::Name(s) | Tok::FuncName(s) => s.clone(),
            Tok::Builtin(b) => b.name().into(),
            other => punct_text(other).into(),
        }
    }
}

fn punct_text(t: &Tok) -> &'static str {
    match t {
        Tok::Begin => "BEGIN",
        Tok::End => "END",
        Tok::Function => "function",
        Tok::If => "if",
        Tok::Else => "else",
        Tok::While => "while",
        Tok::For => "for",
        Tok::Do => "do",
        Tok::Break => "break",
        Tok::Continue => "continue",
        Tok::Next => "next",
        Tok::Nextfile => "nextfile",
        Tok::Exit => "exit",
        Tok::Return => "return",
        Tok::Delete => "delete",
        Tok::In => "in",
        Tok::Getline => "getline",
        Tok::Print => "print",
        Tok::Printf => "printf",
        Tok::LBrace => "{",
        Tok::RBrace => "}",
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::LBracket => "[",
        Tok::RBracket => "]",
        Tok::Semi => ";",
        Tok::Comma => ",",
        Tok::Plus => "+",
        Tok::Minus => "-",
        Tok::Star => "*",
        Tok::Div => "/",
        Tok::Mod => "%",
        Tok::Pow => "^",
        Tok::Not => "!",
        Tok::Gt => ">",
        Tok::Lt => "<",
        Tok::Pipe => "|",
        Tok::Question => "?",
        Tok::Colon => ":",
        Tok::Match => "~",
        Tok::NoMatch => "!~",
        Tok::Dollar => "$",
        Tok::Assign => "=",
        Tok::AddAssign => "+=",
        Tok::SubAssign => "-=",
        Tok::MulAssign => "*=",
        Tok::DivAssign => "/=",
        Tok::ModAssign => "%=",
        Tok::PowAssign => "^=",
        Tok::Eq => "==",
        Tok::Le => "<=",
        Tok::Ge => ">=",
        Tok::Ne => "!=",
        Tok::Incr => "++",
        Tok::Decr => "--",
        Tok::Append => ">>",
        Tok::And => "&&",
        Tok::Or => "||",
        _ => "?",
    }
}

/// Where a program text came from, for messages (`cmd. line` or a `-f` file name).
#[derive(Clone, Debug)]
pub struct Source {
    /// Display name used in messages.
    pub name: String,
    /// The program text.
    pub text: Vec<u8>,
}

/// The tokenizer: a cursor over one source text.
#[derive(Clone)]
pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    line: usize,
    /// Warnings collected while lexing (unknown escapes), printed by the driver.
    pub warnings: Vec<String>,
    source_name: &'a str,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `src`.
    pub fn new(src: &'a Source) -> Lexer<'a> {
        Lexer {
            src: &src.text,
            pos: 0,
            line: 1,
            warnings: Vec::new(),
            source_name: &src.name,
        }
    }

    /// Current line number (1-based).
    pub fn line(&self) -> usize {
        self.line
    }

    /// Name of the source, for messages.
    pub fn source_name(&self) -> &str {
        self.source_name
    }

    fn peek_byte(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<u8> {
        self.src.get(self.pos + off).copied()
    }

    fn err(&self, msg: String) -> Error {
        Error::new(ErrorKind::Syntax {
            source: self.source_name.to_string(),
            line: self.line,
            msg,
        })
    }

    /// Skips blanks, comments and backslash-newline continuations.
    fn skip_space(&mut self) {
        while let Some(c) = self.peek_byte() {
            match c {
                b' ' | b'\t' | b'\r' | 0x0c | 0x0b => self.pos += 1,
                b'\\' if self.peek_at(1) == Some(b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                b'\\' if self.peek_at(1) == Some(b'\r') && self.peek_at(2) == Some(b'\n') => {
                    self.pos += 3;
                    self.line += 1;
                }
                b'#' => {
                    while let Some(c) = self.peek_byte() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// Produces the next token.
    pub fn next_token(&mut self) -> Result<Tok, Error> {
        self.skip_space();
        let Some(c) = self.peek_byte() else {
            return Ok(Tok::Eof);
        };
        self.pos += 1;
        let two = |l: &mut Self, next: u8, yes: Tok, no: Tok| {
            if l.peek_byte() == Some(next) {
                l.pos += 1;
                yes
            } else {
                no
            }
        };
        Ok(match c {
            b'\n' => {
                self.line += 1;
                Tok::Newline
            }
            b'{' => Tok::LBrace,
            b'}' => Tok::RBrace,
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBracket,
            b']' => Tok::RBracket,
            b';' => Tok::Semi,
            b',' => Tok::Comma,
            b'?' => Tok::Question,
            b':' => Tok::Colon,
            b'~' => Tok::Match,
            b'$' => Tok::Dollar,
            b'+' => match self.peek_byte() {
                Some(b'+') => {
                    self.pos += 1;
                    Tok::Incr
                }
                Some(b'=') => {
                    self.pos += 1;
                    Tok::AddAssign
                }
                _ => Tok::Plus,
            },
            b'-' => match self.peek_byte() {
                Some(b'-') => {
                    self.pos += 1;
                    Tok::Decr
                }
                Some(b'=') => {
                    self.pos += 1;
                    Tok::SubAssign
                }
                _ => Tok::Minus,
            },
            b'*' => {
                if self.peek_byte() == Some(b'*') {
                    self.pos += 1;
                    two(self, b'=', Tok::PowAssign, Tok::Pow)
                } else {
                    two(self, b'=', Tok::MulAssign, Tok::Star)
                }
            }
            b'/' => two(self, b'=', Tok::DivAssign, Tok::Div),
            b'%' => two(self, b'=', Tok::ModAssign, Tok::Mod),
            b'^' => two(self, b'=', Tok::PowAssign, Tok::Pow),
            b'=' => two(self, b'=', Tok::Eq, Tok::Assign),
            b'!' => match self.peek_byte() {
                Some(b'=') => {
                    self.pos += 1;
                    Tok::Ne
                }
                Some(b'~') => {
                    self.pos += 1;
                    Tok::NoMatch
                }
                _ => Tok::Not,
            },
            b'<' => two(self, b'=', Tok::Le, Tok::Lt),
            b'>' => match self.peek_byte() {
                Some(b'=') => {
                    self.pos += 1;
                    Tok::Ge
                }
                Some(b'>') => {
                    self.pos += 1;
                    Tok::Append
                }
                _ => Tok::Gt,
            },
            b'&' => {
                if self.peek_byte() == Some(b'&') {
                    self.pos += 1;
                    Tok::And
                } else {
                    return Err(self.err("syntax error at or near &".into()));
                }
            }
            b'|' => two(self, b'|', Tok::Or, Tok::Pipe),
            b'"' => self.string()?,
            b'0'..=b'9' | b'.' => {
                if c == b'.' && !self.peek_byte().is_some_and(|d| d.is_ascii_digit()) {
                    return Err(self.err("syntax error at or near .".into()));
                }
                self.pos -= 1;
                self.number()
            }
            c if c == b'_' || c.is_ascii_alphabetic() => {
                self.pos -= 1;
                self.word()
            }
            other => {
                let shown = if other.is_ascii_graphic() {
                    (other as char).to_string()
                } else {
                    format!("\\x{other:02x}")
                };
                return Err(self.err(format!("syntax error at or near {shown}")));
            }
        })
    }

    fn number(&mut self) -> Tok {
        let start = self.pos;
        // gawk reads hex constants in program text (not in input data).
        if self.peek_byte() == Some(b'0')
            && matches!(self.peek_at(1), Some(b'x' | b'X'))
            && self.peek_at(2).is_some_and(|d| d.is_ascii_hexdigit())
        {
            self.pos += 2;
            let hs = self.pos;
            while self.peek_byte().is_some_and(|d| d.is_ascii_hexdigit()) {
                self.pos += 1;
            }
            let digits = std::str::from_utf8(&self.src[hs..self.pos]).unwrap_or("0");
            let mut v = 0f64;
            for d in digits.chars() {
                v = v * 16.0 + d.to_digit(16).unwrap_or(0) as f64;
            }
            return Tok::Number(v);
        }
        while self.peek_byte().is_some_and(|d| d.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.peek_byte() == Some(b'.') {
            self.pos += 1;
            while self.peek_byte().is_some_and(|d| d.is_ascii_digit()) {
                self.pos += 1;
            }
        }
        if matches!(self.peek_byte(), Some(b'e' | b'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek_byte(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.peek_byte().is_some_and(|d| d.is_ascii_digit()) {
                while self.peek_byte().is_some_and(|d| d.is_ascii_digit()) {
                    self.pos += 1;
                }
            } else {
                self.pos = save;
            }
        }
        let digits = &self.src[start..self.pos];
        // gawk reads `017` in program text as octal (only when every digit is octal).
        if digits.len() > 1 && digits[0] == b'0' && digits.iter().all(|d| (b'0'..=b'7').contains(d))
        {
            let v = digits[1..]
                .iter()
                .fold(0f64, |v, d| v * 8.0 + (d - b'0') as f64);
            return Tok::Number(v);
        }
        let text = std::str::from_utf8(digits).unwrap_or("0");
        Tok::Number(text.parse::<f64>().unwrap_or(0.0))
    }

    fn word(&mut self) -> Tok {
        let start = self.pos;
        while self
            .peek_byte()
            .is_some_and(|d| d == b'_' || d.is_ascii_alphanumeric())
        {
            self.pos += 1;
        }
        let w = String::from_utf8_lossy(&self.src[start..self.pos]).into_owned();
        match w.as_str() {
            "BEGIN" => Tok::Begin,
            "END" => Tok::End,
            "function" | "func" => Tok::Function,
            "if" => Tok::If,
            "else" => Tok::Else,
            "while" => Tok::While,
            "for" => Tok::For,
            "do" => Tok::Do,
            "break" => Tok::Break,
            "continue" => Tok::Continue,
            "next" => Tok::Next,
            "nextfile" => Tok::Nextfile,
            "exit" => Tok::Exit,
            "return" => Tok::Return,
            "delete" => Tok::Delete,
            "in" => Tok::In,
            "getline" => Tok::Getline,
            "print" => Tok::Print,
            "printf" => Tok::Printf,
            _ => {
                if let Some(b) = Builtin::from_name(&w) {
                    Tok::Builtin(b)
                } else if self.peek_byte() == Some(b'(') {
                    Tok::FuncName(w)
                } else {
                    Tok::Name(w)
                }
            }
        }
    }

    fn string(&mut self) -> Result<Tok, Error> {
        let mut out = Vec::new();
        loop {
            let Some(c) = self.peek_byte() else {
                return Err(self.err("unterminated string".into()));
            };
            self.pos += 1;
            match c {
                b'"' => break,
                b'\n' => return Err(self.err("unterminated string".into())),
                b'\\' => {
                    let Some(e) = self.peek_byte() else {
                        return Err(self.err("unterminated string".into()));
                    };
                    self.pos += 1;
                    match e {
                        b'\n' => self.line += 1,
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'a' => out.push(7),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'v' => out.push(11),
                        b'x' if self.peek_byte().is_some_and(|d| d.is_ascii_hexdigit()) => {
                            // gawk: up to two hex digits.
                            let mut v = 0u32;
                            for _ in 0..2 {
                                match self.peek_byte() {
                                    Some(d) if d.is_ascii_hexdigit() => {
                                        v = v * 16 + (d as char).to_digit(16).unwrap_or(0);
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.peek_byte() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        _ => {
                            self.warnings.push(format!(
                                "{}: line {}: warning: escape sequence `\\{}' treated as plain `{}'",
                                self.source_name,
                                self.line,
                                e as char,
                                e as char
                            ));
                            out.push(e);
                        }
                    }
                }
                _ => out.push(c),
            }
        }
        Ok(Tok::Str(out))
    }

    /// Re-reads the text after a `/` (already consumed as `Div` or `DivAssign`) as a regex
    /// literal. `had_eq` says the token was `/=`, whose `=` belongs to the regex.
    pub fn regex_after_slash(&mut self, had_eq: bool) -> Result<Tok, Error> {
        if had_eq {
            self.pos -= 1;
        }
        let mut out = Vec::new();
        let mut in_bracket = false;
        loop {
            let Some(c) = self.peek_byte() else {
                return Err(self.err("unterminated regexp".into()));
            };
            self.pos += 1;
            match c {
                b'\n' => return Err(self.err("unterminated regexp".into())),
                b'\\' => {
                    match self.peek_byte() {
                        Some(b'/') => {
                            out.push(b'/');
                            self.pos += 1;
                        }
                        Some(b'\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        Some(n) => {
                            out.push(b'\\');
                            out.push(n);
                            self.pos += 1;
                        }
                        None => return Err(self.err("unterminated regexp".into())),
                    }
                    continue;
                }
                b'[' if !in_bracket => {
                    in_bracket = true;
                    out.push(c);
                    // `]` right after `[` or `[^` is literal: keep it inside the bracket.
                    if self.peek_byte() == Some(b'^') {
                        out.push(b'^');
                        self.pos += 1;
                    }
                    if self.peek_byte() == Some(b']') {
                        out.push(b']');
                        self.pos += 1;
                    }
                    continue;
                }
                b'[' if in_bracket && self.peek_byte() == Some(b':') => {
                    // A character class name like [:alpha:] inside a bracket.
                    out.push(c);
                    if let Some(end) = find_sub(&self.src[self.pos..], b":]") {
                        out.extend_from_slice(&self.src[self.pos..self.pos + end + 2]);
                        self.pos += end + 2;
                    }
                    continue;
                }
                b']' if in_bracket => {
                    in_bracket = false;
                }
                b'/' if !in_bracket => break,
                _ => {}
            }
            out.push(c);
        }
        Ok(Tok::Regex(out))
    }
}

fn find_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let limit = hay.iter().position(|&b| b == b'\n').unwrap_or(hay.len());
    hay[..limit].windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        let src = Source {
            name: "test".into(),
            text: s.as_bytes().to_vec(),
        };
        let mut l = Lexer::new(&src);
        let mut v = Vec::new();
        loop {
            let t = l.next_token().unwrap();
            if t == Tok::Eof {
                break;
            }
            v.push(t);
        }
        v
    }

    #[test]
    fn operators_and_words() {
        assert_eq!(
            toks("a+=1 ** f( x"),
            vec![
                Tok::Name("a".into()),
                Tok::AddAssign,
                Tok::Number(1.0),
                Tok::Pow,
                Tok::FuncName("f".into()),
                Tok::LParen,
                Tok::Name("x".into())
            ]
        );
    }

    #[test]
    fn string_escapes() {
        assert_eq!(toks(r#""a\tb\101\"""#), vec![Tok::Str(b"a\tbA\"".to_vec())]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("1.5e3 .5 0x1F 017 3e"),
            vec![
                Tok::Number(1500.0),
                Tok::Number(0.5),
                Tok::Number(31.0),
                Tok::Number(15.0),
                Tok::Number(3.0),
                Tok::Name("e".into())
            ]
        );
    }

    #[test]
    fn regex_rescan_keeps_slash_in_bracket() {
        let src = Source {
            name: "t".into(),
            text: b"/a[/]\\/b/".to_vec(),
        };
        let mut l = Lexer::new(&src);
        assert_eq!(l.next_token().unwrap(), Tok::Div);
        assert_eq!(
            l.regex_after_slash(false).unwrap(),
            Tok::Regex(b"a[/]/b".to_vec())
        );
    }

    #[test]
    fn comments_and_continuations() {
        assert_eq!(
            toks("a # c\\\n b\\\nc"),
            vec![
                Tok::Name("a".into()),
                Tok::Newline,
                Tok::Name("b".into()),
                Tok::Name("c".into())
            ]
        );
    }
}
