// wasm-agent addition (see WASM-AGENT.md at the crate root): handles on
// WASI, compared by device and inode number like on Unix.
//
// std exposes a WASI file's device and inode numbers only through an
// unstable extension trait (`std::os::wasi::fs::MetadataExt`), so they come
// from wasi-libc's fstat(2), which reads them from `fd_filestat_get`.
use std::ffi::CString;
use std::fs::{File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, RawFd};
use std::path::Path;

#[derive(Debug)]
pub struct Handle {
    file: Option<File>,
    // If is_std is true, then we don't drop the corresponding File since it
    // will close the handle.
    is_std: bool,
    dev: u64,
    ino: u64,
}

impl Drop for Handle {
    fn drop(&mut self) {
        if self.is_std {
            // A standard stream stays open: its descriptor is released,
            // not closed. unwrap() cannot panic: `file` is Some until drop.
            let _stays_open = self.file.take().unwrap().into_raw_fd();
        }
    }
}

impl Eq for Handle {}

impl PartialEq for Handle {
    fn eq(&self, other: &Handle) -> bool {
        (self.dev, self.ino) == (other.dev, other.ino)
    }
}

impl AsRawFd for crate::Handle {
    fn as_raw_fd(&self) -> RawFd {
        // unwrap() will not panic. Since we were able to open the
        // file successfully, then `file` is guaranteed to be Some()
        self.0.file.as_ref().take().unwrap().as_raw_fd()
    }
}

impl IntoRawFd for crate::Handle {
    fn into_raw_fd(mut self) -> RawFd {
        // unwrap() will not panic. Since we were able to open the
        // file successfully, then `file` is guaranteed to be Some()
        self.0.file.take().unwrap().into_raw_fd()
    }
}

impl Hash for Handle {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.dev.hash(state);
        self.ino.hash(state);
    }
}

impl Handle {
    pub fn from_path<P: AsRef<Path>>(p: P) -> io::Result<Handle> {
        let path = p.as_ref();
        match OpenOptions::new().read(true).open(path) {
            Ok(file) => Handle::from_file(file),
            // A WASI host may refuse to open a directory for reading
            // unless asked for a directory (walkdir's loop check opens
            // every ancestor directory).
            Err(err) => match open_directory(path) {
                Some(file) => Handle::from_file(file),
                None => Err(err),
            },
        }
    }

    pub fn from_file(file: File) -> io::Result<Handle> {
        let (dev, ino) = dev_ino(&file)?;
        Ok(Handle { file: Some(file), is_std: false, dev, ino })
    }

    pub fn from_std(file: File) -> io::Result<Handle> {
        Handle::from_file(file).map(|mut h| {
            h.is_std = true;
            h
        })
    }

    pub fn stdin() -> io::Result<Handle> {
        Handle::from_std(unsafe { File::from_raw_fd(0) })
    }

    pub fn stdout() -> io::Result<Handle> {
        Handle::from_std(unsafe { File::from_raw_fd(1) })
    }

    pub fn stderr() -> io::Result<Handle> {
        Handle::from_std(unsafe { File::from_raw_fd(2) })
    }

    pub fn as_file(&self) -> &File {
        // unwrap() will not panic. Since we were able to open the
        // file successfully, then `file` is guaranteed to be Some()
        self.file.as_ref().take().unwrap()
    }

    pub fn as_file_mut(&mut self) -> &mut File {
        // unwrap() will not panic. Since we were able to open the
        // file successfully, then `file` is guaranteed to be Some()
        self.file.as_mut().take().unwrap()
    }

    pub fn dev(&self) -> u64 {
        self.dev
    }

    pub fn ino(&self) -> u64 {
        self.ino
    }
}

/// The device and inode numbers of an open file.
fn dev_ino(file: &File) -> io::Result<(u64, u64)> {
    let mut stat = MaybeUninit::<libc::stat>::uninit();
    // SAFETY: the descriptor is open for as long as `file` lives, and
    // fstat fills `stat` whenever it returns 0.
    let stat = unsafe {
        if libc::fstat(file.as_raw_fd(), stat.as_mut_ptr()) != 0 {
            return Err(io::Error::last_os_error());
        }
        stat.assume_init()
    };
    Ok((stat.st_dev, stat.st_ino))
}

/// `path` opened as a directory, if it is one.
fn open_directory(path: &Path) -> Option<File> {
    let path = CString::new(path.as_os_str().as_encoded_bytes()).ok()?;
    // SAFETY: `path` is NUL-terminated; a descriptor returned by open(2)
    // is owned by nobody else.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
        (fd >= 0).then(|| File::from_raw_fd(fd))
    }
}
