//! File facts in one portable shape.
//!
//! On Unix everything comes from `MetadataExt`. Under WASI (preview 1) the
//! filestat has device, inode, type, link count, size and three times, but
//! no owner, permission bits or block counts: ownership reads as root
//! (0/0), permissions as 0644 for files, 0755 for directories and 0777 for
//! symlinks, and blocks are emulated as ext4 would
//! allocate them (whole 4 KiB blocks per file, one per directory, none for
//! symlinks), so sizes from the sandbox match a native ext4 run.

use std::fs::Metadata;
use std::time::{SystemTime, UNIX_EPOCH};

/// File type, as GNU `stat %F` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Regular file (`regular empty file` when empty).
    File,
    /// Directory.
    Dir,
    /// Symbolic link.
    Symlink,
    /// Anything else (device, fifo, socket).
    Other,
}

/// What `stat` and `du` need to know about a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Info {
    /// Type of the file.
    pub kind: Kind,
    /// Size in bytes.
    pub size: u64,
    /// Allocated 512-byte blocks.
    pub blocks: u64,
    /// Preferred I/O block size.
    pub blksize: u64,
    /// Device number.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
    /// Hard link count.
    pub nlink: u64,
    /// Permission and type bits (`st_mode`).
    pub mode: u32,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Access, modification, status change times: (seconds, nanoseconds).
    pub atime: (i64, u32),
    /// Modification time.
    pub mtime: (i64, u32),
    /// Status change time.
    pub ctime: (i64, u32),
    /// Birth time, if known.
    pub btime: Option<(i64, u32)>,
}

fn split(t: std::io::Result<SystemTime>) -> Option<(i64, u32)> {
    let t = t.ok()?;
    Some(match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let (s, n) = (d.as_secs() as i64, d.subsec_nanos());
            if n == 0 {
                (-s, 0)
            } else {
                (-s - 1, 1_000_000_000 - n)
            }
        }
    })
}

/// 512-byte blocks ext4 allocates for a file of `size` bytes.
pub fn ext4_blocks(kind: Kind, size: u64) -> u64 {
    match kind {
        Kind::File | Kind::Other => size.div_ceil(4096) * 8,
        Kind::Dir => size.max(1).div_ceil(4096) * 8,
        Kind::Symlink => 0,
    }
}

impl Info {
    /// Facts from `meta` (of `path`, for platforms that need a second look).
    pub fn from_metadata(meta: &Metadata, path: &std::path::Path) -> Info {
        let ft = meta.file_type();
        let kind = if ft.is_symlink() {
            Kind::Symlink
        } else if ft.is_dir() {
            Kind::Dir
        } else if ft.is_file() {
            Kind::File
        } else {
            Kind::Other
        };
        let mtime = split(meta.modified()).unwrap_or((0, 0));
        let mut info = Info {
            kind,
            size: meta.len(),
            blocks: ext4_blocks(kind, meta.len()),
            blksize: 4096,
            dev: 0,
            ino: 0,
            nlink: 1,
            mode: default_mode(kind, readonly(meta)),
            uid: 0,
            gid: 0,
            atime: split(meta.accessed()).unwrap_or(mtime),
            mtime,
            ctime: mtime,
            btime: split(meta.created()),
        };
        platform::fill(&mut info, meta, path);
        info
    }
}

/// Whether `meta` says the file is read-only, where that means something.
///
/// WASI preview 1 has no permission bits: wasi-libc's `stat` leaves them 0 in
/// `st_mode`, which std's `readonly()` (no write bit set) reads as read-only
/// for every file. So under WASI nothing is read-only and files show 0644.
fn readonly(meta: &Metadata) -> bool {
    !cfg!(target_os = "wasi") && meta.permissions().readonly()
}

fn default_mode(kind: Kind, readonly: bool) -> u32 {
    match kind {
        Kind::Dir => 0o040755,
        Kind::Symlink => 0o120777,
        Kind::File if readonly => 0o100444,
        Kind::File => 0o100644,
        Kind::Other => 0o010644,
    }
}

#[cfg(unix)]
mod platform {
    use super::Info;
    use std::os::unix::fs::MetadataExt;

    pub fn fill(info: &mut Info, m: &std::fs::Metadata, _path: &std::path::Path) {
        info.blocks = m.blocks();
        info.blksize = m.blksize();
        info.dev = m.dev();
        info.ino = m.ino();
        info.nlink = m.nlink();
        info.mode = m.mode();
        info.uid = m.uid();
        info.gid = m.gid();
        info.ctime = (m.ctime(), m.ctime_nsec() as u32);
    }
}

#[cfg(target_os = "wasi")]
mod platform {
    //! std's WASI `MetadataExt` is unstable, so ask the host directly with
    //! `fd_filestat_get` on an opened file (symlinks keep the defaults).
    use super::{Info, Kind};
    use std::os::fd::AsRawFd;

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

    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        fn fd_filestat_get(fd: i32, buf: *mut Filestat) -> u16;
    }

    pub fn fill(info: &mut Info, _m: &std::fs::Metadata, path: &std::path::Path) {
        if info.kind == Kind::Symlink {
            return;
        }
        let Ok(file) = std::fs::File::open(path) else {
            return;
        };
        let mut st = Filestat::default();
        // SAFETY: `st` is a valid, writable filestat buffer for the duration
        // of the call, and the fd stays open while `file` lives.
        let errno = unsafe { fd_filestat_get(file.as_raw_fd(), &mut st) };
        if errno == 0 {
            info.dev = st.dev;
            info.ino = st.ino;
            info.nlink = st.nlink;
            info.ctime = (
                (st.ctim / 1_000_000_000) as i64,
                (st.ctim % 1_000_000_000) as u32,
            );
        }
    }
}

#[cfg(not(any(unix, target_os = "wasi")))]
mod platform {
    use super::Info;
    pub fn fill(_: &mut Info, _: &std::fs::Metadata, _: &std::path::Path) {}
}
