//! The agent loop end to end: a scripted model (Anthropic and OpenAI wire
//! formats) drives the real built-in tools in a sandbox.

use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use wasm_agent::{Runtime, Sandbox};
use wasm_agent_harness::agent_loop::{run, LoopConfig, LoopError, LoopEvent};
use wasm_agent_harness::message::{Message, StopReason};
use wasm_agent_harness::provider::{Format, HttpProvider, ProviderErrorKind, RetryPolicy};
use wasm_agent_harness::tools::{builtin_tools, ToolContext};
use wasm_agent_scripted_llm::{Part, ScriptedLlm, Turn};

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let runtime = Runtime::new().expect("runtime builds");
        if let Err(err) = runtime.preload() {
            panic!("{err}\n(the tools module is built by scripts/build-guest-tools.sh)");
        }
        runtime
    })
}

fn provider(server: &ScriptedLlm, format: Format) -> HttpProvider {
    let base = match format {
        Format::Anthropic => server.base_url(),
        Format::OpenAiChat | Format::OpenAiResponses => format!("{}/v1", server.base_url()),
    };
    HttpProvider::new(format, base)
        .api_key("k")
        .retry(RetryPolicy {
            attempts: 1,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(1),
        })
}

async fn context() -> ToolContext {
    let sandbox = Sandbox::new(runtime());
    sandbox.mkdir("/work", true).await.unwrap();
    ToolContext::new(Arc::new(sandbox)).with_cwd("/work")
}

/// The tool results the `n`th request carried, as (id, content, is_error),
/// whatever the wire format.
fn tool_results(server: &ScriptedLlm, n: usize, format: Format) -> Vec<(String, String, bool)> {
    let body = &server.requests()[n].body;
    let messages = body["messages"].as_array().map_or(&[][..], Vec::as_slice);
    match format {
        Format::Anthropic => messages.last().unwrap()["content"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["tool_use_id"].as_str().unwrap().to_owned(),
                    b["content"].as_str().unwrap().to_owned(),
                    b["is_error"].as_bool().unwrap(),
                )
            })
            .collect(),
        Format::OpenAiChat => messages
            .iter()
            .rev()
            .take_while(|m| m["role"] == "tool")
            .collect::<Vec<&Value>>()
            .into_iter()
            .rev()
            .map(|m| {
                let content = m["content"].as_str().unwrap().to_owned();
                let is_error = content.starts_with("Error: ");
                (
                    m["tool_call_id"].as_str().unwrap().to_owned(),
                    content,
                    is_error,
                )
            })
            .collect(),
        Format::OpenAiResponses => body["input"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .take_while(|i| i["type"] == "function_call_output")
            .collect::<Vec<&Value>>()
            .into_iter()
            .rev()
            .map(|i| {
                let content = i["output"].as_str().unwrap().to_owned();
                let is_error = content.starts_with("Error: ");
                (i["call_id"].as_str().unwrap().to_owned(), content, is_error)
            })
            .collect(),
    }
}

#[tokio::test]
async fn a_scripted_model_uses_the_tools_and_answers() {
    for format in [Format::Anthropic, Format::OpenAiChat] {
        let server = ScriptedLlm::start(vec![
            Turn::reply(vec![
                Part::Text("Writing the file and checking the shell.".into()),
                Part::tool_call(
                    "t1",
                    "write",
                    json!({"path": "notes.txt", "content": "hello\nworld\n"}),
                ),
                Part::tool_call("t2", "bash", json!({"command": "echo from-bash; exit 3"})),
            ])
            .with_usage(100, 10),
            Turn::reply(vec![
                Part::tool_call("t3", "read", json!({"path": "notes.txt"})),
                Part::tool_call("t4", "teleport", json!({})),
            ])
            .with_usage(150, 12),
            Turn::text("The file says hello world.").with_usage(200, 8),
        ]);
        let ctx = context().await;
        let mut config = LoopConfig::new("test-model");
        config.system = Some("You are a careful agent.".into());
        let mut messages = vec![Message::user("Make notes.txt and tell me what it says.")];
        let mut events = Vec::new();
        let outcome = run(
            &provider(&server, format),
            &config,
            &builtin_tools(),
            &ctx,
            &mut messages,
            &mut |e| events.push(e),
        )
        .await
        .unwrap();

        assert_eq!(outcome.text, "The file says hello world.");
        assert_eq!((outcome.turns, outcome.stop), (3, StopReason::EndTurn));
        assert_eq!(
            (outcome.usage.input_tokens, outcome.usage.output_tokens),
            (450, 30)
        );
        assert_eq!(
            ctx.files().read_file("/work/notes.txt").await.unwrap(),
            "hello\nworld\n"
        );
        // user, assistant, results, assistant, results, assistant
        assert_eq!(messages.len(), 6);

        // Both results of a turn went back together, in call order.
        let first = tool_results(&server, 1, format);
        assert_eq!(first.len(), 2, "{first:?}");
        assert_eq!(first[0].0, "t1");
        assert!(!first[0].2, "{first:?}");
        assert_eq!(first[1].0, "t2");
        assert!(first[1].2 && first[1].1.contains("from-bash"), "{first:?}");
        assert!(
            first[1].1.contains("Command exited with code 3"),
            "{first:?}"
        );
        let second = tool_results(&server, 2, format);
        assert!(second[0].1.contains("hello") && !second[0].2, "{second:?}");
        assert!(
            second[1].2 && second[1].1.contains("no tool named 'teleport'"),
            "{second:?}"
        );
        assert!(
            second[1].1.contains("bash"),
            "the known tools are listed: {second:?}"
        );
        // The tools were offered to the model each time.
        assert_eq!(server.requests().len(), 3);

        let starts = events
            .iter()
            .filter(|e| matches!(e, LoopEvent::ToolStart { .. }))
            .count();
        let ends = events
            .iter()
            .filter(|e| matches!(e, LoopEvent::ToolEnd { .. }))
            .count();
        let turns = events
            .iter()
            .filter(|e| matches!(e, LoopEvent::TurnEnd { .. }))
            .count();
        assert_eq!((starts, ends, turns), (4, 4, 3));
        assert!(events.iter().any(|e| matches!(e, LoopEvent::Delta(_))));
    }
}

#[tokio::test]
async fn runaway_loops_and_provider_failures_end_the_run() {
    let calls: Vec<Turn> = (0..3)
        .map(|i| Turn::tool_call(format!("t{i}"), "bash", json!({"command": "true"})))
        .collect();
    let server = ScriptedLlm::start(calls);
    let ctx = context().await;
    let mut config = LoopConfig::new("m");
    config.max_turns = 2;
    let mut messages = vec![Message::user("loop forever")];
    let err = run(
        &provider(&server, Format::Anthropic),
        &config,
        &builtin_tools(),
        &ctx,
        &mut messages,
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(err, LoopError::TooManyTurns(2));
    assert!(err.to_string().contains("max_turns"), "{err}");

    let server = ScriptedLlm::start(vec![Turn::context_overflow()]);
    let mut messages = vec![Message::user("a very long story")];
    let err = run(
        &provider(&server, Format::OpenAiChat),
        &LoopConfig::new("m"),
        &builtin_tools(),
        &ctx,
        &mut messages,
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, LoopError::Provider(e) if e.kind == ProviderErrorKind::ContextOverflow),
        "{err}"
    );

    let mut answered = vec![Message::assistant("nothing was asked")];
    let err = run(
        &provider(&server, Format::OpenAiChat),
        &LoopConfig::new("m"),
        &builtin_tools(),
        &ctx,
        &mut answered,
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(err, LoopError::NothingToAnswer);
}

#[tokio::test]
async fn typed_results_are_checked_and_corrected() {
    let schema = json!({
        "type": "object",
        "required": ["name", "price"],
        "properties": {"name": {"type": "string"}, "price": {"type": "number"}}
    });
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "f1",
            "finish",
            json!({"result": {"name": "pen", "price": "1.50"}}),
        ),
        Turn::text("I think it is a pen for 1.50."),
        Turn::tool_call(
            "f2",
            "finish",
            json!({"result": {"name": "pen", "price": 1.5}}),
        ),
    ]);
    let ctx = context().await;
    let mut messages = vec![Message::user("What is the item and its price?")];
    let outcome = wasm_agent_harness::agent_loop::run_for_result(
        &provider(&server, Format::Anthropic),
        &LoopConfig::new("m"),
        &builtin_tools(),
        &ctx,
        &mut messages,
        &schema,
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(outcome.result, Some(json!({"name": "pen", "price": 1.5})));
    assert_eq!(outcome.turns, 3);

    let requests = server.requests();
    let tools = requests[0].body["tools"].as_array().unwrap();
    let finish = tools
        .iter()
        .find(|t| t["name"] == "finish")
        .expect("finish offered");
    assert_eq!(finish["input_schema"]["properties"]["result"], schema);
    assert!(tools.iter().any(|t| t["name"] == "give_up"));
    // The bad result came back as an error naming the violation.
    let rejected = tool_results(&server, 1, Format::Anthropic);
    assert!(rejected[0].2, "{rejected:?}");
    assert!(
        rejected[0].1.contains("/price: must be a number"),
        "{rejected:?}"
    );
    // A plain answer was met with a reminder.
    let reminder = &requests[2].body["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["content"];
    assert!(reminder.to_string().contains("finish"), "{reminder}");

    let server = ScriptedLlm::start(vec![Turn::tool_call(
        "g1",
        "give_up",
        json!({"reason": "the price list is not in the sandbox"}),
    )]);
    let mut messages = vec![Message::user("What is the price?")];
    let err = wasm_agent_harness::agent_loop::run_for_result(
        &provider(&server, Format::OpenAiChat),
        &LoopConfig::new("m"),
        &builtin_tools(),
        &ctx,
        &mut messages,
        &schema,
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(
        err,
        LoopError::GaveUp("the price list is not in the sandbox".into())
    );
}
