//! Errors and their exit statuses, in one place.

use std::fmt;

/// What went wrong; every kind maps to an exit status in [`Error::exit_status`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad command line (unknown option, missing program); exit status 1.
    Usage(String),
    /// The program text does not parse, or breaks a rule gawk checks while parsing
    /// (`next` in BEGIN, a function name used as a variable); exit status 1.
    Syntax {
        /// `cmd. line` or the `-f` file name.
        source: String,
        /// 1-based line in that source.
        line: usize,
        /// What the parser found.
        msg: String,
    },
    /// A fatal error (gawk's `fatal:`), exit status 2: found while running the program
    /// (division by zero, bad dynamic regex, ...) or while checking it before the run
    /// (a function called but never defined, a scalar used as an array, a bad `-v` name).
    Runtime {
        /// Line of the statement being executed, when known.
        line: usize,
        /// Description of the failure.
        msg: String,
    },
    /// A file could not be opened or read.
    Io {
        /// What was being done, e.g. "cannot open file `x' for reading".
        what: String,
        /// The operating system's reason.
        err: std::io::Error,
    },
}

/// An awk error: a syntax error, a runtime error, or a usage error.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// Wraps a kind.
    pub fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    /// A runtime error at `line`.
    pub fn runtime(line: usize, msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Runtime {
            line,
            msg: msg.into(),
        })
    }

    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Exit status for this error, as gawk 5.2 (the conformance oracle) reports it:
    /// 1 for usage and syntax errors (gawk's `usage(EXIT_FAILURE)` and parse errors),
    /// 2 for fatal errors. mawk uses 2 for all of them.
    pub fn exit_status(&self) -> i32 {
        match self.kind {
            ErrorKind::Usage(_) | ErrorKind::Syntax { .. } => 1,
            ErrorKind::Runtime { .. } | ErrorKind::Io { .. } => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Usage(m) => write!(f, "{m}"),
            ErrorKind::Syntax { source, line, msg } => match (source.is_empty(), *line) {
                (true, 0) => write!(f, "{msg}"),
                (true, l) => write!(f, "line {l}: {msg}"),
                (false, 0) => write!(f, "{source}: {msg}"),
                (false, l) => write!(f, "{source}: line {l}: {msg}"),
            },
            ErrorKind::Runtime { line, msg } => {
                if *line > 0 {
                    write!(f, "line {line}: fatal: {msg}")
                } else {
                    write!(f, "fatal: {msg}")
                }
            }
            ErrorKind::Io { what, err } => write!(f, "fatal: {what}: {}", describe_io(err)),
        }
    }
}

impl std::error::Error for Error {}

/// The strerror-like text of an I/O error, without Rust's "(os error N)" suffix.
pub fn describe_io(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::NotFound => "No such file or directory".into(),
        K::PermissionDenied => "Permission denied".into(),
        K::AlreadyExists => "File exists".into(),
        K::IsADirectory => "Is a directory".into(),
        K::NotADirectory => "Not a directory".into(),
        _ => {
            let s = err.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}
