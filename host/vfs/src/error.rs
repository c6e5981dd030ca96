//! Filesystem errors: a POSIX errno plus the path and operation it concerns.

use std::fmt;

/// The POSIX error a filesystem operation failed with.
///
/// Every variant maps to one errno, so the WASI layer can hand it to a guest
/// unchanged and the shell can print the message a GNU tool would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Errno {
    /// `ENOENT`: no such file or directory.
    NoEnt,
    /// `EEXIST`: the path already exists.
    Exist,
    /// `ENOTDIR`: a path component is not a directory.
    NotDir,
    /// `EISDIR`: the operation needs a non-directory but got a directory.
    IsDir,
    /// `ENOTEMPTY`: the directory is not empty.
    NotEmpty,
    /// `EACCES`: permission denied (also: an attempt to leave a sandboxed root).
    Acces,
    /// `EPERM`: operation not permitted.
    Perm,
    /// `ENOSPC`: the filesystem byte quota is exhausted.
    NoSpc,
    /// `EINVAL`: an invalid argument, e.g. renaming a directory into itself.
    Inval,
    /// `ELOOP`: too many levels of symbolic links.
    Loop,
    /// `ENAMETOOLONG`: a path or a path component is too long.
    NameTooLong,
    /// `EXDEV`: the operation would cross a mount point.
    XDev,
    /// `EROFS`: the filesystem (or layer) is read-only.
    Rofs,
    /// `EBADF`: the handle is not open for this kind of access.
    BadF,
    /// `EFBIG`: the file would grow past the largest supported size.
    FBig,
    /// `EILSEQ`: a name is not valid UTF-8.
    IlSeq,
    /// `EBUSY`: the resource is in use (e.g. removing a mount point).
    Busy,
    /// `ENOTSUP`: the backend does not support this operation.
    NotSup,
    /// `EIO`: the backend failed (network, disk…); the message says how.
    Io,
}

impl Errno {
    /// The Linux errno number, for messages and for mapping to other ABIs.
    pub fn raw_os_error(self) -> i32 {
        match self {
            Errno::Perm => 1,
            Errno::NoEnt => 2,
            Errno::Io => 5,
            Errno::BadF => 9,
            Errno::Acces => 13,
            Errno::Busy => 16,
            Errno::Exist => 17,
            Errno::XDev => 18,
            Errno::NotDir => 20,
            Errno::IsDir => 21,
            Errno::Inval => 22,
            Errno::FBig => 27,
            Errno::NoSpc => 28,
            Errno::Rofs => 30,
            Errno::NameTooLong => 36,
            Errno::NotEmpty => 39,
            Errno::Loop => 40,
            Errno::IlSeq => 84,
            Errno::NotSup => 95,
        }
    }

    /// The message `strerror` prints for this errno (glibc wording, so tool
    /// output matches GNU tools).
    pub fn description(self) -> &'static str {
        match self {
            Errno::NoEnt => "No such file or directory",
            Errno::Exist => "File exists",
            Errno::NotDir => "Not a directory",
            Errno::IsDir => "Is a directory",
            Errno::NotEmpty => "Directory not empty",
            Errno::Acces => "Permission denied",
            Errno::Perm => "Operation not permitted",
            Errno::NoSpc => "No space left on device",
            Errno::Inval => "Invalid argument",
            Errno::Loop => "Too many levels of symbolic links",
            Errno::NameTooLong => "File name too long",
            Errno::XDev => "Invalid cross-device link",
            Errno::Rofs => "Read-only file system",
            Errno::BadF => "Bad file descriptor",
            Errno::FBig => "File too large",
            Errno::IlSeq => "Invalid or incomplete multibyte or wide character",
            Errno::Busy => "Device or resource busy",
            Errno::NotSup => "Operation not supported",
            Errno::Io => "Input/output error",
        }
    }

    /// Maps a host `std::io::Error` to the closest errno; unknown kinds
    /// become [`Errno::Io`].
    pub fn from_io(err: &std::io::Error) -> Errno {
        if let Some(code) = err.raw_os_error() {
            if let Some(errno) = Errno::from_raw_os_error(code) {
                return errno;
            }
        }
        use std::io::ErrorKind as K;
        match err.kind() {
            K::NotFound => Errno::NoEnt,
            K::PermissionDenied => Errno::Acces,
            K::AlreadyExists => Errno::Exist,
            K::InvalidInput | K::InvalidData => Errno::Inval,
            K::NotADirectory => Errno::NotDir,
            K::IsADirectory => Errno::IsDir,
            K::DirectoryNotEmpty => Errno::NotEmpty,
            K::ReadOnlyFilesystem => Errno::Rofs,
            K::StorageFull | K::QuotaExceeded => Errno::NoSpc,
            K::FileTooLarge => Errno::FBig,
            K::CrossesDevices => Errno::XDev,
            K::InvalidFilename => Errno::NameTooLong,
            K::ResourceBusy => Errno::Busy,
            K::Unsupported => Errno::NotSup,
            _ => Errno::Io,
        }
    }

    /// The errno for a Linux errno number, if it is one this crate models.
    pub fn from_raw_os_error(code: i32) -> Option<Errno> {
        Some(match code {
            1 => Errno::Perm,
            2 => Errno::NoEnt,
            5 => Errno::Io,
            9 => Errno::BadF,
            13 => Errno::Acces,
            16 => Errno::Busy,
            17 => Errno::Exist,
            18 => Errno::XDev,
            20 => Errno::NotDir,
            21 => Errno::IsDir,
            22 => Errno::Inval,
            27 => Errno::FBig,
            28 => Errno::NoSpc,
            30 => Errno::Rofs,
            36 => Errno::NameTooLong,
            39 => Errno::NotEmpty,
            40 => Errno::Loop,
            84 => Errno::IlSeq,
            95 => Errno::NotSup,
            _ => return None,
        })
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A failed filesystem operation: which errno, on which path, doing what.
///
/// Displays like a GNU tool's message body: `open '/a/b': No such file or
/// directory`, with an optional detail from the backend (an S3 status, an
/// I/O error) appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VfsError {
    errno: Errno,
    op: &'static str,
    path: String,
    detail: Option<String>,
}

impl VfsError {
    /// An error for `op` (e.g. `"open"`, `"rename"`) on `path`.
    pub fn new(errno: Errno, op: &'static str, path: impl Into<String>) -> VfsError {
        VfsError {
            errno,
            op,
            path: path.into(),
            detail: None,
        }
    }

    /// Attaches a backend-specific explanation (shown after the errno text).
    pub fn with_detail(mut self, detail: impl Into<String>) -> VfsError {
        self.detail = Some(detail.into());
        self
    }

    /// Builds an error from a host I/O error, keeping its text as detail when
    /// the errno alone would lose information.
    pub fn from_io(err: &std::io::Error, op: &'static str, path: impl Into<String>) -> VfsError {
        let errno = Errno::from_io(err);
        let error = VfsError::new(errno, op, path);
        if errno == Errno::Io {
            error.with_detail(err.to_string())
        } else {
            error
        }
    }

    /// The same error with its path moved below the mount point `mount`,
    /// so a message from a mounted filesystem names the path the caller
    /// used (`/x` inside a filesystem mounted at `/work` becomes `/work/x`).
    pub fn under_mount(mut self, mount: &str) -> VfsError {
        if mount != "/" {
            self.path = if self.path == "/" {
                mount.to_owned()
            } else {
                format!("{mount}{}", self.path)
            };
        }
        self
    }

    /// The POSIX errno.
    pub fn errno(&self) -> Errno {
        self.errno
    }

    /// The operation that failed.
    pub fn op(&self) -> &'static str {
        self.op
    }

    /// The path the operation was applied to.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The backend's explanation, if any.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

impl fmt::Display for VfsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} '{}': {}", self.op, self.path, self.errno)?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for VfsError {}

impl From<VfsError> for std::io::Error {
    fn from(err: VfsError) -> std::io::Error {
        let code = err.errno.raw_os_error();
        let kind = std::io::Error::from_raw_os_error(code).kind();
        std::io::Error::new(kind, err)
    }
}

/// Result of a filesystem operation.
pub type VfsResult<T> = Result<T, VfsError>;
