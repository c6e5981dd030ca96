//! Prompts: tool calls into the sandbox, typed results, events, formats.

use serde_json::json;
use wasm_agent_harness::provider::Format;
use wasm_agent_harness::{
    EventKind, FnTool, Harness, HarnessError, InitOptions, PromptOptions, RunOutcome,
};
use wasm_agent_scripted_llm::{Part, ScriptedLlm, Turn};

use crate::support::{self, harness, last_tool_results, options, Recorder};

#[tokio::test]
async fn a_prompt_runs_tools_in_the_sandbox_and_reports_every_step() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "write",
            json!({"path": "hello.py", "content": "print('hello')\n"}),
        )
        .with_usage(100, 20),
        Turn::tool_call("t2", "bash", json!({"command": "cat hello.py | wc -l"}))
            .with_usage(150, 10),
        Turn::text("Wrote hello.py (1 line).").with_usage(200, 8),
    ]);
    let harness = harness(&server).await;
    let recorder = Recorder::on(&harness);
    let session = harness.session("main").await.unwrap();
    let answer = session
        .prompt("Write hello.py", PromptOptions::default())
        .await
        .unwrap();

    assert_eq!(answer.text, "Wrote hello.py (1 line).");
    assert_eq!(answer.turns, 3);
    assert_eq!(answer.usage.input_tokens, 450);
    assert_eq!(answer.usage.output_tokens, 38);
    assert_eq!(
        harness.fs().read_file("/home/user/hello.py").await.unwrap(),
        "print('hello')\n"
    );
    let requests = server.requests();
    assert_eq!(
        last_tool_results(&requests[2].body),
        vec![("1\n".to_string(), false)]
    );
    // The conversation: prompt, 2 tool turns (call + results), answer.
    assert_eq!(session.messages().await.len(), 6);

    let events = recorder.events();
    let types = recorder.types();
    assert_eq!(types.first().unwrap(), "operation_start");
    assert_eq!(
        &types[types.len() - 3..],
        ["run_end", "operation_end", "idle"]
    );
    for kind in [
        "run_start",
        "turn_start",
        "text_delta",
        "tool_start",
        "tool_call",
        "turn_end",
    ] {
        assert!(types.iter().any(|t| t == kind), "no {kind} in {types:?}");
    }
    for (i, event) in events.iter().enumerate() {
        assert_eq!(
            event.index,
            events[0].index + i as u64,
            "indexes have no gaps"
        );
    }
    let run = &answer.run_id;
    assert!(events[..events.len() - 1]
        .iter()
        .all(|e| &e.run_id == run && e.session == "main"));
    let tool_calls: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ToolCall { name, is_error, .. } => Some((name.clone(), *is_error)),
            _ => None,
        })
        .collect();
    assert_eq!(
        tool_calls,
        [("write".into(), false), ("bash".into(), false)]
    );
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::OperationEnd {
            outcome: RunOutcome::Ok,
            ..
        }
    )));
}

#[tokio::test]
async fn typed_results_are_validated_and_bad_ones_go_back_to_the_model() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "finish",
            json!({"result": {"files": "two", "ok": true}}),
        ),
        Turn::tool_call("t2", "finish", json!({"result": {"files": 2, "ok": true}})),
    ]);
    let harness = harness(&server).await;
    let session = harness.session("typed").await.unwrap();
    let schema = json!({
        "type": "object",
        "properties": {"files": {"type": "integer"}, "ok": {"type": "boolean"}},
        "required": ["files", "ok"]
    });
    let answer = session
        .prompt("Count the files", PromptOptions::default().result(schema))
        .await
        .unwrap();
    assert_eq!(answer.value, Some(json!({"files": 2, "ok": true})));

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Count {
        files: u32,
        ok: bool,
    }
    assert_eq!(
        answer.parse::<Count>().unwrap(),
        Count { files: 2, ok: true }
    );
    let requests = server.requests();
    let tools = support::tool_names(&requests[0].body);
    assert!(tools.contains(&"finish".to_string()) && tools.contains(&"give_up".to_string()));
    let rejected = last_tool_results(&requests[1].body);
    assert!(rejected[0].1, "the bad value is an error result");
    assert!(rejected[0].0.contains("/files"), "{rejected:?}");
}

#[tokio::test]
async fn giving_up_is_an_error_with_the_models_reason() {
    let server = ScriptedLlm::start(vec![Turn::tool_call(
        "t1",
        "give_up",
        json!({"reason": "no such repository"}),
    )]);
    let harness = harness(&server).await;
    let session = harness.session("s").await.unwrap();
    let err = session
        .prompt(
            "Count",
            PromptOptions::default().result(json!({"type": "integer"})),
        )
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "the model gave up: no such repository");
}

#[tokio::test]
async fn custom_tools_are_offered_and_may_not_take_a_built_in_name() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "weather", json!({"city": "Oslo"})),
        Turn::tool_call("t2", "weather", json!({"town": "Oslo"})),
        Turn::text("Rainy."),
    ]);
    let weather = FnTool::new(
        "weather",
        "The weather in a city",
        json!({"type": "object", "properties": {"city": {"type": "string"}},
               "required": ["city"], "additionalProperties": false}),
        |_ctx, args| async move { Ok(format!("Rain in {}", args["city"].as_str().unwrap())) },
    );
    let harness = harness(&server).await;
    let session = harness.session("s").await.unwrap();
    let answer = session
        .prompt(
            "Weather?",
            PromptOptions::default().tool(std::sync::Arc::new(weather.clone())),
        )
        .await
        .unwrap();
    assert_eq!(answer.text, "Rainy.");
    let requests = server.requests();
    assert_eq!(
        last_tool_results(&requests[1].body),
        vec![("Rain in Oslo".into(), false)]
    );
    let bad = last_tool_results(&requests[2].body);
    assert!(bad[0].1 && bad[0].0.contains("city"), "{bad:?}");

    let clash = FnTool::new("read", "mine", json!({"type": "object"}), |_c, _a| async {
        Ok(String::new())
    });
    let err = Harness::init(InitOptions {
        tools: vec![std::sync::Arc::new(clash)],
        ..options(&server)
    })
    .await
    .unwrap_err();
    assert!(
        matches!(&err, HarnessError::Config(m) if m.contains("clashes with the built-in")),
        "{err}"
    );
}

#[tokio::test]
async fn every_wire_format_drives_the_same_session() {
    for format in [
        Format::Anthropic,
        Format::OpenAiChat,
        Format::OpenAiResponses,
    ] {
        let server = ScriptedLlm::start(vec![
            Turn::reply(vec![
                Part::Thinking("list first".into()),
                Part::tool_call(
                    "c1",
                    "bash",
                    json!({"command": "echo hi > /tmp/x; cat /tmp/x"}),
                ),
            ]),
            Turn::text("It says hi."),
        ]);
        let harness = Harness::init(InitOptions {
            providers: Some(support::providers(&server, format)),
            ..options(&server)
        })
        .await
        .unwrap();
        let recorder = Recorder::on(&harness);
        let session = harness.session("s").await.unwrap();
        let answer = session
            .prompt("Go", PromptOptions::default())
            .await
            .unwrap();
        assert_eq!(answer.text, "It says hi.", "{format:?}");
        assert!(
            recorder.types().contains(&"thinking".to_string()),
            "{format:?}"
        );
        let body = server.requests()[1].body.to_string();
        assert!(
            body.contains("hi\\n"),
            "{format:?}: the tool result reached the model: {body}"
        );
    }
}

#[tokio::test]
async fn a_prompt_without_any_model_says_where_to_give_one() {
    let server = ScriptedLlm::start(vec![]);
    let harness = Harness::init(InitOptions {
        model: None,
        ..options(&server)
    })
    .await
    .unwrap();
    let session = harness.session("s").await.unwrap();
    let err = session
        .prompt("hi", PromptOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no model to use"), "{err}");
    let err = session
        .prompt("hi", PromptOptions::default().model("nosuch/m"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("nosuch"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn usage_and_cost_are_reported_per_turn_and_providers_can_be_added() {
    use wasm_agent_harness::provider::pricing::{Price, PriceTable};
    use wasm_agent_harness::provider::ProviderConfig;
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "true"})).with_usage(100_000, 0),
        Turn::text("done").with_usage(0, 100_000),
    ]);
    let harness = harness(&server).await;
    let mut pricing = PriceTable::empty();
    pricing.set(
        "priced",
        Price {
            input: 3.0,
            output: 15.0,
            cache_read: 0.3,
            cache_write: 3.75,
        },
    );
    let config = ProviderConfig {
        pricing,
        api_key: Some("local-key".into()),
        ..ProviderConfig::openai_compatible(format!("{}/v1", server.base_url()))
    };
    let err = harness
        .register_provider("test", config.clone())
        .unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");
    harness.register_provider("local", config).unwrap();
    let recorder = Recorder::on(&harness);
    let session = harness.session("s").await.unwrap();
    let answer = session
        .prompt("go", PromptOptions::default().model("local/priced"))
        .await
        .unwrap();
    let cost = answer.cost.expect("priced model");
    assert!((cost.total() - 1.8).abs() < 1e-9, "{cost:?}");
    let per_turn: Vec<f64> = recorder
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::TurnEnd { cost, .. } => Some((cost.unwrap().total() * 1e6).round() / 1e6),
            _ => None,
        })
        .collect();
    assert_eq!(per_turn, [0.3, 1.5]);
    assert_eq!(server.requests()[0].path, "/v1/chat/completions");
}

#[tokio::test]
async fn a_call_can_offer_only_some_tools() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "touch /tmp/x"})),
        Turn::text("could not"),
    ]);
    let harness = harness(&server).await;
    let session = harness.session("s").await.unwrap();
    session
        .prompt(
            "look only",
            PromptOptions::default().only_tools(["read", "grep", "glob"]),
        )
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        support::tool_names(&requests[0].body),
        ["read", "grep", "glob"]
    );
    let refused = last_tool_results(&requests[1].body);
    assert!(
        refused[0].1 && refused[0].0.contains("no tool named 'bash'"),
        "{refused:?}"
    );
    assert!(!harness.fs().exists("/tmp/x").await);
    let err = session
        .prompt("x", PromptOptions::default().only_tools(["reed"]))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no tool named 'reed' to offer; the tools are: read,"),
        "{err}"
    );
}
