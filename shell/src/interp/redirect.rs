//! Redirections: `<`, `>`, `>>`, `>|`, `<>`, `<&`, `>&`, `&>`, `&>>`,
//! here-documents and here-strings, applied to the descriptor table.
//!
//! `/dev/stdin`, `/dev/stdout`, `/dev/stderr` and `/dev/fd/N` name the
//! shell's own descriptors; every other path is a file of the sandbox
//! (`/dev/null` included, when the sandbox mounts `/dev`).
//!
//! `named`: `{var}>file`, where the shell picks the descriptor and stores
//! its number in `var`.

mod named;

pub(crate) use named::named_fd;

use super::Interp;
use crate::error::Exec;
use crate::io::{FileStream, Input, Output};
use crate::state::Fd;
use brush_parser::ast;
use wasm_agent_vfs::{Errno, OpenOptions};

/// How a file target is opened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Read,
    Write { clobber: bool },
    Append,
    ReadWrite,
}

/// A redirection as written: the operation, and for `{var}>file` the
/// variable that receives the descriptor the shell picks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Redirect<'a> {
    /// The operation (its descriptor number, if any, is not used when
    /// `var` is set).
    pub(crate) io: &'a ast::IoRedirect,
    /// `var` of `{var}>file`.
    pub(crate) var: Option<&'a str>,
}

impl<'a> From<&'a ast::IoRedirect> for Redirect<'a> {
    fn from(io: &'a ast::IoRedirect) -> Self {
        Redirect { io, var: None }
    }
}

impl Interp {
    /// Applies `redirects` to the descriptor table in order. On failure
    /// prints bash's message, sets status 1 and returns false (the caller
    /// restores the table and skips the command).
    pub(crate) async fn apply_redirects<'r>(
        &mut self,
        redirects: &[impl Into<Redirect<'r>> + Copy],
    ) -> Exec<bool> {
        for &redirect in redirects {
            let redirect = redirect.into();
            let result = match redirect.var {
                Some(var) => self.redirect_named(var, redirect.io).await?,
                None => self.apply_redirect(redirect.io, None).await?,
            };
            if let Err(message) = result {
                self.error_line(&message).await;
                self.set_status(1);
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Performs `redirect` on its own descriptor, or on `fd` if given.
    async fn apply_redirect(
        &mut self,
        redirect: &ast::IoRedirect,
        fd: Option<u32>,
    ) -> Exec<Result<(), String>> {
        match redirect {
            ast::IoRedirect::File(written, kind, target) => {
                let fd = fd.or(written.map(|fd| fd as u32));
                self.redirect_file(fd, kind, target).await
            }
            ast::IoRedirect::HereDocument(written, doc) => {
                let body = self.here_document(doc).await?;
                self.state.fds.set(
                    fd.unwrap_or(written.unwrap_or(0) as u32),
                    Some(Fd::Input(Input::bytes(body.into_bytes()))),
                );
                Ok(Ok(()))
            }
            ast::IoRedirect::HereString(written, word) => {
                let mut text = self.expand_string(&word.value).await?;
                text.push('\n');
                self.state.fds.set(
                    fd.unwrap_or(written.unwrap_or(0) as u32),
                    Some(Fd::Input(Input::bytes(text.into_bytes()))),
                );
                Ok(Ok(()))
            }
            ast::IoRedirect::OutputAndError(word, append) => {
                let path = match self.redirect_target(&word.value).await? {
                    Ok(path) => path,
                    Err(message) => return Ok(Err(message)),
                };
                let mode = if *append {
                    Mode::Append
                } else {
                    Mode::Write { clobber: false }
                };
                match self.open_target(&path, mode).await? {
                    Ok(Fd::Output(output)) => {
                        self.state.fds.set(1, Some(Fd::Output(output.clone())));
                        self.state.fds.set(2, Some(Fd::Output(output)));
                        Ok(Ok(()))
                    }
                    Ok(other) => {
                        self.state.fds.set(1, Some(other.clone()));
                        self.state.fds.set(2, Some(other));
                        Ok(Ok(()))
                    }
                    Err(message) => Ok(Err(message)),
                }
            }
        }
    }

    async fn redirect_file(
        &mut self,
        fd: Option<u32>,
        kind: &ast::IoFileRedirectKind,
        target: &ast::IoFileRedirectTarget,
    ) -> Exec<Result<(), String>> {
        use ast::IoFileRedirectKind as K;
        let default_fd = match kind {
            K::Read | K::ReadAndWrite | K::DuplicateInput => 0,
            _ => 1,
        };
        let fd = fd.unwrap_or(default_fd);
        let path = match target {
            ast::IoFileRedirectTarget::Fd(source) => {
                return Ok(self.duplicate(fd, *source as u32, kind, &source.to_string()))
            }
            ast::IoFileRedirectTarget::Duplicate(word) => {
                let text = self.expand_string(&word.value).await?;
                return self.duplicate_word(fd, &text, kind, &word.value).await;
            }
            ast::IoFileRedirectTarget::Filename(word) => {
                match self.redirect_target(&word.value).await? {
                    Ok(path) => path,
                    Err(message) => return Ok(Err(message)),
                }
            }
            ast::IoFileRedirectTarget::ProcessSubstitution(sub_kind, command) => {
                // The file is left for the command; removed with the shell's
                // other temporaries when the process ends.
                let mut temps = Vec::new();
                let mut pending = Vec::new();
                let path = match sub_kind {
                    ast::ProcessSubstitutionKind::Read => {
                        self.input_substitution(command, &mut temps).await?
                    }
                    ast::ProcessSubstitutionKind::Write => {
                        self.output_substitution(command, &mut pending).await?
                    }
                };
                // `cmd > >(reader)`: the reader runs after `cmd` wrote.
                self.deferred_outputs.extend(pending);
                path
            }
        };
        let mode = match kind {
            K::Read | K::DuplicateInput => Mode::Read,
            K::Write | K::DuplicateOutput => Mode::Write { clobber: false },
            K::Clobber => Mode::Write { clobber: true },
            K::Append => Mode::Append,
            K::ReadAndWrite => Mode::ReadWrite,
        };
        match self.open_target(&path, mode).await? {
            Ok(stream) => {
                self.state.fds.set(fd, Some(stream));
                Ok(Ok(()))
            }
            Err(message) => Ok(Err(message)),
        }
    }

    /// The path a redirection word names: expanded, and globbed only if
    /// that gives exactly one word (bash's "ambiguous redirect" otherwise).
    async fn redirect_target(&mut self, word: &str) -> Exec<Result<String, String>> {
        let mut words = self.expand_words(&[word]).await?;
        if words.len() != 1 {
            return Ok(Err(format!("{word}: ambiguous redirect")));
        }
        Ok(Ok(words.remove(0)))
    }

    /// Opens the target of a redirection.
    async fn open_target(&mut self, path: &str, mode: Mode) -> Exec<Result<Fd, String>> {
        let dev_fd = match path {
            "/dev/stdin" => Some(0),
            "/dev/stdout" => Some(1),
            "/dev/stderr" => Some(2),
            _ => path
                .strip_prefix("/dev/fd/")
                .and_then(|n| n.parse::<u32>().ok()),
        };
        if let Some(fd) = dev_fd {
            return Ok(match self.state.fds.get(fd) {
                Some(stream) => Ok(stream.clone()),
                None => Err(format!("{path}: Bad file descriptor")),
            });
        }
        let absolute = self.absolute_path(path);
        let fs = self.env.fs.clone();
        if let Mode::Write { clobber: false } = mode {
            if self.state.options.noclobber
                && fs.metadata(&absolute).await.is_ok_and(|m| m.is_file())
            {
                return Ok(Err(format!("{path}: cannot overwrite existing file")));
            }
        }
        let options = match mode {
            Mode::Read => OpenOptions::read(),
            Mode::Write { .. } => OpenOptions::write_truncate(),
            Mode::Append => OpenOptions {
                write: true,
                create: true,
                ..OpenOptions::default()
            },
            Mode::ReadWrite => OpenOptions {
                read: true,
                write: true,
                create: true,
                ..OpenOptions::default()
            },
        };
        let file = match fs.open(&absolute, options).await {
            Ok(file) => file,
            Err(err) => {
                let reason = match err.errno() {
                    Errno::IsDir => "Is a directory".to_string(),
                    other => other.to_string(),
                };
                return Ok(Err(format!("{path}: {reason}")));
            }
        };
        Ok(Ok(match mode {
            Mode::Read => Fd::Input(Input::file(file)),
            Mode::Write { .. } => Fd::Output(Output::file(file, false)),
            Mode::Append => Fd::Output(Output::file(file, true)),
            Mode::ReadWrite => Fd::ReadWrite(FileStream::new(file, false)),
        }))
    }

    /// `n<&m`, `n>&m`: makes `fd` a copy of `source`; errors name the
    /// source as `written` (bash shows `$n`, not its value).
    fn duplicate(
        &mut self,
        fd: u32,
        source: u32,
        kind: &ast::IoFileRedirectKind,
        written: &str,
    ) -> Result<(), String> {
        let Some(stream) = self.state.fds.get(source).cloned() else {
            return Err(format!("{written}: Bad file descriptor"));
        };
        let usable = match kind {
            ast::IoFileRedirectKind::DuplicateInput => stream.as_input().is_some(),
            _ => stream.as_output().is_some(),
        };
        if !usable {
            return Err(format!("{written}: Bad file descriptor"));
        }
        self.state.fds.set(fd, Some(stream));
        Ok(())
    }

    /// `n>&word`: a descriptor number, `-` (close), `m-` (move), or — for
    /// `>&file` without a number — stdout and stderr to a file. `word` is
    /// expanded; `written` is how the script spelled it, for messages.
    async fn duplicate_word(
        &mut self,
        fd: u32,
        word: &str,
        kind: &ast::IoFileRedirectKind,
        written: &str,
    ) -> Exec<Result<(), String>> {
        if word == "-" {
            self.state.fds.set(fd, None);
            return Ok(Ok(()));
        }
        if word.is_empty() {
            // An unquoted expansion to nothing leaves no word at all.
            let quoted = written.contains(['"', '\'']);
            let reason = if quoted {
                "Bad file descriptor"
            } else {
                "ambiguous redirect"
            };
            return Ok(Err(format!("{written}: {reason}")));
        }
        if let Some(source) = word.strip_suffix('-').and_then(|n| n.parse::<u32>().ok()) {
            let result = self.duplicate(fd, source, kind, written);
            if result.is_ok() && source != fd {
                self.state.fds.set(source, None);
            }
            return Ok(result);
        }
        if let Ok(source) = word.parse::<u32>() {
            return Ok(self.duplicate(fd, source, kind, written));
        }
        if matches!(kind, ast::IoFileRedirectKind::DuplicateOutput) && fd == 1 {
            return Ok(
                match self
                    .open_target(word, Mode::Write { clobber: false })
                    .await?
                {
                    Ok(stream) => {
                        self.state.fds.set(1, Some(stream.clone()));
                        self.state.fds.set(2, Some(stream));
                        Ok(())
                    }
                    Err(message) => Err(message),
                },
            );
        }
        Ok(Err(format!("{word}: ambiguous redirect")))
    }

    /// The text of a here-document: expanded unless its delimiter was
    /// quoted; leading tabs removed for `<<-`.
    async fn here_document(&mut self, doc: &ast::IoHereDocument) -> Exec<String> {
        let raw = if doc.remove_tabs {
            doc.doc
                .value
                .split_inclusive('\n')
                .map(|line| line.trim_start_matches('\t'))
                .collect::<String>()
        } else {
            doc.doc.value.clone()
        };
        if !doc.requires_expansion {
            return Ok(raw);
        }
        let raw = join_continued_lines(&raw);
        let pieces = match brush_parser::word::parse_heredoc(
            &raw,
            &crate::parse::options(self.state.options.extglob),
        ) {
            Ok(pieces) => pieces,
            Err(_) => return Ok(raw),
        };
        self.expand_heredoc(&pieces).await
    }
}

/// An unquoted here-document's body with each backslash-newline removed
/// (the line continues), as bash reads it; `\\` stays for the expansion.
fn join_continued_lines(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\n') => {}
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}
