//! What tar needs from the filesystem beyond std's portable API, per target:
//! permission bits and owners for headers, symlink creation, and the
//! times and modes of extracted entries.
//!
//! The `tar` crate's own versions of these are stubs on wasm32 (building a
//! header from metadata panics, setting permissions and creating symlinks
//! fail), so tar builds its headers and unpacks its entries itself.
//!
//! WASI preview 1 has no permission bits and no owners: headers get 0755
//! for directories, 0777 for symlinks and 0644 otherwise, owned by root
//! (0/0); modes are not restored on extraction. Symlinks are made with
//! `path_symlink` and their times set with `path_filestat_set_times`,
//! called directly because std's WASI extensions for them are unstable.

pub use platform::{create_symlink, mode_of, owner_of, set_mode, set_symlink_mtime};

/// Permission bits a filesystem without modes reports for `meta`'s kind.
#[cfg_attr(unix, allow(dead_code, reason = "Unix reports real modes"))]
fn default_mode(meta: &std::fs::Metadata) -> u32 {
    let ft = meta.file_type();
    if ft.is_dir() {
        0o755
    } else if ft.is_symlink() {
        0o777
    } else {
        0o644
    }
}

#[cfg(unix)]
mod platform {
    use std::fs::{self, Metadata, Permissions};
    use std::io;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::path::Path;

    /// Permission bits of `meta` (no file type bits).
    pub fn mode_of(meta: &Metadata) -> u32 {
        meta.mode() & 0o7777
    }

    /// Owner and group ids of `meta`.
    pub fn owner_of(meta: &Metadata) -> (u64, u64) {
        (u64::from(meta.uid()), u64::from(meta.gid()))
    }

    /// Creates the symlink `link` pointing to `target`.
    pub fn create_symlink(target: &Path, link: &Path) -> io::Result<()> {
        std::os::unix::fs::symlink(target, link)
    }

    /// Sets the permission bits of `path`.
    pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
        fs::set_permissions(path, Permissions::from_mode(mode))
    }

    /// Sets the modification time of a symlink itself. std has no
    /// `lutimes`, and tar takes no libc dependency for this, so native
    /// symlinks keep the extraction time (GNU sets the archived one).
    pub fn set_symlink_mtime(_link: &Path, _secs: i64, _nanos: u32) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(target_os = "wasi")]
mod platform {
    use std::fs::{File, Metadata};
    use std::io;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    /// `fstflags::MTIM`: set the modification time to the given value.
    const FSTFLAGS_MTIM: i32 = 4;

    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        fn path_symlink(
            old_path: *const u8,
            old_path_len: usize,
            fd: i32,
            new_path: *const u8,
            new_path_len: usize,
        ) -> i32;
        fn path_filestat_set_times(
            fd: i32,
            lookup_flags: i32,
            path: *const u8,
            path_len: usize,
            atim: u64,
            mtim: u64,
            fst_flags: i32,
        ) -> i32;
    }

    /// WASI has no permission bits: the usual defaults for the kind.
    pub fn mode_of(meta: &Metadata) -> u32 {
        super::default_mode(meta)
    }

    /// WASI has no owners: everything belongs to root.
    pub fn owner_of(_meta: &Metadata) -> (u64, u64) {
        (0, 0)
    }

    /// WASI has no permission bits to set.
    pub fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
        Ok(())
    }

    /// The directory holding `path`, opened (std resolves it against the
    /// preopens and the current directory), and the last component's name.
    fn parent_and_name(path: &Path) -> io::Result<(File, &str)> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Ok((File::open(parent)?, name))
    }

    fn check(errno: i32) -> io::Result<()> {
        // wasi-libc's errno values are WASI's, so std maps them as usual.
        if errno == 0 {
            Ok(())
        } else {
            Err(io::Error::from_raw_os_error(errno))
        }
    }

    /// Creates the symlink `link` pointing to `target`.
    pub fn create_symlink(target: &Path, link: &Path) -> io::Result<()> {
        let target = target
            .to_str()
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        let (dir, name) = parent_and_name(link)?;
        // SAFETY: both pointers cover live UTF-8 buffers of the given
        // lengths for the whole call, and `dir` keeps the fd open.
        let errno = unsafe {
            path_symlink(
                target.as_ptr(),
                target.len(),
                dir.as_raw_fd(),
                name.as_ptr(),
                name.len(),
            )
        };
        check(errno)
    }

    /// Sets the modification time of a symlink itself (lookup flags 0: do
    /// not follow it), leaving its access time alone.
    pub fn set_symlink_mtime(link: &Path, secs: i64, nanos: u32) -> io::Result<()> {
        let (dir, name) = parent_and_name(link)?;
        let mtim = u64::try_from(secs).unwrap_or(0) * 1_000_000_000 + u64::from(nanos);
        // SAFETY: `name` is a live buffer of the given length for the whole
        // call, and `dir` keeps the fd open.
        let errno = unsafe {
            path_filestat_set_times(
                dir.as_raw_fd(),
                0,
                name.as_ptr(),
                name.len(),
                0,
                mtim,
                FSTFLAGS_MTIM,
            )
        };
        check(errno)
    }
}

#[cfg(not(any(unix, target_os = "wasi")))]
mod platform {
    use std::fs::Metadata;
    use std::io;
    use std::path::Path;

    /// No Unix modes here: the usual defaults for the kind.
    pub fn mode_of(meta: &Metadata) -> u32 {
        super::default_mode(meta)
    }

    /// No Unix owners here: root.
    pub fn owner_of(_meta: &Metadata) -> (u64, u64) {
        (0, 0)
    }

    /// Symlinks are not supported on this platform.
    pub fn create_symlink(_target: &Path, _link: &Path) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }

    /// No Unix modes to set.
    pub fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
        Ok(())
    }

    /// Symlinks are not supported on this platform.
    pub fn set_symlink_mtime(_link: &Path, _secs: i64, _nanos: u32) -> io::Result<()> {
        Ok(())
    }
}
