//! The neutral script: what the model "says" on each turn, independent of the wire format.

use serde_json::Value;

/// One piece of an assistant reply, in the order the model produces it.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Visible text.
    Text(String),
    /// Reasoning text (Anthropic `thinking` blocks, Responses `reasoning` summaries, and the
    /// `reasoning_content` field that OpenAI-compatible chat servers such as DeepSeek send).
    Thinking(String),
    /// A tool call; `arguments` is sent as JSON (an object for Anthropic's `input`, its
    /// serialisation for OpenAI's `arguments` string).
    ToolCall {
        /// The call id the client must echo in its tool result.
        id: String,
        /// The tool's name.
        name: String,
        /// The arguments object.
        arguments: Value,
    },
}

/// Token counts reported with a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Prompt tokens.
    pub input: u64,
    /// Completion tokens.
    pub output: u64,
}

/// A successful model reply: the parts and the usage to report.
///
/// The stop reason is derived from the parts: a reply holding a tool call stops for tool use
/// (`tool_use` / `tool_calls`), any other reply ends the turn (`end_turn` / `stop`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reply {
    /// What the model says, in order.
    pub parts: Vec<Part>,
    /// Reported token counts.
    pub usage: Usage,
}

impl Reply {
    /// Whether the reply asks the client to run tools.
    pub fn wants_tools(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::ToolCall { .. }))
    }
}

/// A provider failure, rendered in each provider's own error shape.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// HTTP 429 (Anthropic `rate_limit_error`, OpenAI `rate_limit_exceeded`), with a
    /// `retry-after` header in seconds when given.
    RateLimited {
        /// Value of the `retry-after` header, if any.
        retry_after: Option<u64>,
    },
    /// HTTP 400 for a prompt over the context window (Anthropic `invalid_request_error` with
    /// "prompt is too long: N tokens > M maximum", OpenAI `context_length_exceeded`).
    ContextOverflow {
        /// Tokens the prompt had.
        tokens: u64,
        /// The model's limit.
        limit: u64,
    },
    /// HTTP 500 (Anthropic `api_error`, OpenAI `server_error`).
    Server,
    /// HTTP 529 on Anthropic (`overloaded_error`), 503 on OpenAI.
    Overloaded,
    /// Any status with an exact body, identical for every provider.
    Raw {
        /// HTTP status.
        status: u16,
        /// Response body, sent as `application/json`.
        body: String,
        /// Value of the `retry-after` header, if any.
        retry_after: Option<u64>,
    },
}

/// How a malformed reply is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The stream stops after about half its events, cleanly at the HTTP level (the chunked
    /// body is terminated), so the provider's final event (`message_stop`, `[DONE]`,
    /// `response.completed`) never comes. A non-streaming body is cut in half.
    Truncated,
    /// The connection is dropped after about half the events without ending the chunked body
    /// (or, for a non-streaming reply, short of its `content-length`): a transport error.
    Disconnected,
    /// One event in the middle carries JSON cut in half; the rest of the stream is intact.
    /// A non-streaming body is valid HTTP holding invalid JSON.
    InvalidJson,
    /// About half the events, then the provider's in-stream error event (Anthropic `error`
    /// with `overloaded_error`; OpenAI chat a `data:` chunk holding `{"error":{...}}`;
    /// Responses `error` then `response.failed`), then a clean end of the body. This is how
    /// providers report failures after the 200 status was sent. A non-streaming reply
    /// becomes an HTTP 500 instead, as no mid-body error exists there.
    ErrorEvent,
}

/// One scripted answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Turn {
    /// A normal reply.
    Reply(Reply),
    /// An HTTP error response.
    Error(Failure),
    /// A reply rendered and then broken as `fault` says.
    Malformed {
        /// The reply before it is broken.
        reply: Reply,
        /// How it is broken.
        fault: Fault,
    },
}

impl Turn {
    /// A reply of one text part.
    pub fn text(text: impl Into<String>) -> Turn {
        Turn::reply(vec![Part::Text(text.into())])
    }

    /// A reply of one tool call.
    pub fn tool_call(id: impl Into<String>, name: impl Into<String>, arguments: Value) -> Turn {
        Turn::reply(vec![Part::tool_call(id, name, arguments)])
    }

    /// A reply of these parts, with usage derived from their length (see [`Turn::with_usage`]).
    pub fn reply(parts: Vec<Part>) -> Turn {
        let output = parts.iter().map(Part::rough_tokens).sum::<u64>().max(1);
        Turn::Reply(Reply {
            parts,
            usage: Usage { input: 100, output },
        })
    }

    /// Replaces the reported usage (default: 100 input tokens, about one output token per four
    /// bytes). No effect on error turns.
    pub fn with_usage(mut self, input: u64, output: u64) -> Turn {
        if let Turn::Reply(reply) | Turn::Malformed { reply, .. } = &mut self {
            reply.usage = Usage { input, output };
        }
        self
    }

    /// Breaks this reply as `fault` says. An error turn stays as it is.
    pub fn malformed(self, fault: Fault) -> Turn {
        match self {
            Turn::Reply(reply) | Turn::Malformed { reply, .. } => Turn::Malformed { reply, fault },
            error => error,
        }
    }

    /// A 429 with `retry-after: secs`.
    pub fn rate_limited(retry_after: u64) -> Turn {
        Turn::Error(Failure::RateLimited {
            retry_after: Some(retry_after),
        })
    }

    /// A 400 context-overflow error (a 250,000-token prompt against a 200,000 limit).
    pub fn context_overflow() -> Turn {
        Turn::Error(Failure::ContextOverflow {
            tokens: 250_000,
            limit: 200_000,
        })
    }
}

impl Part {
    /// A tool call part.
    pub fn tool_call(id: impl Into<String>, name: impl Into<String>, arguments: Value) -> Part {
        Part::ToolCall {
            id: id.into(),
            name: name.into(),
            arguments,
        }
    }

    fn rough_tokens(&self) -> u64 {
        let bytes = match self {
            Part::Text(t) | Part::Thinking(t) => t.len(),
            Part::ToolCall { arguments, .. } => arguments.to_string().len(),
        };
        (bytes as u64).div_ceil(4)
    }
}

/// Splits `text` into three or so pieces at char boundaries, so a client must join deltas.
/// Empty text gives one empty piece (the providers still send a delta for it).
pub(crate) fn pieces(text: &str) -> Vec<&str> {
    let chars = text.chars().count();
    if chars < 2 {
        return vec![text];
    }
    let per = chars.div_ceil(3).max(1);
    let mut out = Vec::new();
    let mut start = 0;
    for (n, (at, _)) in text.char_indices().enumerate() {
        if n > 0 && n % per == 0 {
            out.push(&text[start..at]);
            start = at;
        }
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_back_and_split_multibyte_text_at_char_boundaries() {
        for text in ["", "a", "ab", "hello world", "héllo wörld ✓✓✓"] {
            let p = pieces(text);
            assert_eq!(p.concat(), text);
            if text.chars().count() >= 2 {
                assert!(p.len() >= 2, "{text:?} gave {p:?}");
            }
        }
    }

    #[test]
    fn stop_reason_follows_the_parts() {
        let Turn::Reply(r) = Turn::text("x") else {
            panic!()
        };
        assert!(!r.wants_tools());
        let Turn::Reply(r) = Turn::tool_call("c1", "bash", serde_json::json!({})) else {
            panic!()
        };
        assert!(r.wants_tools());
    }
}
