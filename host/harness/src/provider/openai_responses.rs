//! OpenAI's Responses format (`POST {base}/responses`): request bodies,
//! responses and streams.
//!
//! The conversation is sent whole on every call (`store: false`, no
//! `previous_response_id`), so a session stays portable between
//! providers and nothing is kept on OpenAI's side. The system prompt goes
//! to `instructions`; a user message becomes its tool results as
//! `function_call_output` items (matched to their calls by `call_id`)
//! followed by its text; an assistant message becomes its text and one
//! `function_call` item per tool call, arguments as a JSON string.
//! Thinking is not sent back: without stored responses a reasoning item
//! needs OpenAI's encrypted content and item id, which the neutral
//! conversation does not keep. Reasoning summaries (and the
//! `reasoning_text` of open-weight servers) are read as thinking.
//!
//! A stream is a sequence of typed events, each a JSON object whose
//! `type` names it; it ends with `response.completed` (or
//! `response.incomplete`), never with `[DONE]`, and reports failures as
//! `error` and `response.failed` events.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::openai_chat;
use super::sse::Event;
use super::types::{Delta, Request, Response, StreamError};
use crate::message::{Content, Message, Role, StopReason, Usage};

/// The JSON body of a `POST /v1/responses`.
pub fn request_body(request: &Request<'_>) -> Value {
    let mut input = Vec::new();
    for message in request.messages {
        push_message(&mut input, message);
    }
    let mut body = json!({
        "model": request.model,
        "input": input,
        "max_output_tokens": request.max_tokens,
        "stream": request.stream,
        "store": false,
    });
    if let Some(system) = request.system {
        body["instructions"] = json!(system);
    }
    if let Some(budget) = request.thinking_budget {
        body["reasoning"] = json!({"effort": effort(budget), "summary": "auto"});
    }
    if !request.tools.is_empty() {
        // `strict` defaults to true in this API, which demands schemas
        // where every property is required and no other is allowed; the
        // tools' schemas are ordinary JSON Schema, so it is turned off.
        body["tools"] = request
            .tools
            .iter()
            .map(|t| {
                json!({
                    "type": "function",
                    "name": t.name,
                    "description": t.description,
                    "parameters": t.parameters,
                    "strict": false,
                })
            })
            .collect();
    }
    body
}

/// The reasoning effort closest to a thinking budget in tokens: the API
/// takes a level, not a number.
pub fn effort(budget: u32) -> &'static str {
    match budget {
        0..=4_095 => "low",
        4_096..=16_383 => "medium",
        _ => "high",
    }
}

/// Appends one conversation message as Responses input items.
fn push_message(out: &mut Vec<Value>, message: &Message) {
    match message.role {
        Role::User => {
            for part in &message.content {
                if let Content::ToolResult {
                    tool_use_id,
                    content,
                    is_error,
                } = part
                {
                    // The item has no error flag; the model reads the
                    // prefix, as in the Chat Completions translation.
                    let output = if *is_error {
                        format!("Error: {content}")
                    } else {
                        content.clone()
                    };
                    out.push(json!({
                        "type": "function_call_output",
                        "call_id": tool_use_id,
                        "output": output,
                    }));
                }
            }
            let text = message.text();
            if !text.is_empty() {
                out.push(json!({
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_text", "text": text}],
                }));
            }
        }
        Role::Assistant => {
            let text = message.text();
            if !text.is_empty() {
                out.push(json!({"type": "message", "role": "assistant", "content": text}));
            }
            for (id, name, input) in message.tool_uses() {
                out.push(json!({
                    "type": "function_call",
                    "call_id": id,
                    "name": name,
                    "arguments": input.to_string(),
                }));
            }
        }
    }
}

/// Reads a complete (non-streamed) response object.
pub fn parse_response(body: &Value) -> Result<Response, StreamError> {
    if let Some(error) = provider_error(body) {
        return Err(error);
    }
    let Some(output) = body["output"].as_array() else {
        return Err(StreamError::Malformed(
            "no `output` list in the response".into(),
        ));
    };
    let mut items = Items::default();
    for (index, item) in output.iter().enumerate() {
        items.open(index as u64, item);
        items.close(index as u64, item);
    }
    let mut usage = Usage::default();
    read_usage(&body["usage"], &mut usage);
    items.into_response(body, usage)
}

/// The error an error body, error event or failed response describes, if
/// it is one.
pub fn provider_error(body: &Value) -> Option<StreamError> {
    if let Some(error) = openai_chat::provider_error(body) {
        return Some(error);
    }
    let event = body["type"].as_str();
    if event == Some("error") {
        return Some(error_of(body));
    }
    let response = if event == Some("response.failed") {
        &body["response"]
    } else {
        body
    };
    if response["status"] == "failed" {
        return Some(error_of(&response["error"]));
    }
    None
}

/// An error object (`code`, `message`) as a stream error.
fn error_of(error: &Value) -> StreamError {
    let kind = error["code"]
        .as_str()
        .or_else(|| error["type"].as_str().filter(|t| *t != "error"))
        .unwrap_or("error");
    StreamError::Provider {
        kind: kind.to_owned(),
        message: error["message"]
            .as_str()
            .unwrap_or("the response failed")
            .to_owned(),
    }
}

fn read_usage(value: &Value, usage: &mut Usage) {
    if let Some(n) = value["input_tokens"].as_u64() {
        usage.input_tokens = n;
    }
    if let Some(n) = value["output_tokens"].as_u64() {
        usage.output_tokens = n;
    }
    if let Some(n) = value["input_tokens_details"]["cached_tokens"].as_u64() {
        usage.cache_read_tokens = n;
    }
}

/// One output item as it is being built.
#[derive(Debug)]
enum Item {
    /// An assistant message: its text, and whether any of it is a refusal.
    Message { text: String, refused: bool },
    /// Reasoning: its summary (or reasoning text), parts joined by a blank
    /// line.
    Reasoning { text: String, part: Option<u64> },
    /// A function call.
    Call {
        call_id: String,
        name: String,
        arguments: String,
    },
    /// Anything else (a hosted tool's call); not part of the conversation.
    Other,
}

/// The output items of a response, by `output_index`.
#[derive(Debug, Default)]
struct Items {
    by_index: BTreeMap<u64, Item>,
}

impl Items {
    /// Starts item `index` from its `output_item.added` form.
    fn open(&mut self, index: u64, item: &Value) -> Option<Delta> {
        let (entry, delta) = match item["type"].as_str() {
            Some("message") => (
                Item::Message {
                    text: String::new(),
                    refused: false,
                },
                None,
            ),
            Some("reasoning") => (
                Item::Reasoning {
                    text: String::new(),
                    part: None,
                },
                None,
            ),
            Some("function_call") => {
                let call_id = item["call_id"].as_str().unwrap_or("").to_owned();
                let name = item["name"].as_str().unwrap_or("").to_owned();
                let delta = Delta::ToolCall {
                    id: call_id.clone(),
                    name: name.clone(),
                };
                let arguments = item["arguments"].as_str().unwrap_or("").to_owned();
                (
                    Item::Call {
                        call_id,
                        name,
                        arguments,
                    },
                    Some(delta),
                )
            }
            _ => (Item::Other, None),
        };
        self.by_index.insert(index, entry);
        delta
    }

    /// Completes item `index` from its finished form, which is
    /// authoritative: what the deltas missed is taken from it, and shown.
    fn close(&mut self, index: u64, item: &Value) -> Option<Delta> {
        match self.by_index.get_mut(&index)? {
            Item::Message { text, refused } => {
                let mut full = String::new();
                for part in item["content"].as_array().into_iter().flatten() {
                    match part["type"].as_str() {
                        Some("output_text") => full.push_str(part["text"].as_str().unwrap_or("")),
                        Some("refusal") => {
                            *refused = true;
                            full.push_str(part["refusal"].as_str().unwrap_or(""));
                        }
                        _ => {}
                    }
                }
                rest_of(text, full).map(Delta::Text)
            }
            Item::Reasoning { text, .. } => {
                let parts = item["summary"]
                    .as_array()
                    .filter(|s| !s.is_empty())
                    .or_else(|| item["content"].as_array());
                let full: Vec<&str> = parts
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p["text"].as_str())
                    .collect();
                rest_of(text, full.join("\n\n")).map(Delta::Thinking)
            }
            Item::Call {
                call_id,
                name,
                arguments,
            } => {
                if let Some(full) = item["arguments"].as_str().filter(|a| !a.is_empty()) {
                    *arguments = full.to_owned();
                }
                if call_id.is_empty() {
                    *call_id = item["call_id"].as_str().unwrap_or("").to_owned();
                }
                if name.is_empty() {
                    *name = item["name"].as_str().unwrap_or("").to_owned();
                }
                None
            }
            Item::Other => None,
        }
    }

    /// The item at `index`, opened as `kind` if its `output_item.added`
    /// never came (some compatible servers skip it).
    fn at(&mut self, index: u64, kind: &str) -> &mut Item {
        if !self.by_index.contains_key(&index) {
            self.open(index, &json!({"type": kind}));
        }
        self.by_index.get_mut(&index).expect("opened above")
    }

    /// The answer these items make, with the status and incompleteness
    /// `response` reports.
    fn into_response(self, response: &Value, usage: Usage) -> Result<Response, StreamError> {
        let mut content = Vec::new();
        let mut calls = false;
        let mut refused = false;
        for item in self.by_index.into_values() {
            match item {
                Item::Reasoning { text, .. } if !text.is_empty() => {
                    content.push(Content::Thinking {
                        thinking: text,
                        signature: None,
                    })
                }
                Item::Message { text, refused: r } => {
                    refused |= r;
                    if !text.is_empty() {
                        content.push(Content::Text { text });
                    }
                }
                Item::Call {
                    call_id,
                    name,
                    arguments,
                } => {
                    calls = true;
                    content.push(tool_use(&call_id, &name, &arguments)?);
                }
                Item::Reasoning { .. } | Item::Other => {}
            }
        }
        let stop = match response["incomplete_details"]["reason"].as_str() {
            _ if response["status"] != "incomplete" => None,
            Some("max_output_tokens") => Some(StopReason::MaxTokens),
            Some("content_filter") => Some(StopReason::Refusal),
            _ => None,
        }
        .unwrap_or(if calls {
            StopReason::ToolUse
        } else if refused {
            StopReason::Refusal
        } else {
            StopReason::EndTurn
        });
        Ok(Response {
            message: Message {
                role: Role::Assistant,
                content,
            },
            stop,
            usage,
        })
    }
}

/// What `full` adds to `so_far` (which becomes `full`), when the deltas
/// missed something; `None` when they did not.
fn rest_of(so_far: &mut String, full: String) -> Option<String> {
    if full.is_empty() || *so_far == full {
        return None;
    }
    let rest = full.strip_prefix(so_far.as_str()).map(str::to_owned);
    *so_far = full;
    // Deltas that disagree with the final text cannot be mended on screen;
    // the message keeps the final text and nothing more is shown.
    rest
}

fn tool_use(call_id: &str, name: &str, arguments: &str) -> Result<Content, StreamError> {
    if call_id.is_empty() {
        return Err(StreamError::Malformed(format!(
            "a function_call item for {name} has no call_id"
        )));
    }
    let input = if arguments.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(arguments).map_err(|e| {
            StreamError::Malformed(format!(
                "the arguments of function call {call_id} ({name}) are not JSON: {e}"
            ))
        })?
    };
    Ok(Content::ToolUse {
        id: call_id.to_owned(),
        name: name.to_owned(),
        input,
    })
}

/// Builds a [`Response`] from a Responses event stream.
#[derive(Debug, Default)]
pub struct StreamAssembler {
    items: Items,
    /// The final response object (`response.completed` or
    /// `response.incomplete`), once it came.
    last: Option<Value>,
}

impl StreamAssembler {
    /// An assembler at the start of a stream.
    pub fn new() -> StreamAssembler {
        StreamAssembler::default()
    }

    /// Takes one event; returns the text, thinking and tool-call starts it
    /// adds. An `error` or `response.failed` event is returned as the
    /// provider's error.
    pub fn push(&mut self, event: &Event) -> Result<Vec<Delta>, StreamError> {
        if event.data.is_empty() {
            return Ok(Vec::new());
        }
        let body: Value = serde_json::from_str(&event.data).map_err(|e| {
            StreamError::Malformed(format!("a `{}` event is not JSON: {e}", event.event))
        })?;
        if let Some(error) = provider_error(&body) {
            return Err(error);
        }
        let kind = body["type"].as_str().unwrap_or(&event.event);
        let index = body["output_index"].as_u64();
        let text = body["delta"].as_str().unwrap_or("");
        let delta = match (kind, index) {
            ("response.output_item.added", Some(index)) => self.items.open(index, &body["item"]),
            ("response.output_item.done", Some(index)) => {
                if !self.items.by_index.contains_key(&index) {
                    self.items.open(index, &body["item"]);
                }
                self.items.close(index, &body["item"])
            }
            ("response.output_text.delta" | "response.refusal.delta", Some(index)) => {
                if let Item::Message { text: all, refused } = self.items.at(index, "message") {
                    all.push_str(text);
                    *refused |= kind == "response.refusal.delta";
                }
                Some(Delta::Text(text.to_owned()))
            }
            (
                "response.reasoning_summary_text.delta" | "response.reasoning_text.delta",
                Some(index),
            ) => {
                let summary = body["summary_index"]
                    .as_u64()
                    .or(body["content_index"].as_u64());
                if let Item::Reasoning { text: all, part } = self.items.at(index, "reasoning") {
                    // A new summary part reads as a new paragraph, as
                    // the finished item's parts are joined.
                    if *part != summary && !all.is_empty() {
                        all.push_str("\n\n");
                    }
                    *part = summary;
                    all.push_str(text);
                }
                Some(Delta::Thinking(text.to_owned()))
            }
            ("response.function_call_arguments.delta", Some(index)) => {
                match self.items.by_index.get_mut(&index) {
                    Some(Item::Call { arguments, .. }) => arguments.push_str(text),
                    _ => {
                        return Err(StreamError::Malformed(format!(
                            "function call arguments for output {index} before its item"
                        )))
                    }
                }
                None
            }
            ("response.completed" | "response.incomplete", _) => {
                self.last = Some(body["response"].clone());
                None
            }
            // Created, in progress, content parts, `.done` echoes of text
            // already received, hosted tools' progress: nothing to add.
            _ => None,
        };
        Ok(delta.into_iter().filter(|d| !is_empty(d)).collect())
    }

    /// The assembled answer; an error if the stream ended before
    /// `response.completed` or a call's arguments are not JSON.
    pub fn finish(self) -> Result<Response, StreamError> {
        let Some(last) = self.last else {
            return Err(StreamError::Malformed(
                "the stream ended before response.completed".into(),
            ));
        };
        let mut usage = Usage::default();
        read_usage(&last["usage"], &mut usage);
        self.items.into_response(&last, usage)
    }
}

fn is_empty(delta: &Delta) -> bool {
    matches!(delta, Delta::Text(t) | Delta::Thinking(t) if t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::sse::Decoder;
    use crate::provider::types::ToolSpec;

    /// A stream as OpenAI sends it (abridged: no `sequence_number`s, no
    /// content-part events), with a reasoning summary in two parts.
    const STREAM: &str = r#"event: response.created
data: {"type":"response.created","response":{"id":"resp_1","status":"in_progress","output":[]}}

event: response.output_item.added
data: {"type":"response.output_item.added","output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}

event: response.reasoning_summary_text.delta
data: {"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Look "}

event: response.reasoning_summary_text.delta
data: {"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":"first."}

event: response.reasoning_summary_text.delta
data: {"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":1,"delta":"Then act."}

event: response.output_item.added
data: {"type":"response.output_item.added","output_index":1,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":1,"content_index":0,"delta":"Checking "}

event: response.output_text.delta
data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":1,"content_index":0,"delta":"now."}

event: response.output_item.added
data: {"type":"response.output_item.added","output_index":2,"item":{"id":"fc_1","type":"function_call","status":"in_progress","call_id":"call_1","name":"bash","arguments":""}}

event: response.function_call_arguments.delta
data: {"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":2,"delta":"{\"command\":"}

event: response.function_call_arguments.delta
data: {"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":2,"delta":" \"ls\"}"}

event: response.completed
data: {"type":"response.completed","response":{"id":"resp_1","status":"completed","output":[],"usage":{"input_tokens":120,"input_tokens_details":{"cached_tokens":64},"output_tokens":17,"output_tokens_details":{"reasoning_tokens":9},"total_tokens":137}}}

"#;

    fn assemble(stream: &str) -> Result<(Vec<Delta>, Response), StreamError> {
        let mut decoder = Decoder::new();
        let mut assembler = StreamAssembler::new();
        let mut deltas = Vec::new();
        for event in decoder
            .push(stream.as_bytes())
            .into_iter()
            .chain(decoder.finish())
        {
            deltas.extend(assembler.push(&event)?);
        }
        Ok((deltas, assembler.finish()?))
    }

    #[test]
    fn a_stream_becomes_a_message() {
        let (deltas, response) = assemble(STREAM).unwrap();
        assert_eq!(response.stop, StopReason::ToolUse);
        assert_eq!(response.message.text(), "Checking now.");
        assert!(matches!(&response.message.content[0],
            Content::Thinking { thinking, .. } if thinking == "Look first.\n\nThen act."));
        let calls: Vec<_> = response.message.tool_uses().collect();
        assert_eq!(calls, [("call_1", "bash", &json!({"command": "ls"}))]);
        let usage = response.usage;
        assert_eq!(
            (
                usage.input_tokens,
                usage.output_tokens,
                usage.cache_read_tokens
            ),
            (120, 17, 64)
        );
        assert_eq!(deltas[0], Delta::Thinking("Look ".into()));
        assert!(deltas.contains(&Delta::ToolCall {
            id: "call_1".into(),
            name: "bash".into()
        }));
    }

    #[test]
    fn cut_broken_and_failed_streams_are_errors() {
        let cut = &STREAM[..STREAM.find("event: response.completed").unwrap()];
        assert!(
            matches!(assemble(cut), Err(StreamError::Malformed(m)) if m.contains("response.completed"))
        );
        let broken = STREAM.replace(r#" \"ls\"}"#, r#" \"ls\""#);
        assert!(
            matches!(assemble(&broken), Err(StreamError::Malformed(m)) if m.contains("call_1"))
        );
        let error = "event: error\ndata: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\",\"param\":null}\n\n";
        assert_eq!(
            assemble(error).unwrap_err(),
            StreamError::Provider {
                kind: "rate_limit_exceeded".into(),
                message: "slow down".into()
            }
        );
        let failed = "data: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"Your input exceeds the context window of this model.\"}}}\n\n";
        assert!(assemble(failed).unwrap_err().is_context_overflow());
        let orphan = "data: {\"type\":\"response.function_call_arguments.delta\",\"output_index\":3,\"delta\":\"{}\"}\n\n";
        assert!(matches!(assemble(orphan), Err(StreamError::Malformed(_))));
    }

    #[test]
    fn finished_items_fill_in_what_the_deltas_missed() {
        let stream = r#"data: {"type":"response.output_item.added","output_index":0,"item":{"type":"message","content":[]}}

data: {"type":"response.output_text.delta","output_index":0,"delta":"Hel"}

data: {"type":"response.output_item.done","output_index":0,"item":{"type":"message","content":[{"type":"output_text","text":"Hello."}]}}

data: {"type":"response.output_item.done","output_index":1,"item":{"type":"function_call","call_id":"c9","name":"read","arguments":"{\"path\":\"a\"}"}}

data: {"type":"response.incomplete","response":{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"usage":{"input_tokens":5,"output_tokens":7}}}

"#;
        let (deltas, response) = assemble(stream).unwrap();
        assert_eq!(
            deltas,
            [Delta::Text("Hel".into()), Delta::Text("lo.".into())]
        );
        assert_eq!(response.message.text(), "Hello.");
        assert_eq!(response.message.tool_uses().count(), 1);
        assert_eq!(response.stop, StopReason::MaxTokens);
    }

    #[test]
    fn requests_translate_the_conversation() {
        let messages = vec![
            Message::user("list files"),
            Message {
                role: Role::Assistant,
                content: vec![
                    Content::Thinking {
                        thinking: "hm".into(),
                        signature: None,
                    },
                    Content::text("Looking."),
                    Content::ToolUse {
                        id: "call_1".into(),
                        name: "bash".into(),
                        input: json!({"command": "ls"}),
                    },
                ],
            },
            Message {
                role: Role::User,
                content: vec![
                    Content::ToolResult {
                        tool_use_id: "call_1".into(),
                        content: "a.txt".into(),
                        is_error: false,
                    },
                    Content::ToolResult {
                        tool_use_id: "call_2".into(),
                        content: "no such file".into(),
                        is_error: true,
                    },
                    Content::text("and now?"),
                ],
            },
        ];
        let tools = [ToolSpec {
            name: "bash".into(),
            description: "Run a command".into(),
            parameters: json!({"type": "object"}),
        }];
        let body = request_body(&Request {
            model: "gpt-x",
            system: Some("be brief"),
            messages: &messages,
            tools: &tools,
            max_tokens: 500,
            thinking_budget: Some(8_000),
            stream: true,
        });
        assert_eq!(body["instructions"], "be brief");
        assert_eq!(body["store"], false);
        assert_eq!(body["max_output_tokens"], 500);
        assert_eq!(
            body["reasoning"],
            json!({"effort": "medium", "summary": "auto"})
        );
        assert_eq!(
            body["tools"][0],
            json!({"type": "function", "name": "bash", "description": "Run a command",
                   "parameters": {"type": "object"}, "strict": false})
        );
        let input = body["input"].as_array().unwrap();
        assert_eq!(input[0]["content"][0]["text"], "list files");
        assert_eq!(
            input[1],
            json!({"type": "message", "role": "assistant", "content": "Looking."})
        );
        assert_eq!(
            input[2],
            json!({"type": "function_call", "call_id": "call_1", "name": "bash",
                   "arguments": "{\"command\":\"ls\"}"})
        );
        assert_eq!(
            input[3],
            json!({"type": "function_call_output", "call_id": "call_1", "output": "a.txt"})
        );
        assert_eq!(input[4]["output"], "Error: no such file");
        assert_eq!(input[5]["role"], "user");
        assert_eq!(input.len(), 6);
        let plain = request_body(&Request {
            system: None,
            thinking_budget: None,
            tools: &[],
            ..Request {
                model: "gpt-x",
                system: None,
                messages: &messages,
                tools: &[],
                max_tokens: 1,
                thinking_budget: None,
                stream: false,
            }
        });
        for absent in ["instructions", "reasoning", "tools"] {
            assert!(plain.get(absent).is_none(), "{absent} was sent");
        }
    }

    #[test]
    fn complete_responses_are_read() {
        let body = json!({"id": "resp_1", "status": "completed", "output": [
            {"type": "reasoning", "summary": [{"type": "summary_text", "text": "thought"}]},
            {"type": "message", "role": "assistant", "content": [
                {"type": "output_text", "text": "Done.", "annotations": []}]},
            {"type": "web_search_call", "status": "completed"}],
            "usage": {"input_tokens": 9, "output_tokens": 2}});
        let response = parse_response(&body).unwrap();
        assert_eq!(response.stop, StopReason::EndTurn);
        assert_eq!(response.message.text(), "Done.");
        assert!(
            matches!(&response.message.content[0], Content::Thinking { thinking, .. } if thinking == "thought")
        );
        assert_eq!(response.message.content.len(), 2);
        let refusal = json!({"status": "completed", "output": [{"type": "message",
            "content": [{"type": "refusal", "refusal": "I can't help with that."}]}]});
        assert_eq!(parse_response(&refusal).unwrap().stop, StopReason::Refusal);
        let no_output = json!({"status": "completed"});
        assert!(matches!(
            parse_response(&no_output),
            Err(StreamError::Malformed(_))
        ));
    }

    #[test]
    fn thinking_budgets_become_efforts() {
        assert_eq!(
            [1_024, 4_096, 16_384, 64_000].map(effort),
            ["low", "medium", "high", "high"]
        );
    }
}
