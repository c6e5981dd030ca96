//! MCP servers' tools offered to the model.

use serde_json::json;
use wasm_agent_harness::{McpOptions, PromptOptions};
use wasm_agent_mcp_test_server::{McpTestServer, Tool};
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use crate::support::{harness, last_tool_results, tool_names};

fn calculator(legacy: bool) -> McpTestServer {
    McpTestServer::builder()
        .tool(Tool::new(
            "add",
            "Adds two numbers",
            json!({"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                   "required": ["a", "b"]}),
            |args| Ok(json!((args["a"].as_f64().unwrap() + args["b"].as_f64().unwrap()).to_string())),
        ))
        .tool(Tool::new(
            "divide.exact",
            "Divides",
            json!({"type": "object"}),
            |_args| Err("division by zero".to_string()),
        ))
        .require_header("authorization", "Bearer mcp-secret")
        .legacy_only(legacy)
        .start()
}

#[tokio::test]
async fn mcp_tools_are_called_like_custom_tools_over_both_transports() {
    for legacy in [false, true] {
        let mcp = calculator(legacy);
        let server = ScriptedLlm::start(vec![
            Turn::tool_call("t1", "mcp__calc__add", json!({"a": 2, "b": 3})),
            Turn::tool_call("t2", "mcp__calc__divide_exact", json!({})),
            Turn::text("5, and division failed."),
        ]);
        let harness = harness(&server).await;
        let url = if legacy { mcp.sse_url() } else { mcp.url() };
        let names = harness
            .connect_mcp_server(
                "calc",
                McpOptions::url(url).header("Authorization", "Bearer mcp-secret"),
            )
            .await
            .unwrap();
        assert_eq!(names, ["mcp__calc__add", "mcp__calc__divide_exact"]);
        let session = harness.session("s").await.unwrap();
        let answer = session
            .prompt("2+3?", PromptOptions::default())
            .await
            .unwrap();
        assert_eq!(answer.text, "5, and division failed.");
        let requests = server.requests();
        assert!(tool_names(&requests[0].body).contains(&"mcp__calc__add".to_string()));
        assert_eq!(
            last_tool_results(&requests[1].body),
            vec![("5".to_string(), false)]
        );
        assert_eq!(
            last_tool_results(&requests[2].body),
            vec![("division by zero".to_string(), true)]
        );
        assert!(!requests[0].body.to_string().contains("mcp-secret"));

        harness.close_mcp_server("calc").await.unwrap();
        let err = harness.close_mcp_server("calc").await.unwrap_err();
        assert!(
            err.to_string().contains("no MCP server named 'calc'"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn a_refused_mcp_connection_is_a_clear_error() {
    let mcp = calculator(false);
    let server = ScriptedLlm::start(vec![]);
    let harness = harness(&server).await;
    let err = harness
        .connect_mcp_server(
            "calc",
            McpOptions::url(mcp.url()).header("Authorization", "Bearer wrong"),
        )
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("calc"), "{message}");
    assert!(!message.contains("wrong"), "no secret in errors: {message}");
}
