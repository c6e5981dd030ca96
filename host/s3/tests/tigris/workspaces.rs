//! Workspaces: what is created, in which order, and what a failure half
//! way returns; teardown order and what it reports.

use std::time::Duration;

use wasm_agent_s3::tigris::{ErrorKind, Resource, Role, Workspace, WorkspaceOptions};

use crate::mock::{MockTigris, Recorded, Reply};
use crate::support::{access_key_created, assert_error, assert_tigris_headers, create_key_request};

fn is_iam(req: &Recorded, action: &str) -> bool {
    req.method == "POST" && req.query == format!("Action={action}")
}

#[tokio::test]
async fn a_plain_workspace_with_a_ttl_rounds_it_up_to_days() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let options = WorkspaceOptions {
        ttl: Some(Duration::from_secs(36 * 3600)),
        ..WorkspaceOptions::default()
    };
    let ws = server
        .tigris()
        .await
        .create_workspace("agent-ws-1", options)
        .await
        .unwrap();
    assert_eq!(
        ws,
        Workspace {
            bucket: "agent-ws-1".into(),
            credentials: None,
            snapshots: false,
            ttl_days: Some(2),
        }
    );
    let requests = server.requests();
    assert_eq!(server.lines(), ["PUT /agent-ws-1", "PUT /agent-ws-1"]);
    assert_tigris_headers(&requests[0], &[]);
    assert!(requests[1].has_param("lifecycle"));
    assert!(
        requests[1].text().contains("<Days>2</Days>"),
        "{}",
        requests[1].text()
    );
}

#[tokio::test]
async fn a_ttl_with_snapshots_is_refused_before_any_request() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let options = WorkspaceOptions {
        ttl: Some(Duration::from_secs(3600)),
        snapshots: true,
        credentials: Some(Role::Editor),
    };
    let err = server
        .tigris()
        .await
        .create_workspace("agent-ws-2", options)
        .await
        .unwrap_err();
    assert!(err.created.is_none());
    assert_error(
        &err.error,
        ErrorKind::Unsupported,
        &[
            "create workspace 'agent-ws-2'",
            "does not allow a TTL",
            "snapshot-enabled",
        ],
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_snapshot_workspace_with_an_editor_key() {
    let server = MockTigris::start(|req| {
        if is_iam(req, "CreateAccessKeyWithBucketsRole") {
            access_key_created("tid_WS", "tsec_WS", "agent-ws-3-key")
        } else {
            Reply::ok()
        }
    })
    .await;
    let options = WorkspaceOptions {
        snapshots: true,
        credentials: Some(Role::Editor),
        ..WorkspaceOptions::default()
    };
    let ws = server
        .tigris()
        .await
        .create_workspace("agent-ws-3", options)
        .await
        .unwrap();
    assert!(ws.snapshots && ws.ttl_days.is_none());
    let key = ws.credentials.as_ref().expect("a key");
    assert_eq!((key.id.as_str(), key.secret()), ("tid_WS", "tsec_WS"));
    assert_eq!(key.grants, [("agent-ws-3".into(), Role::Editor)]);
    match key.credentials() {
        wasm_agent_s3::Credentials::Static {
            access_key_id,
            secret_access_key,
            session_token: None,
        } => assert_eq!(
            (access_key_id.as_str(), secret_access_key.as_str()),
            ("tid_WS", "tsec_WS")
        ),
        other => panic!("{other:?}"),
    }

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_tigris_headers(&requests[0], &[("X-Tigris-Enable-Snapshot", "true")]);
    let req = create_key_request(&requests[1]);
    assert_eq!(req["name"], "agent-ws-3-key");
    assert_eq!(
        req["buckets_role"],
        serde_json::json!([{"bucket": "agent-ws-3", "role": "Editor"}])
    );
}

#[tokio::test]
async fn a_failed_key_returns_the_bucket_that_was_made() {
    let server = MockTigris::start(|req| {
        if req.method == "POST" {
            Reply::json(403, r#"{"Error":{"Code":"AccessDenied","Message":"no"}}"#)
        } else {
            Reply::ok()
        }
    })
    .await;
    let options = WorkspaceOptions {
        credentials: Some(Role::ReadOnly),
        ..WorkspaceOptions::default()
    };
    let err = server
        .tigris()
        .await
        .create_workspace("agent-ws-4", options)
        .await
        .unwrap_err();
    let made = err.created.as_ref().expect("the bucket was made");
    assert_eq!(made.bucket, "agent-ws-4");
    assert!(made.credentials.is_none());
    assert_error(&err.error, ErrorKind::AccessDenied, &["create access key"]);
    let shown = err.to_string();
    assert!(
        shown.contains("bucket 'agent-ws-4' was created and is still there"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_failed_ttl_returns_the_bucket_that_was_made() {
    let server = MockTigris::start(|req| {
        if req.has_param("lifecycle") {
            Reply::s3_error(501, "NotImplemented", "lifecycle is not available")
        } else {
            Reply::ok()
        }
    })
    .await;
    let options = WorkspaceOptions {
        ttl: Some(Duration::from_secs(86_400)),
        credentials: Some(Role::Editor),
        ..WorkspaceOptions::default()
    };
    let err = server
        .tigris()
        .await
        .create_workspace("agent-ws-5", options)
        .await
        .unwrap_err();
    let made = err.created.as_ref().expect("the bucket was made");
    assert_eq!((made.bucket.as_str(), made.ttl_days), ("agent-ws-5", None));
    assert_eq!(err.error.kind(), ErrorKind::Unsupported, "{}", err.error);
    // No key is made for a workspace that failed.
    assert!(server.requests().iter().all(|r| r.method != "POST"));
}

#[tokio::test]
async fn a_taken_name_creates_nothing() {
    let server = MockTigris::start(|_| Reply::s3_error(409, "BucketAlreadyExists", "taken")).await;
    let err = server
        .tigris()
        .await
        .create_workspace("agent-ws-6", WorkspaceOptions::default())
        .await
        .unwrap_err();
    assert!(err.created.is_none());
    assert_eq!(err.error.kind(), ErrorKind::AlreadyExists);
}

/// A workspace with a key, as create_workspace returns it.
async fn workspace_with_key(server: &MockTigris, name: &str) -> Workspace {
    let options = WorkspaceOptions {
        credentials: Some(Role::Editor),
        ..WorkspaceOptions::default()
    };
    server
        .tigris()
        .await
        .create_workspace(name, options)
        .await
        .unwrap()
}

#[tokio::test]
async fn teardown_revokes_the_key_then_force_deletes() {
    let server = MockTigris::start(|req| {
        if is_iam(req, "CreateAccessKeyWithBucketsRole") {
            access_key_created("tid_T", "tsec_T", "agent-ws-7-key")
        } else if req.method == "DELETE" {
            Reply::status(204)
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let ws = workspace_with_key(&server, "agent-ws-7").await;
    server.tigris().await.teardown_workspace(&ws).await.unwrap();
    let requests = server.requests();
    let tail: Vec<&Recorded> = requests[2..].iter().collect();
    assert_eq!(tail.len(), 2);
    assert!(is_iam(tail[0], "DeleteAccessKey"), "{}", tail[0].line());
    assert!(
        tail[0].text().contains("AccessKeyId=tid_T"),
        "{}",
        tail[0].text()
    );
    assert_eq!(tail[1].line(), "DELETE /agent-ws-7");
    assert_tigris_headers(
        tail[1],
        &[
            ("Tigris-Force-Delete", "true"),
            ("X-Tigris-Force-Delete", "true"),
        ],
    );
}

#[tokio::test]
async fn a_failed_revoke_is_reported_and_the_bucket_still_deleted() {
    let server = MockTigris::start(|req| {
        if is_iam(req, "CreateAccessKeyWithBucketsRole") {
            access_key_created("tid_U", "tsec_U", "k")
        } else if is_iam(req, "DeleteAccessKey") {
            Reply::json(
                500,
                r#"{"Error":{"Code":"InternalError","Message":"try later"}}"#,
            )
        } else if req.method == "DELETE" {
            Reply::status(204)
        } else {
            Reply::ok()
        }
    })
    .await;
    let ws = workspace_with_key(&server, "agent-ws-8").await;
    let err = server
        .tigris()
        .await
        .teardown_workspace(&ws)
        .await
        .unwrap_err();
    assert_eq!(err.failures.len(), 1);
    assert_eq!(
        err.failures[0].0,
        Resource::AccessKey {
            id: "tid_U".into(),
            bucket: "agent-ws-8".into()
        }
    );
    assert_eq!(err.failures[0].1.kind(), ErrorKind::Unavailable);
    let shown = err.to_string();
    assert!(
        shown.contains("access key tid_U (for bucket 'agent-ws-8')"),
        "{shown}"
    );
    assert!(shown.contains("run the teardown again"), "{shown}");
    assert!(server.lines().contains(&"DELETE /agent-ws-8".to_string()));
}

#[tokio::test]
async fn what_is_already_gone_counts_as_removed() {
    let server = MockTigris::start(|req| {
        if is_iam(req, "CreateAccessKeyWithBucketsRole") {
            access_key_created("tid_V", "tsec_V", "k")
        } else if is_iam(req, "DeleteAccessKey") {
            Reply::json(404, r#"{"Error":{"Code":"NoSuchEntity","Message":"gone"}}"#)
        } else if req.method == "DELETE" {
            Reply::s3_error(404, "NoSuchBucket", "gone")
        } else {
            Reply::ok()
        }
    })
    .await;
    let ws = workspace_with_key(&server, "agent-ws-9").await;
    server.tigris().await.teardown_workspace(&ws).await.unwrap();
}
