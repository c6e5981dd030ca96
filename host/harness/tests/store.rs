//! Session stores: memory, a host directory (across "restarts"), errors.

use serde_json::json;
use wasm_agent_harness::message::{Content, Message, Role, Usage};
use wasm_agent_harness::store::{SessionRecord, SessionStore, VfsStore};

fn record(text: &str) -> SessionRecord {
    SessionRecord {
        format: 1,
        messages: vec![
            Message::user(text),
            Message {
                role: Role::Assistant,
                content: vec![Content::ToolUse {
                    id: "t1".into(),
                    name: "bash".into(),
                    input: json!({"command": "ls"}),
                }],
            },
        ],
        usage: Usage {
            input_tokens: 10,
            output_tokens: 2,
            ..Usage::default()
        },
    }
}

async fn round_trip(store: &dyn SessionStore) {
    assert_eq!(store.load("alpha").await.unwrap(), None);
    store.save("alpha", &record("first")).await.unwrap();
    store.save("beta.2", &record("second")).await.unwrap();
    store.save("alpha", &record("replaced")).await.unwrap();
    assert_eq!(store.load("alpha").await.unwrap(), Some(record("replaced")));
    assert_eq!(store.list().await.unwrap(), ["alpha", "beta.2"]);
    store.delete("beta.2").await.unwrap();
    store.delete("never-saved").await.unwrap();
    assert_eq!(store.list().await.unwrap(), ["alpha"]);
    for bad in ["", "../escape", ".hidden", "a/b", "sp ace"] {
        let err = store.save(bad, &record("x")).await.unwrap_err().to_string();
        assert!(err.contains("may hold only"), "{bad}: {err}");
    }
}

#[tokio::test]
async fn memory_sessions_round_trip() {
    round_trip(&VfsStore::memory()).await;
}

#[tokio::test]
async fn directory_sessions_survive_a_restart_and_report_corruption() {
    let dir = tempfile::tempdir().unwrap();
    round_trip(&VfsStore::directory(dir.path()).unwrap()).await;
    // A new store over the same directory: what a restarted process sees.
    let again = VfsStore::directory(dir.path()).unwrap();
    assert_eq!(again.load("alpha").await.unwrap(), Some(record("replaced")));
    // No temporary files are left behind.
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["alpha.session.json"]);

    std::fs::write(dir.path().join("alpha.session.json"), b"{not json").unwrap();
    let err = again.load("alpha").await.unwrap_err().to_string();
    assert!(
        err.contains("alpha") && err.contains("not a valid session"),
        "{err}"
    );
    let err = VfsStore::directory(dir.path().join("missing"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot keep sessions"), "{err}");
}

#[tokio::test]
async fn bucket_sessions_are_there_for_the_next_process() {
    use std::sync::Arc;
    use wasm_agent::s3::{S3Fs, WritePolicy};

    let mut config = wasm_agent_s3_support::new_bucket("sessions").await;
    // Write-back: only the store's own flush makes a save durable.
    config.write_policy = WritePolicy::WriteBack;
    let bucket = S3Fs::connect(config.clone()).await.unwrap();
    round_trip(&VfsStore::new(Arc::new(bucket), "/agents/sessions")).await;

    let fresh = S3Fs::connect(config).await.unwrap();
    let again = VfsStore::new(Arc::new(fresh), "/agents/sessions");
    assert_eq!(again.list().await.unwrap(), ["alpha"]);
    assert_eq!(again.load("alpha").await.unwrap(), Some(record("replaced")));
}
