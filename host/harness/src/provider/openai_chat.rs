//! OpenAI's Chat Completions format, which OpenRouter, Ollama, vLLM and
//! most other servers also speak: request bodies, responses and streams.
//!
//! The conversation model has Anthropic's shape, so requests are
//! translated: a system message first, tool results as `tool` messages
//! (before any text of the same user turn), an assistant's tool calls as
//! `tool_calls` with their arguments as a JSON string. Thinking is not
//! sent back (the format has no place for it); `reasoning_content`, which
//! several compatible servers stream, is read as thinking.

use serde_json::{json, Value};

use super::sse::Event;
use super::types::{Delta, Request, Response, StreamError};
use crate::message::{Content, Message, Role, StopReason, Usage};

/// The JSON body of a `POST /v1/chat/completions`.
pub fn request_body(request: &Request<'_>) -> Value {
    let mut messages = Vec::new();
    if let Some(system) = request.system {
        messages.push(json!({"role": "system", "content": system}));
    }
    for message in request.messages {
        push_message(&mut messages, message);
    }
    let mut body = json!({
        "model": request.model,
        "messages": messages,
        "max_completion_tokens": request.max_tokens,
        "stream": request.stream,
    });
    if request.stream {
        body["stream_options"] = json!({"include_usage": true});
    }
    if !request.tools.is_empty() {
        body["tools"] = request
            .tools
            .iter()
            .map(|t| {
                json!({"type": "function", "function": {
                    "name": t.name,
                    "description": t.description,
                    "parameters": t.parameters,
                }})
            })
            .collect();
    }
    body
}

/// Appends one conversation message in Chat Completions form.
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
                    let content = if *is_error {
                        format!("Error: {content}")
                    } else {
                        content.clone()
                    };
                    out.push(
                        json!({"role": "tool", "tool_call_id": tool_use_id, "content": content}),
                    );
                }
            }
            let text = message.text();
            if !text.is_empty() {
                out.push(json!({"role": "user", "content": text}));
            }
        }
        Role::Assistant => {
            let text = message.text();
            let mut entry = json!({
                "role": "assistant",
                "content": if text.is_empty() { Value::Null } else { json!(text) },
            });
            let calls: Vec<Value> = message
                .tool_uses()
                .map(|(id, name, input)| {
                    json!({"id": id, "type": "function",
                           "function": {"name": name, "arguments": input.to_string()}})
                })
                .collect();
            if !calls.is_empty() {
                entry["tool_calls"] = json!(calls);
            }
            out.push(entry);
        }
    }
}

/// Reads a complete (non-streamed) response.
pub fn parse_response(body: &Value) -> Result<Response, StreamError> {
    if let Some(error) = provider_error(body) {
        return Err(error);
    }
    let choice = &body["choices"][0];
    let message = &choice["message"];
    if message.is_null() {
        return Err(StreamError::Malformed(
            "no `choices[0].message` in the response".into(),
        ));
    }
    let mut content = Vec::new();
    if let Some(thinking) = message["reasoning_content"]
        .as_str()
        .filter(|t| !t.is_empty())
    {
        content.push(Content::Thinking {
            thinking: thinking.to_owned(),
            signature: None,
        });
    }
    if let Some(text) = message["content"].as_str().filter(|t| !t.is_empty()) {
        content.push(Content::text(text));
    }
    for call in message["tool_calls"].as_array().into_iter().flatten() {
        content.push(tool_use(
            call["id"].as_str().unwrap_or(""),
            call["function"]["name"].as_str().unwrap_or(""),
            call["function"]["arguments"].as_str().unwrap_or(""),
        )?);
    }
    let mut usage = Usage::default();
    read_usage(&body["usage"], &mut usage);
    Ok(Response {
        message: Message {
            role: Role::Assistant,
            content,
        },
        stop: finish_reason(choice["finish_reason"].as_str()),
        usage,
    })
}

/// The error an error body (or error chunk) describes, if it is one.
pub fn provider_error(body: &Value) -> Option<StreamError> {
    let error = body.get("error")?;
    if error.is_null() {
        return None;
    }
    let kind = error["code"]
        .as_str()
        .or_else(|| error["type"].as_str())
        .unwrap_or("error");
    Some(StreamError::Provider {
        kind: kind.to_owned(),
        message: error["message"].as_str().unwrap_or("").to_owned(),
    })
}

fn finish_reason(reason: Option<&str>) -> StopReason {
    match reason {
        Some("tool_calls" | "function_call") => StopReason::ToolUse,
        Some("length") => StopReason::MaxTokens,
        Some("content_filter") => StopReason::Refusal,
        _ => StopReason::EndTurn,
    }
}

fn read_usage(value: &Value, usage: &mut Usage) {
    if let Some(n) = value["prompt_tokens"].as_u64() {
        usage.input_tokens = n;
    }
    if let Some(n) = value["completion_tokens"].as_u64() {
        usage.output_tokens = n;
    }
    if let Some(n) = value["prompt_tokens_details"]["cached_tokens"].as_u64() {
        usage.cache_read_tokens = n;
    }
}

fn tool_use(id: &str, name: &str, arguments: &str) -> Result<Content, StreamError> {
    let input = if arguments.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(arguments).map_err(|e| {
            StreamError::Malformed(format!(
                "the arguments of tool call {id} ({name}) are not JSON: {e}"
            ))
        })?
    };
    Ok(Content::ToolUse {
        id: id.to_owned(),
        name: name.to_owned(),
        input,
    })
}

/// A tool call being streamed.
#[derive(Debug, Default)]
struct Call {
    id: String,
    name: String,
    arguments: String,
}

/// Builds a [`Response`] from a Chat Completions stream's chunks.
#[derive(Debug, Default)]
pub struct StreamAssembler {
    thinking: String,
    text: String,
    calls: Vec<Call>,
    usage: Usage,
    stop: Option<StopReason>,
    done: bool,
}

impl StreamAssembler {
    /// An assembler at the start of a stream.
    pub fn new() -> StreamAssembler {
        StreamAssembler::default()
    }

    /// Takes one event; returns the text, thinking and tool-call starts it
    /// adds.
    pub fn push(&mut self, event: &Event) -> Result<Vec<Delta>, StreamError> {
        if event.data.trim() == "[DONE]" {
            self.done = true;
            return Ok(Vec::new());
        }
        if event.data.is_empty() {
            return Ok(Vec::new());
        }
        let chunk: Value = serde_json::from_str(&event.data)
            .map_err(|e| StreamError::Malformed(format!("a chunk is not JSON: {e}")))?;
        if let Some(error) = provider_error(&chunk) {
            return Err(error);
        }
        read_usage(&chunk["usage"], &mut self.usage);
        let mut deltas = Vec::new();
        for choice in chunk["choices"].as_array().into_iter().flatten() {
            let delta = &choice["delta"];
            if let Some(more) = delta["reasoning_content"]
                .as_str()
                .filter(|t| !t.is_empty())
            {
                self.thinking.push_str(more);
                deltas.push(Delta::Thinking(more.to_owned()));
            }
            if let Some(more) = delta["content"].as_str().filter(|t| !t.is_empty()) {
                self.text.push_str(more);
                deltas.push(Delta::Text(more.to_owned()));
            }
            for call in delta["tool_calls"].as_array().into_iter().flatten() {
                let index = call["index"].as_u64().unwrap_or(self.calls.len() as u64) as usize;
                if index > self.calls.len() {
                    return Err(StreamError::Malformed(format!(
                        "tool call {index} arrived before call {}",
                        self.calls.len()
                    )));
                }
                if index == self.calls.len() {
                    self.calls.push(Call::default());
                }
                let entry = &mut self.calls[index];
                if let Some(id) = call["id"].as_str() {
                    entry.id = id.to_owned();
                }
                if let Some(name) = call["function"]["name"].as_str() {
                    entry.name.push_str(name);
                    deltas.push(Delta::ToolCall {
                        id: entry.id.clone(),
                        name: entry.name.clone(),
                    });
                }
                if let Some(more) = call["function"]["arguments"].as_str() {
                    entry.arguments.push_str(more);
                }
            }
            if let Some(reason) = choice["finish_reason"].as_str() {
                self.stop = Some(finish_reason(Some(reason)));
            }
        }
        Ok(deltas)
    }

    /// The assembled answer; an error if the stream ended before its
    /// finish reason or a tool call's arguments are not JSON.
    pub fn finish(self) -> Result<Response, StreamError> {
        let Some(stop) = self.stop else {
            return Err(StreamError::Malformed(
                "the stream ended before a finish_reason".into(),
            ));
        };
        let mut content = Vec::new();
        if !self.thinking.is_empty() {
            content.push(Content::Thinking {
                thinking: self.thinking,
                signature: None,
            });
        }
        if !self.text.is_empty() {
            content.push(Content::Text { text: self.text });
        }
        for call in &self.calls {
            content.push(tool_use(&call.id, &call.name, &call.arguments)?);
        }
        Ok(Response {
            message: Message {
                role: Role::Assistant,
                content,
            },
            stop,
            usage: self.usage,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::sse::Decoder;
    use crate::provider::types::ToolSpec;

    const STREAM: &str = r#"data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Checking "},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"now."},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"bash","arguments":""}}]},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"command\":"}}]},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \"ls\"}"}}]},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":120,"completion_tokens":17,"prompt_tokens_details":{"cached_tokens":64}}}

data: [DONE]

"#;

    fn assemble(stream: &str) -> Result<Response, StreamError> {
        let mut decoder = Decoder::new();
        let mut assembler = StreamAssembler::new();
        for event in decoder
            .push(stream.as_bytes())
            .into_iter()
            .chain(decoder.finish())
        {
            assembler.push(&event)?;
        }
        assembler.finish()
    }

    #[test]
    fn a_stream_becomes_a_message() {
        let response = assemble(STREAM).unwrap();
        assert_eq!(response.stop, StopReason::ToolUse);
        assert_eq!(response.message.text(), "Checking now.");
        let calls: Vec<_> = response.message.tool_uses().collect();
        assert_eq!(calls, [("call_1", "bash", &json!({"command": "ls"}))]);
        assert_eq!(
            (
                response.usage.input_tokens,
                response.usage.output_tokens,
                response.usage.cache_read_tokens
            ),
            (120, 17, 64)
        );
    }

    #[test]
    fn cut_broken_and_error_streams_are_errors() {
        let end = STREAM.find(r#""finish_reason":"tool_calls""#).unwrap();
        let cut = &STREAM[..STREAM[..end].rfind("data:").unwrap()];
        assert!(
            matches!(assemble(cut), Err(StreamError::Malformed(m)) if m.contains("finish_reason"))
        );
        let broken = STREAM.replace(r#" \"ls\"}"#, r#" \"ls\""#);
        assert!(
            matches!(assemble(&broken), Err(StreamError::Malformed(m)) if m.contains("call_1"))
        );
        let overflow = "data: {\"error\":{\"message\":\"This model's maximum context length is 128000 tokens\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}\n\n";
        assert!(assemble(overflow).unwrap_err().is_context_overflow());
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
            thinking_budget: None,
            stream: true,
        });
        let sent = body["messages"].as_array().unwrap();
        assert_eq!(sent[0], json!({"role": "system", "content": "be brief"}));
        assert_eq!(sent[1], json!({"role": "user", "content": "list files"}));
        assert_eq!(sent[2]["content"], Value::Null);
        assert_eq!(
            sent[2]["tool_calls"][0]["function"]["arguments"],
            "{\"command\":\"ls\"}"
        );
        assert_eq!(
            sent[3],
            json!({"role": "tool", "tool_call_id": "call_1", "content": "a.txt"})
        );
        assert_eq!(sent[4]["content"], "Error: no such file");
        assert_eq!(sent.len(), 5);
        assert_eq!(body["tools"][0]["function"]["name"], "bash");
        assert_eq!(body["stream_options"]["include_usage"], true);
    }

    #[test]
    fn complete_responses_are_read() {
        let body = json!({"choices": [{"index": 0, "finish_reason": "stop", "message": {
            "role": "assistant", "content": "Done.", "reasoning_content": "thought"}}],
            "usage": {"prompt_tokens": 9, "completion_tokens": 2}});
        let response = parse_response(&body).unwrap();
        assert_eq!(response.stop, StopReason::EndTurn);
        assert_eq!(response.message.text(), "Done.");
        assert!(
            matches!(&response.message.content[0], Content::Thinking { thinking, .. } if thinking == "thought")
        );
    }
}
