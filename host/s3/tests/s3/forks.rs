//! Portable copy-on-write forks: isolation, cost, diff and merge.

use wasm_agent_s3::{S3Fs, WritePolicy};
use wasm_agent_vfs::{Errno, OnConflict, Vfs};

use crate::support::{get, keys, new_bucket, new_fs, other_client, put};

fn paths(list: &[wasm_agent_vfs::Change]) -> Vec<&str> {
    list.iter().map(|c| c.path.as_str()).collect()
}

/// A base with a few files, and an empty bucket for its fork.
async fn base_and_fork() -> (S3Fs, S3Fs) {
    let (base, config) = new_fs("forkbase", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    for (key, data) in [
        ("keep.txt", "keep"),
        ("edit.txt", "before"),
        ("gone.txt", "bye"),
        ("dir/a.txt", "A"),
        ("dir/sub/b.txt", "B"),
    ] {
        put(&client, &config.bucket, key, data.as_bytes()).await;
    }
    let target = new_bucket("forkcopy").await;
    let fork = base.fork_to(&target.bucket, "run-1").await.unwrap();
    (base, fork)
}

#[tokio::test]
async fn a_fork_costs_one_object_and_reads_through() {
    let (base, fork) = base_and_fork().await;
    let client = other_client(fork.config()).await;
    assert_eq!(
        keys(&client, &fork.config().bucket).await,
        ["run-1/.wasm-agent-fork.json"]
    );
    assert_eq!(fork.read_file("/dir/sub/b.txt").await.unwrap(), b"B");
    let names: Vec<String> = fork
        .read_dir("/")
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["dir", "edit.txt", "gone.txt", "keep.txt"]);
    assert!(fork.base().is_some());
    assert_eq!(fork.base().unwrap().config().bucket, base.config().bucket);
}

#[tokio::test]
async fn forks_are_isolated_both_ways_and_store_only_changes() {
    let (base, fork) = base_and_fork().await;
    fork.write_file("/edit.txt", b"after").await.unwrap();
    fork.remove_file("/gone.txt").await.unwrap();
    fork.rename("/dir", "/moved").await.unwrap();
    fork.write_file("/new.txt", b"new").await.unwrap();
    Vfs::settle(&fork).await.unwrap();

    // The fork's view.
    assert_eq!(fork.read_file("/edit.txt").await.unwrap(), b"after");
    assert_eq!(fork.read_file("/moved/sub/b.txt").await.unwrap(), b"B");
    assert_eq!(
        fork.metadata("/gone.txt").await.unwrap_err().errno(),
        Errno::NoEnt
    );
    assert_eq!(
        fork.metadata("/dir").await.unwrap_err().errno(),
        Errno::NoEnt
    );
    // The base is untouched.
    assert_eq!(base.read_file("/edit.txt").await.unwrap(), b"before");
    assert_eq!(base.read_file("/gone.txt").await.unwrap(), b"bye");
    assert!(!base.exists("/new.txt").await);
    // A change in the base shows in the fork where the fork did not write.
    base.write_file("/keep.txt", b"kept, changed")
        .await
        .unwrap();
    Vfs::settle(&base).await.unwrap();
    assert_eq!(fork.read_file("/keep.txt").await.unwrap(), b"kept, changed");
    base.write_file("/edit.txt", b"base edit").await.unwrap();
    Vfs::settle(&base).await.unwrap();
    assert_eq!(fork.read_file("/edit.txt").await.unwrap(), b"after");

    // The fork's bucket holds only what changed.
    let client = other_client(fork.config()).await;
    let stored = keys(&client, &fork.config().bucket).await;
    assert!(!stored.iter().any(|k| k.contains("keep.txt")), "{stored:?}");
    assert!(stored.contains(&"run-1/edit.txt".to_owned()), "{stored:?}");

    // Mounted again from its location, it is the same fork.
    let again = S3Fs::connect(fork.config().clone()).await.unwrap();
    assert_eq!(again.read_file("/edit.txt").await.unwrap(), b"after");
    assert!(!again.exists("/gone.txt").await);
    assert_eq!(again.read_file("/moved/a.txt").await.unwrap(), b"A");
}

#[tokio::test]
async fn changes_list_what_the_fork_did() {
    let (_base, fork) = base_and_fork().await;
    fork.write_file("/edit.txt", b"after").await.unwrap();
    fork.remove_file("/gone.txt").await.unwrap();
    fork.write_file("/new.txt", b"new").await.unwrap();
    fork.write_file("/tmp", b"x").await.unwrap();
    fork.remove_file("/tmp").await.unwrap();
    let changes = fork.changes().await.unwrap();
    assert_eq!(paths(&changes.added), ["/new.txt"]);
    assert_eq!(paths(&changes.modified), ["/edit.txt"]);
    assert_eq!(paths(&changes.deleted), ["/gone.txt"]);
}

#[tokio::test]
async fn merge_applies_the_fork_and_reports_conflicts() {
    let (base, fork) = base_and_fork().await;
    fork.write_file("/edit.txt", b"fork edit").await.unwrap();
    fork.write_file("/keep.txt", b"fork keep").await.unwrap();
    fork.remove_file("/gone.txt").await.unwrap();
    fork.write_file("/dir/new.txt", b"new").await.unwrap();
    // The base changes one of the same files meanwhile.
    base.write_file("/keep.txt", b"base keep").await.unwrap();
    Vfs::settle(&base).await.unwrap();

    let err = fork.merge_into_base(OnConflict::Fail).await.unwrap_err();
    assert!(err.to_string().contains("/keep.txt"), "{err}");
    assert_eq!(base.read_file("/edit.txt").await.unwrap(), b"before");

    let merged = fork.merge_into_base(OnConflict::KeepOurs).await.unwrap();
    assert_eq!(merged.conflicts.len(), 1, "{merged:?}");
    assert_eq!(merged.conflicts[0].path, "/keep.txt");
    assert_eq!(paths(&merged.applied.modified), ["/edit.txt"]);
    assert_eq!(paths(&merged.applied.added), ["/dir/new.txt"]);
    assert_eq!(paths(&merged.applied.deleted), ["/gone.txt"]);
    let client = other_client(base.config()).await;
    let bucket = &base.config().bucket;
    assert_eq!(
        get(&client, bucket, "edit.txt").await.unwrap(),
        b"fork edit"
    );
    assert_eq!(
        get(&client, bucket, "keep.txt").await.unwrap(),
        b"base keep"
    );
    assert_eq!(get(&client, bucket, "gone.txt").await, None);
    assert_eq!(get(&client, bucket, "dir/new.txt").await.unwrap(), b"new");

    let merged = fork.merge_into_base(OnConflict::TakeTheirs).await.unwrap();
    assert_eq!(merged.conflicts.len(), 1, "{merged:?}");
    assert_eq!(paths(&merged.applied.modified), ["/keep.txt"]);
    assert_eq!(
        get(&client, bucket, "keep.txt").await.unwrap(),
        b"fork keep"
    );

    // Merged: nothing left to merge, nothing in conflict.
    assert!(fork.changes().await.unwrap().is_empty());
    let again = fork.merge_into_base(OnConflict::Fail).await.unwrap();
    assert!(
        again.applied.is_empty() && again.conflicts.is_empty(),
        "{again:?}"
    );
    // Later changes merge cleanly.
    fork.write_file("/edit.txt", b"second round").await.unwrap();
    let next = fork.merge_into_base(OnConflict::Fail).await.unwrap();
    assert_eq!(paths(&next.applied.modified), ["/edit.txt"]);
    assert_eq!(
        get(&client, bucket, "edit.txt").await.unwrap(),
        b"second round"
    );
}

#[tokio::test]
async fn forks_chain_and_bad_locations_are_refused() {
    let (base, fork) = base_and_fork().await;
    fork.write_file("/edit.txt", b"level 1").await.unwrap();
    let target = new_bucket("forkchain").await;
    let second = fork.fork_to(&target.bucket, "").await.unwrap();
    second.write_file("/keep.txt", b"level 2").await.unwrap();
    assert_eq!(second.read_file("/edit.txt").await.unwrap(), b"level 1");
    assert_eq!(second.read_file("/dir/a.txt").await.unwrap(), b"A");
    assert_eq!(fork.read_file("/keep.txt").await.unwrap(), b"keep");

    let inside = base
        .fork_to(&base.config().bucket.clone(), "x")
        .await
        .unwrap_err();
    assert_eq!(inside.errno(), Errno::Inval, "{inside}");
    let taken = base
        .fork_to(&fork.config().bucket.clone(), "run-1")
        .await
        .unwrap_err();
    assert_eq!(taken.errno(), Errno::Exist, "{taken}");
    let not_fork = base.changes().await.unwrap_err();
    assert!(not_fork.to_string().contains("not a fork"), "{not_fork}");
}

#[tokio::test]
async fn a_portable_snapshot_is_a_frozen_copy() {
    let (base, _fork) = base_and_fork().await;
    base.create_dir("/empty").await.unwrap();
    let target = new_bucket("snapcopy").await;
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let copied = base
        .copy_to(&target.bucket, "snap-1", &|_, _| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
        .await
        .unwrap();
    assert_eq!(copied, 6);
    assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 6);
    base.write_file("/edit.txt", b"later").await.unwrap();
    Vfs::settle(&base).await.unwrap();
    let mut config = base.config().clone();
    config.bucket = target.bucket.clone();
    config.prefix = "snap-1".into();
    let snapshot = S3Fs::connect(config).await.unwrap();
    assert_eq!(snapshot.read_file("/edit.txt").await.unwrap(), b"before");
    assert!(snapshot.metadata("/empty").await.unwrap().is_dir());
    assert_eq!(snapshot.read_file("/dir/sub/b.txt").await.unwrap(), b"B");
    let again = base
        .copy_to(&target.bucket, "snap-1", &|_, _| {})
        .await
        .unwrap_err();
    assert_eq!(again.errno(), Errno::Exist);
}
