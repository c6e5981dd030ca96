//! Mount-point semantics (EXDEV across mounts, EBUSY on mount points,
//! listings that show mount points) are not Linux-without-mounts, so they
//! cannot be checked against a plain directory. Instead, compositions of
//! different members must agree with each other on random operations whose
//! paths cross the mount point at `/a/c`.

use crate::agreement::{apply, op, Slots};
use crate::support::{block_on, cases, seed, snapshot};
use proptest::prelude::*;
use std::sync::Arc;
use tempfile::TempDir;
use wasm_agent_vfs::{HostDirFs, MemFs, MountFs, OverlayFs, Vfs};

async fn seeded_mem() -> Arc<dyn Vfs> {
    let fs = MemFs::new();
    seed(&fs).await;
    Arc::new(fs)
}

async fn seeded_dir(dirs: &mut Vec<TempDir>) -> std::path::PathBuf {
    let dir = tempfile::tempdir().unwrap();
    seed(&HostDirFs::new(dir.path()).unwrap()).await;
    let path = dir.path().to_owned();
    dirs.push(dir);
    path
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(128)))]

    #[test]
    fn compositions_agree(ops in prop::collection::vec(op(), 1..32)) {
        block_on(async {
            let mut dirs = Vec::new();
            let reference = MountFs::new(seeded_mem().await)
                .with_mount("/a/c", seeded_mem().await)
                .unwrap();
            let mut on_disk = Vec::new();
            for _ in 0..2 {
                let host_root = HostDirFs::new(seeded_dir(&mut dirs).await).unwrap();
                let host_lower = HostDirFs::read_only(seeded_dir(&mut dirs).await).unwrap();
                let mount = MountFs::new(Arc::new(host_root))
                    .with_mount("/a/c", Arc::new(OverlayFs::new(Arc::new(host_lower))))
                    .unwrap();
                on_disk.push(mount);
            }
            // Forked from a twin: a fork sees its parent's later writes to a
            // host directory (by design), so the parent must stay idle.
            let forked = on_disk.pop().unwrap().fork().unwrap();
            let on_disk = on_disk.pop().unwrap();
            let mixed = MountFs::new(Arc::new(OverlayFs::new(seeded_mem().await)))
                .with_mount("/a/c", Arc::new(HostDirFs::new(seeded_dir(&mut dirs).await).unwrap()))
                .unwrap();
            let others: Vec<(&str, Arc<dyn Vfs>)> = vec![
                ("host root, overlay mount", Arc::new(on_disk)),
                ("fork of it", forked),
                ("overlay root, host mount", Arc::new(mixed)),
            ];
            let mut ref_slots = Slots::default();
            let mut slots: Vec<Slots> = others.iter().map(|_| Slots::default()).collect();
            for (i, op) in ops.iter().enumerate() {
                let expected = apply(&reference, &mut ref_slots, op).await;
                let tree = snapshot(&reference).await;
                for ((name, fs), slots) in others.iter().zip(&mut slots) {
                    let got = apply(&**fs, slots, op).await;
                    if got.is_refusal() {
                        // A host directory refusing a `..` above its root.
                        return Ok(());
                    }
                    prop_assert_eq!(&got, &expected, "step {} {:?} on {}", i, op, name);
                    prop_assert_eq!(&snapshot(&**fs).await, &tree, "tree after step {} {:?} on {}", i, op, name);
                }
            }
            Ok(())
        })?;
    }
}
