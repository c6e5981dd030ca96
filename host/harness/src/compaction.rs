//! Compaction: summarising the older part of a conversation so it fits the
//! model's context window again.
//!
//! The agent loop compacts in two cases: before a turn, when the last
//! answer showed the prompt nearing the window (`threshold`), and when
//! the provider refuses a prompt as too long (`overflow`, then the turn
//! is retried once). Compaction keeps the most recent messages verbatim
//! (about [`CompactionConfig::keep_recent_tokens`] worth) and replaces
//! everything before them by one user message holding a summary the
//! model writes from a plain-text transcript of that part.
//!
//! The cut is always made just before an assistant message, so the kept
//! part starts with the model's turn and every tool call it holds still
//! has its result right after it, which every provider requires; the
//! summary message before it keeps the user/assistant alternation.

use crate::message::{Content, Message, Role, Usage};
use crate::provider::{HttpProvider, ProviderError, Request};

/// When and how to compact.
#[derive(Debug, Clone, PartialEq)]
pub struct CompactionConfig {
    /// Compact at all. Off: a conversation that outgrows the window fails
    /// with the provider's context-overflow error.
    pub enabled: bool,
    /// The model's context window in tokens; `None`: known windows of
    /// well-known models ([`context_window`]), else 128,000.
    pub context_window: Option<u64>,
    /// Compact before a turn once the prompt used this share of the window.
    pub threshold: f64,
    /// Tokens of recent messages kept verbatim (estimated at 4 characters
    /// per token).
    pub keep_recent_tokens: u64,
    /// Most tokens the summary may take.
    pub summary_max_tokens: u32,
}

impl Default for CompactionConfig {
    fn default() -> CompactionConfig {
        CompactionConfig {
            enabled: true,
            context_window: None,
            threshold: 0.8,
            keep_recent_tokens: 20_000,
            summary_max_tokens: 4_096,
        }
    }
}

impl CompactionConfig {
    /// The window to plan for with `model` (a bare model id).
    pub fn window(&self, model: &str) -> u64 {
        self.context_window.unwrap_or_else(|| context_window(model))
    }

    /// Whether a prompt of `prompt_tokens` calls for compaction.
    pub fn should_compact(&self, model: &str, prompt_tokens: u64) -> bool {
        self.enabled && prompt_tokens as f64 >= self.threshold * self.window(model) as f64
    }
}

/// The context window of well-known models, by model-id prefix (public
/// model documentation, November 2026); 128,000 for the others.
pub fn context_window(model: &str) -> u64 {
    const WINDOWS: &[(&str, u64)] = &[
        ("claude-", 200_000),
        ("gpt-4.1", 1_047_576),
        ("gpt-5", 400_000),
        ("gpt-4o", 128_000),
        ("o1", 200_000),
        ("o3", 200_000),
        ("o4", 200_000),
    ];
    // Aggregators prefix the vendor: "anthropic/claude-sonnet-4-5".
    let bare = model.rsplit('/').next().unwrap_or(model);
    WINDOWS
        .iter()
        .find(|(prefix, _)| bare.starts_with(prefix))
        .map_or(128_000, |(_, window)| *window)
}

/// Tokens `messages` take, estimated at 4 characters per token (the usual
/// rule of thumb for English and code; only used to pick what to keep).
pub fn estimate_tokens(messages: &[Message]) -> u64 {
    messages.iter().map(message_chars).sum::<u64>() / 4
}

fn message_chars(message: &Message) -> u64 {
    message
        .content
        .iter()
        .map(|c| match c {
            Content::Text { text } => text.len(),
            Content::Thinking { thinking, .. } => thinking.len(),
            Content::ToolUse { name, input, .. } => name.len() + input.to_string().len(),
            Content::ToolResult { content, .. } => content.len(),
        } as u64)
        .sum()
}

/// What one compaction did.
#[derive(Debug, Clone, PartialEq)]
pub struct Compacted {
    /// Messages before.
    pub messages_before: usize,
    /// Messages after.
    pub messages_after: usize,
    /// Tokens the summary call used.
    pub usage: Usage,
}

/// Why compaction could not be done.
#[derive(Debug, Clone, PartialEq)]
pub enum CompactionError {
    /// Nothing before the last exchange to summarise: the prompt itself
    /// is too long for the model.
    NothingToSummarise,
    /// The summary call failed.
    Provider(ProviderError),
}

impl std::fmt::Display for CompactionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompactionError::NothingToSummarise => f.write_str(
                "the conversation is too long for the model and there is nothing older to \
                 summarise: shorten the prompt or the tool outputs it includes",
            ),
            CompactionError::Provider(err) => {
                write!(f, "summarising the conversation failed: {err}")
            }
        }
    }
}

/// The index to cut `messages` at: the earliest assistant message (not
/// the first message) from which the rest fits `keep_tokens`, or the
/// last assistant message if even that does not fit. `None` when there
/// is no assistant message after the first message.
fn cut_point(messages: &[Message], keep_tokens: u64) -> Option<usize> {
    let mut kept_chars = 0u64;
    let mut cut = None;
    for (i, message) in messages.iter().enumerate().skip(1).rev() {
        kept_chars += message_chars(message);
        if message.role == Role::Assistant {
            if cut.is_some() && kept_chars / 4 > keep_tokens {
                break;
            }
            cut = Some(i);
        }
    }
    cut
}

/// The instruction that asks for the summary.
const SUMMARY_SYSTEM: &str = "You summarise the earlier part of an agent's working session so \
the agent can go on from the summary alone. Keep: the user's requests and constraints, \
decisions made and why, files read or changed (with paths), commands run and what they showed, \
errors met and how they were solved, and what remains to do. Be concise and concrete; write \
no preamble.";

/// Longest tool result or argument text copied into the transcript.
const TRANSCRIPT_PIECE: usize = 2_000;

/// A plain-text transcript of `messages` for the summariser.
fn transcript(messages: &[Message]) -> String {
    let mut out = String::new();
    for message in messages {
        out.push_str(match message.role {
            Role::User => "\n## user\n",
            Role::Assistant => "\n## assistant\n",
        });
        for content in &message.content {
            match content {
                Content::Text { text } => out.push_str(text),
                Content::Thinking { .. } => continue,
                Content::ToolUse { name, input, .. } => {
                    out.push_str(&format!("[called {name} {}]", clip(&input.to_string())));
                }
                Content::ToolResult {
                    content, is_error, ..
                } => {
                    let label = if *is_error {
                        "tool error"
                    } else {
                        "tool result"
                    };
                    out.push_str(&format!("[{label}]\n{}", clip(content)));
                }
            }
            out.push('\n');
        }
    }
    out
}

/// `text`, cut to [`TRANSCRIPT_PIECE`] bytes at a character boundary.
fn clip(text: &str) -> String {
    if text.len() <= TRANSCRIPT_PIECE {
        return text.to_string();
    }
    let mut end = TRANSCRIPT_PIECE;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [{} more bytes]", &text[..end], text.len() - end)
}

/// Summarises the older part of `messages` in place; see the module docs.
pub async fn compact(
    provider: &HttpProvider,
    model: &str,
    messages: &mut Vec<Message>,
    config: &CompactionConfig,
) -> Result<Compacted, CompactionError> {
    let cut = cut_point(messages, config.keep_recent_tokens)
        .ok_or(CompactionError::NothingToSummarise)?;
    let mut text = transcript(&messages[..cut]);
    // The transcript must itself fit: keep its newest part.
    let budget = (config.window(model) as usize).saturating_mul(2);
    if text.len() > budget {
        let mut start = text.len() - budget;
        while !text.is_char_boundary(start) {
            start += 1;
        }
        text = format!("[… older part left out …]\n{}", &text[start..]);
    }
    let request_messages = [Message::user(format!(
        "Summarise this part of the session:\n{text}"
    ))];
    let request = Request {
        model,
        system: Some(SUMMARY_SYSTEM),
        messages: &request_messages,
        tools: &[],
        max_tokens: config.summary_max_tokens,
        thinking_budget: None,
        stream: false,
    };
    let response = provider
        .complete(&request, &mut |_| {})
        .await
        .map_err(CompactionError::Provider)?;
    let summary = response.message.text();
    let before = messages.len();
    let kept = messages.split_off(cut);
    messages.clear();
    messages.push(Message::user(format!(
        "[The earlier part of this session was summarised to fit the context window.]\n\n\
         {summary}\n\n[Go on from here.]"
    )));
    messages.extend(kept);
    Ok(Compacted {
        messages_before: before,
        messages_after: messages.len(),
        usage: response.usage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool_turn(id: &str, result: &str) -> [Message; 2] {
        [
            Message {
                role: Role::Assistant,
                content: vec![Content::ToolUse {
                    id: id.into(),
                    name: "read".into(),
                    input: serde_json::json!({"path": "a"}),
                }],
            },
            Message {
                role: Role::User,
                content: vec![Content::ToolResult {
                    tool_use_id: id.into(),
                    content: result.into(),
                    is_error: false,
                }],
            },
        ]
    }

    #[test]
    fn the_cut_falls_before_an_assistant_message_and_keeps_about_the_budget() {
        let mut messages = vec![Message::user("do it")];
        for i in 0..10 {
            messages.extend(tool_turn(&format!("t{i}"), &"x".repeat(400)));
        }
        // Each turn is ~100 tokens: a 250-token budget keeps two turns.
        let cut = cut_point(&messages, 250).unwrap();
        assert_eq!(messages[cut].role, Role::Assistant);
        assert_eq!(messages.len() - cut, 4);
        // A budget smaller than one turn still keeps the last one.
        assert_eq!(cut_point(&messages, 1), Some(messages.len() - 2));
        assert_eq!(cut_point(&[Message::user("only")], 10), None);
    }

    #[test]
    fn windows_of_known_models_and_a_default() {
        assert_eq!(context_window("claude-sonnet-4-5"), 200_000);
        assert_eq!(context_window("anthropic/claude-opus-4-1"), 200_000);
        assert_eq!(context_window("gpt-4.1-mini"), 1_047_576);
        assert_eq!(context_window("llama3.2"), 128_000);
        let config = CompactionConfig {
            context_window: Some(1000),
            ..CompactionConfig::default()
        };
        assert!(config.should_compact("m", 800));
        assert!(!config.should_compact("m", 799));
    }

    #[test]
    fn transcripts_clip_long_tool_output() {
        let messages = tool_turn("t1", &"é".repeat(3000));
        let text = transcript(&messages);
        assert!(text.contains("[called read {\"path\":\"a\"}]"));
        assert!(text.contains("more bytes]"));
        assert!(text.len() < 2_200);
    }
}
