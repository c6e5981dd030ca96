//! The error type of the `wasm-agent` library.
//!
//! A guest command failing is not an error: it is an exit status in the
//! command's result. [`Error`] is for the host side: guest modules that
//! cannot be found or compiled, a runtime that cannot start, filesystem
//! setup that fails, invalid arguments.

use std::fmt;
use wasm_agent_vfs::VfsError;

/// What went wrong, broadly; see [`Error::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The guest tools module was not found (build it with
    /// `scripts/build-guest-tools.sh` or point `WASM_AGENT_TOOLS` at it).
    ToolsNotFound,
    /// A guest module is not valid WebAssembly or lacks what the host needs.
    InvalidModule,
    /// wasmtime failed to set up or instantiate a guest.
    Runtime,
    /// A filesystem operation of the host API failed.
    Filesystem,
    /// An argument to the API was invalid.
    InvalidArgument,
    /// Host I/O failed (reading a module, writing the cache…).
    Io,
}

/// A host-side failure, with a message saying what, where and what to do.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// An error of `kind` with a complete, user-facing message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying cause.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        self.source = Some(source.into());
        self
    }

    /// Wraps a wasmtime error with a message naming what was being done.
    pub(crate) fn runtime(message: impl Into<String>, err: wasmtime::Error) -> Error {
        Error::new(ErrorKind::Runtime, format!("{}: {err:?}", message.into()))
    }

    /// The broad category of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The filesystem error behind a [`ErrorKind::Filesystem`] error.
    pub fn vfs_error(&self) -> Option<&VfsError> {
        self.source.as_ref()?.downcast_ref::<VfsError>()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

impl From<VfsError> for Error {
    fn from(err: VfsError) -> Error {
        Error::new(ErrorKind::Filesystem, err.to_string()).with_source(err)
    }
}

/// Result of a host-side operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;
