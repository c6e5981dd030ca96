//! A server that goes away mid-flush, and writers that race.

use std::time::Duration;
use wasm_agent_s3::{S3Fs, WritePolicy};
use wasm_agent_seaweed::SeaweedServer;
use wasm_agent_vfs::{Errno, Vfs};

use crate::support::{config, get, keys, new_fs, other_client, put};

#[tokio::test]
async fn a_flush_to_a_stopped_server_fails_loses_nothing_and_retries() {
    let mut server = SeaweedServer::start();
    let bucket = server.unique_bucket("stopped");
    let mut config = config(&server, &bucket);
    config.write_policy = WritePolicy::WriteBack;
    config.max_attempts = 2;
    config.initial_backoff = Duration::from_millis(10);
    let client = other_client(&config).await;
    client.create_bucket().bucket(&bucket).send().await.unwrap();
    let fs = S3Fs::connect(config.clone()).await.unwrap();
    put(&client, &bucket, "old.txt", b"old").await;
    fs.create_dir("/d").await.unwrap();
    for i in 0..20 {
        fs.write_file(&format!("/d/f{i}"), format!("{i}").as_bytes())
            .await
            .unwrap();
    }
    fs.remove_file("/old.txt").await.unwrap();

    server.stop();
    let err = fs.flush().await.unwrap_err();
    assert_eq!(err.failed.len(), 21, "{err}");
    assert_eq!(err.deletes_held_back, 1, "{err}");
    let message = err.to_string();
    assert!(
        message.contains("/d/f7") && message.contains("flush again"),
        "{message}"
    );
    assert_eq!(fs.pending_changes(), 22);
    // Still readable locally.
    assert_eq!(fs.read_file("/d/f7").await.unwrap(), b"7");

    server.restart();
    let report = fs.flush().await.unwrap();
    assert_eq!((report.written, report.markers, report.deleted), (20, 1, 1));
    assert_eq!(fs.pending_changes(), 0);
    let stored = keys(&client, &bucket).await;
    assert_eq!(stored.len(), 21, "{stored:?}");
    assert_eq!(get(&client, &bucket, "d/f19").await.unwrap(), b"19");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_in_the_middle_of_a_flush_loses_nothing() {
    let mut server = SeaweedServer::start();
    let bucket = server.unique_bucket("midflush");
    let mut config = config(&server, &bucket);
    config.write_policy = WritePolicy::WriteBack;
    config.max_attempts = 2;
    config.initial_backoff = Duration::from_millis(10);
    let client = other_client(&config).await;
    client.create_bucket().bucket(&bucket).send().await.unwrap();
    let fs = S3Fs::connect(config.clone()).await.unwrap();
    let files = 400;
    for i in 0..files {
        fs.write_file(&format!("/f{i:03}"), format!("{i}").as_bytes())
            .await
            .unwrap();
    }
    let flushing = tokio::spawn({
        let fs = fs.clone();
        async move { fs.flush().await }
    });
    // Kill the server once some uploads have gone out.
    while fs.requests().put < 40 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.stop();
    let err = flushing.await.unwrap().unwrap_err();
    let uploaded = err.report.written;
    assert!(
        uploaded < files,
        "the flush finished before the kill: {err}"
    );
    assert_eq!(err.failed.len() + uploaded, files, "{err}");
    // What failed is still pending and readable; what was acknowledged
    // is not pending any more.
    assert_eq!(fs.pending_changes(), files - uploaded);
    assert_eq!(fs.read_file("/f399").await.unwrap(), b"399");

    server.restart();
    let stored_before = keys(&client, &bucket).await.len();
    assert!(stored_before >= uploaded, "acknowledged uploads were lost");
    let report = fs.flush().await.unwrap();
    assert_eq!(report.written, files - uploaded);
    assert_eq!(keys(&client, &bucket).await.len(), files);
    assert_eq!(get(&client, &bucket, "f123").await.unwrap(), b"123");
}

#[tokio::test]
async fn a_concurrent_writer_is_detected_not_overwritten() {
    let (fs, config) = new_fs("race", WritePolicy::WriteBack).await;
    let client = other_client(&config).await;
    put(&client, &config.bucket, "shared.txt", b"original").await;
    assert_eq!(fs.read_file("/shared.txt").await.unwrap(), b"original");
    fs.write_file("/shared.txt", b"ours").await.unwrap();
    put(&client, &config.bucket, "shared.txt", b"theirs").await;
    // Created on both sides.
    fs.write_file("/new.txt", b"ours").await.unwrap();
    put(&client, &config.bucket, "new.txt", b"theirs").await;

    let err = fs.flush().await.unwrap_err();
    assert_eq!(err.failed.len(), 2, "{err}");
    for failure in &err.failed {
        assert_eq!(failure.errno(), Errno::Exist, "{failure}");
        assert!(failure.to_string().contains("another writer"), "{failure}");
    }
    assert_eq!(
        get(&client, &config.bucket, "shared.txt").await.unwrap(),
        b"theirs"
    );
    assert_eq!(
        get(&client, &config.bucket, "new.txt").await.unwrap(),
        b"theirs"
    );
    // Ours is kept locally, not dropped.
    assert_eq!(fs.read_file("/shared.txt").await.unwrap(), b"ours");
    let vfs_err = Vfs::flush(&fs).await.unwrap_err();
    assert_eq!(vfs_err.errno(), Errno::Exist);
}

#[tokio::test]
async fn a_write_that_already_landed_is_not_a_conflict() {
    // What a retry after a lost answer sees: the object already holds the
    // very bytes the precondition-guarded upload carries.
    let (fs, config) = new_fs("landed", WritePolicy::WriteBack).await;
    let client = other_client(&config).await;
    fs.write_file("/same.txt", b"identical bytes")
        .await
        .unwrap();
    put(&client, &config.bucket, "same.txt", b"identical bytes").await;
    fs.write_file("/differs.txt", b"ours").await.unwrap();
    put(&client, &config.bucket, "differs.txt", b"theirs").await;
    let err = fs.flush().await.unwrap_err();
    assert_eq!(err.failed.len(), 1, "{err}");
    assert_eq!(err.failed[0].path(), "/differs.txt");
    assert_eq!(err.report.written, 1, "same.txt counts as written");
    assert_eq!(fs.pending_changes(), 1);
}
