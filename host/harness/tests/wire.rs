//! The provider formats against the scripted LLM server: request bodies
//! it accepts, and its streams (in the real providers' formats) assembled
//! back into the scripted answer, read in small pieces as a network would
//! deliver them.

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use wasm_agent_harness::message::{Message, StopReason};
use wasm_agent_harness::provider::sse::Decoder;
use wasm_agent_harness::provider::{
    anthropic, openai_chat, Request, Response, StreamError, ToolSpec,
};
use wasm_agent_scripted_llm::{Fault, Part, ScriptedLlm, Turn};

/// POSTs `body` and returns the status and the de-chunked response body.
fn post(
    server: &ScriptedLlm,
    path: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    let body = body.to_string();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head[9..12].parse().unwrap();
    let mut rest = &raw[split + 4..];
    if !head.contains("transfer-encoding: chunked") {
        return (status, rest.to_vec());
    }
    let mut out = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < end + 2 + size {
            break;
        }
        out.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[(end + 4 + size).min(rest.len())..];
    }
    (status, out)
}

/// Feeds a stream to an assembler 7 bytes at a time.
fn assemble<A>(
    bytes: &[u8],
    mut assembler: A,
    push: impl Fn(&mut A, &wasm_agent_harness::provider::sse::Event) -> Result<(), StreamError>,
    finish: impl Fn(A) -> Result<Response, StreamError>,
) -> Result<Response, StreamError> {
    let mut decoder = Decoder::new();
    for chunk in bytes.chunks(7) {
        for event in decoder.push(chunk) {
            push(&mut assembler, &event)?;
        }
    }
    if let Some(event) = decoder.finish() {
        push(&mut assembler, &event)?;
    }
    finish(assembler)
}

fn script() -> Turn {
    Turn::reply(vec![
        Part::Text("Let me look at the file.".into()),
        Part::tool_call(
            "call_7",
            "read",
            json!({"path": "src/main.rs", "limit": 40}),
        ),
    ])
    .with_usage(321, 45)
}

fn request(stream: bool) -> (Vec<Message>, Vec<ToolSpec>, bool) {
    let tools = vec![ToolSpec {
        name: "read".into(),
        description: "Read a file".into(),
        parameters: json!({"type": "object", "properties": {"path": {"type": "string"}}}),
    }];
    (vec![Message::user("what does main do?")], tools, stream)
}

fn check(response: &Response) {
    assert_eq!(response.stop, StopReason::ToolUse);
    assert_eq!(response.message.text(), "Let me look at the file.");
    let calls: Vec<_> = response.message.tool_uses().collect();
    assert_eq!(
        calls,
        [(
            "call_7",
            "read",
            &json!({"path": "src/main.rs", "limit": 40})
        )]
    );
    assert_eq!(
        (response.usage.input_tokens, response.usage.output_tokens),
        (321, 45)
    );
}

const ANTHROPIC: &[(&str, &str)] = &[
    ("x-api-key", "test-key"),
    ("anthropic-version", anthropic::API_VERSION),
];
const OPENAI: &[(&str, &str)] = &[("Authorization", "Bearer test-key")];

#[test]
fn anthropic_streams_and_responses_assemble() {
    for stream in [true, false] {
        let server = ScriptedLlm::start(vec![script()]);
        let (messages, tools, stream) = request(stream);
        let body = anthropic::request_body(&Request {
            model: "claude-test",
            system: Some("You are terse."),
            messages: &messages,
            tools: &tools,
            max_tokens: 1024,
            thinking_budget: None,
            stream,
        });
        let (status, bytes) = post(&server, "/v1/messages", ANTHROPIC, &body);
        assert_eq!(status, 200);
        let response = if stream {
            assemble(
                &bytes,
                anthropic::StreamAssembler::new(),
                |a, e| a.push(e).map(drop),
                anthropic::StreamAssembler::finish,
            )
        } else {
            anthropic::parse_response(&serde_json::from_slice(&bytes).unwrap())
        };
        check(&response.unwrap());
        assert_eq!(server.requests()[0].body["system"], "You are terse.");
    }
}

#[test]
fn openai_chat_streams_and_responses_assemble() {
    for stream in [true, false] {
        let server = ScriptedLlm::start(vec![script()]);
        let (messages, tools, stream) = request(stream);
        let body = openai_chat::request_body(&Request {
            model: "gpt-test",
            system: None,
            messages: &messages,
            tools: &tools,
            max_tokens: 1024,
            thinking_budget: None,
            stream,
        });
        let (status, bytes) = post(&server, "/v1/chat/completions", OPENAI, &body);
        assert_eq!(status, 200);
        let response = if stream {
            assemble(
                &bytes,
                openai_chat::StreamAssembler::new(),
                |a, e| a.push(e).map(drop),
                openai_chat::StreamAssembler::finish,
            )
        } else {
            openai_chat::parse_response(&serde_json::from_slice(&bytes).unwrap())
        };
        check(&response.unwrap());
    }
}

#[test]
fn broken_streams_and_overflows_are_recognised() {
    let server = ScriptedLlm::start(vec![
        script().malformed(Fault::Truncated),
        script().malformed(Fault::Truncated),
        Turn::context_overflow(),
        Turn::context_overflow(),
    ]);
    let (messages, tools, _) = request(true);
    let req = Request {
        model: "m",
        system: None,
        messages: &messages,
        tools: &tools,
        max_tokens: 64,
        thinking_budget: None,
        stream: true,
    };
    let (_, bytes) = post(
        &server,
        "/v1/messages",
        ANTHROPIC,
        &anthropic::request_body(&req),
    );
    let cut = assemble(
        &bytes,
        anthropic::StreamAssembler::new(),
        |a, e| a.push(e).map(drop),
        anthropic::StreamAssembler::finish,
    );
    assert!(matches!(cut, Err(StreamError::Malformed(_))), "{cut:?}");
    let (_, bytes) = post(
        &server,
        "/v1/chat/completions",
        OPENAI,
        &openai_chat::request_body(&req),
    );
    let cut = assemble(
        &bytes,
        openai_chat::StreamAssembler::new(),
        |a, e| a.push(e).map(drop),
        openai_chat::StreamAssembler::finish,
    );
    assert!(matches!(cut, Err(StreamError::Malformed(_))), "{cut:?}");

    let (status, bytes) = post(
        &server,
        "/v1/messages",
        ANTHROPIC,
        &anthropic::request_body(&req),
    );
    assert_eq!(status, 400);
    let err = anthropic::parse_response(&serde_json::from_slice(&bytes).unwrap()).unwrap_err();
    assert!(err.is_context_overflow(), "{err}");
    let (status, bytes) = post(
        &server,
        "/v1/chat/completions",
        OPENAI,
        &openai_chat::request_body(&req),
    );
    assert_eq!(status, 400);
    let err = openai_chat::parse_response(&serde_json::from_slice(&bytes).unwrap()).unwrap_err();
    assert!(err.is_context_overflow(), "{err}");
}
