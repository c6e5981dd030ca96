//! [`merge`]: what it reports and how it fails.

use super::{apply, plan, Changes};
use crate::{FileType, Vfs, VfsError};
use std::fmt;

/// What [`merge`] does with a conflicting path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnConflict {
    /// Leave the path (and everything below it) as in ours, apply the
    /// other changes, and list the conflict. The default.
    #[default]
    KeepOurs,
    /// Make the path (and everything below it) what it is in theirs, and
    /// list the conflict.
    TakeTheirs,
    /// Apply nothing at all if there is any conflict: all conflicts are
    /// found before the first write, and returned as
    /// [`MergeError::Conflicts`].
    Fail,
}

/// Options of [`merge`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeOptions {
    /// What to do at a conflicting path; default [`OnConflict::KeepOurs`].
    pub on_conflict: OnConflict,
}

/// What one side did at a path, relative to the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The path itself is as in the base (the side changed something below
    /// it).
    Unchanged,
    /// Created an object of this kind.
    Added(FileType),
    /// Changed a file's bytes or a symlink's target.
    Modified(FileType),
    /// Removed an object of this kind.
    Deleted(FileType),
    /// Replaced an object by one of another kind.
    Replaced {
        /// The kind in the base.
        from: FileType,
        /// The kind now.
        to: FileType,
    },
}

/// Why a path is a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConflictReason {
    /// Both sides changed the path, and not in the same way.
    BothChanged,
    /// One side deleted or replaced the directory at the path while the
    /// other side changed `below`, a path under it.
    ChangedBelow {
        /// The first path under the directory the other side changed.
        below: String,
    },
}

/// A path both sides changed incompatibly since the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The absolute path; what [`OnConflict`] decides covers everything
    /// below it too.
    pub path: String,
    /// What ours did at the path.
    pub ours: Edit,
    /// What theirs did at the path.
    pub theirs: Edit,
    /// Why the two cannot both be kept.
    pub reason: ConflictReason,
}

/// What a successful [`merge`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// The changes made to ours, as [`diff`](super::diff) of ours before
    /// and after the merge would list them. Changes theirs shares with ours
    /// already are not repeated here.
    pub applied: Changes,
    /// Conflicting paths in tree order, resolved as [`MergeOptions::on_conflict`]
    /// says.
    pub conflicts: Vec<Conflict>,
}

/// Why [`merge`] failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MergeError {
    /// Comparing the trees failed, or theirs holds something no backend
    /// can create (a device file). Nothing was applied.
    Prepare(VfsError),
    /// [`OnConflict::Fail`] and there were conflicts (in tree order).
    /// Nothing was applied.
    Conflicts(Vec<Conflict>),
    /// Writing to ours failed at `error.path()`. Ours is partly merged:
    /// `report.applied` lists what was done before the failure,
    /// `report.conflicts` what was found. Fix the cause and merge again: what was applied is no longer
    /// a change, the rest is.
    Apply {
        /// The failed operation, with the path in ours.
        error: VfsError,
        /// What was applied and found before the failure.
        report: MergeReport,
    },
}

/// Writes into `ours` what `theirs` changed since `base`, below `root` (an
/// absolute, normalised path).
///
/// Both sides are compared with `base` ([`diff`](super::diff)); a path only
/// theirs changed is applied, a path only ours changed is kept, a path both
/// changed the same way (same kind, same bytes or target) is left alone.
/// Conflicts ([`Conflict`]) are paths both changed differently (content,
/// kind, delete against modify) and directories one side removed or
/// replaced while the other changed something below them; they are
/// resolved by `options`. Every conflict is found before anything is
/// written.
///
/// Changes are applied in an order that never loses data if it stops half
/// way: directories are created parents first, then files and symlinks are
/// written (a file from theirs is streamed, not loaded whole), then files
/// and symlinks are deleted, then directories are removed deepest first,
/// and last directories that theirs replaced by a file or symlink.
///
/// Neither `ours` nor `theirs` may change while the merge runs (merge
/// from a snapshot of a live fork); `base` is typically a snapshot taken
/// when `theirs` was forked from `ours`.
pub async fn merge(
    base: &dyn Vfs,
    ours: &dyn Vfs,
    theirs: &dyn Vfs,
    root: &str,
    options: &MergeOptions,
) -> Result<MergeReport, MergeError> {
    let plan = plan::plan(base, ours, theirs, root, options.on_conflict)
        .await
        .map_err(MergeError::Prepare)?;
    if options.on_conflict == OnConflict::Fail && !plan.conflicts.is_empty() {
        return Err(MergeError::Conflicts(plan.conflicts));
    }
    match apply::apply(ours, theirs, &plan.steps).await {
        Ok(applied) => Ok(MergeReport {
            applied,
            conflicts: plan.conflicts,
        }),
        Err((error, applied)) => Err(MergeError::Apply {
            error,
            report: MergeReport {
                applied,
                conflicts: plan.conflicts,
            },
        }),
    }
}

impl fmt::Display for Edit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edit::Unchanged => f.write_str("unchanged"),
            Edit::Added(kind) => write!(f, "added ({})", kind_name(*kind)),
            Edit::Modified(kind) => write!(f, "modified ({})", kind_name(*kind)),
            Edit::Deleted(kind) => write!(f, "deleted ({})", kind_name(*kind)),
            Edit::Replaced { from, to } => {
                write!(f, "replaced ({} by {})", kind_name(*from), kind_name(*to))
            }
        }
    }
}

/// The word a message uses for a kind of object.
fn kind_name(kind: FileType) -> &'static str {
    match kind {
        FileType::File => "file",
        FileType::Dir => "directory",
        FileType::Symlink => "symlink",
        FileType::CharDevice => "device",
    }
}

/// `/a/f: modified (file) in ours, deleted (file) in theirs`; for a
/// directory conflict the side that changed below it is named by the path
/// it changed.
impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            ConflictReason::BothChanged => write!(
                f,
                "{}: {} in ours, {} in theirs",
                self.path, self.ours, self.theirs
            ),
            ConflictReason::ChangedBelow { below } => {
                let (removed, side, other) = if self.ours == Edit::Unchanged {
                    (self.theirs, "theirs", "ours")
                } else {
                    (self.ours, "ours", "theirs")
                };
                write!(
                    f,
                    "{}: {removed} in {side}, but {other} changed {below} below it",
                    self.path
                )
            }
        }
    }
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Prepare(error) => {
                write!(f, "merge: {error}; nothing was applied")
            }
            MergeError::Conflicts(conflicts) => {
                write!(
                    f,
                    "merge: {} conflict{}, nothing was applied",
                    conflicts.len(),
                    if conflicts.len() == 1 { "" } else { "s" }
                )?;
                for conflict in conflicts {
                    write!(f, "\n  {conflict}")?;
                }
                Ok(())
            }
            MergeError::Apply { error, report } => write!(
                f,
                "merge: {error}; ours is partly merged ({} change{} applied before the \
                 failure), merge again once the cause is fixed",
                report.applied.len(),
                if report.applied.len() == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for MergeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MergeError::Prepare(error) | MergeError::Apply { error, .. } => Some(error),
            MergeError::Conflicts(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_read_as_sentences() {
        let both = Conflict {
            path: "/a/f".into(),
            ours: Edit::Modified(FileType::File),
            theirs: Edit::Deleted(FileType::File),
            reason: ConflictReason::BothChanged,
        };
        assert_eq!(
            both.to_string(),
            "/a/f: modified (file) in ours, deleted (file) in theirs"
        );
        let below = Conflict {
            path: "/d".into(),
            ours: Edit::Unchanged,
            theirs: Edit::Replaced {
                from: FileType::Dir,
                to: FileType::File,
            },
            reason: ConflictReason::ChangedBelow {
                below: "/d/x".into(),
            },
        };
        assert_eq!(
            below.to_string(),
            "/d: replaced (directory by file) in theirs, but ours changed /d/x below it"
        );
        let error = MergeError::Conflicts(vec![both, below]);
        assert_eq!(
            error.to_string().lines().next(),
            Some("merge: 2 conflicts, nothing was applied")
        );
    }
}
