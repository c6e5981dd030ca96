//! Finding where a script stops being valid shell, as bash reports it.
//!
//! brush-parser's PEG parser reports the furthest position it tried, which
//! for most mistakes is the end of the input. bash reports the first token
//! that cannot continue the command (`syntax error near unexpected token
//! `fi'`). This module walks the token stream with the shape of the grammar
//! (which reserved word may close or continue which construct, where a
//! command may start) to find that token. It only runs after a parse has
//! failed, and only decides where and what to report.

use brush_parser::Token;

/// What the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Located {
    /// This token cannot appear where it is (its text, or `newline`; and
    /// its 1-based line).
    Unexpected { token: String, line: usize },
    /// The input ended inside a construct.
    EndOfFile,
    /// Nothing wrong found at this level of detail.
    Unknown,
}

/// A construct the walk is inside, with the reserved words that may come
/// next at the start of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `if` or `elif` condition: expects `then`.
    IfCondition,
    /// `then` or `else` body: expects `elif`/`else`/`fi` (only `fi` after
    /// `else`).
    IfBody { after_else: bool },
    /// `while`/`until` condition: expects `do`.
    LoopCondition,
    /// `for` header done: expects `do` before any command.
    ForHeader,
    /// `do` body: expects `done`.
    LoopBody,
    /// `{ … }`.
    Brace,
    /// `( … )`.
    Subshell,
}

/// Words that are reserved at the start of a command.
const RESERVED: &[&str] = &[
    "then", "elif", "else", "fi", "do", "done", "esac", "}", "in",
];

/// Walks `tokens` and locates the first syntax error.
pub(crate) fn locate(tokens: &[Token]) -> Located {
    let mut walk = Walk {
        tokens,
        pos: 0,
        stack: Vec::new(),
        at_start: true,
        body_empty: true,
        pending_operator: false,
        command_words: 0,
    };
    walk.run()
}

struct Walk<'a> {
    tokens: &'a [Token],
    pos: usize,
    stack: Vec<Frame>,
    /// A command may start here.
    at_start: bool,
    /// The list opened by the innermost construct has no command yet.
    body_empty: bool,
    /// The last token was `|`, `&&` or `||`: a command must follow.
    pending_operator: bool,
    /// Words of the simple command being read.
    command_words: usize,
}

impl<'a> Walk<'a> {
    fn run(&mut self) -> Located {
        while self.pos < self.tokens.len() {
            if let Some(found) = self.step() {
                return found;
            }
        }
        if !self.stack.is_empty() || self.pending_operator {
            Located::EndOfFile
        } else {
            Located::Unknown
        }
    }

    fn text(&self, pos: usize) -> Option<&'a str> {
        self.tokens.get(pos).map(Token::to_str)
    }

    fn is_operator(&self, pos: usize) -> bool {
        matches!(self.tokens.get(pos), Some(Token::Operator(..)))
    }

    fn unexpected(&self, pos: usize) -> Located {
        match self.tokens.get(pos) {
            Some(token) => {
                let text = token.to_str();
                Located::Unexpected {
                    token: if text == "\n" {
                        "newline".into()
                    } else {
                        text.into()
                    },
                    line: token.location().start.line.max(1),
                }
            }
            None => Located::EndOfFile,
        }
    }

    /// A command starts (or a reserved word continues a construct).
    fn begin_command(&mut self) {
        self.command_words = 1;
        self.at_start = false;
        self.body_empty = false;
        self.pending_operator = false;
    }

    /// Opens a construct whose first list starts now.
    fn open(&mut self, frame: Frame) {
        self.stack.push(frame);
        self.at_start = true;
        self.body_empty = true;
        self.pending_operator = false;
    }

    /// Continues the innermost construct with `frame`, a new list starting.
    fn replace_top(&mut self, frame: Frame) {
        if let Some(top) = self.stack.last_mut() {
            *top = frame;
        }
        self.at_start = true;
        self.body_empty = true;
    }

    /// Closes the innermost construct: it counts as a command of the
    /// enclosing list.
    fn close(&mut self) {
        self.stack.pop();
        self.at_start = false;
        self.body_empty = false;
    }

    fn step(&mut self) -> Option<Located> {
        let pos = self.pos;
        let text = self.text(pos)?.to_string();
        self.pos += 1;
        if self.is_operator(pos) {
            return self.operator(pos, &text);
        }
        if !self.at_start {
            self.command_words += 1;
            return None;
        }
        // A word where a command may start.
        let top = self.stack.last().copied();
        let closes = |frame: Option<Frame>| -> bool {
            matches!(
                (text.as_str(), frame),
                ("then", Some(Frame::IfCondition))
                    | ("elif" | "else", Some(Frame::IfBody { after_else: false }))
                    | ("fi", Some(Frame::IfBody { .. }))
                    | ("do", Some(Frame::LoopCondition | Frame::ForHeader))
                    | ("done", Some(Frame::LoopBody))
                    | ("}", Some(Frame::Brace))
            )
        };
        if top == Some(Frame::ForHeader) {
            if text != "do" {
                return Some(self.unexpected(pos));
            }
            self.replace_top(Frame::LoopBody);
            return None;
        }
        if RESERVED.contains(&text.as_str()) {
            // A construct's list must hold a command before the word that
            // ends it (`if true; then fi` is an error at `fi`).
            if !closes(top) || self.body_empty {
                return Some(self.unexpected(pos));
            }
            match text.as_str() {
                "then" => self.replace_top(Frame::IfBody { after_else: false }),
                "elif" => self.replace_top(Frame::IfCondition),
                "else" => self.replace_top(Frame::IfBody { after_else: true }),
                "do" => self.replace_top(Frame::LoopBody),
                _ => self.close(),
            }
            return None;
        }
        match text.as_str() {
            "if" => self.open(Frame::IfCondition),
            "while" | "until" => self.open(Frame::LoopCondition),
            "{" => self.open(Frame::Brace),
            "!" => self.pending_operator = true,
            "for" | "select" => return self.for_header(),
            "case" => return self.case(pos),
            "function" => {
                // `function name [()]` then the body, a compound command.
                self.pos += 1;
                self.skip_parens_pair();
                self.at_start = true;
                self.body_empty = false;
            }
            "[[" => {
                self.begin_command();
                self.skip_to_word("]]");
            }
            _ => {
                self.begin_command();
                if self.text(self.pos) == Some("(") && self.text(self.pos + 1) == Some(")") {
                    // `name() body`: the body follows as a command.
                    self.pos += 2;
                    self.at_start = true;
                    self.body_empty = false;
                    self.pending_operator = true;
                }
            }
        }
        None
    }

    fn operator(&mut self, pos: usize, text: &str) -> Option<Located> {
        match text {
            "\n" => {
                self.at_start = true;
                None
            }
            ";" | "&" | ";;" | ";&" | ";;&" => {
                if self.at_start {
                    return Some(self.unexpected(pos));
                }
                self.at_start = true;
                None
            }
            "|" | "|&" | "&&" | "||" => {
                if self.at_start {
                    return Some(self.unexpected(pos));
                }
                self.at_start = true;
                self.pending_operator = true;
                None
            }
            "(" => {
                if !self.at_start {
                    // `name (` may still become `name ()`, a function
                    // definition: bash reports the token after the `(`.
                    if self.command_words == 1 {
                        return Some(match self.tokens.get(self.pos) {
                            Some(_) => self.unexpected(self.pos),
                            None => Located::Unexpected {
                                token: "newline".into(),
                                line: self.tokens[pos].location().start.line.max(1),
                            },
                        });
                    }
                    return Some(self.unexpected(pos));
                }
                if self.text(self.pos) == Some("(") {
                    // `(( … ))`
                    self.begin_command();
                    self.skip_balanced_parens(1);
                    return None;
                }
                self.open(Frame::Subshell);
                None
            }
            ")" => {
                if self.stack.last() == Some(&Frame::Subshell)
                    && !self.body_empty
                    && !self.pending_operator
                {
                    self.close();
                    return None;
                }
                Some(self.unexpected(pos))
            }
            _ if is_redirection(text) => {
                // A redirection needs a word after it.
                match self.tokens.get(self.pos) {
                    Some(Token::Word(..)) => {
                        self.pos += 1;
                        if text == "<<" || text == "<<-" {
                            // The body and the closing delimiter.
                            self.pos += 2;
                        }
                        if self.at_start {
                            self.begin_command();
                        }
                        None
                    }
                    Some(_) => Some(self.unexpected(self.pos)),
                    // The input ends right after it: bash sees the newline.
                    None => Some(Located::Unexpected {
                        token: "newline".into(),
                        line: self.tokens[pos].location().start.line.max(1),
                    }),
                }
            }
            _ => None,
        }
    }

    /// After `for`/`select`: the name, then `in words` or `((…))`, up to
    /// the separator; `do` must come next.
    fn for_header(&mut self) -> Option<Located> {
        if self.text(self.pos) == Some("(") {
            self.pos += 1;
            self.skip_balanced_parens(1);
        } else {
            self.pos += 1; // the name
        }
        while let Some(text) = self.text(self.pos) {
            if text == ";" || text == "\n" {
                self.pos += 1;
                break;
            }
            if text == "do" && !self.is_operator(self.pos) {
                break;
            }
            self.pos += 1;
        }
        self.open(Frame::ForHeader);
        None
    }

    /// `case … esac` is skipped as a whole (nested ones counted); an
    /// unclosed one ends the input.
    fn case(&mut self, pos: usize) -> Option<Located> {
        let mut depth = 1;
        let mut i = pos + 1;
        while let Some(token) = self.tokens.get(i) {
            if let Token::Word(text, _) = token {
                match text.as_str() {
                    "case" => depth += 1,
                    "esac" => {
                        depth -= 1;
                        if depth == 0 {
                            self.pos = i + 1;
                            self.begin_command();
                            return None;
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        Some(Located::EndOfFile)
    }

    fn skip_parens_pair(&mut self) {
        if self.text(self.pos) == Some("(") && self.text(self.pos + 1) == Some(")") {
            self.pos += 2;
        }
    }

    /// Skips to just after the `)` that closes `depth` open parentheses.
    fn skip_balanced_parens(&mut self, mut depth: usize) {
        while let Some(text) = self.text(self.pos) {
            self.pos += 1;
            match text {
                "(" => depth += 1,
                ")" => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn skip_to_word(&mut self, word: &str) {
        while let Some(text) = self.text(self.pos) {
            self.pos += 1;
            if text == word {
                return;
            }
        }
    }
}

/// Redirection operators, which take a word.
fn is_redirection(text: &str) -> bool {
    matches!(
        text,
        "<" | ">" | ">>" | ">|" | "<>" | "<&" | ">&" | "&>" | "&>>" | "<<" | "<<-" | "<<<"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(source: &str) -> Located {
        locate(&brush_parser::tokenize_str(source).unwrap())
    }

    fn unexpected(token: &str, line: usize) -> Located {
        Located::Unexpected {
            token: token.into(),
            line,
        }
    }

    #[test]
    fn finds_the_token_bash_reports() {
        assert_eq!(located("echo a\nif true; then fi"), unexpected("fi", 2));
        assert_eq!(located("echo a && ;"), unexpected(";", 1));
        assert_eq!(located("echo >"), unexpected("newline", 1));
        assert_eq!(located("f() { }"), unexpected("}", 1));
        assert_eq!(located("for x in 1 2; echo; done"), unexpected("echo", 1));
        assert_eq!(located("while true; done"), unexpected("done", 1));
        assert_eq!(located(")"), unexpected(")", 1));
        assert_eq!(located("if then"), unexpected("then", 1));
        assert_eq!(located("echo a; fi"), unexpected("fi", 1));
        assert_eq!(located("echo (a"), unexpected("a", 1));
        assert_eq!(located("echo a (b"), unexpected("(", 1));
        assert_eq!(located("f() { echo (; }"), unexpected(";", 1));
        assert_eq!(located("echo ("), unexpected("newline", 1));
    }

    #[test]
    fn unclosed_constructs_end_the_file() {
        assert_eq!(located("if true; then\necho x\n"), Located::EndOfFile);
        assert_eq!(located("echo a |"), Located::EndOfFile);
        assert_eq!(located("case x in\na) echo;;\n"), Located::EndOfFile);
        assert_eq!(located("{ echo"), Located::EndOfFile);
    }

    #[test]
    fn valid_scripts_have_nothing_to_report() {
        for source in [
            "if a; then b; elif c; then d; else e; fi",
            "for i in 1 2; do echo $i; done",
            "for ((i=0;i<3;i++)); do echo; done",
            "while read l; do echo \"$l\"; done < f",
            "f() { x; }; (( 1 )) && [[ a == b ]]",
            "cat <<EOF > x\nfi\nEOF\necho 2>&1 >f",
            "case x in a) echo;; esac; echo done",
            "( cd / && ls ) | wc -l",
            "function g { :; }",
            "! true",
        ] {
            assert_eq!(located(source), Located::Unknown, "{source}");
        }
    }
}
