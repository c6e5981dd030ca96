//! The OpenAI Chat Completions API (`POST /v1/chat/completions`): JSON replies, SSE chunk
//! streams and errors. The error shape is shared with the Responses API.

use serde_json::{json, Map, Value};

use crate::api::Ctx;
use crate::http::{header, Event};
use crate::script::{pieces, Failure, Part, Reply};

/// A fixed creation time keeps replies reproducible; no client checks it.
pub(crate) const CREATED: u64 = 1_767_225_600;

fn finish_reason(reply: &Reply) -> &'static str {
    if reply.wants_tools() {
        "tool_calls"
    } else {
        "stop"
    }
}

fn usage(reply: &Reply) -> Value {
    json!({
        "prompt_tokens": reply.usage.input,
        "completion_tokens": reply.usage.output,
        "total_tokens": reply.usage.input + reply.usage.output,
    })
}

/// The non-streaming response body. Text parts are joined into `content`; thinking goes to
/// `reasoning_content`, the field OpenAI-compatible reasoning models (DeepSeek) use.
pub(crate) fn json(reply: &Reply, ctx: &Ctx) -> Value {
    let mut text = None::<String>;
    let mut thinking = None::<String>;
    let mut calls = Vec::new();
    for part in &reply.parts {
        match part {
            Part::Text(t) => text.get_or_insert_default().push_str(t),
            Part::Thinking(t) => thinking.get_or_insert_default().push_str(t),
            Part::ToolCall {
                id,
                name,
                arguments,
            } => calls.push(json!({
                "id": id,
                "type": "function",
                "function": {"name": name, "arguments": arguments.to_string()},
            })),
        }
    }
    let mut message = Map::new();
    message.insert("role".into(), json!("assistant"));
    message.insert("content".into(), json!(text));
    message.insert("refusal".into(), Value::Null);
    if let Some(thinking) = thinking {
        message.insert("reasoning_content".into(), json!(thinking));
    }
    if !calls.is_empty() {
        message.insert("tool_calls".into(), Value::Array(calls));
    }
    json!({
        "id": format!("chatcmpl-scripted-{}", ctx.seq),
        "object": "chat.completion",
        "created": CREATED,
        "model": ctx.model,
        "system_fingerprint": null,
        "choices": [{
            "index": 0,
            "message": message,
            "logprobs": null,
            "finish_reason": finish_reason(reply),
        }],
        "usage": usage(reply),
    })
}

/// The SSE events of a streamed reply: one chunk per delta, the finish chunk, the usage
/// chunk when the request set `stream_options.include_usage`, then `[DONE]`.
pub(crate) fn stream(reply: &Reply, ctx: &Ctx) -> Vec<Event> {
    let chunk = |choices: Value, usage: Option<Value>| {
        let mut c = json!({
            "id": format!("chatcmpl-scripted-{}", ctx.seq),
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": ctx.model,
            "system_fingerprint": null,
            "choices": choices,
        });
        if ctx.include_usage {
            // With include_usage every chunk carries `usage`, null until the last.
            c["usage"] = usage.unwrap_or(Value::Null);
        }
        Event::data(c.to_string())
    };
    let delta = |delta: Value, finish: Value| {
        chunk(
            json!([{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]),
            None,
        )
    };
    let mut events = vec![delta(
        json!({"role": "assistant", "content": "", "refusal": null}),
        Value::Null,
    )];
    let mut call_index = 0;
    for part in &reply.parts {
        match part {
            Part::Text(text) => events.extend(
                (pieces(text).into_iter()).map(|p| delta(json!({"content": p}), Value::Null)),
            ),
            Part::Thinking(text) => events.extend(
                (pieces(text).into_iter())
                    .map(|p| delta(json!({"reasoning_content": p}), Value::Null)),
            ),
            Part::ToolCall {
                id,
                name,
                arguments,
            } => {
                events.push(delta(
                    json!({"tool_calls": [{
                        "index": call_index,
                        "id": id,
                        "type": "function",
                        "function": {"name": name, "arguments": ""},
                    }]}),
                    Value::Null,
                ));
                for p in pieces(&arguments.to_string()) {
                    events.push(delta(
                        json!({"tool_calls": [{"index": call_index, "function": {"arguments": p}}]}),
                        Value::Null,
                    ));
                }
                call_index += 1;
            }
        }
    }
    events.push(delta(json!({}), json!(finish_reason(reply))));
    if ctx.include_usage {
        events.push(chunk(json!([]), Some(usage(reply))));
    }
    events.push(Event::data("[DONE]"));
    events
}

/// An error body: `{"error":{"message","type","param","code"}}`.
pub(crate) fn error(message: &str, kind: &str, param: Option<&str>, code: Option<&str>) -> Value {
    json!({"error": {"message": message, "type": kind, "param": param, "code": code}})
}

/// Status and body for a scripted failure; `param` names the request field holding the
/// prompt (`messages` for chat, `input` for Responses).
pub(crate) fn failure(f: &Failure, model: &str, param: &str) -> (u16, String) {
    let (status, body) = match f {
        Failure::RateLimited { .. } => (
            429,
            error(
                &format!(
                    "Rate limit reached for {model} in organization org-scripted on tokens per \
                     min (TPM): Limit 30000, Used 30000, Requested 100. Please try again later."
                ),
                "tokens",
                None,
                Some("rate_limit_exceeded"),
            ),
        ),
        Failure::ContextOverflow { tokens, limit } => (
            400,
            error(
                &format!(
                    "This model's maximum context length is {limit} tokens. However, your \
                     messages resulted in {tokens} tokens. Please reduce the length of the \
                     messages."
                ),
                "invalid_request_error",
                Some(param),
                Some("context_length_exceeded"),
            ),
        ),
        Failure::Server => (
            500,
            error(
                "The server had an error while processing your request. Sorry about that!",
                "server_error",
                None,
                None,
            ),
        ),
        Failure::Overloaded => (
            503,
            error(
                "The engine is currently overloaded, please try again later.",
                "server_error",
                None,
                None,
            ),
        ),
        Failure::Raw { status, body, .. } => return (*status, body.clone()),
    };
    (status, body.to_string())
}

/// OpenAI refuses a request without `Authorization: Bearer <key>`.
pub(crate) fn check_headers(headers: &[(String, String)]) -> Result<(), (u16, Value)> {
    let key = header(headers, "authorization").and_then(|v| v.strip_prefix("Bearer "));
    if key.is_none_or(|k| k.trim().is_empty()) {
        return Err((
            401,
            error(
                "You didn't provide an API key. You need to provide your API key in an \
                 Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                "invalid_request_error",
                None,
                None,
            ),
        ));
    }
    Ok(())
}

/// Extra response headers the API sends.
pub(crate) fn response_headers(ctx: &Ctx) -> Vec<(String, String)> {
    vec![("x-request-id".into(), format!("req_scripted_{}", ctx.seq))]
}
