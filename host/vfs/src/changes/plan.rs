//! The read-only half of a merge: both sides' changes since the base,
//! per path, sorted into conflicts and the steps that apply theirs.
//!
//! Paths are visited in byte order, so a directory comes before everything
//! below it. Per path, with each side's change relative to the base:
//!
//! - both changed it: the same result (kind, and bytes or target) is no
//!   conflict and needs no step; anything else is a conflict;
//! - one side deleted or replaced a directory that the other side changed
//!   something below (added, modified, or kept where the first side
//!   deleted): a conflict at the directory;
//! - otherwise only theirs changed it: a step; only ours: nothing.
//!
//! A conflict covers its whole subtree: paths below it are not looked at
//! again, and under [`OnConflict::TakeTheirs`] the subtree is made equal to
//! theirs (a diff of ours against theirs there, applied as steps).

use super::compare::same_object;
use super::merge::{Conflict, ConflictReason, Edit, OnConflict};
use super::{diff, tree_order, Changes};
use crate::{Errno, FileType, Vfs, VfsError, VfsResult};
use std::collections::{BTreeMap, HashSet};

/// What a merge will do.
pub(super) struct Plan {
    /// Conflicting paths, in tree order.
    pub conflicts: Vec<Conflict>,
    /// Changes to make in ours, sorted by path.
    pub steps: Vec<Step>,
}

/// Make ours' object at `path`, now of kind `from`, what theirs has there:
/// an object of kind `to` (with theirs' bytes or target), or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Step {
    pub path: String,
    pub from: Option<FileType>,
    pub to: Option<FileType>,
}

/// One side's change at a path: the kind before (in the base) and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Delta {
    before: Option<FileType>,
    after: Option<FileType>,
}

impl Delta {
    /// The edit this change is, for a conflict report.
    fn edit(self) -> Edit {
        match (self.before, self.after) {
            (None, Some(kind)) => Edit::Added(kind),
            (Some(kind), None) => Edit::Deleted(kind),
            (Some(from), Some(to)) if from == to => Edit::Modified(from),
            (Some(from), Some(to)) => Edit::Replaced { from, to },
            (None, None) => Edit::Unchanged,
        }
    }

    /// True if this change took away a directory.
    fn removes_dir(self) -> bool {
        self.before == Some(FileType::Dir) && self.after != Some(FileType::Dir)
    }
}

/// Per-path changes of one side.
type Deltas = BTreeMap<String, Delta>;

/// A diff's lists as one change per path (a kind change is one deletion
/// and one addition at the same path).
fn deltas(changes: Changes) -> Deltas {
    let mut out = Deltas::new();
    for change in changes.deleted {
        out.insert(
            change.path,
            Delta {
                before: Some(change.kind),
                after: None,
            },
        );
    }
    for change in changes.added {
        out.entry(change.path)
            .or_insert(Delta {
                before: None,
                after: None,
            })
            .after = Some(change.kind);
    }
    for change in changes.modified {
        let kind = Some(change.kind);
        out.insert(
            change.path,
            Delta {
                before: kind,
                after: kind,
            },
        );
    }
    out
}

/// Compares both sides with the base and decides every changed path; see
/// the module docs.
pub(super) async fn plan(
    base: &dyn Vfs,
    ours: &dyn Vfs,
    theirs: &dyn Vfs,
    root: &str,
    on_conflict: OnConflict,
) -> VfsResult<Plan> {
    let our_deltas = deltas(diff(base, ours, root).await?);
    let their_deltas = deltas(diff(base, theirs, root).await?);
    let mut paths: Vec<&String> = our_deltas.keys().chain(their_deltas.keys()).collect();
    paths.sort_unstable();
    paths.dedup();

    let mut plan = Plan {
        conflicts: Vec::new(),
        steps: Vec::new(),
    };
    let mut conflicted: HashSet<&str> = HashSet::new();
    for path in paths {
        if has_conflicted_ancestor(path, &conflicted) {
            continue;
        }
        let conflict = match (our_deltas.get(path), their_deltas.get(path)) {
            (Some(ours_at), Some(theirs_at)) => {
                let same = ours_at.after == theirs_at.after
                    && match theirs_at.after {
                        None => true,
                        Some(kind) => same_object(ours, theirs, path, kind).await?,
                    };
                (!same).then(|| Conflict {
                    path: path.clone(),
                    ours: ours_at.edit(),
                    theirs: theirs_at.edit(),
                    reason: ConflictReason::BothChanged,
                })
            }
            (Some(ours_at), None) => {
                changed_below(path, *ours_at, &their_deltas).map(|below| Conflict {
                    path: path.clone(),
                    ours: ours_at.edit(),
                    theirs: Edit::Unchanged,
                    reason: ConflictReason::ChangedBelow { below },
                })
            }
            (None, Some(theirs_at)) => {
                let conflict = changed_below(path, *theirs_at, &our_deltas).map(|below| Conflict {
                    path: path.clone(),
                    ours: Edit::Unchanged,
                    theirs: theirs_at.edit(),
                    reason: ConflictReason::ChangedBelow { below },
                });
                if conflict.is_none() {
                    plan.steps.push(Step {
                        path: path.clone(),
                        from: theirs_at.before,
                        to: theirs_at.after,
                    });
                }
                conflict
            }
            (None, None) => None,
        };
        if let Some(conflict) = conflict {
            conflicted.insert(path);
            plan.conflicts.push(conflict);
        }
    }

    plan.conflicts.sort_by(|a, b| tree_order(&a.path, &b.path));
    if on_conflict == OnConflict::TakeTheirs {
        for conflict in &plan.conflicts {
            let changes = diff(ours, theirs, &conflict.path).await?;
            plan.steps
                .extend(deltas(changes).into_iter().map(|(path, d)| Step {
                    path,
                    from: d.before,
                    to: d.after,
                }));
        }
        plan.steps.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    }
    if let Some(step) = plan
        .steps
        .iter()
        .find(|s| s.to == Some(FileType::CharDevice))
    {
        return Err(VfsError::new(Errno::NotSup, "mknod", &step.path)
            .with_detail("theirs has a device file here, which a merge cannot create"));
    }
    Ok(plan)
}

/// If `change` took away the directory at `path` while the other side
/// changed something below it that still exists there, the first such
/// path.
fn changed_below(path: &str, change: Delta, other: &Deltas) -> Option<String> {
    if !change.removes_dir() {
        return None;
    }
    let prefix = format!("{path}/");
    other
        .range(prefix.clone()..)
        .take_while(|(below, _)| below.starts_with(&prefix))
        .find(|(_, delta)| delta.after.is_some())
        .map(|(below, _)| below.clone())
}

/// True if a directory above `path` is a conflict already.
fn has_conflicted_ancestor(path: &str, conflicted: &HashSet<&str>) -> bool {
    path.match_indices('/')
        .skip(1)
        .any(|(end, _)| conflicted.contains(&path[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Change;

    fn change(path: &str, kind: FileType) -> Change {
        Change {
            path: path.to_owned(),
            kind,
        }
    }

    #[test]
    fn a_kind_change_is_one_delta() {
        let d = deltas(Changes {
            added: vec![change("/x", FileType::Dir), change("/y", FileType::File)],
            modified: vec![change("/m", FileType::Symlink)],
            deleted: vec![change("/x", FileType::File)],
        });
        assert_eq!(
            d["/x"].edit(),
            Edit::Replaced {
                from: FileType::File,
                to: FileType::Dir
            }
        );
        assert_eq!(d["/y"].edit(), Edit::Added(FileType::File));
        assert_eq!(d["/m"].edit(), Edit::Modified(FileType::Symlink));
        assert!(!d["/x"].removes_dir());
    }

    #[test]
    fn changes_below_a_removed_directory_are_found_by_prefix() {
        let removed = Delta {
            before: Some(FileType::Dir),
            after: None,
        };
        let mut other = Deltas::new();
        let deleted = Delta {
            before: Some(FileType::File),
            after: None,
        };
        other.insert(
            "/d-x".into(),
            Delta {
                before: None,
                after: Some(FileType::File),
            },
        );
        other.insert("/d/a".into(), deleted);
        assert_eq!(changed_below("/d", removed, &other), None);
        other.insert(
            "/d/b/c".into(),
            Delta {
                before: None,
                after: Some(FileType::File),
            },
        );
        assert_eq!(
            changed_below("/d", removed, &other).as_deref(),
            Some("/d/b/c")
        );
    }

    #[test]
    fn ancestors_are_matched_by_whole_components() {
        let conflicted: HashSet<&str> = ["/a/b"].into_iter().collect();
        assert!(has_conflicted_ancestor("/a/b/c", &conflicted));
        assert!(!has_conflicted_ancestor("/a/bc", &conflicted));
        assert!(!has_conflicted_ancestor("/a/b", &conflicted));
        assert!(!has_conflicted_ancestor("/a", &conflicted));
    }
}
