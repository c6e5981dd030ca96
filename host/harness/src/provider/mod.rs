//! LLM providers: the wire formats and their streams.
//!
//! What exists so far: the provider-independent request and response
//! types ([`types`]), the server-sent-events decoder every streaming
//! provider needs ([`sse`]), Anthropic's Messages format ([`anthropic`])
//! and OpenAI's Chat Completions format ([`openai_chat`]): request
//! bodies, responses and stream assembly; [`http`], which calls a
//! provider with streaming and retries; and [`registry`], which turns
//! `provider/model-id` strings into providers.

pub mod anthropic;
pub mod http;
pub mod openai_chat;
pub mod registry;
pub mod sse;
pub mod types;

pub use http::{Format, HttpProvider, ProviderError, ProviderErrorKind, RetryPolicy};
pub use registry::{ModelError, ProviderConfig, Providers};
pub use types::{Delta, Request, Response, StreamError, ToolSpec};
