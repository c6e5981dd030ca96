//! Constants and struct layouts of `wasi_snapshot_preview1`, as fixed by its
//! witx definition (`typenames.witx`). Offsets are in bytes, little endian.

/// `filetype` values.
pub mod filetype {
    /// The type of the descriptor or file is unknown (used for pipes).
    pub const UNKNOWN: u8 = 0;
    /// A directory.
    pub const DIRECTORY: u8 = 3;
    /// A regular file.
    pub const REGULAR_FILE: u8 = 4;
    /// A symbolic link.
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `fdflags` bits.
pub mod fdflags {
    /// Writes append to the end of the file.
    pub const APPEND: u16 = 1 << 0;
}

/// `oflags` bits of `path_open`.
pub mod oflags {
    /// Create the file if it does not exist.
    pub const CREAT: u16 = 1 << 0;
    /// Fail if not a directory.
    pub const DIRECTORY: u16 = 1 << 1;
    /// Fail if the file already exists.
    pub const EXCL: u16 = 1 << 2;
    /// Truncate the file to size 0.
    pub const TRUNC: u16 = 1 << 3;
}

/// `lookupflags` bits.
pub mod lookupflags {
    /// Follow a final symbolic link.
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags` bits of the `*_set_times` calls.
pub mod fstflags {
    /// Set the access time to the given value.
    pub const ATIM: u16 = 1 << 0;
    /// Set the access time to now.
    pub const ATIM_NOW: u16 = 1 << 1;
    /// Set the modification time to the given value.
    pub const MTIM: u16 = 1 << 2;
    /// Set the modification time to now.
    pub const MTIM_NOW: u16 = 1 << 3;
}

/// `rights` bits the host looks at (it grants all rights; these only tell
/// how a guest wants to open a file, as wasi-libc encodes `O_RDONLY` etc.).
pub mod rights {
    /// `fd_datasync`.
    pub const FD_DATASYNC: u64 = 1 << 0;
    /// `fd_read`.
    pub const FD_READ: u64 = 1 << 1;
    /// `fd_seek`.
    pub const FD_SEEK: u64 = 1 << 2;
    /// `fd_write`.
    pub const FD_WRITE: u64 = 1 << 6;
    /// `fd_allocate`.
    pub const FD_ALLOCATE: u64 = 1 << 8;
    /// `fd_readdir`.
    pub const FD_READDIR: u64 = 1 << 14;
    /// `fd_filestat_set_size`.
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    /// Every right defined by preview1 (bits 0..=29).
    pub const ALL: u64 = (1 << 30) - 1;
    /// Rights that mean "open for reading".
    pub const READ_MASK: u64 = FD_READ | FD_READDIR;
    /// Rights that mean "open for writing".
    pub const WRITE_MASK: u64 = FD_DATASYNC | FD_WRITE | FD_ALLOCATE | FD_FILESTAT_SET_SIZE;
    /// Rights of a stream (no seek/tell): what a pipe reports.
    pub const STREAM: u64 = ALL & !(FD_SEEK | (1 << 5));
}

/// `whence` values of `fd_seek`.
pub mod whence {
    /// From the start.
    pub const SET: u8 = 0;
    /// From the current position.
    pub const CUR: u8 = 1;
    /// From the end.
    pub const END: u8 = 2;
}

/// `clockid` values.
pub mod clockid {
    /// Wall-clock time.
    pub const REALTIME: u32 = 0;
    /// Monotonic time.
    pub const MONOTONIC: u32 = 1;
    /// CPU time of the process (approximated by monotonic time).
    pub const PROCESS_CPUTIME: u32 = 2;
    /// CPU time of the thread (approximated by monotonic time).
    pub const THREAD_CPUTIME: u32 = 3;
}

/// `eventtype` values of `poll_oneoff`.
pub mod eventtype {
    /// A clock timeout.
    pub const CLOCK: u8 = 0;
    /// An fd became readable.
    pub const FD_READ: u8 = 1;
    /// An fd became writable.
    pub const FD_WRITE: u8 = 2;
}

/// Size of `fdstat`.
pub const FDSTAT_SIZE: usize = 24;
/// Size of `filestat`.
pub const FILESTAT_SIZE: usize = 64;
/// Size of the fixed part of a `dirent` (the name follows it).
pub const DIRENT_SIZE: usize = 24;
/// Size of `subscription`.
pub const SUBSCRIPTION_SIZE: usize = 48;
/// Size of `event`.
pub const EVENT_SIZE: usize = 32;
/// `subclockflags::subscription_clock_abstime`.
pub const SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1;
