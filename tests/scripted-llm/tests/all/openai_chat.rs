//! OpenAI Chat Completions: streaming (with and without the usage chunk) and not.

use serde_json::{json, Value};
use wasm_agent_scripted_llm::{Part, ScriptedLlm, Turn};

use super::client::{post, OPENAI};
use super::{arguments, full_turn, TEXT, THINKING};

fn joined(chunks: &[Value], pick: impl Fn(&Value) -> Option<&str>) -> (String, usize) {
    let pieces: Vec<&str> = (chunks.iter())
        .filter_map(|c| pick(&c["choices"][0]["delta"]))
        .filter(|p| !p.is_empty())
        .collect();
    (pieces.concat(), pieces.len())
}

#[test]
fn stream_with_usage_sends_deltas_finish_reason_usage_chunk_and_done() {
    let llm = ScriptedLlm::start(vec![full_turn()]);
    let body = json!({"model": "gpt-x", "stream": true,
                      "stream_options": {"include_usage": true}, "messages": []});
    let r = post(llm.addr(), "/v1/chat/completions", OPENAI, &body);
    assert_eq!(r.status, 200);
    assert!(r.complete);
    let events = r.events();
    assert!(events.iter().all(|(name, _)| name.is_none()));
    assert_eq!(events.last().unwrap().1, "[DONE]");
    let chunks = r.event_json();
    assert!(chunks
        .iter()
        .all(|c| c["object"] == "chat.completion.chunk"));
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");

    let (text, n) = joined(&chunks, |d| d["content"].as_str());
    assert_eq!(text, TEXT);
    assert!(n >= 2);
    let (thinking, n) = joined(&chunks, |d| d["reasoning_content"].as_str());
    assert_eq!(thinking, THINKING);
    assert!(n >= 2);

    let calls: Vec<&Value> = (chunks.iter())
        .filter_map(|c| c["choices"][0]["delta"]["tool_calls"].get(0))
        .collect();
    assert_eq!(calls[0]["index"], 0);
    assert_eq!(calls[0]["id"], "call_1");
    assert_eq!(calls[0]["type"], "function");
    assert_eq!(calls[0]["function"]["name"], "bash");
    assert!(calls[1..].iter().all(|c| c.get("id").is_none()));
    let args: String = (calls.iter())
        .map(|c| c["function"]["arguments"].as_str().unwrap())
        .collect();
    assert!(calls.len() >= 3);
    assert_eq!(serde_json::from_str::<Value>(&args).unwrap(), arguments());

    let finish = &chunks[chunks.len() - 2];
    assert_eq!(finish["choices"][0]["finish_reason"], "tool_calls");
    assert!(finish["usage"].is_null());
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert_eq!(
        usage["usage"],
        json!({"prompt_tokens": 321, "completion_tokens": 45, "total_tokens": 366})
    );
}

#[test]
fn stream_without_include_usage_has_no_usage_and_two_tool_calls_get_their_own_index() {
    let llm = ScriptedLlm::start(vec![Turn::reply(vec![
        Part::tool_call("a", "read", json!({"path": "/x"})),
        Part::tool_call("b", "read", json!({"path": "/y"})),
    ])]);
    let body = json!({"model": "gpt-x", "stream": true, "messages": []});
    let r = post(llm.addr(), "/v1/chat/completions", OPENAI, &body);
    let chunks = r.event_json();
    assert!(chunks.iter().all(|c| c.get("usage").is_none()));
    let finish = chunks.last().unwrap();
    assert_eq!(finish["choices"][0]["finish_reason"], "tool_calls");
    for (index, id, path) in [(0, "a", "/x"), (1, "b", "/y")] {
        let calls: Vec<&Value> = (chunks.iter())
            .filter_map(|c| c["choices"][0]["delta"]["tool_calls"].get(0))
            .filter(|c| c["index"] == index)
            .collect();
        assert_eq!(calls[0]["id"], id);
        let args: String = (calls.iter())
            .map(|c| c["function"]["arguments"].as_str().unwrap())
            .collect();
        assert_eq!(
            serde_json::from_str::<Value>(&args).unwrap(),
            json!({"path": path})
        );
    }
}

#[test]
fn json_reply_has_message_tool_calls_and_usage() {
    let llm = ScriptedLlm::start(vec![full_turn(), Turn::text("bye")]);
    let body = json!({"model": "gpt-x", "messages": []});
    let r = post(llm.addr(), "/v1/chat/completions", OPENAI, &body);
    assert_eq!(r.status, 200);
    assert!(r.header("x-request-id").is_some());
    let v = r.json();
    assert_eq!(v["object"], "chat.completion");
    assert_eq!(v["model"], "gpt-x");
    let choice = &v["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(choice["message"]["content"], TEXT);
    assert_eq!(choice["message"]["reasoning_content"], THINKING);
    let call = &choice["message"]["tool_calls"][0];
    assert_eq!(call["id"], "call_1");
    assert_eq!(call["function"]["name"], "bash");
    let args = call["function"]["arguments"].as_str().unwrap();
    assert_eq!(serde_json::from_str::<Value>(args).unwrap(), arguments());
    assert_eq!(v["usage"]["total_tokens"], 366);

    let v = post(llm.addr(), "/v1/chat/completions", OPENAI, &body).json();
    assert_eq!(v["choices"][0]["finish_reason"], "stop");
    assert_eq!(v["choices"][0]["message"]["content"], "bye");
    assert!(v["choices"][0]["message"].get("tool_calls").is_none());
}
