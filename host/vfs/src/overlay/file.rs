//! [`LowerFile`]: a read-only handle on a file the overlay has not copied up.

use super::Inner;
use crate::{Errno, Metadata, VfsError, VfsFile, VfsResult};
use async_trait::async_trait;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// A lower-layer file opened for reading through an overlay.
///
/// Like Linux overlayfs before 4.19, the handle stays on the lower file: if
/// the file is copied up later (someone opens it for writing), this handle
/// keeps reading the original bytes.
pub(super) struct LowerFile {
    file: Arc<dyn VfsFile>,
    overlay: Arc<Inner>,
    /// The merged path it was opened by: times are set through it.
    path: String,
}

impl LowerFile {
    pub(super) fn new(file: Arc<dyn VfsFile>, overlay: Arc<Inner>, path: &str) -> LowerFile {
        LowerFile {
            file,
            overlay,
            path: path.to_owned(),
        }
    }
}

impl fmt::Debug for LowerFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LowerFile")
            .field("path", &self.path)
            .field("file", &self.file)
            .finish()
    }
}

#[async_trait]
impl VfsFile for LowerFile {
    async fn read_at(&self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        self.file.read_at(buf, offset).await
    }

    async fn write_at(&self, _buf: &[u8], _offset: u64) -> VfsResult<usize> {
        Err(VfsError::new(Errno::BadF, "write", &self.path))
    }

    async fn append(&self, _buf: &[u8]) -> VfsResult<u64> {
        Err(VfsError::new(Errno::BadF, "write", &self.path))
    }

    async fn metadata(&self) -> VfsResult<Metadata> {
        self.file.metadata().await
    }

    async fn set_len(&self, _len: u64) -> VfsResult<()> {
        // ftruncate(2) on a descriptor not open for writing.
        Err(VfsError::new(Errno::Inval, "truncate", &self.path))
    }

    /// Copies the file up by the path it was opened with and sets the times
    /// there (a later rename of the file is not followed).
    async fn set_times(
        &self,
        atime: Option<SystemTime>,
        mtime: Option<SystemTime>,
    ) -> VfsResult<()> {
        self.overlay.set_times(&self.path, atime, mtime, true).await
    }
}
