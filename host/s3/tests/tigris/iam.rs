//! Scoped access keys on Tigris' IAM endpoint: the signed form request,
//! the answer, the refusals — and the secret never in an error.

use wasm_agent_s3::tigris::{ErrorKind, Role};
use wasm_agent_s3::{Credentials, S3Config, Tigris};

use crate::mock::{MockTigris, Reply, SECRET_KEY};
use crate::support::{
    access_key_created, assert_error, assert_signed_for_iam, create_key_request, form_fields,
};

#[tokio::test]
async fn a_scoped_key_is_one_signed_form_post() {
    let server =
        MockTigris::start(|_| access_key_created("tid_NEW", "tsec_NEW_SECRET", "ws-1-key")).await;
    let key = server
        .tigris()
        .await
        .create_access_key(
            "ws-1-key",
            &[("ws-1", Role::Editor), ("shared", Role::ReadOnly)],
        )
        .await
        .unwrap();
    assert_eq!(key.id, "tid_NEW");
    assert_eq!(key.secret(), "tsec_NEW_SECRET");
    assert_eq!(key.name, "ws-1-key");
    assert_eq!(
        key.grants,
        [
            ("ws-1".into(), Role::Editor),
            ("shared".into(), Role::ReadOnly)
        ]
    );
    assert!(!format!("{key:?}").contains("tsec_NEW_SECRET"));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let post = &requests[0];
    assert_eq!((post.method.as_str(), post.path.as_str()), ("POST", "/"));
    assert_eq!(post.query, "Action=CreateAccessKeyWithBucketsRole");
    assert_eq!(
        post.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(post.header("accept"), Some("application/json"));
    let req = create_key_request(post);
    assert_eq!(req["name"], "ws-1-key");
    assert_eq!(
        req["buckets_role"],
        serde_json::json!([
            {"bucket": "ws-1", "role": "Editor"},
            {"bucket": "shared", "role": "ReadOnly"},
        ])
    );
    let uuid = req["req_uuid"].as_str().expect("req_uuid");
    assert_eq!(uuid.len(), 36, "{uuid}");
    assert_signed_for_iam(post, server.endpoint());
    assert!(!post.text().contains(SECRET_KEY));
}

#[tokio::test]
async fn revoking_posts_delete_access_key() {
    let server = MockTigris::start(|_| Reply::json(200, "{}")).await;
    server
        .tigris()
        .await
        .delete_access_key("tid_OLD")
        .await
        .unwrap();
    let post = &server.requests()[0];
    assert_eq!(post.query, "Action=DeleteAccessKey");
    assert_eq!(
        form_fields(&post.text()),
        [
            ("Action".to_string(), "DeleteAccessKey".to_string()),
            ("Version".into(), "2010-05-08".into()),
            ("AccessKeyId".into(), "tid_OLD".into()),
        ]
    );
    assert_signed_for_iam(post, server.endpoint());
}

#[tokio::test]
async fn a_refusal_keeps_the_code_and_message() {
    let server = MockTigris::start(|_| {
        Reply::json(
            403,
            r#"{"Error":{"Code":"AccessDenied","Message":"caller lacks Editor on ws-1"}}"#,
        )
    })
    .await;
    let err = server
        .tigris()
        .await
        .create_access_key("k", &[("ws-1", Role::Editor)])
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::AccessDenied,
        &[
            "create access key 'k'",
            "AccessDenied",
            "caller lacks Editor on ws-1",
        ],
    );
    assert_eq!(err.status(), Some(403));
}

#[tokio::test]
async fn an_unknown_key_is_not_found() {
    let server = MockTigris::start(|_| {
        Reply::xml(
            404,
            "<ErrorResponse><Error><Code>NoSuchEntity</Code>\
             <Message>The access key was not found</Message></Error></ErrorResponse>",
        )
    })
    .await;
    let err = server
        .tigris()
        .await
        .delete_access_key("tid_GONE")
        .await
        .unwrap_err();
    assert_error(&err, ErrorKind::NotFound, &["'tid_GONE'", "NoSuchEntity"]);
}

#[tokio::test]
async fn an_answer_without_the_key_is_described_not_shown() {
    // It may hold a secret: the error gives its size only.
    let server = MockTigris::start(|_| {
        Reply::json(200, r#"{"Unexpected":{"SecretAccessKey":"tsec_LEAKY"}}"#)
    })
    .await;
    let err = server
        .tigris()
        .await
        .create_access_key("k", &[("ws-1", Role::ReadOnly)])
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::BadResponse,
        &[
            "without an access key id and secret",
            "bytes, not shown",
            "dashboard",
        ],
    );
    assert!(!err.to_string().contains("tsec_LEAKY"), "{err}");
}

#[tokio::test]
async fn arguments_are_checked_before_any_request() {
    let server = MockTigris::start(|_| Reply::ok()).await;
    let tigris = server.tigris().await;
    let err = tigris.create_access_key("k", &[]).await.unwrap_err();
    assert_error(&err, ErrorKind::InvalidInput, &["at least one bucket"]);
    let err = tigris
        .create_access_key("k", &[("Not A Bucket", Role::Editor)])
        .await
        .unwrap_err();
    assert_error(&err, ErrorKind::InvalidInput, &["'Not A Bucket'"]);
    let err = tigris.delete_access_key("").await.unwrap_err();
    assert_error(&err, ErrorKind::InvalidInput, &["empty"]);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_client_made_from_an_sdk_client_needs_iam_keys() {
    let server = MockTigris::start(|_| access_key_created("tid_A", "tsec_B", "k")).await;
    let mut config = S3Config::new("unused");
    config.endpoint = Some(server.endpoint().to_owned());
    config.region = Some("auto".into());
    config.credentials = Credentials::new("tid_TESTKEY", SECRET_KEY);
    let client = wasm_agent_s3::build_client(&config).await;
    let tigris = Tigris::from_client(client).with_iam_endpoint(server.endpoint());
    let err = tigris
        .create_access_key("k", &[("ws-1", Role::Editor)])
        .await
        .unwrap_err();
    assert_error(
        &err,
        ErrorKind::AccessDenied,
        &["no keys to sign IAM requests", "with_iam_credentials"],
    );
    assert!(server.requests().is_empty());

    let tigris = tigris.with_iam_credentials(Credentials::new("tid_TESTKEY", SECRET_KEY));
    tigris
        .create_access_key("k", &[("ws-1", Role::Editor)])
        .await
        .unwrap();
    assert_signed_for_iam(&server.requests()[0], server.endpoint());
}
