//! What diff needs to know about a file before reading it.

use std::ffi::OsStr;
use std::fs::Metadata;
use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

/// The kind of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    Regular,
    /// A directory.
    Directory,
    /// A symbolic link (only seen with `--no-dereference`).
    Symlink,
    /// A named pipe.
    Fifo,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A socket.
    Socket,
    /// Anything else.
    Other,
}

/// The parts of `stat` diff uses.
#[derive(Debug, Clone)]
pub struct Meta {
    /// File kind.
    pub kind: Kind,
    /// Size in bytes.
    pub size: u64,
    /// Modification time: seconds since the epoch, nanoseconds.
    pub mtime: (i64, u32),
    /// Device and inode, where the platform tells them.
    pub id: Option<(u64, u64)>,
    /// No permission bits at all (how `patch` marks a missing file); only
    /// known on Unix.
    pub no_access: bool,
    /// Preferred I/O block size: how much GNU diff reads before deciding
    /// whether a file is binary.
    pub blksize: usize,
}

impl Meta {
    /// The stand-in for a file that does not exist (`-N`): empty, time 0,
    /// of the same kind as its counterpart.
    pub fn absent(kind: Kind) -> Self {
        Meta {
            kind,
            size: 0,
            mtime: (0, 0),
            id: None,
            no_access: false,
            blksize: 4096,
        }
    }

    /// GNU's file type names, for "File a is a directory while file b is a
    /// regular file".
    pub fn describe(&self) -> &'static str {
        match self.kind {
            Kind::Regular if self.size == 0 => "regular empty file",
            Kind::Regular => "regular file",
            Kind::Directory => "directory",
            Kind::Symlink => "symbolic link",
            Kind::Fifo => "fifo",
            Kind::CharDevice => "character special file",
            Kind::BlockDevice => "block special file",
            Kind::Socket => "socket",
            Kind::Other => "weird file",
        }
    }

    /// Whether `self` and `other` are the same file (known only where
    /// inodes are).
    pub fn same_file(&self, other: &Meta) -> bool {
        self.id.is_some() && self.id == other.id
    }
}

/// `stat` (or `lstat` when `follow` is false).
pub fn stat(path: &OsStr, follow: bool) -> io::Result<Meta> {
    let m = if follow {
        std::fs::metadata(path)?
    } else {
        std::fs::symlink_metadata(path)?
    };
    Ok(from_metadata(&m))
}

/// `fstat` of standard input, or a stand-in (a pipe written now) when the
/// platform cannot tell.
pub fn stdin_meta() -> Meta {
    let mut meta = stdin_metadata()
        .map(|m| from_metadata(&m))
        .unwrap_or_else(|| Meta::absent(Kind::Fifo));
    // A pipe's time is when it was last written: about now. The sandbox
    // reports streams with no times at all.
    if meta.kind != Kind::Regular && meta.mtime == (0, 0) {
        meta.mtime = now();
    }
    meta
}

/// Device and inode of a directory, for loop detection: from `meta` where
/// the platform reports them, else (WASI) from the open directory.
pub fn dir_id(path: &OsStr, meta: &Meta) -> Option<(u64, u64)> {
    meta.id.or_else(|| wasi_id(path))
}

#[cfg(target_os = "wasi")]
fn wasi_id(path: &OsStr) -> Option<(u64, u64)> {
    use std::os::fd::AsRawFd;

    /// WASI preview 1's `filestat` (64 bytes; the file type byte is
    /// followed by padding to the next 8-byte field).
    #[repr(C)]
    #[derive(Default)]
    struct Filestat {
        dev: u64,
        ino: u64,
        filetype: u8,
        nlink: u64,
        size: u64,
        atim: u64,
        mtim: u64,
        ctim: u64,
    }

    // Declared here rather than through the `wasi` crate: std already
    // imports this function, so the module's imports do not change.
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    unsafe extern "C" {
        fn fd_filestat_get(fd: u32, buf: *mut Filestat) -> u16;
    }

    let dir = std::fs::File::open(path).ok()?;
    let mut stat = Filestat::default();
    // SAFETY: `dir` keeps the descriptor open during the call, and `stat`
    // is a valid, writable `filestat` as the ABI lays it out.
    let errno = unsafe { fd_filestat_get(dir.as_raw_fd() as u32, &mut stat) };
    (errno == 0).then_some((stat.dev, stat.ino))
}

#[cfg(not(target_os = "wasi"))]
fn wasi_id(_: &OsStr) -> Option<(u64, u64)> {
    None
}

#[cfg(any(unix, target_os = "wasi"))]
fn stdin_metadata() -> Option<Metadata> {
    use std::os::fd::FromRawFd;
    // Borrow fd 0 without taking ownership: it must stay open.
    let file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(0) });
    file.metadata().ok()
}

#[cfg(not(any(unix, target_os = "wasi")))]
fn stdin_metadata() -> Option<Metadata> {
    None
}

fn now() -> (i64, u32) {
    split_time(SystemTime::now())
}

fn split_time(t: SystemTime) -> (i64, u32) {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let nanos = d.subsec_nanos();
            if nanos == 0 {
                (-(d.as_secs() as i64), 0)
            } else {
                (-(d.as_secs() as i64) - 1, 1_000_000_000 - nanos)
            }
        }
    }
}

fn from_metadata(m: &Metadata) -> Meta {
    let ft = m.file_type();
    let kind = if ft.is_file() {
        Kind::Regular
    } else if ft.is_dir() {
        Kind::Directory
    } else if ft.is_symlink() {
        Kind::Symlink
    } else {
        special_kind(&ft)
    };
    let meta = Meta {
        kind,
        size: m.len(),
        mtime: m.modified().map(split_time).unwrap_or((0, 0)),
        id: None,
        no_access: false,
        blksize: 4096,
    };
    with_unix_details(meta, m)
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> Kind {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        Kind::Fifo
    } else if ft.is_char_device() {
        Kind::CharDevice
    } else if ft.is_block_device() {
        Kind::BlockDevice
    } else if ft.is_socket() {
        Kind::Socket
    } else {
        Kind::Other
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> Kind {
    Kind::Other
}

/// Adds what only Unix reports: inode identity, permission bits, block
/// size, and the time with full precision.
#[cfg(unix)]
fn with_unix_details(mut meta: Meta, m: &Metadata) -> Meta {
    use std::os::unix::fs::MetadataExt;
    meta.mtime = (m.mtime(), m.mtime_nsec() as u32);
    meta.id = Some((m.dev(), m.ino()));
    meta.no_access = m.mode() & 0o777 == 0;
    meta.blksize = (m.blksize() as usize).max(1);
    meta
}

#[cfg(not(unix))]
fn with_unix_details(meta: Meta, _: &Metadata) -> Meta {
    meta
}
