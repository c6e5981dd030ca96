//! The shared server: signatures are checked, and where `weed mini`'s
//! defaults differ from AWS the harness made it answer like AWS.

use wasm_agent_seaweed::SeaweedServer;

use crate::{anonymous, assert_status, signed, signed_as};

#[test]
fn an_unsigned_bucket_creation_is_refused() {
    let server = SeaweedServer::shared();
    let bucket = server.unique_bucket("unsigned");
    let response = anonymous(server, "PUT", &format!("/{bucket}"), b"");
    assert_status(server, &response, 403);
    assert!(
        response.text().contains("<Code>AccessDenied</Code>"),
        "{}",
        response.text()
    );
    // Refused, not merely answered with an error after creating it.
    assert_status(
        server,
        &signed(server, "HEAD", &format!("/{bucket}"), b""),
        404,
    );
}

#[test]
fn a_wrong_secret_or_an_unknown_key_is_refused() {
    let server = SeaweedServer::shared();
    let bucket = server.unique_bucket("wrong-secret");
    let path = format!("/{bucket}");
    let wrong_secret = signed_as(
        server,
        server.access_key(),
        "not-the-secret",
        "PUT",
        &path,
        b"",
    );
    assert_status(server, &wrong_secret, 403);
    assert!(
        wrong_secret.text().contains("SignatureDoesNotMatch"),
        "{}",
        wrong_secret.text()
    );
    let unknown_key = signed_as(
        server,
        "AKIAUNKNOWN",
        server.secret_key(),
        "PUT",
        &path,
        b"",
    );
    assert_status(server, &unknown_key, 403);
    assert!(
        unknown_key.text().contains("InvalidAccessKeyId"),
        "{}",
        unknown_key.text()
    );
    assert_status(server, &signed(server, "HEAD", &path, b""), 404);
}

#[test]
fn signed_requests_store_and_return_objects() {
    let server = SeaweedServer::shared();
    let bucket = server.unique_bucket("signed");
    assert_status(
        server,
        &signed(server, "PUT", &format!("/{bucket}"), b""),
        200,
    );
    let key = format!("/{bucket}/dir/file.bin");
    let body: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    assert_status(server, &signed(server, "PUT", &key, &body), 200);
    let got = signed(server, "GET", &key, b"");
    assert_status(server, &got, 200);
    assert_eq!(got.body, body);
    // Reading needs a signature as well.
    assert_status(server, &anonymous(server, "GET", &key, b""), 403);
}

#[test]
fn the_longest_unique_bucket_names_are_accepted() {
    let server = SeaweedServer::shared();
    let bucket = server.unique_bucket(&"Long Hint ".repeat(10));
    assert!(bucket.len() <= 63, "{bucket}");
    assert_status(
        server,
        &signed(server, "PUT", &format!("/{bucket}"), b""),
        200,
    );
    assert_ne!(bucket, server.unique_bucket(&"Long Hint ".repeat(10)));
}

#[test]
fn an_upload_to_a_missing_bucket_does_not_create_it() {
    let server = SeaweedServer::shared();
    let bucket = server.unique_bucket("missing");
    let response = signed(server, "PUT", &format!("/{bucket}/key"), b"data");
    assert_status(server, &response, 404);
    assert!(
        response.text().contains("NoSuchBucket"),
        "{}",
        response.text()
    );
    assert_status(
        server,
        &signed(server, "HEAD", &format!("/{bucket}"), b""),
        404,
    );
}

#[test]
fn a_bucket_with_objects_cannot_be_deleted() {
    let server = SeaweedServer::shared();
    let bucket = server.unique_bucket("not-empty");
    assert_status(
        server,
        &signed(server, "PUT", &format!("/{bucket}"), b""),
        200,
    );
    assert_status(
        server,
        &signed(server, "PUT", &format!("/{bucket}/key"), b"data"),
        200,
    );
    let response = signed(server, "DELETE", &format!("/{bucket}"), b"");
    assert_status(server, &response, 409);
    assert!(
        response.text().contains("BucketNotEmpty"),
        "{}",
        response.text()
    );
    assert_status(
        server,
        &signed(server, "DELETE", &format!("/{bucket}/key"), b""),
        204,
    );
    assert_status(
        server,
        &signed(server, "DELETE", &format!("/{bucket}"), b""),
        204,
    );
}

#[test]
fn the_shared_server_is_one_server() {
    let first = SeaweedServer::shared();
    let second = std::thread::spawn(|| SeaweedServer::shared().endpoint())
        .join()
        .unwrap();
    assert_eq!(first.endpoint(), second);
    assert_eq!(first.region(), "us-east-1");
    assert!(first.pid().is_some());
}
