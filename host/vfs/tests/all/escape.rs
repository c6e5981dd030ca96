//! Nothing reaches outside a `HostDirFs` root: `..`, absolute and relative
//! symlinks, chains of them, and links created through the VFS itself all
//! fail with EACCES, EPERM or ENOENT (or resolve inside the root), and the
//! file next to the root is never read, written, created or touched.

use crate::support::block_on;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tempfile::TempDir;
use wasm_agent_vfs::{Errno, HostDirFs, OpenOptions, Vfs, VfsError};

/// A temp dir holding `secret` (outside the sandbox) and `root/` (the
/// sandbox), plus host-made symlinks inside the root that point out.
struct Jail {
    tmp: TempDir,
    fs: HostDirFs,
}

const SECRET: &[u8] = b"do not leak";

impl Jail {
    fn new() -> Jail {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(tmp.path().join("secret"), SECRET).unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        symlink("/etc", root.join("etc_abs")).unwrap();
        symlink(tmp.path().join("secret"), root.join("secret_abs")).unwrap();
        symlink("../../..", root.join("sub/up")).unwrap();
        symlink("../secret", root.join("secret_rel")).unwrap();
        // A chain: hop1 -> sub/hop2 -> ../secret_rel -> ../secret.
        symlink("sub/hop2", root.join("hop1")).unwrap();
        symlink("../secret_rel", root.join("sub/hop2")).unwrap();
        let fs = HostDirFs::new(&root).unwrap();
        Jail { tmp, fs }
    }

    fn outside(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The secret is unchanged, byte for byte and in its times.
    fn assert_secret_untouched(&self, mtime: SystemTime) {
        let path = self.outside("secret");
        assert_eq!(std::fs::read(&path).unwrap(), SECRET);
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    }

    fn secret_mtime(&self) -> SystemTime {
        std::fs::metadata(self.outside("secret"))
            .unwrap()
            .modified()
            .unwrap()
    }
}

/// The errnos an escape attempt may end with.
fn assert_refused<T: std::fmt::Debug>(result: Result<T, VfsError>, what: &str) {
    match result {
        Ok(value) => panic!("{what}: escaped the root, got {value:?}"),
        Err(e) => assert!(
            matches!(e.errno(), Errno::Acces | Errno::Perm | Errno::NoEnt),
            "{what}: unexpected error {e}"
        ),
    }
}

const ESCAPES: &[&str] = &[
    "/etc_abs/passwd",
    "/etc_abs",
    "/secret_abs",
    "/sub/up/etc/passwd",
    "/sub/up",
    "/secret_rel",
    "/hop1",
];

#[test]
fn dotdot_in_paths_stays_inside() {
    block_on(async {
        let jail = Jail::new();
        // Normalised, `..` clamps at the root: this is /etc/passwd inside.
        let clamped = wasm_agent_vfs::path::normalize("/../../etc/passwd").unwrap();
        assert_eq!(clamped, "/etc/passwd");
        assert_refused(jail.fs.read_file(&clamped).await, "clamped ..");
        // Unnormalised input is still confined by cap-std.
        assert_refused(jail.fs.read_file("/../secret").await, "raw ..");
        assert_refused(jail.fs.read_file("/sub/../../secret").await, "raw .. below");
        assert_refused(jail.fs.metadata("/..").await, "raw .. stat");
    });
}

#[test]
fn reading_through_escaping_symlinks_fails() {
    block_on(async {
        let jail = Jail::new();
        for path in ESCAPES {
            assert_refused(jail.fs.read_file(path).await, &format!("read {path}"));
            assert_refused(jail.fs.metadata(path).await, &format!("stat {path}"));
            assert_refused(jail.fs.read_dir(path).await, &format!("read_dir {path}"));
        }
        // The links themselves may be looked at, not followed.
        assert!(jail
            .fs
            .symlink_metadata("/etc_abs")
            .await
            .unwrap()
            .is_symlink());
        assert_eq!(jail.fs.read_link("/etc_abs").await.unwrap(), "/etc");
    });
}

#[test]
fn writing_through_escaping_symlinks_fails_and_leaves_the_outside_alone() {
    block_on(async {
        let jail = Jail::new();
        let mtime = jail.secret_mtime();
        std::thread::sleep(Duration::from_millis(10));
        for path in ESCAPES {
            assert_refused(
                jail.fs.write_file(path, b"pwned").await,
                &format!("write {path}"),
            );
            let append = OpenOptions {
                write: true,
                ..OpenOptions::default()
            };
            assert_refused(jail.fs.open(path, append).await, &format!("open {path}"));
            let future = SystemTime::now() + Duration::from_secs(3600);
            assert_refused(
                jail.fs
                    .set_times(path, Some(future), Some(future), true)
                    .await,
                &format!("set_times {path}"),
            );
            assert_refused(
                jail.fs.create_dir(&format!("{path}/x")).await,
                &format!("mkdir below {path}"),
            );
            assert_refused(
                jail.fs.remove_file(&format!("{path}/x")).await,
                &format!("unlink below {path}"),
            );
        }
        assert_refused(
            jail.fs.rename("/sub/up/secret", "/stolen").await,
            "rename out",
        );
        assert_refused(
            jail.fs.rename("/sub/hop2", "/sub/up/planted").await,
            "rename in",
        );
        assert_refused(
            jail.fs.hard_link("/sub/up/secret", "/linked").await,
            "link out",
        );
        jail.assert_secret_untouched(mtime);
        assert!(!jail.outside("planted").exists());
    });
}

#[test]
fn symlinks_made_through_the_vfs_cannot_be_used_to_leave() {
    block_on(async {
        let jail = Jail::new();
        let mtime = jail.secret_mtime();
        let fs = &jail.fs;
        fs.symlink("../secret", "/mine_rel").await.unwrap();
        fs.symlink(&jail.outside("secret").display().to_string(), "/mine_abs")
            .await
            .unwrap();
        fs.symlink("../created_outside", "/dangling").await.unwrap();
        fs.symlink("mine_rel", "/chain").await.unwrap();
        for path in ["/mine_rel", "/mine_abs", "/chain"] {
            assert_refused(fs.read_file(path).await, path);
            assert_refused(fs.write_file(path, b"pwned").await, path);
        }
        // O_CREAT through a dangling link must not create the outside file.
        let create = OpenOptions {
            write: true,
            create: true,
            ..OpenOptions::default()
        };
        assert_refused(fs.open("/dangling", create).await, "create through link");
        assert!(!jail.outside("created_outside").exists());
        jail.assert_secret_untouched(mtime);
        // Reading the link text is fine: it is only text.
        assert_eq!(fs.read_link("/mine_rel").await.unwrap(), "../secret");
    });
}

#[test]
fn links_that_stay_inside_keep_working() {
    block_on(async {
        let jail = Jail::new();
        let fs = &jail.fs;
        fs.write_file("/f", b"inside").await.unwrap();
        fs.symlink("../f", "/sub/in").await.unwrap();
        fs.symlink("sub/../sub/in", "/twice").await.unwrap();
        assert_eq!(fs.read_file("/sub/in").await.unwrap(), b"inside");
        assert_eq!(fs.read_file("/twice").await.unwrap(), b"inside");
        fs.write_file("/twice", b"changed").await.unwrap();
        assert_eq!(fs.read_file("/f").await.unwrap(), b"changed");
    });
}

#[test]
fn an_overlay_over_a_host_dir_resolves_absolute_links_inside_it() {
    block_on(async {
        let jail = Jail::new();
        std::fs::write(jail.outside("root/inside"), b"in").unwrap();
        symlink("/inside", jail.outside("root/abs_inside")).unwrap();
        let lower = std::sync::Arc::new(HostDirFs::read_only(jail.outside("root")).unwrap());
        let overlay = wasm_agent_vfs::OverlayFs::new(lower);
        // The host directory alone refuses the absolute link; the overlay
        // (unmodified: fast path, then its own resolution) takes it from
        // its root, which is the host directory.
        assert_refused(jail.fs.read_file("/abs_inside").await, "host dir");
        assert_eq!(overlay.read_file("/abs_inside").await.unwrap(), b"in");
        assert!(overlay.metadata("/abs_inside").await.unwrap().is_file());
        // Escaping links end inside (`..` stops at the root, `/etc` is the
        // root's `etc`), never outside.
        let stays_inside = |result: Result<Vec<u8>, VfsError>, what: &str| match result {
            Ok(data) => assert_ne!(data, SECRET, "{what} read the secret"),
            Err(e) => assert!(
                matches!(e.errno(), Errno::NoEnt | Errno::IsDir | Errno::Acces),
                "{what}: {e}"
            ),
        };
        for path in ESCAPES {
            stays_inside(overlay.read_file(path).await, path);
        }
        overlay.write_file("/x", b"modified now").await.unwrap();
        assert_eq!(overlay.read_file("/abs_inside").await.unwrap(), b"in");
        for path in ESCAPES {
            stays_inside(overlay.read_file(path).await, path);
        }
        assert_eq!(std::fs::read(jail.outside("secret")).unwrap(), SECRET);
    });
}

#[test]
fn read_only_mode_refuses_every_change() {
    block_on(async {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("f"), b"keep").unwrap();
        std::fs::create_dir(tmp.path().join("d")).unwrap();
        let fs = HostDirFs::read_only(tmp.path()).unwrap();
        let rofs = |r: Result<(), VfsError>| assert_eq!(r.unwrap_err().errno(), Errno::Rofs);
        rofs(fs.write_file("/f", b"x").await);
        rofs(fs.write_file("/new", b"x").await);
        rofs(fs.create_dir("/d2").await);
        rofs(fs.remove_file("/f").await);
        rofs(fs.remove_dir("/d").await);
        rofs(fs.rename("/f", "/g").await);
        rofs(fs.symlink("f", "/l").await);
        rofs(fs.hard_link("/f", "/h").await);
        rofs(
            fs.set_times("/f", None, Some(SystemTime::UNIX_EPOCH), true)
                .await,
        );
        let truncate = OpenOptions {
            read: true,
            truncate: true,
            ..OpenOptions::default()
        };
        assert_eq!(
            fs.open("/f", truncate).await.unwrap_err().errno(),
            Errno::Rofs
        );
        assert_eq!(fs.read_file("/f").await.unwrap(), b"keep");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
        assert!(fs.is_read_only());
        assert_eq!(fs.host_path(), Path::new(tmp.path()));
    });
}
