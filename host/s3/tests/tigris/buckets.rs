//! Bucket creation (plain and snapshot-enabled), inspection, TTL, force
//! delete — and how their failures read.

use wasm_agent_s3::tigris::ErrorKind;

use crate::mock::{MockTigris, Reply};
use crate::support::{assert_error, assert_tigris_headers};

#[tokio::test]
async fn a_snapshot_bucket_is_created_with_the_enable_header() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let tigris = server.tigris().await;
    tigris.create_snapshot_bucket("agent-base").await.unwrap();
    tigris.create_bucket("plain-one").await.unwrap();

    let requests = server.requests();
    assert_eq!(server.lines(), ["PUT /agent-base", "PUT /plain-one"]);
    assert_tigris_headers(&requests[0], &[("X-Tigris-Enable-Snapshot", "true")]);
    assert_tigris_headers(&requests[1], &[]);
    assert!(requests[0].body.is_empty(), "{}", requests[0].text());
}

#[tokio::test]
async fn a_taken_name_says_so() {
    let server = MockTigris::start(|_| {
        Reply::s3_error(
            409,
            "BucketAlreadyExists",
            "The requested bucket name is not available.",
        )
    })
    .await;
    let err = server
        .tigris()
        .await
        .create_bucket("taken")
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::AlreadyExists,
        &[
            "create bucket 'taken'",
            "BucketAlreadyExists",
            "choose another bucket name",
        ],
    );
    assert_eq!(err.status(), Some(409));
}

#[tokio::test]
async fn a_bad_name_is_refused_before_any_request() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let err = server
        .tigris()
        .await
        .create_bucket("Bad_Name")
        .await
        .unwrap_err();
    assert_error(&err, ErrorKind::InvalidInput, &["'Bad_Name'", "lowercase"]);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn refused_keys_read_as_access_denied() {
    let server =
        MockTigris::start(|_| Reply::s3_error(403, "AccessDenied", "Access Denied.")).await;
    let err = server
        .tigris()
        .await
        .create_bucket("mine")
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::AccessDenied,
        &["AccessDenied", "Editor or Admin"],
    );
}

#[tokio::test]
async fn force_delete_sends_the_force_header() {
    let server = MockTigris::start(|_| Reply::status(204)).await;
    server
        .tigris()
        .await
        .force_delete_bucket("scratch")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(server.lines(), ["DELETE /scratch"]);
    assert_tigris_headers(
        &requests[0],
        &[
            ("Tigris-Force-Delete", "true"),
            ("X-Tigris-Force-Delete", "true"),
        ],
    );
}

#[tokio::test]
async fn deleting_a_missing_bucket_is_not_found() {
    let server = MockTigris::start(|_| {
        Reply::s3_error(404, "NoSuchBucket", "The specified bucket does not exist")
    })
    .await;
    let err = server
        .tigris()
        .await
        .force_delete_bucket("gone-bucket")
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::NotFound,
        &["'gone-bucket'", "NoSuchBucket"],
    );
}

#[tokio::test]
async fn bucket_info_reads_the_snapshot_and_fork_headers() {
    let server = MockTigris::start(|req| match req.path.as_str() {
        "/fork-1" => Reply::ok()
            .header("X-Tigris-Enable-Snapshot", "true")
            .header("X-Tigris-Fork-Source-Bucket", "base")
            .header(
                "X-Tigris-Fork-Source-Bucket-Snapshot",
                "1751631910169675092",
            ),
        _ => Reply::ok(),
    })
    .await;
    let tigris = server.tigris().await;
    let fork = tigris.bucket_info("fork-1").await.unwrap();
    assert!(fork.snapshots_enabled);
    assert_eq!(fork.fork_source.as_deref(), Some("base"));
    assert_eq!(
        fork.fork_source_snapshot.as_deref(),
        Some("1751631910169675092")
    );
    let plain = tigris.bucket_info("plain").await.unwrap();
    assert!(!plain.snapshots_enabled && plain.fork_source.is_none());
    assert_eq!(server.lines(), ["HEAD /fork-1", "HEAD /plain"]);
}

#[tokio::test]
async fn a_ttl_is_one_lifecycle_expiration_rule() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    server.tigris().await.set_ttl("scratch", 3).await.unwrap();
    let requests = server.requests();
    assert_eq!(server.lines(), ["HEAD /scratch", "PUT /scratch"]);
    let put = &requests[1];
    assert!(put.has_param("lifecycle"), "query: {}", put.query);
    let xml = put.text();
    for part in [
        "<Status>Enabled</Status>",
        "<Expiration><Days>3</Days></Expiration>",
        "<Prefix></Prefix>",
    ] {
        assert!(xml.contains(part), "'{part}' missing from {xml}");
    }
    assert_eq!(xml.matches("<Rule>").count(), 1, "{xml}");
}

#[tokio::test]
async fn a_ttl_on_a_snapshot_bucket_is_refused_before_changing_it() {
    let server =
        MockTigris::start(|_| Reply::ok().header("X-Tigris-Enable-Snapshot", "true")).await;
    let err = server
        .tigris()
        .await
        .set_ttl("snappy", 1)
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::Unsupported,
        &["'snappy'", "does not allow a TTL", "snapshot-enabled"],
    );
    assert_eq!(server.lines(), ["HEAD /snappy"], "nothing may be changed");
}

#[tokio::test]
async fn a_zero_ttl_is_refused_before_any_request() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let err = server.tigris().await.set_ttl("b-1", 0).await.unwrap_err();
    assert_error(&err, ErrorKind::InvalidInput, &["0 days", "1 day or more"]);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_unreachable_endpoint_reads_as_unavailable() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = wasm_agent_s3::S3Config::new("unused");
    config.endpoint = Some(format!("http://127.0.0.1:{port}"));
    config.region = Some("auto".into());
    config.credentials = wasm_agent_s3::Credentials::new("id", "secret");
    config.max_attempts = 1;
    let tigris = wasm_agent_s3::Tigris::connect(&config).await;
    let err = tigris.create_bucket("any-name").await.unwrap_err();
    assert_error(
        &err,
        ErrorKind::Unavailable,
        &["'any-name'", "check the endpoint"],
    );
}
