//! Forking (now and at a snapshot), merging a fork back, rebasing it.

use wasm_agent_s3::tigris::ErrorKind;

use crate::mock::{MockTigris, Reply};
use crate::support::{assert_error, assert_tigris_headers};

const V1: &str = "1751631910169675092";

#[tokio::test]
async fn a_fork_of_the_current_state_names_only_the_source() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    server
        .tigris()
        .await
        .fork("agent-base", "agent-run-1", None)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(server.lines(), ["PUT /agent-run-1"]);
    assert_tigris_headers(
        &requests[0],
        &[("X-Tigris-Fork-Source-Bucket", "agent-base")],
    );
}

#[tokio::test]
async fn a_fork_at_a_snapshot_names_the_version_too() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    server
        .tigris()
        .await
        .fork("agent-base", "agent-run-2", Some(V1))
        .await
        .unwrap();
    assert_tigris_headers(
        &server.requests()[0],
        &[
            ("X-Tigris-Fork-Source-Bucket", "agent-base"),
            ("X-Tigris-Fork-Source-Bucket-Snapshot", V1),
        ],
    );
}

#[tokio::test]
async fn forking_a_bucket_without_snapshots_says_so() {
    let server = MockTigris::start(|req| match req.method.as_str() {
        "PUT" => Reply::s3_error(400, "InvalidArgument", "source bucket has no snapshots"),
        _ => Reply::ok(),
    })
    .await;
    let err = server
        .tigris()
        .await
        .fork("plain-base", "run-1", None)
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::NotSnapshotEnabled,
        &["bucket 'plain-base' is not snapshot-enabled"],
    );
    assert_eq!(server.lines(), ["PUT /run-1", "HEAD /plain-base"]);
}

#[tokio::test]
async fn a_taken_fork_name_is_not_blamed_on_the_source() {
    let server =
        MockTigris::start(|_| Reply::s3_error(409, "BucketAlreadyOwnedByYou", "exists")).await;
    let err = server
        .tigris()
        .await
        .fork("agent-base", "run-1", None)
        .await
        .unwrap_err();
    assert_error(&err, ErrorKind::AlreadyExists, &["fork 'run-1'"]);
    assert_eq!(server.lines(), ["PUT /run-1"]);
}

#[tokio::test]
async fn merge_puts_the_parent_naming_the_fork() {
    let server = MockTigris::start(|_| Reply::ok().header("X-Tigris-Snapshot-Version", V1)).await;
    let version = server
        .tigris()
        .await
        .merge("agent-run-1", "agent-base")
        .await
        .unwrap();
    assert_eq!(version.as_deref(), Some(V1));
    let requests = server.requests();
    assert_eq!(server.lines(), ["PUT /agent-base"]);
    assert_tigris_headers(
        &requests[0],
        &[("X-Tigris-Merge-Source-Bucket", "agent-run-1")],
    );
}

#[tokio::test]
async fn merging_something_that_is_not_a_direct_fork_explains_why() {
    let server = MockTigris::start(|_| {
        Reply::s3_error(
            400,
            "InvalidArgument",
            "merge source is not a fork of target",
        )
    })
    .await;
    let err = server
        .tigris()
        .await
        .merge("stranger", "agent-base")
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::Service,
        &[
            "merge fork into 'agent-base'",
            "InvalidArgument",
            "'stranger' must be a direct fork of 'agent-base'",
        ],
    );
}

#[tokio::test]
async fn rebase_puts_the_fork_with_the_rebase_header() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let version = server.tigris().await.rebase("agent-run-1").await.unwrap();
    assert_eq!(version, None, "no version header, none reported");
    let requests = server.requests();
    assert_eq!(server.lines(), ["PUT /agent-run-1"]);
    assert_tigris_headers(&requests[0], &[("X-Tigris-Rebase", "true")]);
}
