//! What the filesystem holds locally: file contents, changes not yet in
//! the bucket, and what the bucket recently said about objects.
//!
//! The bucket is the truth; this state is an overlay on it. A pending
//! change shadows the bucket for its key until a flush applies it. Every
//! change remembers the object it replaces (its [`Base`]), so the flush
//! can make the write conditional and notice another writer.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use crate::store::ObjectInfo;

/// What was in the bucket under a key when a change to it began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Base {
    /// No object.
    Absent,
    /// An object with this ETag.
    Etag(String),
    /// Not known (the server gave no ETag): the write is unconditional.
    Unknown,
}

impl Base {
    /// The base of a change to an object described by `info` (or absent).
    pub fn of(info: Option<&ObjectInfo>) -> Base {
        match info {
            None => Base::Absent,
            Some(ObjectInfo { etag: Some(e), .. }) => Base::Etag(e.clone()),
            Some(_) => Base::Unknown,
        }
    }
}

/// One change waiting for a flush.
#[derive(Debug, Clone)]
pub(crate) enum Change {
    /// Upload the node's bytes.
    Write(Arc<Node>),
    /// Copy another object server-side (a renamed, unmodified file).
    Copy {
        /// Source key.
        from: String,
        /// The source's ETag when the rename happened.
        etag: Option<String>,
        /// Size and time, for stat until the flush.
        size: u64,
        /// Last modification of the source.
        modified: SystemTime,
    },
    /// Create a zero-byte directory marker (the key ends with `/`).
    Marker,
    /// Delete the object.
    Delete,
}

/// A change and what it replaces; `seq` tells a flush whether the entry
/// it applied is still the one in the map.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub change: Change,
    pub base: Base,
    pub seq: u64,
}

/// The contents of one file held locally.
#[derive(Debug)]
pub(crate) struct Node {
    pub data: Mutex<NodeData>,
    /// Held while the bytes are being fetched, so a reader waits for a
    /// read-ahead in flight instead of fetching the object a second time.
    pub loading: tokio::sync::Mutex<()>,
}

/// A node's bytes and bookkeeping.
#[derive(Debug)]
pub(crate) struct NodeData {
    /// The whole contents, when `loaded`.
    pub bytes: Vec<u8>,
    /// False for a large object read by ranges: `bytes` holds only the
    /// readahead `window` then.
    pub loaded: bool,
    /// Length of the file.
    pub len: u64,
    /// The ETag of the object the bytes came from (for revalidation).
    pub etag: Option<String>,
    /// Changed since it was last uploaded.
    pub dirty: bool,
    /// Bumped by every write, so a flush knows whether the bytes it
    /// uploaded are still the current ones.
    pub version: u64,
    /// Last modification.
    pub mtime: SystemTime,
    /// When the bytes were last checked against the bucket.
    pub validated: Instant,
    /// For ranged reads of unloaded nodes: offset of the bytes in `bytes`.
    pub window: u64,
    /// The key holding the bytes in the bucket, for nodes not loaded yet.
    pub source: String,
}

impl Node {
    /// A new, empty, dirty file.
    pub fn new_file() -> Arc<Node> {
        Arc::new(Node {
            data: Mutex::new(NodeData {
                bytes: Vec::new(),
                loaded: true,
                len: 0,
                etag: None,
                dirty: true,
                version: 1,
                mtime: SystemTime::now(),
                validated: Instant::now(),
                window: 0,
                source: String::new(),
            }),
            loading: tokio::sync::Mutex::new(()),
        })
    }

    /// A node for the object at `key` whose bytes are not read yet.
    pub fn remote(key: &str, info: &ObjectInfo) -> Arc<Node> {
        Arc::new(Node {
            data: Mutex::new(NodeData {
                bytes: Vec::new(),
                loaded: false,
                len: info.size,
                etag: info.etag.clone(),
                dirty: false,
                version: 0,
                mtime: info.modified,
                validated: Instant::now(),
                window: 0,
                source: key.to_owned(),
            }),
            loading: tokio::sync::Mutex::new(()),
        })
    }

    /// Locks the node's data (never held across an await).
    pub fn lock(&self) -> std::sync::MutexGuard<'_, NodeData> {
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Everything local, behind one lock that is never held across an await.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Files whose contents are held here, by key: dirty ones waiting for
    /// a flush and clean ones cached.
    pub nodes: HashMap<String, Arc<Node>>,
    /// Changes not yet in the bucket, by key.
    pub pending: BTreeMap<String, Pending>,
    /// What listings and HEADs said about objects, and when.
    pub seen: HashMap<String, (ObjectInfo, Instant)>,
    /// Directory keys (with their `/`) that listings showed, and when.
    pub seen_dirs: HashMap<String, Instant>,
    /// Next [`Pending::seq`].
    pub next_seq: u64,
    /// Bytes loaded into clean nodes since the cache was last trimmed.
    pub loaded_bytes: u64,
    /// Directory prefixes this filesystem emptied by deletes. Some
    /// servers (SeaweedFS) keep listing an emptied prefix for a while;
    /// a listing that shows one of these checks that a key is left.
    pub emptied: HashSet<String>,
    /// For a fork: what hides the base (see `fork`).
    pub fork: ForkState,
    /// The files of recently listed directories, for read-ahead (see
    /// `prefetch`).
    pub listed_files: HashMap<String, Arc<Vec<(String, ObjectInfo)>>>,
    /// Files opened for reading per directory since its last listing.
    pub dir_opens: HashMap<String, u32>,
    /// When the last read-ahead started (a directory scan is going on).
    pub last_read_ahead: Option<Instant>,
}

/// A fork's own bookkeeping, saved in its manifest by every flush that
/// changed it.
#[derive(Debug, Default)]
pub(crate) struct ForkState {
    /// Paths whose base object (or whole base subtree) is deleted here.
    pub whiteouts: BTreeSet<String>,
    /// Every path this fork changed, with the base's ETag at that moment
    /// (`None`: the base had nothing there): a merge compares it with the
    /// base's current ETag to find what both sides changed.
    pub touched: BTreeMap<String, Option<String>>,
    /// The manifest needs saving.
    pub dirty: bool,
    /// ETag of the manifest as last read or written (for `If-Match`).
    pub etag: Option<String>,
}

impl ForkState {
    /// True when `path` or one of its ancestors is whited out.
    pub fn hides(&self, path: &str) -> bool {
        if self.whiteouts.is_empty() {
            return false;
        }
        let mut current = path;
        loop {
            if self.whiteouts.contains(current) {
                return true;
            }
            match current.rfind('/') {
                Some(0) | None => return current != "/" && self.whiteouts.contains("/"),
                Some(i) => current = &current[..i],
            }
        }
    }

    /// Records that this fork changes `path`, whose base object had
    /// `etag` (first change only: later ones keep the original base).
    pub fn touch(&mut self, path: &str, etag: Option<String>) {
        if !self.touched.contains_key(path) {
            self.touched.insert(path.to_owned(), etag);
            self.dirty = true;
        }
    }

    /// Hides the base's `path` (and what is below it).
    pub fn white_out(&mut self, path: &str) {
        if self.whiteouts.insert(path.to_owned()) {
            self.dirty = true;
        }
    }
}

impl State {
    /// Records a change to `key`, replacing any earlier one. The base of
    /// the earlier change is kept: the bucket still holds what it held
    /// when the first change began.
    pub fn set_pending(&mut self, key: &str, change: Change, base: Base) {
        self.next_seq += 1;
        let seq = self.next_seq;
        let base = match self.pending.get(key) {
            Some(earlier) => earlier.base.clone(),
            None => base,
        };
        self.pending
            .insert(key.to_owned(), Pending { change, base, seq });
    }

    /// Evicts clean nodes that no handle holds until their bytes fit in
    /// half of `limit`, once the bytes loaded since the last trim exceed
    /// `limit`.
    pub fn trim_cache(&mut self, limit: u64) {
        if self.loaded_bytes <= limit {
            return;
        }
        let mut held: u64 = 0;
        let pending = &self.pending;
        self.nodes.retain(|key, node| {
            let d = node.lock();
            let keep = d.dirty || Arc::strong_count(node) > 1 || pending.contains_key(key);
            if keep || held + d.bytes.len() as u64 <= limit / 2 {
                held += d.bytes.len() as u64;
                true
            } else {
                false
            }
        });
        self.loaded_bytes = held;
    }

    /// Records the removal of `key` (an unlink, rmdir or the source of a
    /// move): a delete when the bucket may hold it, nothing when it only
    /// ever existed here.
    pub fn record_removal(&mut self, key: &str, base: Base) {
        let local_only = match self.pending.get(key) {
            Some(p) => p.base == Base::Absent,
            None => base == Base::Absent,
        };
        if local_only {
            self.clear_pending(key);
        } else {
            self.set_pending(key, Change::Delete, base);
        }
    }

    /// Drops a pending change (a file created and removed before any
    /// flush never reaches the bucket).
    pub fn clear_pending(&mut self, key: &str) {
        self.pending.remove(key);
    }

    /// True when some pending change creates a key below `dir_key` (which
    /// ends with `/`), making it a directory locally.
    pub fn has_pending_below(&self, dir_key: &str) -> bool {
        self.pending
            .range(dir_key.to_owned()..)
            .take_while(|(k, _)| k.starts_with(dir_key))
            .any(|(_, p)| !matches!(p.change, Change::Delete))
    }

    /// True when a pending change deletes `key`.
    pub fn is_deleted(&self, key: &str) -> bool {
        matches!(
            self.pending.get(key),
            Some(Pending {
                change: Change::Delete,
                ..
            })
        )
    }

    /// Pending entries below `dir_key`, in key order.
    pub fn pending_below<'a>(
        &'a self,
        dir_key: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Pending)> + 'a {
        self.pending
            .range(dir_key.to_owned()..)
            .take_while(move |(k, _)| k.starts_with(dir_key))
    }
}
