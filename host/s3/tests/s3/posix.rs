//! POSIX behaviour of a bucket mount.

use wasm_agent_s3::{S3Fs, WritePolicy};
use wasm_agent_vfs::{Errno, FileType, OpenOptions, Vfs};

use crate::support::{get, keys, new_fs, other_client, put};

fn names(entries: &[wasm_agent_vfs::DirEntry]) -> Vec<(String, FileType)> {
    entries
        .iter()
        .map(|e| (e.name.clone(), e.file_type))
        .collect()
}

async fn errno<T: std::fmt::Debug>(
    result: impl std::future::Future<Output = wasm_agent_vfs::VfsResult<T>>,
) -> Errno {
    result.await.expect_err("expected an error").errno()
}

#[tokio::test]
async fn files_and_directories_round_trip() {
    for policy in [WritePolicy::WriteThrough, WritePolicy::WriteBack] {
        let (fs, config) = new_fs("roundtrip", policy).await;
        fs.create_dir("/src").await.unwrap();
        fs.create_dir("/empty").await.unwrap();
        fs.write_file("/src/main.rs", b"fn main() {}\n")
            .await
            .unwrap();
        fs.write_file("/top.txt", b"top").await.unwrap();
        // Visible locally before any flush.
        assert_eq!(
            fs.read_file("/src/main.rs").await.unwrap(),
            b"fn main() {}\n"
        );
        assert!(fs.metadata("/empty").await.unwrap().is_dir());
        Vfs::settle(&fs).await.unwrap();
        let client = other_client(&config).await;
        let stored = keys(&client, &config.bucket).await;
        match policy {
            WritePolicy::WriteThrough => {
                assert_eq!(stored, ["empty/", "src/", "src/main.rs", "top.txt"])
            }
            WritePolicy::WriteBack => assert!(stored.is_empty(), "{stored:?}"),
        }
        fs.flush().await.unwrap();
        assert_eq!(
            keys(&client, &config.bucket).await,
            ["empty/", "src/", "src/main.rs", "top.txt"]
        );
        // A second mount sees the same tree; markers are hidden.
        let again = S3Fs::connect(config.clone()).await.unwrap();
        assert_eq!(
            names(&again.read_dir("/").await.unwrap()),
            [
                ("empty".into(), FileType::Dir),
                ("src".into(), FileType::Dir),
                ("top.txt".into(), FileType::File)
            ]
        );
        assert!(again.read_dir("/empty").await.unwrap().is_empty());
        let meta = again.metadata("/src/main.rs").await.unwrap();
        assert_eq!((meta.len, meta.file_type), (13, FileType::File));
    }
}

#[tokio::test]
async fn errors_are_posix() {
    let (fs, _) = new_fs("errors", WritePolicy::WriteThrough).await;
    fs.write_file("/f", b"x").await.unwrap();
    fs.create_dir("/d").await.unwrap();
    fs.write_file("/d/inner", b"y").await.unwrap();
    assert_eq!(errno(fs.read_file("/missing")).await, Errno::NoEnt);
    assert_eq!(errno(fs.create_dir("/d")).await, Errno::Exist);
    assert_eq!(errno(fs.create_dir("/no/such/parent")).await, Errno::NoEnt);
    assert_eq!(errno(fs.write_file("/f/child", b"")).await, Errno::NotDir);
    assert_eq!(errno(fs.read_dir("/f")).await, Errno::NotDir);
    assert_eq!(errno(fs.read_dir("/nothing")).await, Errno::NoEnt);
    assert_eq!(errno(fs.remove_dir("/d")).await, Errno::NotEmpty);
    assert_eq!(errno(fs.remove_file("/d")).await, Errno::IsDir);
    assert_eq!(
        errno(fs.open("/d", OpenOptions::read())).await,
        Errno::IsDir
    );
    assert_eq!(errno(fs.rename("/d", "/d/sub")).await, Errno::Inval);
    assert_eq!(errno(fs.rename("/f", "/d")).await, Errno::IsDir);
    assert_eq!(errno(fs.symlink("f", "/link")).await, Errno::NotSup);
    let err = fs.read_file("/missing").await.unwrap_err().to_string();
    assert!(err.contains("/missing"), "{err}");
}

#[tokio::test]
async fn removing_the_last_file_keeps_the_directory() {
    let (fs, config) = new_fs("lastfile", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    // Created by another tool: `dir` exists only as a prefix.
    put(&client, &config.bucket, "dir/only.txt", b"1").await;
    fs.remove_file("/dir/only.txt").await.unwrap();
    Vfs::settle(&fs).await.unwrap();
    assert!(fs.metadata("/dir").await.unwrap().is_dir());
    assert_eq!(keys(&client, &config.bucket).await, ["dir/"]);
    fs.remove_dir("/dir").await.unwrap();
    Vfs::settle(&fs).await.unwrap();
    assert!(keys(&client, &config.bucket).await.is_empty());
    assert_eq!(errno(fs.metadata("/dir")).await, Errno::NoEnt);
}

#[tokio::test]
async fn a_file_wins_over_a_prefix_of_the_same_name() {
    let (fs, config) = new_fs("clash", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    put(&client, &config.bucket, "x", b"file").await;
    put(&client, &config.bucket, "x/y", b"below").await;
    assert!(fs.metadata("/x").await.unwrap().is_file());
    assert_eq!(fs.read_file("/x").await.unwrap(), b"file");
    assert_eq!(
        names(&fs.read_dir("/").await.unwrap()),
        [("x".into(), FileType::File)]
    );
}

#[tokio::test]
async fn objects_from_other_clients_appear_at_once() {
    let (fs, config) = new_fs("others", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    assert!(fs.read_dir("/").await.unwrap().is_empty());
    put(&client, &config.bucket, "a/b/c.txt", b"deep").await;
    assert_eq!(
        names(&fs.read_dir("/").await.unwrap()),
        [("a".into(), FileType::Dir)]
    );
    assert!(fs.metadata("/a/b").await.unwrap().is_dir());
    assert_eq!(fs.read_file("/a/b/c.txt").await.unwrap(), b"deep");
    // A path looked up while absent is not remembered as absent.
    assert!(!fs.exists("/late.txt").await);
    put(&client, &config.bucket, "late.txt", b"now").await;
    assert_eq!(fs.read_file("/late.txt").await.unwrap(), b"now");
}

#[tokio::test]
async fn listings_go_past_a_thousand_keys() {
    let (fs, config) = new_fs("many", WritePolicy::WriteBack).await;
    fs.create_dir("/d").await.unwrap();
    for i in 0..1100 {
        fs.write_file(&format!("/d/f{i:04}"), i.to_string().as_bytes())
            .await
            .unwrap();
    }
    let report = fs.flush().await.unwrap();
    assert_eq!((report.written, report.markers), (1100, 1));
    let fresh = S3Fs::connect(config).await.unwrap();
    let listed = fresh.read_dir("/d").await.unwrap();
    assert_eq!(listed.len(), 1100);
    assert_eq!(listed[1099].name, "f1099");
    assert_eq!(fresh.read_file("/d/f0999").await.unwrap(), b"999");
}

#[tokio::test]
async fn renames_move_files_and_whole_directories() {
    let (fs, config) = new_fs("rename", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    put(&client, &config.bucket, "old/a.txt", b"A").await;
    put(&client, &config.bucket, "old/sub/b.txt", b"B").await;
    fs.create_dir("/old/empty").await.unwrap();
    Vfs::settle(&fs).await.unwrap();
    fs.rename("/old", "/new").await.unwrap();
    assert_eq!(errno(fs.metadata("/old")).await, Errno::NoEnt);
    assert_eq!(fs.read_file("/new/sub/b.txt").await.unwrap(), b"B");
    Vfs::settle(&fs).await.unwrap();
    assert_eq!(
        keys(&client, &config.bucket).await,
        ["new/", "new/a.txt", "new/empty/", "new/sub/b.txt"]
    );
    // A file over an existing one, then back, like `sed -i` does.
    fs.write_file("/new/tmp", b"replaced").await.unwrap();
    fs.rename("/new/tmp", "/new/a.txt").await.unwrap();
    Vfs::settle(&fs).await.unwrap();
    assert_eq!(
        get(&client, &config.bucket, "new/a.txt").await.unwrap(),
        b"replaced"
    );
    assert_eq!(get(&client, &config.bucket, "new/tmp").await, None);
}

#[tokio::test]
async fn appends_and_partial_writes_keep_the_rest() {
    let (fs, config) = new_fs("append", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    put(&client, &config.bucket, "log", b"one\n").await;
    let file = fs
        .open(
            "/log",
            OpenOptions {
                write: true,
                ..OpenOptions::default()
            },
        )
        .await
        .unwrap();
    file.append(b"two\n").await.unwrap();
    file.write_at(b"ONE", 0).await.unwrap();
    drop(file);
    Vfs::settle(&fs).await.unwrap();
    assert_eq!(
        get(&client, &config.bucket, "log").await.unwrap(),
        b"ONE\ntwo\n"
    );
}

#[tokio::test]
async fn a_prefix_is_a_root_and_read_only_mounts_refuse_writes() {
    let (fs, mut config) = new_fs("prefix", WritePolicy::WriteThrough).await;
    drop(fs);
    config.prefix = "agents/run-1".into();
    let fs = S3Fs::connect(config.clone()).await.unwrap();
    fs.write_file("/notes.md", b"n").await.unwrap();
    Vfs::settle(&fs).await.unwrap();
    let client = other_client(&config).await;
    assert_eq!(
        keys(&client, &config.bucket).await,
        ["agents/run-1/notes.md"]
    );
    config.read_only = true;
    let ro = S3Fs::connect(config).await.unwrap();
    assert_eq!(ro.read_file("/notes.md").await.unwrap(), b"n");
    let err = ro.write_file("/x", b"").await.unwrap_err();
    assert_eq!(err.errno(), Errno::Rofs);
    assert!(err.to_string().contains("read-only"), "{err}");
}

#[tokio::test]
async fn reading_a_directory_file_by_file_reads_ahead() {
    let (_, config) = new_fs("readahead", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    for i in 0..10 {
        put(
            &client,
            &config.bucket,
            &format!("d/f{i}"),
            format!("file {i}").as_bytes(),
        )
        .await;
    }
    let fs = S3Fs::connect(config).await.unwrap();
    assert_eq!(fs.read_dir("/d").await.unwrap().len(), 10);
    assert_eq!(fs.read_file("/d/f0").await.unwrap(), b"file 0");
    assert_eq!(fs.requests().get, 1);
    // The second file read starts the read-ahead of the other eight.
    assert_eq!(fs.read_file("/d/f1").await.unwrap(), b"file 1");
    for _ in 0..100 {
        if fs.requests().get >= 10 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(fs.requests().get, 10);
    for i in 2..10 {
        let want = format!("file {i}");
        assert_eq!(
            fs.read_file(&format!("/d/f{i}")).await.unwrap(),
            want.as_bytes()
        );
    }
    assert_eq!(fs.requests().get, 10, "every file was fetched once");
    // One file read in a directory reads nothing ahead.
    let _ = fs.read_dir("/d").await.unwrap();
    let before = fs.requests().get;
    let _ = fs.read_file("/d/f3").await.unwrap();
    assert_eq!(fs.requests().get, before);
}

#[tokio::test]
async fn with_tigris_extensions_a_rename_still_moves_the_object() {
    // SeaweedFS ignores `X-Tigris-Rename` and copies; the pending delete
    // of the source then removes it, so the outcome is the same.
    let (_, mut config) = new_fs("tigrisrename", WritePolicy::WriteThrough).await;
    config.tigris = Some(true);
    let fs = S3Fs::connect(config.clone()).await.unwrap();
    let client = other_client(&config).await;
    put(&client, &config.bucket, "a.txt", b"moved").await;
    fs.rename("/a.txt", "/b.txt").await.unwrap();
    Vfs::settle(&fs).await.unwrap();
    assert_eq!(keys(&client, &config.bucket).await, ["b.txt"]);
    assert_eq!(
        get(&client, &config.bucket, "b.txt").await.unwrap(),
        b"moved"
    );
}

#[tokio::test]
async fn during_a_scan_the_first_read_of_the_next_directory_reads_ahead() {
    let (_, config) = new_fs("scan", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    for dir in ["a", "b"] {
        for i in 0..5 {
            put(&client, &config.bucket, &format!("{dir}/f{i}"), b"x").await;
        }
    }
    let fs = S3Fs::connect(config).await.unwrap();
    fs.read_dir("/a").await.unwrap();
    fs.read_dir("/b").await.unwrap();
    fs.read_file("/a/f0").await.unwrap();
    fs.read_file("/a/f1").await.unwrap();
    // One read in /b, while the scan of /a is recent, fetches all of /b.
    fs.read_file("/b/f0").await.unwrap();
    for _ in 0..100 {
        if fs.requests().get >= 10 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(fs.requests().get, 10);
    for i in 1..5 {
        fs.read_file(&format!("/b/f{i}")).await.unwrap();
    }
    assert_eq!(fs.requests().get, 10, "nothing fetched twice");
}
