//! What can go wrong finding, reading and running an agent.

use std::fmt;
use std::path::{Path, PathBuf};

/// A project, agent, role or config file that cannot be used: which file,
/// which line and field if known, what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    path: Option<PathBuf>,
    line: Option<usize>,
    field: Option<String>,
    message: String,
}

impl DefinitionError {
    /// An error about the file `path`.
    pub fn new(path: impl AsRef<Path>, message: impl Into<String>) -> DefinitionError {
        DefinitionError {
            path: Some(path.as_ref().to_path_buf()),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// An error about no file in particular (no project found, say).
    pub fn without_path(message: impl Into<String>) -> DefinitionError {
        DefinitionError {
            path: None,
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// The same error, pointing at 1-based `line`.
    pub fn at_line(mut self, line: Option<usize>) -> DefinitionError {
        self.line = line.or(self.line);
        self
    }

    /// The same error, about the front matter key `field`.
    pub fn in_field(mut self, field: impl Into<String>) -> DefinitionError {
        self.field = Some(field.into());
        self
    }

    /// The file at fault, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based line at fault, if known.
    #[cfg(test)]
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The field at fault, if any.
    #[cfg(test)]
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// True when the agent asked for does not exist (a caller's mistake,
    /// not a broken file: `run` exits 2, `serve` answers 404).
    pub fn is_unknown_agent(&self) -> bool {
        self.field.as_deref() == Some(UNKNOWN_AGENT)
    }

    pub(crate) fn unknown_agent(path: &Path, message: String) -> DefinitionError {
        DefinitionError::new(path, message).in_field(UNKNOWN_AGENT)
    }
}

/// The pseudo-field of [`DefinitionError::is_unknown_agent`] errors.
const UNKNOWN_AGENT: &str = "(agent name)";

impl fmt::Display for DefinitionError {
    // `path:line: field: message`, as compilers print, so editors can jump
    // to the spot.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}:", path.display())?;
            if let Some(line) = self.line {
                write!(f, "{line}:")?;
            }
            f.write_str(" ")?;
        }
        match self.field.as_deref() {
            Some(field) if field != UNKNOWN_AGENT => write!(f, "'{field}': {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DefinitionError {}

/// Which kind of failure a [`RunError`] is, so callers pick the exit
/// status or HTTP status without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunErrorKind {
    /// The agent is unknown, or its definition, role, result schema or
    /// the project's config is broken.
    Definition,
    /// The request is unusable: the payload lacks a key the template
    /// uses, the id is not a valid session name, an `${VAR}` is unset.
    BadRequest,
    /// The sandbox or the session store could not be set up.
    Setup,
    /// The agent ran and failed: provider error, too many turns, gave
    /// up, a tool could not start.
    Agent,
}

/// Why [`run`](super::run) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    kind: RunErrorKind,
    message: String,
    definition: Option<DefinitionError>,
}

impl RunError {
    /// An error of `kind`.
    pub fn new(kind: RunErrorKind, message: impl Into<String>) -> RunError {
        RunError {
            kind,
            message: message.into(),
            definition: None,
        }
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> RunErrorKind {
        self.kind
    }

    /// The definition error behind a [`RunErrorKind::Definition`] failure.
    pub fn definition(&self) -> Option<&DefinitionError> {
        self.definition.as_ref()
    }
}

impl From<DefinitionError> for RunError {
    fn from(err: DefinitionError) -> RunError {
        RunError {
            kind: RunErrorKind::Definition,
            message: err.to_string(),
            definition: Some(err),
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RunError {}
