//! The conversation, independent of any provider's wire format.
//!
//! Providers translate these types to and from their own formats
//! (Anthropic Messages, OpenAI Chat Completions and Responses); sessions
//! store and persist them as they are, so a session can move between
//! providers.

use serde::{Deserialize, Serialize};

/// Who said something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The person or program driving the agent, and tool results.
    User,
    /// The model.
    Assistant,
}

/// One piece of a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Content {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// The model's visible reasoning. Providers that sign their thinking
    /// (Anthropic) need the signature back unchanged in later turns.
    Thinking {
        /// The reasoning text.
        thinking: String,
        /// The provider's signature of it, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
    /// The model asks for a tool to run.
    ToolUse {
        /// The provider's id for this call; the result must carry it.
        id: String,
        /// The tool's name.
        name: String,
        /// The arguments, as the model wrote them.
        input: serde_json::Value,
    },
    /// What a tool call gave.
    ToolResult {
        /// The id of the call this answers.
        tool_use_id: String,
        /// The tool's output text.
        content: String,
        /// True when the tool failed; the model sees the text either way.
        #[serde(default)]
        is_error: bool,
    },
}

impl Content {
    /// A text piece.
    pub fn text(text: impl Into<String>) -> Content {
        Content::Text { text: text.into() }
    }
}

/// One message of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Who said it.
    pub role: Role,
    /// What was said, in order.
    pub content: Vec<Content>,
}

impl Message {
    /// A user message holding one text.
    pub fn user(text: impl Into<String>) -> Message {
        Message {
            role: Role::User,
            content: vec![Content::text(text)],
        }
    }

    /// An assistant message holding one text.
    pub fn assistant(text: impl Into<String>) -> Message {
        Message {
            role: Role::Assistant,
            content: vec![Content::text(text)],
        }
    }

    /// The message's texts joined, without thinking or tool parts.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|c| match c {
                Content::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The tool calls the message asks for, in order.
    pub fn tool_uses(&self) -> impl Iterator<Item = (&str, &str, &serde_json::Value)> {
        self.content.iter().filter_map(|c| match c {
            Content::ToolUse { id, name, input } => Some((id.as_str(), name.as_str(), input)),
            _ => None,
        })
    }
}

/// Why the model stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// It finished its answer.
    EndTurn,
    /// It wants tool results before going on.
    ToolUse,
    /// It hit the output token limit.
    MaxTokens,
    /// A stop sequence matched.
    StopSequence,
    /// The provider refused to answer.
    Refusal,
}

/// Tokens a call used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt tokens, cached ones included.
    pub input_tokens: u64,
    /// Generated tokens, thinking included.
    pub output_tokens: u64,
    /// Prompt tokens read from the provider's cache.
    #[serde(default)]
    pub cache_read_tokens: u64,
    /// Prompt tokens written to the provider's cache.
    #[serde(default)]
    pub cache_write_tokens: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.cache_read_tokens += other.cache_read_tokens;
        self.cache_write_tokens += other.cache_write_tokens;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_json() {
        let message = Message {
            role: Role::Assistant,
            content: vec![
                Content::Thinking {
                    thinking: "look first".into(),
                    signature: Some("sig".into()),
                },
                Content::text("Reading it."),
                Content::ToolUse {
                    id: "t1".into(),
                    name: "read".into(),
                    input: serde_json::json!({"path": "a.txt"}),
                },
            ],
        };
        let json = serde_json::to_value(&message).unwrap();
        assert_eq!(json["content"][2]["type"], "tool_use");
        assert_eq!(json["role"], "assistant");
        let back: Message = serde_json::from_value(json).unwrap();
        assert_eq!(back, message);
        assert_eq!(back.text(), "Reading it.");
        assert_eq!(back.tool_uses().count(), 1);
    }

    #[test]
    fn usage_adds_up() {
        let mut total = Usage::default();
        total += Usage {
            input_tokens: 10,
            output_tokens: 2,
            ..Usage::default()
        };
        total += Usage {
            input_tokens: 5,
            output_tokens: 1,
            cache_read_tokens: 3,
            ..Usage::default()
        };
        assert_eq!(
            (
                total.input_tokens,
                total.output_tokens,
                total.cache_read_tokens
            ),
            (15, 3, 3)
        );
    }
}
