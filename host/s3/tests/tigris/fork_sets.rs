//! Fork sets: one snapshot, n forks at it, keys per fork; a failure in
//! the middle reports exactly what was made; teardown of the lot.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use wasm_agent_s3::tigris::{ErrorKind, ForkOptions, Resource, Role};

use crate::mock::{MockTigris, Recorded, Reply};
use crate::support::{access_key_created, assert_tigris_headers, create_key_request};

const SNAP: &str = "1751631910169675092";

/// A snapshot answer for the base, a key for any key request, `fork` for
/// each fork.
fn tigris_like(
    fork: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> impl Fn(&Recorded) -> Reply + Send + Sync + 'static {
    move |req: &Recorded| {
        if req.method == "POST" {
            let name = create_key_request(req)["name"].as_str().unwrap().to_owned();
            access_key_created(&format!("tid_{name}"), "tsec_x", &name)
        } else if req.header("x-tigris-snapshot").is_some() {
            Reply::ok().header("X-Tigris-Snapshot-Version", SNAP)
        } else if req.method == "DELETE" {
            Reply::status(204)
        } else {
            fork(req)
        }
    }
}

fn options(prefix: &str, role: Option<Role>) -> ForkOptions {
    ForkOptions {
        prefix: Some(prefix.into()),
        credentials: role,
    }
}

#[tokio::test]
async fn all_forks_start_at_one_snapshot_with_a_key_each() {
    let server = MockTigris::start(tigris_like(|_| Reply::ok())).await;
    let set = server
        .tigris()
        .await
        .create_forks("agent-base", 3, options("run", Some(Role::Editor)))
        .await
        .unwrap();
    assert_eq!(
        (set.base.as_str(), set.snapshot.as_str()),
        ("agent-base", SNAP)
    );
    let names: Vec<&str> = set.forks.iter().map(|f| f.bucket.as_str()).collect();
    assert_eq!(names, ["run-0", "run-1", "run-2"]);
    for fork in &set.forks {
        let key = fork.credentials.as_ref().expect("key");
        assert_eq!(key.id, format!("tid_{}-key", fork.bucket));
        assert_eq!(key.grants, [(fork.bucket.clone(), Role::Editor)]);
    }

    let requests = server.requests();
    assert_eq!(requests[0].line(), "PUT /agent-base");
    assert_tigris_headers(&requests[0], &[("X-Tigris-Snapshot", "true")]);
    let forks: Vec<&Recorded> = requests
        .iter()
        .filter(|r| r.method == "PUT" && r.path.starts_with("/run-"))
        .collect();
    assert_eq!(forks.len(), 3);
    for fork in forks {
        assert_tigris_headers(
            fork,
            &[
                ("X-Tigris-Fork-Source-Bucket", "agent-base"),
                ("X-Tigris-Fork-Source-Bucket-Snapshot", SNAP),
            ],
        );
    }
    assert_eq!(
        requests.len(),
        1 + 3 + 3,
        "one snapshot, three forks, three keys"
    );
}

#[tokio::test]
async fn a_failure_in_the_middle_lists_exactly_what_was_made() {
    let server = MockTigris::start(tigris_like(|req| {
        if req.path == "/mid-2" {
            Reply::s3_error(409, "BucketAlreadyExists", "taken")
        } else {
            Reply::ok()
        }
    }))
    .await;
    let err = server
        .tigris()
        .await
        .create_forks("agent-base", 4, options("mid", Some(Role::ReadOnly)))
        .await
        .unwrap_err();
    let set = err.created.as_ref().expect("forks were made");
    let made: Vec<&str> = set.forks.iter().map(|f| f.bucket.as_str()).collect();
    assert_eq!(made, ["mid-0", "mid-1", "mid-3"]);
    assert!(set.forks.iter().all(|f| f.credentials.is_some()));
    assert_eq!(err.failures.len(), 1);
    assert_eq!(err.failures[0].0, "mid-2");
    assert_eq!(err.failures[0].1.kind(), ErrorKind::AlreadyExists);
    assert!(err.not_attempted.is_empty());
    let shown = err.to_string();
    assert!(shown.contains("[mid-0, mid-1, mid-3]"), "{shown}");
    assert!(shown.contains("mid-2: fork 'mid-2'"), "{shown}");
    // Every key the server handed out is in the result.
    let keys_made = server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(keys_made, 3);
}

#[tokio::test]
async fn a_fork_whose_key_failed_is_listed_as_half_made() {
    let server = MockTigris::start(move |req: &Recorded| {
        if req.method == "POST" && create_key_request(req)["name"] == "half-1-key" {
            return Reply::json(403, r#"{"Error":{"Code":"AccessDenied","Message":"no"}}"#);
        }
        tigris_like(|_| Reply::ok())(req)
    })
    .await;
    let err = server
        .tigris()
        .await
        .create_forks("agent-base", 2, options("half", Some(Role::Editor)))
        .await
        .unwrap_err();
    let set = err.created.as_ref().unwrap();
    let made: Vec<(&str, bool)> = set
        .forks
        .iter()
        .map(|f| (f.bucket.as_str(), f.credentials.is_some()))
        .collect();
    assert_eq!(made, [("half-0", true), ("half-1", false)]);
    assert_eq!(err.failures[0].0, "half-1");
    let shown = err.to_string();
    assert!(
        shown.contains("half-1: bucket created, access key not"),
        "{shown}"
    );
}

#[tokio::test]
async fn after_a_failure_no_new_forks_are_started() {
    // Fork 0 fails at once; the others take a while, so all 8 slots are
    // busy when the failure is seen and forks 8.. are never started.
    let server = MockTigris::start(tigris_like(|req| {
        if req.path == "/many-0" {
            Reply::s3_error(500, "InternalError", "boom")
        } else {
            Reply::ok().after(Duration::from_millis(300))
        }
    }))
    .await;
    let err = server
        .tigris()
        .await
        .create_forks("agent-base", 20, options("many", None))
        .await
        .unwrap_err();
    let made: BTreeSet<String> = err
        .created
        .as_ref()
        .unwrap()
        .forks
        .iter()
        .map(|f| f.bucket.clone())
        .collect();
    let failed: BTreeSet<String> = err.failures.iter().map(|(n, _)| n.clone()).collect();
    let skipped: BTreeSet<String> = err.not_attempted.iter().cloned().collect();
    assert_eq!(failed, BTreeSet::from(["many-0".to_string()]));
    assert_eq!(made.len(), 7, "{made:?}");
    assert_eq!(skipped.len(), 12, "{skipped:?}");
    let all: BTreeSet<String> = (0..20).map(|i| format!("many-{i}")).collect();
    let covered: BTreeSet<String> = made.union(&failed).chain(skipped.iter()).cloned().collect();
    assert_eq!(covered, all, "every fork is made, failed or not attempted");
    let started = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/many-"))
        .count();
    assert_eq!(started, 8);
    assert!(err.to_string().contains("not attempted: "), "{err}");
}

#[tokio::test]
async fn a_base_without_snapshots_creates_nothing() {
    let server = MockTigris::start(|req| match req.method.as_str() {
        "PUT" => Reply::s3_error(400, "InvalidRequest", "snapshots not enabled"),
        _ => Reply::ok(),
    })
    .await;
    let err = server
        .tigris()
        .await
        .create_forks("plain-base", 2, ForkOptions::default())
        .await
        .unwrap_err();
    assert!(err.created.is_none());
    assert_eq!(err.failures[0].0, "plain-base");
    assert_eq!(err.failures[0].1.kind(), ErrorKind::NotSnapshotEnabled);
    assert!(
        err.to_string().starts_with("no forks were created"),
        "{err}"
    );
}

#[tokio::test]
async fn names_too_long_and_zero_forks_are_refused_before_any_request() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let tigris = server.tigris().await;
    let err = tigris
        .create_forks("agent-base", 0, ForkOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.failures[0].1.kind(), ErrorKind::InvalidInput);
    let long = "p".repeat(62);
    let err = tigris
        .create_forks("agent-base", 2, options(&long, None))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("shorter prefix"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_default_names_follow_the_base() {
    let server = MockTigris::start(tigris_like(|_| Reply::ok())).await;
    let set = server
        .tigris()
        .await
        .create_forks("agent-base", 1, ForkOptions::default())
        .await
        .unwrap();
    let name = &set.forks[0].bucket;
    let stamp = name
        .strip_prefix("agent-base-fork-")
        .and_then(|rest| rest.strip_suffix("-0"))
        .unwrap_or_else(|| panic!("{name}"));
    assert!(stamp.parse::<u64>().is_ok(), "{name}");
}

#[tokio::test]
async fn teardown_removes_every_fork_and_lists_what_stayed() {
    let deletes = Arc::new(AtomicUsize::new(0));
    let seen = deletes.clone();
    let server = MockTigris::start(tigris_like(|_| Reply::ok())).await;
    let tigris = server.tigris().await;
    let set = tigris
        .create_forks("agent-base", 3, options("td", Some(Role::Editor)))
        .await
        .unwrap();
    drop(server);

    // A second server for the teardown: "td-1" cannot be deleted.
    let server = MockTigris::start(move |req: &Recorded| {
        if req.method == "DELETE" {
            seen.fetch_add(1, Ordering::SeqCst);
            if req.path == "/td-1" {
                return Reply::s3_error(403, "AccessDenied", "not yours");
            }
            return Reply::status(204);
        }
        Reply::json(200, "{}")
    })
    .await;
    let tigris = server.tigris().await;
    let err = tigris.teardown_forks(&set).await.unwrap_err();
    assert_eq!(
        deletes.load(Ordering::SeqCst),
        3,
        "every bucket is attempted"
    );
    assert_eq!(err.failures.len(), 1);
    assert_eq!(err.failures[0].0, Resource::Bucket("td-1".into()));
    let revokes = server
        .requests()
        .iter()
        .filter(|r| r.query == "Action=DeleteAccessKey")
        .count();
    assert_eq!(revokes, 3);
}
