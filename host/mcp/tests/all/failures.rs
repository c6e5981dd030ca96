//! Failures: each one a clear error of the right kind, none hanging, none leaking secrets.

use std::time::{Duration, Instant};

use serde_json::json;
use wasm_agent_mcp::{ConnectOptions, ErrorKind, McpClient};

use crate::support::{options, server, SECRET};

#[tokio::test]
async fn a_tool_error_is_a_result_and_an_unknown_tool_is_an_error() {
    let server = server().start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();

    let failed = client.call_tool("fail", json!({})).await.unwrap();
    assert!(failed.is_error);
    assert_eq!(failed.to_text(), "disk on fire");

    let err = client.call_tool("nope", json!({})).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rpc);
    assert_eq!(err.rpc_code(), Some(-32602));
    assert_eq!(err.method(), "tools/call");
    let shown = err.to_string();
    assert!(
        shown.starts_with("MCP server `test` (http://127.0.0.1:"),
        "{shown}"
    );
    assert!(
        shown.ends_with("tools/call failed: JSON-RPC error -32602: Unknown tool: nope"),
        "{shown}"
    );
    assert!(!shown.contains(SECRET) && !format!("{err:?}").contains(SECRET));
}

#[tokio::test]
async fn arguments_that_are_not_an_object_are_refused_before_sending() {
    let server = server().start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    let sent = server.requests().len();
    let err = client.call_tool("echo", json!(["hi"])).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(
        err.to_string()
            .contains("must be a JSON object, not an array"),
        "{err}"
    );
    assert_eq!(server.requests().len(), sent);
}

#[tokio::test]
async fn a_hung_server_gives_a_timeout_error() {
    let mut builder = server();
    builder.hang_method("tools/call");
    let server = builder.start();
    let options = options().timeout(Duration::from_millis(300));
    let client = McpClient::connect(&server.url(), options).await.unwrap();
    let started = Instant::now();
    let err = client
        .call_tool("echo", json!({"text": "x"}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.to_string().contains("no answer within 300ms"), "{err}");
    // The connection still works for methods the server answers.
    assert_eq!(client.list_tools().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_hung_initialize_times_out_the_connect() {
    let mut builder = server();
    builder.hang_method("initialize");
    let server = builder.start();
    let options = options().timeout(Duration::from_millis(300));
    let err = McpClient::connect(&server.url(), options)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.method()),
        (ErrorKind::Timeout, "initialize")
    );
}

#[tokio::test]
async fn nobody_listening_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/mcp?key=hunter2");
    let err = McpClient::connect(&url, options()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    let shown = err.to_string();
    assert!(shown.contains("is the server running"), "{shown}");
    assert!(
        !shown.contains("hunter2") && !shown.contains(SECRET),
        "{shown}"
    );
}

#[tokio::test]
async fn an_unsupported_protocol_version_is_refused() {
    let mut builder = server();
    builder.protocol_version("1999-01-01");
    let server = builder.start();
    let err = McpClient::connect(&server.url(), options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol);
    assert!(err.to_string().contains("`1999-01-01`"), "{err}");
    assert_eq!(server.open_sessions(), 0, "the refused session is ended");
}

#[tokio::test]
async fn bad_urls_and_headers_are_refused_without_showing_values() {
    let err = McpClient::connect("ftp://x/mcp", options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(
        err.to_string().contains("not an http:// or https:// URL"),
        "{err}"
    );

    let bad = ConnectOptions::named("t").header("Authorization", "Bearer a\nb-secret");
    let err = McpClient::connect("http://127.0.0.1:1/mcp", bad)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let shown = err.to_string();
    assert!(shown.contains("header `Authorization`"), "{shown}");
    assert!(!shown.contains("b-secret"), "{shown}");
}

#[tokio::test]
async fn calls_after_close_fail_as_closed_on_every_clone() {
    let server = server().start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    let clone = client.clone();
    client.close().await.unwrap();
    let err = clone.list_tools().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Closed);
    assert!(!format!("{clone:?}").contains(SECRET));
}

#[tokio::test]
async fn a_refused_login_is_not_a_fallback_and_its_echo_is_scrubbed() {
    let mut builder = server();
    builder.require_header("Authorization", "Bearer the-right-one");
    let server = builder.start();
    let err = McpClient::connect(&server.url(), options())
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.http_status()),
        (ErrorKind::Http, Some(401))
    );
    let shown = err.to_string();
    assert!(
        shown.contains("Unauthorized: header `authorization` was `<redacted>`"),
        "{shown}"
    );
    assert!(!shown.contains(SECRET), "{shown}");
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(
        methods,
        ["POST"],
        "401 means wrong credentials, not an older server"
    );
}

#[tokio::test]
async fn concurrent_calls_each_get_their_own_answer() {
    for legacy in [false, true] {
        let mut builder = server();
        builder.legacy_only(legacy).sse_responses(true);
        let server = builder.start();
        let url = if legacy {
            server.sse_url()
        } else {
            server.url()
        };
        let client = McpClient::connect(&url, options()).await.unwrap();
        let calls: Vec<_> = (0..8)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move {
                    let result = client
                        .call_tool("echo", json!({"text": format!("n{i}")}))
                        .await;
                    (i, result.unwrap().to_text())
                })
            })
            .collect();
        for call in calls {
            let (i, text) = call.await.unwrap();
            assert_eq!(text, format!("n{i}"), "legacy: {legacy}");
        }
    }
}
