//! The sandbox API contract: file operations, fork, snapshot and restore.
//! (Running tools is covered in `tools`.)

use crate::support::wat_runtime;
use wasm_agent::{ErrorKind, Limits, RmOptions, Sandbox};

fn sandbox() -> Sandbox {
    Sandbox::new(&wat_runtime(&[], Limits::default()))
}

#[tokio::test]
async fn write_file_creates_parents_and_read_file_round_trips() {
    let sb = sandbox();
    sb.write_file("/a/b/c.txt", "héllo\n").await.unwrap();
    assert_eq!(sb.read_file("/a/b/c.txt").await.unwrap(), "héllo\n");
    assert_eq!(
        sb.read_file_bytes("/a/b/c.txt").await.unwrap(),
        "héllo\n".as_bytes()
    );
    sb.write_file("/a/b/c.txt", "x").await.unwrap();
    assert_eq!(sb.read_file("/a/b/c.txt").await.unwrap(), "x");
}

#[tokio::test]
async fn read_file_rejects_invalid_utf8_with_a_clear_error() {
    let sb = sandbox();
    sb.write_file("/bin.dat", [0x66, 0xff, 0x00]).await.unwrap();
    let err = sb.read_file("/bin.dat").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(
        err.to_string().contains("not valid UTF-8 (at byte 1)"),
        "{err}"
    );
    assert_eq!(
        sb.read_file_bytes("/bin.dat").await.unwrap(),
        [0x66, 0xff, 0x00]
    );
}

#[tokio::test]
async fn missing_files_give_errno_and_path() {
    let sb = sandbox();
    let err = sb.read_file("/nope/x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Filesystem);
    assert_eq!(
        err.vfs_error().unwrap().errno(),
        wasm_agent::vfs::Errno::NoEnt
    );
    assert!(err.to_string().contains("/nope/x"), "{err}");
}

#[tokio::test]
async fn stat_read_dir_and_exists() {
    let sb = sandbox();
    sb.write_file("/d/one", "1").await.unwrap();
    sb.write_file("/d/two", "22").await.unwrap();
    sb.mkdir("/d/sub", false).await.unwrap();
    let stat = sb.stat("/d/two").await.unwrap();
    assert!(stat.is_file && !stat.is_dir && !stat.is_symlink);
    assert_eq!(stat.size, 2);
    assert!(sb.stat("/d").await.unwrap().is_dir);
    assert_eq!(sb.read_dir("/d").await.unwrap(), ["one", "sub", "two"]);
    assert!(sb.exists("/d/one").await);
    assert!(!sb.exists("/d/three").await);
    assert!(!sb.exists("/d/one/below-a-file").await);
}

#[tokio::test]
async fn mkdir_and_rm_options() {
    let sb = sandbox();
    assert!(sb.mkdir("/x/y", false).await.is_err());
    sb.mkdir("/x/y", true).await.unwrap();
    sb.mkdir("/x/y", true).await.unwrap();
    sb.write_file("/x/y/f", "f").await.unwrap();
    assert!(sb.rm("/x", RmOptions::default()).await.is_err());
    sb.rm(
        "/x",
        RmOptions {
            recursive: true,
            force: false,
        },
    )
    .await
    .unwrap();
    assert!(!sb.exists("/x").await);
    assert!(sb.rm("/x", RmOptions::default()).await.is_err());
    sb.rm(
        "/x",
        RmOptions {
            recursive: true,
            force: true,
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn rename_moves_files_and_relative_paths_use_the_cwd() {
    let runtime = wat_runtime(&[], Limits::default());
    let sb = Sandbox::builder(&runtime).cwd("/work").build();
    sb.mkdir("/work", true).await.unwrap();
    sb.write_file("notes.txt", "n").await.unwrap();
    sb.rename("notes.txt", "../moved.txt").await.unwrap();
    assert_eq!(sb.read_file("/moved.txt").await.unwrap(), "n");
    assert!(!sb.exists("/work/notes.txt").await);
}

#[tokio::test]
async fn forks_are_isolated_both_ways() {
    let sb = sandbox();
    sb.write_file("/shared.txt", "base").await.unwrap();
    let fork = sb.fork().unwrap();
    fork.write_file("/shared.txt", "fork").await.unwrap();
    fork.write_file("/only-fork.txt", "f").await.unwrap();
    sb.write_file("/only-parent.txt", "p").await.unwrap();
    assert_eq!(sb.read_file("/shared.txt").await.unwrap(), "base");
    assert!(!sb.exists("/only-fork.txt").await);
    assert!(!fork.exists("/only-parent.txt").await);
}

#[tokio::test]
async fn snapshot_and_restore() {
    let sb = sandbox();
    sb.write_file("/f", "v1").await.unwrap();
    let snap = sb.snapshot().unwrap();
    sb.write_file("/f", "v2").await.unwrap();
    sb.write_file("/g", "new").await.unwrap();
    sb.restore(&snap).unwrap();
    assert_eq!(sb.read_file("/f").await.unwrap(), "v1");
    assert!(!sb.exists("/g").await);
    // The snapshot is unchanged by writes after a restore.
    sb.write_file("/f", "v3").await.unwrap();
    sb.restore(&snap).unwrap();
    assert_eq!(sb.read_file("/f").await.unwrap(), "v1");
}

#[tokio::test]
async fn run_needs_a_program_and_an_existing_cwd() {
    let sb = sandbox();
    let empty: [&str; 0] = [];
    assert_eq!(
        sb.run(empty).await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    let mut cmd = wasm_agent::Command::new("true");
    cmd.cwd("/missing");
    let err = sb.run_command(cmd).await.unwrap_err();
    assert!(err.to_string().contains("/missing"), "{err}");
}
