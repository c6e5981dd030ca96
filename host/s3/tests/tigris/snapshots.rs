//! Taking, listing and deleting snapshots.

use wasm_agent_s3::tigris::ErrorKind;

use crate::mock::{MockTigris, Reply};
use crate::support::{assert_error, assert_tigris_headers, snapshot_listing};

const V1: &str = "1751631910169675092";
const V2: &str = "1751631999000000001";

#[tokio::test]
async fn a_named_snapshot_returns_the_version_tigris_sends() {
    let server = MockTigris::start(|_| Reply::ok().header("X-Tigris-Snapshot-Version", V1)).await;
    let tigris = server.tigris().await;
    let version = tigris
        .take_snapshot("agent-base", Some("epoch-50"))
        .await
        .unwrap();
    assert_eq!(version, V1);
    let unnamed = tigris.take_snapshot("agent-base", None).await.unwrap();
    assert_eq!(unnamed, V1);

    let requests = server.requests();
    assert_eq!(server.lines(), ["PUT /agent-base", "PUT /agent-base"]);
    assert_tigris_headers(
        &requests[0],
        &[("X-Tigris-Snapshot", "true; name=epoch-50")],
    );
    assert_tigris_headers(&requests[1], &[("X-Tigris-Snapshot", "true")]);
}

#[tokio::test]
async fn a_bucket_without_snapshots_is_named_as_such() {
    // Tigris refuses the snapshot; the bucket's HEAD shows no snapshots.
    let server = MockTigris::start(|req| match req.method.as_str() {
        "PUT" => Reply::s3_error(400, "InvalidRequest", "snapshots are not enabled"),
        _ => Reply::ok(),
    })
    .await;
    let err = server
        .tigris()
        .await
        .take_snapshot("plain-bucket", None)
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::NotSnapshotEnabled,
        &[
            "bucket 'plain-bucket' is not snapshot-enabled",
            "create it with snapshots enabled",
        ],
    );
    assert_eq!(server.lines(), ["PUT /plain-bucket", "HEAD /plain-bucket"]);
}

#[tokio::test]
async fn an_answer_without_a_version_is_an_error_not_a_snapshot() {
    // A server that knows no Tigris headers answers the CreateBucket of an
    // existing bucket with 200 and no version.
    let server = MockTigris::start(|_| Reply::ok()).await;
    let err = server
        .tigris()
        .await
        .take_snapshot("not-tigris", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSnapshotEnabled, "{err}");
    assert!(
        err.to_string().contains("X-Tigris-Snapshot-Version"),
        "{err}"
    );
}

#[tokio::test]
async fn a_missing_bucket_is_not_found_without_a_second_request() {
    let server = MockTigris::start(|_| {
        Reply::s3_error(404, "NoSuchBucket", "The specified bucket does not exist")
    })
    .await;
    let err = server
        .tigris()
        .await
        .take_snapshot("nobody", None)
        .await
        .unwrap_err();
    assert_error(&err, ErrorKind::NotFound, &["'nobody'", "NoSuchBucket"]);
    assert_eq!(server.lines(), ["PUT /nobody"]);
}

#[tokio::test]
async fn labels_that_would_break_the_header_are_refused() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let err = server
        .tigris()
        .await
        .take_snapshot("agent-base", Some("a; name=b"))
        .await
        .unwrap_err();
    assert_error(&err, ErrorKind::InvalidInput, &["snapshot name"]);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn listing_parses_versions_labels_and_times_oldest_first() {
    let server = MockTigris::start(|_| {
        snapshot_listing(&[
            (V2, None, "2025-07-04T12:26:39.000Z"),
            (V1, Some("epoch-50"), "2025-07-04T12:25:10.169Z"),
        ])
    })
    .await;
    let snapshots = server
        .tigris()
        .await
        .list_snapshots("agent-base")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("GET", "/")
    );
    assert_tigris_headers(&requests[0], &[("X-Tigris-Snapshot", "agent-base")]);

    let summary: Vec<(&str, Option<&str>)> = snapshots
        .iter()
        .map(|s| (s.version.as_str(), s.name.as_deref()))
        .collect();
    assert_eq!(summary, [(V1, Some("epoch-50")), (V2, None)]);
    let created = snapshots[0]
        .created
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    assert_eq!(created.as_millis(), 1_751_631_910_169);
}

#[tokio::test]
async fn deleting_a_snapshot_names_its_version_on_delete_bucket() {
    let server = MockTigris::start(|req| match req.method.as_str() {
        "GET" => snapshot_listing(&[(V1, Some("keep"), "2025-07-04T12:25:10Z")]),
        _ => Reply::status(204),
    })
    .await;
    server
        .tigris()
        .await
        .delete_snapshot("agent-base", V1)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(server.lines(), ["GET /", "DELETE /agent-base"]);
    assert_tigris_headers(&requests[1], &[("X-Tigris-Snapshot-Version", V1)]);
}

#[tokio::test]
async fn deleting_an_unknown_snapshot_deletes_nothing() {
    let server =
        MockTigris::start(|_| snapshot_listing(&[(V1, None, "2025-07-04T12:25:10Z")])).await;
    let err = server
        .tigris()
        .await
        .delete_snapshot("agent-base", V2)
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::NotFound,
        &[
            &format!("'agent-base@{V2}'"),
            "has no snapshot",
            "list_snapshots",
        ],
    );
    assert_eq!(server.lines(), ["GET /"], "no DeleteBucket may be sent");
}
