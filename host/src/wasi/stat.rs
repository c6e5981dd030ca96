//! Encoding of `filestat`, `fdstat` and times, shared by `fd_*` and `path_*`.

use super::abi::{filetype, fstflags, FILESTAT_SIZE};
use super::clock_random::now_ns;
use super::errno::Errno;
use super::memory::GuestMemory;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wasm_agent_vfs::{FileType, Metadata};

/// The preview1 `filetype` of a VFS object.
///
/// Devices (`/dev/null`…) are shown as empty regular files: Rust's std on
/// WASI only knows files, directories and symlinks, and tools built on it
/// (uutils `cat`, `wc`…) refuse any other type with "unknown filetype",
/// which would break `cat /dev/null` or `diff /dev/null new.txt`.
pub(crate) fn wasi_filetype(kind: FileType) -> u8 {
    match kind {
        FileType::File | FileType::CharDevice => filetype::REGULAR_FILE,
        FileType::Dir => filetype::DIRECTORY,
        FileType::Symlink => filetype::SYMBOLIC_LINK,
    }
}

/// Nanoseconds since the Unix epoch of `time` (0 before 1970).
pub(crate) fn time_ns(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// Writes a `filestat` describing `meta` at `ptr`.
pub(crate) fn write_filestat(
    mem: &mut GuestMemory<'_>,
    ptr: u32,
    meta: &Metadata,
) -> Result<(), Errno> {
    let mut buf = [0u8; FILESTAT_SIZE];
    // Device 1 for every object: inode numbers are unique across the whole
    // sandbox filesystem, which is what tools comparing (dev, ino) need.
    buf[0..8].copy_from_slice(&1u64.to_le_bytes());
    buf[8..16].copy_from_slice(&meta.ino.to_le_bytes());
    buf[16] = wasi_filetype(meta.file_type);
    buf[24..32].copy_from_slice(&meta.nlink.to_le_bytes());
    buf[32..40].copy_from_slice(&meta.len.to_le_bytes());
    buf[40..48].copy_from_slice(&time_ns(meta.atime).to_le_bytes());
    buf[48..56].copy_from_slice(&time_ns(meta.mtime).to_le_bytes());
    buf[56..64].copy_from_slice(&time_ns(meta.ctime).to_le_bytes());
    mem.write(ptr, &buf)
}

/// Writes the `filestat` of a stream (a pipe or capture): no size, no times.
pub(crate) fn write_stream_filestat(mem: &mut GuestMemory<'_>, ptr: u32) -> Result<(), Errno> {
    let mut buf = [0u8; FILESTAT_SIZE];
    buf[16] = filetype::UNKNOWN;
    buf[24..32].copy_from_slice(&1u64.to_le_bytes());
    mem.write(ptr, &buf)
}

/// Decodes the `(atim, mtim, fst_flags)` of a `*_set_times` call into
/// optional new times; setting a time both to a value and to now is `EINVAL`.
pub(crate) fn decode_times(
    atim: u64,
    mtim: u64,
    flags: u16,
) -> Result<(Option<SystemTime>, Option<SystemTime>), Errno> {
    let pick = |value: u64, set: u16, now: u16| -> Result<Option<SystemTime>, Errno> {
        match (flags & set != 0, flags & now != 0) {
            (true, true) => Err(Errno::Inval),
            (true, false) => Ok(Some(UNIX_EPOCH + Duration::from_nanos(value))),
            (false, true) => Ok(Some(UNIX_EPOCH + Duration::from_nanos(now_ns()))),
            (false, false) => Ok(None),
        }
    };
    Ok((
        pick(atim, fstflags::ATIM, fstflags::ATIM_NOW)?,
        pick(mtim, fstflags::MTIM, fstflags::MTIM_NOW)?,
    ))
}
