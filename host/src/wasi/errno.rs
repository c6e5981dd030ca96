//! The two error channels of a WASI call.
//!
//! A call either fails in a way the guest should see — an [`Errno`] returned
//! as the function's result, like a failing syscall — or it stops the guest:
//! [`Stop`] becomes a trap that unwinds out of wasm, and the runtime turns it
//! into the command's exit status (`proc_exit`, a timeout, an output limit, a
//! broken pipe).

use std::fmt;
use wasm_agent_vfs::{Errno as VfsErrno, VfsError};

/// A preview1 `errno` value the guest sees. Only the values this host ever
/// returns are listed; the numbers are fixed by the preview1 ABI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Errno {
    /// `E2BIG`: argument list too long.
    TooBig = 1,
    /// `EACCES`: permission denied.
    Acces = 2,
    /// `EAGAIN`: resource unavailable, try again.
    Again = 6,
    /// `EBADF`: bad file descriptor.
    Badf = 8,
    /// `EBUSY`: device or resource busy.
    Busy = 10,
    /// `EEXIST`: file exists.
    Exist = 20,
    /// `EFAULT`: a pointer argument is outside guest memory.
    Fault = 21,
    /// `EFBIG`: file too large.
    Fbig = 22,
    /// `EILSEQ`: illegal byte sequence (a path that is not UTF-8).
    Ilseq = 25,
    /// `EINVAL`: invalid argument.
    Inval = 28,
    /// `EIO`: I/O error.
    Io = 29,
    /// `EISDIR`: is a directory.
    Isdir = 31,
    /// `ELOOP`: too many levels of symbolic links.
    Loop = 32,
    /// `EMFILE`: too many open files.
    Mfile = 33,
    /// `ENAMETOOLONG`: file name too long.
    Nametoolong = 37,
    /// `ENOENT`: no such file or directory.
    Noent = 44,
    /// `ENOMEM`: not enough space.
    Nomem = 48,
    /// `ENOSPC`: no space left on device (the sandbox quota).
    Nospc = 51,
    /// `ENOSYS`: function not supported.
    Nosys = 52,
    /// `ENOTDIR`: not a directory.
    Notdir = 54,
    /// `ENOTEMPTY`: directory not empty.
    Notempty = 55,
    /// `ENOTSOCK`: not a socket (sandboxes have no sockets).
    Notsock = 57,
    /// `ENOTSUP`: not supported.
    Notsup = 58,
    /// `EOVERFLOW`: value too large for the data type.
    Overflow = 61,
    /// `EPERM`: operation not permitted.
    Perm = 63,
    /// `EPIPE`: broken pipe.
    Pipe = 64,
    /// `EROFS`: read-only file system.
    Rofs = 69,
    /// `ESPIPE`: invalid seek (on a pipe).
    Spipe = 70,
    /// `EXDEV`: cross-device link.
    Xdev = 75,
}

impl From<VfsErrno> for Errno {
    fn from(errno: VfsErrno) -> Errno {
        match errno {
            VfsErrno::NoEnt => Errno::Noent,
            VfsErrno::Exist => Errno::Exist,
            VfsErrno::NotDir => Errno::Notdir,
            VfsErrno::IsDir => Errno::Isdir,
            VfsErrno::NotEmpty => Errno::Notempty,
            VfsErrno::Acces => Errno::Acces,
            VfsErrno::Perm => Errno::Perm,
            VfsErrno::NoSpc => Errno::Nospc,
            VfsErrno::Inval => Errno::Inval,
            VfsErrno::Loop => Errno::Loop,
            VfsErrno::NameTooLong => Errno::Nametoolong,
            VfsErrno::XDev => Errno::Xdev,
            VfsErrno::Rofs => Errno::Rofs,
            VfsErrno::BadF => Errno::Badf,
            VfsErrno::FBig => Errno::Fbig,
            VfsErrno::IlSeq => Errno::Ilseq,
            VfsErrno::Busy => Errno::Busy,
            VfsErrno::NotSup => Errno::Notsup,
            VfsErrno::Io => Errno::Io,
            _ => Errno::Io,
        }
    }
}

impl From<VfsError> for Errno {
    fn from(err: VfsError) -> Errno {
        err.errno().into()
    }
}

/// Why the host stopped a guest. Carried as a trap out of wasm and mapped to
/// an exit status by the runtime (see `runtime::outcome`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The guest called `proc_exit` with this status.
    Exit(i32),
    /// The guest wrote to a pipe whose reader is gone (bash would see the
    /// writer die of SIGPIPE).
    BrokenPipe,
    /// The guest's output passed the configured byte cap.
    OutputLimit {
        /// The cap, in bytes.
        limit: u64,
    },
    /// The command's wall-clock deadline passed while the guest was blocked
    /// in a host call (e.g. sleeping).
    Timeout,
    /// The command was cancelled by its caller.
    Cancelled,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Exit(code) => write!(f, "exit with status {code}"),
            Stop::BrokenPipe => f.write_str("broken pipe"),
            Stop::OutputLimit { limit } => write!(f, "output limit of {limit} bytes exceeded"),
            Stop::Timeout => f.write_str("deadline exceeded"),
            Stop::Cancelled => f.write_str("cancelled"),
        }
    }
}

impl std::error::Error for Stop {}

/// The error of a WASI function body: an errno for the guest, or a stop.
#[derive(Debug)]
pub enum CallError {
    /// Return this errno to the guest.
    Errno(Errno),
    /// Stop the guest.
    Stop(Stop),
}

impl From<Errno> for CallError {
    fn from(errno: Errno) -> CallError {
        CallError::Errno(errno)
    }
}

impl From<VfsError> for CallError {
    fn from(err: VfsError) -> CallError {
        CallError::Errno(err.into())
    }
}

impl From<Stop> for CallError {
    fn from(stop: Stop) -> CallError {
        CallError::Stop(stop)
    }
}

/// Result of a WASI function body.
pub type CallResult<T = ()> = Result<T, CallError>;
