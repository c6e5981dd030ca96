//! The fallback to the legacy HTTP+SSE transport, and everything over it.

use std::time::{Duration, Instant};

use serde_json::json;
use wasm_agent_mcp::{ErrorKind, McpClient, TransportKind};

use crate::support::{options, server, SECRET};

#[tokio::test]
async fn a_refused_post_falls_back_to_sse() {
    let mut builder = server();
    builder.legacy_only(true).instructions("legacy here");
    let server = builder.start();
    let client = McpClient::connect(&server.sse_url(), options())
        .await
        .unwrap();
    assert_eq!(client.transport(), TransportKind::Sse);
    assert_eq!(client.instructions(), Some("legacy here"));
    assert_eq!(client.list_tools().await.unwrap().len(), 2);
    let result = client
        .call_tool("echo", json!({"text": "via sse"}))
        .await
        .unwrap();
    assert_eq!(result.to_text(), "via sse");

    let requests = server.requests();
    let shape: Vec<(&str, &str, Option<&str>)> = requests
        .iter()
        .map(|r| {
            (
                r.method.as_str(),
                r.path.split('?').next().unwrap(),
                r.rpc_method(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("POST", "/sse", Some("initialize")),
            ("GET", "/sse", None),
            ("POST", "/messages", Some("initialize")),
            ("POST", "/messages", Some("notifications/initialized")),
            ("POST", "/messages", Some("tools/list")),
            ("POST", "/messages", Some("tools/call")),
        ]
    );
    for request in &requests {
        assert_eq!(request.header("authorization"), Some(SECRET), "{request:?}");
    }
    assert_eq!(requests[1].header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn the_streamable_url_of_a_legacy_only_server_is_a_clear_error() {
    let mut builder = server();
    builder.legacy_only(true);
    let server = builder.start();
    let err = McpClient::connect(&server.url(), options())
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.http_status()),
        (ErrorKind::Http, Some(404))
    );
    let shown = err.to_string();
    assert!(shown.contains("this is not an MCP endpoint"), "{shown}");
    assert!(shown.contains("check the URL"), "{shown}");
}

#[tokio::test]
async fn server_requests_and_split_events_on_the_stream() {
    let mut builder = server();
    builder
        .legacy_only(true)
        .server_messages(true)
        .split_events(true);
    let server = builder.start();
    let client = McpClient::connect(&server.sse_url(), options())
        .await
        .unwrap();
    let text = "ünïcode ✓ split";
    let result = client
        .call_tool("echo", json!({"text": text}))
        .await
        .unwrap();
    assert_eq!(result.to_text(), text);
    // The ping answers are posted from a background task; give them a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    let pongs = loop {
        let pongs = server
            .requests()
            .into_iter()
            .filter(|r| r.is_rpc_response())
            .count();
        if pongs == 2 || Instant::now() > deadline {
            break pongs;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(pongs, 2, "one ping before each of the two answers");
}

#[tokio::test]
async fn rpc_errors_and_timeouts_over_sse() {
    let mut builder = server();
    builder.legacy_only(true).hang_method("tools/call");
    let server = builder.start();
    let options = options().timeout(Duration::from_millis(300));
    let client = McpClient::connect(&server.sse_url(), options)
        .await
        .unwrap();
    let err = client
        .call_tool("echo", json!({"text": "x"}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    let tools = client.list_tools().await.unwrap();
    assert_eq!(tools.len(), 2, "the stream still works after a timeout");
}

#[tokio::test]
async fn unknown_tools_over_sse_are_rpc_errors() {
    let mut builder = server();
    builder.legacy_only(true);
    let server = builder.start();
    let client = McpClient::connect(&server.sse_url(), options())
        .await
        .unwrap();
    let err = client.call_tool("nope", json!({})).await.unwrap_err();
    assert_eq!((err.kind(), err.rpc_code()), (ErrorKind::Rpc, Some(-32602)));
    let failed = client.call_tool("fail", json!({})).await.unwrap();
    assert!(failed.is_error);
}

#[tokio::test]
async fn close_drops_the_stream() {
    let mut builder = server();
    builder.legacy_only(true);
    let server = builder.start();
    let client = McpClient::connect(&server.sse_url(), options())
        .await
        .unwrap();
    assert_eq!(server.open_streams(), 1);
    client.close().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.open_streams() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.open_streams(), 0, "the server saw the stream close");
    let err = client.list_tools().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Closed);
}

#[tokio::test]
async fn a_lost_stream_fails_waiting_calls_at_once() {
    let mut builder = server();
    builder.legacy_only(true).hang_method("tools/call");
    let server = builder.start();
    let client = McpClient::connect(&server.sse_url(), options())
        .await
        .unwrap();
    let started = Instant::now();
    let call = tokio::spawn({
        let client = client.clone();
        async move { client.call_tool("echo", json!({"text": "x"})).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(server);
    let err = call.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Closed, "{err}");
    assert!(err.to_string().contains("event stream"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "not the 10 s timeout"
    );
    let again = client.list_tools().await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Closed);
}
