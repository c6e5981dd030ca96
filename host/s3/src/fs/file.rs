//! Open files: positional reads and writes on a node.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::{Instant, SystemTime};
use wasm_agent_vfs::{Errno, Metadata, VfsError, VfsFile, VfsResult};

use super::state::Node;
use super::{file_metadata, Inner};
use crate::store::Fetched;

/// Bytes fetched per ranged read of a large object: sequential readers
/// (`cat`, `grep`) ask for 4–64 KiB at a time and would otherwise pay one
/// request each.
const READAHEAD: u64 = 1 << 20;

/// An open file of an [`S3Fs`](super::S3Fs).
#[derive(Debug)]
pub(crate) struct S3File {
    pub inner: Arc<Inner>,
    pub node: Arc<Node>,
    /// The path it was opened at, for messages.
    pub path: String,
    /// The key it was opened at, for its inode number.
    pub key: String,
    pub writable: bool,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.config.url())
    }
}

impl S3File {
    fn check_writable(&self, op: &'static str) -> VfsResult<()> {
        if self.writable {
            Ok(())
        } else {
            Err(VfsError::new(Errno::BadF, op, &self.path))
        }
    }
}

impl Inner {
    /// Reads the whole object behind `node` into it, unless a writer got
    /// there first.
    pub(crate) async fn load(&self, node: &Node, path: &str) -> VfsResult<()> {
        if node.lock().loaded {
            return Ok(());
        }
        let _one_fetch = node.loading.lock().await;
        let source = {
            let d = node.lock();
            if d.loaded {
                return Ok(());
            }
            d.source.clone()
        };
        let Fetched::Body(bytes, info) = self.store.get(&source, path, None, None).await? else {
            return Ok(());
        };
        let mut d = node.lock();
        if !d.loaded {
            d.bytes = bytes.to_vec();
            d.len = d.bytes.len() as u64;
            d.loaded = true;
            d.window = 0;
            d.etag = info.etag;
            d.mtime = info.modified;
            d.validated = Instant::now();
            let mut st = self.state();
            st.loaded_bytes += d.len;
            drop(d);
            st.trim_cache(self.config.cache_bytes);
        }
        Ok(())
    }
}

#[async_trait]
impl VfsFile for S3File {
    async fn read_at(&self, buf: &mut [u8], offset: u64) -> VfsResult<usize> {
        loop {
            let (source, len) = {
                let d = self.node.lock();
                if d.loaded {
                    return Ok(copy_out(&d.bytes, 0, buf, offset));
                }
                if offset >= d.len {
                    return Ok(0);
                }
                let end = d.window + d.bytes.len() as u64;
                if offset >= d.window && offset < end {
                    return Ok(copy_out(&d.bytes, d.window, buf, offset));
                }
                (d.source.clone(), d.len)
            };
            if len <= self.inner.config.whole_read_limit {
                self.inner.load(&self.node, &self.path).await?;
                continue;
            }
            let want = (buf.len() as u64).max(READAHEAD);
            let fetched = self
                .inner
                .store
                .get(&source, &self.path, Some((offset, want)), None)
                .await?;
            let Fetched::Body(bytes, _) = fetched else {
                continue;
            };
            if bytes.is_empty() {
                return Ok(0);
            }
            let mut d = self.node.lock();
            if !d.loaded {
                d.window = offset;
                d.bytes = bytes.to_vec();
            }
        }
    }

    async fn write_at(&self, buf: &[u8], offset: u64) -> VfsResult<usize> {
        self.check_writable("write")?;
        self.inner.load(&self.node, &self.path).await?;
        let end = offset
            .checked_add(buf.len() as u64)
            .and_then(|e| usize::try_from(e).ok())
            .ok_or_else(|| VfsError::new(Errno::FBig, "write", &self.path))?;
        let mut d = self.node.lock();
        if d.bytes.len() < end {
            d.bytes.resize(end, 0);
        }
        d.bytes[offset as usize..end].copy_from_slice(buf);
        d.len = d.bytes.len() as u64;
        touch(&mut d);
        Ok(buf.len())
    }

    async fn append(&self, buf: &[u8]) -> VfsResult<u64> {
        self.check_writable("write")?;
        self.inner.load(&self.node, &self.path).await?;
        let mut d = self.node.lock();
        d.bytes.extend_from_slice(buf);
        d.len = d.bytes.len() as u64;
        touch(&mut d);
        Ok(d.len)
    }

    async fn metadata(&self) -> VfsResult<Metadata> {
        let d = self.node.lock();
        Ok(file_metadata(&self.key, d.len, d.mtime))
    }

    async fn set_len(&self, len: u64) -> VfsResult<()> {
        self.check_writable("truncate")?;
        self.inner.load(&self.node, &self.path).await?;
        let len =
            usize::try_from(len).map_err(|_| VfsError::new(Errno::FBig, "truncate", &self.path))?;
        let mut d = self.node.lock();
        d.bytes.resize(len, 0);
        d.len = len as u64;
        touch(&mut d);
        Ok(())
    }

    async fn set_times(
        &self,
        _atime: Option<SystemTime>,
        _mtime: Option<SystemTime>,
    ) -> VfsResult<()> {
        // S3 sets an object's time when it is uploaded; see the module docs.
        Ok(())
    }

    async fn sync(&self) -> VfsResult<()> {
        self.inner.flush_node(&self.node).await
    }
}

/// Marks a node changed.
fn touch(d: &mut super::state::NodeData) {
    d.dirty = true;
    d.version += 1;
    d.mtime = SystemTime::now();
}

/// Copies from `data` (which starts at file offset `data_start`) into
/// `buf` from file offset `offset`; returns the byte count.
fn copy_out(data: &[u8], data_start: u64, buf: &mut [u8], offset: u64) -> usize {
    let Some(from) = offset.checked_sub(data_start) else {
        return 0;
    };
    let from = usize::try_from(from).unwrap_or(usize::MAX);
    if from >= data.len() {
        return 0;
    }
    let n = buf.len().min(data.len() - from);
    buf[..n].copy_from_slice(&data[from..from + n]);
    n
}
