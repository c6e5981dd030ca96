//! `HttpProvider` against the scripted LLM server: streaming, headers,
//! retries on 429 and 5xx, and the failures that must not be retried.

use serde_json::json;
use std::time::{Duration, Instant};
use wasm_agent_harness::message::{Message, StopReason};
use wasm_agent_harness::provider::{
    Delta, Format, HttpProvider, ProviderErrorKind, Request, RetryPolicy, ToolSpec,
};
use wasm_agent_scripted_llm::{Failure, Fault, Part, ScriptedLlm, Turn};

fn provider(server: &ScriptedLlm, format: Format) -> HttpProvider {
    let base = match format {
        Format::Anthropic => server.base_url(),
        Format::OpenAiChat | Format::OpenAiResponses => format!("{}/v1", server.base_url()),
    };
    HttpProvider::new(format, base)
        .api_key("sk-test-secret")
        .retry(RetryPolicy {
            attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
}

fn answer() -> Turn {
    Turn::reply(vec![
        Part::Text("I will list the files first.".into()),
        Part::tool_call("call_1", "bash", json!({"command": "ls -la"})),
    ])
    .with_usage(100, 20)
}

async fn call(
    provider: &HttpProvider,
    stream: bool,
) -> (
    Vec<Delta>,
    Result<wasm_agent_harness::provider::Response, wasm_agent_harness::provider::ProviderError>,
) {
    let messages = [Message::user("what is here?")];
    let tools = [ToolSpec {
        name: "bash".into(),
        description: "Run a command".into(),
        parameters: json!({"type": "object"}),
    }];
    let request = Request {
        model: "test-model",
        system: Some("You are an agent."),
        messages: &messages,
        tools: &tools,
        max_tokens: 512,
        thinking_budget: None,
        stream,
    };
    let mut deltas = Vec::new();
    let result = provider.complete(&request, &mut |d| deltas.push(d)).await;
    (deltas, result)
}

#[tokio::test]
async fn both_formats_stream_an_answer_with_their_headers() {
    for format in [Format::Anthropic, Format::OpenAiChat] {
        for stream in [true, false] {
            let server = ScriptedLlm::start(vec![answer()]);
            let (deltas, response) = call(&provider(&server, format), stream).await;
            let response = response.unwrap();
            assert_eq!(response.stop, StopReason::ToolUse);
            assert_eq!(response.message.text(), "I will list the files first.");
            assert_eq!(response.message.tool_uses().count(), 1);
            assert_eq!(response.usage.output_tokens, 20);
            if stream {
                let streamed: String = deltas
                    .iter()
                    .filter_map(|d| match d {
                        Delta::Text(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect();
                assert_eq!(streamed, "I will list the files first.");
                assert!(
                    deltas
                        .iter()
                        .filter(|d| matches!(d, Delta::Text(_)))
                        .count()
                        > 1
                );
            } else {
                assert!(deltas.is_empty());
            }
            let sent = &server.requests()[0];
            match format {
                Format::Anthropic => {
                    assert_eq!(sent.header("x-api-key"), Some("sk-test-secret"));
                    assert!(sent.header("anthropic-version").is_some());
                }
                Format::OpenAiChat | Format::OpenAiResponses => {
                    assert_eq!(sent.header("authorization"), Some("Bearer sk-test-secret"));
                }
            }
            assert_eq!(sent.body["stream"], stream);
        }
    }
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried() {
    let server = ScriptedLlm::start(vec![
        Turn::Error(Failure::RateLimited {
            retry_after: Some(1),
        }),
        Turn::Error(Failure::Server),
        answer(),
    ]);
    let start = Instant::now();
    let (_, response) = call(&provider(&server, Format::Anthropic), true).await;
    assert_eq!(response.unwrap().message.tool_uses().count(), 1);
    assert_eq!(server.requests().len(), 3);
    // retry-after (1 s) was capped by the policy's 50 ms.
    assert!(
        start.elapsed() < Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );

    let server = ScriptedLlm::start(vec![
        Turn::Error(Failure::Overloaded),
        Turn::Error(Failure::Overloaded),
        Turn::Error(Failure::Overloaded),
    ]);
    let (_, response) = call(&provider(&server, Format::OpenAiChat), true).await;
    let err = response.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Unavailable);
    assert_eq!(err.attempts, 3);
    assert_eq!(server.requests().len(), 3);
    assert!(err.to_string().contains("3 attempts"), "{err}");
}

#[tokio::test]
async fn overflow_auth_and_broken_streams_are_not_retried() {
    for format in [Format::Anthropic, Format::OpenAiChat] {
        let server = ScriptedLlm::start(vec![Turn::context_overflow()]);
        let (_, response) = call(&provider(&server, format), true).await;
        let err = response.unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::ContextOverflow, "{err}");
        assert_eq!(server.requests().len(), 1);

        let server = ScriptedLlm::start(vec![Turn::Error(Failure::Raw {
            status: 401,
            body: r#"{"error":{"message":"invalid key"}}"#.into(),
            retry_after: None,
        })]);
        let (_, response) = call(&provider(&server, format), true).await;
        let err = response.unwrap_err();
        assert_eq!((err.kind, err.status), (ProviderErrorKind::Auth, Some(401)));
        assert!(!err.to_string().contains("sk-test-secret"), "{err}");

        let server = ScriptedLlm::start(vec![answer().malformed(Fault::Truncated), answer()]);
        let (deltas, response) = call(&provider(&server, format), true).await;
        let err = response.unwrap_err();
        assert_eq!(err.kind, ProviderErrorKind::Malformed, "{err}");
        assert!(!deltas.is_empty(), "part of the answer was shown");
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn an_unreachable_provider_is_a_network_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let provider = HttpProvider::new(Format::Anthropic, format!("http://127.0.0.1:{port}"))
        .api_key("sk-test-secret")
        .retry(RetryPolicy {
            attempts: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(5),
        });
    let (_, response) = call(&provider, true).await;
    let err = response.unwrap_err();
    assert_eq!(
        (err.kind, err.attempts),
        (ProviderErrorKind::Network, 2),
        "{err}"
    );
    assert!(!err.to_string().contains("sk-test-secret"), "{err}");
}

#[tokio::test]
async fn a_configured_provider_is_reached_by_its_model_string() {
    use wasm_agent_harness::provider::{ProviderConfig, Providers};
    let server = ScriptedLlm::start(vec![answer()]);
    let mut providers = Providers::standard();
    let mut local = ProviderConfig::openai_compatible(format!("{}/v1", server.base_url()));
    local.api_key = Some("local-key".into());
    local.headers.push(("x-team".into(), "agents".into()));
    providers.configure("local", local);
    let (provider, model) = providers.resolve("local/tiny-model").unwrap();
    assert_eq!(model, "tiny-model");
    let (_, response) = call(&provider, true).await;
    assert_eq!(response.unwrap().message.tool_uses().count(), 1);
    let sent = &server.requests()[0];
    assert_eq!(sent.header("x-team"), Some("agents"));
    assert_eq!(sent.header("authorization"), Some("Bearer local-key"));
}
