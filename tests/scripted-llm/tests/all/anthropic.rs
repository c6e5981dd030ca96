//! Anthropic Messages: streaming and not.

use serde_json::json;
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use super::client::{post, ANTHROPIC};
use super::{arguments, full_turn, TEXT, THINKING};

#[test]
fn stream_sends_the_messages_event_sequence_and_deltas_join_into_the_script() {
    let llm = ScriptedLlm::start(vec![full_turn()]);
    let body = json!({"model": "claude-x", "max_tokens": 100, "stream": true, "messages": []});
    let r = post(llm.addr(), "/v1/messages", ANTHROPIC, &body);
    assert_eq!(r.status, 200);
    assert!(r.complete);
    assert_eq!(
        r.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    let events = r.events();
    // Each event's name equals its data's type.
    for (name, data) in &events {
        let v: serde_json::Value = serde_json::from_str(data).unwrap();
        assert_eq!(name.as_deref(), v["type"].as_str());
    }
    let mut names: Vec<String> = events.iter().map(|(n, _)| n.clone().unwrap()).collect();
    names.dedup();
    assert_eq!(
        names,
        [
            "message_start",
            "ping",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ]
    );
    let data = r.event_json();
    assert_eq!(data[0]["message"]["model"], "claude-x");
    assert_eq!(data[0]["message"]["role"], "assistant");
    assert_eq!(data[0]["message"]["usage"]["input_tokens"], 321);
    assert!(data[0]["message"]["stop_reason"].is_null());

    let deltas = |index: u64, kind: &str, field: &str| {
        let pieces: Vec<String> = (data.iter())
            .filter(|e| e["type"] == "content_block_delta" && e["index"] == index)
            .filter(|e| e["delta"]["type"] == kind)
            .map(|e| e["delta"][field].as_str().unwrap().to_string())
            .collect();
        assert!(pieces.len() >= 2, "{kind} arrived in one piece");
        pieces.concat()
    };
    let starts: Vec<_> = (data.iter())
        .filter(|e| e["type"] == "content_block_start")
        .map(|e| e["content_block"].clone())
        .collect();
    assert_eq!(starts[0], json!({"type": "thinking", "thinking": ""}));
    assert_eq!(starts[1], json!({"type": "text", "text": ""}));
    assert_eq!(
        starts[2],
        json!({"type": "tool_use", "id": "call_1", "name": "bash", "input": {}})
    );
    assert_eq!(deltas(0, "thinking_delta", "thinking"), THINKING);
    assert!(data.iter().any(|e| e["delta"]["type"] == "signature_delta"));
    assert_eq!(deltas(1, "text_delta", "text"), TEXT);
    let json_args = deltas(2, "input_json_delta", "partial_json");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json_args).unwrap(),
        arguments()
    );
    let end = &data[data.len() - 2];
    assert_eq!(end["delta"]["stop_reason"], "tool_use");
    assert_eq!(end["usage"]["output_tokens"], 45);
}

#[test]
fn json_reply_holds_every_block_and_the_stop_reason() {
    let llm = ScriptedLlm::start(vec![full_turn(), Turn::text("bye")]);
    let body = json!({"model": "claude-x", "max_tokens": 100, "messages": []});
    let r = post(llm.addr(), "/v1/messages", ANTHROPIC, &body);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("request-id").is_some());
    let v = r.json();
    assert_eq!(v["type"], "message");
    assert_eq!(v["stop_reason"], "tool_use");
    assert_eq!(v["content"][0]["type"], "thinking");
    assert_eq!(v["content"][0]["thinking"], THINKING);
    assert!(v["content"][0]["signature"].is_string());
    assert_eq!(v["content"][1], json!({"type": "text", "text": TEXT}));
    assert_eq!(
        v["content"][2],
        json!({"type": "tool_use", "id": "call_1", "name": "bash", "input": arguments()})
    );
    assert_eq!(v["usage"]["input_tokens"], 321);
    assert_eq!(v["usage"]["output_tokens"], 45);

    let v = post(llm.addr(), "/v1/messages", ANTHROPIC, &body).json();
    assert_eq!(v["stop_reason"], "end_turn");
    assert_eq!(v["content"], json!([{"type": "text", "text": "bye"}]));
}
