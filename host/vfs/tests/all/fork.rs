//! Forks are isolated: after a fork, the parent and the fork each behave
//! exactly like an independent filesystem that saw the same history, for
//! random interleaved operations on both sides, including handles opened
//! before the fork (which keep writing to the parent only).

use crate::agreement::{apply, op, Op, Slots};
use crate::support::{block_on, cases, seed, snapshot, Prefixed};
use proptest::prelude::*;
use std::sync::Arc;
use wasm_agent_vfs::{HostDirFs, MemFs, MountFs, OpenOptions, OverlayFs, Vfs};

/// Runs `before` on `parent` and a reference, forks, then interleaves `a`
/// (on the parent) and `b` (on the fork), each checked against its own
/// reference `MemFs`. For a mount holding a host directory `a` is empty: its
/// fork sees the parent's writes to the directory by design.
async fn check_isolation(
    parent: Arc<dyn Vfs>,
    fork: impl FnOnce() -> Arc<dyn Vfs>,
    before: &[Op],
    a: &[Op],
    b: &[Op],
) -> Result<(), TestCaseError> {
    let ref_a = MemFs::new();
    seed(&ref_a).await;
    let (mut parent_slots, mut ref_a_slots) = (Slots::default(), Slots::default());
    for op in before {
        let expected = apply(&ref_a, &mut ref_a_slots, op).await;
        let got = apply(&*parent, &mut parent_slots, op).await;
        if got.is_refusal() {
            // A host directory refusing a `..` above its root.
            return Ok(());
        }
        prop_assert_eq!(got, expected, "before fork: {:?}", op);
    }
    let fork = fork();
    // The fork starts from the parent's state without its handles.
    let ref_b = ref_a.fork_mem();
    let (mut fork_slots, mut ref_b_slots) = (Slots::default(), Slots::default());
    for i in 0..a.len().max(b.len()) {
        if let Some(op) = a.get(i) {
            let expected = apply(&ref_a, &mut ref_a_slots, op).await;
            let got = apply(&*parent, &mut parent_slots, op).await;
            if got.is_refusal() {
                return Ok(());
            }
            prop_assert_eq!(got, expected, "parent: {:?}", op);
        }
        if let Some(op) = b.get(i) {
            let expected = apply(&ref_b, &mut ref_b_slots, op).await;
            let got = apply(&*fork, &mut fork_slots, op).await;
            if got.is_refusal() {
                return Ok(());
            }
            prop_assert_eq!(got, expected, "fork: {:?}", op);
        }
        prop_assert_eq!(
            snapshot(&*parent).await,
            snapshot(&ref_a).await,
            "parent after step {}",
            i
        );
        prop_assert_eq!(
            snapshot(&*fork).await,
            snapshot(&ref_b).await,
            "fork after step {}",
            i
        );
    }
    Ok(())
}

fn ops(max: usize) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 0..max)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    #[test]
    fn memfs_forks_are_isolated(before in ops(10), a in ops(16), b in ops(16)) {
        block_on(async {
            let fs = MemFs::new();
            seed(&fs).await;
            let parent = Arc::new(fs.clone());
            check_isolation(parent, || Arc::new(fs.fork_mem()), &before, &a, &b).await
        })?;
    }

    #[test]
    fn overlay_forks_are_isolated(before in ops(10), a in ops(16), b in ops(16)) {
        block_on(async {
            let dir = tempfile::tempdir().unwrap();
            seed(&HostDirFs::new(dir.path()).unwrap()).await;
            let lower = Arc::new(HostDirFs::read_only(dir.path()).unwrap());
            let fs = OverlayFs::new(lower);
            let parent = Arc::new(fs.clone());
            check_isolation(parent, || Arc::new(fs.fork_overlay()), &before, &a, &b).await
        })?;
    }

    #[test]
    fn mount_forks_never_write_to_the_parent(before in ops(10), b in ops(24)) {
        block_on(async {
            let dir = tempfile::tempdir().unwrap();
            seed(&HostDirFs::new(dir.path()).unwrap()).await;
            let mount = MountFs::new(Arc::new(MemFs::new()))
                .with_mount("/w", Arc::new(HostDirFs::new(dir.path()).unwrap()))
                .unwrap();
            let mount = Arc::new(mount);
            let parent = Arc::new(Prefixed { fs: mount.clone(), prefix: "/w" });
            let fork = || -> Arc<dyn Vfs> {
                Arc::new(Prefixed { fs: mount.fork().unwrap(), prefix: "/w" })
            };
            check_isolation(parent, fork, &before, &[], &b).await
        })?;
    }
}

#[test]
fn handle_opened_before_a_fork_writes_to_the_parent_only() {
    block_on(async {
        let fs = MemFs::new();
        fs.write_file("/f", b"old").await.unwrap();
        let rw = OpenOptions {
            read: true,
            write: true,
            ..OpenOptions::default()
        };
        let handle = fs.open("/f", rw).await.unwrap();
        let fork = fs.fork_mem();
        handle.write_at(b"NEW", 0).await.unwrap();
        assert_eq!(fs.read_file("/f").await.unwrap(), b"NEW");
        assert_eq!(fork.read_file("/f").await.unwrap(), b"old");
        // And the fork's own handle writes to the fork only.
        let fork_handle = fork.open("/f", rw).await.unwrap();
        fork_handle.write_at(b"fork", 0).await.unwrap();
        assert_eq!(fs.read_file("/f").await.unwrap(), b"NEW");
        assert_eq!(fork.read_file("/f").await.unwrap(), b"fork");
    });
}

#[test]
fn snapshot_keeps_the_state_at_fork_time() {
    block_on(async {
        let fs = MemFs::new();
        seed(&fs).await;
        let before = snapshot(&fs).await;
        let snap = fs.fork().unwrap();
        fs.remove_all("/a").await.unwrap();
        fs.rename("/b", "/moved").await.unwrap();
        fs.write_file("/new", b"x").await.unwrap();
        assert_eq!(snapshot(&*snap).await, before);
        // A fork of the snapshot is independent of both.
        let again = snap.fork().unwrap();
        again.remove_file("/b").await.unwrap();
        assert_eq!(snapshot(&*snap).await, before);
        assert!(fs.exists("/moved").await);
    });
}

#[test]
fn mount_fork_of_a_host_directory_never_touches_the_disk() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("file"), b"disk").unwrap();
        let mount = MountFs::new(Arc::new(MemFs::new()))
            .with_mount("/host", Arc::new(HostDirFs::new(dir.path()).unwrap()))
            .unwrap();
        let fork = mount.fork().unwrap();
        fork.write_file("/host/file", b"fork").await.unwrap();
        fork.write_file("/host/new", b"fork").await.unwrap();
        fork.remove_file("/host/file").await.unwrap();
        assert_eq!(std::fs::read(dir.path().join("file")).unwrap(), b"disk");
        assert!(!dir.path().join("new").exists());
        // Documented: the fork still sees later changes made to the host
        // directory itself, where it has no copy of its own.
        std::fs::write(dir.path().join("later"), b"host").unwrap();
        assert_eq!(fork.read_file("/host/later").await.unwrap(), b"host");
        assert!(!fork.exists("/host/file").await);
    });
}
