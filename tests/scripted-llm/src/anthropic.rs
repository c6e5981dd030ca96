//! The Anthropic Messages API (`POST /v1/messages`): JSON replies, SSE streams and errors.

use serde_json::{json, Value};

use crate::api::Ctx;
use crate::http::{header, Event};
use crate::script::{pieces, Failure, Part, Reply};

/// The stop reason Anthropic reports for `reply`.
fn stop_reason(reply: &Reply) -> &'static str {
    if reply.wants_tools() {
        "tool_use"
    } else {
        "end_turn"
    }
}

/// A made-up but stable signature: clients must send thinking blocks back with it unchanged.
fn signature(ctx: &Ctx, index: usize) -> String {
    format!("sig_scripted_{}_{index}", ctx.seq)
}

fn block(part: &Part, ctx: &Ctx, index: usize) -> Value {
    match part {
        Part::Text(text) => json!({"type": "text", "text": text}),
        Part::Thinking(text) => {
            json!({"type": "thinking", "thinking": text, "signature": signature(ctx, index)})
        }
        Part::ToolCall {
            id,
            name,
            arguments,
        } => json!({"type": "tool_use", "id": id, "name": name, "input": arguments}),
    }
}

fn message(reply: &Reply, ctx: &Ctx, content: Vec<Value>, stop: Value, output: u64) -> Value {
    json!({
        "id": format!("msg_scripted_{}", ctx.seq),
        "type": "message",
        "role": "assistant",
        "model": ctx.model,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": null,
        "usage": {
            "input_tokens": reply.usage.input,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": output,
        },
    })
}

/// The non-streaming response body.
pub(crate) fn json(reply: &Reply, ctx: &Ctx) -> Value {
    let content = (reply.parts.iter().enumerate())
        .map(|(i, p)| block(p, ctx, i))
        .collect();
    message(
        reply,
        ctx,
        content,
        json!(stop_reason(reply)),
        reply.usage.output,
    )
}

/// The SSE events of a streamed reply, in the order the API sends them.
pub(crate) fn stream(reply: &Reply, ctx: &Ctx) -> Vec<Event> {
    let mut events = vec![
        Event::typed(json!({
            "type": "message_start",
            "message": message(reply, ctx, vec![], Value::Null, 1),
        })),
        Event::typed(json!({"type": "ping"})),
    ];
    for (index, part) in reply.parts.iter().enumerate() {
        let (start, deltas): (Value, Vec<Value>) = match part {
            Part::Text(text) => (
                json!({"type": "text", "text": ""}),
                (pieces(text).into_iter())
                    .map(|p| json!({"type": "text_delta", "text": p}))
                    .collect(),
            ),
            Part::Thinking(text) => {
                let mut deltas: Vec<Value> = (pieces(text).into_iter())
                    .map(|p| json!({"type": "thinking_delta", "thinking": p}))
                    .collect();
                deltas.push(json!({"type": "signature_delta", "signature": signature(ctx, index)}));
                (json!({"type": "thinking", "thinking": ""}), deltas)
            }
            Part::ToolCall {
                id,
                name,
                arguments,
            } => (
                json!({"type": "tool_use", "id": id, "name": name, "input": {}}),
                (pieces(&arguments.to_string()).into_iter())
                    .map(|p| json!({"type": "input_json_delta", "partial_json": p}))
                    .collect(),
            ),
        };
        events.push(Event::typed(json!({
            "type": "content_block_start", "index": index, "content_block": start,
        })));
        for delta in deltas {
            events.push(Event::typed(json!({
                "type": "content_block_delta", "index": index, "delta": delta,
            })));
        }
        events.push(Event::typed(
            json!({"type": "content_block_stop", "index": index}),
        ));
    }
    events.push(Event::typed(json!({
        "type": "message_delta",
        "delta": {"stop_reason": stop_reason(reply), "stop_sequence": null},
        "usage": {"output_tokens": reply.usage.output},
    })));
    events.push(Event::typed(json!({"type": "message_stop"})));
    events
}

/// An error body: `{"type":"error","error":{"type":kind,"message":...}}`.
pub(crate) fn error(kind: &str, message: &str) -> Value {
    json!({"type": "error", "error": {"type": kind, "message": message}})
}

/// Status and body for a scripted failure.
pub(crate) fn failure(f: &Failure) -> (u16, String) {
    let (status, body) = match f {
        Failure::RateLimited { .. } => (
            429,
            error(
                "rate_limit_error",
                "This request would exceed the rate limit for your organization of 50 requests \
                 per minute. Please try again later.",
            ),
        ),
        Failure::ContextOverflow { tokens, limit } => (
            400,
            error(
                "invalid_request_error",
                &format!("prompt is too long: {tokens} tokens > {limit} maximum"),
            ),
        ),
        Failure::Server => (500, error("api_error", "Internal server error")),
        Failure::Overloaded => (529, error("overloaded_error", "Overloaded")),
        Failure::Raw { status, body, .. } => return (*status, body.clone()),
    };
    (status, body.to_string())
}

/// The API refuses requests without credentials or a version header before reading the body.
/// Credentials are an `x-api-key` or an `Authorization: Bearer` header: the official SDKs
/// (Python 2.x) send API keys in the latter.
pub(crate) fn check_headers(headers: &[(String, String)]) -> Result<(), (u16, Value)> {
    let bearer = header(headers, "authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|k| !k.trim().is_empty());
    if !bearer && header(headers, "x-api-key").is_none_or(str::is_empty) {
        return Err((
            401,
            error("authentication_error", "x-api-key header is required"),
        ));
    }
    if header(headers, "anthropic-version").is_none_or(str::is_empty) {
        return Err((
            400,
            error(
                "invalid_request_error",
                "anthropic-version: header is required",
            ),
        ));
    }
    Ok(())
}

/// Extra response headers the API sends.
pub(crate) fn response_headers(ctx: &Ctx) -> Vec<(String, String)> {
    vec![("request-id".into(), format!("req_scripted_{}", ctx.seq))]
}
