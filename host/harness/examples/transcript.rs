//! One complete agent run, printed as a transcript: the events a harness
//! emits while a (scripted) model writes a script, runs it, fixes it and
//! hands in a typed result.
//!
//! ```text
//! cargo run -p wasm-agent-harness --example transcript
//! ```
//!
//! The model is the scripted test provider on 127.0.0.1 speaking the
//! Anthropic Messages wire format (streaming), so the run needs no key and
//! no network; everything else (sandbox, tools, loop, events) is real.

use serde_json::json;
use wasm_agent_harness::provider::pricing::PriceTable;
use wasm_agent_harness::provider::{Format, ProviderConfig, Providers};
use wasm_agent_harness::{EventKind, Harness, InitOptions, PromptOptions};
use wasm_agent_scripted_llm::{Part, ScriptedLlm, Turn};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = ScriptedLlm::start(vec![
        Turn::reply(vec![
            Part::Thinking("I'll write the script, then run it.".into()),
            Part::Text("Writing fizzbuzz.py.".into()),
            Part::tool_call(
                "toolu_1",
                "write",
                json!({"path": "fizzbuzz.py", "content":
                    "for i in range(1, 16):\n    print('Fizz' if i % 3 == 0 else i)\n"}),
            ),
        ])
        .with_usage(1200, 90),
        Turn::tool_call(
            "toolu_2",
            "bash",
            json!({"command": "awk 'BEGIN{for(i=1;i<=15;i++) print (i%3==0 ? \"Fizz\" : i)}' | grep -c Fizz"}),
        )
        .with_usage(1400, 40),
        Turn::tool_call("toolu_3", "finish", json!({"result": {"fizz": "five"}})).with_usage(1500, 20),
        Turn::tool_call("toolu_4", "finish", json!({"result": {"fizz": 5}})).with_usage(1600, 20),
    ]);
    let mut providers = Providers::empty();
    providers.configure(
        "scripted",
        ProviderConfig {
            format: Format::Anthropic,
            base_url: model.base_url(),
            api_key: Some("not-a-real-key".into()),
            api_key_env: None,
            needs_key: true,
            headers: Vec::new(),
            pricing: PriceTable::anthropic(),
        },
    );
    let harness = Harness::init(InitOptions {
        model: Some("scripted/claude-sonnet-4-5".into()),
        providers: Some(providers),
        ..InitOptions::default()
    })
    .await?;
    let _printer = harness.observe(|event| {
        let line = match &event.kind {
            EventKind::OperationStart { operation, .. } => format!("── {operation} started"),
            EventKind::RunStart { model, .. } => format!("   model {model}"),
            EventKind::TurnStart { turn } => format!("   turn {turn}"),
            EventKind::Thinking { text } => format!("   (thinking) {text}"),
            EventKind::TextDelta { text } => format!("   assistant: {text}"),
            EventKind::ToolStart { name, input, .. } => format!("   → {name} {input}"),
            EventKind::ToolCall {
                output,
                is_error,
                duration_ms,
                ..
            } => format!(
                "   ← {}{} ({duration_ms} ms)",
                if *is_error { "error: " } else { "" },
                output.trim_end().replace('\n', "\n     ")
            ),
            EventKind::TurnEnd { usage, cost, .. } => format!(
                "   tokens {} in / {} out{}",
                usage.input_tokens,
                usage.output_tokens,
                cost.map(|c| format!(", ${:.4}", c.total()))
                    .unwrap_or_default()
            ),
            EventKind::RunEnd { turns, .. } => format!("   {turns} turns"),
            EventKind::OperationEnd { outcome, .. } => format!("── ended: {outcome:?}"),
            EventKind::Idle => "── idle".to_string(),
            other => format!("   {other:?}"),
        };
        println!("[{:>2} {}] {line}", event.index, event.run_id);
    });
    let session = harness.session("main").await?;
    let answer = session
        .prompt(
            "Write fizzbuzz.py for 1..15 and tell me how many lines say Fizz.",
            PromptOptions::default().result(json!({
                "type": "object",
                "properties": {"fizz": {"type": "integer"}},
                "required": ["fizz"]
            })),
        )
        .await?;
    println!(
        "\nresult: {}\nusage: {} in / {} out, ${:.4}",
        answer.value.unwrap_or_default(),
        answer.usage.input_tokens,
        answer.usage.output_tokens,
        answer.cost.map(|c| c.total()).unwrap_or_default()
    );
    print!(
        "fizzbuzz.py in the sandbox:\n{}",
        harness.fs().read_file("fizzbuzz.py").await?
    );
    Ok(())
}
