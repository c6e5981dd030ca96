//! The protocol around the tools: handshake, listing, errors, concurrency
//! and the end of the session.

use crate::client::{text, Client};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[test]
fn initialize_negotiates_the_version_and_declares_tools() {
    let mut client = Client::start(&["--memory"]);
    let answer = client.request(
        "initialize",
        json!({"protocolVersion": "2024-11-05", "capabilities": {},
               "clientInfo": {"name": "old", "version": "0"}}),
    );
    let result = &answer["result"];
    assert_eq!(result["protocolVersion"], "2024-11-05", "{answer}");
    assert_eq!(result["serverInfo"]["name"], "wasm-agent", "{answer}");
    assert!(result["capabilities"]["tools"].is_object(), "{answer}");
    // A version the server does not know: it answers with its latest.
    let answer = client.request("initialize", json!({"protocolVersion": "2099-01-01"}));
    assert_eq!(
        answer["result"]["protocolVersion"], "2025-06-18",
        "{answer}"
    );
    client.notify("notifications/initialized", json!({}));
    assert_eq!(client.request("ping", json!({}))["result"], json!({}));
    assert_eq!(client.close(Duration::from_secs(10)), 0);
}

#[test]
fn tools_list_names_every_tool_with_its_schema() {
    let mut client = Client::initialized(&["--memory"]);
    let answer = client.request("tools/list", json!({}));
    let tools = answer["result"]["tools"].as_array().expect("tools").clone();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["read", "write", "edit", "bash", "grep", "glob", "snapshot", "restore", "fork"]
    );
    for tool in &tools {
        let schema = &tool["inputSchema"];
        assert_eq!(schema["type"], "object", "{tool}");
        assert!(schema["properties"].is_object(), "{tool}");
        assert!(!tool["description"].as_str().unwrap().is_empty(), "{tool}");
    }
    let schema =
        |name: &str| tools.iter().find(|t| t["name"] == name).unwrap()["inputSchema"].clone();
    assert_eq!(schema("bash")["required"], json!(["command"]));
    assert_eq!(schema("bash")["properties"]["sandbox"]["type"], "string");
    assert_eq!(
        schema("edit")["required"],
        json!(["path", "old_string", "new_string"])
    );
    assert_eq!(schema("restore")["required"], json!(["id"]));
    assert_eq!(schema("fork")["required"], json!(["name"]));
}

#[test]
fn protocol_errors_carry_the_right_codes_and_ids() {
    let mut client = Client::initialized(&["--memory"]);
    let error = |answer: &Value| answer["error"]["code"].as_i64().unwrap_or(0);

    let answer = client.request("resources/list", json!({}));
    assert_eq!(error(&answer), -32601, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("resources/list"));

    let answer = client.request("tools/call", json!({"name": "nope", "arguments": {}}));
    assert_eq!(error(&answer), -32602, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unknown tool 'nope'"));

    let answer = client.request("tools/call", json!({"arguments": {}}));
    assert_eq!(error(&answer), -32602, "{answer}");
    let answer = client.request("tools/call", json!({"name": "read", "arguments": "x"}));
    assert_eq!(error(&answer), -32602, "{answer}");

    client.send_line("{this is not json");
    let answer = client.next_message(crate::client::WAIT).expect("an answer");
    assert_eq!(
        (error(&answer), &answer["id"]),
        (-32700, &Value::Null),
        "{answer}"
    );

    // Batches were removed in 2025-06-18.
    client.send_line(r#"[{"jsonrpc":"2.0","id":99,"method":"ping"}]"#);
    let answer = client.next_message(crate::client::WAIT).expect("an answer");
    assert_eq!(
        (error(&answer), &answer["id"]),
        (-32600, &Value::Null),
        "{answer}"
    );

    client.send_line(r#"{"jsonrpc":"1.0","id":"old","method":"ping"}"#);
    let answer = client.next_message(crate::client::WAIT).expect("an answer");
    assert_eq!(
        (error(&answer), &answer["id"]),
        (-32600, &json!("old")),
        "{answer}"
    );

    // Notifications are never answered, known or not: the next message
    // is the ping's answer.
    client.notify("notifications/whatever", json!({}));
    let id = client.send("ping", json!({}));
    let answer = client.next_message(crate::client::WAIT).expect("an answer");
    assert_eq!(answer["id"], id, "{answer}");
    // String ids are echoed as strings.
    client.send_line(r#"{"jsonrpc":"2.0","id":"s-1","method":"ping"}"#);
    assert_eq!(client.answer_to(&json!("s-1"))["result"], json!({}));
}

#[test]
fn a_long_call_does_not_hold_up_a_ping() {
    let mut client = Client::initialized(&["--memory"]);
    let started = Instant::now();
    let slow = client.send(
        "tools/call",
        json!({"name": "bash", "arguments": {"command": "sleep 2; echo slept"}}),
    );
    let ping = client.send("ping", json!({}));
    let first = client.next_message(crate::client::WAIT).expect("an answer");
    assert_eq!(
        first["id"], ping,
        "the ping must be answered first: {first}"
    );
    // No wall-clock bound on the ping: on a loaded machine the order of
    // the answers is what proves the calls ran side by side.
    let answer = client.answer_to(&slow);
    assert_eq!(text(&answer["result"]), "slept\n", "{answer}");
    assert!(started.elapsed() >= Duration::from_secs(2));
}

#[test]
fn a_cancelled_call_is_stopped_and_never_answered() {
    let mut client = Client::initialized(&["--memory"]);
    let started = Instant::now();
    let slow = client.send(
        "tools/call",
        json!({"name": "bash", "arguments": {"command": "sleep 30; echo late > /late"}}),
    );
    client.notify(
        "notifications/cancelled",
        json!({"requestId": slow, "reason": "test"}),
    );
    assert_eq!(client.request("ping", json!({}))["result"], json!({}));
    assert_eq!(client.close(Duration::from_secs(10)), 0);
    assert!(started.elapsed() < Duration::from_secs(10));
    let rest = client.remaining();
    assert!(rest.iter().all(|m| m["id"] != slow), "{rest:?}");
}

#[test]
fn eof_answers_the_calls_in_flight_then_exits_0() {
    let mut client = Client::initialized(&["--memory"]);
    let call = client.send(
        "tools/call",
        json!({"name": "bash", "arguments": {"command": "sleep 1; echo finished"}}),
    );
    assert_eq!(client.close(Duration::from_secs(30)), 0);
    let rest = client.remaining();
    let answer = rest
        .iter()
        .find(|m| m["id"] == call)
        .expect("the call's answer");
    assert_eq!(text(&answer["result"]), "finished\n", "{answer}");
}

#[test]
fn help_shows_the_claude_code_setup() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_wasm-agent"))
        .args(["mcp", "--help"])
        .output()
        .expect("run wasm-agent mcp --help");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{help}");
    assert!(
        help.contains("claude mcp add wasm-agent -- wasm-agent mcp --mount $PWD:/work"),
        "{help}"
    );
    assert!(help.contains("--memory") && help.contains("--s3"), "{help}");
}

#[test]
fn a_message_over_the_size_limit_is_refused_and_skipped() {
    let mut client = Client::initialized(&["--memory"]);
    // 64 MiB and one byte, then the line goes on: none of it is kept.
    let huge = "x".repeat((64 << 20) + 1);
    client.send_line(&huge);
    let answer = client
        .next_message(std::time::Duration::from_secs(30))
        .expect("an answer to the oversized line");
    assert_eq!(answer["id"], Value::Null, "{answer}");
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("longer than 64 MiB"));
    // The next message is read as usual.
    let answer = client.request("ping", json!({}));
    assert_eq!(answer["result"], json!({}), "{answer}");
}
