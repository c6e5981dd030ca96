//! LLM providers: the wire formats and their streams.
//!
//! What exists so far: the provider-independent request and response
//! types ([`types`]), the server-sent-events decoder every streaming
//! provider needs ([`sse`]), Anthropic's Messages format ([`anthropic`]),
//! OpenAI's Chat Completions format ([`openai_chat`]) and Responses
//! format ([`openai_responses`]): request bodies, responses and stream
//! assembly; [`http`], which calls a provider with streaming and retries;
//! [`registry`], which turns `provider/model-id` strings into providers;
//! and [`pricing`], which turns a call's usage into dollars.

pub mod anthropic;
pub mod http;
pub mod openai_chat;
pub mod openai_responses;
pub mod pricing;
pub mod registry;
pub mod sse;
pub mod types;

pub use http::{Format, HttpProvider, ProviderError, ProviderErrorKind, RetryPolicy};
pub use pricing::{Cost, Price, PriceTable};
pub use registry::{ModelError, ProviderConfig, Providers};
pub use types::{Delta, Request, Response, StreamError, ToolSpec};
