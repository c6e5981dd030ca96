//! OpenAI Responses: semantic streaming events and the response object.

use serde_json::{json, Value};
use wasm_agent_scripted_llm::ScriptedLlm;

use super::client::{post, OPENAI};
use super::{arguments, full_turn, TEXT, THINKING};

#[test]
fn stream_sends_semantic_events_with_sequence_numbers_and_ends_with_completed() {
    let llm = ScriptedLlm::start(vec![full_turn()]);
    let body = json!({"model": "gpt-x", "stream": true, "input": "hi"});
    let r = post(llm.addr(), "/v1/responses", OPENAI, &body);
    assert_eq!(r.status, 200);
    assert!(r.complete);
    assert!(r.events().iter().all(|(_, d)| d != "[DONE]"));
    let events = r.event_json();
    for (n, (e, (name, _))) in events.iter().zip(r.events()).enumerate() {
        assert_eq!(e["sequence_number"], n);
        assert_eq!(name.as_deref(), e["type"].as_str());
    }
    let mut names: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    names.dedup();
    assert_eq!(
        names,
        [
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done",
            "response.reasoning_summary_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed",
        ]
    );
    let joined = |kind: &str| {
        let pieces: Vec<&str> = (events.iter())
            .filter(|e| e["type"] == kind)
            .map(|e| e["delta"].as_str().unwrap())
            .collect();
        assert!(pieces.len() >= 2, "{kind} in one piece");
        pieces.concat()
    };
    assert_eq!(joined("response.reasoning_summary_text.delta"), THINKING);
    assert_eq!(joined("response.output_text.delta"), TEXT);
    let args = joined("response.function_call_arguments.delta");
    assert_eq!(serde_json::from_str::<Value>(&args).unwrap(), arguments());

    let added: Vec<&Value> = (events.iter())
        .filter(|e| e["type"] == "response.output_item.added")
        .map(|e| &e["item"])
        .collect();
    assert_eq!(added[2]["type"], "function_call");
    assert_eq!(added[2]["call_id"], "call_1");
    assert_eq!(added[2]["name"], "bash");
    // Deltas point at the item they extend.
    let fc_delta = (events.iter())
        .find(|e| e["type"] == "response.function_call_arguments.delta")
        .unwrap();
    assert_eq!(fc_delta["item_id"], added[2]["id"]);
    assert_eq!(fc_delta["output_index"], 2);

    let done = &events.last().unwrap()["response"];
    assert_eq!(done["status"], "completed");
    assert_eq!(done["usage"]["input_tokens"], 321);
    assert_eq!(done["usage"]["output_tokens"], 45);
    assert_eq!(done["output"].as_array().unwrap().len(), 3);
}

#[test]
fn json_reply_is_the_completed_response_object() {
    let llm = ScriptedLlm::start(vec![full_turn()]);
    let body = json!({"model": "gpt-x", "input": "hi"});
    let v = post(llm.addr(), "/v1/responses", OPENAI, &body).json();
    assert_eq!(v["object"], "response");
    assert_eq!(v["status"], "completed");
    assert_eq!(v["model"], "gpt-x");
    let out = &v["output"];
    assert_eq!(out[0]["type"], "reasoning");
    assert_eq!(
        out[0]["summary"],
        json!([{"type": "summary_text", "text": THINKING}])
    );
    assert_eq!(out[1]["type"], "message");
    assert_eq!(out[1]["role"], "assistant");
    assert_eq!(out[1]["content"][0]["type"], "output_text");
    assert_eq!(out[1]["content"][0]["text"], TEXT);
    assert_eq!(out[2]["type"], "function_call");
    assert_eq!(out[2]["call_id"], "call_1");
    let args = out[2]["arguments"].as_str().unwrap();
    assert_eq!(serde_json::from_str::<Value>(args).unwrap(), arguments());
    assert_eq!(v["usage"]["total_tokens"], 366);
}
