//! Streamable HTTP.

use serde_json::json;
use wasm_agent_mcp::{ContentItem, McpClient, TransportKind, PROTOCOL_VERSION};
use wasm_agent_mcp_test_server::Tool;

use crate::support::{self, options, server, SECRET};

#[tokio::test]
async fn connects_lists_and_calls_with_json_answers() {
    let mut builder = server();
    builder.instructions("Use echo to repeat things.");
    let server = builder.start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    assert_eq!(client.transport(), TransportKind::StreamableHttp);
    assert_eq!(client.protocol_version(), PROTOCOL_VERSION);
    assert_eq!(client.server_info().name, "wasm-agent-mcp-test-server");
    assert_eq!(client.instructions(), Some("Use echo to repeat things."));

    let tools = client.list_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["echo", "fail"]);
    assert_eq!(tools[0].description.as_deref(), Some("Echoes its text"));
    assert_eq!(tools[0].input_schema["required"], json!(["text"]));

    let result = client
        .call_tool("echo", json!({"text": "hi"}))
        .await
        .unwrap();
    assert!(!result.is_error);
    assert_eq!(result.content, [ContentItem::Text { text: "hi".into() }]);
    assert_eq!(result.to_text(), "hi");
}

#[tokio::test]
async fn headers_session_and_version_go_with_every_request() {
    let server = server().start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    client.list_tools().await.unwrap();
    let requests = server.requests();
    let methods: Vec<Option<&str>> = requests.iter().map(|r| r.rpc_method()).collect();
    assert_eq!(
        methods,
        [
            Some("initialize"),
            Some("notifications/initialized"),
            Some("tools/list")
        ]
    );
    for request in &requests {
        assert_eq!(request.header("authorization"), Some(SECRET), "{request:?}");
        assert_eq!(request.header("x-trace"), Some("t-1"));
        let accept = request.header("accept").unwrap_or_default();
        assert!(accept.contains("application/json") && accept.contains("text/event-stream"));
    }
    assert_eq!(requests[0].header("mcp-session-id"), None);
    let session = requests[1]
        .header("mcp-session-id")
        .expect("session id sent");
    assert!(session.starts_with("session-"));
    assert_eq!(requests[2].header("mcp-session-id"), Some(session));
    assert_eq!(
        requests[2].header("mcp-protocol-version"),
        Some(PROTOCOL_VERSION)
    );
    assert_eq!(
        requests[0].body.as_ref().unwrap()["params"]["clientInfo"]["name"],
        "wasm-agent"
    );
}

#[tokio::test]
async fn sse_answers_with_server_messages_are_read_and_ping_is_answered() {
    let mut builder = server();
    builder.sse_responses(true).server_messages(true);
    let server = builder.start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    let result = client
        .call_tool("echo", json!({"text": "over sse"}))
        .await
        .unwrap();
    assert_eq!(result.to_text(), "over sse");
    // Every SSE answer (initialize, tools/call) came after a ping the client answered.
    let pongs: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.is_rpc_response())
        .collect();
    assert_eq!(pongs.len(), 2, "{pongs:?}");
    for pong in &pongs {
        let body = pong.body.as_ref().unwrap();
        assert!(body["id"].as_str().unwrap().starts_with("srv-ping-"));
        assert_eq!(body["result"], json!({}));
        assert_eq!(pong.header("authorization"), Some(SECRET));
    }
}

#[tokio::test]
async fn sse_events_split_across_chunks_and_utf8_characters() {
    let mut builder = server();
    builder
        .sse_responses(true)
        .server_messages(true)
        .split_events(true);
    let server = builder.start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    let text = "héllo wörld ✓ — ünïcode";
    let result = client
        .call_tool("echo", json!({"text": text}))
        .await
        .unwrap();
    assert_eq!(result.to_text(), text);
    assert_eq!(client.list_tools().await.unwrap().len(), 2);
}

#[tokio::test]
async fn tool_listing_follows_every_page() {
    let mut builder = wasm_agent_mcp_test_server::McpTestServer::builder();
    for i in 0..5 {
        builder.tool(Tool::new(
            &format!("t{i}"),
            "numbered",
            json!({"type": "object"}),
            |_| Ok(json!("ok")),
        ));
    }
    builder.page_size(2);
    let server = builder.start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    let names: Vec<String> = client
        .list_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["t0", "t1", "t2", "t3", "t4"]);
    let cursors: Vec<_> = server
        .requests()
        .iter()
        .filter(|r| r.rpc_method() == Some("tools/list"))
        .map(|r| r.body.as_ref().unwrap()["params"]["cursor"].clone())
        .collect();
    assert_eq!(cursors, [json!(null), json!("2"), json!("4")]);
}

#[tokio::test]
async fn an_older_protocol_version_is_accepted_and_sent_back() {
    let mut builder = server();
    builder.protocol_version("2025-03-26");
    let server = builder.start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    assert_eq!(client.protocol_version(), "2025-03-26");
    client.list_tools().await.unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("mcp-protocol-version"), Some("2025-03-26"));
}

#[tokio::test]
async fn structured_content_and_images_come_through() {
    let mut builder = wasm_agent_mcp_test_server::McpTestServer::builder();
    builder.tool(Tool::new(
        "stats",
        "Counts",
        json!({"type": "object"}),
        |_| {
            Ok(json!({
                "content": [{"type": "text", "text": "{\"n\":3}"},
                            {"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="}],
                "structuredContent": {"n": 3},
            }))
        },
    ));
    let server = builder.start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    let result = client.call_tool("stats", json!(null)).await.unwrap();
    assert_eq!(result.structured_content, Some(json!({"n": 3})));
    assert_eq!(
        result.content[1],
        ContentItem::Image {
            mime_type: "image/png".into(),
            data: "iVBORw0KGgo=".into()
        }
    );
    assert_eq!(result.to_text(), "{\"n\":3}\n[image image/png, 8 bytes]");
    let call = server.requests().pop().unwrap();
    assert_eq!(call.body.unwrap()["params"]["arguments"], json!({}));
}

#[tokio::test]
async fn close_ends_the_session_with_delete() {
    let server = support::server().start();
    let client = McpClient::connect(&server.url(), options()).await.unwrap();
    assert_eq!(server.open_sessions(), 1);
    client.close().await.unwrap();
    assert_eq!(server.open_sessions(), 0);
    let delete = server.requests().pop().unwrap();
    assert_eq!(delete.method, "DELETE");
    assert!(delete.header("mcp-session-id").is_some());
    assert_eq!(delete.header("authorization"), Some(SECRET));
    client.close().await.unwrap();
    assert_eq!(server.requests().len(), 3, "a second close sends nothing");
}
