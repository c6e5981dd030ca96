//! Errors that stop diff, and how each is reported.

use std::io::{self, Write};

/// The exit status for trouble (GNU diff's 2).
pub const TROUBLE: i32 = 2;

/// Something that ends the run with status 2.
#[derive(Debug)]
pub enum Error {
    /// A command-line mistake: the message, then a pointer to `--help`.
    Usage(String),
    /// Any other fatal condition, reported as `diff: message`.
    Fatal(String),
    /// A file could not be read: `diff: path: reason`.
    Io {
        /// The file, as named on the command line or built from it.
        path: Vec<u8>,
        /// What went wrong.
        error: io::Error,
    },
}

impl Error {
    /// Writes the message(s) GNU diff would print for this error.
    pub fn report(&self, err: &mut dyn Write) {
        let _ = match self {
            Error::Usage(msg) => {
                writeln!(
                    err,
                    "diff: {msg}\ndiff: Try 'diff --help' for more information."
                )
            }
            Error::Fatal(msg) => writeln!(err, "diff: {msg}"),
            Error::Io { path, error } => report_io(err, path, error),
        };
    }
}

/// `diff: path: reason`, as `perror` words it.
pub fn report_io(err: &mut dyn Write, path: &[u8], error: &io::Error) -> io::Result<()> {
    err.write_all(b"diff: ")?;
    err.write_all(path)?;
    writeln!(err, ": {}", reason(error))
}

/// The `strerror` text for an I/O error.
pub fn reason(e: &io::Error) -> String {
    use io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "No such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "Permission denied".to_owned(),
        ErrorKind::NotADirectory => "Not a directory".to_owned(),
        ErrorKind::IsADirectory => "Is a directory".to_owned(),
        ErrorKind::InvalidFilename => "File name too long".to_owned(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_worded_like_gnu() {
        let mut out = Vec::new();
        Error::Usage("extra operand 'c'".into()).report(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "diff: extra operand 'c'\ndiff: Try 'diff --help' for more information.\n"
        );
        let mut out = Vec::new();
        Error::Io {
            path: b"nope".to_vec(),
            error: io::Error::from(io::ErrorKind::NotFound),
        }
        .report(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "diff: nope: No such file or directory\n"
        );
    }
}
