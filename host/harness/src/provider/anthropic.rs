//! Anthropic's Messages API: request bodies, responses and streams.
//!
//! The conversation model ([`crate::message`]) has Anthropic's shape, so
//! content blocks serialise as they are; this module adds the envelope,
//! reads usage and stop reasons, and assembles a streamed answer from its
//! `message_start` / `content_block_*` / `message_delta` / `message_stop`
//! events.

use serde_json::{json, Value};

use super::sse::Event;
use super::types::{Delta, Request, Response, StreamError};
use crate::message::{Content, Message, Role, StopReason, Usage};

/// The `anthropic-version` header value the formats here follow.
pub const API_VERSION: &str = "2023-06-01";

/// The JSON body of a `POST /v1/messages`.
pub fn request_body(request: &Request<'_>) -> Value {
    let mut body = json!({
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": request.messages,
        "stream": request.stream,
    });
    if let Some(system) = request.system {
        body["system"] = json!(system);
    }
    if !request.tools.is_empty() {
        body["tools"] = request
            .tools
            .iter()
            .map(|t| {
                json!({
                    "name": t.name,
                    "description": t.description,
                    "input_schema": t.parameters,
                })
            })
            .collect();
    }
    if let Some(budget) = request.thinking_budget {
        body["thinking"] = json!({"type": "enabled", "budget_tokens": budget});
    }
    body
}

/// Reads a complete (non-streamed) response.
pub fn parse_response(body: &Value) -> Result<Response, StreamError> {
    if let Some(error) = provider_error(body) {
        return Err(error);
    }
    let blocks = body["content"]
        .as_array()
        .ok_or_else(|| StreamError::Malformed("no `content` array in the response".into()))?;
    let content = blocks
        .iter()
        // Block types this client does not use (redacted thinking, server
        // tools) are left out rather than refused.
        .filter_map(|b| serde_json::from_value::<Content>(b.clone()).ok())
        .collect();
    let mut usage = Usage::default();
    read_usage(&body["usage"], &mut usage);
    Ok(Response {
        message: Message {
            role: Role::Assistant,
            content,
        },
        stop: stop_reason(body["stop_reason"].as_str()),
        usage,
    })
}

/// The error an error body (or `error` event) describes, if it is one.
pub fn provider_error(body: &Value) -> Option<StreamError> {
    if body["type"] != "error" {
        return None;
    }
    Some(StreamError::Provider {
        kind: body["error"]["type"].as_str().unwrap_or("error").to_owned(),
        message: body["error"]["message"].as_str().unwrap_or("").to_owned(),
    })
}

fn stop_reason(reason: Option<&str>) -> StopReason {
    match reason {
        Some("tool_use") => StopReason::ToolUse,
        Some("max_tokens") => StopReason::MaxTokens,
        Some("stop_sequence") => StopReason::StopSequence,
        Some("refusal") => StopReason::Refusal,
        _ => StopReason::EndTurn,
    }
}

/// Adds the counts present in an Anthropic `usage` object.
///
/// Anthropic's `input_tokens` counts only the prompt tokens that were
/// neither read from nor written to the cache; [`Usage::input_tokens`]
/// counts the whole prompt, so the cache counts are added in. The object
/// may come in pieces (`message_start`, then `message_delta`), each
/// holding some counts: the uncached part is recovered from the total
/// before new counts replace old ones.
fn read_usage(value: &Value, usage: &mut Usage) {
    let get = |name: &str| value[name].as_u64();
    let mut uncached = usage
        .input_tokens
        .saturating_sub(usage.cache_read_tokens + usage.cache_write_tokens);
    if let Some(n) = get("input_tokens") {
        uncached = n;
    }
    if let Some(n) = get("output_tokens") {
        usage.output_tokens = n;
    }
    if let Some(n) = get("cache_read_input_tokens") {
        usage.cache_read_tokens = n;
    }
    if let Some(n) = get("cache_creation_input_tokens") {
        usage.cache_write_tokens = n;
    }
    usage.input_tokens = uncached + usage.cache_read_tokens + usage.cache_write_tokens;
}

#[cfg(test)]
#[test]
fn usage_in_pieces_keeps_the_cached_part_in_the_prompt_count() {
    let mut usage = Usage::default();
    read_usage(
        &serde_json::json!({"input_tokens": 10, "cache_read_input_tokens": 100,
                            "cache_creation_input_tokens": 5, "output_tokens": 1}),
        &mut usage,
    );
    assert_eq!((usage.input_tokens, usage.cache_read_tokens), (115, 100));
    // A later piece with only the output count changes nothing else.
    read_usage(&serde_json::json!({"output_tokens": 42}), &mut usage);
    assert_eq!((usage.input_tokens, usage.output_tokens), (115, 42));
    // A later piece repeating every count gives the same totals.
    read_usage(
        &serde_json::json!({"input_tokens": 10, "cache_read_input_tokens": 100,
                            "cache_creation_input_tokens": 5, "output_tokens": 42}),
        &mut usage,
    );
    assert_eq!(usage.input_tokens, 115);
}

/// A block being streamed.
#[derive(Debug)]
enum Block {
    Text(String),
    Thinking(String, Option<String>),
    ToolUse {
        id: String,
        name: String,
        json: String,
    },
    /// A block type this client does not use.
    Other,
}

/// Builds a [`Response`] from a message stream's events.
#[derive(Debug, Default)]
pub struct StreamAssembler {
    blocks: Vec<Block>,
    usage: Usage,
    stop: Option<StopReason>,
    finished: bool,
}

impl StreamAssembler {
    /// An assembler at the start of a stream.
    pub fn new() -> StreamAssembler {
        StreamAssembler::default()
    }

    /// Takes one event; returns the text, thinking and tool-call starts it
    /// adds, for showing the answer as it comes.
    pub fn push(&mut self, event: &Event) -> Result<Vec<Delta>, StreamError> {
        if event.event == "ping" || event.data.is_empty() {
            return Ok(Vec::new());
        }
        let data: Value = serde_json::from_str(&event.data).map_err(|e| {
            StreamError::Malformed(format!("event `{}` is not JSON: {e}", event.event))
        })?;
        let kind = data["type"].as_str().unwrap_or(event.event.as_str());
        let mut deltas = Vec::new();
        match kind {
            "message_start" => read_usage(&data["message"]["usage"], &mut self.usage),
            "content_block_start" => {
                let block = &data["content_block"];
                let index = self.index(&data)?;
                let new = match block["type"].as_str() {
                    Some("text") => Block::Text(block["text"].as_str().unwrap_or("").to_owned()),
                    Some("thinking") => {
                        Block::Thinking(block["thinking"].as_str().unwrap_or("").to_owned(), None)
                    }
                    Some("tool_use") => {
                        let id = block["id"].as_str().unwrap_or("").to_owned();
                        let name = block["name"].as_str().unwrap_or("").to_owned();
                        deltas.push(Delta::ToolCall {
                            id: id.clone(),
                            name: name.clone(),
                        });
                        Block::ToolUse {
                            id,
                            name,
                            json: String::new(),
                        }
                    }
                    _ => Block::Other,
                };
                if index != self.blocks.len() {
                    return Err(StreamError::Malformed(format!(
                        "content block {index} started out of order"
                    )));
                }
                self.blocks.push(new);
            }
            "content_block_delta" => {
                let index = self.index(&data)?;
                let delta = &data["delta"];
                let block = self.blocks.get_mut(index).ok_or_else(|| {
                    StreamError::Malformed(format!("delta for unknown content block {index}"))
                })?;
                let piece = |name: &str| delta[name].as_str().unwrap_or("").to_owned();
                match (delta["type"].as_str(), block) {
                    (Some("text_delta"), Block::Text(text)) => {
                        let more = piece("text");
                        text.push_str(&more);
                        deltas.push(Delta::Text(more));
                    }
                    (Some("thinking_delta"), Block::Thinking(thinking, _)) => {
                        let more = piece("thinking");
                        thinking.push_str(&more);
                        deltas.push(Delta::Thinking(more));
                    }
                    (Some("signature_delta"), Block::Thinking(_, signature)) => {
                        signature
                            .get_or_insert_with(String::new)
                            .push_str(&piece("signature"));
                    }
                    (Some("input_json_delta"), Block::ToolUse { json, .. }) => {
                        json.push_str(&piece("partial_json"));
                    }
                    (_, Block::Other) => {}
                    (other, _) => {
                        return Err(StreamError::Malformed(format!(
                            "delta {other:?} does not fit content block {index}"
                        )))
                    }
                }
            }
            "content_block_stop" => {}
            "message_delta" => {
                self.stop = Some(stop_reason(data["delta"]["stop_reason"].as_str()));
                read_usage(&data["usage"], &mut self.usage);
            }
            "message_stop" => self.finished = true,
            "error" => {
                return Err(provider_error(&data).unwrap_or(StreamError::Provider {
                    kind: "error".into(),
                    message: event.data.clone(),
                }))
            }
            _ => {}
        }
        Ok(deltas)
    }

    fn index(&self, data: &Value) -> Result<usize, StreamError> {
        data["index"]
            .as_u64()
            .map(|i| i as usize)
            .ok_or_else(|| StreamError::Malformed("content block event without an index".into()))
    }

    /// The assembled answer; an error if the stream ended early or a tool
    /// call's arguments are not JSON.
    pub fn finish(self) -> Result<Response, StreamError> {
        if !self.finished {
            return Err(StreamError::Malformed(
                "the stream ended before `message_stop`".into(),
            ));
        }
        let mut content = Vec::new();
        for block in self.blocks {
            content.push(match block {
                Block::Text(text) => Content::Text { text },
                Block::Thinking(thinking, signature) => Content::Thinking {
                    thinking,
                    signature,
                },
                Block::ToolUse { id, name, json } => {
                    let input = if json.trim().is_empty() {
                        json!({})
                    } else {
                        serde_json::from_str(&json).map_err(|e| {
                            StreamError::Malformed(format!(
                                "the arguments of tool call {id} ({name}) are not JSON: {e}"
                            ))
                        })?
                    };
                    Content::ToolUse { id, name, input }
                }
                Block::Other => continue,
            });
        }
        Ok(Response {
            message: Message {
                role: Role::Assistant,
                content,
            },
            stop: self.stop.unwrap_or(StopReason::EndTurn),
            usage: self.usage,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::sse::Decoder;
    use crate::provider::types::ToolSpec;

    /// A stream in the documented format, with text and a tool call whose
    /// arguments arrive in three pieces.
    const STREAM: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"usage":{"input_tokens":472,"output_tokens":2}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me "}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"look."}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"read","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"sr"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"c/a.rs\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

event: message_stop
data: {"type":"message_stop"}

"#;

    fn assemble(stream: &str) -> (Vec<Delta>, Result<Response, StreamError>) {
        let mut decoder = Decoder::new();
        let mut assembler = StreamAssembler::new();
        let mut deltas = Vec::new();
        for event in decoder
            .push(stream.as_bytes())
            .into_iter()
            .chain(decoder.finish())
        {
            match assembler.push(&event) {
                Ok(more) => deltas.extend(more),
                Err(e) => return (deltas, Err(e)),
            }
        }
        (deltas, assembler.finish())
    }

    #[test]
    fn a_stream_becomes_a_message() {
        let (deltas, response) = assemble(STREAM);
        let response = response.unwrap();
        assert_eq!(response.stop, StopReason::ToolUse);
        assert_eq!(
            (response.usage.input_tokens, response.usage.output_tokens),
            (472, 89)
        );
        assert_eq!(response.message.text(), "Let me look.");
        let calls: Vec<_> = response.message.tool_uses().collect();
        assert_eq!(calls, [("toolu_1", "read", &json!({"path": "src/a.rs"}))]);
        assert_eq!(
            deltas,
            [
                Delta::Text("Let me ".into()),
                Delta::Text("look.".into()),
                Delta::ToolCall {
                    id: "toolu_1".into(),
                    name: "read".into()
                },
            ]
        );
    }

    #[test]
    fn cut_and_broken_streams_are_errors() {
        let cut = &STREAM[..STREAM.find("event: message_delta").unwrap()];
        let (_, response) = assemble(cut);
        assert!(matches!(response, Err(StreamError::Malformed(m)) if m.contains("message_stop")));

        let broken = STREAM.replace(r#""c/a.rs\"}""#, r#""c/a.rs""#);
        let (_, response) = assemble(&broken);
        assert!(matches!(response, Err(StreamError::Malformed(m)) if m.contains("toolu_1")));

        let error = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
        let (_, response) = assemble(error);
        assert_eq!(
            response.unwrap_err(),
            StreamError::Provider {
                kind: "overloaded_error".into(),
                message: "Overloaded".into()
            }
        );
    }

    #[test]
    fn requests_carry_tools_system_and_thinking() {
        let messages = vec![
            Message::user("read a.rs"),
            Message {
                role: Role::Assistant,
                content: vec![Content::ToolUse {
                    id: "t1".into(),
                    name: "read".into(),
                    input: json!({"path": "a.rs"}),
                }],
            },
            Message {
                role: Role::User,
                content: vec![Content::ToolResult {
                    tool_use_id: "t1".into(),
                    content: "fn main() {}".into(),
                    is_error: false,
                }],
            },
        ];
        let tools = [ToolSpec {
            name: "read".into(),
            description: "Read a file".into(),
            parameters: json!({"type": "object"}),
        }];
        let body = request_body(&Request {
            model: "claude-x",
            system: Some("be brief"),
            messages: &messages,
            tools: &tools,
            max_tokens: 1024,
            thinking_budget: Some(2048),
            stream: true,
        });
        assert_eq!(body["system"], "be brief");
        assert_eq!(body["tools"][0]["input_schema"], json!({"type": "object"}));
        assert_eq!(body["thinking"]["budget_tokens"], 2048);
        assert_eq!(body["messages"][2]["content"][0]["type"], "tool_result");
        assert_eq!(body["messages"][2]["content"][0]["tool_use_id"], "t1");
        assert_eq!(body["messages"][1]["content"][0]["input"]["path"], "a.rs");
    }

    #[test]
    fn complete_responses_and_overflow_errors_are_read() {
        let body = json!({
            "content": [{"type": "text", "text": "Done."}, {"type": "server_tool_use", "id": "x"}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 10, "output_tokens": 3, "cache_read_input_tokens": 4}
        });
        let response = parse_response(&body).unwrap();
        assert_eq!(response.message.text(), "Done.");
        assert_eq!(response.message.content.len(), 1);
        assert_eq!(response.usage.cache_read_tokens, 4);
        assert_eq!(
            response.usage.input_tokens, 14,
            "the whole prompt, cached part included"
        );
        let overflow = json!({"type": "error", "error": {"type": "invalid_request_error",
            "message": "prompt is too long: 210000 tokens > 200000 maximum"}});
        assert!(parse_response(&overflow).unwrap_err().is_context_overflow());
    }
}
