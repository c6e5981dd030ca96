//! The server itself: recording, header checks, unscripted requests, keep-alive, the
//! dynamic responder and shutdown.

use std::net::TcpStream;

use serde_json::json;
use wasm_agent_scripted_llm::{Api, ScriptedLlm, Turn};

use super::client::{post, Conn, ANTHROPIC, OPENAI};

#[test]
fn requests_are_recorded_with_headers_and_parsed_body() {
    let llm = ScriptedLlm::start(vec![Turn::text("a"), Turn::text("b")]);
    let body = json!({"model": "claude-x", "system": "be brief",
                      "messages": [{"role": "user", "content": "hi"}],
                      "tools": [{"name": "bash"}]});
    post(llm.addr(), "/v1/messages", ANTHROPIC, &body);
    post(
        llm.addr(),
        "/v1/chat/completions?x=1",
        OPENAI,
        &json!({"model": "g"}),
    );
    let requests = llm.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/v1/messages");
    assert_eq!(requests[0].api, Some(Api::Anthropic));
    assert_eq!(requests[0].header("X-Api-Key"), Some("sk-test"));
    assert_eq!(requests[0].body, body);
    assert!(!requests[0].stream());
    assert_eq!(requests[1].api, Some(Api::OpenAiChat));
    assert_eq!(requests[1].header("authorization"), Some("Bearer sk-test"));
}

#[test]
fn missing_credentials_are_refused_without_consuming_a_turn() {
    let llm = ScriptedLlm::start(vec![Turn::text("a")]);
    let body = json!({"model": "m"});
    let r = post(
        llm.addr(),
        "/v1/messages",
        &[("anthropic-version", "2023-06-01")],
        &body,
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["type"], "authentication_error");
    let r = post(llm.addr(), "/v1/messages", &[("x-api-key", "k")], &body);
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("anthropic-version"));
    let bearer = [
        ("authorization", "Basic k"),
        ("anthropic-version", "2023-06-01"),
    ];
    assert_eq!(post(llm.addr(), "/v1/messages", &bearer, &body).status, 401);
    for path in ["/v1/chat/completions", "/v1/responses"] {
        let r = post(llm.addr(), path, &[("authorization", "Basic x")], &body);
        assert_eq!(r.status, 401);
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("API key"));
    }
    assert_eq!(llm.remaining(), 1);
    assert_eq!(llm.requests().len(), 5);
    // The Anthropic SDKs send API keys as bearer tokens, which the API accepts.
    let bearer = [
        ("authorization", "Bearer k"),
        ("anthropic-version", "2023-06-01"),
    ];
    assert_eq!(post(llm.addr(), "/v1/messages", &bearer, &body).status, 200);
}

#[test]
fn bad_json_unknown_paths_and_unscripted_requests_get_clear_errors() {
    let llm = ScriptedLlm::start(vec![Turn::text("only")]);
    let r = Conn::open(llm.addr()).send("/v1/messages", ANTHROPIC, "{not json");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    let r = post(llm.addr(), "/v2/complete", OPENAI, &json!({}));
    assert_eq!(r.status, 404);
    assert!(r.text().contains("/v2/complete"));
    assert_eq!(llm.remaining(), 1);

    let body = json!({"model": "gpt-x", "stream": true});
    assert_eq!(post(llm.addr(), "/v1/responses", OPENAI, &body).status, 200);
    let r = post(llm.addr(), "/v1/chat/completions", OPENAI, &body);
    assert_eq!(r.status, 500);
    let message = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains("request #4"), "{message}");
    assert!(message.contains("POST /v1/chat/completions"), "{message}");
    assert!(message.contains("1 turns were served"), "{message}");
}

#[test]
fn one_keep_alive_connection_serves_several_requests_streamed_or_not() {
    let llm = ScriptedLlm::start(vec![Turn::text("one"), Turn::text("two"), Turn::text("3")]);
    let mut conn = Conn::open(llm.addr());
    let stream = json!({"model": "m", "stream": true}).to_string();
    let plain = json!({"model": "m"}).to_string();
    let r = conn.send("/v1/messages", ANTHROPIC, &stream);
    assert!(r.complete);
    let r = conn.send("/v1/messages", ANTHROPIC, &plain);
    assert_eq!(r.json()["content"][0]["text"], "two");
    let r = conn.send("/v1/chat/completions", OPENAI, &stream);
    assert_eq!(r.events().last().unwrap().1, "[DONE]");
}

#[test]
fn responder_answers_after_the_queue_from_the_request() {
    let llm = ScriptedLlm::start_with(|r| {
        let n = r.body["messages"].as_array().map_or(0, Vec::len);
        (n < 3).then(|| Turn::text(format!("{n} messages")))
    });
    llm.push(Turn::text("queued first"));
    let msgs = |n: usize| json!({"model": "m", "messages": vec![json!({}); n]});
    let text = |n| post(llm.addr(), "/v1/messages", ANTHROPIC, &msgs(n)).json();
    assert_eq!(text(1)["content"][0]["text"], "queued first");
    assert_eq!(text(2)["content"][0]["text"], "2 messages");
    let r = post(llm.addr(), "/v1/messages", ANTHROPIC, &msgs(3));
    assert_eq!(r.status, 500);
}

#[test]
fn drop_stops_listening() {
    let llm = ScriptedLlm::start(vec![]);
    let addr = llm.addr();
    assert!(llm.base_url().starts_with("http://127.0.0.1:"));
    drop(llm);
    assert!(TcpStream::connect(addr).is_err());
}

#[test]
fn expect_100_continue_is_answered_before_the_body() {
    use std::io::{BufRead, BufReader, Write};
    let llm = ScriptedLlm::start(vec![Turn::text("hi")]);
    let mut s = TcpStream::connect(llm.addr()).unwrap();
    let body = json!({"model": "m"}).to_string();
    write!(
        s,
        "POST /v1/chat/completions HTTP/1.1\r\nauthorization: Bearer k\r\n\
         expect: 100-continue\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 100 Continue\r\n");
    s.write_all(body.as_bytes()).unwrap();
    line.clear();
    reader.read_line(&mut line).unwrap(); // blank line after the 100
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 200 OK\r\n");
}
