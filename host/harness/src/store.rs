//! Where sessions are kept between calls and across restarts.
//!
//! A [`SessionStore`] keeps one JSON document per session. The store
//! here, [`VfsStore`], writes them into any virtual filesystem, so one
//! implementation covers every place a session can live: memory
//! ([`VfsStore::memory`]), a host directory ([`VfsStore::directory`]), or
//! a bucket ([`VfsStore::new`] over a `wasm_agent::s3::S3Fs`; each save is
//! flushed, so a session saved by one `serve` instance is there for the
//! next). Writes go to a temporary name and are renamed into place, so a
//! crash never leaves half a session.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use wasm_agent::vfs::{Errno, HostDirFs, MemFs, Vfs, VfsError};

use crate::message::{Message, Usage};

/// The saved state of one session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Format version of the document.
    pub format: u32,
    /// The conversation.
    pub messages: Vec<Message>,
    /// Tokens used so far.
    pub usage: Usage,
}

/// A store operation that failed: what, which session, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// Keeps sessions by name.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// The session saved under `name`, if any.
    async fn load(&self, name: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// Saves (replaces) the session `name`.
    async fn save(&self, name: &str, record: &SessionRecord) -> Result<(), StoreError>;
    /// Forgets the session `name`; forgetting an unknown one succeeds.
    async fn delete(&self, name: &str) -> Result<(), StoreError>;
    /// The names of the saved sessions, sorted.
    async fn list(&self) -> Result<Vec<String>, StoreError>;
}

/// Sessions as JSON files in a virtual filesystem; see the module docs.
#[derive(Debug, Clone)]
pub struct VfsStore {
    fs: Arc<dyn Vfs>,
    /// Where the session files go (an absolute path in `fs`).
    dir: String,
}

/// The file suffix of a session document.
const SUFFIX: &str = ".session.json";

impl VfsStore {
    /// Sessions in `dir` of `fs` (created on first save).
    pub fn new(fs: Arc<dyn Vfs>, dir: impl Into<String>) -> VfsStore {
        VfsStore {
            fs,
            dir: dir.into(),
        }
    }

    /// Sessions kept in memory, for one process.
    pub fn memory() -> VfsStore {
        VfsStore::new(Arc::new(MemFs::new()), "/sessions")
    }

    /// Sessions as files in a host directory (which must exist).
    pub fn directory(path: impl AsRef<std::path::Path>) -> Result<VfsStore, StoreError> {
        let path = path.as_ref();
        let fs = HostDirFs::new(path)
            .map_err(|e| StoreError(format!("cannot keep sessions in {}: {e}", path.display())))?;
        Ok(VfsStore::new(Arc::new(fs), "/"))
    }

    fn path(&self, name: &str) -> Result<String, StoreError> {
        check_name(name)?;
        Ok(self.file(&format!("{name}{SUFFIX}")))
    }

    fn file(&self, file: &str) -> String {
        if self.dir == "/" {
            format!("/{file}")
        } else {
            format!("{}/{file}", self.dir)
        }
    }

    fn fail(&self, what: &str, name: &str, err: VfsError) -> StoreError {
        StoreError(format!("cannot {what} session '{name}': {err}"))
    }
}

/// Session names become file names: refuse what could not be one.
fn check_name(name: &str) -> Result<(), StoreError> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(StoreError(format!(
            "session name '{name}' may hold only letters, digits, '-', '_' and '.', \
             must not start with '.', and is at most 200 characters"
        )))
    }
}

#[async_trait]
impl SessionStore for VfsStore {
    async fn load(&self, name: &str) -> Result<Option<SessionRecord>, StoreError> {
        let path = self.path(name)?;
        let bytes = match self.fs.read_file(&path).await {
            Ok(bytes) => bytes,
            Err(e) if e.errno() == Errno::NoEnt => return Ok(None),
            Err(e) => return Err(self.fail("read", name, e)),
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            StoreError(format!(
                "session '{name}' at {path} is not a valid session document ({e}); \
                 delete it to start the session again"
            ))
        })
    }

    async fn save(&self, name: &str, record: &SessionRecord) -> Result<(), StoreError> {
        let path = self.path(name)?;
        let bytes = serde_json::to_vec(record)
            .map_err(|e| StoreError(format!("cannot encode session '{name}': {e}")))?;
        if self.dir != "/" {
            self.fs
                .create_dir_all(&self.dir)
                .await
                .map_err(|e| self.fail("save", name, e))?;
        }
        let temporary = self.file(&format!(".{name}.{}.tmp", std::process::id()));
        self.fs
            .write_file(&temporary, &bytes)
            .await
            .map_err(|e| self.fail("save", name, e))?;
        self.fs
            .rename(&temporary, &path)
            .await
            .map_err(|e| self.fail("save", name, e))?;
        self.fs
            .flush()
            .await
            .map_err(|e| self.fail("save", name, e))
    }

    async fn delete(&self, name: &str) -> Result<(), StoreError> {
        let path = self.path(name)?;
        match self.fs.remove_file(&path).await {
            Ok(()) => self
                .fs
                .flush()
                .await
                .map_err(|e| self.fail("delete", name, e)),
            Err(e) if e.errno() == Errno::NoEnt => Ok(()),
            Err(e) => Err(self.fail("delete", name, e)),
        }
    }

    async fn list(&self) -> Result<Vec<String>, StoreError> {
        let entries = match self.fs.read_dir(&self.dir).await {
            Ok(entries) => entries,
            Err(e) if e.errno() == Errno::NoEnt => return Ok(Vec::new()),
            Err(e) => return Err(StoreError(format!("cannot list sessions: {e}"))),
        };
        let mut names: Vec<String> = entries
            .into_iter()
            .filter_map(|e| e.name.strip_suffix(SUFFIX).map(str::to_owned))
            .filter(|n| check_name(n).is_ok())
            .collect();
        names.sort();
        Ok(names)
    }
}
