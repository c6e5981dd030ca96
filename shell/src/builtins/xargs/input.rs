//! xargs' two input formats, read incrementally (so that `yes | xargs
//! -n1 | head` ends), as GNU findutils 4.9 reads them:
//!
//! - the default: items separated by blanks and newlines, with `'…'`,
//!   `"…"` and backslash quoting, an optional logical end-of-file string,
//!   and trailing blanks continuing a line (for `-L`);
//! - `-0` / `-d C`: items separated by one byte, taken literally.
//!
//! With `-I`, blanks do not separate: each line (leading blanks dropped)
//! is one item.

use crate::io::Input;

/// What the reader found next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// An item.
    Arg(String),
    /// The end of an input line; `counts` is false when the line ended in
    /// a blank (the next line continues it, for `-L`).
    LineEnd { counts: bool },
    /// No more input (or the logical end-of-file string).
    Eof,
}

/// Why reading stopped with an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum InputError {
    /// A quote was still open at a newline or the end: `single` / `double`.
    UnmatchedQuote(&'static str),
    /// An item longer than the command line may be.
    TooLong,
}

impl InputError {
    /// GNU xargs' message.
    pub(super) fn message(&self) -> String {
        match self {
            InputError::UnmatchedQuote(kind) => format!(
                "unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option"
            ),
            InputError::TooLong => "argument line too long".to_string(),
        }
    }
}

/// The parser state of the default format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Space,
    Normal,
    Quote(u8),
    Backslash,
}

/// Reads tokens from an input.
pub(super) struct Reader {
    input: Input,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// `Some(byte)` for `-0`/`-d`.
    delimiter: Option<u8>,
    /// `-I`: blanks do not separate items.
    whole_lines: bool,
    /// The logical end-of-file string (`-E`).
    eof_str: Option<String>,
    /// The longest item, in bytes.
    max_len: usize,
    /// Tokens found but not handed out yet.
    pending: std::collections::VecDeque<Token>,
    /// The input (or the end-of-file string) is exhausted.
    finished: bool,
    /// An error found after items that come first (GNU runs what it has
    /// read before it reports the error).
    failure: Option<InputError>,
    /// Set when a NUL byte was met in the default format (GNU warns once).
    pub(super) saw_nul: bool,
}

fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

impl Reader {
    /// A reader of `input`.
    pub(super) fn new(
        input: Input,
        delimiter: Option<u8>,
        whole_lines: bool,
        eof_str: Option<String>,
        max_len: usize,
    ) -> Reader {
        Reader {
            input,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            delimiter,
            whole_lines,
            eof_str,
            max_len,
            pending: Default::default(),
            finished: false,
            failure: None,
            saw_nul: false,
        }
    }

    async fn byte(&mut self) -> Option<u8> {
        if self.pos == self.buf.len() {
            if self.eof {
                return None;
            }
            self.buf.resize(64 * 1024, 0);
            // A read error ends the input, as end of file would.
            let n = self.input.read(&mut self.buf).await.unwrap_or(0);
            self.buf.truncate(n);
            self.pos = 0;
            if n == 0 {
                self.eof = true;
                return None;
            }
        }
        self.pos += 1;
        Some(self.buf[self.pos - 1])
    }

    /// The next token.
    pub(super) async fn next(&mut self) -> Result<Token, InputError> {
        if let Some(token) = self.pending.pop_front() {
            return Ok(token);
        }
        if let Some(failure) = self.failure.take() {
            return Err(failure);
        }
        if self.finished {
            return Ok(Token::Eof);
        }
        match self.delimiter {
            Some(delimiter) => self.read_item(delimiter).await,
            None => self.read_line().await,
        }
    }

    /// `-0` / `-d`: one item (each ends a "line" for `-L`).
    async fn read_item(&mut self, delimiter: u8) -> Result<Token, InputError> {
        let mut item = Vec::new();
        loop {
            match self.byte().await {
                None => {
                    self.finished = true;
                    if item.is_empty() {
                        return Ok(Token::Eof);
                    }
                    self.pending.push_back(Token::LineEnd { counts: false });
                    return Ok(Token::Arg(text(item)));
                }
                Some(b) if b == delimiter => {
                    self.pending.push_back(Token::LineEnd { counts: true });
                    return Ok(Token::Arg(text(item)));
                }
                Some(b) => {
                    if item.len() >= self.max_len {
                        return Err(InputError::TooLong);
                    }
                    item.push(b);
                }
            }
        }
    }

    /// The default format: the items of one line, queued, then the line's
    /// end. Returns the first of them.
    async fn read_line(&mut self) -> Result<Token, InputError> {
        let mut state = State::Space;
        let mut arg: Vec<u8> = Vec::new();
        // Bytes of the item after a NUL are dropped, as in GNU's C string.
        let mut truncated = false;
        let mut length = 0;
        let mut seen_arg = false;
        let mut first = true;
        let mut previous: Option<u8> = None;
        loop {
            let current = self.byte().await;
            let prev = std::mem::replace(&mut previous, current);
            let Some(c) = current else {
                self.finished = true;
                if let State::Quote(q) = state {
                    return self.fail(unmatched(q));
                }
                if length == 0 {
                    return Ok(self.first_pending());
                }
                if first && self.is_eof_str(&arg) {
                    self.pending.clear();
                    return Ok(Token::Eof);
                }
                self.pending.push_back(Token::Arg(text(arg)));
                self.pending.push_back(Token::LineEnd { counts: false });
                return Ok(self.first_pending());
            };
            if state == State::Space {
                if is_blank(c) || matches!(c, b'\n' | b'\r' | b'\x0c' | b'\x0b') {
                    continue;
                }
                state = State::Normal;
            }
            match state {
                State::Normal => {
                    if c == b'\n' {
                        if length == 0 && !seen_arg {
                            state = State::Space;
                            continue;
                        }
                        let counts = !prev.is_some_and(is_blank);
                        if self.is_eof_str(&arg) {
                            self.finished = true;
                            if first {
                                self.pending.clear();
                                return Ok(Token::Eof);
                            }
                            self.pending.push_back(Token::LineEnd { counts });
                            return Ok(self.first_pending());
                        }
                        self.pending
                            .push_back(Token::Arg(text(std::mem::take(&mut arg))));
                        self.pending.push_back(Token::LineEnd { counts });
                        return Ok(self.first_pending());
                    }
                    seen_arg = true;
                    if !self.whole_lines && is_blank(c) {
                        if self.is_eof_str(&arg) {
                            self.finished = true;
                            if first {
                                self.pending.clear();
                                return Ok(Token::Eof);
                            }
                            self.pending.push_back(Token::LineEnd { counts: false });
                            return Ok(self.first_pending());
                        }
                        self.pending
                            .push_back(Token::Arg(text(std::mem::take(&mut arg))));
                        length = 0;
                        truncated = false;
                        state = State::Space;
                        first = false;
                        continue;
                    }
                    match c {
                        b'\\' => {
                            state = State::Backslash;
                            continue;
                        }
                        b'\'' | b'"' => {
                            state = State::Quote(c);
                            continue;
                        }
                        _ => {}
                    }
                }
                State::Quote(q) => {
                    if c == b'\n' {
                        return self.fail(unmatched(q));
                    }
                    if c == q {
                        state = State::Normal;
                        seen_arg = true;
                        continue;
                    }
                }
                State::Backslash => state = State::Normal,
                State::Space => unreachable!("left above"),
            }
            if c == 0 {
                self.saw_nul = true;
                truncated = true;
            }
            if length >= self.max_len {
                return self.fail(InputError::TooLong);
            }
            length += 1;
            if !truncated {
                arg.push(c);
            }
        }
    }

    /// Ends the input with `error`, after the items already read.
    fn fail(&mut self, error: InputError) -> Result<Token, InputError> {
        self.finished = true;
        match self.pending.pop_front() {
            Some(token) => {
                self.failure = Some(error);
                Ok(token)
            }
            None => Err(error),
        }
    }

    /// The first queued token (the line's end when nothing else is).
    fn first_pending(&mut self) -> Token {
        self.pending.pop_front().unwrap_or(Token::Eof)
    }

    fn is_eof_str(&self, arg: &[u8]) -> bool {
        self.eof_str.as_deref().is_some_and(|s| s.as_bytes() == arg)
    }
}

fn unmatched(quote: u8) -> InputError {
    InputError::UnmatchedQuote(if quote == b'"' { "double" } else { "single" })
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn tokens(
        data: &str,
        delimiter: Option<u8>,
        whole: bool,
        eof: Option<&str>,
    ) -> Vec<Token> {
        let mut reader = Reader::new(
            Input::from(data),
            delimiter,
            whole,
            eof.map(str::to_string),
            1000,
        );
        let mut out = Vec::new();
        loop {
            match reader.next().await {
                Ok(Token::Eof) => return out,
                Ok(token) => out.push(token),
                Err(err) => {
                    out.push(Token::Arg(format!("error: {}", err.message())));
                    return out;
                }
            }
        }
    }

    fn arg(s: &str) -> Token {
        Token::Arg(s.to_string())
    }

    const END: Token = Token::LineEnd { counts: true };

    #[tokio::test]
    async fn blanks_quotes_and_backslashes() {
        assert_eq!(
            tokens("a b\n\"c d\" e\\ f 'g'\n", None, false, None).await,
            vec![
                arg("a"),
                arg("b"),
                END,
                arg("c d"),
                arg("e f"),
                arg("g"),
                END
            ]
        );
        assert_eq!(
            tokens("a \nb", None, false, None).await,
            vec![arg("a"), arg("b"), Token::LineEnd { counts: false }]
        );
        assert_eq!(
            tokens("\"\" b\n", None, false, None).await,
            vec![arg(""), arg("b"), END]
        );
        assert_eq!(
            tokens("a 'b\n", None, false, None).await,
            vec![arg("a"), arg("error: unmatched single quote; by default quotes are special to xargs unless you use the -0 option")]
        );
    }

    #[tokio::test]
    async fn whole_lines_for_replace() {
        assert_eq!(
            tokens("  x y  \n\nz\n", None, true, None).await,
            vec![
                arg("x y  "),
                Token::LineEnd { counts: false },
                arg("z"),
                END
            ]
        );
    }

    #[tokio::test]
    async fn logical_end_of_file() {
        assert_eq!(
            tokens("a b\nc\n", None, false, Some("b")).await,
            vec![arg("a"), END]
        );
        assert_eq!(tokens("b a\nc\n", None, false, Some("b")).await, vec![]);
    }

    #[tokio::test]
    async fn delimited_items_keep_empties() {
        assert_eq!(
            tokens("a\n\nb", Some(b'\n'), false, None).await,
            vec![
                arg("a"),
                END,
                arg(""),
                END,
                arg("b"),
                Token::LineEnd { counts: false }
            ]
        );
    }

    #[tokio::test]
    async fn items_longer_than_the_limit_fail() {
        let mut reader = Reader::new(Input::from("abcdef"), None, false, None, 3);
        assert_eq!(reader.next().await, Err(InputError::TooLong));
    }
}
