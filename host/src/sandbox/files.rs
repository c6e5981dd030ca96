//! File operations by path over a sandbox's filesystem.

use super::{FileStat, RmOptions};
use crate::error::{Error, ErrorKind, Result};
use std::sync::Arc;
use wasm_agent_vfs::path::{join_normalized, split_parent};
use wasm_agent_vfs::{Errno, Vfs};

/// The file operations of a sandbox (read, write, stat, list, mkdir, rm,
/// rename) over a filesystem, with relative paths taken from a working
/// directory. [`Sandbox`](super::Sandbox) offers them as its own methods;
/// this type lets code that holds only a filesystem (an agent harness
/// over any sandbox) use the same operations with the same errors.
///
/// Every change is settled before the call returns (a bucket mounted
/// write-through has uploaded it).
#[derive(Debug, Clone)]
pub struct Files {
    fs: Arc<dyn Vfs>,
    cwd: String,
}

impl Files {
    /// Operations on `fs`, relative paths starting at `cwd` (absolute).
    pub fn new(fs: Arc<dyn Vfs>, cwd: impl Into<String>) -> Files {
        Files {
            fs,
            cwd: cwd.into(),
        }
    }

    /// The directory relative paths start from.
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    fn fs(&self) -> Arc<dyn Vfs> {
        self.fs.clone()
    }

    /// The absolute, normalised path for `path`.
    pub fn resolve(&self, path: &str) -> Result<String> {
        Ok(join_normalized(&self.cwd, path)?)
    }

    /// Reads a file as UTF-8 text; invalid UTF-8 is an error (use
    /// [`read_file_bytes`](Self::read_file_bytes) for binary data).
    pub async fn read_file(&self, path: &str) -> Result<String> {
        let bytes = self.read_file_bytes(path).await?;
        String::from_utf8(bytes).map_err(|err| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{path}: not valid UTF-8 (at byte {}); read it with read_file_bytes",
                    err.utf8_error().valid_up_to()
                ),
            )
        })
    }

    /// Reads a file's bytes.
    pub async fn read_file_bytes(&self, path: &str) -> Result<Vec<u8>> {
        let path = self.resolve(path)?;
        Ok(self.fs().read_file(&path).await?)
    }

    /// Writes a file, creating it and any missing parent directories, and
    /// replacing its contents if it exists.
    pub async fn write_file(&self, path: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        let path = self.resolve(path)?;
        let fs = self.fs();
        // The parent usually exists: try first, create it only on ENOENT
        // (filling a sandbox with many files then costs one walk per file).
        match fs.write_file(&path, contents.as_ref()).await {
            Err(err) if err.errno() == wasm_agent_vfs::Errno::NoEnt => {
                if let Some((parent, _)) = split_parent(&path) {
                    fs.create_dir_all(parent).await?;
                }
                fs.write_file(&path, contents.as_ref()).await?;
            }
            other => other?,
        }
        Ok(fs.settle().await?)
    }

    /// Metadata of `path` (not following a final symlink, so `is_symlink`
    /// can be true).
    pub async fn stat(&self, path: &str) -> Result<FileStat> {
        let path = self.resolve(path)?;
        let meta = self.fs().symlink_metadata(&path).await?;
        Ok(FileStat {
            is_file: meta.is_file(),
            is_dir: meta.is_dir(),
            is_symlink: meta.is_symlink(),
            size: meta.len,
            mtime: meta.mtime,
        })
    }

    /// The names in a directory, sorted.
    pub async fn read_dir(&self, path: &str) -> Result<Vec<String>> {
        let path = self.resolve(path)?;
        let entries = self.fs().read_dir(&path).await?;
        Ok(entries.into_iter().map(|e| e.name).collect())
    }

    /// True if `path` exists (following symlinks). Never errors.
    pub async fn exists(&self, path: &str) -> bool {
        match self.resolve(path) {
            Ok(path) => self.fs().exists(&path).await,
            Err(_) => false,
        }
    }

    /// Creates a directory; with `recursive`, also its parents, and an
    /// existing directory is not an error (`mkdir -p`).
    pub async fn mkdir(&self, path: &str, recursive: bool) -> Result<()> {
        let path = self.resolve(path)?;
        let fs = self.fs();
        if recursive {
            fs.create_dir_all(&path).await?;
        } else {
            fs.create_dir(&path).await?;
        }
        Ok(fs.settle().await?)
    }

    /// Removes a file, or with `recursive` a directory tree; with `force`,
    /// a missing path is not an error (`rm -rf`).
    pub async fn rm(&self, path: &str, options: RmOptions) -> Result<()> {
        let path = self.resolve(path)?;
        let fs = self.fs();
        let result = match fs.symlink_metadata(&path).await {
            Ok(meta) if meta.is_dir() && options.recursive => fs.remove_all(&path).await,
            Ok(meta) if meta.is_dir() => fs.remove_dir(&path).await,
            Ok(_) => fs.remove_file(&path).await,
            Err(err) => Err(err),
        };
        match result {
            Err(err) if options.force && err.errno() == Errno::NoEnt => Ok(()),
            other => {
                other?;
                Ok(fs.settle().await?)
            }
        }
    }

    /// Renames (moves) a file or directory.
    pub async fn rename(&self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (self.resolve(from)?, self.resolve(to)?);
        let fs = self.fs();
        fs.rename(&from, &to).await?;
        Ok(fs.settle().await?)
    }
}
