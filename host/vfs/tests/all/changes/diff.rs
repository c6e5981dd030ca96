//! What `diff` reports, the same on every backend pairing, and what the
//! generic walk reads to decide it.

use super::{run, Counted, Do};
use crate::support::block_on;
use std::sync::Arc;
use tempfile::TempDir;
use wasm_agent_vfs::{diff, Errno, HostDirFs, MemFs, OverlayFs, Vfs};

/// Two trees that went through the same `setup`, the second then through
/// `edit`, on one kind of backend.
struct Pair {
    name: &'static str,
    base: Arc<dyn Vfs>,
    other: Arc<dyn Vfs>,
    _dirs: Vec<TempDir>,
}

/// The pairings every expectation is checked on: a memory fork (fast
/// path), the same trees through the generic walk, two host directories,
/// and two overlay forks over one host directory.
async fn pairs(setup: &[Do], edit: &[Do]) -> Vec<Pair> {
    let base = MemFs::new();
    run(&base, setup).await;
    let other = base.fork_mem();
    run(&other, edit).await;
    let mut out = vec![
        Pair {
            name: "memory fork",
            base: Arc::new(base.clone()),
            other: Arc::new(other.clone()),
            _dirs: Vec::new(),
        },
        Pair {
            name: "memory fork, generic walk",
            base: Arc::new(Counted::generic(Arc::new(base))),
            other: Arc::new(Counted::generic(Arc::new(other))),
            _dirs: Vec::new(),
        },
    ];

    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (base, other) = (
        HostDirFs::new(a.path()).unwrap(),
        HostDirFs::new(b.path()).unwrap(),
    );
    run(&base, setup).await;
    run(&other, setup).await;
    run(&other, edit).await;
    out.push(Pair {
        name: "host directories",
        base: Arc::new(base),
        other: Arc::new(other),
        _dirs: vec![a, b],
    });

    let lower = tempfile::tempdir().unwrap();
    run(&HostDirFs::new(lower.path()).unwrap(), setup).await;
    let base = OverlayFs::new(Arc::new(HostDirFs::read_only(lower.path()).unwrap()));
    let other = base.fork_overlay();
    run(&other, edit).await;
    out.push(Pair {
        name: "overlay forks over a host directory",
        base: Arc::new(base),
        other: Arc::new(other),
        _dirs: vec![lower],
    });
    out
}

/// `diff(base, other, root)` prints `expected` on every pairing.
fn check(setup: &[Do], edit: &[Do], root: &str, expected: &str) {
    block_on(async {
        for pair in pairs(setup, edit).await {
            let changes = diff(&*pair.base, &*pair.other, root)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", pair.name));
            assert_eq!(changes.to_string(), expected, "{}", pair.name);
        }
    });
}

#[test]
fn files_added_modified_and_deleted() {
    check(
        &[
            Do::File("/keep", b"k"),
            Do::File("/grown", b"old"),
            Do::File("/same-size", b"abc"),
            Do::File("/gone", b"d"),
        ],
        &[
            Do::File("/grown", b"older"),
            Do::File("/same-size", b"abd"),
            Do::Rm("/gone"),
            Do::File("/new", b""),
            // Rewritten with the same bytes: no change.
            Do::File("/keep", b"k"),
        ],
        "/",
        "D /gone\nM /grown\nA /new\nM /same-size\n",
    );
}

#[test]
fn directories_are_listed_with_everything_below_them() {
    check(
        &[
            Do::File("/d/e/f", b"f"),
            Do::File("/d/g", b"g"),
            Do::Dir("/old-empty"),
            Do::File("/kept/x", b"x"),
        ],
        &[
            Do::Rm("/d"),
            Do::Rm("/old-empty"),
            Do::Dir("/new-empty"),
            Do::File("/new/deep/file", b"1"),
            Do::Rm("/kept/x"),
        ],
        "/",
        "D /d/\nD /d/e/\nD /d/e/f\nD /d/g\nD /kept/x\nA /new/\nA /new/deep/\n\
         A /new/deep/file\nA /new-empty/\nD /old-empty/\n",
    );
}

#[test]
fn symlinks_are_compared_by_target_and_never_followed() {
    check(
        &[
            Do::File("/t/x", b"1"),
            Do::Link("t", "/to-dir"),
            Do::Link("a", "/retargeted"),
            Do::Link("missing", "/dangling"),
        ],
        &[
            // Through the link: only the real path changes.
            Do::File("/to-dir/x", b"2"),
            Do::Rm("/retargeted"),
            Do::Link("b", "/retargeted"),
            Do::Link("t/x", "/new-link"),
        ],
        "/",
        "A /new-link\nM /retargeted\nM /t/x\n",
    );
}

#[test]
fn a_kind_change_is_a_deletion_and_an_addition() {
    check(
        &[
            Do::File("/f", b"file"),
            Do::File("/d/x", b"x"),
            Do::Link("f", "/l"),
        ],
        &[
            Do::Rm("/f"),
            Do::File("/f/y", b"y"),
            Do::Rm("/d"),
            Do::File("/d", b"now a file"),
            Do::Rm("/l"),
            Do::Dir("/l"),
        ],
        "/",
        "D /d/\nA /d\nD /d/x\nD /f\nA /f/\nA /f/y\nD /l\nA /l/\n",
    );
}

#[test]
fn the_root_limits_the_walk_and_is_compared_itself() {
    let setup = [Do::File("/in/a", b"a"), Do::File("/out", b"o")];
    let edit = [Do::File("/in/a", b"b"), Do::File("/out", b"p")];
    check(&setup, &edit, "/in", "M /in/a\n");
    check(&setup, &edit, "/in/a", "M /in/a\n");
    check(&setup, &[Do::Rm("/in")], "/in", "D /in/\nD /in/a\n");
    check(
        &setup,
        &[Do::File("/new/x", b"")],
        "/new",
        "A /new/\nA /new/x\n",
    );
    check(&setup, &[], "/nowhere/below", "");
    // Below a file: nothing there on either side.
    check(&setup, &[], "/out/x", "");
}

#[test]
fn a_root_that_is_not_normalised_is_refused() {
    block_on(async {
        let fs = MemFs::new();
        for root in ["", "relative", "/a/../b", "/a/", "/a//b"] {
            let err = diff(&fs, &fs, root).await.unwrap_err();
            assert_eq!(err.errno(), Errno::Inval, "{root:?}");
            assert_eq!(err.path(), root);
        }
    });
}

/// Three 1 KiB files; the fork resizes one and rewrites another.
async fn three_files() -> (MemFs, MemFs) {
    let base = MemFs::new();
    for name in ["/same", "/resized", "/rewritten"] {
        base.write_file(name, &[1; 1024]).await.unwrap();
    }
    let fork = base.fork_mem();
    fork.write_file("/resized", &[1; 2048]).await.unwrap();
    fork.write_file("/rewritten", &[2; 1024]).await.unwrap();
    (base, fork)
}

#[test]
fn generic_walk_reads_only_same_size_files_without_equal_ids() {
    block_on(async {
        let (base, fork) = three_files().await;
        let a = Counted::generic(Arc::new(base.clone()));
        let b = Counted::generic(Arc::new(fork.clone()));
        let changes = diff(&a, &b, "/").await.unwrap();
        assert_eq!(changes.to_string(), "M /resized\nM /rewritten\n");
        // Only the rewritten file: its size matches and its ids differ.
        assert_eq!((a.opens(), a.bytes_read()), (1, 1024));
        assert_eq!((b.opens(), b.bytes_read()), (1, 1024));

        // Without ids, the unchanged same-size file is read too, but the
        // resized one still is not.
        let a = Counted {
            ids: false,
            ..Counted::generic(Arc::new(base))
        };
        let b = Counted {
            ids: false,
            ..Counted::generic(Arc::new(fork))
        };
        let changes = diff(&a, &b, "/").await.unwrap();
        assert_eq!(changes.to_string(), "M /resized\nM /rewritten\n");
        assert_eq!((a.opens(), a.bytes_read()), (2, 2048));
        assert_eq!((b.opens(), b.bytes_read()), (2, 2048));
    });
}

#[test]
fn memory_trees_take_the_fast_path_without_any_call() {
    block_on(async {
        let (base, fork) = three_files().await;
        let a = Counted {
            fast: true,
            ..Counted::generic(Arc::new(base))
        };
        let b = Counted {
            fast: true,
            ..Counted::generic(Arc::new(fork))
        };
        let changes = diff(&a, &b, "/").await.unwrap();
        assert_eq!(changes.to_string(), "M /resized\nM /rewritten\n");
        assert_eq!((a.calls(), b.calls()), (0, 0));
    });
}

#[test]
fn errors_are_returned_with_their_path() {
    block_on(async {
        let base = MemFs::new();
        run(&base, &[Do::File("/ok/a", b"1"), Do::File("/bad/b", b"2")]).await;
        let fork = base.fork_mem();
        fork.write_file("/bad/b", b"3").await.unwrap();
        let broken = Counted {
            fail_on: Some("/bad"),
            ..Counted::generic(Arc::new(fork.clone()))
        };
        let err = diff(&base, &broken, "/").await.unwrap_err();
        assert_eq!(
            (err.errno(), err.op(), err.path()),
            (Errno::Io, "opendir", "/bad")
        );
        // A file that must be read to be compared.
        let broken = Counted {
            fail_on: Some("/bad/b"),
            ..Counted::generic(Arc::new(fork))
        };
        let err = diff(&Counted::generic(Arc::new(base)), &broken, "/")
            .await
            .unwrap_err();
        assert_eq!(
            (err.errno(), err.op(), err.path()),
            (Errno::Io, "open", "/bad/b")
        );
    });
}
