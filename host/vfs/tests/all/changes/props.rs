//! Random operations (the agreement suite's generator) on forks, checked
//! against oracles computed from whole-tree snapshots:
//!
//! - `diff` lists exactly the paths whose snapshots differ, on the fast
//!   path and through the generic walk;
//! - merging a fork into its untouched parent makes the parent equal to
//!   the fork;
//! - merging two forks that both changed: no conflict is missed (a path
//!   both changed differently is always under a reported conflict), every
//!   reported conflict is real, and every other path ends up as the side
//!   that changed it left it.

use super::Counted;
use crate::agreement::{apply, op, Op, Slots};
use crate::support::{block_on, cases, seed, snapshot, Snap};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use wasm_agent_vfs::{
    diff, merge, Change, Changes, Conflict, ConflictReason, FileType, HostDirFs, MemFs,
    MergeOptions, OnConflict, OverlayFs, Vfs,
};

type Tree = BTreeMap<String, Snap>;

fn ops(max: usize) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 0..max)
}

async fn run_ops(fs: &dyn Vfs, ops: &[Op]) {
    let mut slots = Slots::default();
    for op in ops {
        apply(fs, &mut slots, op).await;
    }
}

fn kind(snap: &Snap) -> FileType {
    match snap {
        Snap::Dir => FileType::Dir,
        Snap::File(_) => FileType::File,
        Snap::Symlink(_) => FileType::Symlink,
    }
}

/// The diff the module docs define, from two snapshots.
fn expected_diff(base: &Tree, other: &Tree) -> Changes {
    let mut out = Changes::default();
    let paths: BTreeSet<&String> = base.keys().chain(other.keys()).collect();
    let change = |path: &str, snap: &Snap| Change {
        path: path.to_owned(),
        kind: kind(snap),
    };
    for path in paths {
        match (base.get(path), other.get(path)) {
            (Some(b), None) => out.deleted.push(change(path, b)),
            (None, Some(o)) => out.added.push(change(path, o)),
            (Some(b), Some(o)) if kind(b) != kind(o) => {
                out.deleted.push(change(path, b));
                out.added.push(change(path, o));
            }
            (Some(b), Some(o)) if b != o => out.modified.push(change(path, b)),
            _ => {}
        }
    }
    // Tree order: component by component.
    for list in [&mut out.added, &mut out.modified, &mut out.deleted] {
        list.sort_by(|a, b| a.path.split('/').cmp(b.path.split('/')));
    }
    out
}

/// True if `path` is `root` or below it.
fn within(path: &str, root: &str) -> bool {
    path == root
        || path
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Checks a two-sided merge result against the snapshots it started from.
fn check_merge(
    base: &Tree,
    ours: &Tree,
    theirs: &Tree,
    merged: &Tree,
    conflicts: &[Conflict],
    on_conflict: OnConflict,
) -> Result<(), TestCaseError> {
    let conflicted = |path: &str| conflicts.iter().any(|c| within(path, &c.path));
    for c in conflicts {
        let (b, o, t) = (base.get(&c.path), ours.get(&c.path), theirs.get(&c.path));
        match &c.reason {
            ConflictReason::BothChanged => {
                prop_assert!(o != b && t != b && o != t, "not a conflict: {}", c);
            }
            ConflictReason::ChangedBelow { below } => {
                prop_assert_eq!(b, Some(&Snap::Dir), "{}", c);
                let (removed, other) = if o != Some(&Snap::Dir) {
                    (o, theirs)
                } else {
                    (t, ours)
                };
                prop_assert!(removed != Some(&Snap::Dir), "{}", c);
                prop_assert!(within(below, &c.path), "{}", c);
                prop_assert!(other.contains_key(below), "{}", c);
                prop_assert!(other.get(below) != base.get(below), "{}", c);
            }
        }
    }
    let paths: BTreeSet<&String> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    let mut expected = Tree::new();
    for path in paths {
        let (b, o, t) = (base.get(path), ours.get(path), theirs.get(path));
        let result = if conflicted(path) {
            if on_conflict == OnConflict::TakeTheirs {
                t
            } else {
                o
            }
        } else {
            prop_assert!(
                !(o != b && t != b && o != t),
                "missed conflict at {}: base {:?}, ours {:?}, theirs {:?}",
                path,
                b,
                o,
                t
            );
            if t != b {
                t
            } else {
                o
            }
        };
        if let Some(snap) = result {
            expected.insert(path.clone(), snap.clone());
        }
    }
    prop_assert_eq!(merged, &expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(96)))]

    #[test]
    fn diff_lists_exactly_what_snapshots_show(edits in ops(24)) {
        block_on(async {
            let base = MemFs::new();
            seed(&base).await;
            let fork = base.fork_mem();
            run_ops(&fork, &edits).await;
            let expected = expected_diff(&snapshot(&base).await, &snapshot(&fork).await);
            let fast = diff(&base, &fork, "/").await.unwrap();
            prop_assert_eq!(&fast, &expected);
            let generic = diff(
                &Counted::generic(Arc::new(base)),
                &Counted::generic(Arc::new(fork)),
                "/",
            )
            .await
            .unwrap();
            prop_assert_eq!(&generic, &expected);
            Ok(())
        })?;
    }

    #[test]
    fn merging_a_fork_into_its_untouched_parent_reproduces_it(edits in ops(24)) {
        block_on(async {
            let parent = MemFs::new();
            seed(&parent).await;
            let base = parent.fork_mem();
            let fork = parent.fork_mem();
            run_ops(&fork, &edits).await;
            let report = merge(&base, &parent, &fork, "/", &MergeOptions {
                on_conflict: OnConflict::Fail,
            })
            .await
            .unwrap();
            prop_assert!(report.conflicts.is_empty());
            prop_assert_eq!(snapshot(&parent).await, snapshot(&fork).await);
            // Nothing is left to merge.
            prop_assert!(diff(&parent, &fork, "/").await.unwrap().is_empty());
            Ok(())
        })?;
    }

    #[test]
    fn merging_overlay_forks_over_a_host_directory_reproduces_them(edits in ops(16)) {
        block_on(async {
            let dir = tempfile::tempdir().unwrap();
            seed(&HostDirFs::new(dir.path()).unwrap()).await;
            let parent = OverlayFs::new(Arc::new(HostDirFs::read_only(dir.path()).unwrap()));
            let base = parent.fork_overlay();
            let fork = parent.fork_overlay();
            run_ops(&fork, &edits).await;
            let report = merge(&base, &parent, &fork, "/", &MergeOptions {
                on_conflict: OnConflict::Fail,
            })
            .await
            .unwrap();
            prop_assert!(report.conflicts.is_empty());
            prop_assert_eq!(snapshot(&parent).await, snapshot(&fork).await);
            Ok(())
        })?;
    }

    #[test]
    fn two_sided_merges_agree_with_the_path_oracle(
        ours_edits in ops(16),
        theirs_edits in ops(16),
        take_theirs in any::<bool>(),
    ) {
        block_on(async {
            let ours = MemFs::new();
            seed(&ours).await;
            let base = ours.fork_mem();
            let theirs = ours.fork_mem();
            run_ops(&ours, &ours_edits).await;
            run_ops(&theirs, &theirs_edits).await;
            let on_conflict = if take_theirs {
                OnConflict::TakeTheirs
            } else {
                OnConflict::KeepOurs
            };
            let (b, o, t) = (
                snapshot(&base).await,
                snapshot(&ours).await,
                snapshot(&theirs).await,
            );
            let report = merge(&base, &ours, &theirs, "/", &MergeOptions { on_conflict })
                .await
                .unwrap();
            check_merge(&b, &o, &t, &snapshot(&ours).await, &report.conflicts, on_conflict)
        })?;
    }
}
