//! Tigris' own operations — snapshots, forks, merge, rebase, force
//! delete, scoped access keys — and, on top of them, the workspace API of
//! Tigris' agent kit: workspaces, fork sets, checkpoints.
//!
//! Everything goes through one [`Tigris`] client:
//!
//! | Operation | Request |
//! |---|---|
//! | [`create_snapshot_bucket`](Tigris::create_snapshot_bucket) | `CreateBucket` + `X-Tigris-Enable-Snapshot: true` |
//! | [`take_snapshot`](Tigris::take_snapshot) | `CreateBucket` of the bucket + `X-Tigris-Snapshot: true[; name=L]` → `X-Tigris-Snapshot-Version` |
//! | [`list_snapshots`](Tigris::list_snapshots) | `ListBuckets` + `X-Tigris-Snapshot: <bucket>` |
//! | [`delete_snapshot`](Tigris::delete_snapshot) | `DeleteBucket` + `X-Tigris-Snapshot-Version: <v>` |
//! | [`fork`](Tigris::fork) | `CreateBucket` + `X-Tigris-Fork-Source-Bucket` [+ `-Snapshot`] |
//! | [`merge`](Tigris::merge) | `PUT /<parent>` + `X-Tigris-Merge-Source-Bucket: <fork>` |
//! | [`rebase`](Tigris::rebase) | `PUT /<fork>` + `X-Tigris-Rebase: true` |
//! | [`force_delete_bucket`](Tigris::force_delete_bucket) | `DeleteBucket` + `Tigris-Force-Delete: true` |
//! | [`set_ttl`](Tigris::set_ttl) | `PutBucketLifecycleConfiguration` (expiration days) |
//! | [`create_access_key`](Tigris::create_access_key), [`delete_access_key`](Tigris::delete_access_key) | IAM `CreateAccessKeyWithBucketsRole`, `DeleteAccessKey` |
//!
//! Reading a bucket at a snapshot is a mount option, not an operation
//! here: [`S3Config::snapshot_version`].
//!
//! The workspace layer composes these and never hides a partial result:
//! a failed [`create_workspace`](Tigris::create_workspace) or
//! [`create_forks`](Tigris::create_forks) returns exactly what it made (in
//! a form the matching teardown takes), and a teardown lists exactly what
//! it could not remove.
//!
//! ```no_run
//! use wasm_agent_s3::tigris::{ForkOptions, Role, Tigris, WorkspaceOptions};
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // Endpoint, region and keys from TIGRIS_STORAGE_* (see S3Config::tigris).
//! let tigris = Tigris::from_env().await;
//! let options = WorkspaceOptions {
//!     snapshots: true,
//!     credentials: Some(Role::Editor),
//!     ..WorkspaceOptions::default()
//! };
//! let ws = tigris.create_workspace("agent-base-1", options).await?;
//! // ... the agent writes to ws.bucket with ws.credentials ...
//! let id = tigris.checkpoint(&ws.bucket, Some("step-1")).await?;
//! let forks = tigris.create_forks(&ws.bucket, 3, ForkOptions::default()).await?;
//! tigris.teardown_forks(&forks).await?;
//! let restored = tigris.restore(&ws.bucket, &id).await?;
//! tigris.force_delete_bucket(&restored).await?;
//! tigris.teardown_workspace(&ws).await?;
//! # Ok(())
//! # }
//! ```

mod buckets;
mod checkpoints;
mod error;
mod fork_set;
mod forks;
pub mod headers;
mod iam;
mod names;
mod snapshots;
mod teardown;
mod workspace;

pub use buckets::BucketInfo;
pub use error::{ErrorKind, TigrisError};
pub use fork_set::{CreateForksError, Fork, ForkOptions, ForkSet};
pub use iam::{AccessKey, Role, TIGRIS_IAM_ENDPOINT};
pub use snapshots::Snapshot;
pub use teardown::{Resource, TeardownError};
pub use workspace::{CreateWorkspaceError, Workspace, WorkspaceOptions};

use aws_sdk_s3::Client;

use crate::client::build_client;
use crate::config::S3Config;
use iam::Iam;

/// A client for Tigris' extensions; cheap to clone (clones share the
/// connection pools).
#[derive(Clone)]
pub struct Tigris {
    client: Client,
    iam: Iam,
    /// For `Debug` only.
    endpoint: Option<String>,
}

impl Tigris {
    /// A client for the endpoint and keys of `config` (its bucket and
    /// prefix are not used); IAM requests are signed with the same keys.
    /// Build `config` with [`S3Config::tigris`](crate::S3Config::tigris)
    /// for Tigris itself. The IAM endpoint comes from
    /// `TIGRIS_STORAGE_IAM_ENDPOINT` or `TIGRIS_IAM_ENDPOINT`, else
    /// [`TIGRIS_IAM_ENDPOINT`].
    pub async fn connect(config: &S3Config) -> Tigris {
        Tigris {
            client: build_client(config).await,
            iam: Iam::new(Iam::endpoint_from_env(), Some(config.credentials.clone())),
            endpoint: config.endpoint.clone(),
        }
    }

    /// A client for Tigris itself: endpoint, region and keys from the
    /// `TIGRIS_STORAGE_*` variables (see
    /// [`S3Config::tigris`](crate::S3Config::tigris)).
    pub async fn from_env() -> Tigris {
        Tigris::connect(&S3Config::new(String::new()).tigris()).await
    }

    /// Uses a ready SDK client. The SDK does not hand out its keys, so
    /// scoped-key operations (and workspaces or forks with credentials)
    /// need [`with_iam_credentials`](Tigris::with_iam_credentials); the
    /// IAM endpoint is chosen as in [`connect`](Tigris::connect).
    pub fn from_client(client: Client) -> Tigris {
        Tigris {
            client,
            iam: Iam::new(Iam::endpoint_from_env(), None),
            endpoint: None,
        }
    }

    /// Sends IAM requests (scoped keys) to `endpoint` instead.
    pub fn with_iam_endpoint(mut self, endpoint: impl Into<String>) -> Tigris {
        self.iam = self.iam.with_endpoint(endpoint.into());
        self
    }

    /// Signs IAM requests with `credentials` instead.
    pub fn with_iam_credentials(mut self, credentials: crate::Credentials) -> Tigris {
        self.iam = self.iam.with_credentials(credentials);
        self
    }

    /// The SDK client, for plain S3 calls on the same account.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

// Hand-written: the endpoints, never the keys.
impl std::fmt::Debug for Tigris {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tigris")
            .field("endpoint", &self.endpoint)
            .field("iam_endpoint", &self.iam.endpoint)
            .finish_non_exhaustive()
    }
}
