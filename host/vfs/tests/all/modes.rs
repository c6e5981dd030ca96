//! Permission bits: `chmod` is kept by every backend that can keep it,
//! survives forks, copy-up and renames, and fails where Linux fails.

use crate::support::block_on;
use std::sync::Arc;
use wasm_agent_vfs::{DevFs, Errno, HostDirFs, MemFs, MountFs, OverlayFs, Vfs};

async fn mode(fs: &dyn Vfs, path: &str) -> u32 {
    fs.metadata(path).await.unwrap().mode
}

#[test]
fn new_objects_get_the_modes_of_umask_022() {
    block_on(async {
        let fs = MemFs::new();
        fs.create_dir("/d").await.unwrap();
        fs.write_file("/d/f", b"x").await.unwrap();
        fs.symlink("f", "/d/l").await.unwrap();
        assert_eq!(mode(&fs, "/d").await, 0o755);
        assert_eq!(mode(&fs, "/d/f").await, 0o644);
        assert_eq!(fs.symlink_metadata("/d/l").await.unwrap().mode, 0o777);
    });
}

#[test]
fn chmod_follows_symlinks_and_keeps_only_permission_bits() {
    block_on(async {
        let fs = MemFs::new();
        fs.write_file("/f", b"x").await.unwrap();
        fs.symlink("f", "/l").await.unwrap();
        fs.set_mode("/l", 0o100_755).await.unwrap();
        assert_eq!(mode(&fs, "/f").await, 0o755);
        assert_eq!(fs.symlink_metadata("/l").await.unwrap().mode, 0o777);
        let err = fs.set_mode("/missing", 0o644).await.unwrap_err();
        assert_eq!(err.errno(), Errno::NoEnt);
        assert!(err.to_string().contains("/missing"), "{err}");
    });
}

#[test]
fn modes_survive_rename_and_stay_apart_in_forks() {
    block_on(async {
        let fs = MemFs::new();
        fs.write_file("/run.sh", b"echo hi\n").await.unwrap();
        fs.set_mode("/run.sh", 0o755).await.unwrap();
        fs.rename("/run.sh", "/go.sh").await.unwrap();
        assert_eq!(mode(&fs, "/go.sh").await, 0o755);
        let fork = fs.fork().unwrap();
        fork.set_mode("/go.sh", 0o600).await.unwrap();
        assert_eq!(mode(&fs, "/go.sh").await, 0o755);
        assert_eq!(mode(&*fork, "/go.sh").await, 0o600);
    });
}

#[test]
fn overlay_copy_up_keeps_the_lower_mode() {
    block_on(async {
        let lower = MemFs::new();
        lower.write_file("/tool", b"#!/bin/sh\n").await.unwrap();
        lower.set_mode("/tool", 0o750).await.unwrap();
        let lower: Arc<dyn Vfs> = Arc::new(lower);
        let overlay = OverlayFs::new(lower.clone());
        // A write copies the file up: the mode must come along.
        overlay
            .write_file("/tool", b"#!/bin/sh\ntrue\n")
            .await
            .unwrap();
        assert_eq!(mode(&overlay, "/tool").await, 0o750);
        overlay.set_mode("/tool", 0o700).await.unwrap();
        assert_eq!(mode(&overlay, "/tool").await, 0o700);
        assert_eq!(mode(&*lower, "/tool").await, 0o750);
    });
}

#[test]
fn host_directories_take_the_mode_and_read_only_ones_refuse() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.sh"), "echo hi\n").unwrap();
        let fs = HostDirFs::new(dir.path()).unwrap();
        fs.set_mode("/s.sh", 0o755).await.unwrap();
        assert_eq!(mode(&fs, "/s.sh").await, 0o755);
        let ro = HostDirFs::read_only(dir.path()).unwrap();
        let err = ro.set_mode("/s.sh", 0o644).await.unwrap_err();
        assert_eq!(err.errno(), Errno::Rofs);
    });
}

#[test]
fn mounts_route_chmod_and_devices_refuse_it() {
    block_on(async {
        let inner = Arc::new(MemFs::new());
        inner.write_file("/f", b"x").await.unwrap();
        let root = Arc::new(MemFs::new());
        root.create_dir("/dev").await.unwrap();
        root.create_dir("/work").await.unwrap();
        let fs = MountFs::new(root)
            .with_mount("/work", inner.clone())
            .unwrap()
            .with_mount("/dev", DevFs::shared())
            .unwrap();
        fs.set_mode("/work/f", 0o700).await.unwrap();
        assert_eq!(mode(&*inner, "/f").await, 0o700);
        let err = fs.set_mode("/dev/null", 0o600).await.unwrap_err();
        assert_eq!(err.errno(), Errno::Perm);
        assert!(err.to_string().contains("/dev/null"), "{err}");
    });
}
