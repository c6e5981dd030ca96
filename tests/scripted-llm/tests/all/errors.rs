//! Error turns in each provider's shape, and malformed replies.

use serde_json::{json, Value};
use wasm_agent_scripted_llm::{Failure, Fault, ScriptedLlm, Turn};

use super::client::{post, ANTHROPIC, OPENAI};
use super::full_turn;

const ENDPOINTS: [(&str, &[(&str, &str)]); 3] = [
    ("/v1/messages", ANTHROPIC),
    ("/v1/chat/completions", OPENAI),
    ("/v1/responses", OPENAI),
];

fn body(stream: bool) -> Value {
    json!({"model": "m", "stream": stream, "max_tokens": 10, "messages": [], "input": "x"})
}

#[test]
fn rate_limit_then_success_on_every_api() {
    for (path, auth) in ENDPOINTS {
        let llm = ScriptedLlm::start(vec![Turn::rate_limited(7), Turn::text("ok")]);
        let r = post(llm.addr(), path, auth, &body(true));
        assert_eq!(r.status, 429, "{path}");
        assert_eq!(r.header("retry-after"), Some("7"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        let v = r.json();
        if path == "/v1/messages" {
            assert_eq!(v["type"], "error");
            assert_eq!(v["error"]["type"], "rate_limit_error");
        } else {
            assert_eq!(v["error"]["code"], "rate_limit_exceeded");
            assert!(v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Rate limit"));
        }
        let r = post(llm.addr(), path, auth, &body(false));
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(llm.remaining(), 0);
    }
}

#[test]
fn context_overflow_uses_each_providers_shape() {
    for (path, auth) in ENDPOINTS {
        let llm = ScriptedLlm::start(vec![Turn::context_overflow()]);
        let r = post(llm.addr(), path, auth, &body(false));
        assert_eq!(r.status, 400);
        assert_eq!(r.header("retry-after"), None);
        let v = r.json();
        if path == "/v1/messages" {
            assert_eq!(
                v,
                json!({"type": "error", "error": {"type": "invalid_request_error",
                       "message": "prompt is too long: 250000 tokens > 200000 maximum"}})
            );
        } else {
            assert_eq!(v["error"]["code"], "context_length_exceeded");
            assert_eq!(v["error"]["type"], "invalid_request_error");
            let param = if path == "/v1/responses" {
                "input"
            } else {
                "messages"
            };
            assert_eq!(v["error"]["param"], param);
            let message = v["error"]["message"].as_str().unwrap();
            assert!(message.contains("maximum context length is 200000 tokens"));
        }
    }
}

#[test]
fn server_overloaded_and_raw_failures() {
    let llm = ScriptedLlm::start(vec![
        Turn::Error(Failure::Server),
        Turn::Error(Failure::Overloaded),
        Turn::Error(Failure::Overloaded),
        Turn::Error(Failure::Raw {
            status: 418,
            body: "not json".into(),
            retry_after: Some(2),
        }),
    ]);
    let r = post(llm.addr(), "/v1/messages", ANTHROPIC, &body(false));
    assert_eq!(
        (r.status, r.json()["error"]["type"].clone()),
        (500, json!("api_error"))
    );
    let r = post(llm.addr(), "/v1/messages", ANTHROPIC, &body(false));
    assert_eq!(
        (r.status, r.json()["error"]["type"].clone()),
        (529, json!("overloaded_error"))
    );
    let r = post(llm.addr(), "/v1/chat/completions", OPENAI, &body(false));
    assert_eq!(r.status, 503);
    let r = post(llm.addr(), "/v1/chat/completions", OPENAI, &body(false));
    assert_eq!((r.status, r.text()), (418, "not json".to_string()));
    assert_eq!(r.header("retry-after"), Some("2"));
}

/// The name of the event that ends a complete stream.
fn final_event(path: &str) -> &'static str {
    match path {
        "/v1/messages" => "message_stop",
        "/v1/chat/completions" => "[DONE]",
        _ => "response.completed",
    }
}

fn has_final(r: &super::client::Response, path: &str) -> bool {
    let last = final_event(path);
    (r.events().iter()).any(|(name, data)| name.as_deref() == Some(last) || data == last)
}

#[test]
fn truncated_stream_ends_cleanly_without_the_final_event() {
    for (path, auth) in ENDPOINTS {
        let llm = ScriptedLlm::start(vec![full_turn().malformed(Fault::Truncated)]);
        let r = post(llm.addr(), path, auth, &body(true));
        assert_eq!(r.status, 200);
        assert!(r.complete, "{path}: the chunked body is terminated");
        assert!(r.events().len() > 2);
        assert!(!has_final(&r, path), "{path}");
        r.event_json(); // every event that came is valid JSON
    }
}

#[test]
fn disconnected_stream_never_terminates_the_chunked_body() {
    for (path, auth) in ENDPOINTS {
        let llm = ScriptedLlm::start(vec![full_turn().malformed(Fault::Disconnected)]);
        let r = post(llm.addr(), path, auth, &body(true));
        assert!(!r.complete, "{path}");
        assert!(r.events().len() > 2);
        assert!(!has_final(&r, path), "{path}");
    }
}

#[test]
fn invalid_json_stream_has_exactly_one_unparsable_event_and_the_rest_intact() {
    for (path, auth) in ENDPOINTS {
        let llm = ScriptedLlm::start(vec![full_turn().malformed(Fault::InvalidJson)]);
        let r = post(llm.addr(), path, auth, &body(true));
        assert!(r.complete);
        assert!(has_final(&r, path), "{path}");
        let bad = (r.events().iter())
            .filter(|(_, d)| d != "[DONE]" && serde_json::from_str::<Value>(d).is_err())
            .count();
        assert_eq!(bad, 1, "{path}");
    }
}

#[test]
fn malformed_json_replies() {
    let llm = ScriptedLlm::start(vec![
        full_turn().malformed(Fault::InvalidJson),
        full_turn().malformed(Fault::Truncated),
        full_turn().malformed(Fault::Disconnected),
    ]);
    for complete in [true, true, false] {
        let r = post(llm.addr(), "/v1/messages", ANTHROPIC, &body(false));
        assert_eq!(r.status, 200);
        assert_eq!(r.complete, complete);
        assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    }
}

#[test]
fn error_event_reports_the_failure_inside_the_stream() {
    for (path, auth) in ENDPOINTS {
        let llm = ScriptedLlm::start(vec![full_turn().malformed(Fault::ErrorEvent)]);
        let r = post(llm.addr(), path, auth, &body(true));
        assert_eq!(r.status, 200);
        assert!(r.complete, "{path}: the body still ends cleanly");
        assert!(!has_final(&r, path), "{path}");
        let events = r.event_json();
        match path {
            "/v1/messages" => {
                let last = events.last().unwrap();
                assert_eq!(last["type"], "error");
                assert_eq!(last["error"]["type"], "overloaded_error");
                assert_eq!(r.events().last().unwrap().0.as_deref(), Some("error"));
            }
            "/v1/chat/completions" => {
                assert_eq!(events.last().unwrap()["error"]["type"], "server_error");
            }
            _ => {
                let [.., error, failed] = &events[..] else {
                    panic!()
                };
                assert_eq!(error["type"], "error");
                assert_eq!(error["code"], "server_error");
                assert_eq!(failed["type"], "response.failed");
                assert_eq!(failed["response"]["status"], "failed");
                for (n, e) in events.iter().enumerate() {
                    assert_eq!(e["sequence_number"], n);
                }
            }
        }
    }
    let llm = ScriptedLlm::start(vec![full_turn().malformed(Fault::ErrorEvent)]);
    let r = post(llm.addr(), "/v1/messages", ANTHROPIC, &body(false));
    assert_eq!(r.status, 500);
}
