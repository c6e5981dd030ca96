//! Checkpoints: a labelled snapshot, the list of them, a restore as a fork
//! at one.

use wasm_agent_s3::tigris::ErrorKind;

use crate::mock::{MockTigris, Reply};
use crate::support::{assert_error, assert_tigris_headers, snapshot_listing};

const V1: &str = "1751631910169675092";
const V2: &str = "1751632000000000000";

#[tokio::test]
async fn checkpoint_list_and_restore() {
    let server = MockTigris::start(|req| match req.method.as_str() {
        "GET" => snapshot_listing(&[
            (V1, Some("step-1"), "2025-07-04T12:25:10Z"),
            (V2, Some("step-2"), "2025-07-04T12:26:40Z"),
        ]),
        _ => Reply::ok().header("X-Tigris-Snapshot-Version", V2),
    })
    .await;
    let tigris = server.tigris().await;
    let id = tigris.checkpoint("agent-ws", Some("step-2")).await.unwrap();
    assert_eq!(id, V2);
    let listed = tigris.list_checkpoints("agent-ws").await.unwrap();
    let labels: Vec<(&str, Option<&str>)> = listed
        .iter()
        .map(|c| (c.version.as_str(), c.name.as_deref()))
        .collect();
    assert_eq!(labels, [(V1, Some("step-1")), (V2, Some("step-2"))]);

    let restored = tigris.restore("agent-ws", V1).await.unwrap();
    assert!(restored.starts_with("agent-ws-restore-"), "{restored}");
    tigris
        .restore_as("agent-ws", V1, "agent-ws-back")
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(
        server.lines(),
        [
            "PUT /agent-ws".to_string(),
            "GET /".into(),
            format!("PUT /{restored}"),
            "PUT /agent-ws-back".into(),
        ]
    );
    assert_tigris_headers(&requests[0], &[("X-Tigris-Snapshot", "true; name=step-2")]);
    assert_tigris_headers(&requests[1], &[("X-Tigris-Snapshot", "agent-ws")]);
    for restore in &requests[2..] {
        assert_tigris_headers(
            restore,
            &[
                ("X-Tigris-Fork-Source-Bucket", "agent-ws"),
                ("X-Tigris-Fork-Source-Bucket-Snapshot", V1),
            ],
        );
    }
}

#[tokio::test]
async fn restoring_an_unknown_checkpoint_reports_tigris_refusal() {
    let server = MockTigris::start(|req| match req.method.as_str() {
        "PUT" => Reply::s3_error(404, "NoSuchSnapshot", "snapshot not found"),
        _ => Reply::ok().header("X-Tigris-Enable-Snapshot", "true"),
    })
    .await;
    let err = server
        .tigris()
        .await
        .restore_as("agent-ws", V1, "agent-ws-back")
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::NotFound,
        &["NoSuchSnapshot", "snapshot not found"],
    );
}

#[tokio::test]
async fn a_long_bucket_name_needs_restore_as() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let bucket = "b".repeat(50);
    let err = server
        .tigris()
        .await
        .restore(&bucket, V1)
        .await
        .unwrap_err();
    assert_error(&err, ErrorKind::InvalidInput, &["restore_as"]);
    assert!(server.requests().is_empty());
}
