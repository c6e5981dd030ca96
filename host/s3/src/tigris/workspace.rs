//! Workspaces: one bucket per agent, with an optional TTL, optional
//! snapshots and an optional key scoped to it.

use std::fmt;
use std::time::Duration;

use super::buckets::{check_ttl_days, ttl_on_snapshots};
use super::error::TigrisError;
use super::iam::{AccessKey, Role};
use super::teardown::{Resource, TeardownError};
use super::{names, Tigris};

/// Seconds in the day a lifecycle rule counts in.
const DAY: u64 = 24 * 60 * 60;

/// How to make a workspace. The default: a plain bucket, no TTL, no key.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceOptions {
    /// Objects expire this long after they were last written (a lifecycle
    /// rule). Rules count whole days, so this is rounded *up* to days;
    /// the workspace reports the days set. Refused with `snapshots`.
    pub ttl: Option<Duration>,
    /// Create the bucket snapshot-enabled, for checkpoints and forks.
    pub snapshots: bool,
    /// Also create an access key that may use only this bucket.
    pub credentials: Option<Role>,
}

/// A workspace bucket and its scoped key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The bucket.
    pub bucket: String,
    /// The key scoped to it, when one was asked for.
    pub credentials: Option<AccessKey>,
    /// Whether the bucket is snapshot-enabled.
    pub snapshots: bool,
    /// The TTL set, in whole days.
    pub ttl_days: Option<u32>,
}

/// A workspace that was not completed.
#[derive(Debug)]
pub struct CreateWorkspaceError {
    /// What was made before the failure (the bucket, possibly without its
    /// TTL or key): pass it to
    /// [`teardown_workspace`](Tigris::teardown_workspace) to remove it.
    /// `None`: nothing was created.
    pub created: Option<Workspace>,
    /// Why it failed.
    pub error: TigrisError,
}

impl fmt::Display for CreateWorkspaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if let Some(ws) = &self.created {
            write!(
                f,
                "\n{} was created and is still there; teardown_workspace removes it",
                Resource::Bucket(ws.bucket.clone())
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for CreateWorkspaceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl Tigris {
    /// Creates workspace bucket `name`: the bucket (snapshot-enabled if
    /// asked), then its TTL rule, then its key.
    ///
    /// Invalid options (bad name, TTL with snapshots, zero TTL) are
    /// refused before any request. A failure after the bucket exists
    /// returns what was made in [`CreateWorkspaceError::created`]; nothing
    /// is deleted behind the caller's back.
    pub async fn create_workspace(
        &self,
        name: &str,
        options: WorkspaceOptions,
    ) -> Result<Workspace, CreateWorkspaceError> {
        const OP: &str = "create workspace";
        let refuse = |error| CreateWorkspaceError {
            created: None,
            error,
        };
        names::bucket(OP, name).map_err(refuse)?;
        let ttl_days = match options.ttl {
            None => None,
            Some(_) if options.snapshots => return Err(refuse(ttl_on_snapshots(OP, name))),
            Some(ttl) => {
                let days = u32::try_from(whole_days(ttl)).unwrap_or(u32::MAX);
                check_ttl_days(OP, name, days).map_err(refuse)?;
                Some(days)
            }
        };
        let created = if options.snapshots {
            self.create_snapshot_bucket(name).await
        } else {
            self.create_bucket(name).await
        };
        created.map_err(refuse)?;
        let mut workspace = Workspace {
            bucket: name.to_owned(),
            credentials: None,
            snapshots: options.snapshots,
            ttl_days: None,
        };
        if let Some(days) = ttl_days {
            if let Err(error) = self.put_expiration(OP, name, days).await {
                return Err(CreateWorkspaceError {
                    created: Some(workspace),
                    error,
                });
            }
            workspace.ttl_days = Some(days);
        }
        match self.provision_key(name, options.credentials).await {
            Ok(key) => workspace.credentials = key,
            Err(error) => {
                return Err(CreateWorkspaceError {
                    created: Some(workspace),
                    error,
                })
            }
        }
        Ok(workspace)
    }

    /// Removes a workspace: revokes its key, then force deletes the bucket
    /// with everything in it. What is already gone counts as removed, so
    /// this can be called again after a partial failure.
    pub async fn teardown_workspace(&self, workspace: &Workspace) -> Result<(), TeardownError> {
        let mut failures = Vec::new();
        self.remove(
            &workspace.bucket,
            workspace.credentials.as_ref(),
            &mut failures,
        )
        .await;
        if failures.is_empty() {
            Ok(())
        } else {
            Err(TeardownError { failures })
        }
    }
}

/// `ttl` in days, rounded up (a part of a day counts as a day).
fn whole_days(ttl: Duration) -> u64 {
    let secs = ttl.as_secs() + u64::from(ttl.subsec_nanos() > 0);
    secs.div_ceil(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_round_up_to_days() {
        assert_eq!(whole_days(Duration::ZERO), 0);
        assert_eq!(whole_days(Duration::from_nanos(1)), 1);
        assert_eq!(whole_days(Duration::from_secs(DAY)), 1);
        assert_eq!(whole_days(Duration::from_secs(DAY + 1)), 2);
        assert_eq!(whole_days(Duration::from_secs(7 * DAY)), 7);
    }
}
