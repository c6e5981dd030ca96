//! [`S3Fs`]: a bucket (or a prefix of one) as a POSIX directory tree.
//!
//! # Mapping
//!
//! A path is a key without its leading `/`, below the configured prefix.
//! A directory is a common prefix; `mkdir` writes a zero-byte `dir/`
//! marker so an empty directory persists, and markers never show in
//! listings. When a file and a prefix share a name, the name is the file.
//! There is no index: every listing asks the bucket, so objects written by
//! other clients appear at once.
//!
//! # Cache
//!
//! File contents are read whole on first use (objects up to
//! [`S3Config::whole_read_limit`]) or in ranges, and kept with their ETag;
//! a later read past [`S3Config::metadata_ttl`] revalidates with
//! `If-None-Match`. Changes — written files, new directories, removals,
//! renames — are held as *pending changes* over the bucket until a flush
//! applies them: uploads and copies first, deletes last, so a failure
//! never deletes the only copy of anything. Uploads are conditional on the
//! object being as it was when the change began (`If-Match` its ETag, or
//! `If-None-Match: *` for a new file): a concurrent writer makes the flush
//! fail for that key instead of being overwritten.
//!
//! When the flush happens is the [`WritePolicy`]: at the end of every
//! command (write-through, [`Vfs::settle`](wasm_agent_vfs::Vfs::settle)) or only on [`S3Fs::flush`]
//! (write-back). A failed flush keeps every change it could not apply;
//! calling it again retries them.
//!
//! # Not supported
//!
//! S3 has no symbolic links, hard links or permission bits: `symlink` and
//! `link` answer `ENOTSUP`, `chmod` answers `ENOTSUP`, files show mode
//! `0644` and directories `0755`, and `touch` on an existing file leaves
//! its time to the bucket (S3 sets it on upload).

mod file;
mod flush;
pub mod fork;
mod lookup;
mod prefetch;
mod rename;
mod state;
mod vfs_impl;

pub use flush::{FlushError, FlushReport};
pub use fork::{ForkConflict, ForkMerge};

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime};

use aws_sdk_s3::Client;
use wasm_agent_vfs::{Errno, FileType, Metadata, VfsError, VfsResult};

use crate::client::build_client;
use crate::config::{S3Config, WritePolicy};
use crate::store::Store;
use state::State;

/// A bucket as a filesystem; see the module docs. Cheap to clone: clones
/// share the cache and pending changes.
#[derive(Clone)]
pub struct S3Fs {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    config: S3Config,
    store: Store,
    state: Mutex<State>,
    /// One flush at a time: two would race on the same pending entries.
    flush_lock: tokio::sync::Mutex<()>,
    /// Times shown for directories (S3 keeps none for prefixes).
    created: SystemTime,
    /// For a fork: the location it reads through to (see `fork.rs`).
    base: Option<S3Fs>,
}

impl std::fmt::Debug for S3Fs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Fs")
            .field("url", &self.inner.config.url())
            .field("endpoint", &self.inner.config.endpoint)
            .field("write_policy", &self.inner.config.write_policy)
            .finish_non_exhaustive()
    }
}

impl S3Fs {
    /// Connects to the bucket in `config`, checking that it exists and the
    /// keys may list it, so a wrong name or key fails here with a clear
    /// message instead of on the first command.
    ///
    /// A location holding a fork manifest is mounted as that fork, over
    /// its base (see [`fork`]).
    pub async fn connect(config: S3Config) -> VfsResult<S3Fs> {
        let client = build_client(&config).await;
        S3Fs::open_with_client(config, client).await
    }

    /// Uses a ready SDK client (its endpoint, region and credentials);
    /// only the bucket, prefix, policy and cache settings of `config`
    /// apply. Nothing is checked until the first operation.
    pub fn with_client(config: S3Config, client: Client) -> S3Fs {
        S3Fs::build(config, client, None)
    }

    fn build(mut config: S3Config, client: Client, base: Option<S3Fs>) -> S3Fs {
        if config.snapshot_version.is_some() {
            config.read_only = true;
        }
        let store = Store::new(
            client,
            config.bucket.clone(),
            config.snapshot_version.clone(),
        );
        S3Fs {
            inner: Arc::new(Inner {
                config,
                store,
                state: Mutex::new(State::default()),
                flush_lock: tokio::sync::Mutex::new(()),
                created: SystemTime::now(),
                base,
            }),
        }
    }

    /// The configuration this filesystem was made from.
    pub fn config(&self) -> &S3Config {
        &self.inner.config
    }

    /// The SDK client, for callers that need other S3 calls on the same
    /// connection pool and credentials.
    pub fn client(&self) -> &Client {
        self.inner.store.client()
    }

    /// How many requests of each kind this filesystem has sent (its fork
    /// base's not included).
    pub fn requests(&self) -> crate::RequestCounts {
        self.inner.store.counters().snapshot()
    }

    /// Number of changes not yet in the bucket.
    pub fn pending_changes(&self) -> usize {
        self.inner.state().pending.len()
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The key of a normalised absolute path.
    fn key(&self, path: &str) -> String {
        self.config.key_of(path)
    }

    /// The prefix that lists the directory at `path` (`key/`, or the
    /// empty string for the root of an unprefixed bucket).
    fn dir_key(&self, path: &str) -> String {
        let key = self.key(path);
        if key.is_empty() {
            key
        } else {
            key + "/"
        }
    }

    /// The path of a key below the prefix (`prefix/a/b` → `/a/b`).
    fn path_of(&self, key: &str) -> String {
        let rel = if self.config.prefix.is_empty() {
            key
        } else {
            key.strip_prefix(&self.config.prefix)
                .map(|k| k.trim_start_matches('/'))
                .unwrap_or(key)
        };
        format!("/{}", rel.trim_end_matches('/'))
    }

    /// True while information gathered at `at` may still be used.
    fn fresh(&self, at: Instant) -> bool {
        at.elapsed() < self.config.metadata_ttl
    }

    /// `EROFS` for writes to a read-only mount.
    fn check_writable(&self, op: &'static str, path: &str) -> VfsResult<()> {
        if self.config.read_only {
            let why = match &self.config.snapshot_version {
                Some(v) => format!("{} is mounted at snapshot {v}", self.config.url()),
                None => format!("{} is mounted read-only", self.config.url()),
            };
            return Err(VfsError::new(Errno::Rofs, op, path).with_detail(why));
        }
        Ok(())
    }

    /// Metadata of a directory.
    fn dir_metadata(&self, key: &str) -> Metadata {
        Metadata {
            file_type: FileType::Dir,
            len: 0,
            mode: 0o755,
            ino: inode(key),
            nlink: 2,
            atime: self.created,
            mtime: self.created,
            ctime: self.created,
        }
    }

    /// What a flush would do now with write-through: run it.
    fn write_through(&self) -> bool {
        self.config.write_policy == WritePolicy::WriteThrough
    }
}

/// Metadata of a file.
fn file_metadata(key: &str, len: u64, mtime: SystemTime) -> Metadata {
    Metadata {
        file_type: FileType::File,
        len,
        mode: 0o644,
        ino: inode(key),
        nlink: 1,
        atime: mtime,
        mtime,
        ctime: mtime,
    }
}

/// A stable inode number for a key: tools compare (device, inode) pairs,
/// and S3 has no inodes. 48 bits, as mounts expect (see `MountFs`).
fn inode(key: &str) -> u64 {
    (xxhash_rust::xxh3::xxh3_64(key.as_bytes()) & ((1 << 48) - 1)).max(1)
}
