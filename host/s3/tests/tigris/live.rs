//! Against Tigris itself, only when `TIGRIS_STORAGE_ACCESS_KEY_ID` and
//! `TIGRIS_STORAGE_SECRET_ACCESS_KEY` are set (else it says it is skipped
//! and passes): a snapshot-enabled bucket, a write, a snapshot, a fork at
//! it, divergence, a read at the snapshot, a merge, a scoped key, and a
//! teardown of everything, also when a step fails.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use wasm_agent_s3::tigris::{Role, Tigris, WorkspaceOptions};
use wasm_agent_s3::{S3Config, S3Fs};
use wasm_agent_vfs::Vfs;

fn credentials_set() -> bool {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty());
    set("TIGRIS_STORAGE_ACCESS_KEY_ID") && set("TIGRIS_STORAGE_SECRET_ACCESS_KEY")
}

async fn put(client: &Client, bucket: &str, key: &str, body: &str) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("put {bucket}/{key}: {e:?}"));
}

async fn get(client: &Client, bucket: &str, key: &str) -> Option<String> {
    let out = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .ok()?;
    let bytes = out.body.collect().await.ok()?.into_bytes();
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshot_fork_diverge_merge_teardown_on_tigris() {
    if !credentials_set() {
        eprintln!(
            "live Tigris test skipped: set TIGRIS_STORAGE_ACCESS_KEY_ID and \
             TIGRIS_STORAGE_SECRET_ACCESS_KEY to run it"
        );
        return;
    }
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let base = format!("wasm-agent-live-{stamp}");
    let fork = format!("{base}-f");
    let tigris = Tigris::from_env().await;
    let outcome = scenario(&tigris, &base, &fork).await;
    // Whatever happened, leave nothing behind.
    for bucket in [&fork, &base] {
        if let Err(e) = tigris.force_delete_bucket(bucket).await {
            if e.kind() != wasm_agent_s3::tigris::ErrorKind::NotFound {
                eprintln!("cleanup of {bucket} failed: {e}");
            }
        }
    }
    outcome.unwrap();
}

async fn scenario(tigris: &Tigris, base: &str, fork: &str) -> Result<(), String> {
    let client = tigris.client();
    let options = WorkspaceOptions {
        snapshots: true,
        credentials: Some(Role::ReadOnly),
        ..WorkspaceOptions::default()
    };
    let ws = tigris
        .create_workspace(base, options)
        .await
        .map_err(|e| e.to_string())?;
    assert!(tigris.bucket_info(base).await.unwrap().snapshots_enabled);
    put(client, base, "notes.txt", "v1").await;

    let v1 = tigris
        .take_snapshot(base, Some("first"))
        .await
        .map_err(|e| e.to_string())?;
    let listed = tigris
        .list_snapshots(base)
        .await
        .map_err(|e| e.to_string())?;
    assert!(
        listed
            .iter()
            .any(|s| s.version == v1 && s.name.as_deref() == Some("first")),
        "{listed:?}"
    );

    tigris
        .fork(base, fork, Some(&v1))
        .await
        .map_err(|e| e.to_string())?;
    let info = tigris.bucket_info(fork).await.map_err(|e| e.to_string())?;
    assert_eq!(info.fork_source.as_deref(), Some(base));

    // Diverge: the fork changes, the base does not see it.
    put(client, fork, "notes.txt", "v2 in fork").await;
    put(client, fork, "new.txt", "only in fork").await;
    put(client, base, "base-only.txt", "after the snapshot").await;
    assert_eq!(get(client, base, "notes.txt").await.as_deref(), Some("v1"));
    assert_eq!(get(client, fork, "base-only.txt").await, None);

    // Read the base at the snapshot through the filesystem.
    let mut at = S3Config::new(base).tigris();
    at.snapshot_version = Some(v1.clone());
    let fs = S3Fs::connect(at).await.map_err(|e| e.to_string())?;
    let old = fs
        .read_file("/notes.txt")
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(old, b"v1");
    assert!(fs.read_file("/base-only.txt").await.is_err());

    // The scoped key reads the workspace.
    let key = ws.credentials.clone().expect("a ReadOnly key");
    let mut scoped = S3Config::new(base).tigris();
    scoped.credentials = key.credentials();
    let scoped_client = wasm_agent_s3::build_client(&scoped).await;
    // Keys take a moment to propagate; one retry.
    if get(&scoped_client, base, "notes.txt").await.is_none() {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    }
    assert_eq!(
        get(&scoped_client, base, "notes.txt").await.as_deref(),
        Some("v1")
    );

    tigris.merge(fork, base).await.map_err(|e| e.to_string())?;
    assert_eq!(
        get(client, base, "new.txt").await.as_deref(),
        Some("only in fork")
    );

    tigris
        .force_delete_bucket(fork)
        .await
        .map_err(|e| e.to_string())?;
    tigris
        .teardown_workspace(&ws)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
