//! Removing what workspaces and forks made: revoke the key, then force
//! delete the bucket, and report everything that could not be removed.

use std::fmt;

use super::error::{ErrorKind, TigrisError};
use super::iam::{AccessKey, Role};
use super::Tigris;

/// Something an operation created on Tigris.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// A bucket.
    Bucket(String),
    /// An access key scoped to a bucket.
    AccessKey {
        /// The key's id.
        id: String,
        /// The bucket it was made for.
        bucket: String,
    },
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Bucket(name) => write!(f, "bucket '{name}'"),
            Resource::AccessKey { id, bucket } => {
                write!(f, "access key {id} (for bucket '{bucket}')")
            }
        }
    }
}

/// A teardown that could not remove everything. Whatever is not listed
/// was removed (or was already gone).
#[derive(Debug)]
pub struct TeardownError {
    /// What is left, and why each could not be removed.
    pub failures: Vec<(Resource, TigrisError)>,
}

impl fmt::Display for TeardownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "teardown left {} behind:", plural(self.failures.len()))?;
        for (resource, error) in &self.failures {
            write!(f, "\n  {resource}: {error}")?;
        }
        write!(f, "\nrun the teardown again to retry them")
    }
}

impl std::error::Error for TeardownError {}

/// "1 resource", "3 resources".
fn plural(n: usize) -> String {
    if n == 1 {
        "1 resource".into()
    } else {
        format!("{n} resources")
    }
}

impl Tigris {
    /// Creates the key for `bucket` when `role` asks for one: named
    /// `<bucket>-key`, scoped to that bucket only.
    pub(crate) async fn provision_key(
        &self,
        bucket: &str,
        role: Option<Role>,
    ) -> Result<Option<AccessKey>, TigrisError> {
        let Some(role) = role else { return Ok(None) };
        let name = format!("{bucket}-key");
        match self.create_access_key(&name, &[(bucket, role)]).await {
            Ok(key) => Ok(Some(key)),
            Err(err) if err.kind() == ErrorKind::Unavailable => Err(err.with_hint(format!(
                "if the request reached Tigris, a key named '{name}' may exist: \
                 delete it in the Tigris dashboard"
            ))),
            Err(err) => Err(err),
        }
    }

    /// Revokes `key` (if any), then force deletes `bucket`; a key or
    /// bucket that is already gone counts as removed. Failures are pushed
    /// onto `failures`; the bucket is deleted even when the revoke failed
    /// (the key then reaches nothing).
    pub(crate) async fn remove(
        &self,
        bucket: &str,
        key: Option<&AccessKey>,
        failures: &mut Vec<(Resource, TigrisError)>,
    ) {
        if let Some(key) = key {
            match self.delete_access_key(&key.id).await {
                Err(err) if err.kind() != ErrorKind::NotFound => failures.push((
                    Resource::AccessKey {
                        id: key.id.clone(),
                        bucket: bucket.to_owned(),
                    },
                    err,
                )),
                _ => {}
            }
        }
        match self.force_delete_bucket(bucket).await {
            Err(err) if err.kind() != ErrorKind::NotFound => {
                failures.push((Resource::Bucket(bucket.to_owned()), err))
            }
            _ => {}
        }
    }
}
