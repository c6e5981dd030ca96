//! The sandboxes and snapshots a server holds, by id, and how a create
//! request becomes a sandbox.

use super::error::ApiError;
use crate::s3_args::S3Args;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use wasm_agent::s3::S3Fs;
use wasm_agent::vfs::{HostDirFs, Vfs};
use wasm_agent::{Runtime, Sandbox, Snapshot};

/// What `POST /sandboxes` asks for (the body's `kind` picks the variant).
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CreateRequest {
    /// An empty in-memory filesystem.
    Memory {
        /// The working directory (created), default `/`.
        cwd: Option<String>,
    },
    /// A host directory as the root (needs `--allow-host-dirs`).
    HostDir {
        /// Absolute host path of an existing directory.
        path: String,
        /// Read-only.
        #[serde(default)]
        read_only: bool,
        /// The working directory, default `/`.
        cwd: Option<String>,
    },
    /// A bucket (or a prefix of one) as the root (needs `--allow-buckets`).
    Bucket {
        /// `s3://bucket[/prefix]`.
        url: String,
        /// The S3 endpoint URL; default AWS (or Tigris by its keys).
        endpoint: Option<String>,
        /// The region.
        region: Option<String>,
        /// Name the bucket in the path (local S3 servers).
        #[serde(default)]
        path_style: bool,
        /// The working directory, default `/`.
        cwd: Option<String>,
    },
    /// A copy-on-write fork of a live sandbox.
    Fork {
        /// The sandbox id.
        of: String,
    },
    /// A sandbox starting from a snapshot.
    Snapshot {
        /// The snapshot id.
        of: String,
    },
}

/// What kinds of sandbox this server may create besides memory ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Permissions {
    /// `host_dir` sandboxes (`--allow-host-dirs`).
    pub host_dirs: bool,
    /// `bucket` sandboxes with the server's S3 credentials (`--allow-buckets`).
    pub buckets: bool,
}

/// One live sandbox.
#[derive(Debug)]
pub struct Entry {
    /// Its id (`sbx_…`).
    pub id: String,
    /// `memory`, `host_dir`, `bucket` (forks and snapshot copies keep
    /// their origin's kind).
    pub kind: &'static str,
    /// The sandbox or snapshot it came from.
    pub parent: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// The sandbox itself.
    pub sandbox: Sandbox,
}

/// How a sandbox is described in responses.
#[derive(Debug, Serialize)]
pub struct SandboxInfo {
    id: String,
    kind: &'static str,
    cwd: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    created_ms: u64,
}

impl Entry {
    /// The response shape of this sandbox.
    pub fn info(&self) -> SandboxInfo {
        SandboxInfo {
            id: self.id.clone(),
            kind: self.kind,
            cwd: self.sandbox.cwd().to_string(),
            parent: self.parent.clone(),
            created_ms: self.created_ms,
        }
    }
}

/// A saved sandbox state.
#[derive(Debug)]
pub struct SnapshotEntry {
    /// Its id (`snap_…`).
    pub id: String,
    /// The sandbox it was taken of.
    pub sandbox: String,
    /// The kind of that sandbox.
    pub kind: &'static str,
    /// Its working directory.
    pub cwd: String,
    /// Milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// The saved filesystem.
    pub snapshot: Snapshot,
}

impl SnapshotEntry {
    /// The response shape of this snapshot.
    pub fn info(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id, "sandbox": self.sandbox, "created_ms": self.created_ms
        })
    }
}

/// Sandboxes and snapshots by id.
#[derive(Debug)]
pub struct Registry {
    sandboxes: RwLock<HashMap<String, Arc<Entry>>>,
    snapshots: RwLock<HashMap<String, Arc<SnapshotEntry>>>,
    /// Most sandboxes alive at once.
    max: usize,
}

impl Registry {
    /// An empty registry holding at most `max` sandboxes.
    pub fn new(max: usize) -> Registry {
        Registry {
            sandboxes: RwLock::default(),
            snapshots: RwLock::default(),
            max,
        }
    }

    /// The sandbox `id`, or a 404.
    pub fn get(&self, id: &str) -> Result<Arc<Entry>, ApiError> {
        let map = self.sandboxes.read().unwrap_or_else(|e| e.into_inner());
        map.get(id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("sandbox", id))
    }

    /// Every sandbox, oldest first.
    pub fn list(&self) -> Vec<Arc<Entry>> {
        let map = self.sandboxes.read().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<_> = map.values().cloned().collect();
        all.sort_by(|a, b| (a.created_ms, &a.id).cmp(&(b.created_ms, &b.id)));
        all
    }

    /// Adds a sandbox made from `sandbox` and returns its entry, or a 429
    /// when the server holds its maximum.
    pub fn insert(
        &self,
        kind: &'static str,
        parent: Option<String>,
        sandbox: Sandbox,
    ) -> Result<Arc<Entry>, ApiError> {
        let entry = Arc::new(Entry {
            id: super::new_id("sbx"),
            kind,
            parent,
            created_ms: super::now_ms(),
            sandbox,
        });
        let mut map = self.sandboxes.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= self.max {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_sandboxes",
                format!(
                    "this server holds its maximum of {} sandboxes; delete some \
                     (DELETE /sandboxes/{{id}}) or start it with a larger --max-sandboxes",
                    self.max
                ),
            )
            .details(serde_json::json!({ "max": self.max })));
        }
        map.insert(entry.id.clone(), entry.clone());
        Ok(entry)
    }

    /// Forgets the sandbox `id` (commands still running finish on their
    /// own copy), or a 404.
    pub fn remove(&self, id: &str) -> Result<(), ApiError> {
        let mut map = self.sandboxes.write().unwrap_or_else(|e| e.into_inner());
        map.remove(id)
            .map(|_| ())
            .ok_or_else(|| ApiError::not_found("sandbox", id))
    }

    /// Saves a snapshot of `entry`.
    pub fn snapshot(&self, entry: &Entry) -> Result<Arc<SnapshotEntry>, ApiError> {
        let snapshot = entry
            .sandbox
            .snapshot()
            .map_err(unsupported("snapshot", entry))?;
        let snap = Arc::new(SnapshotEntry {
            id: super::new_id("snap"),
            sandbox: entry.id.clone(),
            kind: entry.kind,
            cwd: entry.sandbox.cwd().to_string(),
            created_ms: super::now_ms(),
            snapshot,
        });
        let mut map = self.snapshots.write().unwrap_or_else(|e| e.into_inner());
        map.insert(snap.id.clone(), snap.clone());
        Ok(snap)
    }

    /// The snapshot `id`, or a 404.
    pub fn get_snapshot(&self, id: &str) -> Result<Arc<SnapshotEntry>, ApiError> {
        let map = self.snapshots.read().unwrap_or_else(|e| e.into_inner());
        map.get(id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("snapshot", id))
    }

    /// Every snapshot, oldest first.
    pub fn list_snapshots(&self) -> Vec<Arc<SnapshotEntry>> {
        let map = self.snapshots.read().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<_> = map.values().cloned().collect();
        all.sort_by(|a, b| (a.created_ms, &a.id).cmp(&(b.created_ms, &b.id)));
        all
    }

    /// Forgets the snapshot `id`, or a 404.
    pub fn remove_snapshot(&self, id: &str) -> Result<(), ApiError> {
        let mut map = self.snapshots.write().unwrap_or_else(|e| e.into_inner());
        map.remove(id)
            .map(|_| ())
            .ok_or_else(|| ApiError::not_found("snapshot", id))
    }

    /// Forks `entry` into a new sandbox.
    pub fn fork(&self, entry: &Entry) -> Result<Arc<Entry>, ApiError> {
        let sandbox = entry.sandbox.fork().map_err(unsupported("fork", entry))?;
        self.insert(entry.kind, Some(entry.id.clone()), sandbox)
    }

    /// Makes the sandbox `request` asks for.
    pub async fn create(
        &self,
        runtime: &Runtime,
        permissions: Permissions,
        request: CreateRequest,
    ) -> Result<Arc<Entry>, ApiError> {
        let (kind, fs, cwd): (&'static str, Option<Arc<dyn Vfs>>, Option<String>) = match request {
            CreateRequest::Fork { of } => return self.fork(&*self.get(&of)?),
            CreateRequest::Snapshot { of } => {
                let snap = self.get_snapshot(&of)?;
                let sandbox = Sandbox::builder(runtime).cwd(snap.cwd.clone()).build();
                sandbox
                    .restore(&snap.snapshot)
                    .map_err(|e| ApiError::sandbox(e, "/"))?;
                return self.insert(snap.kind, Some(snap.id.clone()), sandbox);
            }
            CreateRequest::Memory { cwd } => ("memory", None, cwd),
            CreateRequest::HostDir {
                path,
                read_only,
                cwd,
            } => {
                if !permissions.host_dirs {
                    return Err(forbidden_kind("host_dir", "--allow-host-dirs"));
                }
                ("host_dir", Some(host_dir(&path, read_only)?), cwd)
            }
            CreateRequest::Bucket {
                url,
                endpoint,
                region,
                path_style,
                cwd,
            } => {
                if !permissions.buckets {
                    return Err(forbidden_kind("bucket", "--allow-buckets"));
                }
                let args = S3Args {
                    endpoint,
                    region,
                    path_style,
                    ..S3Args::default()
                };
                let config = args
                    .config(&url)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                let fs = S3Fs::connect(config).await.map_err(|e| {
                    ApiError::new(
                        StatusCode::BAD_GATEWAY,
                        "bucket_unavailable",
                        format!("cannot open {url}: {e}; check the URL, endpoint and the server's S3 credentials"),
                    )
                })?;
                ("bucket", Some(Arc::new(fs) as Arc<dyn Vfs>), cwd)
            }
        };
        let mut builder = Sandbox::builder(runtime);
        if let Some(fs) = fs {
            builder.fs(fs);
        }
        let cwd = cwd.unwrap_or_else(|| "/".to_string());
        if !cwd.starts_with('/') {
            return Err(ApiError::bad_request(format!(
                "cwd '{cwd}' must be an absolute path"
            )));
        }
        let sandbox = builder.cwd(cwd.clone()).build();
        sandbox
            .mkdir(&cwd, true)
            .await
            .map_err(|e| ApiError::sandbox(e, &cwd))?;
        self.insert(kind, None, sandbox)
    }
}

fn host_dir(path: &str, read_only: bool) -> Result<Arc<dyn Vfs>, ApiError> {
    if !path.starts_with('/') {
        return Err(ApiError::bad_request(format!(
            "host_dir path '{path}' must be an absolute host path"
        )));
    }
    let fs = if read_only {
        HostDirFs::read_only(path)
    } else {
        HostDirFs::new(path)
    };
    fs.map(|fs| Arc::new(fs) as Arc<dyn Vfs>).map_err(|e| {
        ApiError::bad_request(format!("cannot open host directory {path}: {e}"))
            .details(serde_json::json!({ "path": path }))
    })
}

fn forbidden_kind(kind: &str, flag: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        format!("this server does not create {kind} sandboxes; start it with {flag} to allow them"),
    )
    .details(serde_json::json!({ "kind": kind }))
}

fn unsupported(what: &'static str, entry: &Entry) -> impl FnOnce(wasm_agent::Error) -> ApiError {
    let (id, kind) = (entry.id.clone(), entry.kind);
    move |err| {
        ApiError::new(
            StatusCode::CONFLICT,
            "unsupported",
            format!("cannot {what} sandbox {id} ({kind}): {err}"),
        )
    }
}
