//! Harnesses wired to a scripted model.

use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;
use wasm_agent::Runtime;
use wasm_agent_harness::provider::pricing::PriceTable;
use wasm_agent_harness::provider::{Format, ProviderConfig, Providers};
use wasm_agent_harness::{Event, Harness, InitOptions, Subscription};
use wasm_agent_scripted_llm::ScriptedLlm;

pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let runtime = Runtime::new().expect("runtime builds");
        if let Err(err) = runtime.preload() {
            panic!("{err}\n(the tools module is built by scripts/build-guest-tools.sh)");
        }
        runtime
    })
}

/// Providers with one entry, `test`, pointing at `server` in `format`.
pub fn providers(server: &ScriptedLlm, format: Format) -> Providers {
    let base_url = match format {
        Format::Anthropic => server.base_url(),
        Format::OpenAiChat | Format::OpenAiResponses => format!("{}/v1", server.base_url()),
    };
    let mut providers = Providers::empty();
    providers.configure(
        "test",
        ProviderConfig {
            format,
            base_url,
            api_key: Some("test-key".into()),
            api_key_env: None,
            needs_key: true,
            headers: Vec::new(),
            pricing: PriceTable::empty(),
        },
    );
    providers
}

/// Options for a harness on `server` (Anthropic format, model `test/m`,
/// an in-memory sandbox).
pub fn options(server: &ScriptedLlm) -> InitOptions {
    InitOptions {
        model: Some("test/m".into()),
        providers: Some(providers(server, Format::Anthropic)),
        runtime: Some(runtime().clone()),
        ..InitOptions::default()
    }
}

pub async fn harness(server: &ScriptedLlm) -> Harness {
    Harness::init(options(server))
        .await
        .expect("harness starts")
}

/// Collects every event of a harness.
pub struct Recorder {
    events: Arc<Mutex<Vec<Event>>>,
    _subscription: Subscription,
}

impl Recorder {
    pub fn on(harness: &Harness) -> Recorder {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let subscription = harness.observe(move |e| sink.lock().unwrap().push(e.clone()));
        Recorder {
            events,
            _subscription: subscription,
        }
    }

    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }

    /// The `type` tags of the events, in order.
    pub fn types(&self) -> Vec<String> {
        self.events()
            .iter()
            .map(|e| {
                serde_json::to_value(e).unwrap()["type"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }
}

/// The system prompt of an Anthropic request.
pub fn system(body: &Value) -> String {
    match &body["system"] {
        Value::String(s) => s.clone(),
        Value::Array(blocks) => blocks
            .iter()
            .filter_map(|b| b["text"].as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// The tool names an Anthropic request offered.
pub fn tool_names(body: &Value) -> Vec<String> {
    body["tools"]
        .as_array()
        .map(|tools| {
            tools
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The text of an Anthropic message (its text blocks, or its string).
pub fn text_of(message: &Value) -> String {
    match &message["content"] {
        Value::String(s) => s.clone(),
        Value::Array(blocks) => blocks
            .iter()
            .filter_map(|b| b["text"].as_str().or_else(|| b["content"].as_str()))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// The tool results of the last message of an Anthropic request, as
/// (content, is_error).
pub fn last_tool_results(body: &Value) -> Vec<(String, bool)> {
    let messages = body["messages"].as_array().unwrap();
    messages.last().unwrap()["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "tool_result")
        .map(|b| {
            (
                b["content"].as_str().unwrap_or_default().to_string(),
                b["is_error"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}
