//! The OpenAI Responses format against the scripted LLM server: text,
//! reasoning and tool calls streamed and whole, what the client sends,
//! usage and its cost, retries, broken streams and context overflow.

use serde_json::{json, Value};
use std::time::Duration;
use wasm_agent_harness::message::{Content, Message, Role, StopReason, Usage};
use wasm_agent_harness::provider::{
    Delta, Format, HttpProvider, Price, ProviderConfig, ProviderError, ProviderErrorKind,
    Providers, Request, Response, RetryPolicy, ToolSpec,
};
use wasm_agent_scripted_llm::{Fault, Part, ScriptedLlm, Turn};

fn provider(server: &ScriptedLlm) -> HttpProvider {
    HttpProvider::new(Format::OpenAiResponses, format!("{}/v1", server.base_url()))
        .api_key("sk-test-secret")
        .retry(RetryPolicy {
            attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
}

fn tools() -> Vec<ToolSpec> {
    vec![ToolSpec {
        name: "bash".into(),
        description: "Run a command".into(),
        parameters: json!({"type": "object", "properties": {"command": {"type": "string"}}}),
    }]
}

/// One call with `messages`; the deltas seen and the result.
async fn call_with(
    provider: &HttpProvider,
    messages: &[Message],
    stream: bool,
    thinking_budget: Option<u32>,
) -> (Vec<Delta>, Result<Response, ProviderError>) {
    let tools = tools();
    let request = Request {
        model: "gpt-test",
        system: Some("You are an agent."),
        messages,
        tools: &tools,
        max_tokens: 512,
        thinking_budget,
        stream,
    };
    let mut deltas = Vec::new();
    let result = provider.complete(&request, &mut |d| deltas.push(d)).await;
    (deltas, result)
}

async fn call(
    provider: &HttpProvider,
    stream: bool,
) -> (Vec<Delta>, Result<Response, ProviderError>) {
    call_with(provider, &[Message::user("what is here?")], stream, None).await
}

fn streamed_text(deltas: &[Delta]) -> String {
    deltas
        .iter()
        .filter_map(|d| match d {
            Delta::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

fn two_calls() -> Turn {
    Turn::reply(vec![
        Part::Text("Listing, then counting.".into()),
        Part::tool_call("call_a", "bash", json!({"command": "ls -la /home/user"})),
        Part::tool_call("call_b", "bash", json!({"command": "wc -l notes.txt"})),
    ])
    .with_usage(1_200, 48)
}

#[tokio::test]
async fn text_arrives_streamed_and_whole() {
    for stream in [true, false] {
        let server = ScriptedLlm::start(vec![Turn::text("Nothing here yet.").with_usage(321, 9)]);
        let (deltas, response) = call(&provider(&server), stream).await;
        let response = response.unwrap();
        assert_eq!(response.message.role, Role::Assistant);
        assert_eq!(response.message.text(), "Nothing here yet.");
        assert_eq!(response.stop, StopReason::EndTurn);
        assert_eq!(
            (response.usage.input_tokens, response.usage.output_tokens),
            (321, 9)
        );
        if stream {
            assert_eq!(streamed_text(&deltas), "Nothing here yet.");
            assert!(deltas.len() > 1, "the text came in pieces: {deltas:?}");
        } else {
            assert!(deltas.is_empty());
        }
        let sent = &server.requests()[0];
        assert_eq!(sent.path, "/v1/responses");
        assert_eq!(sent.header("authorization"), Some("Bearer sk-test-secret"));
        assert_eq!(sent.body["stream"], stream);
        assert_eq!(sent.body["store"], false);
        assert_eq!(sent.body["model"], "gpt-test");
        assert_eq!(sent.body["max_output_tokens"], 512);
        assert_eq!(sent.body["instructions"], "You are an agent.");
        assert_eq!(
            sent.body["input"],
            json!([{"type": "message", "role": "user",
                    "content": [{"type": "input_text", "text": "what is here?"}]}])
        );
        assert_eq!(
            sent.body["tools"][0],
            json!({"type": "function", "name": "bash", "description": "Run a command",
                   "parameters": tools()[0].parameters, "strict": false})
        );
        assert!(sent.body.get("reasoning").is_none());
    }
}

#[tokio::test]
async fn tool_calls_are_joined_from_their_argument_deltas() {
    for stream in [true, false] {
        let server = ScriptedLlm::start(vec![two_calls()]);
        let (deltas, response) = call(&provider(&server), stream).await;
        let response = response.unwrap();
        assert_eq!(response.stop, StopReason::ToolUse);
        assert_eq!(response.message.text(), "Listing, then counting.");
        let calls: Vec<_> = response.message.tool_uses().collect();
        assert_eq!(
            calls,
            [
                ("call_a", "bash", &json!({"command": "ls -la /home/user"})),
                ("call_b", "bash", &json!({"command": "wc -l notes.txt"})),
            ]
        );
        let starts: Vec<&Delta> = deltas
            .iter()
            .filter(|d| matches!(d, Delta::ToolCall { .. }))
            .collect();
        if stream {
            assert_eq!(
                starts,
                [
                    &Delta::ToolCall {
                        id: "call_a".into(),
                        name: "bash".into()
                    },
                    &Delta::ToolCall {
                        id: "call_b".into(),
                        name: "bash".into()
                    },
                ]
            );
        } else {
            assert!(starts.is_empty());
        }
    }
}

#[tokio::test]
async fn reasoning_is_asked_for_and_read_as_thinking() {
    for stream in [true, false] {
        let server = ScriptedLlm::start(vec![Turn::reply(vec![
            Part::Thinking("The user wants a listing; ls will do.".into()),
            Part::Text("Here it is.".into()),
        ])]);
        let (deltas, response) = call_with(
            &provider(&server),
            &[Message::user("list")],
            stream,
            Some(20_000),
        )
        .await;
        let response = response.unwrap();
        assert_eq!(
            response.message.content,
            [
                Content::Thinking {
                    thinking: "The user wants a listing; ls will do.".into(),
                    signature: None,
                },
                Content::text("Here it is."),
            ]
        );
        if stream {
            let thinking: String = deltas
                .iter()
                .filter_map(|d| match d {
                    Delta::Thinking(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect();
            assert_eq!(thinking, "The user wants a listing; ls will do.");
            assert!(matches!(deltas[0], Delta::Thinking(_)), "{deltas:?}");
        }
        assert_eq!(
            server.requests()[0].body["reasoning"],
            json!({"effort": "high", "summary": "auto"})
        );
    }
}

#[tokio::test]
async fn tool_results_go_back_as_outputs_of_their_calls() {
    let server = ScriptedLlm::start(vec![two_calls(), Turn::text("Two files, 3 lines.")]);
    let provider = provider(&server);
    let mut conversation = vec![Message::user("what is here?")];
    let (_, first) = call_with(&provider, &conversation, true, None).await;
    let first = first.unwrap();
    let results: Vec<Content> = first
        .message
        .tool_uses()
        .map(|(id, _, _)| Content::ToolResult {
            tool_use_id: id.to_owned(),
            content: format!("output of {id}"),
            is_error: id == "call_b",
        })
        .collect();
    conversation.push(first.message);
    conversation.push(Message {
        role: Role::User,
        content: results,
    });
    let (_, second) = call_with(&provider, &conversation, true, None).await;
    assert_eq!(second.unwrap().message.text(), "Two files, 3 lines.");

    let input = server.requests()[1].body["input"].clone();
    let kinds: Vec<&str> = input
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "message",
            "message",
            "function_call",
            "function_call",
            "function_call_output",
            "function_call_output"
        ]
    );
    assert_eq!(
        input[1],
        json!({"type": "message", "role": "assistant", "content": "Listing, then counting."})
    );
    let call_ids = |kind: &str| -> Vec<Value> {
        input
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["type"] == kind)
            .map(|i| i["call_id"].clone())
            .collect()
    };
    assert_eq!(call_ids("function_call"), call_ids("function_call_output"));
    assert_eq!(
        call_ids("function_call"),
        [json!("call_a"), json!("call_b")]
    );
    assert_eq!(input[2]["arguments"], "{\"command\":\"ls -la /home/user\"}");
    assert_eq!(input[4]["output"], "output of call_a");
    assert_eq!(input[5]["output"], "Error: output of call_b");
}

#[tokio::test]
async fn usage_is_priced_by_the_configured_provider() {
    let server = ScriptedLlm::start(vec![two_calls()]);
    let mut providers = Providers::standard();
    let mut local = ProviderConfig::openai_compatible(format!("{}/v1", server.base_url()));
    local.format = Format::OpenAiResponses;
    local.api_key = Some("local-key".into());
    local.pricing.set(
        "gpt-test",
        Price {
            input: 2.0,
            output: 8.0,
            cache_read: 0.5,
            cache_write: 2.0,
        },
    );
    providers.configure("local", local);
    let (provider, model) = providers.resolve("local/gpt-test").unwrap();
    assert_eq!(model, "gpt-test");
    let (_, response) = call(&provider, true).await;
    let usage = response.unwrap().usage;
    assert_eq!(
        usage,
        Usage {
            input_tokens: 1_200,
            output_tokens: 48,
            ..Usage::default()
        }
    );
    let cost = providers.cost("local/gpt-test", &usage).unwrap().unwrap();
    // 1,200 × $2/M + 48 × $8/M.
    assert!((cost.total() - 0.002784).abs() < 1e-12, "{cost:?}");
    assert_eq!(server.requests()[0].path, "/v1/responses");
    // A model the provider does not price has no cost, not a guessed one.
    assert_eq!(providers.cost("local/other-model", &usage).unwrap(), None);
}

#[tokio::test]
async fn throttling_is_retried_then_answered() {
    let server = ScriptedLlm::start(vec![Turn::rate_limited(1), Turn::text("Done.")]);
    let (_, response) = call(&provider(&server), true).await;
    assert_eq!(response.unwrap().message.text(), "Done.");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the same request again");

    let server = ScriptedLlm::start(vec![Turn::rate_limited(1); 3]);
    let (_, response) = call(&provider(&server), false).await;
    let err = response.unwrap_err();
    assert_eq!(
        (err.kind, err.status, err.attempts),
        (ProviderErrorKind::RateLimited, Some(429), 3),
        "{err}"
    );
    assert!(err.to_string().contains("rate_limit_exceeded"), "{err}");
}

#[tokio::test]
async fn context_overflow_is_reported_for_compaction() {
    for stream in [true, false] {
        let server = ScriptedLlm::start(vec![Turn::context_overflow(), Turn::text("unused")]);
        let (_, response) = call(&provider(&server), stream).await;
        let err = response.unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::ContextOverflow, "{err}");
        assert_eq!(err.status, Some(400));
        assert_eq!(server.requests().len(), 1, "an overflow is not retried");
    }
}

#[tokio::test]
async fn broken_streams_are_errors_not_answers() {
    let cases = [
        (
            Fault::Truncated,
            ProviderErrorKind::Malformed,
            "response.completed",
        ),
        (Fault::InvalidJson, ProviderErrorKind::Malformed, "not JSON"),
        (
            Fault::ErrorEvent,
            ProviderErrorKind::Unavailable,
            "server_error",
        ),
        (Fault::Disconnected, ProviderErrorKind::Network, ""),
    ];
    for (fault, kind, says) in cases {
        let server = ScriptedLlm::start(vec![two_calls().malformed(fault), two_calls()]);
        let (deltas, response) = call(&provider(&server), true).await;
        let err = response.unwrap_err();
        assert_eq!(err.kind, kind, "{fault:?}: {err}");
        assert!(err.to_string().contains(says), "{fault:?}: {err}");
        assert!(
            !deltas.is_empty(),
            "{fault:?}: part of the answer was shown"
        );
        // Part of the answer was shown, so it is not asked for again.
        assert_eq!(server.requests().len(), 1, "{fault:?}");
    }
}

#[tokio::test]
async fn broken_whole_responses_are_errors() {
    let server = ScriptedLlm::start(vec![two_calls().malformed(Fault::InvalidJson)]);
    let (_, response) = call(&provider(&server), false).await;
    let err = response.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Malformed, "{err}");
    assert!(err.to_string().contains("not JSON"), "{err}");
}
