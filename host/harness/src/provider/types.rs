//! What every provider takes and gives, whatever its wire format.

use crate::message::{Message, StopReason, Usage};
use std::fmt;

/// A tool as the model sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    /// Its name.
    pub name: String,
    /// What it does, for the model.
    pub description: String,
    /// JSON Schema of its arguments.
    pub parameters: serde_json::Value,
}

/// One call to a model.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The provider's model id.
    pub model: &'a str,
    /// System prompt.
    pub system: Option<&'a str>,
    /// The conversation so far.
    pub messages: &'a [Message],
    /// Tools the model may call.
    pub tools: &'a [ToolSpec],
    /// Most tokens to generate.
    pub max_tokens: u32,
    /// Tokens the model may spend thinking (`None`: no extended thinking).
    pub thinking_budget: Option<u32>,
    /// Ask for a stream of events.
    pub stream: bool,
}

/// A model's complete answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The assistant message.
    pub message: Message,
    /// Why it stopped.
    pub stop: StopReason,
    /// Tokens used.
    pub usage: Usage,
}

/// A piece of an answer as it streams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delta {
    /// More answer text.
    Text(String),
    /// More reasoning.
    Thinking(String),
    /// The model starts a tool call.
    ToolCall {
        /// The call's id.
        id: String,
        /// The tool's name.
        name: String,
    },
}

/// A stream or response the client cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// The bytes do not follow the provider's format.
    Malformed(String),
    /// The provider reported an error inside the stream.
    Provider {
        /// Its error type (`overloaded_error`, `context_length_exceeded`…).
        kind: String,
        /// Its message.
        message: String,
    },
}

impl StreamError {
    /// True when the prompt no longer fits the model's context window, the
    /// signal for compaction.
    pub fn is_context_overflow(&self) -> bool {
        match self {
            StreamError::Provider { kind, message } => {
                kind == "context_length_exceeded"
                    || message.contains("prompt is too long")
                    || message.contains("context length")
                    || message.contains("maximum context")
            }
            StreamError::Malformed(_) => false,
        }
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Malformed(why) => write!(f, "malformed response from the provider: {why}"),
            StreamError::Provider { kind, message } => {
                write!(f, "provider error ({kind}): {message}")
            }
        }
    }
}

impl std::error::Error for StreamError {}
