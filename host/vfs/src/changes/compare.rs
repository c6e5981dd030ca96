//! Comparing one path on two filesystems, reading as little as possible:
//! kinds from `lstat`, then sizes, then content ids, and bytes only when
//! nothing cheaper decides.

use crate::{Errno, FileType, Vfs, VfsFile, VfsResult};

/// Bytes compared per read: large enough that a remote backend answers
/// few requests per file, small enough to keep two buffers cheap.
const CHUNK: usize = 256 * 1024;

/// The kind of the object at `path`, not following a final symlink, or
/// `None` when there is none (`ENOENT`, or `ENOTDIR` for a path below a
/// file).
pub(super) async fn kind_at(fs: &dyn Vfs, path: &str) -> VfsResult<Option<FileType>> {
    match fs.symlink_metadata(path).await {
        Ok(meta) => Ok(Some(meta.file_type)),
        Err(e) if matches!(e.errno(), Errno::NoEnt | Errno::NotDir) => Ok(None),
        Err(e) => Err(e),
    }
}

/// True if the objects of kind `kind` at `path` on both sides are equal:
/// same bytes for files, same target text for symlinks; directories and
/// devices are equal by existence.
pub(super) async fn same_object(
    a: &dyn Vfs,
    b: &dyn Vfs,
    path: &str,
    kind: FileType,
) -> VfsResult<bool> {
    match kind {
        FileType::File => same_file(a, b, path).await,
        FileType::Symlink => Ok(a.read_link(path).await? == b.read_link(path).await?),
        FileType::Dir | FileType::CharDevice => Ok(true),
    }
}

/// True if the regular files at `path` hold the same bytes. Sizes decide
/// first, then the backends' content ids; bytes are read only for files of
/// equal size that no id proves equal, and only up to the first
/// difference.
async fn same_file(a: &dyn Vfs, b: &dyn Vfs, path: &str) -> VfsResult<bool> {
    let len = a.symlink_metadata(path).await?.len;
    if b.symlink_metadata(path).await?.len != len {
        return Ok(false);
    }
    if len == 0 {
        return Ok(true);
    }
    if let Some(id) = a.content_id(path).await? {
        if b.content_id(path).await?.is_some_and(|other| other == id) {
            return Ok(true);
        }
    }
    let (fa, fb) = (
        a.open(path, crate::OpenOptions::read()).await?,
        b.open(path, crate::OpenOptions::read()).await?,
    );
    same_bytes(&*fa, &*fb).await
}

/// Compares two open files chunk by chunk to the end of both.
async fn same_bytes(a: &dyn VfsFile, b: &dyn VfsFile) -> VfsResult<bool> {
    let (mut buf_a, mut buf_b) = (vec![0; CHUNK], vec![0; CHUNK]);
    let mut offset = 0u64;
    loop {
        let n = a.read_full_at(&mut buf_a, offset).await?;
        let m = b.read_full_at(&mut buf_b, offset).await?;
        if buf_a[..n] != buf_b[..m] {
            return Ok(false);
        }
        if n < CHUNK {
            return Ok(true);
        }
        offset += n as u64;
    }
}
