//! The OpenAI Responses API (`POST /v1/responses`): the response object and its semantic
//! SSE events. Errors share the chat API's shape (see [`crate::openai_chat::failure`]).

use serde_json::{json, Value};

use crate::api::Ctx;
use crate::http::Event;
use crate::openai_chat::CREATED;
use crate::script::{pieces, Part, Reply};

/// The id of output item `index`, with the prefix the API uses for its kind.
fn item_id(part: &Part, ctx: &Ctx, index: usize) -> String {
    let prefix = match part {
        Part::Text(_) => "msg",
        Part::Thinking(_) => "rs",
        Part::ToolCall { .. } => "fc",
    };
    format!("{prefix}_scripted_{}_{index}", ctx.seq)
}

/// Output item `index` as it is when finished (`done`) or just opened.
fn item(part: &Part, ctx: &Ctx, index: usize, done: bool) -> Value {
    let id = item_id(part, ctx, index);
    let status = if done { "completed" } else { "in_progress" };
    match part {
        Part::Text(text) => {
            let content = if done {
                json!([{"type": "output_text", "text": text, "annotations": []}])
            } else {
                json!([])
            };
            json!({"id": id, "type": "message", "status": status, "role": "assistant",
                   "content": content})
        }
        Part::Thinking(text) => {
            let summary = if done {
                json!([{"type": "summary_text", "text": text}])
            } else {
                json!([])
            };
            json!({"id": id, "type": "reasoning", "summary": summary})
        }
        Part::ToolCall {
            id: call_id,
            name,
            arguments,
        } => {
            let arguments = if done {
                arguments.to_string()
            } else {
                String::new()
            };
            json!({"id": id, "type": "function_call", "status": status, "call_id": call_id,
                   "name": name, "arguments": arguments})
        }
    }
}

fn response(reply: &Reply, ctx: &Ctx, done: bool) -> Value {
    let (status, output, usage) = if done {
        let output: Vec<Value> = (reply.parts.iter().enumerate())
            .map(|(i, p)| item(p, ctx, i, true))
            .collect();
        let usage = json!({
            "input_tokens": reply.usage.input,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": reply.usage.output,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": reply.usage.input + reply.usage.output,
        });
        ("completed", output, usage)
    } else {
        ("in_progress", vec![], Value::Null)
    };
    json!({
        "id": format!("resp_scripted_{}", ctx.seq),
        "object": "response",
        "created_at": CREATED,
        "status": status,
        "error": null,
        "incomplete_details": null,
        "model": ctx.model,
        "output": output,
        "parallel_tool_calls": true,
        "usage": usage,
    })
}

/// An `error` event and the `response.failed` that ends the stream.
pub(crate) fn error_events(ctx: &Ctx, sequence: usize) -> Vec<Event> {
    let message = "The server had an error while processing your request. Sorry about that!";
    let mut failed = response(&Reply::default(), ctx, false);
    failed["status"] = json!("failed");
    failed["error"] = json!({"code": "server_error", "message": message});
    vec![
        Event::typed(
            json!({"type": "error", "code": "server_error", "message": message,
                            "param": null, "sequence_number": sequence}),
        ),
        Event::typed(json!({"type": "response.failed", "response": failed,
                            "sequence_number": sequence + 1})),
    ]
}

/// The non-streaming response body.
pub(crate) fn json(reply: &Reply, ctx: &Ctx) -> Value {
    response(reply, ctx, true)
}

/// The SSE events of a streamed reply; each carries the next `sequence_number`, and the
/// stream ends with `response.completed` (the API sends no `[DONE]`).
pub(crate) fn stream(reply: &Reply, ctx: &Ctx) -> Vec<Event> {
    let mut bodies = vec![
        json!({"type": "response.created", "response": response(reply, ctx, false)}),
        json!({"type": "response.in_progress", "response": response(reply, ctx, false)}),
    ];
    for (index, part) in reply.parts.iter().enumerate() {
        let id = item_id(part, ctx, index);
        let at = json!({"item_id": id, "output_index": index});
        let with = |kind: &str, extra: Value| {
            let mut v = at.clone();
            v["type"] = json!(kind);
            for (k, x) in extra.as_object().into_iter().flatten() {
                v[k] = x.clone();
            }
            v
        };
        bodies.push(
            json!({"type": "response.output_item.added", "output_index": index,
                           "item": item(part, ctx, index, false)}),
        );
        match part {
            Part::Text(text) => {
                let part = |t: &str| json!({"type": "output_text", "text": t, "annotations": []});
                let c = json!({"content_index": 0});
                bodies.push(with(
                    "response.content_part.added",
                    json!({"content_index": 0, "part": part("")}),
                ));
                for p in pieces(text) {
                    bodies.push(with(
                        "response.output_text.delta",
                        json!({"content_index": 0, "delta": p, "logprobs": []}),
                    ));
                }
                let mut done = with("response.output_text.done", c);
                done["text"] = json!(text);
                done["logprobs"] = json!([]);
                bodies.push(done);
                bodies.push(with(
                    "response.content_part.done",
                    json!({"content_index": 0, "part": part(text)}),
                ));
            }
            Part::Thinking(text) => {
                let part = |t: &str| json!({"type": "summary_text", "text": t});
                bodies.push(with(
                    "response.reasoning_summary_part.added",
                    json!({"summary_index": 0, "part": part("")}),
                ));
                for p in pieces(text) {
                    bodies.push(with(
                        "response.reasoning_summary_text.delta",
                        json!({"summary_index": 0, "delta": p}),
                    ));
                }
                bodies.push(with(
                    "response.reasoning_summary_text.done",
                    json!({"summary_index": 0, "text": text}),
                ));
                bodies.push(with(
                    "response.reasoning_summary_part.done",
                    json!({"summary_index": 0, "part": part(text)}),
                ));
            }
            Part::ToolCall { arguments, .. } => {
                let arguments = arguments.to_string();
                for p in pieces(&arguments) {
                    bodies.push(with(
                        "response.function_call_arguments.delta",
                        json!({"delta": p}),
                    ));
                }
                bodies.push(with(
                    "response.function_call_arguments.done",
                    json!({"arguments": arguments}),
                ));
            }
        }
        bodies.push(
            json!({"type": "response.output_item.done", "output_index": index,
                           "item": item(part, ctx, index, true)}),
        );
    }
    bodies.push(json!({"type": "response.completed", "response": response(reply, ctx, true)}));
    (bodies.into_iter().enumerate())
        .map(|(n, mut body)| {
            body["sequence_number"] = json!(n);
            Event::typed(body)
        })
        .collect()
}
