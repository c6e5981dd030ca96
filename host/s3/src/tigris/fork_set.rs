//! Fork sets: `n` forks of one base bucket, all at the same snapshot, one
//! per agent, each with an optional scoped key.

use std::fmt;
use std::time::SystemTime;

use tokio::task::JoinSet;

use super::error::TigrisError;
use super::iam::{AccessKey, Role};
use super::teardown::{Resource, TeardownError};
use super::{names, Tigris};

/// Forks created at once; more wait for one of these to finish.
const PARALLEL_FORKS: usize = 8;

/// How to make a fork set. The default: names `<base>-fork-<unix time>-<i>`,
/// no keys.
#[derive(Debug, Clone, Default)]
pub struct ForkOptions {
    /// Fork `i` is named `<prefix>-<i>` (`i` from 0). Default:
    /// `<base>-fork-<seconds since the epoch>`.
    pub prefix: Option<String>,
    /// Also create one access key per fork, usable on that fork only.
    pub credentials: Option<Role>,
}

/// One fork and its scoped key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fork {
    /// The fork's bucket.
    pub bucket: String,
    /// The key scoped to it, when one was asked for (and made).
    pub credentials: Option<AccessKey>,
}

/// Forks of `base`, all taken at snapshot `snapshot`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkSet {
    /// The bucket forked.
    pub base: String,
    /// The snapshot of the base every fork starts from.
    pub snapshot: String,
    /// The forks, in the order of their numbers.
    pub forks: Vec<Fork>,
}

/// A fork set that was not completed.
#[derive(Debug)]
pub struct CreateForksError {
    /// Everything that was made, ready for
    /// [`teardown_forks`](Tigris::teardown_forks). A fork whose bucket was
    /// made but whose key was not is listed with `credentials: None` (its
    /// failure is in `failures`). `None`: nothing was made (the snapshot
    /// of the base failed).
    pub created: Option<ForkSet>,
    /// Each fork (by bucket name; the base for its snapshot) that failed,
    /// and why.
    pub failures: Vec<(String, TigrisError)>,
    /// Forks not attempted because an earlier one failed.
    pub not_attempted: Vec<String>,
}

impl fmt::Display for CreateForksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.created {
            None => write!(f, "no forks were created:")?,
            Some(set) => {
                let made: Vec<&str> = set.forks.iter().map(|f| f.bucket.as_str()).collect();
                write!(
                    f,
                    "created {} fork(s) of '{}' at snapshot {} before failing: [{}] \
                     (teardown_forks on `created` removes them):",
                    made.len(),
                    set.base,
                    set.snapshot,
                    made.join(", ")
                )?;
            }
        }
        for (name, error) in &self.failures {
            let half_made = self
                .created
                .as_ref()
                .is_some_and(|set| set.forks.iter().any(|f| &f.bucket == name));
            if half_made {
                write!(f, "\n  {name}: bucket created, access key not: {error}")?;
            } else {
                write!(f, "\n  {name}: {error}")?;
            }
        }
        if !self.not_attempted.is_empty() {
            write!(f, "\n  not attempted: {}", self.not_attempted.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for CreateForksError {}

/// What one fork task ended with.
struct Outcome {
    index: usize,
    bucket: String,
    /// The fork if its bucket exists (with its key if that was made too).
    fork: Option<Fork>,
    error: Option<TigrisError>,
}

impl Tigris {
    /// Snapshots `base` once, then creates `count` forks of it at that
    /// snapshot (up to 8 at a time), each with a key if asked.
    ///
    /// Returns all `count` forks, or a [`CreateForksError`] that lists
    /// every bucket and key that was made, every fork that failed, and the
    /// forks not attempted after the first failure. Names are checked
    /// before any request.
    ///
    /// Dropping the returned future before it completes aborts the forks
    /// in flight: those may exist without being reported.
    pub async fn create_forks(
        &self,
        base: &str,
        count: usize,
        options: ForkOptions,
    ) -> Result<ForkSet, CreateForksError> {
        const OP: &str = "create forks of";
        let refuse = |error| CreateForksError {
            created: None,
            failures: vec![(base.to_owned(), error)],
            not_attempted: Vec::new(),
        };
        names::bucket(OP, base).map_err(refuse)?;
        if count == 0 {
            return Err(refuse(TigrisError::invalid(
                OP,
                base,
                "asked for 0 forks; ask for 1 or more",
            )));
        }
        let prefix = options.prefix.clone().unwrap_or_else(|| {
            let now = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            format!("{base}-fork-{now}")
        });
        let buckets: Vec<String> = (0..count).map(|i| format!("{prefix}-{i}")).collect();
        for name in &buckets {
            names::bucket(OP, name).map_err(|e| {
                refuse(
                    e.with_hint("choose a shorter prefix (bucket names hold 3 to 63 characters)"),
                )
            })?;
        }
        let snapshot = self.take_snapshot(base, None).await.map_err(refuse)?;

        let mut tasks = JoinSet::new();
        let mut queue = buckets.iter().enumerate();
        let mut outcomes = Vec::with_capacity(count);
        let mut failed = false;
        loop {
            while !failed && tasks.len() < PARALLEL_FORKS {
                let Some((index, bucket)) = queue.next() else {
                    break;
                };
                let (tigris, base, snapshot, bucket, role) = (
                    self.clone(),
                    base.to_owned(),
                    snapshot.clone(),
                    bucket.clone(),
                    options.credentials,
                );
                tasks.spawn(async move {
                    tigris
                        .make_fork(index, &base, &snapshot, bucket, role)
                        .await
                });
            }
            let Some(joined) = tasks.join_next().await else {
                break;
            };
            // A task only panics on a bug: re-raise it here, where the
            // caller would have seen it had the fork run inline.
            let outcome = joined.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
            failed |= outcome.error.is_some();
            outcomes.push(outcome);
        }
        outcomes.sort_by_key(|o| o.index);
        let attempted: Vec<usize> = outcomes.iter().map(|o| o.index).collect();
        let not_attempted: Vec<String> = buckets
            .iter()
            .enumerate()
            .filter(|(i, _)| !attempted.contains(i))
            .map(|(_, n)| n.clone())
            .collect();
        let mut forks = Vec::new();
        let mut failures = Vec::new();
        for outcome in outcomes {
            forks.extend(outcome.fork);
            if let Some(error) = outcome.error {
                failures.push((outcome.bucket, error));
            }
        }
        let set = ForkSet {
            base: base.to_owned(),
            snapshot,
            forks,
        };
        if failures.is_empty() {
            Ok(set)
        } else {
            Err(CreateForksError {
                created: Some(set),
                failures,
                not_attempted,
            })
        }
    }

    /// One fork at `snapshot`, then its key.
    async fn make_fork(
        &self,
        index: usize,
        base: &str,
        snapshot: &str,
        bucket: String,
        role: Option<Role>,
    ) -> Outcome {
        if let Err(error) = self.fork(base, &bucket, Some(snapshot)).await {
            return Outcome {
                index,
                bucket,
                fork: None,
                error: Some(error),
            };
        }
        let (credentials, error) = match self.provision_key(&bucket, role).await {
            Ok(key) => (key, None),
            Err(error) => (None, Some(error)),
        };
        Outcome {
            index,
            fork: Some(Fork {
                bucket: bucket.clone(),
                credentials,
            }),
            bucket,
            error,
        }
    }

    /// Removes every fork of `set`: each key revoked, each bucket force
    /// deleted. All are attempted; what is already gone counts as
    /// removed; the error lists exactly what is left.
    pub async fn teardown_forks(&self, set: &ForkSet) -> Result<(), TeardownError> {
        let mut failures: Vec<(Resource, TigrisError)> = Vec::new();
        for fork in &set.forks {
            self.remove(&fork.bucket, fork.credentials.as_ref(), &mut failures)
                .await;
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(TeardownError { failures })
        }
    }
}
