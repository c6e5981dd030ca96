//! Auth and the one error envelope, status by status.

use crate::server::{assert_error, status_json, Server};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn bearer_token_is_required_when_set() {
    let server = Server::start(&["--token", "s3cret"], &[]);
    let (status, body) = status_json(
        server
            .http
            .get(server.at("/sandboxes"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    assert_error(&body, "unauthorized");
    let wrong = server
        .http
        .get(server.at("/sandboxes"))
        .bearer_auth("s3creT")
        .send()
        .await
        .unwrap();
    assert_eq!(
        wrong.headers()["www-authenticate"],
        "Bearer realm=\"wasm-agent\""
    );
    assert_eq!(wrong.status(), 401);
    let right = server
        .http
        .get(server.at("/sandboxes"))
        .bearer_auth("s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    // Liveness needs no token.
    assert_eq!(server.get("/health").await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_from_the_environment() {
    let server = Server::start(&[], &[("WASM_AGENT_TOKEN", "envtok")]);
    assert_eq!(server.get("/sandboxes").await.0, 401);
    let ok = server
        .http
        .get(server.at("/sandboxes"))
        .bearer_auth("envtok")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn envelopes_for_each_status() {
    let server = Server::start(&["--max-body", "1024", "--max-file", "4096"], &[]);
    let id = server.sandbox().await;
    let exec = server.at(&format!("/sandboxes/{id}/exec"));

    // 400: broken JSON, with where it broke.
    let response = server
        .http
        .post(&exec)
        .header("content-type", "application/json")
        .body("{\"command\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_request");
    assert!(body["error"]["details"]["line"].is_u64(), "{body}");
    // 400: a field of the wrong type, or an unknown kind.
    let (status, body) = server
        .post(&format!("/sandboxes/{id}/exec"), json!({"command": 5}))
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = server.post("/sandboxes", json!({"kind": "vm"})).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("memory"),
        "{body}"
    );

    // 404: unknown route, sandbox.
    let (status, body) = server.get("/nope").await;
    assert_eq!(status, 404);
    assert_error(&body, "not_found");
    let (status, body) = server
        .post("/sandboxes/sbx_missing/exec", json!({"command": "true"}))
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["details"]["id"], "sbx_missing");

    // 405, with Allow kept.
    let response = server
        .http
        .patch(server.at("/sandboxes"))
        .send()
        .await
        .unwrap();
    let allow = response.headers().get("allow").cloned();
    let (status, body) = status_json(response).await;
    assert_eq!(status, 405);
    assert_error(&body, "method_not_allowed");
    assert!(allow.is_some());

    // 413: JSON over --max-body; uploads have their own, larger limit.
    let big = "x".repeat(2000);
    let (status, body) = server
        .post(&format!("/sandboxes/{id}/exec"), json!({"command": big}))
        .await;
    assert_eq!(status, 413);
    assert_error(&body, "payload_too_large");
    let files = server.at(&format!("/sandboxes/{id}/files?path=/f"));
    assert_eq!(
        server
            .http
            .put(&files)
            .body(vec![b'y'; 3000])
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (status, body) = status_json(
        server
            .http
            .put(&files)
            .body(vec![b'y'; 5000])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 413);
    assert_error(&body, "payload_too_large");

    // 415: a body that is not declared JSON.
    let response = server
        .http
        .post(&exec)
        .header("content-type", "text/plain")
        .body("{\"command\":\"true\"}")
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(response).await;
    assert_eq!(status, 415);
    assert_error(&body, "unsupported_media_type");

    // A failed command is not an HTTP error.
    assert_eq!(server.exec(&id, "exit 3").await.1, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_count_is_capped() {
    let server = Server::start(&["--max-sandboxes", "2"], &[]);
    let first = server.sandbox().await;
    server.sandbox().await;
    let (status, body) = server.post("/sandboxes", json!({})).await;
    assert_eq!(status, 429, "{body}");
    assert_error(&body, "too_many_sandboxes");
    // A fork counts too.
    let (status, _) = server
        .post(&format!("/sandboxes/{first}/fork"), json!({}))
        .await;
    assert_eq!(status, 429);
    let deleted = server
        .http
        .delete(server.at(&format!("/sandboxes/{first}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    server.sandbox().await;
}
