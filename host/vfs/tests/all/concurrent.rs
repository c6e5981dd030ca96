//! Many tasks on a multi-threaded runtime at once: appends through separate
//! handles never interleave inside a record, and overlays serialise their
//! copy-ups and forks without deadlocking or losing writes.

use std::sync::Arc;
use wasm_agent_vfs::{HostDirFs, MemFs, OpenOptions, OverlayFs, Vfs};

const TASKS: usize = 8;
const RECORDS: usize = 200;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .build()
        .expect("runtime")
}

/// Every task appends `RECORDS` records of its own letter through its own
/// handle; the file must end up holding exactly those, each one whole.
async fn appends_stay_whole(fs: Arc<dyn Vfs>) {
    fs.write_file("/log", b"").await.unwrap();
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let fs = fs.clone();
        tasks.push(tokio::spawn(async move {
            let write = OpenOptions {
                write: true,
                ..OpenOptions::default()
            };
            let file = fs.open("/log", write).await.unwrap();
            let record = vec![b'a' + t as u8; 16];
            for _ in 0..RECORDS {
                file.append(&record).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let log = fs.read_file("/log").await.unwrap();
    assert_eq!(log.len(), TASKS * RECORDS * 16);
    for record in log.chunks(16) {
        assert!(
            record.iter().all(|&b| b == record[0]),
            "torn record {record:?}"
        );
    }
}

#[test]
fn memfs_appends_are_atomic() {
    runtime().block_on(appends_stay_whole(Arc::new(MemFs::new())));
}

#[test]
fn host_dir_appends_are_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let fs = Arc::new(HostDirFs::new(dir.path()).unwrap());
    runtime().block_on(appends_stay_whole(fs));
}

#[test]
fn overlay_copy_ups_and_forks_race_safely() {
    runtime().block_on(async {
        let lower = MemFs::new();
        for i in 0..TASKS {
            lower.write_file(&format!("/f{i}"), b"lower").await.unwrap();
        }
        let fs = Arc::new(OverlayFs::new(Arc::new(lower)));
        let mut tasks = Vec::new();
        for i in 0..TASKS {
            let fs = fs.clone();
            tasks.push(tokio::spawn(async move {
                for round in 0..50 {
                    // Every task copies up the same shared file and its own.
                    let shared = fs.open(
                        "/f0",
                        OpenOptions {
                            write: true,
                            ..OpenOptions::default()
                        },
                    );
                    shared.await.unwrap();
                    fs.write_file(&format!("/f{i}"), format!("{i}:{round}").as_bytes())
                        .await
                        .unwrap();
                    let fork = fs.fork_overlay();
                    let seen = fork.read_file(&format!("/f{i}")).await.unwrap();
                    assert_eq!(seen, format!("{i}:{round}").as_bytes());
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        for i in 1..TASKS {
            assert_eq!(
                fs.read_file(&format!("/f{i}")).await.unwrap(),
                format!("{i}:49").as_bytes()
            );
        }
    });
}
