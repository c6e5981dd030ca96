//! [`DevFs`]: the device files of `/dev`.
//!
//! Scripts and tools take `/dev/null` and friends for granted (`diff
//! /dev/null new.txt`, `cmd > /dev/null`, `head -c 16 /dev/urandom`), so a
//! sandbox mounts this small read-only directory at `/dev`:
//!
//! | name | reads | writes |
//! |---|---|---|
//! | `null` | end of file | discarded |
//! | `zero` | zero bytes | discarded |
//! | `full` | zero bytes | `ENOSPC` |
//! | `random`, `urandom` | random bytes | discarded |
//! | `stdin`, `stdout`, `stderr` | — | — |
//!
//! `stdin`, `stdout` and `stderr` are listed so that `test -e /dev/stdin`
//! holds, but what they mean depends on who opens them: the WASI layer and
//! the shell resolve them to the opener's own streams before they reach a
//! filesystem. Opened here directly they fail with `ENXIO`-like `ENOTSUP`.
//!
//! The directory holds no state, so [`Vfs::fork`] returns the same
//! filesystem.

use crate::path::split_parent;
use crate::{DirEntry, Errno, FileType, Metadata, OpenOptions, Vfs, VfsError, VfsFile, VfsResult};
use async_trait::async_trait;
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// The devices, in listing order, with their inode numbers.
const DEVICES: [(&str, Device, u64); 8] = [
    ("full", Device::Full, 7),
    ("null", Device::Null, 3),
    ("random", Device::Random, 8),
    ("stderr", Device::Stream, 12),
    ("stdin", Device::Stream, 10),
    ("stdout", Device::Stream, 11),
    ("urandom", Device::Random, 9),
    ("zero", Device::Zero, 5),
];

/// Inode number of the `/dev` directory itself.
const ROOT_INO: u64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Device {
    Null,
    Zero,
    Full,
    Random,
    /// `stdin`/`stdout`/`stderr`: meaningful only to the opener.
    Stream,
}

/// The `/dev` directory; see the module docs.
#[derive(Debug, Default)]
pub struct DevFs {
    _private: (),
}

impl DevFs {
    /// A `/dev` directory.
    pub fn new() -> DevFs {
        DevFs::default()
    }

    /// One shared instance: the directory has no state, so every sandbox
    /// can mount the same one.
    pub fn shared() -> Arc<DevFs> {
        static SHARED: OnceLock<Arc<DevFs>> = OnceLock::new();
        SHARED.get_or_init(|| Arc::new(DevFs::new())).clone()
    }
}

fn lookup(path: &str) -> Option<(Device, u64)> {
    let name = path.strip_prefix('/')?;
    DEVICES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, device, ino)| (device, ino))
}

fn device_metadata(ino: u64) -> Metadata {
    Metadata {
        file_type: FileType::CharDevice,
        len: 0,
        mode: 0o666,
        ino,
        nlink: 1,
        atime: UNIX_EPOCH,
        mtime: UNIX_EPOCH,
        ctime: UNIX_EPOCH,
    }
}

fn root_metadata() -> Metadata {
    Metadata {
        file_type: FileType::Dir,
        len: 4096,
        mode: 0o755,
        ino: ROOT_INO,
        nlink: 2,
        atime: UNIX_EPOCH,
        mtime: UNIX_EPOCH,
        ctime: UNIX_EPOCH,
    }
}

/// Fails with the errno of an operation on `/dev` that needs a name:
/// `ENOENT` below a device or for unknown names, `EROFS` for changes.
fn refuse(op: &'static str, path: &str) -> VfsError {
    let errno = match lookup(path) {
        Some(_) => Errno::Rofs,
        None if path == "/" => Errno::Rofs,
        None => match split_parent(path) {
            Some(("/", _)) => Errno::Rofs,
            _ => Errno::NoEnt,
        },
    };
    VfsError::new(errno, op, path)
}

#[async_trait]
impl Vfs for DevFs {
    async fn metadata(&self, path: &str) -> VfsResult<Metadata> {
        if path == "/" {
            return Ok(root_metadata());
        }
        match lookup(path) {
            Some((_, ino)) => Ok(device_metadata(ino)),
            None => Err(VfsError::new(Errno::NoEnt, "stat", path)),
        }
    }

    async fn symlink_metadata(&self, path: &str) -> VfsResult<Metadata> {
        self.metadata(path).await
    }

    async fn read_dir(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        if path != "/" {
            let errno = if lookup(path).is_some() {
                Errno::NotDir
            } else {
                Errno::NoEnt
            };
            return Err(VfsError::new(errno, "opendir", path));
        }
        Ok(DEVICES
            .iter()
            .map(|&(name, _, ino)| DirEntry {
                name: name.to_string(),
                file_type: FileType::CharDevice,
                ino,
            })
            .collect())
    }

    async fn open(&self, path: &str, options: OpenOptions) -> VfsResult<Arc<dyn VfsFile>> {
        if path == "/" {
            return Err(VfsError::new(Errno::IsDir, "open", path));
        }
        match lookup(path) {
            None if options.create => Err(refuse("open", path)),
            None => Err(VfsError::new(Errno::NoEnt, "open", path)),
            Some(_) if options.create_new => Err(VfsError::new(Errno::Exist, "open", path)),
            Some((Device::Stream, _)) => Err(VfsError::new(Errno::NotSup, "open", path)
                .with_detail("a standard stream belongs to the command that opens it")),
            Some((device, ino)) => Ok(Arc::new(DevFile { device, ino })),
        }
    }

    async fn create_dir(&self, path: &str) -> VfsResult<()> {
        Err(match lookup(path) {
            Some(_) => VfsError::new(Errno::Exist, "mkdir", path),
            None => refuse("mkdir", path),
        })
    }

    async fn remove_file(&self, path: &str) -> VfsResult<()> {
        Err(refuse("unlink", path))
    }

    async fn remove_dir(&self, path: &str) -> VfsResult<()> {
        Err(refuse("rmdir", path))
    }

    async fn rename(&self, from: &str, _to: &str) -> VfsResult<()> {
        Err(refuse("rename", from))
    }

    async fn symlink(&self, _target: &str, link: &str) -> VfsResult<()> {
        Err(refuse("symlink", link))
    }

    async fn read_link(&self, path: &str) -> VfsResult<String> {
        self.metadata(path).await?;
        Err(VfsError::new(Errno::Inval, "readlink", path))
    }

    async fn set_times(
        &self,
        path: &str,
        _atime: Option<SystemTime>,
        _mtime: Option<SystemTime>,
        _follow: bool,
    ) -> VfsResult<()> {
        // touch /dev/null succeeds on Linux; the times are not kept here.
        self.metadata(path).await.map(|_| ())
    }

    async fn set_mode(&self, path: &str, _mode: u32) -> VfsResult<()> {
        // What an unprivileged user gets for `chmod 600 /dev/null`.
        self.metadata(path).await?;
        Err(VfsError::new(Errno::Perm, "chmod", path))
    }

    fn fork(&self) -> VfsResult<Arc<dyn Vfs>> {
        Ok(DevFs::shared())
    }
}

/// An open device.
#[derive(Debug)]
struct DevFile {
    device: Device,
    ino: u64,
}

#[async_trait]
impl VfsFile for DevFile {
    async fn read_at(&self, buf: &mut [u8], _offset: u64) -> VfsResult<usize> {
        match self.device {
            Device::Null | Device::Stream => Ok(0),
            Device::Zero | Device::Full => {
                buf.fill(0);
                Ok(buf.len())
            }
            Device::Random => {
                getrandom::fill(buf).map_err(|e| {
                    VfsError::new(Errno::Io, "read", "/dev/urandom").with_detail(e.to_string())
                })?;
                Ok(buf.len())
            }
        }
    }

    async fn write_at(&self, buf: &[u8], _offset: u64) -> VfsResult<usize> {
        match self.device {
            Device::Full => Err(VfsError::new(Errno::NoSpc, "write", "/dev/full")),
            _ => Ok(buf.len()),
        }
    }

    async fn append(&self, buf: &[u8]) -> VfsResult<u64> {
        self.write_at(buf, 0).await.map(|_| 0)
    }

    async fn metadata(&self) -> VfsResult<Metadata> {
        Ok(device_metadata(self.ino))
    }

    async fn set_len(&self, _len: u64) -> VfsResult<()> {
        // `> /dev/null` truncates; on a device that is a no-op.
        Ok(())
    }

    async fn set_times(
        &self,
        _atime: Option<SystemTime>,
        _mtime: Option<SystemTime>,
    ) -> VfsResult<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    #[test]
    fn null_is_empty_and_swallows_writes() {
        rt().block_on(async {
            let fs = DevFs::new();
            let null = fs
                .open("/null", OpenOptions::write_truncate())
                .await
                .unwrap();
            assert_eq!(null.write_at(b"gone", 0).await.unwrap(), 4);
            assert_eq!(fs.read_file("/null").await.unwrap(), b"");
            assert_eq!(
                fs.metadata("/null").await.unwrap().file_type,
                FileType::CharDevice
            );
        });
    }

    #[test]
    fn zero_full_and_random() {
        rt().block_on(async {
            let fs = DevFs::new();
            let mut buf = [7u8; 32];
            let zero = fs.open("/zero", OpenOptions::read()).await.unwrap();
            assert_eq!(zero.read_at(&mut buf, 0).await.unwrap(), 32);
            assert_eq!(buf, [0; 32]);
            let full = fs
                .open("/full", OpenOptions::write_truncate())
                .await
                .unwrap();
            assert_eq!(
                full.write_at(b"x", 0).await.unwrap_err().errno(),
                Errno::NoSpc
            );
            let random = fs.open("/urandom", OpenOptions::read()).await.unwrap();
            random.read_at(&mut buf, 0).await.unwrap();
            assert_ne!(buf, [0; 32]);
        });
    }

    #[test]
    fn the_directory_is_read_only_and_lists_every_device() {
        rt().block_on(async {
            let fs = DevFs::new();
            let names: Vec<String> = fs
                .read_dir("/")
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.name)
                .collect();
            assert_eq!(
                names,
                ["full", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"]
            );
            assert_eq!(
                fs.write_file("/new", b"x").await.unwrap_err().errno(),
                Errno::Rofs
            );
            assert_eq!(
                fs.remove_file("/null").await.unwrap_err().errno(),
                Errno::Rofs
            );
            assert_eq!(
                fs.metadata("/nope").await.unwrap_err().errno(),
                Errno::NoEnt
            );
            assert_eq!(
                fs.open("/stdin", OpenOptions::read())
                    .await
                    .unwrap_err()
                    .errno(),
                Errno::NotSup
            );
        });
    }
}
