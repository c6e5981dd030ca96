//! Where a command's standard streams come from and go to.
//!
//! [`Input`] and [`Output`] are what the caller of a command chooses for
//! stdin, stdout and stderr: nothing, bytes in memory, a capture buffer, a
//! file of the sandbox filesystem, or one end of a [`pipe`] to another
//! command running concurrently.

mod capture;
mod pipe;

pub use capture::{Capture, LimitReached};
pub use pipe::{pipe, BrokenPipe, PipeReader, PipeWriter, DEFAULT_PIPE_CAPACITY};

use std::fmt;
use std::sync::Arc;
use wasm_agent_vfs::VfsFile;

/// A command's standard input.
#[derive(Default)]
pub enum Input {
    /// End of file at once (like `< /dev/null`).
    #[default]
    Empty,
    /// These bytes, then end of file.
    Bytes(Arc<[u8]>),
    /// The read end of a pipe.
    Pipe(PipeReader),
    /// An open file of the sandbox, read from its start.
    File(Arc<dyn VfsFile>),
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Empty => f.write_str("Empty"),
            Input::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Input::Pipe(_) => f.write_str("Pipe"),
            Input::File(file) => write!(f, "File({file:?})"),
        }
    }
}

impl From<Vec<u8>> for Input {
    fn from(bytes: Vec<u8>) -> Input {
        Input::Bytes(bytes.into())
    }
}

impl From<&[u8]> for Input {
    fn from(bytes: &[u8]) -> Input {
        Input::Bytes(bytes.into())
    }
}

impl From<&str> for Input {
    fn from(text: &str) -> Input {
        Input::Bytes(text.as_bytes().into())
    }
}

/// A command's standard output or error.
#[derive(Default)]
pub enum Output {
    /// Thrown away (like `> /dev/null`).
    #[default]
    Discard,
    /// Collected in memory, up to the capture's limit.
    Capture(Capture),
    /// The write end of a pipe.
    Pipe(PipeWriter),
    /// An open file of the sandbox: written from its start, or appended to.
    File {
        /// The file.
        file: Arc<dyn VfsFile>,
        /// Append (`>>`) instead of writing from offset 0.
        append: bool,
    },
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Discard => f.write_str("Discard"),
            Output::Capture(c) => write!(f, "Capture({} bytes)", c.len()),
            Output::Pipe(_) => f.write_str("Pipe"),
            Output::File { file, append } => write!(f, "File({file:?}, append: {append})"),
        }
    }
}
