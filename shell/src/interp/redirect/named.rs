//! Named descriptors: `{var}>file`, `{var}<file`, `{var}>&N`,
//! `{var}<<<text`… open the redirection on the lowest free descriptor from
//! 10 up and store its number in `var`; `{var}>&-` closes the descriptor
//! `var` holds.
//!
//! brush-parser 0.4 reads `{var}>file` as a word followed by a redirection
//! without a descriptor number, and keeps no trace of whether blanks stood
//! between them, which decides it for bash (`echo {x} >f` writes `{x}`).
//! [`named_fd`] decides from the positions it has: the word, then the
//! operator, then its target with nothing between them is certainly a
//! named descriptor; when blanks make it ambiguous (`{fd}> file` or
//! `{fd} >file`), only `exec`, whose other reading fails (`exec: {fd}: not
//! found`), takes the word as a name.

use super::{Interp, Redirect};
use crate::error::Exec;
use crate::state::Fds;
use brush_parser::ast;

/// The first descriptor the shell hands out (bash's `fcntl(F_DUPFD, 10)`).
const FIRST_NAMED_FD: u32 = 10;

/// If `word` is `{var}` written just before `next`, a redirection
/// without a descriptor number, that redirection with `var` (see the
/// module docs for when blanks between them are allowed). `exec`: the
/// command is `exec`.
pub(crate) fn named_fd<'a>(
    word: &'a ast::Word,
    next: Option<&'a ast::CommandPrefixOrSuffixItem>,
    exec: bool,
) -> Option<Redirect<'a>> {
    let Some(ast::CommandPrefixOrSuffixItem::IoRedirect(io)) = next else {
        return None;
    };
    let var = word.value.strip_prefix('{')?.strip_suffix('}')?;
    if !is_variable(var) {
        return None;
    }
    let (written_fd, operator_len, target) = match io {
        ast::IoRedirect::File(fd, kind, target) => {
            let target = match target {
                ast::IoFileRedirectTarget::Filename(w)
                | ast::IoFileRedirectTarget::Duplicate(w) => Some(w),
                _ => None,
            };
            (fd, operator(kind).len(), target)
        }
        ast::IoRedirect::HereString(fd, w) => (fd, "<<<".len(), Some(w)),
        ast::IoRedirect::HereDocument(fd, doc) => {
            (fd, if doc.remove_tabs { 3 } else { 2 }, Some(&doc.here_end))
        }
        ast::IoRedirect::OutputAndError(..) => return None,
    };
    if written_fd.is_some() {
        return None;
    }
    let together = match (&word.loc, target.and_then(|t| t.loc.as_ref())) {
        (Some(word), Some(target)) => word.end.index + operator_len == target.start.index,
        _ => false,
    };
    (together || exec).then_some(Redirect { io, var: Some(var) })
}

/// The operator of a file redirection as written.
fn operator(kind: &ast::IoFileRedirectKind) -> &'static str {
    use ast::IoFileRedirectKind as K;
    match kind {
        K::Read => "<",
        K::Write => ">",
        K::Append => ">>",
        K::ReadAndWrite => "<>",
        K::Clobber => ">|",
        K::DuplicateInput => "<&",
        K::DuplicateOutput => ">&",
    }
}

/// A variable name, or an array element (`fd[1]`).
fn is_variable(text: &str) -> bool {
    let name = match text.split_once('[') {
        Some((name, rest)) if rest.ends_with(']') => name,
        Some(_) => return false,
        None => text,
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Interp {
    /// Performs `io` for `{var}`: on a new descriptor stored in `var`, or,
    /// for `{var}>&-`, closing the one `var` holds.
    pub(super) async fn redirect_named(
        &mut self,
        var: &str,
        io: &ast::IoRedirect,
    ) -> Exec<Result<(), String>> {
        let fd = self.free_fd();
        let result = match io {
            ast::IoRedirect::File(_, kind, ast::IoFileRedirectTarget::Duplicate(word)) => {
                let source = self.expand_string(&word.value).await?;
                if source == "-" {
                    return self.close_named(var).await;
                }
                if source.is_empty() {
                    return Ok(Err(format!("{var}: ambiguous redirect")));
                }
                let number = source.strip_suffix('-').unwrap_or(&source);
                if let Ok(number) = number.parse::<u32>() {
                    if self.state.fds.get(number).is_none() {
                        // bash reports the failed dup(2), then the descriptor.
                        let line = format!(
                            "{}: redirection error: cannot duplicate fd: Bad file descriptor",
                            self.state.arg0
                        );
                        self.error_line_bare(&line).await;
                    }
                }
                self.duplicate_word(fd, &source, kind, &word.value).await?
            }
            _ => self.apply_redirect(io, Some(fd)).await?,
        };
        if let Err(message) = result {
            return Ok(Err(message));
        }
        if let Err(message) = self.store_fd(var, fd).await? {
            self.state.fds.set(fd, None);
            self.error_line(&message).await;
            return Ok(Err(format!("{var}: cannot assign fd to variable")));
        }
        Ok(Ok(()))
    }

    /// Puts back the descriptor table `saved` after a command, except the
    /// descriptors its `{var}` redirections opened: bash leaves those open
    /// for the script to close. (Only for plain variables: finding an
    /// element again would evaluate its subscript twice.)
    pub(crate) fn restore_fds(&mut self, mut saved: Fds, redirects: &[Redirect<'_>]) {
        let vars = redirects.iter().filter_map(|redirect| redirect.var);
        for var in vars.filter(|var| !var.contains('[')) {
            let fd = self.scalar(var).and_then(|value| value.parse::<u32>().ok());
            if let Some(stream) = fd.and_then(|fd| Some((fd, self.state.fds.get(fd)?.clone()))) {
                saved.set(stream.0, Some(stream.1));
            }
        }
        self.state.fds = saved;
    }

    /// The lowest descriptor from 10 up that is not open.
    fn free_fd(&self) -> u32 {
        (FIRST_NAMED_FD..)
            .find(|&fd| self.state.fds.get(fd).is_none())
            .unwrap_or(FIRST_NAMED_FD)
    }

    /// `{var}>&-`: closes the descriptor `var` holds; nothing happens if
    /// it holds no number, and an unset or empty `var` is an error.
    async fn close_named(&mut self, var: &str) -> Exec<Result<(), String>> {
        let value = match var.split_once('[') {
            Some((name, rest)) => {
                let key = self
                    .subscript(name, rest.strip_suffix(']').unwrap_or(rest))
                    .await?;
                self.element(name, &key)
            }
            None => self.scalar(var),
        };
        match value.as_deref() {
            None | Some("") => Ok(Err(format!("{var}: ambiguous redirect"))),
            Some(value) => {
                if let Ok(fd) = value.parse::<u32>() {
                    self.state.fds.set(fd, None);
                }
                Ok(Ok(()))
            }
        }
    }

    /// Stores the descriptor number in `var` (a variable or an element);
    /// the error is bash's message for the refused assignment.
    async fn store_fd(&mut self, var: &str, fd: u32) -> Exec<Result<(), String>> {
        let result = match var.split_once('[') {
            Some((name, rest)) => {
                let key = self
                    .subscript(name, rest.strip_suffix(']').unwrap_or(rest))
                    .await?;
                self.set_element(name, &key, fd.to_string(), false)
            }
            None => self.set_scalar(var, fd.to_string()),
        };
        Ok(result.map_err(|err| err.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_and_elements_name_descriptors() {
        assert!(is_variable("fd"));
        assert!(is_variable("_in2"));
        assert!(is_variable("fds[1]"));
        assert!(!is_variable("1x"));
        assert!(!is_variable(""));
        assert!(!is_variable("a-b"));
        assert!(!is_variable("a[1"));
    }
}
