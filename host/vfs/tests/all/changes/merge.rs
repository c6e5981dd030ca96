//! What `merge` applies, what it calls a conflict, and what each conflict
//! mode leaves in ours.

use super::{run, Counted, Do};
use crate::support::{block_on, snapshot, Snap};
use std::collections::BTreeMap;
use std::sync::Arc;
use wasm_agent_vfs::{
    merge, ConflictReason, Edit, Errno, FileType, HostDirFs, MemFs, MergeError, MergeOptions,
    MergeReport, OnConflict, OverlayFs, Vfs,
};

/// `ours` after `setup` and `ours_edit`, `theirs` a fork of it after
/// `theirs_edit`, and a snapshot of the state both started from.
async fn three(setup: &[Do], ours_edit: &[Do], theirs_edit: &[Do]) -> (MemFs, MemFs, MemFs) {
    let ours = MemFs::new();
    run(&ours, setup).await;
    let base = ours.fork_mem();
    let theirs = ours.fork_mem();
    run(&ours, ours_edit).await;
    run(&theirs, theirs_edit).await;
    (base, ours, theirs)
}

fn options(on_conflict: OnConflict) -> MergeOptions {
    MergeOptions { on_conflict }
}

/// The contents of `fs` as `path=contents` lines (directories end in `/`,
/// symlinks show `-> target`), for readable expectations.
async fn listing(fs: &dyn Vfs) -> String {
    render(&snapshot(fs).await)
}

fn render(snap: &BTreeMap<String, Snap>) -> String {
    let mut out = String::new();
    for (path, snap) in snap {
        match snap {
            Snap::Dir => out.push_str(&format!("{path}/\n")),
            Snap::File(data) => {
                out.push_str(&format!("{path}={}\n", String::from_utf8_lossy(data)))
            }
            Snap::Symlink(target) => out.push_str(&format!("{path} -> {target}\n")),
        }
    }
    out
}

const SETUP: &[Do] = &[
    Do::File("/a", b"a"),
    Do::File("/b", b"b"),
    Do::File("/gone", b"g"),
    Do::File("/m/x", b"x"),
    Do::File("/m/y", b"y"),
];

#[test]
fn changes_on_both_sides_without_conflicts_all_arrive() {
    block_on(async {
        let (base, ours, theirs) = three(
            SETUP,
            &[Do::File("/b", b"ours"), Do::File("/mine", b"1")],
            &[
                Do::File("/a", b"theirs"),
                Do::File("/new/dir/f", b"2"),
                Do::Rm("/gone"),
                Do::Mv("/m", "/moved"),
                Do::Link("a", "/link"),
            ],
        )
        .await;
        let report = merge(&base, &ours, &theirs, "/", &MergeOptions::default())
            .await
            .unwrap();
        assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
        assert_eq!(
            report.applied.to_string(),
            "M /a\nD /gone\nA /link\nD /m/\nD /m/x\nD /m/y\nA /moved/\nA /moved/x\n\
             A /moved/y\nA /new/\nA /new/dir/\nA /new/dir/f\n"
        );
        assert_eq!(
            listing(&ours).await,
            "/a=theirs\n/b=ours\n/link -> a\n/mine=1\n/moved/\n/moved/x=x\n/moved/y=y\n\
             /new/\n/new/dir/\n/new/dir/f=2\n"
        );
    });
}

#[test]
fn identical_changes_are_no_conflict_and_not_applied_again() {
    block_on(async {
        let same = [
            Do::File("/a", b"same"),
            Do::Rm("/gone"),
            Do::Dir("/n"),
            Do::Rm("/b"),
            Do::Dir("/b"),
        ];
        let (base, ours, theirs) = three(SETUP, &same, &same).await;
        let report = merge(&base, &ours, &theirs, "/", &options(OnConflict::Fail))
            .await
            .unwrap();
        assert_eq!(report, MergeReport::default());
        assert_eq!(snapshot(&ours).await, snapshot(&theirs).await);
    });
}

/// Both modify `/a` differently; ours modifies `/b`, which theirs deletes;
/// theirs modifies `/gone`, which ours deletes; theirs also adds `/ok`.
async fn conflicting() -> (MemFs, MemFs, MemFs) {
    three(
        SETUP,
        &[
            Do::File("/a", b"ours"),
            Do::File("/b", b"ours"),
            Do::Rm("/gone"),
        ],
        &[
            Do::File("/a", b"theirs"),
            Do::Rm("/b"),
            Do::File("/gone", b"theirs"),
            Do::File("/ok", b"ok"),
        ],
    )
    .await
}

const CONFLICTS: &str = "/a: modified (file) in ours, modified (file) in theirs\n\
     /b: modified (file) in ours, deleted (file) in theirs\n\
     /gone: deleted (file) in ours, modified (file) in theirs\n";

fn lines<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| format!("{}\n", i.to_string()))
        .collect()
}

#[test]
fn keep_ours_applies_the_rest_and_lists_the_conflicts() {
    block_on(async {
        let (base, ours, theirs) = conflicting().await;
        let report = merge(&base, &ours, &theirs, "/", &options(OnConflict::KeepOurs))
            .await
            .unwrap();
        assert_eq!(lines(&report.conflicts), CONFLICTS);
        assert_eq!(report.applied.to_string(), "A /ok\n");
        assert_eq!(
            listing(&ours).await,
            "/a=ours\n/b=ours\n/m/\n/m/x=x\n/m/y=y\n/ok=ok\n"
        );
    });
}

#[test]
fn take_theirs_makes_conflicting_paths_theirs() {
    block_on(async {
        let (base, ours, theirs) = conflicting().await;
        let report = merge(&base, &ours, &theirs, "/", &options(OnConflict::TakeTheirs))
            .await
            .unwrap();
        assert_eq!(lines(&report.conflicts), CONFLICTS);
        assert_eq!(report.applied.to_string(), "M /a\nD /b\nA /gone\nA /ok\n");
        assert_eq!(snapshot(&ours).await, snapshot(&theirs).await);
    });
}

#[test]
fn fail_applies_nothing_when_anything_conflicts() {
    block_on(async {
        let (base, ours, theirs) = conflicting().await;
        let before = snapshot(&ours).await;
        let err = merge(&base, &ours, &theirs, "/", &options(OnConflict::Fail))
            .await
            .unwrap_err();
        let MergeError::Conflicts(conflicts) = &err else {
            panic!("expected conflicts, got {err:?}");
        };
        assert_eq!(lines(conflicts), CONFLICTS);
        assert_eq!(snapshot(&ours).await, before, "/ok must not be applied");
        assert!(err
            .to_string()
            .starts_with("merge: 3 conflicts, nothing was applied\n  /a:"));
    });
}

#[test]
fn a_removed_directory_conflicts_with_changes_below_it() {
    block_on(async {
        // Ours deletes /m; theirs adds a file in it.
        let (base, ours, theirs) = three(SETUP, &[Do::Rm("/m")], &[Do::File("/m/new", b"n")]).await;
        let report = merge(&base, &ours, &theirs, "/", &MergeOptions::default())
            .await
            .unwrap();
        let [conflict] = &report.conflicts[..] else {
            panic!("{:?}", report.conflicts);
        };
        assert_eq!(conflict.path, "/m");
        assert_eq!(
            (conflict.ours, conflict.theirs),
            (Edit::Deleted(FileType::Dir), Edit::Unchanged)
        );
        assert_eq!(
            conflict.reason,
            ConflictReason::ChangedBelow {
                below: "/m/new".into()
            }
        );
        assert!(report.applied.is_empty());
        assert!(!ours.exists("/m").await);

        // Taking theirs brings back the whole directory as theirs has it.
        let report = merge(&base, &ours, &theirs, "/", &options(OnConflict::TakeTheirs))
            .await
            .unwrap();
        assert_eq!(
            report.applied.to_string(),
            "A /m/\nA /m/new\nA /m/x\nA /m/y\n"
        );
        assert_eq!(snapshot(&ours).await, snapshot(&theirs).await);

        // The mirror case: theirs replaces /m by a file, ours adds to /m.
        let (base, ours, theirs) = three(
            SETUP,
            &[Do::File("/m/mine", b"1")],
            &[Do::Rm("/m"), Do::File("/m", b"file")],
        )
        .await;
        let report = merge(&base, &ours, &theirs, "/", &MergeOptions::default())
            .await
            .unwrap();
        assert_eq!(
            lines(&report.conflicts),
            "/m: replaced (directory by file) in theirs, but ours changed /m/mine below it\n"
        );
        assert_eq!(
            listing(&ours).await,
            "/a=a\n/b=b\n/gone=g\n/m/\n/m/mine=1\n/m/x=x\n/m/y=y\n"
        );
        merge(&base, &ours, &theirs, "/", &options(OnConflict::TakeTheirs))
            .await
            .unwrap();
        assert_eq!(listing(&ours).await, "/a=a\n/b=b\n/gone=g\n/m=file\n");
    });
}

#[test]
fn deleting_what_the_other_side_also_deleted_is_no_conflict() {
    block_on(async {
        let (base, ours, theirs) = three(SETUP, &[Do::Rm("/m/x")], &[Do::Rm("/m")]).await;
        let report = merge(&base, &ours, &theirs, "/", &options(OnConflict::Fail))
            .await
            .unwrap();
        assert_eq!(report.applied.to_string(), "D /m/\nD /m/y\n");
        assert!(!ours.exists("/m").await);
    });
}

#[test]
fn kind_changes_from_theirs_are_applied() {
    block_on(async {
        let (base, ours, theirs) = three(
            &[
                Do::File("/f", b"f"),
                Do::File("/d/x", b"x"),
                Do::File("/d/sub/y", b"y"),
                Do::Link("f", "/l"),
                Do::File("/t", b"t"),
            ],
            &[],
            &[
                Do::Rm("/f"),
                Do::File("/f/inside", b"i"),
                Do::Rm("/d"),
                Do::Link("f", "/d"),
                Do::Rm("/l"),
                Do::File("/l", b"was a link"),
                Do::Rm("/t"),
                Do::Link("f/inside", "/t"),
            ],
        )
        .await;
        let report = merge(&base, &ours, &theirs, "/", &options(OnConflict::Fail))
            .await
            .unwrap();
        assert_eq!(snapshot(&ours).await, snapshot(&theirs).await);
        assert_eq!(
            report.applied.to_string(),
            "D /d/\nA /d\nD /d/sub/\nD /d/sub/y\nD /d/x\nD /f\nA /f/\nA /f/inside\n\
             D /l\nA /l\nD /t\nA /t\n"
        );
    });
}

#[test]
fn new_files_keep_theirs_permission_bits() {
    block_on(async {
        let (base, ours, theirs) = three(
            SETUP,
            &[],
            &[
                Do::File("/run.sh", b"#!/bin/sh\n"),
                Do::Mode("/run.sh", 0o755),
                Do::Dir("/private"),
                Do::Mode("/private", 0o700),
            ],
        )
        .await;
        merge(&base, &ours, &theirs, "/", &MergeOptions::default())
            .await
            .unwrap();
        assert_eq!(ours.metadata("/run.sh").await.unwrap().mode, 0o755);
        assert_eq!(ours.metadata("/private").await.unwrap().mode, 0o700);
    });
}

#[test]
fn merges_into_an_overlay_over_a_host_directory() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        run(&HostDirFs::new(dir.path()).unwrap(), SETUP).await;
        let on_disk = snapshot(&HostDirFs::new(dir.path()).unwrap()).await;
        let ours = OverlayFs::new(Arc::new(HostDirFs::read_only(dir.path()).unwrap()));
        let base = ours.fork_overlay();
        let theirs = ours.fork_overlay();
        run(&ours, &[Do::File("/b", b"ours")]).await;
        run(
            &theirs,
            &[
                Do::File("/a", b"theirs"),
                Do::Rm("/m"),
                Do::File("/m", b"now a file"),
                Do::File("/new/f", b"n"),
                Do::Rm("/b"),
            ],
        )
        .await;
        let report = merge(&base, &ours, &theirs, "/", &MergeOptions::default())
            .await
            .unwrap();
        assert_eq!(
            lines(&report.conflicts),
            "/b: modified (file) in ours, deleted (file) in theirs\n"
        );
        assert_eq!(
            listing(&ours).await,
            "/a=theirs\n/b=ours\n/gone=g\n/m=now a file\n/new/\n/new/f=n\n"
        );
        // The overlay kept every change in memory.
        assert_eq!(
            snapshot(&HostDirFs::new(dir.path()).unwrap()).await,
            on_disk
        );
    });
}

#[test]
fn merges_through_the_generic_walk_alike() {
    block_on(async {
        let (base, ours, theirs) = conflicting().await;
        let wrap = |fs: &MemFs| Counted::generic(Arc::new(fs.clone()));
        let report = merge(
            &wrap(&base),
            &wrap(&ours),
            &wrap(&theirs),
            "/",
            &options(OnConflict::TakeTheirs),
        )
        .await
        .unwrap();
        assert_eq!(lines(&report.conflicts), CONFLICTS);
        assert_eq!(snapshot(&ours).await, snapshot(&theirs).await);
    });
}

#[test]
fn an_apply_failure_names_its_path_and_what_was_done() {
    block_on(async {
        // Ours has room for the directory but not for the big file.
        let ours = MemFs::with_quota(4096);
        let base = ours.fork_mem();
        let theirs = MemFs::new();
        run(
            &theirs,
            &[Do::File("/dir/small", b"s"), Do::File("/big", &[7; 8192])],
        )
        .await;
        let err = merge(&base, &ours, &theirs, "/", &MergeOptions::default())
            .await
            .unwrap_err();
        let MergeError::Apply { error, report } = &err else {
            panic!("expected an apply error, got {err:?}");
        };
        assert_eq!((error.errno(), error.path()), (Errno::NoSpc, "/big"));
        assert_eq!(report.applied.to_string(), "A /dir/\n");
        assert!(!ours.exists("/big").await, "no half-written file is left");
        assert!(err.to_string().contains("'/big'"), "{err}");
    });
}
