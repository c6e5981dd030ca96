//! Byte quotas: overflow gives ENOSPC (a short write first), deleting frees
//! space, many empty files run out too, and forks account independently.

use crate::support::block_on;
use std::sync::Arc;
use wasm_agent_vfs::{Errno, HostDirFs, MemFs, MountFs, OpenOptions, OverlayFs, Vfs};

const KIB: u64 = 1024;

#[test]
fn overflow_gives_a_short_write_then_enospc() {
    block_on(async {
        let fs = MemFs::with_quota(4 * KIB);
        let err = fs
            .write_file("/big", &vec![1u8; 8 * 1024])
            .await
            .unwrap_err();
        assert_eq!(err.errno(), Errno::NoSpc);
        assert_eq!(err.to_string(), "write '/big': No space left on device");
        // What fit was written; the quota is full to the byte.
        assert_eq!(fs.used_bytes(), 4 * KIB);
        let stored = fs.metadata("/big").await.unwrap().len;
        assert!(stored > 3 * KIB && stored < 4 * KIB, "stored {stored}");
        let file = fs
            .open(
                "/big",
                OpenOptions {
                    write: true,
                    ..OpenOptions::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            file.write_at(b"x", stored).await.unwrap_err().errno(),
            Errno::NoSpc
        );
        // Overwriting in place needs no room.
        assert_eq!(file.write_at(b"xyz", 0).await.unwrap(), 3);
        assert_eq!(fs.create_dir("/d").await.unwrap_err().errno(), Errno::NoSpc);
        assert_eq!(
            fs.symlink("big", "/l").await.unwrap_err().errno(),
            Errno::NoSpc
        );
    });
}

#[test]
fn deleting_frees_space() {
    block_on(async {
        let fs = MemFs::with_quota(64 * KIB);
        fs.create_dir("/d").await.unwrap();
        let mut n = 0;
        while fs
            .write_file(&format!("/d/{n}"), &[7u8; 1000])
            .await
            .is_ok()
        {
            n += 1;
        }
        assert!(n >= 50, "only {n} files of 1000 bytes in 64 KiB");
        fs.remove_all("/d").await.unwrap();
        assert_eq!(fs.used_bytes(), 0);
        fs.write_file("/again", &[1u8; 60_000]).await.unwrap();
    });
}

#[test]
fn empty_files_are_not_free() {
    block_on(async {
        let fs = MemFs::with_quota(100 * KIB);
        let mut n = 0u32;
        loop {
            match fs.write_file(&format!("/{n}"), b"").await {
                Ok(()) => n += 1,
                Err(e) => {
                    assert_eq!(e.errno(), Errno::NoSpc);
                    break;
                }
            }
        }
        assert!(n > 100 && n < 2000, "{n} empty files in 100 KiB");
    });
}

#[test]
fn an_unlinked_open_file_frees_its_bytes_on_close() {
    block_on(async {
        let fs = MemFs::with_quota(16 * KIB);
        fs.write_file("/f", &[0u8; 10_000]).await.unwrap();
        let handle = fs.open("/f", OpenOptions::read()).await.unwrap();
        fs.remove_file("/f").await.unwrap();
        assert_eq!(
            fs.write_file("/g", &[0u8; 10_000])
                .await
                .unwrap_err()
                .errno(),
            Errno::NoSpc
        );
        drop(handle);
        fs.write_file("/g", &[0u8; 10_000]).await.unwrap();
    });
}

#[test]
fn forks_inherit_the_quota_and_account_independently() {
    block_on(async {
        let parent = MemFs::with_quota(32 * KIB);
        parent.write_file("/a", &[0u8; 20_000]).await.unwrap();
        let fork = parent.fork_mem();
        assert_eq!(fork.quota(), Some(32 * KIB));
        assert_eq!(fork.used_bytes(), parent.used_bytes());
        fork.remove_file("/a").await.unwrap();
        fork.write_file("/b", &[0u8; 30_000]).await.unwrap();
        // The parent still holds /a and has no room for 20k more.
        assert_eq!(
            parent
                .write_file("/c", &[0u8; 20_000])
                .await
                .unwrap_err()
                .errno(),
            Errno::NoSpc
        );
        parent.write_file("/c", &[0u8; 5_000]).await.unwrap();
        assert_eq!(
            fork.write_file("/c", &[0u8; 5_000])
                .await
                .unwrap_err()
                .errno(),
            Errno::NoSpc
        );
        assert!(!fork.exists("/c").await || fork.metadata("/c").await.unwrap().len < 5_000);
    });
}

#[test]
fn overlay_quota_counts_copy_ups_not_reads() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big"), vec![5u8; 50_000]).unwrap();
        std::fs::write(dir.path().join("small"), b"s").unwrap();
        let lower = Arc::new(HostDirFs::read_only(dir.path()).unwrap());
        let fs = OverlayFs::with_quota(lower, 16 * KIB);
        // Reading never costs quota.
        assert_eq!(fs.read_file("/big").await.unwrap().len(), 50_000);
        assert_eq!(fs.upper_used_bytes(), 0);
        // Copying the big file up does not fit: nothing is left behind.
        let write = OpenOptions {
            write: true,
            ..OpenOptions::default()
        };
        let err = fs.open("/big", write).await.unwrap_err();
        assert_eq!(err.errno(), Errno::NoSpc);
        assert_eq!(fs.read_file("/big").await.unwrap(), vec![5u8; 50_000]);
        assert_eq!(fs.upper_used_bytes(), 0);
        // A small one fits.
        fs.open("/small", write).await.unwrap();
        assert!(fs.upper_used_bytes() > 0);
        // Truncating needs no copy of the old bytes.
        fs.write_file("/big", b"new").await.unwrap();
        assert_eq!(fs.read_file("/big").await.unwrap(), b"new");
        // Deleting a copied-up file frees it; the whiteout is free.
        let used = fs.upper_used_bytes();
        fs.remove_file("/big").await.unwrap();
        assert!(fs.upper_used_bytes() < used);
        assert!(!fs.exists("/big").await);
        assert_eq!(std::fs::read(dir.path().join("big")).unwrap().len(), 50_000);
    });
}

#[test]
fn mount_forks_give_host_members_the_configured_quota() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut mount = MountFs::new(Arc::new(MemFs::with_quota(64 * KIB)));
        mount
            .mount("/host", Arc::new(HostDirFs::new(dir.path()).unwrap()))
            .unwrap();
        mount.set_fork_quota(Some(8 * KIB));
        let fork = mount.fork().unwrap();
        let err = fork
            .write_file("/host/f", &[0u8; 10_000])
            .await
            .unwrap_err();
        assert_eq!(err.errno(), Errno::NoSpc);
        assert!(!dir.path().join("f").exists());
        fork.write_file("/root-file", &[0u8; 10_000]).await.unwrap();
    });
}
